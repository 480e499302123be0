"""Stable pagination of a newest-first list (see `Pagination`): which articles each numbered
page holds, and the pager each page shows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from gazette.model.site import Entry

T = TypeVar("T")


@dataclass(frozen=True)
class PagerLink:
    label: str
    route: str | None  # None: a gap ("…")
    current: bool = False


@dataclass(frozen=True)
class Pagination:
    """Stable pagination: page numbers count from the *oldest* articles.

    Page 1 is the index itself (home or topic page) and holds the newest
    articles: between one and two pages' worth. Older articles sit on pages
    numbered from the oldest (page 2 holds the oldest `size`), so a page keeps
    its URL and its articles as new ones arrive: one new article rewrites the
    index page only, and a new numbered page appears once every `size` articles.
    Reading order is therefore 1 (newest), N, N-1, ..., 2 (oldest).
    """

    number: int
    last: int  # the highest page number (the page just older than page 1)
    # Each page's route, by number: a function, not a table of them all, since each page of a
    # long list is pickled alone (5,000 pages of 5,000 routes on a home page of 100,000 articles).
    route_for: Callable[[int], str]
    latest_label: str = "Latest"  # page 1's label in the pager, in the site's language
    pager_only: bool = False  # the templates show it only through the theme's pager (`ListTemplates`)

    def identity(self) -> list[str]:
        """What a page shows of its pagination. The theme's pager shows on a numbered page the
        pages up to two away from it, the ends and the gaps between (`links`): it shows the
        same while the page is three or more pages from the newest. So a list that gains a
        page changes the pager of its three newest numbered pages, not of all of them."""
        if self.pager_only and self.number > 1:
            return ["P", str(self.number), str(min(self.last - self.number, 3))]
        return ["P", str(self.number), str(self.last)]

    @property
    def newer_route(self) -> str | None:
        if self.number == 1:
            return None
        return self.route_for(1) if self.number == self.last else self.route_for(self.number + 1)

    @property
    def older_route(self) -> str | None:
        if self.number == 1:
            return self.route_for(self.last) if self.last > 1 else None
        return self.route_for(self.number - 1) if self.number > 2 else None

    @property
    def links(self) -> list[PagerLink]:
        """First, oldest, and two on either side of this page, in reading order (1, last,
        last - 1, ..., 2), a gap where pages are left out.

        Only pages near the newest end show the highest page number, so adding a
        page leaves the pager of older pages untouched."""
        if self.last == 1:
            return []
        here = 0 if self.number == 1 else self.last - self.number + 1  # its place in reading order
        shown = sorted({0, self.last - 1, *range(max(0, here - 2), min(here + 3, self.last))})
        links: list[PagerLink] = []
        previous = 0
        for position in shown:
            if position > previous + 1:
                links.append(PagerLink("…", None))
            number = 1 if position == 0 else self.last - position + 1
            links.append(PagerLink(self.latest_label if number == 1 else str(number), self.route_for(number),
                                   number == self.number))
            previous = position
        return links


def first_page(total: int, size: int) -> tuple[int, int]:
    """Of a list of `total` articles in pages of `size`: its highest page number, and how many
    articles page 1 holds (see `Pagination`)."""
    last = max(1, total // size)
    return last, total - (last - 1) * size


def paginate(
    entries: Sequence[Entry], size: int, route_for: Callable[[int], str], latest_label: str = "Latest",
    pager_only: bool = False,
) -> list[tuple[Pagination, Sequence[Entry]]]:
    """Split newest-first entries into stable pages (see `Pagination`)."""
    total = len(entries)
    last, first_page_size = first_page(total, size)
    pages = [(Pagination(1, last, route_for, latest_label, pager_only), entries[:first_page_size])]
    for number in range(last, 1, -1):
        pages.append((Pagination(number, last, route_for, latest_label, pager_only), numbered_page(entries, number, size)))
    return pages


def numbered_page(entries: Sequence[T], number: int, size: int) -> Sequence[T]:
    """The entries (or their places) of page `number` (2 or more) of a newest-first list: the
    (n-1)th block of `size` counted from the oldest article."""
    end = len(entries) - (number - 2) * size
    return entries[end - size : end]
