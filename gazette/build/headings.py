"""A body's headings: a link on each that a reader can copy, and a table of contents before the
body, asked for with `toc: true` or made by itself when a body has enough `##` sections.

Both work on the final HTML (after the sanitizer and the renaming of ids the templates use), so
the contents link to the ids the page really has."""

from __future__ import annotations

import html
import re
from typing import Callable

# A body with at least this many `##` headings gets a table of contents without asking.
AUTO_TOC_SECTIONS = 4
# Words the links carry, in the site's language (see `MarkdownRenderer`).
CONTENTS_LABEL = "Contents"
ANCHOR_LABEL = "Link to this section"

_HEADING = re.compile(r'<h([2-4]) id="([^"]+)">(.*?)</h\1>', re.S)
# What `with_headings` adds, as it writes it: for `without_page_aids`.
_HEADING_LINK = re.compile(r' <a class="heading-link" href="#[^"]*" aria-label="[^"]*">#</a>(?=</h[2-4]>)')
_CONTENTS = re.compile(r'<nav class="toc" [^>]*>.*?</nav>\n?', re.S)
_TAG = re.compile(r"<[^>]+>")


def headings(body_html: str) -> list[tuple[int, str, str]]:
    """(level, id, text as HTML-escaped plain text) of the body's h2 to h4 headings with ids."""
    return [(int(level), anchor, html.escape(html.unescape(_TAG.sub("", inner)).strip(), quote=False))
            for level, anchor, inner in _HEADING.findall(body_html)]


def wants_contents(found: list[tuple[int, str, str]], asked: bool | None) -> bool:
    """`toc: true` or `false` decides; without it, enough `##` sections do."""
    if asked is not None:
        return asked and bool(found)
    return sum(1 for level, _anchor, _text in found if level == 2) >= AUTO_TOC_SECTIONS


def table_of_contents(found: list[tuple[int, str, str]], label: str) -> str:
    """A list of links to the `##` headings, each with its `###` ones, as a labelled `nav`
    (a `###` before the first `##` is listed at the top)."""
    items: list[tuple[str, str, list | None]] = []  # (id, text, the ### under a ##)
    for level, anchor, text in found:
        if level == 3 and items and items[-1][2] is not None:
            items[-1][2].append((anchor, text))
        elif level <= 3:
            items.append((anchor, text, [] if level == 2 else None))

    def link(anchor: str, text: str) -> str:
        return f'<a href="#{anchor}">{text}</a>'

    rows = "".join(
        f"<li>{link(anchor, text)}"
        + (f"<ol>{''.join(f'<li>{link(*child)}</li>' for child in children)}</ol>" if children else "")
        + "</li>"
        for anchor, text, children in items)
    return (f'<nav class="toc" aria-label="{html.escape(label)}" data-pagefind-ignore>'
            f'<p class="toc-title">{html.escape(label)}</p><ol>{rows}</ol></nav>')


def add_heading_links(body_html: str, label: str) -> str:
    """A `#` link at the end of each h2 to h4, to copy the section's address; screen readers
    hear `label` (search indexes no lone `#`)."""
    escaped = html.escape(label)

    def with_link(match: re.Match) -> str:
        level, anchor, inner = match.groups()
        return f'<h{level} id="{anchor}">{inner} <a class="heading-link" href="#{anchor}" aria-label="{escaped}">#</a></h{level}>'

    return _HEADING.sub(with_link, body_html)


def with_headings(body_html: str, asked: bool | None, gettext: Callable[[str], str] = lambda text: text) -> str:
    """The body with a link on each heading and, where wanted, its contents before it."""
    found = headings(body_html)
    if not found:
        return body_html
    linked = add_heading_links(body_html, gettext(ANCHOR_LABEL))
    if wants_contents(found, asked):
        return table_of_contents(found, gettext(CONTENTS_LABEL)) + "\n" + linked
    return linked


def without_page_aids(body_html: str) -> str:
    """The body without its contents and heading links: aids to reading the page, which
    a feed reader shows as clutter."""
    if 'class="heading-link"' not in body_html:
        return body_html
    return _HEADING_LINK.sub("", _CONTENTS.sub("", body_html, count=1))
