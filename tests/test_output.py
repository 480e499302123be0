import pytest

from gazette.errors import GazetteError
from gazette.output import guard_output_dir, publish, staging_dir


def test_publish_replaces_the_whole_output(tmp_path):
    out = tmp_path / "public"
    publish(out, {"index.html": b"one", "old/index.html": b"old"}, None)
    publish(out, {"index.html": b"two"}, None)
    assert (out / "index.html").read_bytes() == b"two"
    assert not (out / "old").exists()  # pages of deleted articles disappear
    assert not staging_dir(out).exists()


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
    publish(out, {"index.html": b"x"}, None)
    assert not (out / "junk.html").exists()


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

    from gazette.output import output_lock

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
