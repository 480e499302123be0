"""Assemble the site's structure from articles and plain pages: ordering, topics, tags and
authors, the date archive, corrections, neighbours."""

from __future__ import annotations

import hashlib
from array import array
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from gazette.build.body_store import BodyStore
from gazette.build.markup import RenderedBody, reading_minutes
from gazette.model.article import NOT_SHOWN_FIELDS, Article, shown_fields_digest
from gazette.model.config import SiteConfig
from gazette.model.plain_pages import PlainPage
from gazette.model.related import RelatedFinder
from gazette.model.terms import Correction, Term
from gazette.model.urls import archive_route


@dataclass(frozen=True)
class StoredBody:
    """A rendered body whose HTML is read from the build cache when a page shows it."""

    key: str
    excerpt: str
    words: int
    images: tuple[str, ...]  # the site's own images it shows (see `RenderedBody.images`)
    store: BodyStore = field(compare=False, repr=False)

    @property
    def html(self) -> str:
        return self.store.html(self.key)

    @property
    def links(self) -> tuple[tuple[str, int | None], ...]:
        return self.store.links(self.key)

    @property
    def reading_minutes(self) -> int:
        return reading_minutes(self.words)


@dataclass(frozen=True)
class Entry:
    """An article with its rendered body: everything a template needs."""

    article: Article
    body: RenderedBody | StoredBody

    @property
    def document(self) -> Article:
        """The file the body was written in (as `PlainPageEntry.document`)."""
        return self.article

    @property
    def summary(self) -> str:
        return self.article.summary or self.body.excerpt

    @property
    def standfirst(self) -> str | None:
        """The summary shown above the story, unless the story opens with the same words
        (imported articles take their summary from the first paragraph)."""
        summary = self.article.summary
        if not summary or self.body.excerpt.startswith(summary.rstrip("…").strip()):
            return None
        return summary

    @cached_property  # asked for some 70,000 times while pages are planned
    def modified(self) -> datetime:
        """When the article last changed (an `updated:` date or its latest correction), for
        feeds, sitemaps and its JSON-LD; never before its date."""
        article = self.article
        latest = article.corrections[-1].date if article.corrections else None
        return max(filter(None, (article.date, article.updated, latest)))

    @cached_property
    def teaser_digest(self) -> str:
        """A hash of everything its `Teaser` shows: it stands for the article on the pages that
        show it as one, as `article.digest` does where it is shown whole."""
        article, body = self.article, self.body
        fields = article.fields_digest or shown_fields_digest(article)  # b"": not made as read (see the field)
        shown = repr((fields, body.excerpt, body.reading_minutes, body.images))
        return hashlib.sha1(shown.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Teaser:
    """A story as a page that is not about it shows it (an article page's previous, next and
    related stories; a card on a list; a topic's latest): its article's fields, summary and
    reading time, but not its body's text, nor what else is made from it. So an edit to a
    story's body past its first paragraph leaves the pages that show it this way as they are:
    their fingerprints hold its `teaser_digest`. A template that asks a teaser for more fails
    at its line, as for any undefined name."""

    entry: Entry

    @property
    def article(self) -> TeaserArticle:
        return TeaserArticle(self.entry.article)

    @property
    def body(self) -> TeaserBody:
        body = self.entry.body
        return TeaserBody(body.excerpt, body.reading_minutes, body.images)

    @property
    def summary(self) -> str:
        return self.entry.summary

    @property
    def standfirst(self) -> str | None:
        return self.entry.standfirst

    @property
    def modified(self) -> datetime:
        return self.entry.modified


@dataclass(frozen=True)
class Teasers(Sequence[Teaser]):
    """A list's stories (home, a topic's, tag's or author's page, a month's), each a `Teaser`,
    made when a template takes it: a page holds its entries, not thousands of teasers."""

    entries: Sequence[Entry]

    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(map(Teaser, self.entries[index]))
        return Teaser(self.entries[index])


class TeaserArticle:
    """An article without what `NOT_SHOWN_FIELDS` names: its body and what stands for its file."""

    __slots__ = ("_article",)

    def __init__(self, article: Article) -> None:
        self._article = article

    def __getattr__(self, name: str) -> object:
        if name in NOT_SHOWN_FIELDS or name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._article, name)


@dataclass(frozen=True)
class TeaserBody:
    """Of a body, its first paragraph's text, how long it takes to read (not its count of
    words, which nearly every edit changes) and the site's images it shows."""

    excerpt: str
    reading_minutes: int
    images: tuple[str, ...]


@dataclass(frozen=True)
class TermHeading:
    """What an older page of a topic's, tag's or author's list shows of it: the term and its
    feed, not how many articles it has, which each new article changes. Page 1 shows the whole
    `TermIndex`, so a new article rewrites that page only (see `pagination.Pagination`)."""

    term: Term

    @property
    def route(self) -> str:
        return self.term.route

    @property
    def feed_route(self) -> str:
        return self.term.feed_route

    def identity(self) -> list[str]:
        return list(self.term.identity())


@dataclass(frozen=True)
class TermIndex(TermHeading):
    """A topic, tag or author (its heading) with its articles: the data of its pages and its feed.

    A page shows of it the term, `count` and `latest`; the articles a page lists are its own
    `entries`. So an edit to one article changes only the pages that list it, not every
    page of each of its tags (see `identity`)."""

    entries: Sequence[Entry]  # newest first: for planning its pages, not for templates

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def latest(self) -> Teaser:
        return Teaser(self.entries[0])

    def identity(self) -> list[str]:
        """What its pages show of it: the term, how many articles, and the newest as a teaser."""
        return [*self.term.identity(), str(self.count), self.entries[0].teaser_digest]


@dataclass(frozen=True)
class CorrectionEntry:
    """One correction with the story it corrects, for /corrections/ and its feed."""

    entry: Entry
    correction: Correction
    number: int  # of the article's corrections, from 1: the anchor of its notice

    @property
    def anchor(self) -> str:
        return f"correction-{self.number}"

    def identity(self) -> list[str]:
        return [self.entry.article.digest, str(self.number), *self.correction.identity()]


@dataclass(frozen=True)
class PlainPageEntry:
    """A plain page with its rendered body."""

    page: PlainPage
    body: RenderedBody | StoredBody

    @property
    def document(self) -> PlainPage:
        return self.page

    @property
    def summary(self) -> str:
        return self.page.summary or self.body.excerpt

    def identity(self) -> list[str]:
        return [self.page.digest]


@dataclass(frozen=True)
class MonthIndex:
    """A month of the archive. A page shows of it the month and how many articles; the month's
    own page lists them from its own `entries` (as `TermIndex`): so an edit to one article
    changes that page, not the year's and the archive's."""

    year: int
    month: int
    entries: Sequence[Entry]  # newest first: for planning its page and counting, not for templates

    @property
    def route(self) -> str:
        return archive_route(self.year, self.month)

    @property
    def first_day(self) -> datetime:
        return self.entries[-1].article.date.replace(day=1)


@dataclass(frozen=True)
class YearIndex:
    year: int
    months: tuple[MonthIndex, ...]  # newest first

    @property
    def route(self) -> str:
        return archive_route(self.year)

    @property
    def count(self) -> int:
        return sum(len(month.entries) for month in self.months)


@dataclass(frozen=True)
class RelatedStories:
    """The stories related to one entry, as teasers, ranked only when a template reads them."""

    entries: tuple[Entry, ...]
    finder: RelatedFinder
    index: int

    @cached_property
    def _places(self) -> array:
        # Ranked once, kept as places: a page-rendering worker keeps one ranking per article
        # page it renders (at 10,000 articles, 0.5 MB a worker; as lists of teasers, 1.9 MB).
        return array("i", self.finder.related(self.index))  # signed: see `PlanReader.add`

    @property
    def ranked(self) -> list[Teaser]:
        return [Teaser(self.entries[other]) for other in self._places]

    def neighbour_digests(self) -> list[str]:
        """What the ranking depends on and what the teasers show, for fingerprints, without ranking."""
        return self.finder.neighbour_digests(self.index)

    def ranked_digests(self) -> list[str]:
        """What the ranked teasers show (see `fingerprint.shown_digest`)."""
        return [self.finder.digest_of(other) for other in self._places]

    def __iter__(self):
        return iter(self.ranked)

    def __len__(self) -> int:
        return len(self._places)

    def __bool__(self) -> bool:
        return bool(self._places)

    def settled(self) -> RelatedStories:
        """These stories with what they show and what ranks them read now (a `Neighbourhood`'s,
        see `related.Neighbourhood.settled`): the preview's fast render keeps the pages of the
        day's news built in place after the kept plan they were read from is closed."""
        return RelatedStories({place: self.entries[place] for place in self._places}, self.finder.settled(), self.index)


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    entries: tuple[Entry, ...]  # newest first
    topics: tuple[TermIndex, ...]  # alphabetical by title
    years: tuple[YearIndex, ...] = ()  # newest first
    finder: RelatedFinder | None = None
    tags: tuple[TermIndex, ...] = ()  # alphabetical by name
    authors: tuple[TermIndex, ...] = ()  # alphabetical by name
    corrections: tuple[CorrectionEntry, ...] = ()  # newest first
    plain_pages: tuple[PlainPageEntry, ...] = ()  # by name

    def related_to(self, index: int) -> RelatedStories | list[Entry]:
        return RelatedStories(self.entries, self.finder, index) if self.finder else []


def newest_first(entries: list[Entry]) -> list[Entry]:
    # The slug breaks ties so that the order, and so the output, is reproducible.
    return sorted(entries, key=lambda e: (e.article.date, e.article.slug), reverse=True)


def split_scheduled(articles: list[Article], now: datetime) -> tuple[list[Article], list[Article]]:
    """Articles dated in the future wait for their time: (published, scheduled)."""
    published = [a for a in articles if a.date <= now]
    scheduled = [a for a in articles if a.date > now]
    return published, scheduled


def group_by_month(entries: list[Entry]) -> tuple[YearIndex, ...]:
    months: dict[tuple[int, int], list[Entry]] = defaultdict(list)
    for entry in entries:  # already newest first, so each month's list is too
        months[(entry.article.date.year, entry.article.date.month)].append(entry)
    years: dict[int, list[MonthIndex]] = defaultdict(list)
    for (year, month), month_entries in months.items():
        years[year].append(MonthIndex(year, month, tuple(month_entries)))
    return tuple(YearIndex(year, tuple(years[year])) for year in sorted(years, reverse=True))


def group_by_term(entries: list[Entry], terms_of) -> tuple[TermIndex, ...]:
    """One index per term that `terms_of(article)` names, alphabetical. A term spelled
    differently in different articles (tags: "OpenAI", "openai") is shown as its newest
    article spells it."""
    by_term: dict[Term, list[Entry]] = defaultdict(list)  # keeps the first (newest) spelling as key
    for entry in entries:  # newest first
        for term in terms_of(entry.article):
            by_term[term].append(entry)
    indexes = (TermIndex(term, tuple(term_entries)) for term, term_entries in by_term.items())
    return tuple(sorted(indexes, key=term_order))


def term_order(index: TermHeading) -> tuple[str, str]:
    """Where a topic, tag or author stands in the alphabetical lists of them."""
    return index.term.title.casefold(), index.term.slug


def list_corrections(entries: list[Entry]) -> tuple[CorrectionEntry, ...]:
    found = [CorrectionEntry(entry, correction, number)
             for entry in entries for number, correction in enumerate(entry.article.corrections, start=1)]
    return tuple(sorted(found, key=lambda c: (c.correction.date, c.entry.article.slug, c.number), reverse=True))


def assemble_site(config: SiteConfig, entries: list[Entry], plain_pages: list[PlainPageEntry] = ()) -> Site:
    ordered = newest_first(entries)
    return Site(
        config=config,
        entries=tuple(ordered),
        topics=group_by_term(ordered, lambda article: article.topics),
        years=group_by_month(ordered),
        finder=RelatedFinder([e.article for e in ordered], [e.teaser_digest for e in ordered]),
        tags=group_by_term(ordered, lambda article: article.tags),
        authors=group_by_term(ordered, lambda article: article.authors),
        corrections=list_corrections(ordered),
        plain_pages=tuple(sorted(plain_pages, key=lambda p: p.page.name)),
    )
