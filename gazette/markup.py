"""Render article bodies from Markdown to HTML (the expensive part of a build)."""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass

import markdown

EXTENSIONS = ["extra", "sane_lists", "toc"]
WORDS_PER_MINUTE = 230
_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class RenderedBody:
    html: str
    excerpt: str  # plain text of the first paragraph, for summaries
    words: int

    @property
    def reading_minutes(self) -> int:
        return max(1, math.ceil(self.words / WORDS_PER_MINUTE))


def plain_text(fragment: str) -> str:
    return html.unescape(_TAG.sub("", fragment)).strip()


def shorten(text: str, limit: int = 280) -> str:
    """Cut at a word boundary so a summary never ends mid-word."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


class MarkdownRenderer:
    """One Python-Markdown instance reused across articles: `reset()` is much
    cheaper than building the extension pipeline for every body."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(extensions=EXTENSIONS, output_format="html")

    def render(self, text: str) -> RenderedBody:
        body_html = self._md.reset().convert(text)
        first = _FIRST_PARAGRAPH.search(body_html)
        return RenderedBody(
            html=body_html,
            excerpt=shorten(plain_text(first.group(1))) if first else "",
            words=len(plain_text(body_html).split()),
        )
