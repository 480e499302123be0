"""The plan of the whole site, kept page by page, so that an edit in place loads only the
pages that show the edited articles and the articles those pages show (see
gazette.build.in_place), not the whole plan.

One SQLite file beside the cache, written whole by a build that planned the site, then only
read until the next one replaces it:
- `meta`: the store's id (the cache names the store it trusts) and its `PlanHead`, what every
  edit needs: the settings, the digests, how many output files there are;
- `files`: every output file with its kind and fingerprint, by its place (the pages' first,
  in the order of `pages`), read one by one as an edit looks them up;
- `entries`: each article's entry, pickled alone, by its place in the site (newest first),
  with its teaser's digest, what ranks it as a related story and when it last changed (the
  latest change dates the site) beside it; its topics, tags and authors by their places in
  the list `meta` keeps as `terms` (`_EntryPickler`);
- `pages`: each page, pickled with the site's objects it shows by reference (`StoredRef`): an
  entry or article by its place, another page by its place, a topic's, tag's, author's,
  month's or year's index by its place in `shared`, a list's cards by their entries' places
  (read back unread: `kept_entries.UnreadEntry`), related stories by the neighbourhood
  that ranks them; an article page as `pages.article_page` makes it (nearly all of them), only
  as its article's place, neighbourhood and pictures, from which the reader makes it again;
- `shared`: those indexes, their articles by place, loaded only when a page shows them;
- `covers`: for each article, the pages whose fingerprints cover it: those that show it
  whole, and those that show it as a teaser, which only an edit to its teaser changes;
- `pictures`: the images of static/ each article shows.

gazette.build.plan_reader reads it.
"""

from __future__ import annotations

import io
import os
import pickle
import sqlite3
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from gazette.build.body_store import BodyStore
from gazette.build.outputs import OutputFile
from gazette.build.pages import ARTICLE_TEMPLATE, Page, article_page
from gazette.errors import DiskError, Problem, writing
from gazette.model.article import Article
from gazette.model.config import SiteConfig
from gazette.model.related import ranked_by
from gazette.model.site import (
    Entry,
    MonthIndex,
    PlainPageEntry,
    RelatedStories,
    Teasers,
    TermIndex,
    YearIndex,
)
from gazette.model.terms import Author, Tag, Topic

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE files (place INTEGER PRIMARY KEY, name TEXT UNIQUE, kind TEXT, fingerprint TEXT);
CREATE TABLE entries (place INTEGER PRIMARY KEY, source TEXT UNIQUE, name TEXT, identity TEXT, teaser TEXT, ranked_by TEXT, modified REAL, modified_text TEXT, blob BLOB);
CREATE INDEX entries_by_modified ON entries (modified);
CREATE INDEX entries_by_name ON entries (name);
CREATE INDEX entries_by_identity ON entries (identity);
CREATE TABLE pages (place INTEGER PRIMARY KEY, blob BLOB, cards BLOB);
CREATE TABLE shared (place INTEGER PRIMARY KEY, blob BLOB);
CREATE TABLE covers (article INTEGER PRIMARY KEY, pages BLOB, teaser_pages BLOB);
CREATE TABLE pictures (image TEXT, article INTEGER);
CREATE INDEX pictures_by_image ON pictures (image);
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
    # The output files are in the store's `files`, not here: unpickling all 130,000 of them took
    # 0.1 s of each edit at 100,000 articles, which looks up a few. Their sources are not kept:
    # an edit in place does not read them.
    file_count: int
    files_base: str  # the id of their manifest's base (see `BuildCache.manifest_changes`)
    article_months: dict[str, int]  # `OutputPlan.article_months`
    plain_page_files: tuple[str, ...]  # `OutputPlan.plain_page_files`
    site_digest: str
    template_digests: dict[str, str]
    warnings: list[Problem]
    scheduled: list[Article]
    next_change: datetime | None
    lost: list[Problem]
    article_warnings: dict[str, tuple[Problem, ...]]
    article_warnings_at: int  # `SitePlan.article_warnings_at`


def write_store(path: Path, store_id: str, head: PlanHead, files: Sequence[OutputFile], entries: Sequence[Entry],
                names: Sequence[str], pages: Sequence[Page],
                neighbourhood: Callable[[int], tuple[tuple[int, ...], ...]] | None,
                related_limit: int, covers: Sequence[Sequence[int]]) -> None:
    """Write the store at `path`, replacing any: `files` are the output files (the pages' first),
    `names` gives each entry's file as the record
    of published URLs names it, `covers` for each page the articles its fingerprint covers
    (as `keep_plan.coverage_keys` stands for them), `neighbourhood(place)` an article's neighbours (see `RelatedFinder.neighbourhood`)."""
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
                _write_rows(db, store_id, head, files, entries, names, pages, neighbourhood, related_limit, covers)
                db.execute("COMMIT")
            finally:
                db.close()
        except sqlite3.Error as exc:  # a new file: the disk is full, failing or read-only
            raise DiskError(Problem(temporary, f"cannot keep the plan of the site: {exc}")) from exc
    os.replace(temporary, path)


def _write_rows(db: sqlite3.Connection, store_id: str, head: PlanHead, files: Sequence[OutputFile],
                entries: Sequence[Entry], names: Sequence[str], pages: Sequence[Page],
                neighbourhood: Callable[[int], tuple[tuple[int, ...], ...]] | None,
                related_limit: int, covers: Sequence[Sequence[int]]) -> None:
    dumps = pickle.dumps
    db.executemany("INSERT INTO files VALUES (?, ?, ?, ?)",
                   ((place, file.name, file.kind.value, file.fingerprint) for place, file in enumerate(files)))
    entry_pickler = _EntryPickler()
    db.executemany("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   ((place, str(entry.article.source_path), name, entry.article.identity, entry.teaser_digest,
                     _ranked_by_text(entry.article), entry.modified.timestamp(), entry.modified.isoformat(),
                     entry_pickler.blob(entry))
                    for place, (entry, name) in enumerate(zip(entries, names))))
    pickler = _PagePickler(entries, pages, neighbourhood, related_limit)
    db.executemany("INSERT INTO pages VALUES (?, ?, ?)",
                   ((place, pickler.blob(page), pickler.cards_shown()) for place, page in enumerate(pages)))
    db.executemany("INSERT INTO shared VALUES (?, ?)", pickler.shared_rows())
    count = len(entries)
    # Each article's pages that show it whole, then those that show it as a teaser (see
    # `keep_plan.coverage_keys`): 670,000 pairs at 10,000 articles, so plain lists.
    by_key: list[list[int]] = [[] for _ in range(2 * count)]
    for page, keys in enumerate(covers):
        for key in keys:
            by_key[key].append(page)
    db.executemany("INSERT INTO covers VALUES (?, ?, ?)",
                   ((article, array("I", by_key[article]).tobytes(), array("I", by_key[count + article]).tobytes())
                    for article in range(count) if by_key[article] or by_key[count + article]))
    # The images of static/ each article shows (its lead, its body's): a deletion takes their
    # variants out of the output with the last article that shows them.
    db.executemany("INSERT INTO pictures VALUES (?, ?)",
                   ((image, place) for place, entry in enumerate(entries)
                    for image in sorted({entry.article.image, *entry.body.images} - {None})))
    db.executemany("INSERT INTO meta VALUES (?, ?)", (("id", store_id), ("head", dumps(head, pickle.HIGHEST_PROTOCOL)),
                                                      ("terms", dumps(entry_pickler.terms, pickle.HIGHEST_PROTOCOL))))


def _ranked_by_text(article: Article) -> str:
    """`related.ranked_by`, as text: the topics' slugs, a newline, the tags' (no slug holds a
    space or a newline)."""
    topics, tags = ranked_by(article)
    return " ".join(sorted(topics)) + "\n" + " ".join(sorted(tags))


def ranked_by_from_text(text: str) -> tuple[frozenset[str], frozenset[str]]:
    topics, tags = text.split("\n")
    return frozenset(topics.split()), frozenset(tags.split())


class _EntryPickler(pickle.Pickler):
    """Pickles one entry at a time, each of its topics, tags and authors (the same few hundred
    in every entry) as its place in `terms`, which the store keeps once, and its body's store
    by reference (the reader's own): an entry is a sixth smaller and faster to unpickle, and
    an edit that shifts a list reads thousands."""

    def __init__(self) -> None:
        self._buffer = io.BytesIO()
        super().__init__(self._buffer, pickle.HIGHEST_PROTOCOL)
        self.terms: list[Topic | Tag | Author] = []
        self._places: dict[tuple, int] = {}  # by every field: a term compares by its slug alone

    def blob(self, entry: Entry) -> bytes:
        self._buffer.seek(0)
        self._buffer.truncate()
        self.dump(entry)
        self.clear_memo()  # each blob loads alone
        return self._buffer.getvalue()

    def reducer_override(self, obj: object) -> object:
        kind = type(obj)
        if kind is Topic or kind is Tag or kind is Author:
            key = (kind, *vars(obj).values())
            place = self._places.get(key)
            if place is None:
                place = self._places[key] = len(self.terms)
                self.terms.append(obj)
            return StoredRef, ("t", place)
        if kind is BodyStore:
            return StoredRef, ("b",)
        return NotImplemented


class _PagePickler(pickle.Pickler):
    """Pickles one page at a time, the site's objects it shows by reference (see the module)."""

    def __init__(self, entries: Sequence[Entry], pages: Sequence[Page],
                 neighbourhood: Callable[[int], tuple[tuple[int, ...], ...]] | None, related_limit: int) -> None:
        self._buffer = io.BytesIO()
        super().__init__(self._buffer, pickle.HIGHEST_PROTOCOL)
        self._entry_list = entries
        self._entries = {id(entry): place for place, entry in enumerate(entries)}
        self._articles = {id(entry.article): place for place, entry in enumerate(entries)}
        self._pages = {id(page): place for place, page in enumerate(pages)}
        self._neighbourhood = neighbourhood
        self._related_limit = related_limit
        self._shared: dict[int, int] = {}  # id -> place in `shared`
        self._shared_objects: list[TermIndex | MonthIndex | YearIndex] = []
        self._top: object = None
        self._cards = array("I")  # of the page being pickled (see `cards_shown`)

    def blob(self, page: Page) -> bytes:
        self._cards = array("I")
        made_again = self._as_article(page)
        if made_again is not None:
            return pickle.dumps(made_again, pickle.HIGHEST_PROTOCOL)
        self._top = page
        self._buffer.seek(0)
        self._buffer.truncate()
        self.dump(page)
        self.clear_memo()  # each blob loads alone
        return self._buffer.getvalue()

    def cards_shown(self) -> bytes | None:
        """The places of the cards the page last pickled shows (its `Teasers`), kept beside it
        so that many pages read back at once read their cards at once (`PlanReader.pages`)."""
        return self._cards.tobytes() if self._cards else None

    def _as_article(self, page: Page) -> tuple | None:
        """An article page exactly as `article_page` makes it from the entries, as ("article",
        its place, its neighbourhood, the related stories' limit, its pictures), which the
        reader makes it again from; else None. Pickled whole, each took 70 µs and 1 KB (7 s
        and 100 MB at 100,000 articles)."""
        context = page.context
        if page.template != ARTICLE_TEMPLATE or self._neighbourhood is None:
            return None
        entry, related, pictures = context.get("entry"), context.get("related"), context.get("pictures")
        place = self._entries.get(id(entry))
        if place is None or type(related) is not RelatedStories or related.index != place:
            return None
        entries = self._entry_list
        newer = entries[place - 1] if place > 0 else None
        older = entries[place + 1] if place + 1 < len(entries) else None
        if page != article_page(entry, newer, older, related, pictures):
            return None
        return "article", place, self._neighbourhood(place), self._related_limit, pictures

    def reducer_override(self, obj: object) -> object:
        # Not persistent_id: pickle calls this one only for instances of classes, not for
        # every string, number, list and dict (2.6 million calls at 10,000 articles).
        kind = type(obj)
        if kind is Entry:
            return StoredRef, ("e", self._entries[id(obj)])
        if kind is Article:
            return StoredRef, ("a", self._articles[id(obj)])
        if kind is Page and obj is not self._top:
            return StoredRef, ("p", self._pages[id(obj)])
        if kind in (TermIndex, MonthIndex, YearIndex):
            return StoredRef, ("s", self._shared_place(obj))
        if kind is Teasers:  # a list's cards, read back unread (`kept_entries.UnreadEntry`)
            places = array("I", [self._entries[id(entry)] for entry in obj.entries])
            self._cards.extend(places)
            return StoredRef, ("T", places.tobytes())
        if kind is RelatedStories:
            if self._neighbourhood is None:
                raise TypeError("related stories without their finder's neighbourhoods")
            return StoredRef, ("r", obj.index, self._neighbourhood(obj.index), self._related_limit)
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


class StoredRef:
    """Stands, in a page's pickle, for a site object it shows (see `_PagePickler`); a page's
    unpickler calls `PlanReader.reference` in its place."""

    def __init__(self, *ref: object) -> None:
        raise TypeError("a reference to a kept plan's object reads only with its PlanReader")
