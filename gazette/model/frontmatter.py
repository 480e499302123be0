"""Split a Markdown file into YAML front matter and body. Pure: text in, data out."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import yaml

from gazette.errors import LocatedError

# The C loader is about 7x faster on front matter; fall back to the pure one.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# Front matter holds a few dozen values; aliases (`*a`) can make a few lines stand for
# billions of them (the "billion laughs"), which every later step would have to walk.
MAX_VALUES = 10_000


class _FrontMatterLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader that keeps timestamps as strings, so dates are parsed (and
    reported) by us, with the file's line, instead of failing inside YAML; refuses a key
    given twice (YAML would keep the last silently) and alias expansions past MAX_VALUES."""

    def construct_document(self, node):
        sizes: dict = {}
        if _expanded_size(node, sizes) > MAX_VALUES:
            biggest = node
            if isinstance(node, yaml.MappingNode) and node.value:
                biggest = max(node.value, key=lambda item: sizes[id(item[1])])[0]
            raise FrontMatterError(
                f"front matter expands to more than {MAX_VALUES:,} values through YAML aliases (*name)",
                biggest.start_mark.line + 2,
            )
        return super().construct_document(node)

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: set = set()
            for key_node, _ in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    key = (key_node.tag, key_node.value)
                    if key in seen:
                        raise FrontMatterError(
                            f"'{key_node.value[:60]}' is given twice; keep one", key_node.start_mark.line + 2
                        )
                    seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _expanded_size(node, sizes: dict) -> int:
    """How many values the node stands for once every alias is expanded; each distinct
    node is measured once, so this is linear in the document even when its value is not."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    sizes[id(node)] = MAX_VALUES + 1  # a node inside itself (a recursive alias) counts as too many
    if isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(child, sizes) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(k, sizes) + _expanded_size(v, sizes) for k, v in node.value)
    else:
        size = 1
    sizes[id(node)] = min(size, MAX_VALUES + 1)
    return sizes[id(node)]


class _AliasFreeLoader(_FrontMatterLoader):
    """For front matter with no `*`, so no alias: it stands for no more values than it spells
    out, which its size bounds. Walking it for aliases was a sixth of reading an article."""

    def construct_document(self, node):
        return _BaseLoader.construct_document(self, node)


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_FENCE = re.compile(r"^---[ \t]*$")
_END_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")


class FrontMatterError(LocatedError):
    """Front matter that cannot be split off or parsed."""


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
        data = yaml.load(yaml_text, Loader=_FrontMatterLoader if "*" in yaml_text else _AliasFreeLoader)
    except FrontMatterError:
        raise
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


def front_matter_text(fields: Iterable[tuple[str, object]]) -> str:
    """Front matter between `---` lines, one `name: value` line per field, each of which YAML
    reads back as exactly the value, whatever text it holds: the one writer for `new` and the
    importer. Lists are written `[a, b]`, the way editors write them; times as ISO 8601."""
    lines = []
    for name, value in fields:
        if isinstance(value, datetime):
            lines.append(f"{name}: {value.isoformat()}\n")
        elif isinstance(value, list):
            lines.append(f"{name}: " + yaml.safe_dump(value, allow_unicode=True, width=float("inf"), default_flow_style=True))
        else:
            lines.append(yaml.safe_dump({name: value}, allow_unicode=True, width=float("inf"), default_flow_style=False))
    return "---\n" + "".join(lines) + "---\n"


def field_line(yaml_text: str, name: str) -> int | None:
    """The file line where a top-level field is set, for pointing editors at it."""
    pattern = re.compile(rf"^{re.escape(name)}\s*:")
    for index, line in enumerate(yaml_text.splitlines()):
        if pattern.match(line):
            return index + 2
    return None
