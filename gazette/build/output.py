"""Write the built site so that the output folder is only ever replaced by a complete build."""

from __future__ import annotations

import ctypes
import errno
import filecmp
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from gazette.build.locks import exclusive
from gazette.build.parallel import Progress, run_sharded
from gazette.build.record import RECORD_NAME
from gazette.errors import GazetteError, Problem, writing

_RENAME_EXCHANGE = 2
# What renameat2 answers where the kernel or the file system cannot exchange two names.
_NO_EXCHANGE = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP}


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2); False where unsupported. Raises
    OSError when the exchange is supported but fails (an I/O error, say)."""
    try:
        # From the program's own symbols, which hold the C library's: finding its file
        # (ctypes.util) runs ldconfig in a child process, some milliseconds every build.
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _NO_EXCHANGE:
        return False
    raise OSError(code, os.strerror(code), os.fspath(b))


@contextmanager
def output_lock(output_dir: Path, on_wait: Callable[[], None] = lambda: None) -> Iterator[None]:
    """One build at a time per output folder (a terminal build beside the dev server,
    say): the second waits for the first instead of racing it (`on_wait` tells it waits)."""
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    with exclusive(output_dir.parent / f".{output_dir.name}.lock", on_wait):
        yield


def staging_dir(output_dir: Path) -> Path:
    return output_dir.parent / f".{output_dir.name}.staging"


def guard_output_dir(output_dir: Path, protected: Iterable[Path], known_to_cache: Callable[[], bool] = lambda: False) -> None:
    """The output folder is replaced wholesale, so it must be one the build may replace: a
    folder (or nothing yet) that neither holds nor sits inside anything an editor owns
    (`protected`), and that is empty or was made by Gazette: it has a build record, or the
    cache knows it (`known_to_cache`, asked only then: a site built before there were
    records). Anything else is refused before anything is written."""
    if output_dir.exists() and not output_dir.is_dir():
        raise GazetteError(Problem(output_dir, "is a file, not a folder; give a folder as --output"))
    blocked = next((parent for parent in output_dir.parents if parent.exists() and not parent.is_dir()), None)
    if blocked:
        raise GazetteError(Problem(output_dir, f"cannot be the output folder: {blocked} is a file"))
    out = output_dir.resolve()
    for path in protected:
        inside = path.resolve()
        if inside == out or out in inside.parents:
            raise GazetteError(Problem(output_dir, f"cannot be the output folder: it contains {path}"))
        if inside in out.parents:
            raise GazetteError(Problem(output_dir, f"cannot be the output folder: it is inside {path}, "
                                                   "which a build never writes to"))
    if output_dir.is_dir() and not (output_dir / RECORD_NAME).is_file() and any(output_dir.iterdir()):
        if not known_to_cache():
            raise GazetteError(Problem(output_dir, f"is not empty and was not made by Gazette (it has no {RECORD_NAME}). "
                                                   "A build replaces its output folder entirely, so it writes only into "
                                                   "an empty or new folder, or one it built: give another --output, "
                                                   "or move these files away"))


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


def file_inodes(root: Path, skip: str | None = None) -> dict[str, int]:
    """Every file under `root` (but the folder `skip`) with its inode number, which the
    folder listing gives: no file is opened or stat'ed."""
    found: dict[str, int] = {}
    folders = [("", str(root))]
    while folders:
        base, folder = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            name = f"{base}/{entry.name}" if base else entry.name
            if entry.is_dir(follow_symlinks=False):
                if name != skip:
                    folders.append((name, entry.path))
            else:
                found[name] = entry.inode()
    return found


UNKNOWN = "?"  # the fingerprint of a spare file of unknown content: it matches none wanted


def salvage_spare(staging: Path, output_dir: Path, live: dict[str, str], generated_folder: str | None) -> dict[str, str]:
    """What a spare folder of unknown state (its build killed, or its record lost) holds: a
    file that is a hard link to the live one of its name is the live file, whose
    fingerprint `live` gives; any other is UNKNOWN, to be replaced or removed. Keeping
    the folder and what it shares with the live site spares the build making its thousands
    of folders and links again (a folder is made in about 0.2 ms, 13,000 at 10,000 articles)."""
    live_inodes = file_inodes(output_dir, generated_folder)
    return {name: live[name] if name in live and live_inodes.get(name) == inode else UNKNOWN
            for name, inode in file_inodes(staging, generated_folder).items()}


@dataclass
class WriteStats:
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    swapped: bool = False
    changed: frozenset[str] = frozenset()  # the files written or removed
    rendered: int = 0  # pages rendered


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


@dataclass(frozen=True)
class FileSource:
    """How to produce one output file: render a page, write bytes, or copy a file."""

    page: object | None = None
    data: bytes | None = None
    copy_from: Path | None = None
    # The fingerprint of a live file that `page` is known to render to the bytes of (see
    # `in_place._same_as_live`): where the live file has it, linked, not rendered.
    same_as: str | None = None


def held_live(live: str | None, wanted: str, source: FileSource | None) -> bool:
    """Whether the live file, with the fingerprint `live`, holds what the file `wanted` (its
    fingerprint now) stands for: the same fingerprint, or the one `source.same_as` names."""
    return live is not None and (live == wanted or source is not None and live == source.same_as)


# What link() answers on a file system without hard links (or across two of them); any
# other error (a full disk, an I/O error) is the build's failure, not a reason to copy.
_NO_LINKS = {errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK}


def link_or_copy(source: str | Path, target: str | Path) -> None:
    """Make `target` a hard link to `source`, or a copy where the file system has no links."""
    try:
        os.link(source, target)
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        with writing(target):
            shutil.copyfile(source, target)


def _replace_with_link(source: str, target: str) -> None:
    _unlink(target)
    link_or_copy(source, target)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _write_new(target: str, data: bytes) -> None:
    # Unlink first: the old name may be a hard link shared with the live site.
    _unlink(target)
    with writing(target), open(target, "wb") as handle:
        handle.write(data)


def _prune_empty_folders(root: Path, names: Iterable[str]) -> None:
    folders = {name.rpartition("/")[0] for name in names}
    for folder in sorted(folders, key=lambda f: f.count("/"), reverse=True):
        while folder:
            try:
                os.rmdir(os.path.join(root, folder))
            except OSError:
                break  # not empty (or gone): its parents are not empty either
            folder = folder.rpartition("/")[0]


def publish_incremental(
    output_dir: Path,
    wanted: dict[str, str],
    sources: dict[str, FileSource],
    render: Callable[[object], bytes],
    *,
    live: dict[str, str] | None,
    spare: dict[str, str] | None,
    jobs: int = 1,
    on_progress: Progress | None = None,
    before_swap: Callable[[Path, set[str]], None] | None = None,
    generated_folder: str | None = None,
    untouched: int = 0,
    after_shard: Callable[[], None] | None = None,
) -> WriteStats:
    """Make the output hold exactly the `wanted` files (name -> fingerprint).

    Two folders take turns: the live output, and a spare beside it that holds the
    site as it was one build earlier (`spare` is its manifest, None if unknown).
    The spare is brought up to date, touching only files whose fingerprint differs
    from what it holds: a file unchanged since the live site (or known to render the
    same, `FileSource.same_as`) becomes a hard link to the live one; anything else is
    rendered, written as a new file, and compared with the live one. Then the two folders
    are swapped at once. A build killed at any moment leaves the live site complete; the spare's manifest is forgotten
    (by the caller) before it is touched. Nothing differs from the live site: no swap.

    `before_swap(staging, changed)` runs on the complete new site just before it goes
    live, with the names of the files that differ from the live site (the search index
    is made there); what it writes lives in `generated_folder`, which the manifests
    leave alone.

    `live`: the live site's manifest, None if unknown. `untouched`: how many more files the
    caller knows to be the same in the wanted site, the live one and the spare, and left out
    of all three manifests (an edit in place). `after_shard()` runs in each process that
    rendered pages, after them (a forked worker keeps what it made there).
    """
    staging = staging_dir(output_dir)
    # Known, even where it holds none of the files compared (an edit in place that changes none).
    live_known = live is not None and output_dir.is_dir()
    live = live if live_known else {}
    if spare is None and live and staging.is_dir() and not staging.is_symlink():
        spare = salvage_spare(staging, output_dir, live, generated_folder)
    if spare is None or not staging.is_dir():
        staging = fresh_staging(output_dir)
        spare = {}

    stale = [name for name in wanted if spare.get(name) != wanted[name]]
    from_live = [name for name in stale if held_live(live.get(name), wanted[name], sources.get(name))]
    to_make = sorted(set(stale) - set(from_live))
    to_render = [name for name in to_make if sources[name].page is not None]

    folders = _Folders(staging)

    def render_shard(names: list[str], tick: Callable[[], None]) -> tuple[list[str], list[str]]:
        written, same_as_live = [], []
        shard_folders = _Folders(staging)
        for name in names:
            data = render(sources[name].page)
            if name in live and _same_bytes(os.path.join(output_dir, name), data):
                same_as_live.append(name)
            else:
                _write_new(shard_folders.target(name), data)
                written.append(name)
            tick()
        if after_shard is not None:
            after_shard()
        return written, same_as_live

    written: set[str] = set()
    for shard_written, shard_same in run_sharded(to_render, render_shard, jobs, on_progress):
        written.update(shard_written)
        from_live.extend(shard_same)

    for name in to_make:
        source = sources[name]
        if source.page is not None:
            continue
        current = os.path.join(output_dir, name)
        if source.data is not None:
            if name in live and _same_bytes(current, source.data):
                from_live.append(name)
            else:
                _write_new(folders.target(name), source.data)
                written.add(name)
        elif source.copy_from is not None:
            if name in live and os.path.isfile(current) and filecmp.cmp(source.copy_from, current, shallow=False):
                from_live.append(name)
            else:
                target = folders.target(name)
                _unlink(target)
                with writing(target):
                    shutil.copyfile(source.copy_from, target)
                written.add(name)

    for name in from_live:
        _replace_with_link(os.path.join(output_dir, name), folders.target(name))

    leftovers = set(spare) - set(wanted)  # a fresh staging folder holds nothing else
    for name in leftovers:
        _unlink(os.path.join(staging, name))
    _prune_empty_folders(staging, leftovers)

    # Files the spare already held for this build (from an earlier one) but the live
    # site does not: an article deleted, then written again, for instance.
    stale_set = set(stale)
    written |= {name for name in wanted if name not in stale_set and live.get(name) != wanted[name]}
    if live_known:
        removed = set(live) - set(wanted)
    else:
        removed = existing_files(output_dir) - set(wanted) if output_dir.is_dir() else set()
        if generated_folder:
            removed = {name for name in removed if not name.startswith(generated_folder + "/")}
    swap = bool(written or removed or not output_dir.is_dir())
    if swap:
        if before_swap is not None:
            before_swap(staging, written | removed)
        swap_in(staging, output_dir, keep_previous=True)
    return WriteStats(written=len(written), unchanged=len(wanted) - len(written) + untouched, removed=len(removed), swapped=swap,
                      changed=frozenset(written | removed), rendered=len(to_render))


def swap_in(staging: Path, output_dir: Path, keep_previous: bool = False) -> None:
    """Put the staging folder in place of the output; the previous site is deleted,
    or with `keep_previous` left in the staging folder's place for the next build."""
    if not output_dir.exists():
        staging.rename(output_dir)
        return
    if not _exchange(staging, output_dir):
        # Without an atomic exchange there is a moment with no output folder; keep it short,
        # and if the new site cannot be moved in, put the previous one back.
        retired = output_dir.parent / f".{output_dir.name}.old"
        if retired.exists():
            shutil.rmtree(retired)
        output_dir.rename(retired)
        try:
            staging.rename(output_dir)
        except OSError:
            retired.rename(output_dir)
            raise
        retired.rename(staging)
    if not keep_previous:
        shutil.rmtree(staging)
