"""Write the built site so that the output folder is only ever replaced by a complete build."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from gazette.errors import GazetteError, Problem

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
    staging = staging_dir(output_dir)
    if staging.exists():
        shutil.rmtree(staging)  # left over from a build that was killed
    staging.mkdir(parents=True)
    if static_dir is not None and static_dir.is_dir():
        shutil.copytree(static_dir, staging, dirs_exist_ok=True)
    write_files(staging, files)
    swap_in(staging, output_dir)


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
