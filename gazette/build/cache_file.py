"""The cache's file on disk and what can go wrong with it.

A value is stored behind its checksum (`sealed`, `unsealed`); an SQLite error is turned into
what it means to a build (`cache_failure`: a damaged database, or a disk that cannot hold it);
a damaged database is moved out of the way with its side files (`set_aside`); one build
or check holds a cache at a time (`cache_lock`); and the processes of one build (forked
workers) each read and write it on a connection of their own, writing in turns
(`process_connection`, `write_in_turn`).
"""

from __future__ import annotations

import functools
import hashlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from gazette.build.locks import exclusive
from gazette.errors import DiskError, GazetteError, Problem

LOCK_FILE = "gazette.lock"  # beside the database: one build (or check) uses a cache at a time
SIDE_FILES = ("-wal", "-shm")  # SQLite's own files beside the database, which belong with it
# SQLite's primary result codes (the low byte of an extended one) that mean a damaged file.
SQLITE_CORRUPT, SQLITE_NOTADB = 11, 26


class CacheCorrupt(Exception):
    """The cache database is damaged: it must not be read again (see `set_aside`)."""

    def __init__(self, path: Path | str, detail: str):
        super().__init__(path, detail)
        self.path, self.detail = Path(path), detail


def cache_failure(exc: sqlite3.Error, path: Path) -> Exception:
    """What an SQLite error on the cache means to a build: a damaged database, or a disk
    that cannot hold it (full, failing, read-only)."""
    message = str(exc)
    code = getattr(exc, "sqlite_errorcode", None)  # Python 3.11+
    damaged = (code & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB) if code is not None
               else "malformed" in message or "not a database" in message)
    if damaged:
        return CacheCorrupt(path, message)
    return DiskError(Problem(path, f"cannot use the build cache: {message}"))


Method = TypeVar("Method", bound=Callable)


def sqlite_guarded(method: Method) -> Method:
    """Raise what an SQLite error means (`cache_failure`) instead of the error itself."""

    @functools.wraps(method)
    def guarded(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise cache_failure(exc, self.path) from exc

    return guarded  # type: ignore[return-value]


def process_connection(path: Path) -> sqlite3.Connection:
    """A connection to the cache file at `path` for one process (an SQLite connection must not
    cross a fork), which waits for other processes' writers rather than failing."""
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA busy_timeout=60000")
    return db


def write_in_turn(db: sqlite3.Connection, sql: str, rows: list[tuple]) -> None:
    """Run `sql` over `rows` in one transaction, taken in turn with other processes' writers."""
    db.execute("BEGIN IMMEDIATE")
    try:
        db.executemany(sql, rows)
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:  # else a failed commit would keep every other writer waiting
            db.execute("ROLLBACK")
        raise


def checksum(*parts: bytes | str | int | None) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


def sealed(data: bytes) -> bytes:
    """`data` behind its checksum, for `unsealed` to verify."""
    return bytes.fromhex(checksum(data)) + data


def unsealed(blob: bytes, path: Path, what: str) -> bytes:
    data = bytes(blob[16:])
    if len(blob) < 16 or bytes.fromhex(checksum(data)) != bytes(blob[:16]):
        raise CacheCorrupt(path, f"{what} does not match its checksum")
    return data


def set_aside(path: Path) -> Path:
    """Move a damaged cache database out of the way, SQLite's side files with it, and return
    where it went (kept for whoever wants to look; a new cache is made in its place). The side
    files go first: a database left behind without them is still found damaged, whereas a new
    database beside the old write-ahead log would read the old pages."""
    aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
    number = 1
    while aside.exists():
        number += 1
        aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}-{number}")
    for suffix in (*SIDE_FILES, ""):
        try:
            os.replace(f"{path}{suffix}", f"{aside}{suffix}")
        except FileNotFoundError:
            pass
    return aside


def make_cache_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = "is a file; the build cache needs a folder" if folder.is_file() else os.strerror(exc.errno or 0)
        raise GazetteError(Problem(folder, f"cannot hold the build cache (--cache-dir): {reason}")) from None


@contextmanager
def cache_lock(path: Path | None, on_wait: Callable[[], None] = lambda: None) -> Iterator[None]:
    """Hold the cache at `path` (None: no cache, no lock) for one build or check: another
    waits (`on_wait` tells it), so that none reads what another is writing or sets aside."""
    if path is None:
        yield
        return
    make_cache_folder(path.parent)
    with exclusive(path.parent / LOCK_FILE, on_wait):
        yield
