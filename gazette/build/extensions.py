"""Which Python-Markdown extensions a body needs: each one only where its text could use it.

Every body is rendered as if with the whole set (`ALL`), but an extension whose syntax a body
does not contain does nothing to it, and costs time all the same: a body with none of "extra"'s
syntax renders a fifth faster without it. Each extension is listed with a pattern that finds
anything in a text that could make it act; the patterns err on the side of loading an
extension. `tests/build/test_extensions.py` proves the result byte for byte the same as the
whole set's, over the generated corpus, the fixtures and generated Markdown.
"""

from __future__ import annotations

import re

# What "extra" loads, in its order, then the others the site uses.
EXTRA = ("fenced_code", "footnotes", "attr_list", "def_list", "tables", "abbr", "md_in_html")
ALL = (*EXTRA, "sane_lists", "toc", "codehilite")

# A line's start (MULTILINE), after any indentation and blockquote markers: lists and quotes nest.
# Or just after any ">": what follows a raw HTML block's closing tag on its line is a block of
# its own ("<div>x</div> >     code" holds a quoted code block).
_LINE = r"(?:^|>)[ \t>]*"
_FENCES = ("```", "~~~")
_FENCE = "|".join(_FENCES)
_END = r"(?=\n?\Z)"  # the end of the text, or just before its last newline
TRIGGERS: dict[str, re.Pattern[str]] = {
    "fenced_code": re.compile(_FENCE),
    "footnotes": re.compile(r"\[\^"),
    "attr_list": re.compile(r"\{"),
    "def_list": re.compile(_LINE + r":", re.M),
    "tables": re.compile(r"\|"),
    "abbr": re.compile(r"\*\["),
    "md_in_html": re.compile(r"<"),  # it parses raw HTML its own way, markdown="1" or not
    "sane_lists": re.compile(_LINE + r"(?:[*+-]|\d+[.)])(?:[ \t]|" + _END + ")", re.M),
    # Headings get their ids: "#" headings, "===" or "---" underlined ones, and [TOC].
    "toc": re.compile(r"#|" + _LINE + r"(?:=+|-+)[ \t]*(?:\n|\Z)|\[TOC\]", re.M),
    # Code blocks: fenced, or indented by four spaces or a tab.
    "codehilite": re.compile(_FENCE + "|" + _LINE + r"(?: {4}|\t)", re.M),
}
# What a text holds wherever a trigger can match it: most texts lack it, and `in` finds that
# out far faster than the expression does (an indented code block needs a tab or four spaces).
_PREREQUISITES: dict[str, tuple[str, ...]] = {
    "fenced_code": _FENCES,
    "codehilite": (*_FENCES, "    ", "\t"),
}


def extensions_for(text: str) -> tuple[str, ...]:
    """The extensions of `ALL` (in its order) that `text` could make do anything."""
    if "\r" in text:  # Markdown reads \r\n and \r as line ends
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return tuple(name for name in ALL if could_use(name, text))


def could_use(name: str, text: str) -> bool:
    """Whether extension `name` could act on `text` (its line ends already made newlines)."""
    prerequisites = _PREREQUISITES.get(name)
    if prerequisites is not None and not any(needed in text for needed in prerequisites):
        return False
    return TRIGGERS[name].search(text) is not None
