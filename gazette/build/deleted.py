"""Articles of the kept plan deleted since (see gazette.build.plan_store): the pages their
deletion changes, made as a plan of the whole site without them makes them
(`pages.plan_pages`), reading only the pages and articles they show.

A deleted article leaves every list it was on: the home page and the pages of its topics,
tags and authors. Pages are numbered from the oldest (`pages.Pagination`), so of each list the
page that showed it and every newer one change (each takes a story from the next newer page),
and the list's feed where it showed it. So do its month's page and its year's, the pages
that count the lists (the topics, tags and authors pages, search, the archive), the pages of
the stories just newer and older than it, and of the members of its topics and tags whose
related stories were ranked from a window it was in (`related.WINDOW` on either side); the
sitemaps from the one that listed the oldest of them on (the articles come first, oldest first),
and the news sitemap where it listed it. Its own page is gone, and the newest sitemap where it
empties.

A list with fewer stories may need fewer pages: its newest numbered pages go, page 1 takes their
stories, and the pager of the three newest numbered pages left changes (`Pagination.identity`).

`plan_deleted` leaves to a plan of the whole site (returns None) what it does not plan: a list
that loses a page where the site's own list templates may show the number of pages on every
page (`pages.ListTemplates`), a topic, tag, author or month left without articles, the article whose date
of change dates the site, an article with old addresses, corrections or pictures, one whose
identity another article has (of the plan, or added since: its published address may lead
there now), and any page that shows it but is none of the above (the plan's record of what
each page covers tells).
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from collections.abc import Collection, Sequence
from datetime import datetime

from gazette.build import pages as planned
from gazette.build.pages import (
    ARTICLE_TEMPLATE,
    ListTemplates,
    Page,
    first_page,
    news_entries,
    plan_sitemaps,
)
from gazette.build.plan_reader import LazyEntries, PlanReader
from gazette.model.related import WINDOW
from gazette.model.site import Entry, Teasers
from gazette.model.urls import (
    NEWS_SITEMAP_ROUTE,
    archive_route,
    authors_route,
    feed_route,
    home_route,
    output_file,
    search_route,
    tags_route,
    topics_route,
)


class _LeftToTheWholePlan(Exception):
    pass


@dataclasses.dataclass(frozen=True)
class Deletion:
    """The plan's pages a deletion changes, by place, as a plan of the whole site without the
    deleted articles makes them, and the routes of its pages that go (a list's pages it no
    longer fills)."""

    pages: dict[int, Page] = dataclasses.field(default_factory=dict)
    gone: tuple[str, ...] = ()

    def page_named(self, kept: PlanReader, name: str) -> Page | None:
        """The page the plan writes to output file `name`, as the deletion leaves it."""
        place = kept.place_of_file(name)
        if place is None or place >= kept.head.pages or name in map(output_file, self.gone):
            return None
        return self.pages.get(place) or kept.page(place)


def plan_deleted(kept: PlanReader, places: Collection[int], now: datetime, templates: ListTemplates,
                 news: Sequence[Entry] = ()) -> Deletion | None:
    """The pages the deletion of the articles at `places` changes or removes; None for what it
    leaves to a plan of the whole site (see the module), or where the site's own templates may
    show a topic's whole index on every page of its list (`pages.ListTemplates`). Call after
    `kept.remove(places)`, and before the `news` (the articles added since the plan) are
    planned over it (`newest.plan_newest`): the pages read show the plan's site without them."""
    if templates.whole_term_index:
        return None
    try:
        remade = _Remade(kept, sorted(places), now, news)
        return Deletion(remade.pages, tuple(remade.gone))
    except _LeftToTheWholePlan:
        return None


class _Remade:
    def __init__(self, kept: PlanReader, places: list[int], now: datetime, news: Sequence[Entry]) -> None:
        self.kept = kept
        self.places = places
        self.deleted = [kept.entry(place) for place in places]
        self.config = kept.head.config
        self.pages: dict[int, Page] = {}
        self.gone: list[str] = []  # the routes of the plan's pages that no longer are: pages a list lost
        site_modified = self._kept(topics_route()).modified  # the site's date: its newest change
        for entry in self.deleted:
            article = entry.article
            if article.aliases or article.corrections or article.image or entry.body.images:
                raise _LeftToTheWholePlan(article.route)
            if site_modified is None or entry.modified >= site_modified:
                raise _LeftToTheWholePlan(article.route)  # it dates the site
            others = [other for place, other in kept.edited.items() if place not in kept.removed]
            if [place for place in kept.places_with_identity(article.identity) if place not in kept.removed] or \
                    any(other.article.identity == article.identity for other in (*others, *news)):
                raise _LeftToTheWholePlan(article.route)  # its address may lead to another now
        self.lists()
        self.archive()
        self.articles()
        self.news_sitemap(now)
        self.sitemaps()
        self.check_coverage()

    def _kept(self, route: str) -> Page:
        page = self.kept.page_named(output_file(route))
        if page is None:
            raise _LeftToTheWholePlan(route)
        return page

    def _again(self, route: str, page: Page | None = None, **context: object) -> Page:
        page = page or self._kept(route)
        remade = dataclasses.replace(page, context={**page.context, **context}) if context else page
        self.pages[self.kept.place_of_file(page.output_file)] = remade
        return remade

    def lists(self) -> None:
        """The home page and the pages of each topic, tag and author of the deleted articles,
        with their feeds; the pages listing every topic, tag and author, and search."""
        self._list(home_route(1), self.kept.entries(), feed_route())
        terms = {term.route: term for entry in self.deleted
                 for term in (*entry.article.topics, *entry.article.tags, *entry.article.authors)}
        for route, term in terms.items():
            index = self._kept(route).context["index"]  # as read: without the deleted articles
            if not index.entries:
                raise _LeftToTheWholePlan(route)
            self._list(route, index.entries, term.feed_route)
        for route in (topics_route(), tags_route(), authors_route(), search_route()):
            if self.kept.page_named(output_file(route)) is not None:
                self._again(route)  # its counts and latest stories, as read

    def _list(self, route: str, entries: Sequence[Entry], feed: str) -> None:
        """A list's pages from the one that showed the oldest deleted article to page 1, each
        with the stories it holds now, and its feed where it showed a deleted one."""
        size = self.config.page_size
        places = entries.places if isinstance(entries, LazyEntries) else None
        if places is None:
            raise _LeftToTheWholePlan(route)
        now_total = len(entries)
        # Each deleted article's place in the list before: the articles newer than it then.
        gone = [place for place in self.places if self._on(place, route)]
        before = sorted(bisect_left(places, place) + number for number, place in enumerate(gone))
        total = now_total + len(gone)
        last, count = first_page(total, size)
        now_last, now_count = first_page(now_total, size)
        first = self._kept(route)
        pagination = first.context["pagination"]
        lost = range(now_last + 1, last + 1)  # the newest numbered pages, whose stories page 1 takes
        if lost and not pagination.pager_only:
            raise _LeftToTheWholePlan(route)  # the site's templates may show the page count on every page
        # Page 2 holds the oldest stories: the page of the oldest deleted one, every newer
        # numbered page and page 1 each take a story from the next newer. Where the list loses
        # pages, so does the pager of its three newest numbered pages (`Pagination.identity`).
        oldest = max(before)
        # Page 1 alone where it showed every deleted one (the numbered pages keep theirs).
        numbers = {1} if oldest < count else {1, *range((total - 1 - oldest) // size + 2, now_last + 1)}
        if lost:
            numbers.update(range(max(2, now_last - 2), now_last + 1))
        for number in sorted(numbers):
            shown = entries[:now_count] if number == 1 else planned.numbered_page(entries, number, size)
            page = self._kept(pagination.route_for(number)) if number > 1 else first
            self._again(page.route, dataclasses.replace(page, modified=planned.newest(shown)), entries=Teasers(shown),
                        pagination=dataclasses.replace(page.context["pagination"], last=now_last))
        self.gone += [pagination.route_for(number) for number in lost]
        if min(before) < self.config.feed_size:
            self._again(feed, entries=entries[:self.config.feed_size])

    def _on(self, place: int, route: str) -> bool:
        article = self.kept.entry(place).article
        return route == home_route(1) or route in {term.route for term in (*article.topics, *article.tags,
                                                                             *article.authors)}

    def archive(self) -> None:
        """The months and years of the deleted articles, and the archive, as read without them."""
        for entry in self.deleted:
            date = entry.article.date
            month = self._kept(archive_route(date.year, date.month))
            entries = month.context["month"].entries
            if not entries:
                raise _LeftToTheWholePlan(month.route)
            self._again(month.route, dataclasses.replace(month, modified=planned.newest(entries)),
                        entries=Teasers(entries))
            year = self._kept(archive_route(date.year))
            self._again(year.route, dataclasses.replace(
                year, modified=planned.newest(year.context["year"].months[0].entries)))
        self._again(archive_route())

    def articles(self) -> None:
        """The pages of the articles just newer and older than each deleted one, and of those
        whose related stories were ranked from a window it was in."""
        kept = self.kept
        changed: dict[int, dict[str, tuple[int, ...]]] = {}  # place -> its groups made again
        for place, entry in zip(self.places, self.deleted):
            for neighbour in (kept.newer_than(place), kept.older_than(place)):  # neither deleted
                if neighbour is not None:
                    changed.setdefault(neighbour, {})
            for term in (*entry.article.topics, *entry.article.tags):
                members = self._kept(term.route).context["index"].entries.places  # without the deleted
                here = bisect_left(members, place)  # where it was
                for at in range(max(0, here - WINDOW), min(len(members), here + WINDOW)):
                    changed.setdefault(members[at], {})[term.route] = tuple(
                        members[max(0, at - WINDOW):at + WINDOW + 1])
        for place, groups in sorted(changed.items()):
            page = self._kept(kept.entry(place).article.route)
            if page.template != ARTICLE_TEMPLATE or not hasattr(page.context["related"].finder, "groups"):
                raise _LeftToTheWholePlan(page.route)
            self._again(page.route, kept.article_page_again(place, groups, page.context["related"].finder.limit, page))

    def news_sitemap(self, now: datetime) -> None:
        page = self._kept(NEWS_SITEMAP_ROUTE)
        if any(entry in page.context["entries"] for entry in self.deleted):
            self._again(page.route, entries=news_entries(self.kept.entries(), now))

    def sitemaps(self) -> None:
        """The sitemaps, without the deleted articles, and with the pages made again dated anew.
        The articles come first, oldest first: those that list only articles older than every
        deleted one stay as planned, and are not read."""
        index = self._kept("sitemap.xml")
        unread: list[tuple[str, datetime | None]] = []
        if index.template == "sitemap.xml":
            chunks = [index]
        else:  # the oldest deleted article is listed at its count of older articles
            listed_at = self.kept.head.articles - 1 - max(self.places)
            unread = index.context["sitemaps"][:listed_at // planned.SITEMAP_MAX_URLS]
            chunks = [self._kept(route) for route, _ in index.context["sitemaps"][len(unread):]]
        gone = {*(entry.article.route for entry in self.deleted), *self.gone}
        remade = {page.route: page for page in self.pages.values()}
        urls = [planned.SitemapUrl(url.route, remade[url.route].modified) if url.route in remade else url
                for chunk in chunks for url in chunk.context["pages"] if url.route not in gone]
        kept_chunks = {chunk.route: chunk for chunk in [index, *chunks]}
        made = plan_sitemaps(urls, planned.SITEMAP_MAX_URLS, unread)
        self.gone += sorted(kept_chunks.keys() - {page.route for page in made})  # the newest, where it empties
        for page in made:
            if kept_chunks.get(page.route) != page:
                self._again(page.route, page)

    def check_coverage(self) -> None:
        """Every page the plan records as showing a deleted article is made again, or its own."""
        own = {self.kept.place_of_file(output_file(route)) for route in
               (*(entry.article.route for entry in self.deleted), *self.gone)}
        covering = set(self.kept.pages_covering(set(self.places), set(self.places)))
        if not covering - own <= self.pages.keys():
            raise _LeftToTheWholePlan("a page that shows a deleted article")
