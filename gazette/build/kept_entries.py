"""The kept plan's entries as its pages hold them, read only when asked for (see
gazette.build.plan_reader): a topic's or month's articles (`LazyEntries`), and the stories a
list shows as cards (`UnreadEntry`)."""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from gazette.model.site import Entry

if TYPE_CHECKING:
    from gazette.build.plan_reader import PlanReader


class LazyEntries(Sequence[Entry]):
    """A shared index's articles, loaded when asked for one: a page shows of a topic its
    count and newest article, not its thousands of others. A slice's are read at once."""

    def __init__(self, places: array, plan: PlanReader) -> None:
        self.places = places  # newest first
        self._plan = plan

    def __len__(self) -> int:
        return len(self.places)

    def __getitem__(self, index):
        if isinstance(index, slice):
            places = self.places[index]
            self._plan.read_originals(places)
            return tuple(map(self._plan.entry, places))
        return self._plan.entry(self.places[index])

    def cards(self) -> tuple[Entry | UnreadEntry, ...]:
        """Every one as a list shows them as cards (`PlanReader.cards`)."""
        return self._plan.cards(self.places)


class UnreadEntry:
    """A story a list shows as a card (in its `Teasers`), not read yet: its page's fingerprint
    needs only its `teaser_digest`, which the plan keeps beside the entry, and its card is
    usually kept from the last build in place (gazette.build.fragments). So an edit that shifts
    a list's pages, 20 cards each, reads none of their entries. Anything else asked of it (a card
    not kept, a site's own template) reads the entry and answers as it does, with the others
    of its `group` (its list's): where one card is not kept, none may be (the first build in
    place with other templates), and a query each cost more than the cards."""

    __slots__ = ("_entry", "_group", "_plan", "modified_stamp", "modified_text", "place", "teaser_digest")

    def __init__(self, place: int, teaser_digest: str, modified_stamp: float, modified_text: str, plan: PlanReader,
                 group: Sequence[int] = ()) -> None:
        self.place = place
        self.teaser_digest = teaser_digest
        self.modified_stamp = modified_stamp  # its `modified`, as a POSIX timestamp, to compare
        self.modified_text = modified_text  # and in ISO 8601, as pages write it (sitemaps, fingerprints)
        self._plan = plan
        self._group = group  # read with it, where any is asked for
        self._entry: Entry | None = None

    def _loaded(self) -> Entry:
        if self._entry is None:
            self._plan.read_originals(self._group)
            self._entry = self._plan.entry(self.place)
        return self._entry

    def __getattr__(self, name: str) -> object:
        return getattr(self._loaded(), name)

    def __eq__(self, other: object) -> bool:
        return self._loaded() == (other._loaded() if isinstance(other, UnreadEntry) else other)

    def __hash__(self) -> int:
        return hash(self._loaded())


def newest_change(cards: Sequence[Entry | UnreadEntry]) -> datetime | None:
    """The latest date of change of a list's `cards` (as `pages.newest` has it of their entries),
    reading none of those unread: of those, the instant with the offset it was written with,
    which is all a page's date is used for (see `Page.modified`), not its time zone's name."""
    if not cards:
        return None
    stamps = [card.modified_stamp if type(card) is UnreadEntry else card.modified.timestamp() for card in cards]
    newest = cards[stamps.index(max(stamps))]
    return datetime.fromisoformat(newest.modified_text) if type(newest) is UnreadEntry else newest.modified


def as_cards(entries: Sequence[Entry]) -> Sequence[Entry | UnreadEntry]:
    """`entries` as a list shows them as cards: those of the kept plan unread (`LazyEntries.cards`)."""
    return entries.cards() if isinstance(entries, LazyEntries) else entries
