"""Assemble the site's structure from articles: ordering, topics, date archive, neighbours."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from gazette.build.cache import BodyStore
from gazette.build.markup import RenderedBody, reading_minutes
from gazette.model.article import Article, Topic
from gazette.model.config import SiteConfig
from gazette.model.related import RelatedFinder
from gazette.model.urls import archive_route, topic_feed_route, topic_route


@dataclass(frozen=True)
class StoredBody:
    """A rendered body whose HTML is read from the build cache when a page shows it."""

    key: str
    excerpt: str
    words: int
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
        """When the article last changed, for feeds and sitemaps (never before its date)."""
        updated = self.article.updated
        return max(updated, self.article.date) if updated else self.article.date


@dataclass(frozen=True)
class TopicIndex:
    topic: Topic
    entries: tuple[Entry, ...]  # newest first

    @property
    def route(self) -> str:
        return topic_route(self.topic.slug)

    @property
    def feed_route(self) -> str:
        return topic_feed_route(self.topic.slug)

    @property
    def latest(self) -> Entry:
        return self.entries[0]


@dataclass(frozen=True)
class MonthIndex:
    year: int
    month: int
    entries: tuple[Entry, ...]  # newest first

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
    """The stories related to one entry, ranked only when a template reads them."""

    entries: tuple[Entry, ...]
    finder: RelatedFinder
    index: int

    @cached_property
    def ranked(self) -> list[Entry]:
        return [self.entries[other] for other in self.finder.related(self.index)]

    def neighbour_digests(self) -> list[str]:
        """What the ranking depends on, for fingerprints, without ranking."""
        return self.finder.neighbour_digests(self.index)

    def __iter__(self):
        return iter(self.ranked)

    def __len__(self) -> int:
        return len(self.ranked)

    def __bool__(self) -> bool:
        return bool(self.ranked)


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    entries: tuple[Entry, ...]  # newest first
    topics: tuple[TopicIndex, ...]  # alphabetical by title
    years: tuple[YearIndex, ...] = ()  # newest first
    finder: RelatedFinder | None = None

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


def assemble_site(config: SiteConfig, entries: list[Entry]) -> Site:
    ordered = newest_first(entries)
    by_topic: dict[Topic, list[Entry]] = defaultdict(list)
    for entry in ordered:
        for topic in entry.article.topics:
            by_topic[topic].append(entry)
    topics = sorted(
        (TopicIndex(topic, tuple(topic_entries)) for topic, topic_entries in by_topic.items()),
        key=lambda index: (index.topic.title.casefold(), index.topic.slug),
    )
    return Site(
        config=config,
        entries=tuple(ordered),
        topics=tuple(topics),
        years=group_by_month(ordered),
        finder=RelatedFinder([e.article for e in ordered]),
    )
