"""What templates make of one article again and again, kept from one build in place to the
next (see gazette.build.in_place): its card on a list, its entry in a feed (`once` in
gazette.build.render). A build in place renders only the pages that show what changed, but
each shows other stories too: a list 20 cards, a feed 20 entries, a month's page every story
of the month (800 at 100,000 articles), all as the last build made them.

A fragment is kept under the kept plan's id, the macro, what stands for its article in page
fingerprints (`teaser_digest` for a teaser, the article's digest for a whole entry) and the
macro's arguments: the plan's id stands for the templates, configuration and site the plan was
made with, which a build in place shares. A new plan forgets them all."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from gazette.build.cache import BuildCache
from gazette.build.cache_file import (
    process_connection,
    sealed,
    sqlite_guarded,
    unsealed,
    write_in_turn,
)
from gazette.model.site import Entry, Teaser


class KeptFragments:
    """The fragments kept under one plan (`plan_id`) in the cache's file: read one by one as
    pages ask for them, and those made since stored by `keep`, by the process that made them.
    Pages rendered by forked workers (gazette.build.parallel) read and keep their own; each
    process reads on a connection of its own, as an SQLite connection must not cross a fork."""

    def __init__(self, cache: BuildCache, plan_id: str) -> None:
        self.path: Path = cache.path
        self._plan_id = plan_id
        self._db: sqlite3.Connection | None = None
        self._pid = os.getpid()
        self.made: dict[str, str] = {}
        cache.close_with_cache(self)

    def _in_this_process(self) -> None:
        """After a fork, start afresh: the parent's connection and what it made are its own."""
        if self._pid != os.getpid():
            self._db, self._pid, self.made = None, os.getpid(), {}

    def _connection(self) -> sqlite3.Connection:
        self._in_this_process()
        if self._db is None:
            self._db = process_connection(self.path)
        return self._db

    def key(self, macro: str, entry: object, args: tuple) -> str | None:
        """The key of what `macro` makes of `entry` with `args`, if it can be kept."""
        if isinstance(entry, Teaser):
            digest = entry.entry.teaser_digest
        elif isinstance(entry, Entry):
            digest = entry.article.digest
        else:
            return None
        if not digest or not all(arg is None or isinstance(arg, (str, int, bool)) for arg in args):
            return None
        return "\x1f".join((self._plan_id, macro, digest, repr(args)))

    @sqlite_guarded
    def get(self, key: str) -> str | None:
        row = self._connection().execute("SELECT html FROM fragments WHERE key = ?", (key,)).fetchone()
        return unsealed(row[0], self.path, "a kept fragment of a page").decode("utf-8", "surrogatepass") if row else None

    def add(self, key: str, html: str) -> None:
        self._in_this_process()
        self.made[key] = html

    @sqlite_guarded
    def keep(self) -> None:
        """Store what this process made: a worker after its pages, the build at its end."""
        self._in_this_process()
        if not self.made:
            return
        write_in_turn(self._connection(), "INSERT OR REPLACE INTO fragments VALUES (?, ?)",
                      [(key, sealed(html.encode("utf-8", "surrogatepass"))) for key, html in self.made.items()])
        self.made = {}

    def close(self) -> None:
        """Close this process's connection (with the cache: see `BuildCache.close_with_cache`)."""
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db = None
