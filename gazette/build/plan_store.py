"""The plan of the whole site, kept page by page, so that an edit in place loads only the
pages that show the edited articles and the articles those pages show (see
gazette.build.in_place), not the whole plan.

One SQLite file beside the cache, written whole by a build that planned the site, then only
read until the next one replaces it:
- `meta`: the store's id (the cache names the store it trusts) and its `PlanHead`, what every
  edit needs: the settings, the output files with their fingerprints, the digests;
- `entries`: each article's entry, pickled alone, by its place in the site (newest first);
- `pages`: each page, pickled with the site's objects it shows by reference (`_Ref`): an
  entry or article by its place, another page by its place, a topic's, tag's, author's,
  month's or year's index by its place in `shared`, related stories by the neighbourhood
  that ranks them;
- `shared`: those indexes, their articles by place, loaded only when a page shows them;
- `covers`: for each article, the pages whose fingerprints cover it.
"""

from __future__ import annotations

import io
import os
import pickle
import sqlite3
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from gazette.build.cache import BodyStore, BuildCache
from gazette.build.outputs import OutputFile
from gazette.build.pages import Page
from gazette.errors import DiskError, Problem, writing
from gazette.model.article import Article
from gazette.model.config import SiteConfig
from gazette.model.related import Neighbourhood
from gazette.model.site import (
    Entry,
    MonthIndex,
    PlainPageEntry,
    RelatedStories,
    TermIndex,
    YearIndex,
)

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE entries (place INTEGER PRIMARY KEY, source TEXT UNIQUE, name TEXT, identity TEXT, blob BLOB);
CREATE INDEX entries_by_name ON entries (name);
CREATE INDEX entries_by_identity ON entries (identity);
CREATE TABLE pages (place INTEGER PRIMARY KEY, blob BLOB);
CREATE TABLE shared (place INTEGER PRIMARY KEY, blob BLOB);
CREATE TABLE covers (article INTEGER PRIMARY KEY, pages BLOB);
"""


@dataclass(frozen=True)
class PlanHead:
    """What every edit in place needs of the kept plan, whatever it edits."""

    config: SiteConfig
    plain_pages: tuple[PlainPageEntry, ...]
    menu_routes: frozenset[str]  # see `render.menu_routes`
    articles: int
    pages: int
    planned: int  # pages[planned:] are the old addresses kept answering (see `keep_published`)
    # Every output, the pages' first, in the same order, with its kind and fingerprint but not
    # its sources, which an edit in place does not read (making their paths again cost 0.3 s
    # at 100,000 articles).
    files: tuple[OutputFile, ...]
    site_digest: str
    template_digests: dict[str, str]
    warnings: list[Problem]
    scheduled: list[Article]
    next_change: datetime | None
    lost: list[Problem]
    article_warnings: dict[str, tuple[Problem, ...]]


def write_store(path: Path, store_id: str, head: PlanHead, entries: Sequence[Entry], names: Sequence[str],
                pages: Sequence[Page], neighbourhood: Callable[[int], tuple[tuple[int, ...], ...]] | None,
                related_limit: int, covers: Sequence[Sequence[int]]) -> None:
    """Write the store at `path`, replacing any: `names` gives each entry's file as the record
    of published URLs names it, `covers` for each page the articles (by place) its fingerprint
    covers, `neighbourhood(place)` an article's neighbours (see `RelatedFinder.neighbourhood`)."""
    temporary = path.with_name(f".{path.name}.tmp")
    with writing(temporary):
        temporary.unlink(missing_ok=True)
        try:
            db = sqlite3.connect(temporary, isolation_level=None)
            try:
                db.execute("PRAGMA journal_mode = OFF")
                db.execute("PRAGMA synchronous = OFF")
                db.executescript(SCHEMA)
                db.execute("BEGIN")
                _write_rows(db, store_id, head, entries, names, pages, neighbourhood, related_limit, covers)
                db.execute("COMMIT")
            finally:
                db.close()
        except sqlite3.Error as exc:  # a new file: the disk is full, failing or read-only
            raise DiskError(Problem(temporary, f"cannot keep the plan of the site: {exc}")) from exc
    os.replace(temporary, path)


def _write_rows(db: sqlite3.Connection, store_id: str, head: PlanHead, entries: Sequence[Entry], names: Sequence[str],
                pages: Sequence[Page], neighbourhood: Callable[[int], tuple[tuple[int, ...], ...]] | None,
                related_limit: int, covers: Sequence[Sequence[int]]) -> None:
    dumps = pickle.dumps
    db.executemany("INSERT INTO entries VALUES (?, ?, ?, ?, ?)",
                   ((place, str(entry.article.source_path), name, entry.article.identity,
                     dumps(entry, pickle.HIGHEST_PROTOCOL)) for place, (entry, name) in enumerate(zip(entries, names))))
    pickler = _PagePickler(entries, pages, neighbourhood, related_limit)
    db.executemany("INSERT INTO pages VALUES (?, ?)", ((place, pickler.blob(page)) for place, page in enumerate(pages)))
    db.executemany("INSERT INTO shared VALUES (?, ?)", pickler.shared_rows())
    by_article: list[list[int]] = [[] for _ in entries]  # 670,000 pairs at 10,000 articles: plain lists
    for page, articles in enumerate(covers):
        for article in articles:
            by_article[article].append(page)
    db.executemany("INSERT INTO covers VALUES (?, ?)",
                   ((article, array("I", found).tobytes()) for article, found in enumerate(by_article) if found))
    db.executemany("INSERT INTO meta VALUES (?, ?)", (("id", store_id), ("head", dumps(head, pickle.HIGHEST_PROTOCOL))))


class _PagePickler(pickle.Pickler):
    """Pickles one page at a time, the site's objects it shows by reference (see the module)."""

    def __init__(self, entries: Sequence[Entry], pages: Sequence[Page],
                 neighbourhood: Callable[[int], tuple[tuple[int, ...], ...]] | None, related_limit: int) -> None:
        self._buffer = io.BytesIO()
        super().__init__(self._buffer, pickle.HIGHEST_PROTOCOL)
        self._entries = {id(entry): place for place, entry in enumerate(entries)}
        self._articles = {id(entry.article): place for place, entry in enumerate(entries)}
        self._pages = {id(page): place for place, page in enumerate(pages)}
        self._neighbourhood = neighbourhood
        self._related_limit = related_limit
        self._shared: dict[int, int] = {}  # id -> place in `shared`
        self._shared_objects: list[TermIndex | MonthIndex | YearIndex] = []
        self._top: object = None

    def blob(self, page: Page) -> bytes:
        self._top = page
        self._buffer.seek(0)
        self._buffer.truncate()
        self.dump(page)
        self.clear_memo()  # each blob loads alone
        return self._buffer.getvalue()

    def reducer_override(self, obj: object) -> object:
        # Not persistent_id: pickle calls this one only for instances of classes, not for
        # every string, number, list and dict (2.6 million calls at 10,000 articles).
        kind = type(obj)
        if kind is Entry:
            return _Ref, ("e", self._entries[id(obj)])
        if kind is Article:
            return _Ref, ("a", self._articles[id(obj)])
        if kind is Page and obj is not self._top:
            return _Ref, ("p", self._pages[id(obj)])
        if kind in (TermIndex, MonthIndex, YearIndex):
            return _Ref, ("s", self._shared_place(obj))
        if kind is RelatedStories:
            if self._neighbourhood is None:
                raise TypeError("related stories without their finder's neighbourhoods")
            return _Ref, ("r", obj.index, self._neighbourhood(obj.index), self._related_limit)
        return NotImplemented

    def _shared_place(self, obj: TermIndex | MonthIndex | YearIndex) -> int:
        place = self._shared.get(id(obj))
        if place is None:
            place = self._shared[id(obj)] = len(self._shared_objects)
            self._shared_objects.append(obj)
        return place

    def shared_rows(self) -> Iterator[tuple[int, bytes]]:
        """The shared indexes the pages referred to: each with its articles by place (a year
        with its months, which may be new to the list, so it grows while it is written)."""
        place = 0
        while place < len(self._shared_objects):
            obj = self._shared_objects[place]
            if isinstance(obj, TermIndex):
                row = ("t", obj.term, self._places(obj.entries))
            elif isinstance(obj, MonthIndex):
                row = ("m", obj.year, obj.month, self._places(obj.entries))
            else:
                row = ("y", obj.year, tuple(self._shared_place(month) for month in obj.months))
            yield place, pickle.dumps(row, pickle.HIGHEST_PROTOCOL)
            place += 1

    def _places(self, entries: Sequence[Entry]) -> bytes:
        return array("I", [self._entries[id(entry)] for entry in entries]).tobytes()


class LazyEntries(Sequence[Entry]):
    """A shared index's articles, loaded when asked for one: a page shows of a topic its
    count and newest article, not its thousands of others."""

    def __init__(self, places: array, entry: Callable[[int], Entry]) -> None:
        self._places = places
        self._entry = entry

    def __len__(self) -> int:
        return len(self._places)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(self._entry(place) for place in self._places[index])
        return self._entry(self._places[index])


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
        self._edited: Mapping[int, Entry] = {}
        self._pages: dict[int, Page] = {}
        self._shared: dict[int, object] = {}

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
            store_factory = _store_factory(cache)
            head = _unpickle(db.execute("SELECT value FROM meta WHERE key = 'head'").fetchone()[0], store_factory)
        except Exception:  # noqa: BLE001 - not a store, or one written by other code: planned again
            db.close()
            return None
        if not isinstance(head, PlanHead):
            db.close()
            return None
        return cls(path, db, head, store_factory)

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

    def places_with_identity(self, identity: str) -> list[int]:
        """The places of the articles that had `identity` as the plan was made."""
        return [place for place, in self._connection().execute("SELECT place FROM entries WHERE identity = ?", (identity,))]

    def original(self, place: int) -> Entry:
        """The article's entry as the plan was made."""
        entry = self._originals.get(place)
        if entry is None:
            (blob,) = self._query("SELECT blob FROM entries WHERE place = ?", place)
            entry = self._originals[place] = _unpickle(blob, self.store_factory)
        return entry

    def entry(self, place: int) -> Entry:
        """The article's entry now: edited, or as planned."""
        edited = self._edited.get(place)
        return edited if edited is not None else self.original(place)

    @property
    def edited(self) -> Mapping[int, Entry]:
        return self._edited

    def edit(self, edited: Mapping[int, Entry]) -> None:
        """Take `edited` (place -> entry) for the planned entries, before any page is read."""
        if self._pages or self._shared:
            raise RuntimeError("edits come before the pages that show them")
        self._edited = edited

    def pages_covering(self, articles: set[int]) -> list[int]:
        """The pages (by place) that cover any of `articles`."""
        found: set[int] = set()
        for article in articles:
            row = self._query("SELECT pages FROM covers WHERE article = ?", article)
            if row:
                found.update(array("I", row[0]))
        return sorted(found)

    def page(self, place: int) -> Page:
        page = self._pages.get(place)
        if page is None:
            (blob,) = self._query("SELECT blob FROM pages WHERE place = ?", place)
            page = self._pages[place] = _PageUnpickler(io.BytesIO(blob), self).load()
        return page

    def reference(self, ref: tuple) -> object:
        """What a page's reference stands for (see `_PagePickler.reducer_override`)."""
        kind = ref[0]
        if kind == "e":
            return self.entry(ref[1])
        if kind == "a":
            return self.entry(ref[1]).article
        if kind == "p":
            return self.page(ref[1])
        if kind == "s":
            return self._shared_index(ref[1])
        if kind == "r":
            _, place, groups, limit = ref
            return RelatedStories(_Entries(self.entry), Neighbourhood(place, groups, limit, lambda i: self.entry(i).article),
                                  place)
        raise pickle.UnpicklingError(f"unknown reference {kind!r}")

    def _shared_index(self, place: int) -> object:
        index = self._shared.get(place)
        if index is None:
            (blob,) = self._query("SELECT blob FROM shared WHERE place = ?", place)
            row = pickle.loads(blob)
            if row[0] == "t":
                index = TermIndex(row[1], LazyEntries(_places(row[2]), self.entry))
            elif row[0] == "m":
                index = MonthIndex(row[1], row[2], LazyEntries(_places(row[3]), self.entry))
            else:
                index = YearIndex(row[1], tuple(self._shared_index(month) for month in row[2]))
            self._shared[place] = index
        return index


class _Entries(Mapping[int, Entry]):
    """The site's entries by place, as `RelatedStories` looks them up."""

    def __init__(self, entry: Callable[[int], Entry]) -> None:
        self._entry = entry

    def __getitem__(self, place: int) -> Entry:
        return self._entry(place)

    def __len__(self) -> int:
        raise TypeError("a kept plan's entries are read one at a time")

    def __iter__(self) -> Iterator[int]:
        raise TypeError("a kept plan's entries are read one at a time")


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _places(data: bytes) -> array:
    places = array("I")
    places.frombytes(data)
    return places


def _store_factory(cache: BuildCache) -> Callable[[Path], BodyStore]:
    """Gives the bodies' store of the cache that reads the plan where the plan held the store
    it was made with (see `BodyStore.__reduce__`): one, which the session closes."""
    stores: list[BodyStore] = []
    return lambda _path: stores[0] if stores else stores.append(cache.body_store()) or stores[0]


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, store_factory: Callable[[Path], BodyStore]) -> None:
        super().__init__(file)
        self._store_factory = store_factory

    def find_class(self, module: str, name: str) -> object:
        if (module, name) == (BodyStore.__module__, BodyStore.__qualname__):
            return self._store_factory
        return super().find_class(module, name)


class _Ref:
    """Stands, in a page's pickle, for a site object it shows (see `_PagePickler`); a page's
    unpickler calls `PlanReader.reference` in its place."""

    def __init__(self, *ref: object) -> None:
        raise TypeError("a reference to a kept plan's object reads only with its PlanReader")


class _PageUnpickler(_Unpickler):
    def __init__(self, file: io.BytesIO, reader: PlanReader) -> None:
        super().__init__(file, reader.store_factory)
        self._reader = reader

    def find_class(self, module: str, name: str) -> object:
        if (module, name) == (_Ref.__module__, _Ref.__qualname__):
            reader = self._reader  # not self: a cycle through the memo would wait for the collector
            return lambda *ref: reader.reference(ref)
        return super().find_class(module, name)


def _unpickle(blob: bytes, store_factory: Callable[[Path], BodyStore]) -> object:
    return _Unpickler(io.BytesIO(blob), store_factory).load()


def unpickle_with_bodies(blob: bytes, cache: BuildCache) -> object:
    """What `blob` pickles, entries' bodies read from `cache`'s store (see `_store_factory`)."""
    return _unpickle(blob, _store_factory(cache))
