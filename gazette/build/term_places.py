"""Where the pages of a topic, tag or author new since the kept plan go, as a plan of the
whole site orders them (`pages.plan_pages`): the planners of a build in place that add one
(`newest`, `shifted`) place it among the others alike."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from gazette.build import pages as planned
from gazette.build.pages import Page
from gazette.model.site import TermIndex
from gazette.model.urls import (
    authors_route,
    corrections_route,
    tags_route,
    topics_route,
)

# What follows the pages of the topics, the tags and the authors in the plan (`pages.plan_pages`):
# the page listing the next kind of terms, where the site has it, else the corrections, always there.
_FOLLOWING = {
    topics_route(): (tags_route(), authors_route(), corrections_route()),
    tags_route(): (authors_route(), corrections_route()),
    authors_route(): (corrections_route(),),
}


def new_term_anchors(route: str, listed: Sequence[TermIndex], new: Collection[str]) -> list[tuple[str, tuple[str, ...]]]:
    """Of the topics, tags or authors `listed` in order on the page at `route`, those `new`
    (by route), each with where its pages go in the sitemaps, in the plan's order: before the
    first of these routes the sitemaps have (the next one listed, else what follows the list)."""
    routes = [index.route for index in listed]
    return [(here, (routes[place + 1],) if place + 1 < len(routes) else _FOLLOWING[route])
            for place, here in enumerate(routes) if here in new]


def with_new_terms(urls: list[planned.SitemapUrl], anchors: Sequence[tuple[str, tuple[str, ...]]],
                   term_pages: Mapping[str, Sequence[Page]]) -> None:
    """Put into the sitemaps' `urls` the pages of each new topic, tag or author (`term_pages`,
    by route) where `new_term_anchors` places them: before what follows, which may be new too."""
    for route, before in reversed(anchors):
        shown = [url.route for url in urls]
        at = shown.index(next(anchor for anchor in before if anchor in shown))
        urls[at:at] = [planned.SitemapUrl(page.route, page.modified) for page in term_pages[route] if page.is_html]
