"""Reading the kept plan (see gazette.build.plan_store) a page and an article at a time:
the references a page's pickle holds are read from the store when the page is, and a
topic's or month's articles only when a page asks for one."""

from __future__ import annotations

import io
import os
import pickle
import sqlite3
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from pathlib import Path

from gazette.build.article_order import ArticleOrder
from gazette.build.body_store import BodyStore
from gazette.build.cache import BuildCache
from gazette.build.kept_entries import (
    EntriesByPlace,
    LazyEntries,
    UnreadEntry,
    kept_index,
    places_from,
)
from gazette.build.outputs import OutputFile, OutputKind
from gazette.build.pages import Page, article_page
from gazette.build.plan_pickles import (
    EntryUnpickler,
    PageUnpickler,
    store_factory,
    unpickle,
)
from gazette.build.plan_store import PlanHead, ranked_by_from_text
from gazette.model.related import Neighbourhood, ranked_by
from gazette.model.site import Entry, RelatedStories, Teasers


class PlanReader:
    """A kept plan, read a page and an entry at a time; `edit` swaps in edited entries
    before the pages that show them are read."""

    def __init__(self, path: Path, db: sqlite3.Connection, head: PlanHead,
                 store_factory: Callable[[Path], BodyStore]) -> None:
        self.head = head
        self.store_factory = store_factory  # the bodies' store, where a pickle names one
        self._path = path
        self._db: sqlite3.Connection | None = db
        self._pid = os.getpid()
        self._originals: dict[int, Entry] = {}
        self._terms: list | None = None  # the entries' topics, tags and authors (see `plan_store._EntryPickler`)
        self._added: dict[int, Entry] = {}  # the articles newer than the plan's (see `add`)
        self.inserted: dict[int, Entry] = {}  # the articles added among the plan's (see `insert`)
        self._columns: dict[tuple[str, int], object] = {}  # (column, place) -> as planned (see `_beside_entry`)
        self._unread: dict[int, UnreadEntry] = {}  # by place (see `cards`)
        self._edited: Mapping[int, Entry] = {}
        self._pages: dict[int, Page] = {}
        self._shared: dict[int, object] = {}
        self.order = ArticleOrder(head.articles)  # where each article stands now, by place

    @classmethod
    def open(cls, path: Path, store_id: str, cache: BuildCache) -> PlanReader | None:
        """The store at `path`, if it is the one `store_id` names and reads."""
        if not path.is_file():
            return None
        try:
            db = _connect(path)
        except sqlite3.Error:
            return None
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'id'").fetchone()
            if row is None or row[0] != store_id:
                db.close()
                return None
            bodies = store_factory(cache)
            head = unpickle(db.execute("SELECT value FROM meta WHERE key = 'head'").fetchone()[0], bodies)
        except Exception:  # noqa: BLE001 - not a store, or one written by other code: planned again
            db.close()
            return None
        if not isinstance(head, PlanHead):
            db.close()
            return None
        return cls(path, db, head, bodies)

    def close(self) -> None:
        """Close this process's connection (pages rendered in worker processes open their own)."""
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db = None

    def _connection(self) -> sqlite3.Connection:
        if self._db is None or self._pid != os.getpid():  # a connection must not cross a fork
            self._db, self._pid = _connect(self._path), os.getpid()
        return self._db

    def _query(self, sql: str, *parameters: object) -> tuple | None:
        return self._connection().execute(sql, parameters).fetchone()

    def place_of(self, source: str) -> int | None:
        """The place of the article file `source` (as the plan names it), if the plan has it."""
        row = self._query("SELECT place FROM entries WHERE source = ?", source)
        return row[0] if row else None

    def place_named(self, name: str) -> int | None:
        """The place of the article whose file the record of published URLs names `name`."""
        row = self._query("SELECT place FROM entries WHERE name = ?", name)
        return row[0] if row else None

    def _rows_at(self, query: str, places: Collection[int] | Collection[str]) -> Iterator[tuple]:
        """The rows `query` (ending `WHERE place IN`, or another key) finds at `places`: 500
        a query, within SQLite's limit on parameters."""
        ordered = sorted(places)
        for start in range(0, len(ordered), 500):
            chunk = ordered[start:start + 500]
            yield from self._connection().execute(f"{query} ({','.join('?' * len(chunk))})", chunk)

    def files_at(self, places: Collection[int]) -> dict[int, OutputFile]:
        """The output files at `places`, as planned."""
        return {place: OutputFile(name, OutputKind(kind), (), fingerprint) for place, name, kind, fingerprint
                in self._rows_at("SELECT place, name, kind, fingerprint FROM files WHERE place IN", places)}

    def file_at(self, place: int) -> OutputFile:
        """The output file at `place`, as planned."""
        return self.files_at([place])[place]

    def place_of_file(self, name: str) -> int | None:
        """The place of output file `name` (a page's file: its page's place), if planned."""
        row = self._query("SELECT place FROM files WHERE name = ?", name)
        return row[0] if row else None

    def places_of_files(self, names: Collection[str]) -> dict[str, int]:
        """The places of those output files of `names` the plan has (see `place_of_file`), at once."""
        return dict(self._rows_at("SELECT name, place FROM files WHERE name IN", names))

    def file_named(self, name: str) -> OutputFile | None:
        """The output file `name`, as planned, if the plan has it."""
        row = self._query("SELECT kind, fingerprint FROM files WHERE name = ?", name)
        return OutputFile(name, OutputKind(row[0]), (), row[1]) if row else None

    def every_file(self) -> list[OutputFile]:
        """Every output file, as planned, in order."""
        return [OutputFile(name, OutputKind(kind), (), fingerprint) for name, kind, fingerprint
                in self._connection().execute("SELECT name, kind, fingerprint FROM files ORDER BY place")]

    def places_showing(self, image: str) -> list[int]:
        """The places of the articles that showed the image `image` of static/ as the plan was made."""
        return [place for place, in self._connection().execute("SELECT article FROM pictures WHERE image = ?", (image,))]

    def places_with_identity(self, identity: str) -> list[int]:
        """The places of the articles that had `identity` as the plan was made."""
        return [place for place, in self._connection().execute("SELECT place FROM entries WHERE identity = ?", (identity,))]

    def original(self, place: int) -> Entry:
        """The article's entry as the plan was made."""
        entry = self._originals.get(place)
        if entry is None:
            (blob,) = self._query("SELECT blob FROM entries WHERE place = ?", place)
            entry = self._originals[place] = self._unpickle_entry(blob)
        return entry

    def read_originals(self, places: Sequence[int]) -> None:
        """Read the plan's entries at `places` that are not read yet, in a few queries: the
        pages of a list that an edit shifts show thousands, and a query for each cost a quarter
        as much again as unpickling them."""
        unknown = [place for place in places if 0 <= place < self.head.articles and place not in self._originals
                   and place not in self._edited]
        for place, blob in self._rows_at("SELECT place, blob FROM entries WHERE place IN", unknown):
            self._originals[place] = self._unpickle_entry(blob)

    def _unpickle_entry(self, blob: bytes) -> Entry:
        if self._terms is None:
            (terms,) = self._query("SELECT value FROM meta WHERE key = 'terms'")
            self._terms = pickle.loads(terms)
        return EntryUnpickler(io.BytesIO(blob), self.store_factory, self._terms).load()

    def entry(self, place: int) -> Entry:
        """The article's entry now: edited, added, or as planned."""
        return self._known(place) or self.original(place)

    def latest_changed(self, leaving_out: Collection[int]) -> list[int]:
        """The places of the plan's articles that changed last (`Entry.modified`), but for those
        at `leaving_out`: all that changed at that moment, usually one."""
        db = self._connection()
        rows = db.execute("SELECT place, modified FROM entries ORDER BY modified DESC LIMIT ?", (len(leaving_out) + 1,))
        latest = next((modified for place, modified in rows if place not in leaving_out), None)
        if latest is None:
            return []
        return [place for place, in db.execute("SELECT place FROM entries WHERE modified = ?", (latest,))
                if place not in leaving_out]

    def cards(self, places: Sequence[int]) -> tuple[Entry | UnreadEntry, ...]:
        """The entries at `places` as a list shows them as cards (in its `Teasers`): those read
        or changed since the plan as they are, the others unread (`UnreadEntry`), with what
        the plan keeps beside them read at once. One for each place, so a card is made once a
        build however many pages show it (`render.PageRenderer`)."""
        return self.cards_of([places])[0]

    def cards_of(self, lists: Sequence[Sequence[int]]) -> list[tuple[Entry | UnreadEntry, ...]]:
        """`cards` of each of `lists` (a list's pages), their columns read at once: a story
        backdated to the middle of 100,000 articles shifts 3,650 pages, and a query each cost
        a tenth of its build. Each page's unread cards are read together, where any is."""
        unread, known = self._unread, self._known
        # Each card as given unread before, or known, or its place until its columns are read. A
        # card given unread stays so: edits and insertions come before any page is read (`edit`).
        pages = [[unread.get(place) or known(place) or place for place in places] for places in lists]
        groups: dict[int, tuple[int, ...]] = {}
        for cards in pages:
            group = tuple(card for card in cards if type(card) is int)
            groups.update(dict.fromkeys(group, group))
        for place, teaser, modified, modified_text in self._rows_at(
                "SELECT place, teaser, modified, modified_text FROM entries WHERE place IN", groups):
            unread[place] = UnreadEntry(place, teaser, modified, modified_text, self, groups[place])
        return [tuple(unread[card] if type(card) is int else card for card in cards) for cards in pages]

    def read_cards(self) -> None:
        """Read the entries of every card given unread (see `cards`) at once."""
        self.read_originals(list(self._unread))

    def _known(self, place: int) -> Entry | None:
        """The article's entry if it is read or changed since the plan."""
        return self._edited.get(place) or self._added.get(place) or self.inserted.get(place) or \
            self._originals.get(place)

    def teaser_digest(self, place: int) -> str:
        """The digest of the article's teaser now, without unpickling its entry: a page's
        related stories are fingerprinted by their neighbours' (about 50 each)."""
        return self._beside_entry(place, "teaser", lambda entry: entry.teaser_digest, str)

    def ranked_by(self, place: int) -> tuple[frozenset[str], frozenset[str]]:
        """What ranks the article as a related story (`related.ranked_by`), without unpickling
        its entry: ranking a page's related stories looks at about 50 candidates."""
        return self._beside_entry(place, "ranked_by", lambda entry: ranked_by(entry.article), ranked_by_from_text)

    def _beside_entry(self, place: int, column: str, of_entry: Callable[[Entry], object],
                      from_column: Callable[[str], object]):
        """What `column` keeps beside the article's entry: from the entry where it is edited or
        already read (`of_entry`), else from the column (`from_column` reads it), once."""
        entry = self._known(place)
        if entry is not None:
            return of_entry(entry)
        found = self._columns.get((column, place))
        if found is None:
            (value,) = self._query(f"SELECT {column} FROM entries WHERE place = ?", place)
            found = self._columns[column, place] = from_column(value)
        return found

    def _read_beside_entries(self, places: Collection[int]) -> None:
        """The columns `teaser_digest` and `ranked_by` read, of those of `places` not yet
        known, at once: a page's related stories are fingerprinted by every candidate's teaser
        and ranked by every candidate's slugs."""
        unknown = [place for place in places if ("teaser", place) not in self._columns]
        for place, teaser, ranked in self._rows_at("SELECT place, teaser, ranked_by FROM entries WHERE place IN", unknown):
            self._columns["teaser", place] = teaser
            self._columns["ranked_by", place] = ranked_by_from_text(ranked)

    @property
    def edited(self) -> Mapping[int, Entry]:
        return self._edited

    def edit(self, edited: Mapping[int, Entry]) -> None:
        """Take `edited` (place -> entry) for the planned entries, before any page is read."""
        if self._pages or self._shared or self._unread:
            raise RuntimeError("edits come before the pages and cards that show them")
        self._edited = edited

    @property
    def removed(self) -> frozenset[int]:
        """The places of the articles deleted since the plan (see `remove`)."""
        return self.order.removed

    def remove(self, places: Collection[int]) -> None:
        """Leave out the articles at `places` (deleted since the plan), before any page is
        read: every list, index and neighbour read after this lacks them."""
        if self._pages or self._shared:
            raise RuntimeError("deletions come before the pages that show them")
        self.order.removed = frozenset(places)

    def insert(self, inserted: Sequence[Entry]) -> dict[int, Entry]:
        """Take `inserted`, each dated among the plan's articles (a backdated story), before
        any page is read: every list, index and neighbour read after this has each where its
        date puts it (`ArticleOrder.insert`). Returns them by place."""
        if self._pages or self._shared or self._unread:
            raise RuntimeError("insertions come before the pages and cards that show them")
        newest_first = sorted(inserted, key=_order_key, reverse=True)
        anchors = [self._first_older_than(_order_key(entry)) for entry in newest_first]
        placed = dict(zip(self.order.insert(anchors), newest_first))
        self.inserted.update(placed)
        return placed

    def _first_older_than(self, key: tuple) -> int:
        """The place of the plan's first article older than an article ordered by `key`, found
        by bisection: about 17 of 100,000 entries read."""
        return bisect_left(range(self.head.articles), True, key=lambda place: _order_key(self.original(place)) < key)

    def add(self, added: Sequence[Entry]) -> dict[int, Entry]:
        """Take `added`, newest first and each newer than every article of the plan, at the
        places before the newest (below 0: a place orders articles, newest first); returns
        them by place."""
        placed = dict(zip(self.order.add(len(added)), added))
        self._added.update(placed)
        return placed

    def entries(self) -> LazyEntries:
        """Every article, newest first, each read when asked for."""
        return LazyEntries(self.order.places(), self)

    def page_named(self, name: str) -> Page | None:
        """The page the plan writes to output file `name`, if it plans one."""
        place = self.place_of_file(name)
        return self.page(place) if place is not None and place < self.head.pages else None

    def pages_covering(self, articles: set[int], teasers: set[int]) -> list[int]:
        """The pages (by place) whose fingerprints cover any of `articles` (by place): those
        that show one whole, and those that show one of `teasers` as a teaser."""
        found: set[int] = set()
        for article in articles:
            row = self._query("SELECT pages, teaser_pages FROM covers WHERE article = ?", article)
            if row:
                found.update(places_from(row[0]))
                if article in teasers:
                    found.update(places_from(row[1]))
        return sorted(found)

    def page(self, place: int) -> Page:
        page = self._pages.get(place)
        if page is None:
            (blob,) = self._query("SELECT blob FROM pages WHERE place = ?", place)
            page = self._pages[place] = self._unpickle_page(blob)
        return page

    def pages(self, places: Collection[int]) -> dict[int, Page]:
        """The pages at `places`, as `page` reads each, in a few queries: their blobs, and the
        cards their lists show (the places kept beside each) at once (`cards_of`). A story
        added in the middle of 100,000 articles, then deleted, puts back 3,700 pages of the plan."""
        rows = list(self._rows_at("SELECT place, blob, cards FROM pages WHERE place IN",
                                  [place for place in places if place not in self._pages]))
        self.cards_of([places_from(cards) for _, _, cards in rows if cards])
        for place, blob, _ in rows:
            self._pages[place] = self._unpickle_page(blob)
        return {place: self._pages[place] for place in places}

    def _unpickle_page(self, blob: bytes) -> Page:
        kept = PageUnpickler(io.BytesIO(blob), self.store_factory, self.reference).load()
        return self._article_page(*kept[1:]) if isinstance(kept, tuple) else kept

    def article_page_again(self, place: int, groups: Mapping[str, tuple[int, ...]], limit: int,
                           kept: Page | None, pictures: object = None) -> Page:
        """The page of the article at `place` made again as a plan makes it, from the entries
        now (news and deletions among them), its related stories ranked from `groups` (the
        members around it in each of its topics and tags, by route) where given, else from its
        `kept` page's (and its pictures from there too)."""
        article = self.entry(place).article
        known = kept.context["related"].finder.groups if kept is not None else ()
        names = [term.route for term in (*article.topics, *article.tags)]
        neighbourhood = tuple(groups.get(name, known[number] if known else ()) for number, name in enumerate(names))
        return self._article_page(place, neighbourhood, limit, kept.context["pictures"] if kept is not None else pictures)

    def _article_page(self, place: int, groups: tuple[tuple[int, ...], ...], limit: int, pictures: object) -> Page:
        """An article page the store keeps as its article's place (see `plan_store._PagePickler`),
        made again as the plan made it, from the entries now."""
        newer, older = self.order.newer_than(place), self.order.older_than(place)
        return article_page(self.entry(place), self.entry(newer) if newer is not None else None,
                            self.entry(older) if older is not None else None,
                            self.reference(("r", place, groups, limit)), pictures)

    def reference(self, ref: tuple) -> object:
        """What a page's reference stands for (see `plan_store._PagePickler.reducer_override`)."""
        kind = ref[0]
        if kind == "e":
            return self.entry(ref[1])
        if kind == "a":
            return self.entry(ref[1]).article
        if kind == "p":
            return self.page(ref[1])
        if kind == "s":
            return self._shared_index(ref[1])
        if kind == "T":
            return Teasers(self.cards(places_from(ref[1])))
        if kind == "r":
            _, place, groups, limit = ref
            self._read_beside_entries({other for group in groups for other in group})
            neighbourhood = Neighbourhood(place, groups, limit, self.ranked_by, self.teaser_digest, self.order.key)
            return RelatedStories(EntriesByPlace(self.entry), neighbourhood, place)
        raise pickle.UnpicklingError(f"unknown reference {kind!r}")

    def _shared_index(self, place: int) -> object:
        index = self._shared.get(place)
        if index is None:
            (blob,) = self._query("SELECT blob FROM shared WHERE place = ?", place)
            index = self._shared[place] = kept_index(pickle.loads(blob), self, self._shared_index)
        return index


def _order_key(entry: Entry) -> tuple:
    return entry.article.date, entry.article.slug  # as `site.newest_first`, which sorts newest first


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
