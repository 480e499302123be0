"""The links a rendered body puts on its page, each with the line of the Markdown it was
written on: recorded once, when the body renders, and kept with it in the cache, so that
`check` blames a broken one on its article and line without reading the body again."""

from __future__ import annotations

import html
import re

# An attribute that holds a URL, in any quoting (trusted raw HTML keeps its own).
_URL_ATTRIBUTE = re.compile(r"""\s(href|src|srcset|poster)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)
_SRCSET_CANDIDATE = re.compile(r"\s*([^\s,][^\s]*?)(?:,(?=\s)|\s+[^,]*(?:,|$)|$)")
_LINK_OPENINGS = ("](", "](<", "]: ", "]:", "<", '="', "='", '"', "'")


def srcset_urls(value: str) -> list[str]:
    """The URLs in a srcset ("a.jpg 1x, b.jpg 2x"), without their width or density."""
    return [match.group(1).rstrip(",") for match in _SRCSET_CANDIDATE.finditer(value) if match.group(1)]


def body_links(body_html: str) -> list[str]:
    """Every URL the HTML refers to, in order, once each, character references decoded."""
    found: list[str] = []
    for name, double_quoted, single_quoted, unquoted in _URL_ATTRIBUTE.findall(body_html):
        value = double_quoted or single_quoted or unquoted
        value = html.unescape(value) if "&" in value else value
        found.extend(srcset_urls(value) if name.lower() == "srcset" else [value])
    return list(dict.fromkeys(found))


def recorded_links(body_html: str, markdown: str) -> tuple[tuple[str, int | None], ...]:
    """(URL, line of `markdown` where it is written, or None) for each link of the body."""
    return tuple((url, find_link_line(markdown, url)) for url in body_links(body_html))


def find_link_line(text: str, written: str, start_line: int = 1) -> int | None:
    """The 1-based line of `text` where the link `written` is written, searching from
    `start_line` (an article's body) first: as a Markdown link, a reference, an autolink or
    an HTML attribute, else anywhere."""
    lines_before = text.split("\n", start_line - 1)
    start = len(text) - len(lines_before[-1]) if len(lines_before) == start_line else 0
    spellings = dict.fromkeys([written, html.escape(written, quote=False), html.escape(written)])
    for opening in (*_LINK_OPENINGS, ""):
        for spelling in spellings:
            for offset in (start, 0):
                index = text.find(opening + spelling, offset)
                if index >= 0:
                    return text.count("\n", 0, index) + 1
    return None
