"""The build cache: what a previous build already computed, keyed by what it depends on.

One SQLite file (default `.cache/gazette.sqlite`) holds
- parsed articles, valid while the file's size and mtime and the settings that
  affect parsing are unchanged;
- rendered Markdown bodies, keyed by a hash of the body and the renderer;
- the output manifest: each output file's fingerprint (hash of everything its
  page was rendered from), tied to the output folder it describes.
A cache that cannot be read is simply rebuilt: it only ever saves work.
"""

from __future__ import annotations

import json
import os
import pickle
import sqlite3
import tempfile
from pathlib import Path

from gazette.build.markup import RenderedBody
from gazette.errors import GazetteError, Problem

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (signature TEXT PRIMARY KEY, records BLOB);
CREATE TABLE IF NOT EXISTS article_changes (path TEXT PRIMARY KEY, record BLOB);
CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS bodies (key TEXT PRIMARY KEY, html TEXT, excerpt TEXT, words INTEGER, links TEXT);
-- Excerpts and word counts without the HTML, which spills over several pages per row.
CREATE INDEX IF NOT EXISTS body_summaries ON bodies (key, excerpt, words);
CREATE TABLE IF NOT EXISTS manifest (output TEXT PRIMARY KEY, folder_id TEXT, files BLOB);
"""
VERSION = "4"


class BuildCache:
    """A cache on disk, or `BuildCache(None)`: a scratch one for this build only, deleted
    on `close()` (rendered bodies still live there rather than in memory)."""

    def __init__(self, path: Path | None):
        self.persistent = path is not None
        self._scratch = None
        if path is None:
            self._scratch = tempfile.TemporaryDirectory(prefix="gazette-build-")
            path = Path(self._scratch.name) / "gazette.sqlite"
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._stores: list[BodyStore] = []  # closed with the cache: a long-running serve builds again and again
        folder = path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            reason = "is a file; the build cache needs a folder" if folder.is_file() else os.strerror(exc.errno or 0)
            raise GazetteError(Problem(folder, f"cannot hold the build cache (--cache-dir): {reason}")) from None
        try:
            self._db = self._connect(path)
        except (sqlite3.DatabaseError, OSError):
            # A corrupt or unreadable cache is thrown away, never an error.
            try:
                path.unlink(missing_ok=True)
                self._db = self._connect(path)
            except (sqlite3.DatabaseError, OSError) as exc:
                raise GazetteError(Problem(path, f"the build cache cannot be written: {exc}")) from None

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        if str(db.execute("PRAGMA user_version").fetchone()[0]) != VERSION:
            # A cache from another version of Gazette: start afresh, whatever its tables look like.
            tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for table in tables:
                db.execute(f'DROP TABLE IF EXISTS "{table}"')
            db.execute(f"PRAGMA user_version={VERSION}")
        db.executescript(SCHEMA)
        return db

    def close(self) -> None:
        for store in self._stores:
            store.close()
        self._stores.clear()
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None

    def body_store(self) -> BodyStore:
        store = BodyStore(self.path)
        self._stores.append(store)
        return store

    # Parsed articles ----------------------------------------------------

    def articles(self, signature: str) -> dict:
        """Records of the articles last read under `signature`: one blob (one fast
        load) plus the few records that changed since it was written."""
        if self._db is None:
            return {}
        row = self._db.execute("SELECT records FROM articles WHERE signature = ?", (signature,)).fetchone()
        if row is None:
            return {}
        try:
            records = pickle.loads(row[0])
            for path, record in self._db.execute("SELECT path, record FROM article_changes"):
                if record is None:
                    records.pop(path, None)
                else:
                    records[path] = pickle.loads(record)
        except Exception:  # noqa: BLE001 - a stale or foreign cache is ignored
            return {}
        return records if isinstance(records, dict) else {}

    def store_articles(self, signature: str, records: dict, previous: dict) -> None:
        """Save `records`; when few differ from `previous`, only those are written."""
        if self._db is None:
            return
        changed = {path: record for path, record in records.items() if previous.get(path) is not record}
        deleted = [path for path in previous if path not in records]
        with self._db:
            self._db.execute("BEGIN")
            pending = self._db.execute("SELECT count(*) FROM article_changes").fetchone()[0]
            has_base = self._db.execute("SELECT 1 FROM articles WHERE signature = ?", (signature,)).fetchone()
            if has_base and pending + len(changed) + len(deleted) <= max(50, len(records) // 20):
                self._db.executemany(
                    "INSERT OR REPLACE INTO article_changes VALUES (?, ?)",
                    [(p, pickle.dumps(r, pickle.HIGHEST_PROTOCOL)) for p, r in changed.items()] + [(p, None) for p in deleted],
                )
                return
            self._db.execute("DELETE FROM articles")
            self._db.execute("DELETE FROM article_changes")
            self._db.execute("INSERT INTO articles VALUES (?, ?)", (signature, pickle.dumps(records, pickle.HIGHEST_PROTOCOL)))

    # The state of the sources at the last complete build -----------------

    def state(self, name: str) -> str | None:
        if self._db is None:
            return None
        row = self._db.execute("SELECT value FROM state WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def store_state(self, name: str, value: str) -> None:
        if self._db is not None:
            self._db.execute("INSERT OR REPLACE INTO state VALUES (?, ?)", (name, value))

    # Rendered bodies ----------------------------------------------------

    def body_summaries(self, keys: list[str]) -> dict[str, tuple[str, int]]:
        """Excerpt and word count of the bodies already rendered; their HTML stays on disk.

        The table holds little besides the bodies of the last build (see `keep_only_bodies`),
        so reading all of it (from the `body_summaries` index) beats looking keys up."""
        if self._db is None or not keys:
            return {}
        wanted = set(keys)
        rows = self._db.execute("SELECT key, excerpt, words FROM bodies")
        return {key: (excerpt, words) for key, excerpt, words in rows if key in wanted}

    def keep_only_bodies(self, keep: set[str]) -> None:
        """Forget the bodies no article uses any more."""
        if self._db is None:
            return
        unused = [(key,) for key, in self._db.execute("SELECT key FROM bodies") if key not in keep]
        if unused:
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany("DELETE FROM bodies WHERE key = ?", unused)

    # Output manifest ----------------------------------------------------

    def manifest(self, output: Path, folder_id: str) -> dict[str, str]:
        """Fingerprints of the files in `output`, if it is still the folder we wrote."""
        if self._db is None:
            return {}
        row = self._db.execute("SELECT folder_id, files FROM manifest WHERE output = ?", (str(output.resolve()),)).fetchone()
        if row is None or row[0] != folder_id:
            return {}
        try:
            return pickle.loads(row[1])
        except (pickle.UnpicklingError, EOFError, ValueError):
            return {}

    def forget_manifest(self, output: Path) -> None:
        if self._db is not None:
            self._db.execute("DELETE FROM manifest WHERE output = ?", (str(output.resolve()),))

    def store_manifest(self, output: Path, folder_id: str, files: dict[str, str]) -> None:
        if self._db is None:
            return
        self._db.execute(
            "INSERT OR REPLACE INTO manifest VALUES (?, ?, ?)",
            (str(output.resolve()), folder_id, pickle.dumps(files, pickle.HIGHEST_PROTOCOL)),
        )


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
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA busy_timeout=60000")
            self._pid = os.getpid()
        return self._db

    def close(self) -> None:
        """Close the connection this process opened; one inherited across a fork is left
        alone (SQLite must not touch it, not even to close it)."""
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
            self._db = None

    def html(self, key: str) -> str:
        row = self._connection().execute("SELECT html FROM bodies WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(f"no rendered body {key} in {self.path}")
        return row[0]

    def links(self, key: str) -> tuple[tuple[str, int | None], ...]:
        row = self._connection().execute("SELECT links FROM bodies WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(f"no rendered body {key} in {self.path}")
        return tuple((url, line) for url, line in json.loads(row[0] or "[]"))

    def write(self, bodies: list[tuple[str, RenderedBody]]) -> None:
        """Add bodies (from any process; writers take turns)."""
        db = self._connection()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.executemany("INSERT OR REPLACE INTO bodies VALUES (?, ?, ?, ?, ?)",
                           ((key, b.html, b.excerpt, b.words, json.dumps(b.links)) for key, b in bodies))
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
