"""Where the kept plan's articles stand after the changes since it (see gazette.build.plan_reader).
A place orders the articles, newest first: the plan's are at 0 up to its count; those deleted
since are left out; those added since and dated after every one of the plan's (the news) take
places below 0, and those dated among them (a backdated story) places past the plan's, each
ordered between the plan's places of its neighbours (`key`)."""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left
from collections.abc import Collection, Sequence


class ArticleOrder:
    """The order of the articles now, by place: see the module."""

    def __init__(self, articles: int) -> None:
        self.articles = articles  # the plan's count
        self.first = 0  # the place of the newest article: below 0 once news are added (see `add`)
        self.removed: frozenset[int] = frozenset()
        self._keys: dict[int, float] = {}  # each inserted article's key (see `insert`)

    def add(self, count: int) -> range:
        """Places for `count` articles newer than every other, newest first."""
        self.first -= count
        return range(self.first, self.first + count)

    def insert(self, anchors: Sequence[int]) -> list[int]:
        """Places for articles dated among the plan's, given newest first, each by its anchor:
        the place of the plan's article just older than it (the plan's count where none is)."""
        places = []
        for anchor in anchors:
            place = self.articles + len(self._keys)
            self._keys[place] = anchor  # for now: spaced out below once all are in
            places.append(place)
        by_anchor: dict[int, list[int]] = {}
        for place, anchor in sorted(self._keys.items()):  # the earlier inserted first, as given
            by_anchor.setdefault(math.ceil(anchor), []).append(place)
        for anchor, together in by_anchor.items():  # between the plan's places anchor - 1 and anchor
            for number, place in enumerate(together):
                self._keys[place] = anchor - 1 + (number + 1) / (len(together) + 1)
        return places

    @property
    def inserted(self) -> Collection[int]:
        return self._keys.keys()

    def key(self, place: int) -> float:
        """Where the article at `place` stands, newest first: its place, or between the places
        of the plan's articles just newer and older than an inserted one."""
        return self._keys.get(place, place)

    def newer_than(self, place: int) -> int | None:
        """The place of the article just newer than the one at `place` (or than where it was), if any."""
        at = self.key(place)
        newer = math.ceil(at) - 1
        while newer in self.removed:
            newer -= 1
        inserted = max((other for other in self._keys if self._keys[other] < at), key=self.key, default=None)
        if inserted is not None and (newer < self.first or self._keys[inserted] > newer):
            return inserted
        return newer if newer >= self.first else None

    def older_than(self, place: int) -> int | None:
        """The place of the article just older than the one at `place` (or than where it was), if any."""
        at = self.key(place)
        older = math.floor(at) + 1
        while older in self.removed:
            older += 1
        inserted = min((other for other in self._keys if self._keys[other] > at), key=self.key, default=None)
        if inserted is not None and (older >= self.articles or self._keys[inserted] < older):
            return inserted
        return older if older < self.articles else None

    def older_count(self, place: int) -> int:
        """How many articles now are older than the one at `place` (or than where it was)."""
        at = self.key(place)
        return self.articles - math.floor(at) - 1 - sum(1 for other in self.removed if other > at) + \
            sum(1 for key in self._keys.values() if key > at)

    def places(self) -> array:
        """Every article's place, newest first."""
        return self.with_inserted(array("i", range(self.first, self.articles)), self._keys)

    def with_inserted(self, places: array, inserted: Collection[int]) -> array:
        """`places` (newest first), without those removed, with the `inserted` in their order."""
        if self.removed:
            places = array("i", (place for place in places if place not in self.removed))
        for place in sorted(inserted, key=self.key):
            places.insert(bisect_left(places, self._keys[place], key=self.key), place)
        return places
