"""The kept plan's sitemaps that a build in place reads again (see gazette.build.newest and
gazette.build.shifted). The articles come first in the sitemaps, oldest first, so the
numbered sitemaps that list only articles older than the first one a build changes stay as
planned: they are neither read nor made again."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from gazette.build import pages as planned
from gazette.build.pages import Page


def kept_sitemaps(index: Page, first: int, page_named: Callable[[str], Page]) -> tuple[Sequence[tuple[str, datetime | None]], list[Page]]:
    """Of the plan's sitemaps (`index`: its sitemap.xml), those left as they are (route, newest
    change, as the index lists them) and the pages of the others, from the one that lists the
    article with `first` older articles on (`page_named(route)` reads one)."""
    if index.template == "sitemap.xml":  # one sitemap, no index
        return [], [index]
    unread = index.context["sitemaps"][:first // planned.SITEMAP_MAX_URLS]
    return unread, [page_named(route) for route, _ in index.context["sitemaps"][len(unread):]]
