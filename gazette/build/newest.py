"""The day's news, planned from the kept plan (see gazette.build.plan_store): the pages that
articles dated after every other change or add, made as a plan of the whole site makes them
(`pages.plan_pages`), reading only the pages and articles they show.

Such an article goes to the front of every list it is on: the home page, its topics, tags
and authors, its month. Pages are numbered from the oldest (`pagination.Pagination`), so of each
list only page 1 changes, with the list's feed; when the list gains a numbered page, that page
too, and the three newest numbered pages it had, whose pager changes. The pages that count or date the lists
change with them (the topics, tags and authors pages, the archive, its year, search,
corrections while there are none, or with its corrections: `corrected.corrections_again`), and so do the news sitemap and the sitemaps from the
newest article on (`pages.sitemap_order`). Its own page is new; the article just older links
to it; and the newest members of each of its topics and tags (`related.WINDOW` of them) find
it among the stories their related stories are ranked from.

A new topic, tag or author has its pages made as a plan makes them, and takes its place among
the others: on the pages listing them, and in the sitemaps.

So do new months and years in the archive.

Articles of the plan deleted since, and those added since among its own, are planned first
(`shifted.plan_shifted`): the news go over the pages as that left them (a list's page a
deletion took, the news may give back).

An article's pictures are made for its page beforehand (`images.catalog.added_pictures`).

`plan_newest` leaves to a plan of the whole site (returns None) what it does not plan: the
site's first tag or author, a term spelled anew, an article with old addresses, a site whose own templates may show a topic's whole index or a
list's number of pages on every page (`pages.ListTemplates`).
"""

from __future__ import annotations

import dataclasses
from array import array
from collections.abc import Mapping, Sequence
from datetime import datetime

from gazette.build import pages as planned
from gazette.build.corrected import corrections_again
from gazette.build.kept_entries import LazyEntries, as_cards
from gazette.build.kept_sitemaps import kept_sitemaps
from gazette.build.pages import (
    ListTemplates,
    Page,
    news_entries,
    plan_sitemaps,
)
from gazette.build.pagination import first_page, numbered_page
from gazette.build.plan_reader import PlanReader
from gazette.build.shifted import Shift
from gazette.build.term_places import new_term_anchors, with_new_terms
from gazette.build.wording import Wording
from gazette.images.catalog import Pictures
from gazette.model.related import WINDOW
from gazette.model.site import (
    Entry,
    MonthIndex,
    Teasers,
    TermHeading,
    TermIndex,
    YearIndex,
    newest_first,
    term_order,
)
from gazette.model.urls import (
    NEWS_SITEMAP_ROUTE,
    archive_route,
    authors_route,
    corrections_feed_route,
    corrections_route,
    feed_route,
    home_route,
    output_file,
    search_route,
    tags_route,
    topics_route,
)


class Prepended(Sequence[Entry]):
    """A list's entries with new ones in front, neither copied: `entries` of a topic with
    thousands of articles, of which a page reads a few."""

    def __init__(self, front: Sequence[Entry], rest: Sequence[Entry]) -> None:
        self._front = tuple(front)
        self._rest = rest

    def __len__(self) -> int:
        return len(self._front) + len(self._rest)

    def __getitem__(self, index):
        front = len(self._front)
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return tuple(self[number] for number in range(start, stop, step))
            return self._front[start:stop] + tuple(self._rest[max(0, start - front):max(0, stop - front)])
        if index < 0:
            index += len(self)
        return self._front[index] if index < front else self._rest[index - front]


def plan_newest(kept: PlanReader, added: Sequence[Entry], now: datetime, templates: ListTemplates,
                shift: Shift | None = None, pictures: Mapping[str, Pictures] | None = None) -> list[Page] | None:
    """The pages that `added`, each dated after every article of the `kept` plan, change or
    add, as a plan of the whole site with them makes them; None for what it leaves to such a
    plan (see the module). Takes `added` into `kept` (`PlanReader.add`). The plan's articles
    deleted since (`kept.removed`), and those added among its own (`kept.inserted`), are
    planned first (`shift`): the news go over the pages as it left them. `pictures`: those of
    the `added` articles' pages, by route (`images.catalog.added_pictures`)."""
    if not news_planned_here(kept, added, templates):
        return None
    ordered = newest_first(list(added))
    placed = kept.add(ordered)
    try:
        made = _Remade(kept, len(ordered), templates, shift or Shift(), pictures or {})
        made.lists(ordered)
        made.archive(ordered)
        made.articles(placed)
        made.news_sitemap(now)
        made.sitemaps(placed)
    except _LeftToTheWholePlan:
        return None
    return list(made.pages.values())


def news_planned_here(kept: PlanReader, added: Sequence[Entry], templates: ListTemplates) -> bool:
    """Whether `plan_newest` may plan `added` at all, as far as their own fields and addresses
    tell: each dated after every article of the `kept` plan, none with what it leaves to the
    whole plan, none at an address the plan gives another page. Cheap, and asked before a
    deletion beside them is planned."""
    if not added or kept.head.articles == 0 or templates.whole_term_index:
        return False
    oldest = min(added, key=_order)
    if _order(oldest) <= _order(kept.entry(kept.order.first)) or not all(map(_planned_here, added)):
        return False
    # An address the plan gives another page (an old address kept answering).
    return all(kept.page_named(output_file(entry.article.route)) is None for entry in added)


def split_news(kept: PlanReader, added: Sequence[Entry]) -> tuple[list[Entry], list[Entry]]:
    """`added` in two: those dated after every article of the `kept` plan (the news, which
    `plan_newest` plans), and those dated among them (`shifted.plan_shifted` plans those)."""
    if kept.head.articles == 0:
        return list(added), []
    newest = _order(kept.entry(kept.order.first))
    return [entry for entry in added if _order(entry) > newest], [entry for entry in added if _order(entry) <= newest]


def _order(entry: Entry) -> tuple:
    return entry.article.date, entry.article.slug  # as `site.newest_first`


def _planned_here(entry: Entry) -> bool:
    """Whether an added article's pages are all `plan_newest` makes: no old addresses."""
    return not entry.article.aliases


class _LeftToTheWholePlan(Exception):
    pass


class _Remade:
    """The pages made again or new, by route, as `plan_newest` makes them in turn."""

    def __init__(self, kept: PlanReader, added: int, templates: ListTemplates, shift: Shift,
                 pictures: Mapping[str, Pictures]) -> None:
        self.kept = kept
        self.shift = shift
        self.pictures = pictures
        self.added = added
        self.templates = templates
        self.config = kept.head.config
        self.pages: dict[str, Page] = {}
        self.indexes: dict[str, TermIndex] = {}  # the topics', tags' and authors' indexes made again, by route
        self.members: dict[str, Sequence[Entry]] = {}  # their articles as planned, by route
        self.gained: dict[str, list[Page]] = {}  # the numbered pages each list gains, by the route of its page 1
        self.term_pages: dict[str, list[Page]] = {}  # the pages of the new topics, tags and authors, by route
        # Where their pages go in the sitemaps (see `_listed`), in the plan's order: each before
        # the first of these routes the sitemaps have.
        self.new_terms: list[tuple[str, tuple[str, ...]]] = []
        self.archive_routes: tuple[str, ...] = ()  # the archive's pages in the plan's order (see `archive`)
        self.archive_pages_planned = 0  # how many the kept plan has
        self.words = Wording(self.config.language)
        topics = self._kept(topics_route())
        self.site_modified = topics.modified  # the newest article's, as the plan dated the site

    def _kept(self, route: str) -> Page:
        page = self._page_named(output_file(route))
        if page is None:
            raise _LeftToTheWholePlan(route)  # a new month, say
        return page

    def _page_named(self, name: str) -> Page | None:
        """The plan's page at output file `name`, as the articles deleted and inserted since left it."""
        return self.shift.page_named(self.kept, name)

    def _again(self, page: Page, modified: datetime | None = None, **context: object) -> None:
        self.pages[page.route] = dataclasses.replace(page, context={**page.context, **context},
                                                     modified=modified if modified is not None else page.modified)

    def _first_page(self, route: str, entries: Sequence[Entry], added: int, older_context: dict[str, object],
                    **context: object) -> None:
        """Page 1 of a list whose `entries` now start with `added` new ones (with `context`), and
        the numbered pages it gains (with `older_context`), as `pages._list_pages` makes them."""
        size = self.config.page_size
        last, count = first_page(len(entries), size)
        was = first_page(len(entries) - added, size)[0]
        page = self._kept(route)
        pagination = page.context["pagination"]
        if last != was:
            if not pagination.pager_only:
                raise _LeftToTheWholePlan(route)  # the site's templates may show the page count on every page
            self._gained(page, entries, was, last, older_context)
        shown = entries[:count]
        self._again(page, planned.newest(shown), **context, entries=Teasers(shown),
                    pagination=dataclasses.replace(pagination, last=last))

    def _gained(self, first: Page, entries: Sequence[Entry], was: int, last: int, older_context: dict[str, object]) -> None:
        """The numbered pages a list gains (from `was` pages to `last`), newest first as the
        plan has them, and the three newest it had, whose pager changes (`Pagination.identity`)."""
        pagination = first.context["pagination"]
        gained = self.gained[first.route] = []
        for number in range(last, max(1, was - 3), -1):
            numbered = dataclasses.replace(pagination, number=number, last=last)
            if number <= was:
                self._again(self._kept(pagination.route_for(number)), pagination=numbered)
                continue
            page = planned.list_page(numbered, numbered_page(entries, number, self.config.page_size),
                                     first.template, first.title, older_context, self.words)
            self._new(page)
            gained.append(page)

    def _dated(self, route: str, **context: object) -> None:
        """A page dated as the site is (its newest article), with `context` made again."""
        page = self._page_named(output_file(route))
        if page is not None:
            self._again(page, self.site_modified, **context)

    def lists(self, ordered: list[Entry]) -> None:
        """The home page and the pages of each topic, tag and author of the new articles, with
        their feeds; the pages listing every topic, tag and author."""
        self.site_modified = max(self.site_modified, *(entry.modified for entry in ordered))
        feed_size = self.config.feed_size
        entries = self.kept.entries()  # the added among them, at the front
        self._first_page(home_route(1), entries, self.added, {})
        self._again(self._kept(feed_route()), entries=entries[:feed_size])
        terms: dict[str, tuple[object, list[Entry]]] = {}
        for entry in ordered:
            article = entry.article
            for term in (*article.topics, *article.tags, *article.authors):
                terms.setdefault(term.route, (term, []))[1].append(entry)
        new_indexes = []
        for route, (term, new) in terms.items():
            if self._page_named(output_file(route)) is None:
                new_indexes.append(self._new_term(TermIndex(term, tuple(new))))
                continue
            index = self._kept(route).context["index"]
            if index.term.identity() != term.identity():
                raise _LeftToTheWholePlan(route)  # shown as the newest article spells it
            self.members[route] = index.entries
            index = self.indexes[route] = TermIndex(index.term, Prepended(new, index.entries))
            self._first_page(route, index.entries, len(new), {"index": TermHeading(index.term)}, index=index)
            self._again(self._kept(term.feed_route), entries=index.entries[:feed_size])
        for route, key in ((topics_route(), "indexes"), (tags_route(), "indexes"), (authors_route(), "indexes"),
                           (search_route(), "topics")):
            self._listed(route, key, [index for index in new_indexes
                                      if index.route.startswith(topics_route() if route == search_route() else route)])
        corrections = self._kept(corrections_route())
        if not corrections.context["corrections"]:  # dated as the site is until the first correction
            self._dated(corrections_route())
        corrected = [entry for entry in ordered if entry.article.corrections]
        if corrected:  # a story corrected since it was added: its corrections join the others
            remade = corrections_again(self.pages.get(corrections_route(), corrections),
                                       self.pages.get(corrections_feed_route()) or self._kept(corrections_feed_route()),
                                       (), corrected, feed_size)
            for page in remade or ():
                self.pages[page.route] = page

    def _new_term(self, index: TermIndex) -> TermIndex:
        """The pages of a topic, tag or author the plan does not have."""
        self.indexes[index.route] = index
        self.members[index.route] = LazyEntries(array("i"), self.kept)
        pages = planned.plan_term_pages(index, self.config, self.words, self.templates)
        for page in pages:
            self._new(page)
        self.term_pages[index.route] = pages
        return index

    def _listed(self, route: str, key: str, new: list[TermIndex]) -> None:
        """The page at `route` that lists every topic, tag or author (its `key`), dated as the site
        is, with the `new` ones in their places: alphabetical (`site.group_by_term`). Each new
        one's pages come in the plan before those of the one after it, else of what follows
        the list (`term_places.new_term_anchors`)."""
        page = self._page_named(output_file(route))
        if page is None:
            if new and route != search_route():
                raise _LeftToTheWholePlan(route)  # the first tag or author: the page listing them is new
            return
        listed = sorted([*(self.indexes.get(index.route, index) for index in page.context[key]), *new], key=term_order)
        self._dated(route, **{key: tuple(listed)})
        if route != search_route():
            self.new_terms += new_term_anchors(route, listed, self.term_pages)

    def archive(self, ordered: list[Entry]) -> None:
        """The months of the new articles (the plan's newest, or new ones), their years and the
        archive; and the order of the archive's pages in the plan (`archive_routes`)."""
        kept_years = self._kept(archive_route()).context["years"]
        years = list(kept_years)
        by_month: dict[tuple[int, int], list[Entry]] = {}
        for entry in ordered:  # newest first, so each month's are too
            by_month.setdefault((entry.article.date.year, entry.article.date.month), []).append(entry)
        for (year_number, month_number), entries in sorted(by_month.items()):  # oldest first: each goes in front
            year = years[0]
            if (year_number, month_number) == (year.year, year.months[0].month):  # the plan's newest month
                month = MonthIndex(year_number, month_number, Prepended(entries, year.months[0].entries))
                page = self._kept(month.route)
                self._again(page, max(page.modified, max(entry.modified for entry in entries)),
                            month=month, entries=Teasers(Prepended(entries, as_cards(year.months[0].entries))))
                years[0] = YearIndex(year.year, (month, *year.months[1:]))
                continue
            month = MonthIndex(year_number, month_number, tuple(entries))  # a month after all the plan's
            self._new(planned.archive_month_page(month, self.words))
            years[0:1] = [YearIndex(year.year, (month, *year.months))] if year_number == year.year else \
                [YearIndex(year_number, (month,)), year]
        for year in years[:len(years) - len(kept_years) + 1]:  # those new, and the plan's newest
            newest_month = self.pages.get(year.months[0].route)
            if year.year != kept_years[0].year:
                self._new(planned.archive_year_page(year, self.words))
            elif newest_month is not None:  # else it has no new article
                page = self._kept(year.route)
                self._again(page, max(page.modified, newest_month.modified), year=year)
        self._dated(archive_route(), years=tuple(years))
        self.archive_routes = (archive_route(), *(route for year in years for route in
                                                  (year.route, *(month.route for month in year.months))))
        self.archive_pages_planned = 1 + sum(1 + len(year.months) for year in kept_years)

    def _new(self, page: Page) -> None:
        """A page the plan does not have: the list's new page, a new term's, a new month's."""
        if self._page_named(page.output_file) is not None:
            raise _LeftToTheWholePlan(page.route)  # the plan has another page there (not one a deletion took)
        self.pages[page.route] = page

    def articles(self, placed: dict[int, Entry]) -> None:
        """The new articles' pages, and those of the articles whose neighbours they become:
        the one just older, and the newest of each of their topics and tags."""
        kept = self.kept
        older = kept.order.older_than(max(placed))  # the newest of the plan's articles left
        newest_kept = kept.entry(older)
        limit = self._kept(newest_kept.article.route).context["related"].finder.limit
        members: dict[str, list[int]] = {}  # each group's members (a topic's or tag's) that may change, newest first
        for place, entry in sorted(placed.items()):
            for term in (*entry.article.topics, *entry.article.tags):
                members.setdefault(term.route, []).append(place)
        changed: dict[int, dict[str, tuple[int, ...]]] = {older: {}}  # place -> its groups made again
        for route, new in members.items():
            old = self.members[route]
            if not isinstance(old, LazyEntries):
                raise _LeftToTheWholePlan(route)
            window = [*new, *old.places[:2 * WINDOW + 1]]
            for here, place in enumerate(window[:len(new) + WINDOW]):
                changed.setdefault(place, {})[route] = tuple(window[max(0, here - WINDOW):here + WINDOW + 1])
        for place, groups in sorted(changed.items()):
            route = kept.entry(place).article.route
            page = None if place in placed else self._kept(route)
            remade = kept.article_page_again(place, groups, limit, page, self.pictures.get(route, Pictures()))
            self.pages[remade.route] = remade

    def news_sitemap(self, now: datetime) -> None:
        page = self._kept(NEWS_SITEMAP_ROUTE)
        listed = news_entries(self.kept.entries(), now)
        if len(listed) >= planned.NEWS_MAX_ARTICLES:
            raise _LeftToTheWholePlan(NEWS_SITEMAP_ROUTE)
        self._again(page, entries=listed)

    def sitemaps(self, placed: dict[int, Entry]) -> None:
        """The sitemaps: the new articles after the plan's, the pages made again with their dates."""
        index = self._kept("sitemap.xml")
        articles = self.kept.head.articles - len(self.kept.removed) + len(self.kept.inserted)  # listed first, oldest first
        unread, chunks = kept_sitemaps(index, articles, self._kept)  # from the one the new articles enter
        articles -= len(unread) * planned.SITEMAP_MAX_URLS
        urls = [url for chunk in chunks for url in chunk.context["pages"]]
        new = [planned.SitemapUrl(entry.article.route, entry.modified) for _, entry in sorted(placed.items(), reverse=True)]
        others = []
        for url in urls[articles:]:
            others.append(planned.SitemapUrl(url.route, self.pages[url.route].modified) if url.route in self.pages else url)
            others += [planned.SitemapUrl(page.route, page.modified) for page in self.gained.get(url.route, ())]
        with_new_terms(others, self.new_terms, self.term_pages)
        start = [url.route for url in others].index(archive_route())  # the archive's pages, with the new months
        kept = {url.route: url for url in others[start:start + self.archive_pages_planned]}
        others[start:start + self.archive_pages_planned] = [
            planned.SitemapUrl(route, self.pages[route].modified) if route in self.pages else kept[route]
            for route in self.archive_routes]
        kept_chunks = {chunk.route: chunk for chunk in chunks}
        for page in plan_sitemaps([*urls[:articles], *new, *others], planned.SITEMAP_MAX_URLS, unread):
            if kept_chunks.get(page.route) != page:  # else it lists only older articles: as planned
                self.pages[page.route] = page
