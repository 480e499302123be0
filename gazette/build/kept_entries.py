"""The kept plan's entries as its pages hold them, read only when asked for (see
gazette.build.plan_reader): a topic's or month's articles (`LazyEntries`, in the indexes the
pages share: `kept_index`), the stories a list shows as cards (`UnreadEntry`), and every entry
by place, as related stories look them up (`EntriesByPlace`)."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from gazette.model.site import Entry, MonthIndex, TermIndex, YearIndex

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


class EntriesByPlace(Mapping[int, Entry]):
    """The site's entries by place, as `RelatedStories` looks them up (`entry`: one's)."""

    def __init__(self, entry: Callable[[int], Entry]) -> None:
        self._entry = entry

    def __getitem__(self, place: int) -> Entry:
        return self._entry(place)

    def __len__(self) -> int:
        raise TypeError("a kept plan's entries are read one at a time")

    def __iter__(self) -> Iterator[int]:
        raise TypeError("a kept plan's entries are read one at a time")


def kept_index(row: tuple, plan: PlanReader, index_at: Callable[[int], object]) -> TermIndex | MonthIndex | YearIndex:
    """An index the plan's pages share, from the `row` the plan keeps (see `plan_store._PagePickler`):
    a topic's, tag's or author's, or a month's, with the articles inserted among the plan's
    since (`PlanReader.insert`); or a year's, of its months' (`index_at`: the index at a place)."""
    if row[0] == "t":
        route = row[1].route
        members = [place for place, entry in plan.inserted.items() if route in term_routes(entry)]
        return TermIndex(row[1], LazyEntries(plan.order.with_inserted(places_from(row[2]), members), plan))
    if row[0] == "m":
        members = [place for place, entry in plan.inserted.items()
                   if (entry.article.date.year, entry.article.date.month) == (row[1], row[2])]
        return MonthIndex(row[1], row[2], LazyEntries(plan.order.with_inserted(places_from(row[3]), members), plan))
    return YearIndex(row[1], tuple(map(index_at, row[2])))


def term_routes(entry: Entry) -> set[str]:
    """The routes of the article's topics, tags and authors: the lists that show it."""
    article = entry.article
    return {term.route for term in (*article.topics, *article.tags, *article.authors)}


def places_from(data: bytes) -> array:
    """Places as the plan keeps them, an array("I")'s bytes."""
    places = array("I")
    places.frombytes(data)
    return places
