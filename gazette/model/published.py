"""The record of every URL the site has published (`published-urls.txt` in the project), so
that an address Gazette once gave out keeps answering.

One line per URL, sorted, readable in a diff and committed with the content: the URL's path,
the article file that last had it, and that article's identity (its `source:`, else a digest
of its body), which finds the article again after its file is renamed, moved or redated.
Pure: text in, records out, and records in, text out; the build decides what they mean.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
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


def _line_after(text: str, start: int, route: str) -> int:
    """Where in `text` (from `start`, lines sorted by their routes, as `format_published` writes
    them) the line of `route` goes: after every line of a route not after it. A binary search
    over the text itself: splitting 100,000 lines to bisect them took about 0.1 s of an add
    at 100,000 articles, under a profiler."""
    low, high = start, len(text)  # each the start of a line, or the end
    while low < high:
        middle = max(low, text.rfind("\n", low, (low + high) // 2) + 1)  # a line's start, in [low, high)
        if route < text[middle + 1:text.index(" ", middle)]:
            high = middle
        else:
            low = text.index("\n", middle) + 1
    return low


def format_published(records: dict[str, PublishedUrl]) -> str:
    width = max((len(r.route) for r in records.values()), default=0) + 2
    lines = [f"/{r.route:<{width - 1}} {r.file}  {r.identity}" for r in sorted(records.values(), key=lambda r: r.route)]
    return HEADER + "".join(line.rstrip() + "\n" for line in lines)


class RecordText:
    """The record as `format_published` wrote it, read only where it names what an edit
    touches: 100,000 lines parse in 0.4 s and format in 0.2 s, a few lines in microseconds."""

    def __init__(self, text: str, path: Path) -> None:
        self.text = text
        self.path = path

    def records_naming(self, needles: Iterable[str]) -> dict[str, PublishedUrl]:
        """The records (by route) of every line that holds any of `needles` (routes, files,
        identities), and maybe a few more: those whose line holds one of them by chance."""
        text, lines = self.text, set()
        for needle in filter(None, set(needles)):  # str.find: a tenth of the time of one pattern of them all
            position = text.find(needle)
            while position >= 0:
                lines.add(self._line_at(position))
                position = text.find(needle, position + len(needle))
        return parse_published("\n".join(text[start:end] for start, end in sorted(lines)), self.path)

    def _line_at(self, position: int) -> tuple[int, int]:
        start = self.text.rfind("\n", 0, position) + 1
        end = self.text.find("\n", position)
        return start, end if end >= 0 else len(self.text)

    def with_records(self, records: dict[str, PublishedUrl]) -> str:
        """The text with the lines of `records`' routes (all already in it) saying what they
        say now: what `format_published` makes of the whole record so changed."""
        text = self.text
        for route, record in records.items():
            start = text.index(f"\n/{route} ") + 1  # each line starts with its route, then spaces
            end = text.find("\n", start)
            end = end if end >= 0 else len(text)
            line = text[start:end]
            file_at = len(line) - len(line[len(route) + 1:].lstrip(" "))
            text = f"{text[:start]}{line[:file_at]}{record.file}  {record.identity}".rstrip() + text[end:]
        return text


    def with_new_records(self, records: dict[str, PublishedUrl]) -> str | None:
        """The text with lines for `records`, whose routes it does not have, each where
        `format_published` sorts it; None when the text is not as it writes it, or a new route
        is longer than its column allows (`format_published` pads every line anew then)."""
        text = self.text
        if not text.startswith(HEADER) or not text.endswith("\n") or len(text) == len(HEADER):
            return None
        first = text[len(HEADER):text.index("\n", len(HEADER)) + 1]
        route_width = len(first) - len(first[1:].split(" ", 1)[1].lstrip(" ")) - 2  # as `format_published` pads it
        if any(len(route) >= route_width for route in records):  # the longest sets the width
            return None
        for route, record in sorted(records.items()):
            place = _line_after(text, len(HEADER), route)
            text = f"{text[:place]}{f'/{route:<{route_width}} {record.file}  {record.identity}'.rstrip()}\n{text[place:]}"
        return text


def read_published(path: Path) -> dict[str, PublishedUrl]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise GazetteError(Problem(path, f"cannot be read: {exc}")) from None
    return parse_published(text, path)
