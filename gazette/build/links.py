"""The links in HTML, found one way for everyone: the links a rendered body puts on its page,
each with the line of the Markdown it was written on (recorded once, when the body renders,
and kept with it in the cache, so that `check` blames a broken one on its article and line
without reading the body again), and the links `check` reads from every built page."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from urllib.parse import unquote

# One regular expression finds every tag, skipping comments and the contents of raw-text
# elements, whose "<a href" is text, not a tag. It is three times faster than html.parser on
# the built pages (2 s against 6 s of CPU for 10,000 articles); tests hold it to html.parser's
# results on tricky input. Names exclude "<" so that a stray "<a<a<a..." cannot make it
# quadratic.
_ATTRIBUTES = r"""((?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?|\s*/(?!>))*)"""
_MARKUP = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<(script|style|textarea|title)\b" + _ATTRIBUTES + r"\s*/?>.*?(?:</\1\s*>|\Z)"
    r"|<([a-zA-Z][^\s/<>]*)" + _ATTRIBUTES + r"\s*/?>",
    re.S | re.I,
)
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_WANTED_ATTRIBUTE = re.compile(r"(?:id|href|src|srcset|name|poster|content)\s*=", re.I)


def parse_attributes(text: str) -> dict[str, str]:
    """Attributes of one tag, names lower-cased, values with character references decoded."""
    attributes: dict[str, str] = {}
    for name, double_quoted, single_quoted, unquoted in _ATTRIBUTE.findall(text):
        name = name.lower()
        if name not in attributes:  # HTML keeps the first of duplicated attributes
            value = double_quoted or single_quoted or unquoted
            attributes[name] = html.unescape(value) if "&" in value else value
    return attributes
# <meta> values that are URLs of this site's pages or images (Open Graph and Twitter cards).
URL_META_PROPERTIES = frozenset(
    {"og:url", "og:image", "og:image:url", "og:image:secure_url", "og:audio", "og:video", "twitter:image"}
)
_SRCSET_CANDIDATE = re.compile(r"\s*([^\s,][^\s]*?)(?:,(?=\s)|\s+[^,]*(?:,|$)|$)")
_LINK_OPENINGS = ("](", "](<", "]: ", "]:", "<", '="', "='", '"', "'")


def srcset_urls(value: str) -> list[str]:
    """The URLs in a srcset ("a.jpg 1x, b.jpg 2x"), without their width or density."""
    return [match.group(1).rstrip(",") for match in _SRCSET_CANDIDATE.finditer(value) if match.group(1)]


def tags_with_attributes(text: str) -> Iterator[tuple[str, dict[str, str]]]:
    """(tag name, attributes) of every tag that may hold an id or a URL, in order."""
    for raw_text_tag, raw_text_attributes, ordinary_tag, ordinary_attributes in _MARKUP.findall(text):
        attribute_text = ordinary_attributes or raw_text_attributes  # both empty for a comment
        # Most tags carry only a class: skip them before the (slower) full attribute parse.
        if attribute_text and _WANTED_ATTRIBUTE.search(attribute_text):
            yield (ordinary_tag or raw_text_tag).lower(), parse_attributes(attribute_text)


def tag_links(tag: str, attributes: dict[str, str]) -> list[str]:
    """The URLs one tag refers to (a <base href> is not a link: it changes what links mean)."""
    if tag == "base":
        return []
    links = [attributes[name] for name in ("href", "src", "poster") if name in attributes]
    if "srcset" in attributes:
        links.extend(srcset_urls(attributes["srcset"]))
    if tag == "meta" and "content" in attributes:
        if (attributes.get("property") or attributes.get("name") or "").lower() in URL_META_PROPERTIES:
            links.append(attributes["content"])
    return links


def body_links(body_html: str) -> list[str]:
    """Every URL the HTML refers to, in order, once each, as `check` reads them from the page."""
    return list(dict.fromkeys(url for tag, attributes in tags_with_attributes(body_html) for url in tag_links(tag, attributes)))


def site_path(url: str) -> str | None:
    """The file under the site root a root-relative URL names ("/images/a%20b.png" ->
    "images/a b.png"); None for any other URL."""
    if not url.startswith("/") or url.startswith("//"):
        return None
    return unquote(url[1:].split("#", 1)[0].split("?", 1)[0])


def site_images(body_html: str) -> tuple[str, ...]:
    """The site's own images a body shows (`<img src="/images/x.png">`), as paths under the
    site root, once each, found by the same scanner as its links."""
    found = (site_path(attributes.get("src", "")) for tag, attributes in tags_with_attributes(body_html) if tag == "img")
    return tuple(dict.fromkeys(path for path in found if path))


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
