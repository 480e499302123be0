"""The record of every URL the site has published (`published-urls.txt` in the project), so
that an address Gazette once gave out keeps answering.

One line per URL, sorted, readable in a diff and committed with the content: the URL's path,
the article file that last had it, and that article's identity (its `source:`, else a digest
of its body), which finds the article again after its file is renamed, moved or redated.
Pure: text in, records out, and records in, text out; the build decides what they mean.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from gazette.errors import GazetteError, Problem, quoted

RECORD_FILE = "published-urls.txt"
HEADER = (
    "# Every URL this site has published, kept by Gazette so that each keeps answering: an\n"
    "# article that moved leaves a redirect at its old address. Commit this file with the content.\n"
    "# URL path, the article file that last had it, and the article's identity. To retire a URL\n"
    "# on purpose, replace its identity with `gone:` and what readers should be told.\n"
)
# A URL gone on purpose (a retraction) has `gone:` and the text its page shows instead of an identity.
_LINE = re.compile(r"^(/\S*)[ \t]+(\S+)[ \t]+((?:source|body):\S+|gone:.*?)[ \t]*$")
_IDENTITIES = ("source:", "body:", "gone:")
# A URL path as Gazette makes them (article routes, aliases): no "." or ".." part, no query,
# fragment, escapes or spaces (see article.alias_route).
_SITE_PATH = re.compile(r"/(?:(?!\.\.?/)[^/\\?#%\s<>\"']+/)*(?!\.\.?$)[^/\\?#%\s<>\"']*")


class PublishedUrl(NamedTuple):  # a tuple, not a dataclass: 10,000 are read on every build
    route: str  # "2021/03/story/"
    file: str  # the article file that last had it, as the project names it: content/2021/story.md
    identity: str  # "source:<value>" or "body:<digest>"; "gone:<what readers are told>" for one removed on purpose

    @property
    def gone(self) -> str | None:
        """What readers are told about a story removed on purpose, or None."""
        return self.identity[len("gone:"):].strip() or "This story was removed." if self.identity.startswith("gone:") else None


def parse_published(text: str, path: Path) -> dict[str, PublishedUrl]:
    """The record by route; GazetteError naming the file and line of a line that is not one.
    Read on every build, 10,000 lines at 10,000 articles: split, not a regular expression."""
    records: dict[str, PublishedUrl] = {}
    for line in text.splitlines():
        if not line or line[0] == "#" or line.isspace():
            continue
        fields = line.split(None, 2)
        if (len(fields) != 3 or not _SITE_PATH.fullmatch(fields[0]) or not fields[2].startswith(_IDENTITIES)
                or not fields[2].startswith("gone:") and " " in fields[2].strip()):
            _raise_for_the_bad_line(text, path)
        route = fields[0][1:]
        records[route] = PublishedUrl(route, fields[1], fields[2].rstrip())
    return records


def _raise_for_the_bad_line(text: str, path: Path) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line or line[0] == "#" or line.isspace():
            continue
        found = _LINE.match(line)
        if not found or not _SITE_PATH.fullmatch(found.group(1)):
            raise GazetteError(Problem(path, f"not a line of the published-URL record: {quoted(line)} "
                                             "(expected: /URL/path/  content/file.md  source:... or body:...)", number))


def format_published(records: dict[str, PublishedUrl]) -> str:
    width = max((len(r.route) for r in records.values()), default=0) + 2
    lines = [f"/{r.route:<{width - 1}} {r.file}  {r.identity}" for r in sorted(records.values(), key=lambda r: r.route)]
    return HEADER + "".join(line.rstrip() + "\n" for line in lines)


def read_published(path: Path) -> dict[str, PublishedUrl]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise GazetteError(Problem(path, f"cannot be read: {exc}")) from None
    return parse_published(text, path)
