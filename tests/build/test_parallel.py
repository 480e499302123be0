import dataclasses
from pathlib import Path

import pytest
from support.site import SiteDir, article

from gazette.build.parallel import run_sharded, shard
from gazette.build.pipeline import BuildOptions, build
from gazette.errors import GazetteError, Problem
from gazette.project import Project


def test_shard_interleaves_and_drops_empty_shards():
    assert shard(list(range(7)), 3) == [[0, 3, 6], [1, 4], [2, 5]]
    assert shard([1], 4) == [[1]]


def square_all(items, tick):
    out = []
    for item in items:
        out.append(item * item)
        tick()
    return out


def test_workers_return_one_result_per_shard():
    results = run_sharded(list(range(100)), square_all, jobs=3, min_items_per_job=1)
    assert len(results) == 3
    assert sorted(x for part in results for x in part) == [i * i for i in range(100)]


def test_progress_is_reported_from_workers():
    seen = []
    run_sharded(list(range(400)), square_all, jobs=2, on_progress=seen.append, min_items_per_job=1)
    assert seen and max(seen) <= 400


def fail_on_odd(items, tick):
    bad = [Problem(Path(f"{i}.md"), "odd") for i in items if i % 2]
    if bad:
        raise GazetteError(bad)
    return items


def test_problems_from_every_worker_are_gathered():
    with pytest.raises(GazetteError) as caught:
        run_sharded(list(range(10)), fail_on_odd, jobs=2, min_items_per_job=1)
    assert sorted(str(p.path) for p in caught.value.problems) == ["1.md", "3.md", "5.md", "7.md", "9.md"]


def crash(items, tick):
    raise ZeroDivisionError("boom")


def test_a_crashing_worker_fails_the_run_with_its_own_exception():
    with pytest.raises(ZeroDivisionError, match="boom") as caught:
        run_sharded(list(range(10)), crash, jobs=2, min_items_per_job=1)
    assert "in crash" in str(caught.value.__cause__)  # the worker's traceback, for --debug


def disk_full(items, tick):
    import errno
    import os

    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), f"public/{items[0]}.html")


def test_a_disk_fault_in_a_worker_keeps_its_cause_and_path():
    with pytest.raises(OSError) as caught:
        run_sharded(list(range(10)), disk_full, jobs=2, min_items_per_job=1)
    assert caught.value.strerror == "No space left on device" and caught.value.filename in ("public/0.html", "public/1.html")


def test_small_inputs_run_in_process():
    calls = []
    run_sharded([1, 2, 3], lambda items, tick: calls.append(items), jobs=8)
    assert calls == [[1, 2, 3]]


def test_parallel_and_serial_builds_write_the_same_bytes(tmp_path):
    site = SiteDir(tmp_path / "site")
    for i in range(420):
        site.add(f"a{i}.md", article(f"Story {i}", f"2021-{1 + i % 12:02d}-{1 + i % 28:02d}", ["[AI]", "[Energy]"][i % 2],
                                     body=f"Paragraph {i} with *emphasis*.\n\n- a\n- b"))
    options = BuildOptions(Project.at(site.root), use_cache=False)
    build(dataclasses.replace(options, jobs=1, project=dataclasses.replace(options.project, output=tmp_path / "one")))
    build(dataclasses.replace(options, jobs=2, project=dataclasses.replace(options.project, output=tmp_path / "two")))
    # Pagefind's index is not byte-reproducible between runs (see test_incremental.tree).
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*")
           if p.is_file() and "pagefind" not in p.parts}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*")
           if p.is_file() and "pagefind" not in p.parts}
    assert one == two and len(one) > 420
