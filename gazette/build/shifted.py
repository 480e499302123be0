"""Articles of the kept plan deleted since (see gazette.build.plan_store), and articles added
since that are dated among its own (a backdated or imported story): the pages their coming and
going changes, made as a plan of the whole site makes them (`pages.plan_pages`), reading only the
pages and articles they show.

Such an article shifts every list it leaves or joins: the home page and the pages of its topics,
tags and authors. Pages are numbered from the oldest (`pagination.Pagination`), so of each list the
page that showed it (or shows it now) and every newer one change, each giving a story to the
next newer page or taking one from it, and the list's feed where it showed it (or shows it).
So do its month's page and its year's, the pages that count the lists (the topics, tags and
authors pages, search, the archive), the pages of the stories just newer and older than it,
and of the members of its topics and tags whose related stories were ranked (or are ranked
now) from a window it was (or is) in (`related.WINDOW` on either side); the sitemaps from the
one that lists the oldest of them on (the articles come first, oldest first), and the news
sitemap where it lists or listed it. A deleted article's page is gone, and the newest sitemap
where it empties; an added one's page is new, and so is a sitemap where the last one fills.
An article moved to another address (`edited_files.moves_in_place`) is deleted and added: its
old page is its redirect now, as `permanence.keep_published` makes it.

A list with fewer stories may need fewer pages: its newest numbered pages go, page 1 takes their
stories, and the pager of the three newest numbered pages left changes (`Pagination.identity`).
A list with more gains pages as the news make them (`newest.plan_newest`). A topic, tag or
author of inserted articles alone has its pages made new, and takes its place among the others;
one left without articles loses its pages and feed, and its place on the page listing them. So
it goes for the archive's months and years (`archive_shift`).

`plan_shifted` leaves to a plan of the whole site (returns None) what it does not plan: a list
whose number of pages changes where the site's own list templates may show the number of pages
on every page (`pages.ListTemplates`), a topic, tag or author left without articles that
site.toml's menu links to, the last tag or author, the site's first tag or author, the last
correction taken out (/corrections/ is then dated as the site is), what the articles deleted
and inserted tell of themselves (`shift_checks.left_to_the_whole_plan`: old addresses, an
identity another article has...), and any page that shows a deleted article but is none of the
above (the plan's record of what each page covers tells). The pages dated as the site is take
its date anew where the articles deleted, inserted and edited change it (`site_date`).
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from datetime import datetime

from gazette.build import pages as planned
from gazette.build.archive_shift import archive_shift, with_new_archive_pages
from gazette.build.corrected import corrections_again
from gazette.build.kept_entries import LazyEntries, newest_change, term_routes
from gazette.build.kept_sitemaps import kept_sitemaps
from gazette.build.list_shift import ListShift
from gazette.build.pages import (
    ARTICLE_TEMPLATE,
    ListTemplates,
    Page,
    news_entries,
    plan_sitemaps,
    redirect_page,
)
from gazette.build.pagination import first_page, numbered_page
from gazette.build.plan_reader import PlanReader
from gazette.build.shift_checks import left_to_the_whole_plan
from gazette.build.site_warnings import menu_route
from gazette.build.term_places import new_term_anchors, with_new_terms
from gazette.build.wording import Wording
from gazette.images.catalog import Pictures
from gazette.model.related import WINDOW
from gazette.model.site import Entry, Teasers, TermHeading, TermIndex, term_order
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


class _LeftToTheWholePlan(Exception):
    pass


@dataclasses.dataclass(frozen=True)
class Shift:
    """The plan's pages the deleted and inserted articles change, by place, as a plan of the
    whole site makes them now; the pages it lacks, by output file (an inserted article's, a
    list's new page); and the routes of its pages that go (a list's pages it no longer fills)."""

    pages: dict[int, Page] = dataclasses.field(default_factory=dict)
    new: dict[str, Page] = dataclasses.field(default_factory=dict)
    gone: tuple[str, ...] = ()

    def page_named(self, kept: PlanReader, name: str) -> Page | None:
        """The page the plan writes to output file `name`, as the shift leaves it."""
        if name in self.new:
            return self.new[name]
        place = kept.place_of_file(name)
        if place is None or place >= kept.head.pages or name in map(output_file, self.gone):
            return None
        return self.pages.get(place) or kept.page(place)


def plan_shifted(kept: PlanReader, now: datetime, templates: ListTemplates, news: Sequence[Entry] = (),
                 pictures: Mapping[str, Pictures] | None = None) -> Shift | None:
    """The pages the deletion of the articles `kept` leaves out (`PlanReader.remove`) and the
    articles it takes in among its own (`PlanReader.insert`) change, add or remove; None for
    what it leaves to a plan of the whole site (see the module), or where the site's own
    templates may show a topic's whole index on every page of its list (`pages.ListTemplates`).
    Call before the `news` (the articles added since the plan, dated after its own) are planned
    over it (`newest.plan_newest`): the pages read show the plan's site without them.
    `pictures`: those of the inserted articles' pages, by route (`images.catalog.added_pictures`)."""
    if templates.whole_term_index:
        return None
    try:
        remade = _Remade(kept, now, news, templates, pictures or {})
        return Shift(remade.pages, remade.new, tuple(remade.gone))
    except _LeftToTheWholePlan:
        return None


class _Remade:
    def __init__(self, kept: PlanReader, now: datetime, news: Sequence[Entry], templates: ListTemplates,
                 pictures: Mapping[str, Pictures]) -> None:
        self.kept = kept
        self.pictures = pictures
        self.templates = templates
        self.places = sorted(kept.removed)
        self.deleted = [kept.entry(place) for place in self.places]
        self.inserted = sorted(kept.inserted, key=kept.order.key)  # their places, newest first
        self.config = kept.head.config
        self.words = Wording(self.config.language)
        self.pages: dict[int, Page] = {}
        self.new: dict[str, Page] = {}  # by output file
        self.gained: dict[str, list[Page]] = {}  # the numbered pages each list gains, newest first, by its page 1's route
        self.gone: list[str] = []  # the routes of the plan's pages that no longer are: pages a list lost
        self.term_pages: dict[str, list[Page]] = {}  # the pages of the new topics, tags and authors, by route
        self.archive_routes: tuple[str, ...] | None = None  # see `archive`
        # Where their pages go in the sitemaps, in the plan's order: each before the first of
        # these routes the sitemaps have (see `listed`).
        self.new_terms: list[tuple[str, tuple[str, ...]]] = []
        # An article moved among the others (`edited_files.moves_in_place`): deleted where it
        # stood and inserted where it stands now, at its address, with its identity.
        source_of = {str(entry.article.source_path): place for place, entry in zip(self.places, self.deleted)}
        self.moved = {place: source_of[name] for place in self.inserted
                      if (name := str(kept.entry(place).article.source_path)) in source_of}
        self.check_changes(news)
        self.lists()
        self.archive()
        self.articles()
        self.corrections()
        self.site_date()
        self.news_sitemap(now)
        self.sitemaps()
        self.check_coverage()

    def check_changes(self, news: Sequence[Entry]) -> None:
        """Leave to the whole plan what it plans better (see the module)."""
        route = left_to_the_whole_plan(self.kept, dict(zip(self.places, self.deleted)), self.inserted, self.moved, news)
        if route is not None:
            raise _LeftToTheWholePlan(route)

    def _kept(self, route: str) -> Page:
        page = self.kept.page_named(output_file(route))
        if page is None:
            raise _LeftToTheWholePlan(route)  # a new topic or month, say
        return page

    def _again(self, route: str, page: Page | None = None, **context: object) -> Page:
        page = page or self._kept(route)
        remade = dataclasses.replace(page, context={**page.context, **context}) if context else page
        place = self.kept.place_of_file(page.output_file)
        if place is None:
            raise _LeftToTheWholePlan(route)
        self.pages[place] = remade
        return remade

    def _new(self, page: Page) -> None:
        """A page the plan does not have: an inserted article's, a list's new page, a sitemap."""
        if self.kept.page_named(page.output_file) is not None:
            raise _LeftToTheWholePlan(page.route)
        self.new[page.output_file] = page

    def lists(self) -> None:
        """The home page and the pages of each topic, tag and author of the articles deleted
        and inserted, with their feeds; the pages listing every topic, tag and author, and search."""
        self._list(home_route(1), self.kept.entries(), feed_route(), {})
        terms = {term.route: term for entry in (*self.deleted, *map(self.kept.entry, self.inserted))
                 for term in (*entry.article.topics, *entry.article.tags, *entry.article.authors)}
        new_indexes = []
        for route, term in terms.items():
            if self.kept.page_named(output_file(route)) is None:  # a topic, tag or author of inserted articles alone
                members = tuple(self.kept.entry(place) for place in self.inserted if self._on(place, route))
                new_indexes.append(self._new_term(TermIndex(term, members)))
                continue
            index = self._kept(route).context["index"]  # as read: without the deleted, with the inserted
            if not index.entries:
                self._emptied(route, term.feed_route)
                continue
            self._list(route, index.entries, term.feed_route, {"index": TermHeading(index.term)})
        for route, key in ((topics_route(), "indexes"), (tags_route(), "indexes"), (authors_route(), "indexes"),
                           (search_route(), "topics")):
            self.listed(route, key, [index for index in new_indexes
                                     if index.route.startswith(topics_route() if route == search_route() else route)])

    def _emptied(self, route: str, feed: str) -> None:
        """A topic, tag or author left without articles: its pages and its feed go."""
        pagination = self._kept(route).context["pagination"]
        routes = [route, *(pagination.route_for(number) for number in range(2, pagination.last + 1)), feed]
        if {menu_route(item) for item in self.config.menu or ()} & set(routes):
            raise _LeftToTheWholePlan(route)  # site.toml's menu links to it: the plan warns of that
        self.gone += routes

    def _new_term(self, index: TermIndex) -> TermIndex:
        """The pages of a topic, tag or author the plan does not have."""
        pages = self.term_pages[index.route] = planned.plan_term_pages(index, self.config, self.words, self.templates)
        for page in pages:
            self._new(page)
        return index

    def listed(self, route: str, key: str, new: list[TermIndex]) -> None:
        """The page at `route` that lists every topic, tag or author (its `key`), with their
        counts and latest stories as read, and the `new` ones in their places: alphabetical
        (`site.group_by_term`). Each new one's pages come in the plan before those of the one
        after it, else of what follows the list (`new_term_anchors`)."""
        page = self.kept.page_named(output_file(route))
        if page is None:
            if new and route != search_route():
                raise _LeftToTheWholePlan(route)  # the first tag or author: the page listing them is new
            return
        kept = [index for index in page.context[key] if index.entries]  # but those left empty
        if not kept and not new and route != topics_route():
            raise _LeftToTheWholePlan(route)  # the last tag or author gone: so is the page listing them
        if not new and len(kept) == len(page.context[key]):
            self._again(route)
            return
        listed = sorted([*kept, *new], key=term_order)
        self._again(route, **{key: tuple(listed)})
        if route != search_route():
            self.new_terms += new_term_anchors(route, listed, self.term_pages)

    def _list(self, route: str, entries: Sequence[Entry], feed: str, older_context: dict[str, object]) -> None:
        """A list's pages from the one that showed or shows the oldest article deleted or
        inserted to page 1, each with the stories it holds now, and its feed where it showed or
        shows one. `older_context`: of a numbered page it gains, as `pages._list_pages` makes it."""
        size = self.config.page_size
        places = entries.places if isinstance(entries, LazyEntries) else None
        if places is None:
            raise _LeftToTheWholePlan(route)
        went = [place for place in self.places if self._on(place, route)]
        came = [place for place in self.inserted if self._on(place, route)]
        change = ListShift.of(places, self.kept.order.key, went, came, size)
        last, now_last = change.last, change.now_last
        now_count = first_page(change.now_total, size)[1]
        first = self._kept(route)
        pagination = first.context["pagination"]
        if now_last != last and not pagination.pager_only:
            raise _LeftToTheWholePlan(route)  # the site's templates may show the page count on every page
        gained = []
        numbers = sorted(change.numbers())
        # The cards unread, and a numbered page made as the plan made it, not read: a story
        # backdated to the middle of the archive shifts thousands of pages.
        kept_numbers = [number for number in numbers if number <= last]
        cards_on = dict(zip(kept_numbers, self.kept.cards_of(
            [places[:now_count] if number == 1 else numbered_page(places, number, size) for number in kept_numbers])))
        for number in numbers:
            if number > last:
                page = planned.list_page(dataclasses.replace(pagination, number=number, last=now_last),
                                         numbered_page(entries, number, size), first.template, first.title,
                                         older_context, self.words)
                self._new(page)
                gained.insert(0, page)
                continue
            cards = cards_on[number]
            if number == 1:
                self._again(first.route, dataclasses.replace(first, modified=newest_change(cards)),
                            entries=Teasers(cards), pagination=dataclasses.replace(pagination, last=now_last))
                continue
            page = planned.list_page(dataclasses.replace(pagination, number=number, last=now_last), cards,
                                     first.template, first.title, older_context, self.words, newest_change(cards))
            self._again(page.route, page)
        self.gained[route] = gained
        self.gone += [pagination.route_for(number) for number in range(now_last + 1, last + 1)]
        if change.newest_changed() < self.config.feed_size:
            self._again(feed, entries=entries[:self.config.feed_size])

    def _on(self, place: int, route: str) -> bool:
        return route == home_route(1) or route in term_routes(self.kept.entry(place))

    def archive(self) -> None:
        """The months and years of the articles deleted and inserted, and the archive
        (`archive_shift`): a month or year new or gone changes the sitemaps' order of them."""
        shift = archive_shift(lambda route: self.kept.page_named(output_file(route)), self.deleted,
                              [self.kept.entry(place) for place in self.inserted], self.words)
        if shift is None:
            raise _LeftToTheWholePlan(archive_route())
        for page, context in shift.again:
            self._again(page.route, page, **context)
        for page in shift.new:
            self._new(page)
        self.gone += shift.gone
        self.archive_routes = shift.routes

    def articles(self) -> None:
        """The pages of the articles just newer and older than each article deleted or
        inserted, of those whose related stories were ranked (or are ranked now) from a window
        it was (or is) in, and the inserted articles' own."""
        kept, order = self.kept, self.kept.order.key
        changed: dict[int, dict[str, tuple[int, ...]]] = {}  # place -> its groups made again
        for place in (*self.places, *self.inserted):
            inserted = place in kept.inserted
            if inserted:
                changed.setdefault(place, {})
            for neighbour in (kept.order.newer_than(place), kept.order.older_than(place)):  # as they are now
                if neighbour is not None:
                    changed.setdefault(neighbour, {})
            article = kept.entry(place).article
            for term in (*article.topics, *article.tags):
                members = [place for place in self.inserted if self._on(place, term.route)] \
                    if term.route in self.term_pages else self._kept(term.route).context["index"].entries.places
                here = bisect_left(members, order(place), key=order)  # where it was, or is
                for at in range(max(0, here - WINDOW), min(len(members), here + WINDOW + inserted)):
                    changed.setdefault(members[at], {})[term.route] = tuple(
                        members[max(0, at - WINDOW):at + WINDOW + 1])
        limit = None
        for place, groups in sorted(changed.items(), key=lambda item: item[0] in kept.inserted):
            if place in kept.inserted:  # after every page of the plan, whose finder's limit it takes
                if limit is None:
                    raise _LeftToTheWholePlan(kept.entry(place).article.route)
                route = kept.entry(place).article.route
                page = kept.article_page_again(place, groups, limit, None, self.pictures.get(route, Pictures()))
                old_route = kept.entry(self.moved[place]).article.route if place in self.moved else None
                if old_route == route:
                    self._again(route, page)  # a moved one's, where it was
                    continue
                self._new(page)
                if old_route is not None:  # its old address redirects to it, as `permanence.keep_published` has it
                    self._again(old_route, redirect_page(old_route, kept.entry(place).article))
                continue
            page = self._kept(kept.entry(place).article.route)
            if page.template != ARTICLE_TEMPLATE or not hasattr(page.context["related"].finder, "groups"):
                raise _LeftToTheWholePlan(page.route)
            limit = page.context["related"].finder.limit
            self._again(page.route, kept.article_page_again(place, groups, limit, page))

    def corrections(self) -> None:
        """/corrections/ and its feed, where a deleted or inserted article has corrections."""
        inserted = [self.kept.entry(place) for place in self.inserted]
        if any(entry.article.corrections for entry in (*self.deleted, *inserted)):
            remade = corrections_again(self._kept(corrections_route()), self._kept(corrections_feed_route()),
                                       self.deleted, inserted, self.config.feed_size)
            if remade is None:
                raise _LeftToTheWholePlan(corrections_route())
            for page in remade:
                self._again(page.route, page)

    def site_date(self) -> None:
        """The pages dated as the site is, by its latest change (`pages.newest`: those listing
        the topics, tags and authors, the archive, search, and /corrections/ until the first
        correction), dated anew where the articles deleted, inserted and edited change it."""
        kept = self.kept
        planned = self._kept(topics_route()).modified
        leaving_out = {*kept.removed, *kept.edited}
        dates = [kept.entry(place).modified for place in (*kept.latest_changed(leaving_out), *self.inserted)]
        dates += [entry.modified for place, entry in kept.edited.items() if place not in kept.removed]
        latest = max(dates, default=None)
        if latest is None:
            raise _LeftToTheWholePlan(topics_route())  # no article left
        if latest == planned:  # every date is in the site's time zone: one moment, one way to write it
            return
        corrections = self._kept(corrections_route())
        for route in (topics_route(), tags_route(), authors_route(), archive_route(), search_route(),
                      *((corrections_route(),) if not corrections.context["corrections"] else ())):
            place = self.kept.place_of_file(output_file(route))
            if place is not None and place < self.kept.head.pages:
                self._again(route, dataclasses.replace(self.pages.get(place) or self.kept.page(place), modified=latest))

    def news_sitemap(self, now: datetime) -> None:
        page = self._kept(NEWS_SITEMAP_ROUTE)
        listed = news_entries(self.kept.entries(), now)
        inserted = [self.kept.entry(place) for place in self.inserted]
        if any(entry in listed for entry in inserted) and len(listed) >= planned.NEWS_MAX_ARTICLES:
            raise _LeftToTheWholePlan(NEWS_SITEMAP_ROUTE)
        if any(entry in page.context["entries"] for entry in self.deleted) or any(entry in listed for entry in inserted):
            self._again(page.route, entries=listed)

    def sitemaps(self) -> None:
        """The sitemaps, without the deleted articles, with the inserted ones and the lists' new
        pages, and with the pages made again dated anew. The articles come first, oldest first:
        those that list only articles older than every one deleted or inserted stay as planned,
        and are not read."""
        kept = self.kept
        index = self._kept("sitemap.xml")
        # Where each deleted article was listed, and each inserted one is: at its count of older articles.
        starts = [*(kept.head.articles - 1 - place for place in self.places), *map(kept.order.older_count, self.inserted)]
        unread, chunks = kept_sitemaps(index, min(starts), self._kept)
        gone = {*(entry.article.route for entry in self.deleted), *self.gone}
        remade = {page.route: page for page in self.pages.values()}
        urls = []
        for url in (url for chunk in chunks for url in chunk.context["pages"] if url.route not in gone):
            urls.append(planned.SitemapUrl(url.route, remade[url.route].modified) if url.route in remade else url)
            urls += [planned.SitemapUrl(page.route, page.modified) for page in self.gained.get(url.route, ())]
        with_new_terms(urls, self.new_terms, self.term_pages)
        with_new_archive_pages(urls, self.archive_routes, self.new)
        for place in reversed(self.inserted):  # oldest first, each where it is listed now
            entry = kept.entry(place)
            urls.insert(kept.order.older_count(place) - len(unread) * planned.SITEMAP_MAX_URLS,
                        planned.SitemapUrl(entry.article.route, entry.modified))
        kept_chunks = {chunk.route: chunk for chunk in [index, *chunks]}
        made = plan_sitemaps(urls, planned.SITEMAP_MAX_URLS, unread)
        self.gone += sorted(kept_chunks.keys() - {page.route for page in made})  # the newest, where it empties
        for page in made:
            if page.route not in kept_chunks:
                self._new(page)
            elif kept_chunks[page.route] != page:
                self._again(page.route, page)

    def check_coverage(self) -> None:
        """Every page the plan records as showing a deleted article is made again, or its own."""
        own = {self.kept.place_of_file(output_file(route)) for route in
               (*(entry.article.route for entry in self.deleted), *self.gone)}
        covering = set(self.kept.pages_covering(set(self.places), set(self.places)))
        if not covering - own <= self.pages.keys():
            raise _LeftToTheWholePlan("a page that shows a deleted article")
