"""Fast render: when an editor saves an article, the pages browsers are showing that show it
are rendered again at once from the last complete build's plan, kept in memory, and served
until the complete build that follows replaces them (as Hugo's fast render mode does).

The complete build still runs after every save, and the output folder still changes only by
a complete build: a fast page lives in memory only. What a fast render cannot show exactly
(a new or deleted file, a template, site.toml, a moved or rescheduled article) it leaves to
the complete build, as does any fault of its own.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from gazette.build.bodies import without_body
from gazette.build.markup import MarkdownRenderer, MarkupError
from gazette.build.wording import Wording
from gazette.errors import GazetteError
from gazette.model.article import read_article
from gazette.model.content import load_body, read_article_file
from gazette.model.site import Entry

if TYPE_CHECKING:
    from gazette.build.pipeline import BuiltSite

REMEMBERED_PAGES = 16  # the pages browsers asked for last: those a fast render may render


class ShownPages:
    """What browsers asked for lately, and the pages a fast render made, which are served in
    place of the output folder's until the next complete build. Shared by the HTTP threads
    and the rebuild thread."""

    def __init__(self, remembered: int = REMEMBERED_PAGES) -> None:
        self._lock = threading.Lock()
        self._recent: OrderedDict[str, None] = OrderedDict()
        self._remembered = remembered
        self._fast: dict[str, bytes] = {}

    def visited(self, name: str) -> None:
        """A page of the output folder ("2021/03/story/index.html") was sent to a browser."""
        with self._lock:
            self._recent[name] = None
            self._recent.move_to_end(name)
            while len(self._recent) > self._remembered:
                self._recent.popitem(last=False)

    def recent(self) -> list[str]:
        with self._lock:
            return list(self._recent)

    def fast_page(self, name: str) -> bytes | None:
        return self._fast.get(name)

    def show(self, pages: Mapping[str, bytes]) -> None:
        self._fast = dict(pages)  # one assignment: a request sees the old pages or the new

    def clear(self) -> dict[str, bytes]:
        """Drop the fast pages (a complete build has replaced them); returns them."""
        shown, self._fast = self._fast, {}
        return shown


def substitute(value: object, replacements: Mapping[int, Entry]) -> object:
    """`value` with every entry whose id is in `replacements` swapped for its replacement,
    through lists, tuples, dicts and the model's frozen dataclasses (an index of a topic,
    a month, related stories); the very same object where nothing was swapped."""
    if isinstance(value, Entry):
        return replacements.get(id(value), value)
    if isinstance(value, (list, tuple)):
        items = [substitute(item, replacements) for item in value]
        if all(new is old for new, old in zip(items, value)):
            return value
        return items if isinstance(value, list) else tuple(items)
    if isinstance(value, dict):
        swapped = {key: substitute(item, replacements) for key, item in value.items()}
        return value if all(swapped[key] is value[key] for key in value) else swapped
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for field in dataclasses.fields(value):
            old = getattr(value, field.name)
            new = substitute(old, replacements)
            if new is not old:
                changes[field.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value


def render_fast(built: BuiltSite, changed: Iterable[Path], shown: Iterable[str], now: datetime) -> dict[str, bytes] | None:
    """The pages of `shown` (output file names) that show an article of `changed`, rendered
    with the article as it now reads: output file name -> bytes. None when the change is not
    only edits to existing articles that stay where they are, or one of them does not read
    or render (the complete build reports it)."""
    try:
        return _render_fast(built, changed, shown, now)
    finally:
        built.close_bodies()  # reading a stored body opens a connection to the cache


def _render_fast(built: BuiltSite, changed: Iterable[Path], shown: Iterable[str], now: datetime) -> dict[str, bytes] | None:
    options, plan = built.options, built.plan
    replacements: dict[int, Entry] = {}
    markdown = None
    for path in changed:
        old = built.entry_of(path)
        if old is None:
            return None  # a new or deleted file, a plain page, a template, site.toml...
        try:
            article, _ = read_article(old.article.source_path, read_article_file(path, plan.config.max_article_bytes),
                                      plan.config)
            if article.route != old.article.route or (article.draft and not options.drafts) or article.date > now:
                return None  # it moves, or leaves the site
            markdown = markdown or MarkdownRenderer(plan.config.trusted_html, plan.config.markdown_time_limit,
                                                    Wording(plan.config.language).gettext)
            body = markdown.render(load_body(article), article.toc)
        except (GazetteError, MarkupError, OSError):
            return None
        replacements[id(old)] = Entry(without_body(article), body)
    pages: dict[str, bytes] = {}
    for name in shown:
        page = built.page_of(name)
        if page is None:
            continue
        context = substitute(page.context, replacements)
        if context is not page.context:
            pages[name] = built.renderer.render(dataclasses.replace(page, context=context)).encode("utf-8")
    return pages

