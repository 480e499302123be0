"""Rendered bodies in the cache file, read one at a time as pages need them."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from gazette.build.cache_file import (
    CacheCorrupt,
    checksum,
    process_connection,
    sqlite_guarded,
    write_in_turn,
)
from gazette.build.markup import RenderedBody


class BodyStore:
    """Rendered bodies by key, read from the cache file when a page needs one.

    Holding every body's HTML in memory costs about 12 KB an article (over 1 GB at
    100,000); a page reads only its own. Each process opens its own connection: worker
    processes are forked, and an SQLite connection must not cross a fork."""

    def __init__(self, path: Path):
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._pid = 0

    def _connection(self) -> sqlite3.Connection:
        if self._db is None or self._pid != os.getpid():
            self._db = process_connection(self.path)
            self._pid = os.getpid()
        return self._db

    def __reduce__(self) -> tuple:
        return BodyStore, (self.path,)  # without its connection

    def close(self) -> None:
        """Close this process's connection. Left to the collector, it could close after the
        database was set aside, and SQLite would then remove the new database's log."""
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db = None

    def _body(self, key: str) -> tuple[str, str]:
        row = self._connection().execute("SELECT html, links, body_sum FROM bodies WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(f"no rendered body {key} in {self.path}")
        html, links, body_sum = row
        if body_sum != checksum(key, html, links):
            raise CacheCorrupt(self.path, f"the body {key} does not match its checksum")
        return html, links

    @sqlite_guarded
    def html(self, key: str) -> str:
        return self._body(key)[0]

    @sqlite_guarded
    def links(self, key: str) -> tuple[tuple[str, int | None], ...]:
        return tuple((url, line) for url, line in json.loads(self._body(key)[1] or "[]"))

    @sqlite_guarded
    def write(self, bodies: list[tuple[str, RenderedBody]]) -> None:
        """Add bodies (from any process; writers take turns)."""
        db = self._connection()
        rows = []
        for key, body in bodies:
            links = json.dumps(body.links)
            images = "\n".join(body.images)
            rows.append((key, body.html, body.excerpt, body.words, links, images, checksum(key, body.excerpt, body.words, images),
                         checksum(key, body.html, links)))
        write_in_turn(db, "INSERT OR REPLACE INTO bodies VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
