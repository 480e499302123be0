"""What templates make of one article again and again, kept from one build in place to the
next (see gazette.build.in_place): its card on a list, its entry in a feed (`once` in
gazette.build.render). A build in place renders only the pages that show what changed, but
each shows other stories too: a list 20 cards, a feed 20 entries, a month's page every story
of the month (800 at 100,000 articles), all as the last build made them.

A fragment is kept under its scope, the macro, what stands for its article in page fingerprints
(`teaser_digest` for a teaser, the article's digest for a whole entry) and the macro's
arguments. Its scope stands for all else a page's fingerprint covers (`fragment_scope`): the
configuration, renderer and templates. So the fragments outlive a plan of the whole site: a
story deleted in the middle of the archive, planned again, shifts a thousand cards at 10,000
articles, which the first build in place after it would make again. A plan made with other
templates or configuration forgets those of the others (`BuildCache.keep_fragments_between`)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Mapping
from pathlib import Path

from gazette.build.cache import BuildCache
from gazette.build.cache_file import (
    process_connection,
    sealed,
    sqlite_guarded,
    unsealed,
    write_in_turn,
)
from gazette.build.render import MACROS
from gazette.model.site import Entry, Teaser

# Past this many fragments an article, most are of stories since edited: all are forgotten.
MAX_FRAGMENTS_PER_ARTICLE = 8


def scope_bounds(scope: str) -> tuple[str, str]:
    """The keys of a scope's fragments lie strictly between these two (see `KeptFragments.key`)."""
    return scope + "\x1f", scope + "\x20"


def fragment_scope(site_digest: str, template_digests: Mapping[str, str]) -> str:
    """What a fragment is made with but its article, as page fingerprints cover it: the site's
    digest (configuration, menu, renderer, Gazette's code) and the macros' (`render.MACROS`, with
    what it imports), which the plan's `template_digests` hold beside the page templates'."""
    return hashlib.sha1(f"{site_digest}\x1f{template_digests.get(MACROS, '')}".encode()).hexdigest()


class KeptFragments:
    """The fragments kept under one `scope` in the cache's file: read one by one as
    pages ask for them, and those made since stored by `keep`, by the process that made them.
    Pages rendered by forked workers (gazette.build.parallel) read and keep their own; each
    process reads on a connection of its own, as an SQLite connection must not cross a fork."""

    def __init__(self, cache: BuildCache, scope: str) -> None:
        self.path: Path = cache.path
        self._scope = scope
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
        return "\x1f".join((self._scope, macro, digest, repr(args)))

    @sqlite_guarded
    def any_kept(self) -> bool:
        """Whether any fragment is kept in this scope (none, in the first build in place after
        the templates or the configuration changed)."""
        return self._connection().execute("SELECT 1 FROM fragments WHERE key > ? AND key < ? LIMIT 1",
                                          scope_bounds(self._scope)).fetchone() is not None

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
