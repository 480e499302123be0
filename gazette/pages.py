"""Plan every page of the site (route, template, data) before anything is rendered."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gazette.errors import Problem
from gazette.site import Entry, Site
from gazette.urls import home_route, output_file, topic_route, topics_route


@dataclass(frozen=True)
class Pagination:
    number: int
    count: int
    routes: tuple[str, ...]  # route of page 1..count

    @property
    def previous_route(self) -> str | None:  # newer articles
        return self.routes[self.number - 2] if self.number > 1 else None

    @property
    def next_route(self) -> str | None:  # older articles
        return self.routes[self.number] if self.number < self.count else None


@dataclass(frozen=True)
class Page:
    route: str
    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)
    sources: tuple[Path, ...] = ()  # the content files this page is made from

    @property
    def output_file(self) -> str:
        return output_file(self.route)


def paginate(entries: Sequence[Entry], size: int, route_for: Callable[[int], str]) -> list[tuple[Pagination, Sequence[Entry]]]:
    count = max(1, -(-len(entries) // size))
    routes = tuple(route_for(number) for number in range(1, count + 1))
    return [
        (Pagination(number, count, routes), entries[(number - 1) * size : number * size])
        for number in range(1, count + 1)
    ]


def plan_pages(site: Site) -> list[Page]:
    size = site.config.page_size
    pages: list[Page] = []
    for pagination, entries in paginate(site.entries, size, home_route):
        title = "Latest news" if pagination.number == 1 else f"Latest news, page {pagination.number}"
        pages.append(Page(pagination.routes[pagination.number - 1], "home.html", title,
                          {"entries": entries, "pagination": pagination}))
    for entry in site.entries:
        pages.append(Page(entry.article.route, "article.html", entry.article.title,
                          {"entry": entry}, sources=(entry.article.source_path,)))
    pages.append(Page(topics_route(), "topics.html", "Topics", {"topics": site.topics}))
    for index in site.topics:
        for pagination, entries in paginate(index.entries, size, lambda n, slug=index.topic.slug: topic_route(slug, n)):
            title = index.topic.title if pagination.number == 1 else f"{index.topic.title}, page {pagination.number}"
            pages.append(Page(pagination.routes[pagination.number - 1], "topic.html", title,
                              {"index": index, "entries": entries, "pagination": pagination}))
    return pages


def find_path_collisions(pages: Sequence[Page], static_files: Sequence[str] = ()) -> list[Problem]:
    """Two pages (or a page and a static file) that would write one file: name every source."""
    claims: dict[str, list[str]] = defaultdict(list)
    for page in pages:
        claims[page.output_file].extend(str(s) for s in page.sources or (f"the {page.title!r} page",))
    for name in static_files:
        claims[name].append(f"static/{name}")
    problems = []
    for path, sources in claims.items():
        if len(sources) > 1:
            first, *others = sources
            problems.append(Problem(first, f"claims the URL /{path.removesuffix('index.html')} also claimed by {', '.join(others)}"))
    return problems
