"""Split a Markdown file into YAML front matter and body. Pure: text in, data out."""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

# The C loader is about 7x faster on front matter; fall back to the pure one.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FrontMatterLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader that keeps timestamps as strings, so dates are parsed (and
    reported) by us, with the file's line, instead of failing inside YAML."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_FENCE = re.compile(r"^---[ \t]*$")
_END_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")


class FrontMatterError(ValueError):
    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class SplitDocument:
    front_matter: str
    body: str
    body_line: int  # 1-based line where the body starts, for error messages


def split_front_matter(text: str) -> SplitDocument:
    """Return the YAML between the opening and closing `---` lines, and the body."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise FrontMatterError("the file is empty; an article starts with front matter between '---' lines", 1)
    lines = text.splitlines(keepends=True)
    if not _FENCE.match(lines[0].rstrip("\r\n")):
        raise FrontMatterError("no front matter: the first line must be '---'", 1)
    for index in range(1, len(lines)):
        if _END_FENCE.match(lines[index].rstrip("\r\n")):
            return SplitDocument(
                front_matter="".join(lines[1:index]),
                body="".join(lines[index + 1 :]),
                body_line=index + 2,
            )
    raise FrontMatterError("front matter is not closed: add a '---' line after it", 1)


def parse_front_matter(yaml_text: str) -> dict:
    """Parse the front matter as a YAML mapping. Line numbers count the opening `---` as line 1."""
    try:
        data = yaml.load(yaml_text, Loader=_FrontMatterLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark else None
        raise FrontMatterError(f"front matter is not valid YAML: {exc.problem or exc}", line) from None
    except yaml.YAMLError as exc:
        raise FrontMatterError(f"front matter is not valid YAML: {exc}", 2) from None
    except (ValueError, TypeError, RecursionError) as exc:  # e.g. unhashable keys
        raise FrontMatterError(f"front matter is not valid YAML: {exc}", 2) from None
    if data is None:
        raise FrontMatterError("front matter is empty: 'title', 'date' and 'topics' are required", 1)
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        raise FrontMatterError(f"front matter must be a mapping of 'field: value' lines, not {kind}", 2)
    return data


def field_line(yaml_text: str, name: str) -> int | None:
    """The file line where a top-level field is set, for pointing editors at it."""
    pattern = re.compile(rf"^{re.escape(name)}\s*:")
    for index, line in enumerate(yaml_text.splitlines()):
        if pattern.match(line):
            return index + 2
    return None
