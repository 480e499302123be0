"""A damaged build cache (garbage, cut short, or a few bytes changed where SQLite cannot see it)
is noticed, set aside with one warning naming it, and made again: never trusted, never a
traceback, and the site comes out as a cold build makes it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from support.fault_sites import cold_build, small_site
from support.faults import run_gazette
from support.search_index import comparable_site
from support.site import article

MARKER = b"Zanzibar"  # a word only story 3's body has, past its first paragraph (the excerpt)
STAND_IN = b"Zanzib0r"  # the same length: SQLite's pages stay well formed


def settled(database: Path) -> bytes:
    """The database's bytes once its write-ahead log is folded in, as a finished build leaves it."""
    db = sqlite3.connect(database)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return database.read_bytes()


def garbage(data: bytes) -> bytes:
    return b"this is not a database, whatever its name says\n" * (len(data) // 48 + 1)


def cut_in_half(data: bytes) -> bytes:
    return data[: len(data) // 2]


def header_only(data: bytes) -> bytes:
    return data[:100]


def words_changed(data: bytes) -> bytes:
    """What SQLite cannot notice: bytes of a stored body changed in place."""
    assert MARKER in data
    return data.replace(MARKER, STAND_IN)


def page_zeroed(data: bytes) -> bytes:
    """The page that holds the body, zeroed (a lost write)."""
    start = data.index(MARKER) // 4096 * 4096
    return data[:start] + bytes(4096) + data[start + 4096:]


@pytest.mark.parametrize("damage", [garbage, cut_in_half, header_only, words_changed, page_zeroed])
def test_a_damaged_cache_is_set_aside_and_made_again(tmp_path, damage):
    site = small_site(tmp_path / "site")
    site.add("2020/story-3.md", article("Story 3", "2020-04-13", "[AI]", body=f"Opening words.\n\nA trip to {MARKER.decode()}."))
    assert run_gazette(site.root, "build").returncode == 0
    cache = site.root / ".cache" / "gazette.sqlite"
    damaged = damage(settled(cache))
    cache.write_bytes(damaged)
    site.write_config(page_size=5)  # every page is made again, each reading its story's body from the cache
    expected, _ = cold_build(site, tmp_path / "cold")

    result = run_gazette(site.root, "build")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    warnings = [line for line in result.stderr.splitlines() if "damaged" in line]
    assert len(warnings) == 1 and warnings[0].startswith(".cache/gazette.sqlite: warning:"), result.stderr
    aside = [p for p in cache.parent.glob("gazette.sqlite.corrupt-*") if not p.name.endswith(("-wal", "-shm"))]
    assert len(aside) == 1 and aside[0].name in warnings[0]
    assert aside[0].read_bytes() == damaged  # kept as it was found
    assert comparable_site(site.public) == expected
    assert STAND_IN not in b"".join(p.read_bytes() for p in site.public.rglob("*.html"))

    site.add("2021/later.md", article("Later", "2021-09-01", "[AI]"))
    expected, _ = cold_build(site, tmp_path / "cold")
    again = run_gazette(site.root, "build")
    assert again.returncode == 0 and "damaged" not in again.stderr, again.stderr
    assert comparable_site(site.public) == expected


def test_a_damaged_cache_is_not_trusted_by_check_either(tmp_path):
    site = small_site(tmp_path / "site")
    assert run_gazette(site.root, "build").returncode == 0
    cache = site.root / ".cache" / "gazette.sqlite"
    cache.write_bytes(cut_in_half(settled(cache)))
    result = run_gazette(site.root, "check")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("damaged") == 1, result.stderr


def test_a_stale_write_ahead_log_never_reaches_the_new_cache(tmp_path):
    """SQLite keeps recent writes in gazette.sqlite-wal: a new database beside the old log
    would read the old pages as its own."""
    site = small_site(tmp_path / "site")
    assert run_gazette(site.root, "build").returncode == 0
    cache = site.root / ".cache" / "gazette.sqlite"
    data = settled(cache)
    db = sqlite3.connect(cache)  # leave a log behind, as a killed build does
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE scratch (x)")
    log = Path(f"{cache}-wal").read_bytes()
    db.close()
    cache.write_bytes(garbage(data))
    Path(f"{cache}-wal").write_bytes(log)
    result = run_gazette(site.root, "build", "--base-url", "https://example.org/other/")
    assert result.returncode == 0 and result.stderr.count("damaged") == 1, result.stderr
    fresh = sqlite3.connect(cache)
    assert fresh.execute("SELECT name FROM sqlite_master WHERE name = 'scratch'").fetchone() is None
    fresh.close()
