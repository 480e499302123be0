"""Watch what the site is built from, and turn bursts of file events into serialized rebuilds.

Three layers, each testable on its own:
- pure classification: `changed_paths(event, scope)` says which paths of a watchdog event matter
  (editors' swap, backup, lock and temp files, dot-files and the output folder do not);
- `RebuildLoop`: folds a burst of changes (about 100 ms of quiet) into one call, on one thread,
  so two builds never run at once and changes made during a build cause exactly one more;
- `SiteWatcher`: the watchdog observer (inotify, or polling for network drives and containers).
"""

from __future__ import annotations

import os
import re
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileAttribEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

from gazette.errors import GazetteError, Problem
from gazette.project import Project

QUIET_PERIOD = 0.1  # seconds without events before a burst counts as over
MAX_DELAY = 1.0  # a never-ending stream of events (a sync tool) still gets a build this often
POLL_INTERVAL = 0.5  # seconds between snapshots with --poll

# Only what can change a file's content or existence. Leaving out "opened" and
# "closed without writing" keeps the build's own reads from triggering builds.
WATCHED_EVENTS: tuple[type[FileSystemEvent], ...] = (
    FileCreatedEvent,
    FileModifiedEvent,
    FileAttribEvent,  # `touch` to force a rebuild
    FileClosedEvent,  # the end of a write in place
    FileDeletedEvent,
    FileMovedEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
)

_VIM_SWAP = re.compile(r"\.sw[ponmx]$")  # .swp, then .swo, .swn ... when taken; .swx probes
_TEMP_SUFFIXES = (
    ".tmp",
    ".temp",
    ".part",  # partial downloads and copies
    ".crdownload",
    ".kate-swp",
    "___jb_tmp___",  # JetBrains "safe write"
    "___jb_old___",
)


def _is_vim_probe(name: str) -> bool:
    # Vim checks a folder is writable by creating "4913" (5036, 5159, ... if that is taken).
    if not (name.isascii() and name.isdigit()):
        return False
    number = int(name)
    return number >= 4913 and (number - 4913) % 123 == 0


def is_editor_noise(name: str) -> bool:
    """True for a file or folder name that is never part of a site: swap, backup, lock, temp."""
    return (
        name.startswith(".")  # dot-files: .x.swp, emacs's .#x lock, .x.tmp, .git, .DS_Store
        or name == "__pycache__"
        or name.endswith("~")  # backups: x~ (vim, emacs), x.~1~ (emacs numbered)
        or (name.startswith("#") and name.endswith("#"))  # emacs auto-save #x#
        or _VIM_SWAP.search(name) is not None
        or name.endswith(_TEMP_SUFFIXES)
        or _is_vim_probe(name)
    )


@dataclass(frozen=True)
class WatchScope:
    """What a build reads, as absolute paths; a change anywhere else is noise."""

    trees: tuple[Path, ...]  # watched recursively: content/, templates/, static/
    files: tuple[Path, ...]  # watched one by one: site.toml
    output_dir: Path  # written by the build itself, so never a reason to build

    @classmethod
    def for_project(cls, project: Project) -> WatchScope:
        return cls(
            trees=(project.content.resolve(), project.templates.resolve(), project.static.resolve()),
            files=(project.config_file.resolve(),),
            output_dir=project.output.resolve(),
        )

    def watch_points(self, list_folders: Callable[[Path], Iterable[Path]] | None = None) -> list[tuple[Path, bool]]:
        """(folder, recursive) pairs to hand to watchdog, without watching anything twice
        and never the output folder (see `_tree_points`). Pure given `list_folders`."""
        list_folders = list_folders or _subfolders
        trees = list(dict.fromkeys(self.trees))
        # A tree inside another (templates/ inside `--content .`) is watched by the outer one.
        trees = [tree for tree in trees if not any(other in tree.parents for other in trees)]
        points = [point for tree in trees for point in _tree_points(tree, self.output_dir, list_folders)]
        for folder in dict.fromkeys(file.parent for file in self.files):
            if not any(folder == tree or tree in folder.parents for tree in trees):
                points.append((folder, False))
        return points


def _subfolders(folder: Path) -> list[Path]:
    try:
        return sorted(entry for entry in folder.iterdir() if entry.is_dir())
    except OSError:
        return []


def _tree_points(tree: Path, output_dir: Path, list_folders: Callable[[Path], Iterable[Path]]) -> list[tuple[Path, bool]]:
    """Watch a tree recursively, unless the output folder is inside it (`--content .`).

    Then the folders on the way down to the output folder are watched one level deep and
    their other sub-folders recursively: a recursive watch would follow every build's
    swap of the output folder, which is wasted work and breaks watchdog's bookkeeping."""
    if output_dir == tree or tree not in output_dir.parents:
        return [(tree, True)]
    points: list[tuple[Path, bool]] = []
    folder = tree
    while folder != output_dir:
        step = folder / output_dir.relative_to(folder).parts[0]  # one level closer to the output
        points.append((folder, False))
        points += [
            (child, True)
            for child in list_folders(folder)
            if child != step and not is_editor_noise(child.name)  # .public.staging swaps too
        ]
        folder = step
    return points


def relevant_path(path: PurePath, scope: WatchScope) -> bool:
    """Would a change at `path` change the site? Pure: looks at names only, never at the disk."""
    if path == scope.output_dir or scope.output_dir in path.parents:
        return False
    if path in scope.files:
        return True
    for tree in scope.trees:
        if path == tree:
            return True  # the folder itself appeared or went away
        if tree in path.parents:
            return not any(is_editor_noise(part) for part in path.relative_to(tree).parts)
    return False


def changed_paths(event: FileSystemEvent, scope: WatchScope) -> tuple[Path, ...]:
    """The paths of one watchdog event that matter to the site; () means ignore the event."""
    if event.event_type in ("opened", "closed_no_write"):
        return ()  # reads, our own build's included
    if event.is_directory and event.event_type in ("modified", "attrib", "closed"):
        return ()  # a folder's mtime moves with every child; the child's own event says what changed
    # A rename counts at both ends: an atomic save renames a temp file onto the article
    # (the destination matters), vim's backup renames the article away (the source matters).
    candidates = (event.src_path, event.dest_path) if event.event_type == "moved" else (event.src_path,)
    paths = (Path(os.fsdecode(p)) for p in candidates if p)
    return tuple(dict.fromkeys(p for p in paths if relevant_path(p, scope)))


def build_delay(now: float, first_event: float, last_event: float, quiet: float, max_delay: float) -> float:
    """Seconds to wait before building: until the burst has been quiet for `quiet`,
    but never later than `max_delay` after it began."""
    return max(0.0, min(last_event + quiet, first_event + max_delay) - now)


class RebuildLoop:
    """Calls `rebuild(changed_paths)` on its own thread, once per burst of changes.

    Builds never overlap: changes that arrive during a build are collected and
    cause exactly one more build once it is done (and the new burst is quiet).
    """

    def __init__(
        self,
        rebuild: Callable[[frozenset[Path]], None],
        quiet: float = QUIET_PERIOD,
        max_delay: float = MAX_DELAY,
    ) -> None:
        self._rebuild = rebuild
        self._quiet = quiet
        self._max_delay = max_delay
        self._changes = threading.Condition()
        self._pending: set[Path] = set()
        self._first_event = 0.0
        self._last_event = 0.0
        self._stopping = False
        # Daemon, so that a build stuck on a dead network drive cannot keep the process alive.
        self._thread = threading.Thread(target=self._run, name="gazette-rebuild", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def notify(self, paths: Iterable[Path]) -> None:
        """Record changed paths (from any thread); the build follows once they settle."""
        paths = set(paths)
        if not paths:
            return
        with self._changes:
            now = time.monotonic()
            if not self._pending:
                self._first_event = now
            self._pending |= paths
            self._last_event = now
            self._changes.notify()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop after the build in progress, if any; pending changes are dropped."""
        with self._changes:
            self._stopping = True
            self._changes.notify()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def _next_batch(self) -> frozenset[Path] | None:
        with self._changes:
            while not self._stopping:
                if not self._pending:
                    self._changes.wait()
                    continue
                delay = build_delay(time.monotonic(), self._first_event, self._last_event, self._quiet, self._max_delay)
                if delay > 0:
                    self._changes.wait(delay)
                    continue
                batch = frozenset(self._pending)
                self._pending.clear()
                return batch
            return None

    def _run(self) -> None:
        while (batch := self._next_batch()) is not None:
            try:
                self._rebuild(batch)
            except Exception:  # noqa: BLE001 - one failed rebuild must not end live reload
                traceback.print_exc()


class _ChangeForwarder(FileSystemEventHandler):
    def __init__(self, scope: WatchScope, on_change: Callable[[tuple[Path, ...]], None]) -> None:
        self._scope = scope
        self._on_change = on_change

    def on_any_event(self, event: FileSystemEvent) -> None:
        paths = changed_paths(event, self._scope)
        if paths:
            self._on_change(paths)


def _watch_problem(folder: Path, exc: OSError) -> Problem:
    return Problem(folder, f"cannot watch for changes: {exc.strerror or exc} (on Linux, raise "
                           "fs.inotify.max_user_watches; or use --poll)")


def _identity(folder: Path) -> tuple[int, int] | None:
    try:
        info = folder.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino) if os.path.isdir(folder) else None


class SiteWatcher:
    """A watchdog observer over the site's sources, reporting relevant changes to `on_change`.

    `on_change` runs on the observer's thread and must be quick (RebuildLoop.notify is).
    """

    def __init__(
        self,
        scope: WatchScope,
        on_change: Callable[[tuple[Path, ...]], None],
        poll: bool = False,
        poll_interval: float = POLL_INTERVAL,
    ) -> None:
        self.scope = scope
        # A short observer timeout only makes stop() prompt; events are delivered as they come.
        self._observer: BaseObserver = PollingObserver(timeout=poll_interval) if poll else Observer(timeout=0.2)
        self._handler = _ChangeForwarder(scope, on_change)
        self._lock = threading.Lock()
        self._watches: dict[tuple[Path, bool], tuple[ObservedWatch, tuple[int, int]]] = {}

    def start(self) -> None:
        """Start watching; GazetteError if the system refuses (e.g. out of inotify watches)."""
        # watchdog warns when `mkdir -p` makes nested folders faster than it adds their
        # watches; the watch is right regardless, and the warning alarms editors for nothing.
        warnings.filterwarnings("ignore", message=r"Callback with id .* already exists", category=RuntimeWarning)
        failures = self.refresh()
        try:
            self._observer.start()  # inotify watches are added here, so it can fail too
        except OSError as exc:
            failures.append(_watch_problem(Path(exc.filename or self.scope.trees[0]), exc))
        if failures:
            self.stop()
            raise GazetteError(failures)

    def refresh(self) -> list[Problem]:
        """Watch folders that appeared since the last call (static/ made after start), watch
        again those that were replaced (rm -rf then recreate loses an inotify watch), and stop
        watching those that went away. Cheap: call it before every build. Returns the folders
        that could not be watched."""
        failures: list[Problem] = []
        with self._lock:
            wanted = {(folder, recursive): _identity(folder) for folder, recursive in self.scope.watch_points()}
            for point, (watch, identity) in list(self._watches.items()):
                if wanted.get(point) != identity:
                    del self._watches[point]
                    try:
                        self._observer.unschedule(watch)
                    except Exception:  # noqa: BLE001 - a watch on a vanished folder may not unwind cleanly
                        pass
            for point, identity in wanted.items():
                if identity is not None and point not in self._watches:
                    folder, recursive = point
                    try:
                        watch = self._observer.schedule(
                            self._handler, str(folder), recursive=recursive, event_filter=list(WATCHED_EVENTS)
                        )
                    except OSError as exc:
                        failures.append(_watch_problem(folder, exc))
                        continue
                    self._watches[point] = (watch, identity)
        return failures

    @property
    def watched_folders(self) -> list[Path]:
        with self._lock:
            return [folder for folder, _ in self._watches]

    def stop(self, timeout: float = 5.0) -> None:
        if self._observer.is_alive():
            self._observer.stop()
            self._observer.join(timeout)
