"""Fast render: when an editor saves an article, the pages browsers are showing that show it
are rendered again at once from the last complete build's plan, kept in memory, and served
until a complete build holds the save (as Hugo's fast render mode does).

The complete build still runs after every save, and the output folder still changes only by
a complete build: a fast page lives in memory only. The fast render runs on its own thread,
so a save made while a complete build runs is shown at once too. What a fast render cannot
show exactly (a new or deleted file, a template, site.toml, a moved or rescheduled article)
it leaves to the complete build, as does any fault of its own.

A complete build of edits in place (gazette.build.in_place) hands over no whole plan: the
fast render keeps the last one, with every save since. Where such a build added or deleted
articles (the day's news, a retraction), the pages it wrote show what that plan lacks: the fast render
leaves them to the complete builds until one plans the site again (`FastRender._stale`), but
for the added articles' own pages, which the build hands over (`BuiltNews`): the editor
writing the day's story sees each save at once.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from gazette.build.keep_plan import titled_by
from gazette.build.markup import MarkdownRenderer, MarkupError
from gazette.build.substitute import substitute
from gazette.build.wording import Wording
from gazette.errors import GazetteError
from gazette.model.article import read_article
from gazette.model.content import load_body, read_article_file, without_body
from gazette.model.site import Entry
from gazette.preview.status import StatusBoard, changed_pages
from gazette.preview.watch import RebuildLoop

if TYPE_CHECKING:
    from gazette.build.built import BuiltNews, BuiltSite

REMEMBERED_PAGES = 16  # the pages browsers asked for last: those a fast render may render


class ShownPages:
    """What browsers asked for lately, and the pages a fast render made, which are served in
    place of the output folder's until a complete build holds their saves. Shared by the
    HTTP threads and the fast render's thread."""

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

    def show(self, pages: Mapping[str, bytes]) -> dict[str, bytes]:
        """Serve `pages` (output file name -> bytes) instead of the output folder's; returns
        the fast pages they replace."""
        shown, self._fast = self._fast, dict(pages)  # one assignment: a request sees the old pages or the new
        return shown


class FastRender:
    """The fast render beside the complete builds. It renders from the last complete build
    (`BuiltSite`) with every article saved since the complete build that holds it began
    (`_pending`), so that a page never shows an older text of an article saved twice.

    `lock` is held while the fast pages and the status change together, by this render's
    thread and by the complete build's when it publishes (see `PreviewServer`)."""

    def __init__(self, board: StatusBoard, shown: ShownPages, output_dir: Path) -> None:
        self.lock = threading.Lock()
        self._board = board
        self._shown = shown
        self._output_dir = output_dir
        self._built: BuiltSite | None = None
        self._saves = 0  # bursts of changes seen so far
        self._pending: dict[Path, int] = {}  # changed paths -> the burst that last changed them
        # The output files that complete builds of the news in place wrote since the plan it
        # holds: that plan does not show the news, so it must not render them.
        self._stale: set[str] = set()
        self._news: BuiltNews | None = None  # the news' own pages, from the last build in place that made them
        self._loop = RebuildLoop(self._show_saves)

    def start(self) -> None:
        self._loop.start()

    def stop(self) -> None:
        self._loop.stop()

    def notify(self, paths: Iterable[Path]) -> None:
        """Changed paths, from the watcher; shown on the open pages once the burst settles."""
        paths = list(paths)
        if not paths:
            return
        with self.lock:
            self._saves += 1
            self._pending.update(dict.fromkeys(paths, self._saves))
        self._loop.notify(paths)

    @property
    def holds_site(self) -> bool:
        """Whether it has a complete build to render from (none before the first, or after a
        first that failed): until then complete builds must hand it the whole plan."""
        with self.lock:
            return self._built is not None

    @property
    def saves(self) -> int:
        """How many bursts a complete build starting now holds, at least."""
        with self.lock:
            return self._saves

    def _show_saves(self, _changed: frozenset[Path]) -> None:
        with self.lock:
            if self._built is None or not self._pending:
                return
            pages = self._render()
            if not pages:
                return  # nothing open shows them, or the complete build must show them
            changed = self._swap(pages)
            self._board.update(lambda status: dataclasses.replace(
                status, generation=status.generation + 1, notices=(), changed=changed_pages(changed, status.base_path)))

    def _render(self) -> dict[str, bytes] | None:
        try:
            shown = [name for name in self._shown.recent() if name not in self._stale]
            return render_fast(self._built, list(self._pending), shown, datetime.now(timezone.utc), self._news)
        except Exception:  # noqa: BLE001 - the complete build that follows shows the edit, or its fault
            return None

    def _swap(self, pages: dict[str, bytes], written: Iterable[str] = ()) -> set[str]:
        """Serve `pages` as the fast pages; the output files whose served bytes this changes
        (with `written`, those the complete build wrote)."""
        old = self._shown.show(pages)
        changed = set(written) - set(old) - set(pages)
        for name in set(old) | set(pages):
            now = pages.get(name)
            if now is None:
                with contextlib.suppress(OSError):
                    now = (self._output_dir / name).read_bytes()
            if old.get(name) is None or old[name] != now:
                changed.add(name)
        return changed

    def build_done(self, built: BuiltSite | None, saves: int, written: Iterable[str]) -> set[str]:
        """A complete build that began after burst `saves` is published (call with `lock`
        held): render from it what is saved since; returns the output files whose served
        bytes changed. Without `built` (it failed), the last complete build stays."""
        if built is not None:
            self._built, self._stale, self._news = built, set(), None
        self._pending = {path: burst for path, burst in self._pending.items() if burst > saves}
        return self._render_saves(written)

    def edits_built(self, saves: int, written: Iterable[str], news: BuiltNews | None = None) -> set[str]:
        """A complete build of edits in place, that began after burst `saves`, is published
        (call with `lock` held): it made no whole plan, so the last complete build's stays, with
        every article saved since it began; returns the output files whose served bytes
        changed. Where it built articles that plan lacks (added since, or added and deleted
        again), or deleted articles it has, the files it wrote are stale. Those it added are
        rendered on their own pages from `news`, the pages it made for them; the others are
        left to the complete builds."""
        written = list(written)
        if self._built is not None:
            self._news = news
            beyond_plan = {path for path, burst in self._pending.items()
                           if burst <= saves and (self._built.entry_of(path) is None or not path.exists())}
            if beyond_plan:  # this build holds them: a page that shows one shows what it wrote
                self._stale.update(written)
                self._pending = {path: burst for path, burst in self._pending.items() if path not in beyond_plan}
            if news is not None:
                self._stale.difference_update(news.pages)
        return self._render_saves(written)

    def _render_saves(self, written: Iterable[str]) -> set[str]:
        pages = (self._render() or {}) if self._pending and self._built else {}
        return self._swap(pages, written)


def render_fast(built: BuiltSite, changed: Iterable[Path], shown: Iterable[str], now: datetime,
                news: BuiltNews | None = None) -> dict[str, bytes] | None:
    """The pages of `shown` (output file names) that show an article of `changed`, rendered
    with the article as it now reads: output file name -> bytes. None when the change is not
    only edits to existing articles (of `built`'s plan, or the `news` since) that stay where
    they are, or one of them does not read or render (the complete build reports it)."""
    try:
        return _render_fast(built, changed, shown, now, news)
    finally:
        built.close_bodies()  # reading a stored body opens a connection to the cache


def _render_fast(built: BuiltSite, changed: Iterable[Path], shown: Iterable[str], now: datetime,
                 news: BuiltNews | None) -> dict[str, bytes] | None:
    options, plan = built.options, built.plan
    news_pages = news.pages if news is not None else {}
    replacements: dict[int, Entry] = {}
    titles: dict[str, str] = {}  # article file -> its headline now, for the pages it titles (`titled_by`)
    markdown = None
    for path in changed:
        old = built.entry_of(path) or (news.entry_of(path) if news is not None else None)
        if old is None:
            return None  # a new file, a plain page, a template, site.toml...
        try:
            article, _ = read_article(old.article.source_path, read_article_file(path, plan.config.max_article_bytes),
                                      plan.config)
            if article.route != old.article.route or (article.draft and not options.drafts) or article.date > now:
                return None  # it moves, or leaves the site
            markdown = markdown or MarkdownRenderer(plan.config.trusted_html, plan.config.markdown_time_limit,
                                                    Wording(plan.config.language).gettext)
            body = markdown.render(load_body(article), article.toc)
        except (GazetteError, MarkupError, OSError):  # OSError: deleted, say
            return None
        replacements[id(old)] = Entry(without_body(article), body)
        titles[str(old.article.source_path)] = article.title
    pages: dict[str, bytes] = {}
    for name in shown:
        page = news_pages.get(name) or built.page_of(name)
        if page is None:
            continue
        context = substitute(page.context, replacements)
        if context is not page.context:
            title = titles.get(titled_by(page) or "", page.title)
            pages[name] = built.renderer.render(dataclasses.replace(page, title=title, context=context)).encode("utf-8")
    return pages

