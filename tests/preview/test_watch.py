"""The watcher: which file events matter (pure), folding bursts into serialized rebuilds,
and the real observer seeing every way an editor saves."""

from __future__ import annotations

import errno
import os
import shutil
import threading
import time
from pathlib import Path, PurePosixPath

import pytest
from support.editor_saves import (
    delete_then_create,
    edit_atomically,
    edit_in_place,
    edit_like_vim,
    edit_with_sed,
)
from support.preview import wait_until
from watchdog.events import (
    DirCreatedEvent,
    DirModifiedEvent,
    FileClosedEvent,
    FileClosedNoWriteEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileOpenedEvent,
)

from gazette.errors import GazetteError
from gazette.preview.watch import (
    RebuildLoop,
    SiteWatcher,
    WatchScope,
    build_delay,
    changed_paths,
    is_editor_noise,
    relevant_path,
)
from gazette.project import Project

ROOT = Path("/site")
SCOPE = WatchScope(
    trees=(ROOT / "content", ROOT / "templates", ROOT / "static"),
    files=(ROOT / "site.toml",),
    output_dir=ROOT / "public",
)


# --- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        ".story.md.swp",  # vim swap
        ".story.md.swo",  # vim's second swap
        ".story.md.swx",  # vim's writability probe swap
        "story.md.swp",  # vim with a 'directory' option that drops the dot
        "4913",  # vim's probe file
        "5036",  # ... when 4913 is taken
        "story.md~",  # vim / emacs backup
        "story.md.~1~",  # emacs numbered backup
        "#story.md#",  # emacs auto-save
        ".#story.md",  # emacs lock
        "story.md.tmp",
        ".story.md.tmp",
        "story.md.part",
        "story.md.crdownload",
        "story.md.kate-swp",
        "story.md___jb_tmp___",
        "story.md___jb_old___",
        ".DS_Store",
        ".git",
        "__pycache__",
        ".goutputstream-ABC123",  # gedit's atomic save temp
    ],
)
def test_editor_noise_is_recognised(name):
    assert is_editor_noise(name)


@pytest.mark.parametrize(
    "name",
    ["story.md", "base.html", "_macros.html", "site.css", "feed.xml", "4912", "4914", "2021", "a#b.md",
     "flash.swf", "notes.temporary.md", "tilde~in~middle.md"],
)
def test_real_files_are_not_noise(name):
    assert not is_editor_noise(name)


# --- paths ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/site/content/story.md",
        "/site/content/2021/03/story.md",
        "/site/content/2024",  # a new folder
        "/site/content",  # the folder itself, recreated
        "/site/templates/base.html",
        "/site/templates/_macros.html",
        "/site/static/css/site.css",
        "/site/static/images/photo.jpg",
        "/site/site.toml",
    ],
)
def test_sources_are_relevant(path):
    assert relevant_path(PurePosixPath(path), SCOPE)


@pytest.mark.parametrize(
    "path",
    [
        "/site/content/.story.md.swp",
        "/site/content/story.md~",
        "/site/content/4913",
        "/site/content/#story.md#",
        "/site/content/.#story.md",
        "/site/content/story.md.tmp",
        "/site/content/.git/index",  # anything under a dot-folder
        "/site/content/drafts/.hidden/story.md",
        "/site/templates/__pycache__/x.pyc",
        "/site/static/css/.site.css.swp",
        "/site/public/index.html",  # the output folder
        "/site/public",
        "/site/.public.staging/index.html",
        "/site/README.md",  # beside site.toml, but not read by the build
        "/site/site.toml~",
        "/site/.site.toml.swp",
        "/elsewhere/story.md",
    ],
)
def test_noise_and_foreign_paths_are_ignored(path):
    assert not relevant_path(PurePosixPath(path), SCOPE)


def test_output_inside_the_content_folder_is_ignored_but_the_rest_of_it_is_watched():
    scope = WatchScope(trees=(ROOT, ROOT / "templates", ROOT / "static"), files=(ROOT / "site.toml",),
                       output_dir=ROOT / "public")
    assert not relevant_path(ROOT / "public" / "2021" / "index.html", scope)
    assert not relevant_path(ROOT / ".public.staging" / "index.html", scope)
    assert relevant_path(ROOT / "story.md", scope)
    assert relevant_path(ROOT / "templates" / "base.html", scope)


def test_content_outside_the_project_is_watched():
    scope = WatchScope.for_project(Project.at(Path("/site"), content=Path("/shared/articles")))
    assert relevant_path(Path("/shared/articles/story.md"), scope)
    assert not relevant_path(Path("/site/content/story.md"), scope)
    assert scope.watch_points() == [
        (Path("/shared/articles"), True),
        (Path("/site/templates"), True),
        (Path("/site/static"), True),
        (Path("/site"), False),  # for site.toml
    ]


def test_watch_points_never_watch_a_folder_twice():
    scope = WatchScope(trees=(ROOT, ROOT / "templates", ROOT / "static"), files=(ROOT / "site.toml",),
                       output_dir=Path("/srv/public"))
    assert scope.watch_points() == [(ROOT, True)]


# --- events -------------------------------------------------------------------------------------

ARTICLE = "/site/content/story.md"


@pytest.mark.parametrize(
    "event, expected",
    [
        (FileModifiedEvent(ARTICLE), (ARTICLE,)),
        (FileClosedEvent(ARTICLE), (ARTICLE,)),
        (FileCreatedEvent(ARTICLE), (ARTICLE,)),
        (FileDeletedEvent(ARTICLE), (ARTICLE,)),
        # atomic save: a temp file renamed onto the article
        (FileMovedEvent("/site/content/.story.md.tmp", ARTICLE), (ARTICLE,)),
        # sed -i: its temp file has an ordinary name
        (FileMovedEvent("/site/content/sedAbC123", ARTICLE), ("/site/content/sedAbC123", ARTICLE)),
        # vim's backup: the article renamed away (a new one is written next)
        (FileMovedEvent(ARTICLE, "/site/content/story.md~"), (ARTICLE,)),
        # an article moved out of the site
        (FileMovedEvent(ARTICLE, "/tmp/story.md"), (ARTICLE,)),
        (DirCreatedEvent("/site/content/2024"), ("/site/content/2024",)),
        (FileCreatedEvent(b"/site/content/bytes.md"), ("/site/content/bytes.md",)),
        # noise
        (FileCreatedEvent("/site/content/.story.md.swp"), ()),
        (FileCreatedEvent("/site/content/4913"), ()),
        (FileMovedEvent("/site/content/.a.tmp", "/site/content/.b.tmp"), ()),
        (FileOpenedEvent(ARTICLE), ()),  # the build reading it
        (FileClosedNoWriteEvent(ARTICLE), ()),
        (DirModifiedEvent("/site/content"), ()),  # a child's event says what changed
        (FileModifiedEvent("/site/public/index.html"), ()),
    ],
)
def test_changed_paths(event, expected):
    assert changed_paths(event, SCOPE) == tuple(Path(p) for p in expected)


# --- debounce -------------------------------------------------------------------------------------


def test_build_delay_waits_for_quiet():
    assert build_delay(now=10.0, first_event=10.0, last_event=10.0, quiet=0.1, max_delay=1.0) == pytest.approx(0.1)
    assert build_delay(now=10.05, first_event=10.0, last_event=10.04, quiet=0.1, max_delay=1.0) == pytest.approx(0.09)
    assert build_delay(now=10.2, first_event=10.0, last_event=10.05, quiet=0.1, max_delay=1.0) == 0.0


def test_build_delay_is_capped_for_endless_bursts():
    assert build_delay(now=10.95, first_event=10.0, last_event=10.94, quiet=0.1, max_delay=1.0) == pytest.approx(0.05)
    assert build_delay(now=11.2, first_event=10.0, last_event=11.19, quiet=0.1, max_delay=1.0) == 0.0


class BuildRecorder:
    """A fake rebuild that records its batches and notices any overlap."""

    def __init__(self, seconds: float = 0.0) -> None:
        self.seconds = seconds
        self.batches: list[frozenset[Path]] = []
        self.running = 0
        self.overlapped = False
        self.started = threading.Event()
        self._lock = threading.Lock()

    def __call__(self, batch: frozenset[Path]) -> None:
        with self._lock:
            self.running += 1
            self.overlapped |= self.running > 1
        self.started.set()
        time.sleep(self.seconds)
        with self._lock:
            self.running -= 1
            self.batches.append(batch)


@pytest.fixture
def loop_with():
    loops: list[RebuildLoop] = []

    def make(recorder: BuildRecorder, **kwargs) -> RebuildLoop:
        loop = RebuildLoop(recorder, **kwargs)
        loop.start()
        loops.append(loop)
        return loop

    yield make
    for loop in loops:
        loop.stop()


def test_a_burst_makes_one_build(loop_with):
    recorder = BuildRecorder()
    loop = loop_with(recorder, quiet=0.1)
    for index in range(30):
        loop.notify([Path(f"/site/content/{index}.md")])
    wait_until(lambda: recorder.batches, what="the build")
    time.sleep(0.3)  # long enough for a wrong second build to show up
    assert len(recorder.batches) == 1
    assert len(recorder.batches[0]) == 30


def test_the_build_waits_for_the_quiet_period(loop_with):
    recorder = BuildRecorder()
    loop = loop_with(recorder, quiet=0.15, max_delay=5.0)
    started = time.monotonic()
    for index in range(5):
        if index:
            time.sleep(0.05)  # each event restarts the quiet period
        last_event = time.monotonic()
        loop.notify([Path("/site/content/a.md")])
    assert recorder.started.wait(5)
    built = time.monotonic()
    assert built - last_event >= 0.15
    assert built - started >= 0.35


def test_separate_bursts_make_separate_builds(loop_with):
    recorder = BuildRecorder()
    loop = loop_with(recorder, quiet=0.05)
    loop.notify([Path("/site/content/a.md")])
    wait_until(lambda: len(recorder.batches) == 1, what="the first build")
    loop.notify([Path("/site/content/b.md")])
    wait_until(lambda: len(recorder.batches) == 2, what="the second build")
    assert recorder.batches == [frozenset({Path("/site/content/a.md")}), frozenset({Path("/site/content/b.md")})]


def test_changes_during_a_build_make_exactly_one_more_build_after_it(loop_with):
    recorder = BuildRecorder(seconds=0.4)
    loop = loop_with(recorder, quiet=0.05)
    loop.notify([Path("/site/content/a.md")])
    assert recorder.started.wait(5)
    for name in ("b.md", "c.md", "d.md"):
        loop.notify([Path(f"/site/content/{name}")])
    wait_until(lambda: len(recorder.batches) == 2, what="the follow-up build")
    time.sleep(0.2)
    assert len(recorder.batches) == 2
    assert recorder.batches[1] == {Path(f"/site/content/{n}") for n in ("b.md", "c.md", "d.md")}
    assert not recorder.overlapped


def test_builds_never_overlap_under_a_stream_of_changes(loop_with):
    recorder = BuildRecorder(seconds=0.03)
    loop = loop_with(recorder, quiet=0.01, max_delay=0.05)
    for index in range(60):
        loop.notify([Path(f"/site/content/{index}.md")])
        time.sleep(0.005)
    wait_until(lambda: sum(len(b) for b in recorder.batches) == 60, what="every change to be built")
    assert not recorder.overlapped
    assert len(recorder.batches) >= 2  # the cap forced builds during the stream


def test_a_failing_rebuild_does_not_end_the_loop(loop_with, capsys):
    calls: list[frozenset[Path]] = []

    def rebuild(batch: frozenset[Path]) -> None:
        calls.append(batch)
        if len(calls) == 1:
            raise RuntimeError("boom")

    loop = RebuildLoop(rebuild, quiet=0.01)
    loop.start()
    try:
        loop.notify([Path("/a")])
        wait_until(lambda: len(calls) == 1, what="the failing build")
        loop.notify([Path("/b")])
        wait_until(lambda: len(calls) == 2, what="the next build")
    finally:
        loop.stop()
    assert "RuntimeError: boom" in capsys.readouterr().err


def test_stop_ends_the_thread_and_drops_pending_changes():
    recorder = BuildRecorder()
    loop = RebuildLoop(recorder, quiet=10.0)
    loop.start()
    loop.notify([Path("/a")])
    loop.stop(timeout=5)
    assert not any(t.name == "gazette-rebuild" and t.is_alive() for t in threading.enumerate())
    assert recorder.batches == []


# --- the real observer ------------------------------------------------------------------------------


class ChangeLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.paths: list[Path] = []

    def __call__(self, paths: tuple[Path, ...]) -> None:
        with self._lock:
            self.paths.extend(paths)

    def seen(self) -> set[Path]:
        with self._lock:
            return set(self.paths)

    def clear(self) -> None:
        with self._lock:
            self.paths.clear()


@pytest.fixture(params=[False, True], ids=["inotify", "polling"])
def watched_site(request, tmp_path):
    root = tmp_path / "site"
    for folder in ("content", "templates", "static/css"):
        (root / folder).mkdir(parents=True)
    (root / "site.toml").write_text('title = "T"\n')
    (root / "content" / "story.md").write_text("old words\n")
    (root / "templates" / "base.html").write_text("<p>old words</p>\n")
    log = ChangeLog()
    watcher = SiteWatcher(WatchScope.for_project(Project.at(root)), log,
                          poll=request.param, poll_interval=0.1)
    watcher.start()
    yield root, log
    watcher.stop()


# The editors' ways of saving, each replacing "old" with "new" (the preview's tests use them too).
SAVES = [edit_in_place, edit_atomically, edit_like_vim, edit_with_sed, delete_then_create]


@pytest.mark.parametrize("save", SAVES, ids=lambda f: f.__name__)
def test_every_kind_of_save_is_seen(watched_site, save):
    root, log = watched_site
    for path in (root / "content" / "story.md", root / "templates" / "base.html", root / "site.toml"):
        if path.name == "site.toml" and save is edit_with_sed:
            path.write_text('title = "old"\n')
        save(path, "old", "new")
        wait_until(lambda: path in log.seen(), timeout=5, what=f"{path.name} to be reported")
        assert not any(is_editor_noise(p.name) for p in log.seen())


def test_new_folders_are_watched_recursively(watched_site):
    root, log = watched_site
    folder = root / "content" / "2024" / "05"
    folder.mkdir(parents=True)
    wait_until(lambda: root / "content" / "2024" in log.seen(), timeout=5, what="the new folder")
    time.sleep(0.3)  # let the new folder's watch settle before writing inside it
    (folder / "story.md").write_text("new")
    wait_until(lambda: folder / "story.md" in log.seen(), timeout=5, what="a file in the new folder")


def test_noise_alone_is_not_reported(watched_site):
    root, log = watched_site
    content = root / "content"
    time.sleep(0.3)  # the polling observer's first snapshot
    for name in (".story.md.swp", "story.md~", "#story.md#", "4913", "story.md.tmp", ".hidden.md"):
        (content / name).write_text("x")
        (content / name).unlink()
    (content / "story.md").read_text()  # a read, like the build's
    public = root / "public"
    public.mkdir()
    (public / "index.html").write_text("built")
    time.sleep(0.5)
    assert log.seen() == set()


def test_a_replaced_folder_is_watched_again(tmp_path):
    root = tmp_path / "site"
    (root / "templates").mkdir(parents=True)
    (root / "content").mkdir()
    log = ChangeLog()
    watcher = SiteWatcher(WatchScope.for_project(Project.at(root)), log)
    watcher.start()
    try:
        assert root / "static" not in watcher.watched_folders
        (root / "static").mkdir()  # appears after start
        wait_until(lambda: root / "static" in log.seen(), timeout=5, what="static/ to appear")
        watcher.refresh()
        (root / "static" / "site.css").write_text("a")
        wait_until(lambda: root / "static" / "site.css" in log.seen(), timeout=5, what="a file in the new static/")

        (root / "templates").rename(tmp_path / "old-templates")  # replaced wholesale (git checkout)
        (root / "templates").mkdir()
        wait_until(lambda: root / "templates" in log.seen(), timeout=5, what="templates/ to be replaced")
        watcher.refresh()
        log.clear()
        (root / "templates" / "base.html").write_text("b")
        wait_until(lambda: root / "templates" / "base.html" in log.seen(), timeout=5, what="the new templates/")
    finally:
        watcher.stop()


def test_the_output_folder_inside_a_watched_tree_is_left_out():
    # `--content .` with the output in site/build/public: only the way down is watched shallowly.
    folders = {
        ROOT: [ROOT / "templates", ROOT / "build", ROOT / ".git", ROOT / "2021"],
        ROOT / "build": [ROOT / "build" / "public", ROOT / "build" / ".public.staging", ROOT / "build" / "notes"],
    }
    scope = WatchScope(trees=(ROOT, ROOT / "templates", ROOT / "static"), files=(ROOT / "site.toml",),
                       output_dir=ROOT / "build" / "public")
    assert scope.watch_points(lambda folder: folders.get(folder, [])) == [
        (ROOT, False),
        (ROOT / "templates", True),
        (ROOT / "2021", True),
        (ROOT / "build", False),
        (ROOT / "build" / "notes", True),
    ]


def test_folders_renamed_and_deleted_inside_the_tree_keep_the_watcher_alive(tmp_path):
    root = tmp_path / "site"
    (root / "content" / "2021" / "03").mkdir(parents=True)
    (root / "content" / "2021" / "03" / "a.md").write_text("a")
    log = ChangeLog()
    watcher = SiteWatcher(WatchScope.for_project(Project.at(root)), log)
    watcher.start()
    try:
        os.rename(root / "content" / "2021", root / "content" / "2022")
        wait_until(lambda: root / "content" / "2022" in log.seen(), timeout=5, what="the renamed folder")
        (root / "content" / "2022" / "03" / "a.md").write_text("b")
        wait_until(lambda: root / "content" / "2022" / "03" / "a.md" in log.seen(), timeout=5,
                   what="a change inside the renamed folder, under its new name")
        shutil.rmtree(root / "content" / "2022")
        wait_until(lambda: root / "content" / "2022" / "03" / "a.md" in log.seen(), timeout=5, what="the deletion")
        log.clear()
        (root / "content" / "b.md").write_text("b")
        wait_until(lambda: root / "content" / "b.md" in log.seen(), timeout=5, what="the watcher to still work")
    finally:
        watcher.stop()


def test_running_out_of_watches_is_reported_with_a_way_out(tmp_path, monkeypatch):
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    watcher = SiteWatcher(WatchScope.for_project(Project.at(root)), ChangeLog())

    def refuse(*args, **kwargs):
        raise OSError(errno.ENOSPC, "inotify watch limit reached")

    monkeypatch.setattr(watcher._observer, "schedule", refuse)
    with pytest.raises(GazetteError, match="--poll") as raised:
        watcher.start()
    assert str(root / "content") in str(raised.value)
    assert not watcher._observer.is_alive()
