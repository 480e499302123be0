import hashlib
import sys

import pytest
from support.site import article

from gazette.build.cache import BuildCache
from gazette.build.output import (
    FileSource,
    _exchange,
    folder_id,
    guard_output_dir,
    publish_incremental,
    staging_dir,
)
from gazette.build.pipeline import BuildOptions, build
from gazette.build.record import RECORD_NAME
from gazette.errors import GazetteError
from gazette.project import Project


def publish(out, files, static=None, live=None, spare=None):
    """Publish byte files (and a static folder's files) the way a build does."""
    wanted = {name: hashlib.sha1(data).hexdigest() for name, data in files.items()}
    sources = {name: FileSource(data=data) for name, data in files.items()}
    for path in sorted(static.rglob("*")) if static else []:
        if path.is_file():
            name = path.relative_to(static).as_posix()
            wanted[name], sources[name] = "static", FileSource(copy_from=path)
    publish_incremental(out, wanted, sources, render=lambda page: b"", live=live, spare=spare)
    return wanted


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_the_live_and_spare_folders_are_swapped_at_once_on_linux(tmp_path):
    # Where the exchange is missing, a build swaps them in two renames, with a moment between.
    (tmp_path / "a").mkdir()
    (tmp_path / "a/site.html").write_text("a", encoding="utf-8")
    (tmp_path / "b").mkdir()
    assert _exchange(tmp_path / "a", tmp_path / "b")
    assert [path.name for path in (tmp_path / "b").iterdir()] == ["site.html"]
    assert not any((tmp_path / "a").iterdir())


def test_publish_replaces_the_whole_output(tmp_path):
    out = tmp_path / "public"
    first = publish(out, {"index.html": b"one", "old/index.html": b"old"})
    publish(out, {"index.html": b"two"}, live=first)
    assert (out / "index.html").read_bytes() == b"two"
    assert not (out / "old").exists()  # pages of deleted articles disappear
    # The previous site waits beside the output, for the next build to bring up to date.
    assert (staging_dir(out) / "index.html").read_bytes() == b"one"


def test_publish_copies_static_files(tmp_path):
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    (static / "css" / "site.css").write_text("body{}")
    publish(tmp_path / "public", {"index.html": b"x"}, static)
    assert (tmp_path / "public" / "css" / "site.css").read_text() == "body{}"


def test_a_stale_staging_folder_from_a_killed_build_is_cleared(tmp_path):
    out = tmp_path / "public"
    staging_dir(out).mkdir()
    (staging_dir(out) / "junk.html").write_text("half")
    publish(out, {"index.html": b"x"})
    assert not (out / "junk.html").exists()


def test_a_spare_folder_left_by_a_killed_build_is_salvaged_not_made_again(tmp_path):
    out = tmp_path / "public"
    live = publish(out, {"index.html": b"one", "a/index.html": b"a", "b/index.html": b"b", "gone/index.html": b"g"})
    # What a killed build leaves beside it, its record forgotten: links to live files,
    # files half written, a file and a folder the next site does not have.
    spare = staging_dir(out)
    for folder in ("a", "b", "gone", "made-then-killed"):
        (spare / folder).mkdir(parents=True)
    (spare / "a" / "index.html").hardlink_to(out / "a" / "index.html")
    (spare / "index.html").write_bytes(b"half")  # the live bytes are wanted: a name alone must not pass for them
    (spare / "b" / "index.html").write_bytes(b"b, half")
    (spare / "junk.html").write_bytes(b"junk")
    folder_a = (spare / "a").stat().st_ino

    wanted = {"index.html": b"one", "a/index.html": b"a", "b/index.html": b"b2", "c/index.html": b"c"}
    publish(out, wanted, live=live)

    assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()} == wanted
    assert (out / "a").stat().st_ino == folder_a  # the spare's folders were kept, not made again
    assert (staging_dir(out) / "gone" / "index.html").read_bytes() == b"g"  # the previous site, now the spare


def test_output_may_not_contain_what_editors_own(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    with pytest.raises(GazetteError, match="cannot be the output folder"):
        guard_output_dir(tmp_path, [content])
    with pytest.raises(GazetteError):
        guard_output_dir(content, [content])
    guard_output_dir(tmp_path / "public", [content])


def test_builds_of_one_output_folder_take_turns(tmp_path):
    import threading
    import time

    from gazette.build.output import output_lock

    order = []

    def hold(name):
        with output_lock(tmp_path / "public"):
            order.append(f"{name} in")
            time.sleep(0.2)
            order.append(f"{name} out")

    first = threading.Thread(target=hold, args=("a",))
    first.start()
    time.sleep(0.05)
    hold("b")
    first.join()
    assert order == ["a in", "a out", "b in", "b out"]


def test_a_folder_with_files_but_no_build_record_is_refused_unless_the_cache_knows_it(tmp_path):
    out = tmp_path / "public"
    out.mkdir()
    (out / "index.html").write_text("an older Gazette's site")
    with pytest.raises(GazetteError, match="is not empty and was not made by Gazette"):
        guard_output_dir(out, [])
    guard_output_dir(out, [], known_to_cache=lambda: True)
    (out / RECORD_NAME).write_text("{}")
    guard_output_dir(out, [])


def test_a_site_built_before_there_were_build_records_is_rebuilt_in_place(site):
    """An output an older Gazette built has no record; its cache manifest vouches for it."""
    site.add("alpha.md", article("Alpha"))
    options = BuildOptions(Project.at(site.root))
    build(options)
    cache = BuildCache(options.cache_file)
    files = cache.manifest(site.public, folder_id(site.public))
    del files[RECORD_NAME]
    (site.public / RECORD_NAME).unlink()
    cache.store_manifest(site.public, folder_id(site.public), files)
    cache.close()
    build(options)
    assert (site.public / RECORD_NAME).is_file() and (site.public / "2021/03/alpha/index.html").is_file()


def test_after_a_build_the_cache_knows_both_folders_as_they_are(tmp_path):
    # The live site's manifest, and the spare's: the site before, which the next build updates.
    from support.site import SiteDir

    site = SiteDir(tmp_path / "site")
    for n in range(3):
        site.add(f"2021/story-{n}.md", article(f"Story {n}", f"2021-0{1 + n}-02"))
    options = BuildOptions(Project.at(site.root))
    manifests = []
    for edit in range(3):
        site.add("2021/story-1.md", article("Story 1", "2021-02-02", body=f"Edit {edit}."))
        build(options)
        cache = BuildCache(options.cache_file)
        try:
            manifests.append(cache.manifest(site.public, folder_id(site.public)))
            spare = cache.manifest(staging_dir(site.public), folder_id(staging_dir(site.public)))
        finally:
            cache.close()
        assert manifests[-1] and "2021/02/story-1/index.html" in manifests[-1]
        assert spare == (manifests[-2] if edit else {})
    assert manifests[0] != manifests[1] != manifests[2]
