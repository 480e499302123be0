"""Which numbered pages of a list change when stories leave it and join it (see
gazette.build.shifted): pure arithmetic over the list's counts, as `pagination.Pagination` numbers
its pages (page 2 holds the oldest stories, page 1 the newest and the rest)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gazette.build.pagination import first_page


@dataclass(frozen=True)
class ListShift:
    """A list of `total` stories in pages of `size`, `now_total` now. `went`: for each story
    that left it, how many of the list were older than it then; `came`: for each that joined
    it, how many are older than it now."""

    went: tuple[int, ...]
    came: tuple[int, ...]
    total: int
    now_total: int
    size: int

    @classmethod
    def of(cls, places: Sequence[int], order: Callable[[int], object], went: Sequence[int], came: Sequence[int],
           size: int) -> ListShift:
        """Of a list of the articles at `places` now (newest first, as `order` ranks places) that
        those at `went` left and those at `came` joined (places in the kept plan)."""
        now_total = len(places)

        def older_now(place: int) -> int:  # how many of the list now are older than it
            return now_total - bisect_left(places, order(place), key=order) - (place in came)

        # From the oldest, where the list first differs: each that left, in the list before; each that came, now.
        return cls(tuple(older_now(place) - sum(order(other) > order(place) for other in came) +
                         sum(other > place for other in went) for place in went),
                   tuple(older_now(place) for place in came), now_total - len(came) + len(went), now_total, size)

    @property
    def last(self) -> int:
        """The highest page number before."""
        return first_page(self.total, self.size)[0]

    @property
    def now_last(self) -> int:
        return first_page(self.now_total, self.size)[0]

    def newest_changed(self) -> int:
        """How many stories of the list are newer than its newest difference (before or now):
        a feed of fewer stories than that is as it was."""
        return min([*(self.total - 1 - start for start in self.went),
                    *(self.now_total - 1 - start for start in self.came)])

    def numbers(self) -> set[int]:
        """The numbers of the pages that change: each numbered page whose stories reach the
        first difference, and page 1; but where as many stories came as went (a story moved:
        its date fixed, a tag changed), those past the last difference stay as they were.
        Where the list gains or loses pages, so does the pager of its three newest numbered
        pages (`Pagination.identity`)."""
        starts = (*self.went, *self.came)
        last, now_last, size = self.last, self.now_last, self.size
        if len(self.came) == len(self.went):
            numbers = {number if number <= now_last else 1
                       for number in range(min(starts) // size + 2, max(starts) // size + 3)}
        else:
            numbers = {1, *range(min(starts) // size + 2, now_last + 1)}
        if now_last != last:
            numbers.update(range(max(2, min(last, now_last) - 2), now_last + 1))
        return numbers
