"""Write the built site so that the output folder is only ever replaced by a complete build."""

from __future__ import annotations

import ctypes
import ctypes.util
import filecmp
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from gazette.errors import GazetteError, Problem
from gazette.parallel import Progress, run_sharded

_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2); False where unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def staging_dir(output_dir: Path) -> Path:
    return output_dir.parent / f".{output_dir.name}.staging"


def guard_output_dir(output_dir: Path, protected: Iterable[Path]) -> None:
    """The output folder is replaced wholesale, so it must not hold anything an editor owns."""
    out = output_dir.resolve()
    for path in protected:
        inside = path.resolve()
        if inside == out or out in inside.parents:
            raise GazetteError(Problem(output_dir, f"cannot be the output folder: it contains {path}"))


def write_files(root: Path, files: dict[str, bytes]) -> None:
    made: set[Path] = set()
    for name, data in files.items():
        target = root / name
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(data)


def publish(output_dir: Path, files: dict[str, bytes], static_dir: Path | None) -> None:
    """Write everything into a staging folder beside the output, then swap it in."""
    staging = fresh_staging(output_dir)
    if static_dir is not None and static_dir.is_dir():
        shutil.copytree(static_dir, staging, dirs_exist_ok=True)
    write_files(staging, files)
    swap_in(staging, output_dir)


def fresh_staging(output_dir: Path) -> Path:
    staging = staging_dir(output_dir)
    if staging.exists():
        shutil.rmtree(staging)  # left over from a build that was killed
    staging.mkdir(parents=True)
    return staging


def folder_id(path: Path) -> str:
    """Identity of a folder that survives renames: tells whether the output is still ours."""
    try:
        stat = path.stat()
    except OSError:
        return ""
    # The change time tells a new folder that happens to reuse an inode number from ours.
    return f"{stat.st_dev}:{stat.st_ino}:{stat.st_ctime_ns}"


def existing_files(root: Path) -> set[str]:
    found: set[str] = set()
    prefix = len(str(root)) + 1
    for folder, _, names in os.walk(root):
        base = folder[prefix:]
        found.update(f"{base}/{name}" if base else name for name in names)
    return found


@dataclass
class WriteStats:
    written: int = 0
    unchanged: int = 0
    removed: int = 0


class _Folders:
    """Creates each parent folder once, however many files go into it."""

    def __init__(self, root: Path):
        self.root = root
        self.made: set[str] = set()

    def target(self, name: str) -> str:
        folder, _, _ = name.rpartition("/")
        if folder and folder not in self.made:
            os.makedirs(os.path.join(self.root, folder), exist_ok=True)
            self.made.add(folder)
        return os.path.join(self.root, name)


def _same_bytes(path: str, data: bytes) -> bool:
    try:
        if os.path.getsize(path) != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def publish_incremental(
    output_dir: Path,
    pages: dict[str, object],
    render: Callable[[object], bytes],
    must_render: set[str],
    extra_files: dict[str, bytes],
    static_dir: Path,
    jobs: int = 1,
    on_progress: Progress | None = None,
    known_files: set[str] | None = None,
) -> tuple[WriteStats, str, set[str]]:
    """Make `output_dir` hold exactly the given pages, extra files and static files.

    Pages in `must_render` are rendered (in parallel) and written only if their
    bytes differ from the current output. If anything differs, a staging folder is
    filled with the new files plus hard links to the unchanged ones and swapped in
    at once; if nothing differs, the output is left as it is. `known_files`, when
    given, lists the files the output holds (saving a walk of its folders).
    Returns the stats, the identity of the output folder now in place, and its files."""
    staging = fresh_staging(output_dir)
    if known_files is not None:
        existing = known_files
    else:
        existing = existing_files(output_dir) if output_dir.is_dir() else set()
    missing = {name for name in pages if name not in existing}
    to_render = sorted(must_render | missing)

    def render_shard(names: list[str], tick: Callable[[], None]) -> list[str]:
        folders = _Folders(staging)
        written = []
        for name in names:
            data = render(pages[name])
            if not _same_bytes(os.path.join(output_dir, name), data):
                with open(folders.target(name), "wb") as handle:
                    handle.write(data)
                written.append(name)
            tick()
        return written

    written = {name for part in run_sharded(to_render, render_shard, jobs, on_progress) for name in part}

    folders = _Folders(staging)
    for name, data in extra_files.items():
        if not _same_bytes(os.path.join(output_dir, name), data):
            with open(folders.target(name), "wb") as handle:
                handle.write(data)
            written.add(name)
    static_names = []
    if static_dir.is_dir():
        for source in static_dir.rglob("*"):
            if source.is_file():
                name = source.relative_to(static_dir).as_posix()
                static_names.append(name)
                current = output_dir / name
                if not (current.is_file() and filecmp.cmp(source, current, shallow=False)):
                    shutil.copyfile(source, folders.target(name))
                    written.add(name)

    wanted = set(pages) | set(extra_files) | set(static_names)
    removed = existing - wanted
    stats = WriteStats(written=len(written), unchanged=len(wanted) - len(written), removed=len(removed))
    if not written and not removed:
        shutil.rmtree(staging)
        return stats, folder_id(output_dir), wanted

    # Unchanged files join the new site as hard links: no copying, and the live
    # site is never written to (a changed file is always a new file).
    for name in wanted - written:
        target = folders.target(name)
        try:
            os.link(os.path.join(output_dir, name), target)
        except OSError:
            shutil.copyfile(os.path.join(output_dir, name), target)
    swap_in(staging, output_dir)
    return stats, folder_id(output_dir), wanted


def swap_in(staging: Path, output_dir: Path) -> None:
    if not output_dir.exists():
        staging.rename(output_dir)
        return
    if _exchange(staging, output_dir):
        shutil.rmtree(staging)  # now holds the previous site
        return
    # Without an atomic exchange there is a moment with no output folder; keep it short.
    retired = output_dir.parent / f".{output_dir.name}.old"
    if retired.exists():
        shutil.rmtree(retired)
    output_dir.rename(retired)
    staging.rename(output_dir)
    shutil.rmtree(retired)
