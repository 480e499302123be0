"""The build cache: what a previous build already computed, keyed by what it depends on.

One SQLite file (default `.cache/gazette.sqlite`) holds
- parsed articles, valid while the file's size and mtime and the settings that
  affect parsing are unchanged;
- rendered Markdown bodies, keyed by a hash of the body and the renderer;
- the output manifest: each output file's fingerprint (hash of everything its
  page was rendered from), tied to the output folder it describes.
It only ever saves work, so it is never trusted blindly: every value carries a checksum,
and a database SQLite finds damaged, or a value whose checksum is wrong, raises
CacheCorrupt; the build then sets the file aside (`cache_file.set_aside`) and starts again without it.
A disk that fails to hold it (full, failing) is a DiskError naming the file.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
import tempfile
from pathlib import Path
from typing import Protocol

from gazette.build.body_store import BodyStore
from gazette.build.cache_file import (
    CacheCorrupt,
    cache_failure,
    checksum,
    make_cache_folder,
    sealed,
    sqlite_guarded,
    unsealed,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (signature TEXT PRIMARY KEY, records BLOB);
CREATE TABLE IF NOT EXISTS article_changes (path TEXT PRIMARY KEY, record BLOB);
CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS bodies (key TEXT PRIMARY KEY, html TEXT, excerpt TEXT, words INTEGER, links TEXT,
                                   images TEXT, summary_sum TEXT, body_sum TEXT);
-- Excerpts, word counts and images without the HTML, which spills over several pages per row.
CREATE INDEX IF NOT EXISTS body_summaries ON bodies (key, excerpt, words, images, summary_sum);
-- An output folder's files (name -> fingerprint) as a base, which the folders built from one
-- plan share, and the files whose fingerprints differ from it: an edit in place writes those.
CREATE TABLE IF NOT EXISTS manifest (output TEXT PRIMARY KEY, folder_id TEXT, base TEXT, changes BLOB);
CREATE TABLE IF NOT EXISTS manifest_bases (id TEXT PRIMARY KEY, files BLOB);
-- What templates make of one article again and again (cards, feed entries), kept between builds
-- in place under the templates and configuration they were made with (see gazette.build.fragments).
CREATE TABLE IF NOT EXISTS fragments (key TEXT PRIMARY KEY, html BLOB);
"""
VERSION = "7"
FEW_KEYS = 100  # bodies looked up one by one below this; above it, the whole table is read


class Closable(Protocol):
    def close(self) -> None: ...


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
        self._stores: list[BodyStore | Closable] = []  # closed with the cache
        make_cache_folder(path.parent)
        try:
            self._db = self._connect(path)
        except sqlite3.Error as exc:
            raise cache_failure(exc, path) from exc

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, isolation_level=None)
        try:
            BuildCache._prepare(db)
        except BaseException:
            db.close()  # now: closed later, it could touch the files of the cache made in its place
            raise
        return db

    @staticmethod
    def _prepare(db: sqlite3.Connection) -> None:
        db.execute("PRAGMA busy_timeout=60000")  # a `check` reading while a build writes waits its turn
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        if str(db.execute("PRAGMA user_version").fetchone()[0]) != VERSION:
            # A cache from another version of Gazette: start afresh, whatever its tables look like.
            tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for table in tables:
                db.execute(f'DROP TABLE IF EXISTS "{table}"')
            db.execute(f"PRAGMA user_version={VERSION}")
        db.executescript(SCHEMA)

    def close(self) -> None:
        for store in self._stores:
            store.close()
        self._stores = []
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None

    def body_store(self) -> BodyStore:
        """Bodies read (and written) on connections of their own; closed with the cache."""
        store = BodyStore(self.path)
        self._stores.append(store)
        return store

    def close_with_cache(self, resource: Closable) -> None:
        """Close `resource` (a reader of a file beside the cache) when the cache closes."""
        self._stores.append(resource)

    # Parsed articles ----------------------------------------------------

    @sqlite_guarded
    def articles(self, signature: str) -> dict:
        """Records of the articles last read under `signature`: one blob (one fast
        load) plus the few records that changed since it was written."""
        if self._db is None:
            return {}
        row = self._db.execute("SELECT records FROM articles WHERE signature = ?", (signature,)).fetchone()
        if row is None:
            return {}
        records = self._unpickled(row[0], "the articles' records")
        if not isinstance(records, dict):
            return {}
        for path, blob in self._db.execute("SELECT path, record FROM article_changes"):
            record = self._unpickled(blob, f"the record of {path}") if blob is not None else None
            if record is None:
                records.pop(path, None)  # deleted since, or written by other code: read the file again
            else:
                records[path] = record
        return records

    def _unpickled(self, blob: bytes, what: str) -> object:
        data = unsealed(blob, self.path, what)
        try:
            return pickle.loads(data)
        except Exception:  # noqa: BLE001 - intact, but from other code: a stale cache, ignored
            return None

    @sqlite_guarded
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
                    [(p, sealed(pickle.dumps(r, pickle.HIGHEST_PROTOCOL))) for p, r in changed.items()]
                    + [(p, None) for p in deleted],
                )
                return
            self._db.execute("DELETE FROM articles")
            self._db.execute("DELETE FROM article_changes")
            self._db.execute("INSERT INTO articles VALUES (?, ?)",
                             (signature, sealed(pickle.dumps(records, pickle.HIGHEST_PROTOCOL))))

    # The state of the sources at the last complete build -----------------

    @sqlite_guarded
    def state(self, name: str) -> bytes | None:
        if self._db is None:
            return None
        row = self._db.execute("SELECT value FROM state WHERE name = ?", (name,)).fetchone()
        return unsealed(row[0], self.path, f"the state {name!r}") if row else None

    @sqlite_guarded
    def store_state(self, name: str, value: bytes) -> None:
        if self._db is not None:
            self._db.execute("INSERT OR REPLACE INTO state VALUES (?, ?)", (name, sealed(value)))

    def state_object(self, name: str) -> object:
        """A state stored with `store_state_object`; None when there is none or it does not
        unpickle (written by other code): the work it spares is then done again."""
        blob = self.state(name)
        try:
            return pickle.loads(blob) if blob else None
        except Exception:  # noqa: BLE001 - see above
            return None

    def store_state_object(self, name: str, value: object) -> None:
        self.store_state(name, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))

    # Rendered bodies ----------------------------------------------------

    @sqlite_guarded
    def body_summaries(self, keys: list[str]) -> dict[str, tuple[str, int, tuple[str, ...]]]:
        """Excerpt, word count and images of the bodies already rendered; their HTML stays on disk.

        The table holds little besides the bodies of the last build (see `keep_only_bodies`),
        so reading all of it (from the `body_summaries` index) beats looking keys up."""
        if self._db is None or not keys:
            return {}
        wanted = set(keys)
        found = {}
        if len(wanted) <= FEW_KEYS:  # an edit in place: a lookup each
            rows = self._db.execute(f"SELECT key, excerpt, words, images, summary_sum FROM bodies WHERE key IN "
                                    f"({','.join('?' * len(wanted))})", sorted(wanted))
        else:
            rows = self._db.execute("SELECT key, excerpt, words, images, summary_sum FROM bodies")
        for key, excerpt, words, images, summary_sum in rows:
            if key in wanted:
                if summary_sum != checksum(key, excerpt, words, images):
                    raise CacheCorrupt(self.path, f"the summary of the body {key} does not match its checksum")
                found[key] = (excerpt, words, tuple(images.split("\n")) if images else ())
        return found

    @sqlite_guarded
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

    @sqlite_guarded
    def manifest(self, output: Path, folder_id: str) -> dict[str, str]:
        """Fingerprints of the files in `output`, if it is still the folder we wrote."""
        known = self.manifest_changes(output, folder_id)
        if known is None:
            return {}
        base, changes = known
        row = self._db.execute("SELECT files FROM manifest_bases WHERE id = ?", (base,)).fetchone()
        files = self._unpickled(row[0], f"the manifest of {output}") if row else None
        if not isinstance(files, dict):
            return {}
        # A change to None: a file of the base gone since (the page of an article deleted in place).
        return {name: fingerprint for name, fingerprint in {**files, **changes}.items() if fingerprint is not None}

    @sqlite_guarded
    def manifest_changes(self, output: Path, folder_id: str) -> tuple[str, dict[str, str]] | None:
        """The manifest of `output` (if it is still the folder we wrote) as the id of its base
        (see `manifest_base`) and the files whose fingerprints differ from the base's, without
        reading the base: 130,000 files at 100,000 articles."""
        if self._db is None:
            return None
        row = self._db.execute("SELECT folder_id, base, changes FROM manifest WHERE output = ?",
                               (str(output.resolve()),)).fetchone()
        if row is None or row[0] != folder_id:
            return None
        changes = self._unpickled(row[2], f"the manifest of {output}")
        return (row[1], changes) if isinstance(changes, dict) else None

    @sqlite_guarded
    def forget_manifest(self, output: Path) -> None:
        if self._db is not None:
            self._db.execute("DELETE FROM manifest WHERE output = ?", (str(output.resolve()),))
            self._forget_unused_bases()

    @sqlite_guarded
    def move_manifest(self, source: Path, target: Path, folder_id: str) -> None:
        """The folder whose manifest is `source`'s is now `target`, with `folder_id` (the
        previous site, now the spare): its manifest moves with it, not written again."""
        if self._db is not None:
            self._db.execute("DELETE FROM manifest WHERE output = ?", (str(target.resolve()),))
            self._db.execute("UPDATE manifest SET output = ?, folder_id = ? WHERE output = ?",
                             (str(target.resolve()), folder_id, str(source.resolve())))
            self._forget_unused_bases()

    @sqlite_guarded
    def store_manifest(self, output: Path, folder_id: str, files: dict[str, str]) -> None:
        if self._db is None:
            return
        base = manifest_base(files)
        self._db.execute("INSERT OR IGNORE INTO manifest_bases VALUES (?, ?)",
                         (base, sealed(pickle.dumps(files, pickle.HIGHEST_PROTOCOL))))
        self._store_manifest_row(output, folder_id, base, {})

    @sqlite_guarded
    def store_manifest_changes(self, output: Path, folder_id: str, base: str, changes: dict[str, str]) -> bool:
        """Store the manifest of `output` as the base `base` with `changes`; False (nothing
        stored) if the cache no longer holds that base."""
        if self._db is None or self._db.execute("SELECT 1 FROM manifest_bases WHERE id = ?", (base,)).fetchone() is None:
            return False
        self._store_manifest_row(output, folder_id, base, changes)
        return True

    def _store_manifest_row(self, output: Path, folder_id: str, base: str, changes: dict[str, str]) -> None:
        self._db.execute("INSERT OR REPLACE INTO manifest VALUES (?, ?, ?, ?)",
                         (str(output.resolve()), folder_id, base, sealed(pickle.dumps(changes, pickle.HIGHEST_PROTOCOL))))
        self._forget_unused_bases()

    def _forget_unused_bases(self) -> None:
        self._db.execute("DELETE FROM manifest_bases WHERE id NOT IN (SELECT base FROM manifest)")

    # Fragments of pages --------------------------------------------------

    @sqlite_guarded
    def keep_fragments_between(self, low: str, high: str, at_most: int) -> None:
        """Forget the fragments but those of one scope, whose keys lie strictly between `low` and
        `high` (`fragments.scope_bounds`), and all of them past `at_most`: most are then of
        stories edited since they were made."""
        if self._db is not None:
            self._db.execute("DELETE FROM fragments WHERE NOT (key > ? AND key < ?)", (low, high))
            if self._db.execute("SELECT count(*) FROM fragments").fetchone()[0] > at_most:
                self._db.execute("DELETE FROM fragments")


def manifest_base(files: dict[str, str]) -> str:
    """The id of a manifest's base: a hash of its files in their order, so the same files
    planned again have the same id (an edit in place knows its plan's)."""
    digest = hashlib.sha1()
    for name, fingerprint in files.items():
        digest.update(f"{name}\0{fingerprint}\0".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()
