"""The cheap summary of a build's inputs (gazette.build.inputs): the article files found by
listing only the content folders changed since the last build listed them."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from support.states import file_states

from gazette.build import inputs
from gazette.build.inputs import RACY_NS, FileStates, find_article_files_since
from gazette.model.content import FileStamp, find_article_files


class Content:
    """A content folder whose folders' times move on as a clock would, one step a change,
    well before now: a listing taken now is trusted (see `RACY_NS`)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.step = 0

    def changed(self, folder: Path) -> None:
        self.step += 1
        then = time.time_ns() - 100 * RACY_NS + self.step * 1_000_000
        os.utime(folder, ns=(then, then))

    def write(self, name: str, text: str = "x") -> None:
        path = self.root / name
        created = [parent for parent in reversed(path.parents) if not parent.exists()]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        for folder in created:  # a new folder is a new entry of its parent
            self.changed(folder.parent)
        self.changed(path.parent)

    def remove(self, name: str) -> None:
        (self.root / name).unlink()
        self.changed((self.root / name).parent)

    def rename(self, old: str, new: str) -> None:
        (self.root / old).rename(self.root / new)
        self.changed((self.root / old).parent)
        self.changed((self.root / new).parent)


CHANGES = [
    lambda c: c.write("2021/a.md"),
    lambda c: c.write("2021/b.md"),
    lambda c: c.write("2022/c.md"),
    lambda c: c.write("2021/.a.md.swp"),  # an editor's swap file: not an article
    lambda c: c.write("pages/about.md"),  # a plain page
    lambda c: c.write("drafts/_notes.md"),
    lambda c: c.write("2022/deeper/d.md"),
    lambda c: c.rename("2021/a.md", "2021/a-renamed.md"),
    lambda c: c.rename("2022/c.md", "2021/c.md"),
    lambda c: c.remove("2021/b.md"),
    lambda c: c.write("2021/b.md", "back"),
    lambda c: c.remove("2022/deeper/d.md"),
    lambda c: c.write("top.md"),
]


def test_listing_only_the_folders_changed_finds_what_a_whole_walk_finds(tmp_path):
    content = Content(tmp_path / "content")
    content.root.mkdir()
    content.changed(content.root)
    listings = {}
    for change in CHANGES:
        change(content)
        files, listings, *_ = find_article_files_since(content.root, listings)
        assert files == find_article_files(content.root)


def test_folders_unchanged_since_they_were_listed_are_not_read_again(tmp_path, monkeypatch):
    content = Content(tmp_path / "content")
    for name in ("2021/a.md", "2021/b.md", "2022/c.md"):
        content.write(name)
    files, listings, listed_anew, *_ = find_article_files_since(content.root, {})
    assert listed_anew and len(files) == 3
    read = []
    monkeypatch.setattr(inputs, "list_article_folder", lambda folder, top: read.append(folder) or ([], []))
    assert find_article_files_since(content.root, listings) == (files, listings, False, [], [])
    assert read == []
    content.write("2022/d.md")
    assert find_article_files_since(content.root, listings)[2]
    assert read == [str(content.root / "2022")]


def test_the_files_a_folder_listed_again_did_not_have_are_the_ones_added_and_those_it_lost_are_gone(tmp_path):
    content = Content(tmp_path / "content")
    content.root.mkdir()
    content.changed(content.root)
    listings = {}
    names = set()
    for change in CHANGES:
        change(content)
        files, listings, _, added, gone = find_article_files_since(content.root, listings)
        assert (added, gone) == (sorted(set(files) - names), sorted(names - set(files)))
        names = set(files)


def test_a_folder_listed_within_a_tick_of_its_change_is_listed_again(tmp_path):
    # A file added in the same tick of the clock as a listing leaves the folder's time as it was.
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "a.md").write_text("a")
    now = time.time_ns()
    os.utime(folder, ns=(now, now))
    _, listings, *_ = find_article_files_since(folder, {})
    (folder / "b.md").write_text("b")
    os.utime(folder, ns=(now, now))  # as if within the same tick
    files, _, listed_anew, *_ = find_article_files_since(folder, listings)
    assert listed_anew and files == [str(folder / "a.md"), str(folder / "b.md")]


@pytest.mark.parametrize("gone", ["content", "2021"])
def test_a_folder_gone_since_it_was_listed_holds_nothing(tmp_path, gone):
    content = Content(tmp_path / "content")
    content.write("2021/a.md")
    content.write("2022/b.md")
    _, listings, *_ = find_article_files_since(content.root, {})
    for path in sorted((tmp_path / "content" if gone == "content" else content.root / gone).rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    (tmp_path / "content" if gone == "content" else content.root / gone).rmdir()
    if gone != "content":
        content.changed(content.root)
    files, *_ = find_article_files_since(content.root, listings)
    assert files == ([] if gone == "content" else [str(content.root / "2022" / "b.md")])


def test_the_states_statted_are_those_os_stat_gives(tmp_path):
    files = []
    for number in range(5):
        (tmp_path / f"{number}.md").write_text("x" * number)
        files.append(str(tmp_path / f"{number}.md"))
    os.utime(files[3], ns=(1, 123_456_789_012))
    files.insert(2, str(tmp_path / "gone.md"))
    stamps = {name: os.stat(name) for name in files if os.path.exists(name)}
    assert FileStates.stat(files) == file_states(files, stamps)
    assert FileStates.stat(files).stamps() == {name: FileStamp(stat.st_size, stat.st_mtime_ns) for name, stat in stamps.items()}
    touched, gone = str(tmp_path / "3.md"), str(tmp_path / "gone.md")
    assert FileStates.stat(files).stamps([touched, gone]) == {touched: FileStamp(3, 123_456_789_012)}  # the gone one left out
    assert FileStates.stat([]) == file_states([], {}) and FileStates.stat([]).stamps() == {}


def test_the_files_changed_are_found_across_the_chunks_compared_whole():
    # Compared 4,096 files at a time (see `_differing_items`): changes at either edge of a
    # chunk, in a size or in a time, are each found, and nothing else.
    files = [f"content/{number:05d}.md" for number in range(9000)]
    then = {name: FileStamp(100, 1_000 + place) for place, name in enumerate(files)}
    kept = file_states(files, then).kept()
    assert file_states(files, then).changed_since(kept) == []
    changes = {0: (101, 1_000), 4095: (100, 7), 4096: (100, 8), 8191: (5, 5), 8999: (100, 9)}
    now = {**then, **{files[place]: FileStamp(*stamp) for place, stamp in changes.items()}}
    assert file_states(files, now).changed_since(kept) == [files[place] for place in sorted(changes)]
    gone = dict(now)
    del gone[files[4500]]
    assert file_states(files, gone).changed_since(kept) == [files[place] for place in sorted({*changes, 4500})]
    renamed = [*files[:-1], "content/renamed.md"]
    assert file_states(renamed, {**then, "content/renamed.md": then[files[-1]]}).changed_since(kept) is None
    assert file_states(files[:-1], then).changed_since(kept) is None  # one deleted


def test_the_states_without_some_files_are_those_of_the_others(tmp_path):
    then = {str(tmp_path / f"{number}.md"): FileStamp(number, number * 1000) for number in range(6)}
    added = [str(tmp_path / "2.md"), str(tmp_path / "5.md")]
    others = {name: state for name, state in then.items() if name not in added}
    assert file_states(list(then), then).without(added).kept() == file_states(list(others), others).kept()


def test_the_files_changed_since_are_found_with_some_gone():
    files = [f"content/{number:03d}.md" for number in range(10)]
    then = {name: FileStamp(100, place) for place, name in enumerate(files)}
    kept = file_states(files, then).kept()
    gone = [files[3], files[9]]
    others = [name for name in files if name not in gone]
    assert file_states(others, then).changed_since(kept, gone) == []
    assert file_states(others, {**then, files[4]: FileStamp(7, 7)}).changed_since(kept, gone) == [files[4]]
    assert file_states(others, then).changed_since(kept, [files[3]]) is None  # another one gone too
    assert file_states(others, then).changed_since(kept, [*gone, "content/new.md"]) is None
