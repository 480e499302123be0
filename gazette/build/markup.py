"""Render article bodies from Markdown to HTML (the expensive part of a build)."""

from __future__ import annotations

import html
import importlib
import math
import re
from dataclasses import dataclass

import markdown
import nh3
import pygments
from markdown.extensions import Extension

from gazette.build.deadline import DeadlineExceeded, deadline
from gazette.build.embeds import make_embeds
from gazette.build.extensions import ALL as EXTENSIONS
from gazette.build.extensions import extensions_for
from gazette.build.headings import with_headings
from gazette.build.inline import use_selective_inline
from gazette.build.links import recorded_links, site_images
from gazette.errors import LocatedError

WORDS_PER_MINUTE = 230
_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_TAG = re.compile(r"<[^>]+>")
_TABLE_TAG = re.compile(r"<(/?)table\b[^>]*>", re.I)
# A column's alignment, as the sanitizer leaves it: made a class, since the pages' security
# policy allows no style attributes.
_ALIGN_STYLE = re.compile(r'<(th|td)\b([^>]*?) style="text-align:\s*(left|center|right|justify);?"([^>]*)>')

# The words a body's own HTML carries (a table's label, a footnote's back link), in the site's
# language: a body is rendered for one language, and cached under it (`renderer_signature`).
TABLE_LABEL = "Table"
CODE_LABEL = "Code"
_CODE_BLOCK = re.compile(r'<div class="highlight">')
BACKLINK_TITLE = "Jump back to footnote %d in the text"


def table_box(label: str = TABLE_LABEL) -> str:
    return f'<div class="table-scroll" role="region" aria-label="{html.escape(label)}" tabindex="0">'

# Python-Markdown recurses once per nesting level and scans link brackets in
# quadratic time: refuse such input with a clear message instead of hanging.
MAX_NESTING = 50
MAX_BRACKETS_PER_BLOCK = 500

# What article bodies may keep when their HTML is not trusted: formatting,
# links, images, tables, footnotes and heading anchors; never scripts, styles,
# event handlers, forms, frames or javascript: URLs.
SAFE_TAGS = nh3.ALLOWED_TAGS | {"sup", "sub", "figure", "figcaption", "details", "summary"}
SAFE_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "hreflang", "rel"},
    "img": {"src", "alt", "width", "height", "loading"},
    "th": {"align", "colspan", "rowspan", "scope", "style"},
    "td": {"align", "colspan", "rowspan", "style"},
    "abbr": {"title"},
    "ol": {"start", "reversed", "type"},
    "time": {"datetime"},
}


# Ids the article template gives its own elements (the skip link's target, the related
# stories' heading, each correction notice): a heading "## Main" or a raw `id="main"` in a
# body must not take them.
TEMPLATE_IDS = frozenset({"main", "related-heading", "corrections-heading"})
NUMBERED_TEMPLATE_IDS = ("correction-",)  # correction-1, correction-2 ...
_TEMPLATE_ID = re.compile(r'(\sid=")(%s|(?:%s)\d+)(")' % (
    "|".join(map(re.escape, sorted(TEMPLATE_IDS))), "|".join(map(re.escape, NUMBERED_TEMPLATE_IDS))))


class MarkupError(LocatedError):
    """A body Markdown cannot render: too deep, too many brackets, too slow."""


def check_limits(text: str) -> None:
    """Raise MarkupError (with the body line) for input that would hang or crash Markdown."""
    brackets_in_block = 0
    block_start = 1
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            brackets_in_block, block_start = 0, number + 1
            continue
        expanded = line.expandtabs(4)
        indent = (len(expanded) - len(expanded.lstrip(" "))) // 4
        quotes = len(re.match(r"[>\s]*", line).group(0).replace(" ", "").replace("\t", ""))
        if indent + quotes > MAX_NESTING:
            raise MarkupError(f"Markdown nested more than {MAX_NESTING} levels deep", number)
        brackets_in_block += line.count("[")
        if brackets_in_block > MAX_BRACKETS_PER_BLOCK:
            raise MarkupError(
                f"more than {MAX_BRACKETS_PER_BLOCK} '[' in one paragraph; escape them as \\[ if they are text",
                block_start,
            )


def sanitize(body_html: str) -> str:
    return nh3.clean(
        body_html,
        tags=SAFE_TAGS,
        attributes=SAFE_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        filter_style_properties={"text-align"},
        link_rel=None,
        strip_comments=True,
    )


def align_classes(body_html: str) -> str:
    """`style="text-align:right"` on a table cell as `class="align-right"`."""

    def as_class(match: re.Match) -> str:
        tag, before, align, after = match.groups()
        attributes = before + after
        if ' class="' in attributes:
            attributes = attributes.replace(' class="', f' class="align-{align} ', 1)
            return f"<{tag}{attributes}>"
        return f'<{tag}{attributes} class="align-{align}">'

    return _ALIGN_STYLE.sub(as_class, body_html) if ' style="text-align:' in body_html else body_html


def box_tables(body_html: str, label: str = TABLE_LABEL) -> str:
    """Put each table (the outermost, when tables nest) in a labelled box that scrolls
    sideways and takes keyboard focus: a wide table then scrolls within the article, for
    keyboard users too, instead of widening the page on a phone."""
    pieces, depth, start, done = [], 0, 0, 0
    for tag in _TABLE_TAG.finditer(body_html):
        if not tag.group(1):
            depth += 1
            if depth == 1:
                start = tag.start()
        elif depth:
            depth -= 1
            if depth == 0:
                pieces += [body_html[done:start], table_box(label), body_html[start:tag.end()], "</div>"]
                done = tag.end()
    return "".join(pieces) + body_html[done:] if pieces else body_html


@dataclass(frozen=True)
class RenderedBody:
    html: str
    excerpt: str  # plain text of the first paragraph, for summaries
    words: int
    links: tuple[tuple[str, int | None], ...] = ()  # each URL with its line in the Markdown (see links.py)
    images: tuple[str, ...] = ()  # the site's own images it shows, as paths under static/ ("images/x.jpg")

    @property
    def reading_minutes(self) -> int:
        return reading_minutes(self.words)


def reading_minutes(words: int) -> int:
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def plain_text(fragment: str) -> str:
    return html.unescape(_TAG.sub("", fragment)).strip()


def shorten(text: str, limit: int = 280) -> str:
    """Cut at a word boundary so a summary never ends mid-word."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def renderer_signature(trusted_html: bool, code_digest: str, language: str = "en") -> str:
    """What a rendered body depends on besides its text: cached bodies are valid only under
    it. `code_digest`: of Gazette's own code (`Project.code_digest`), whose version number is
    not bumped for every change; `language`: of the words the HTML carries."""
    return (f"gazette {code_digest}|markdown {markdown.__version__}|nh3 {nh3.__version__}|pygments {pygments.__version__}|{EXTENSIONS}"
            f"|trusted={trusted_html}|language={language}")


def _extension(name: str, config: dict) -> Extension:
    """Python-Markdown's own extension `name`, made from its module: named by a string, it
    makes Markdown list every installed package's entry points first (20 ms a process)."""
    return importlib.import_module(f"markdown.extensions.{name}").makeExtension(**config)


class MarkdownRenderer:
    """Python-Markdown instances reused across articles, one for each set of extensions
    bodies need (see `gazette.build.extensions`), each trying an inline pattern only where a
    text could match it (`gazette.build.inline`): `reset()` is much cheaper than building
    the extension pipeline for every body."""

    def __init__(self, trusted_html: bool = False, time_limit: float = 5.0, gettext=lambda text: text) -> None:
        """`gettext`: the site's words for the labels a body carries (`Wording.gettext`)."""
        self._trusted_html = trusted_html
        self._time_limit = time_limit
        self._table_label = gettext(TABLE_LABEL)
        # A code block scrolls sideways in its own box, by keyboard too, as a table does.
        self._code_box = f'<div class="highlight" role="region" aria-label="{html.escape(gettext(CODE_LABEL))}" tabindex="0">'
        self._backlink_title = gettext(BACKLINK_TITLE)
        self._gettext = gettext
        self._instances: dict[tuple[str, ...], markdown.Markdown] = {}

    def _markdown(self, extensions: tuple[str, ...]) -> markdown.Markdown:
        if extensions not in self._instances:
            configs: dict[str, dict] = {"footnotes": {"BACKLINK_TITLE": self._backlink_title}}
            if "codehilite" in extensions:
                # Pygments' formatter and lexers load with the first code block, never in a build without one.
                from gazette.build.code import CODEHILITE

                configs["codehilite"] = CODEHILITE
            self._instances[extensions] = use_selective_inline(markdown.Markdown(
                extensions=[_extension(name, configs.get(name, {})) for name in extensions], output_format="html"))
        return self._instances[extensions]

    def render(self, text: str, toc: bool | None = None) -> RenderedBody:
        """Markdown to HTML; raises MarkupError for input beyond the limits, or that takes
        longer than the time limit (Python-Markdown backtracks on some shapes of text).
        `toc`: the document's `toc:` (None: a table of contents when it has enough sections)."""
        check_limits(text)
        extensions = extensions_for(text)
        try:
            with deadline(self._time_limit):
                body_html = self._markdown(extensions).reset().convert(text)
        except RecursionError:
            raise MarkupError("Markdown nested too deeply to render") from None
        except DeadlineExceeded:
            # Interrupted midway, the instance may hold half a document: start afresh.
            del self._instances[extensions]
            raise MarkupError(
                f"the body did not render within {self._time_limit:g} s (markdown_time_limit in site.toml); "
                "long runs of '<', '`' or unclosed HTML tags make Markdown slow: escape them"
            ) from None
        if not self._trusted_html:
            body_html = align_classes(sanitize(body_html))
        body_html = _TEMPLATE_ID.sub(r"\1\2-1\3", box_tables(body_html, self._table_label))
        body_html = _CODE_BLOCK.sub(self._code_box, body_html).replace("<pre><span></span>", "<pre>")
        first = _FIRST_PARAGRAPH.search(body_html)
        excerpt = shorten(plain_text(first.group(1))) if first else ""
        words = len(plain_text(body_html).split())  # before the words of heading links and embed cards
        body_html = with_headings(make_embeds(body_html, self._gettext), toc, self._gettext)
        return RenderedBody(
            html=body_html,
            excerpt=excerpt,
            words=words,
            links=recorded_links(body_html, text),
            images=site_images(body_html),
        )
