"""Escape plain text so that Markdown shows it exactly as written.

Imported news is plain text, but Markdown gives meaning to much of it: a paragraph starting
"2028." becomes a numbered list, "#Hashtag" a heading, `*stars*` emphasis, `<tags>` raw HTML,
"&copy;" a symbol. The functions here turn plain text into Markdown source that Python-Markdown,
configured as `gazette.build.markup` does (extra, sane_lists, toc), renders back to the same text.
The property tests in tests/test_escape.py hold them to that.

Escaping is minimal where it is provably safe, so imported files stay readable for editors:
`snake_case_words`, "AT&T" and "1.5 billion" are written as they are.

Whitespace is the one thing that does not survive verbatim, because HTML collapses it anyway:
`normalize_text` states exactly what a paragraph becomes before it is escaped.
"""

from __future__ import annotations

import re

# Control characters other than whitespace: never text, invalid in HTML and XML feeds.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
# Whitespace that separates words: everything `str.isspace` knows except the no-break spaces,
# which an author puts on purpose ("10\u00a0km") and Markdown leaves alone.
_BREAKING_SPACE = re.compile(r"[^\S\u00a0\u2007\u202f]+")

# Characters with inline meaning anywhere in a line; all are in Markdown's ESCAPED_CHARS.
_ALWAYS_BACKSLASHED = frozenset("\\`*[{")
# `&` starts a character reference for one of Python-Markdown's stages if a `#` follows (its HTML
# parser reads "&#65 " as "A") or a name ending in ";" follows ("&copy;"). Elsewhere it is
# literal, so "AT&T" needs no escaping.
_REFERENCE_AFTER_AMPERSAND = re.compile(r"#|[\w.\-]*;")
# A paragraph starting like this would become a block other than a paragraph.
_ORDERED_LIST_START = re.compile(r"(\d+)\.(?=\s|$)")
_BACKSLASHED_STARTS = frozenset("#>+-")  # heading, quote, list items, rules
# `:` (definition list) and `~` (fenced code) are not in ESCAPED_CHARS: use a character reference.
_REFERENCED_STARTS = {":": "&#58;", "~": "&#126;"}
_WORD = re.compile(r"\w")


def normalize_text(text: str) -> str:
    """What a paragraph's text becomes in an article: the one change escaping does not undo.

    Control characters are dropped; every run of breaking whitespace (spaces, tabs, line breaks)
    becomes one space; both ends are stripped. No-break spaces inside the text are kept.
    A browser shows the result exactly as it would show the original.
    """
    return _BREAKING_SPACE.sub(" ", _CONTROL.sub("", text)).strip()


def _is_letter_or_digit(char: str) -> bool:
    """A word character for Markdown's `_` rules (its regexes use `\\w`), other than `_` itself."""
    return char != "_" and bool(_WORD.match(char))


def escape_inline(text: str, *, hashes: bool = False) -> str:
    """Escape the characters that have inline meaning. `text` must already be normalized.

    `_` between two letters or digits is left alone: Markdown never reads an intraword
    underscore as emphasis, so snake_case_words stay readable. `hashes=True` also escapes `#`,
    which a heading would otherwise lose at its end.
    """
    out: list[str] = []
    for index, char in enumerate(text):
        if char in _ALWAYS_BACKSLASHED or (hashes and char == "#"):
            out.append("\\" + char)
        elif char == "_":
            before = text[index - 1] if index else ""
            after = text[index + 1] if index + 1 < len(text) else ""
            intraword = bool(before and after) and _is_letter_or_digit(before) and _is_letter_or_digit(after)
            out.append("_" if intraword else "\\_")
        elif char == "<":
            out.append("&lt;")  # raw HTML, autolinks and comments all start with `<`
        elif char == "&" and _REFERENCE_AFTER_AMPERSAND.match(text, index + 1):
            out.append("&amp;")
        else:
            out.append(char)
    return "".join(out)


def escape_paragraph(text: str) -> str:
    """Markdown source for one paragraph that renders as `<p>` + `normalize_text(text)`.

    The result is a single line, so only its start can begin a block construct.
    """
    plain = normalize_text(text)
    escaped = escape_inline(plain)
    if not escaped:
        return escaped
    first = escaped[0]
    if first in _BACKSLASHED_STARTS:
        return "\\" + escaped
    if first in _REFERENCED_STARTS:
        return _REFERENCED_STARTS[first] + escaped[1:]
    numbered = _ORDERED_LIST_START.match(escaped)
    if numbered:
        return f"{numbered.group(1)}\\.{escaped[numbered.end():]}"
    return escaped


def markdown_heading(text: str, level: int = 2) -> str:
    """An ATX heading showing `normalize_text(text)` exactly (the words are kept as written)."""
    if not 1 <= level <= 6:
        raise ValueError(f"heading level must be 1 to 6, not {level}")
    return "#" * level + " " + escape_inline(normalize_text(text), hashes=True)
