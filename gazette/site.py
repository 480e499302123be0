"""Assemble the site's structure from articles: ordering, topics, date archive."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from gazette.config import SiteConfig
from gazette.content import Article, Topic
from gazette.markup import RenderedBody
from gazette.urls import topic_route


@dataclass(frozen=True)
class Entry:
    """An article with its rendered body: everything a template needs."""

    article: Article
    body: RenderedBody

    @property
    def summary(self) -> str:
        return self.article.summary or self.body.excerpt


@dataclass(frozen=True)
class TopicIndex:
    topic: Topic
    entries: tuple[Entry, ...]  # newest first

    @property
    def route(self) -> str:
        return topic_route(self.topic.slug)

    @property
    def latest(self) -> Entry:
        return self.entries[0]


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    entries: tuple[Entry, ...]  # newest first
    topics: tuple[TopicIndex, ...]  # alphabetical by title


def newest_first(entries: list[Entry]) -> list[Entry]:
    # The slug breaks ties so that the order, and so the output, is reproducible.
    return sorted(entries, key=lambda e: (e.article.date, e.article.slug), reverse=True)


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
    return Site(config=config, entries=tuple(ordered), topics=tuple(topics))
