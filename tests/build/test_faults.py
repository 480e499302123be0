"""A build the disk fails: full (ENOSPC), failing (EIO) or refusing (EACCES) at any write of
the output, the cache or the search index. Each fault is injected into a real `gazette build`
process (see support/faults.py). Whatever write fails, the build exits 1 with one line naming
the path and the cause, the last complete site stays in public/ byte for byte, and the next
build, once the fault is gone, gives what a cold build gives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.fault_sites import CAUSES, assert_reported, cold_build, edit, small_site
from support.faults import run_gazette, snapshot
from support.search_index import comparable_site
from support.site import SiteDir, article

def fault_rounds(site: SiteDir, tmp_path: Path, points, fault: list[str], causes: list[str]) -> int:
    """Build once, then for each fault point: edit, build with the Nth write failing (N from
    `points(total, round)`, `total` being the writes of the last build that ran to the end), check
    the failure, then build without the fault and compare with a cold build. Returns how
    many builds failed."""
    counter = tmp_path / "writes"
    assert run_gazette(site.root, "build").returncode == 0
    # Edits like the others, to count the writes of an incremental build (the first one after
    # a cold build has no spare folder to bring up to date: it writes more).
    for warm_up in (99_998, 99_999):
        edit(site, warm_up)
        counted = run_gazette(site.root, "build", fault=["--count-to", str(counter)])
        assert counted.returncode == 0, counted.stderr
    total, failed = int(counter.read_text()), 0
    for round_number, code in enumerate(causes):
        for n in points(total, round_number):
            edit(site, round_number * 100 + n)
            expected_site, expected_record = cold_build(site, tmp_path / "cold")
            before = snapshot(site.public)
            result = run_gazette(site.root, "build", fault=[*fault, "--errno", code, "--fail-write", str(n),
                                                            "--count-to", str(counter)])
            if result.returncode == 0:  # past this build's last write: a build like any other
                total = int(counter.read_text())
                assert comparable_site(site.public) == expected_site
                continue
            failed += 1
            assert_reported(result, CAUSES[code], site.root)
            # The live site is the one before, untouched, unless the fault came once the
            # new site was in place: then it is the new one, complete.
            assert snapshot(site.public) == before or comparable_site(site.public) == expected_site, f"write {n}"
            again = run_gazette(site.root, "build")
            assert again.returncode == 0, again.stderr
            assert comparable_site(site.public) == expected_site, f"after a fault at write {n}"
            assert (site.root / "published-urls.txt").read_text() == expected_record
    return failed


def test_a_full_disk_at_a_few_writes_leaves_the_last_site_and_the_next_build_is_right(tmp_path):
    site = small_site(tmp_path / "site")
    # The first write (the first is opening the lock file, which writes nothing), one in the
    # middle (pages, links or the search index) and the last.
    failed = fault_rounds(site, tmp_path, lambda total, _: [2, total // 2, total], [], ["ENOSPC"])
    assert failed >= 2


@pytest.mark.slow
@pytest.mark.parametrize("swap", ["exchange", "renames"])
def test_any_write_failing_leaves_the_last_site_and_the_next_build_is_right(tmp_path, swap):
    """Every 7th write and the last few, full, failing and refusing; with the folders swapped
    at once, or by renames where the file system cannot (then the renames fail too)."""
    site = small_site(tmp_path / "site")
    fault = ["--no-exchange"] if swap == "renames" else []
    # Each cause at every 12th write, from its own start, so that together they cover every 4th.
    failed = fault_rounds(site, tmp_path, lambda total, k: [*range(2 + 4 * k, total - 3, 12), total - 2 + k], fault,
                          ["ENOSPC", "EIO", "EACCES"])
    assert failed > 15


def test_a_full_disk_in_the_cache_is_reported_and_the_next_build_is_right(tmp_path):
    """SQLite itself runs out of room ("database or disk is full") at several points of
    writing the build cache (its articles, bodies, the output's manifest) or the kept plan's
    store beside it: which fills first depends on how the cache's pages fall."""
    site = small_site(tmp_path / "site")
    assert run_gazette(site.root, "build").returncode == 0
    for round_number, pages in enumerate([0, 1, 3, 10]):
        edit(site, round_number)
        # Enough new bodies that the cache must grow by several pages.
        for extra in range(12):
            site.add(f"2021/long-{round_number}-{extra}.md", article(f"Long {extra}", "2021-08-01", "[AI]",
                                                                      body=f"Round {round_number}. " + "Words. " * 800))
        expected_site, expected_record = cold_build(site, tmp_path / "cold")
        before = snapshot(site.public)
        result = run_gazette(site.root, "build", fault=["--cache-grow", str(pages)])
        assert_reported(result, "disk is full", site.root)
        assert re.search(r"^\.cache/(gazette\.sqlite|\.last-plan\.sqlite\.tmp): ", result.stderr, re.M), result.stderr
        assert snapshot(site.public) == before or comparable_site(site.public) == expected_site
        again = run_gazette(site.root, "build")
        assert again.returncode == 0, again.stderr
        assert comparable_site(site.public) == expected_site
        assert (site.root / "published-urls.txt").read_text() == expected_record


@pytest.mark.parametrize("run", [1, 2])
def test_pagefind_failing_to_write_the_index_is_reported_and_the_next_build_is_right(tmp_path, run):
    """Pagefind, a program of its own, runs out of room half way through an index (one of
    the first two it makes at once: the articles changed since their shard, or the plain pages)."""
    site = small_site(tmp_path / "site")
    assert run_gazette(site.root, "build").returncode == 0
    edit(site, 1)
    site.add("2020/story-3.md", article("Story 3", "2020-04-13", "[AI]", tags="[t0]", body="Edited too."))
    expected_site, _ = cold_build(site, tmp_path / "cold")
    before = snapshot(site.public)
    result = run_gazette(site.root, "build", fault=["--pagefind-fails", str(run), "--errno", "ENOSPC"])
    assert_reported(result, "No space left on device", site.root)
    assert re.search(r"^\S*pagefind/\S+: ", result.stderr, re.M), result.stderr  # the index folder
    assert snapshot(site.public) == before
    again = run_gazette(site.root, "build")
    assert again.returncode == 0, again.stderr
    assert comparable_site(site.public) == expected_site


@pytest.mark.slow
def test_a_full_disk_in_a_forked_worker_is_reported_with_its_path(tmp_path):
    """Enough pages that two worker processes render and write them: a write that fails in
    a worker is reported like any other."""
    site = small_site(tmp_path / "site", articles=260)
    counter = tmp_path / "writes"
    assert run_gazette(site.root, "build", "--jobs", "2", fault=["--count-to", str(counter)]).returncode == 0
    site.write_config(page_size=7)  # every list page changes: hundreds of pages to render again
    expected_site, _ = cold_build(site, tmp_path / "cold")
    before = snapshot(site.public)
    result = run_gazette(site.root, "build", "--jobs", "2", fault=["--fail-write", "100", "--errno", "EIO"])
    assert_reported(result, "Input/output error", site.root)
    assert ".public.staging/" in result.stderr
    assert snapshot(site.public) == before
    again = run_gazette(site.root, "build", "--jobs", "2")
    assert again.returncode == 0, again.stderr
    assert comparable_site(site.public) == expected_site
