"""Run the Gazette command line in a child process with a disk fault injected.

`python faults.py [FAULT OPTIONS] -- build ...` installs the fault, then runs `gazette.cli.main`
on the arguments after `--`. The fault is given on the command line, never through the
environment, so that a test says exactly which fault its child suffers:

- `--under DIR --fail-write N --errno ENOSPC`: the Nth write under DIR fails. A write is opening
  a file to write (then its first `write()` fails, after half the data, as a full disk does,
  and without a file name, as a real failed write has), creating a folder, a hard link or a
  rename; `--count-to FILE` records how many writes the run made, to choose N from.
- `--cache-grow K`: SQLite databases under DIR may grow by K pages, then SQLite itself fails
  with SQLITE_FULL ("database or disk is full"), as on a full disk.
- `--pagefind-fails N --errno E`: the Nth Pagefind run writes half its index, then fails with
  the error Pagefind reports for E.
- `--no-exchange`: the file system cannot swap two folders at once (renameat2), so the
  output is replaced by renames, which `--fail-write` can then fail.

Forked worker processes inherit the patched functions, so their writes count too (each
process counts from where its parent was when it forked).
"""

from __future__ import annotations

import argparse
import builtins
import errno
import io
import itertools
import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve()
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


@dataclass
class WriteFault:
    """Counts writes under one folder; the `fail_at`th raises `code`."""

    under: str
    fail_at: int
    code: int
    count: int = 0

    def covers(self, path) -> bool:
        try:
            return os.path.abspath(os.fsdecode(path)).startswith(self.under)
        except TypeError:  # a file descriptor
            return False

    def due(self, path) -> bool:
        if not self.covers(path):
            return False
        self.count += 1
        return self.count == self.fail_at

    def error(self, path=None) -> OSError:
        if path is None:
            return OSError(self.code, os.strerror(self.code))
        return OSError(self.code, os.strerror(self.code), os.fsdecode(path))


class HalfWritten(io.RawIOBase):
    """A file being written on a disk that fills up: the first write stores half its data,
    then fails, without a file name, as `write()` does."""

    def __init__(self, real, fault: WriteFault):
        self.real, self.fault = real, fault

    def write(self, data) -> int:
        data = data.encode() if isinstance(data, str) else bytes(data)
        self.real.write(data[: len(data) // 2])
        self.real.flush()
        raise self.fault.error()

    def fileno(self) -> int:  # a lock file is opened to write, but never written
        return self.real.fileno()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        self.real.close()
        super().close()


def install_write_fault(fault: WriteFault) -> None:
    real_open, real_os_open = builtins.open, os.open

    def faulty_open(file, mode="r", *args, **kwargs):
        writing = any(flag in mode for flag in "wax+")
        if writing and fault.due(file):
            binary = mode.replace("t", "") + ("" if "b" in mode else "b")
            return HalfWritten(real_open(file, binary), fault)
        return real_open(file, mode, *args, **kwargs)

    def faulty_os_open(path, flags, *args, **kwargs):
        if flags & WRITE_FLAGS and fault.due(path):
            raise fault.error(path)
        return real_os_open(path, flags, *args, **kwargs)

    builtins.open = io.open = faulty_open
    os.open = faulty_os_open
    real_mkdir = os.mkdir

    def faulty_mkdir(path, *args, **kwargs):
        if fault.due(path):
            raise fault.error(path)
        return real_mkdir(path, *args, **kwargs)

    os.mkdir = faulty_mkdir
    for name in ("link", "rename", "replace", "symlink"):
        real = getattr(os, name)

        def faulty(source, target, *args, _real=real, **kwargs):
            if fault.due(target):
                raise fault.error(target)
            return _real(source, target, *args, **kwargs)

        setattr(os, name, faulty)
    real_copyfile = shutil.copyfile

    def faulty_copyfile(source, target, *args, **kwargs):
        if fault.due(target):
            raise fault.error(target)
        return real_copyfile(source, target, *args, **kwargs)

    shutil.copyfile = faulty_copyfile


def install_cache_limit(under: str, pages: int) -> None:
    """Let each SQLite database under `under` grow by `pages` pages past its size now."""
    real_connect = sqlite3.connect
    start: dict[str, int] = {}

    def limited_connect(database, *args, **kwargs):
        connection = real_connect(database, *args, **kwargs)
        path = os.path.abspath(os.fsdecode(database))
        if path.startswith(under):
            if path not in start:
                start[path] = os.path.getsize(path) // 4096 if os.path.exists(path) else 0
            connection.execute(f"PRAGMA max_page_count = {start[path] + pages}")
        return connection

    sqlite3.connect = limited_connect


def install_pagefind_fault(run_number: int, code: int) -> None:
    """The `run_number`th Pagefind run leaves half an index and fails as Pagefind does."""
    real_run = subprocess.run
    numbers = itertools.count(1)  # Pagefind runs in threads: each takes its number as it starts

    def faulty_run(command, *args, **kwargs):
        if "pagefind" not in os.path.basename(str(command[0])):
            return real_run(command, *args, **kwargs)
        number = next(numbers)
        result = real_run(command, *args, **kwargs)
        if number != run_number:
            return result
        written = sorted(p for p in Path(index_folder(command)).rglob("*") if p.is_file())
        for path in written[len(written) // 2:]:
            path.unlink()
        message = f"Error: Failed to write the index: {os.strerror(code)} (os error {code})\n"
        return subprocess.CompletedProcess(command, 1, "", message)

    subprocess.run = faulty_run


def index_folder(command: list[str]) -> str:
    if "--output-path" in command:
        return command[command.index("--output-path") + 1]
    return os.path.join(command[command.index("--site") + 1], command[command.index("--output-subdir") + 1])


def main(argv: list[str]) -> int:
    split = argv.index("--")
    parser = argparse.ArgumentParser()
    parser.add_argument("--under", type=Path, required=True)
    parser.add_argument("--fail-write", type=int)
    parser.add_argument("--errno", default="ENOSPC", choices=["ENOSPC", "EIO", "EACCES", "EROFS"])
    parser.add_argument("--count-to", type=Path)
    parser.add_argument("--cache-grow", type=int)
    parser.add_argument("--pagefind-fails", type=int)
    parser.add_argument("--no-exchange", action="store_true")
    options = parser.parse_args(argv[:split])
    under = str(options.under.resolve()) + os.sep
    code = getattr(errno, options.errno)
    fault = WriteFault(under, options.fail_write or 0, code)
    if options.fail_write or options.count_to:
        install_write_fault(fault)
    if options.cache_grow is not None:
        install_cache_limit(under, options.cache_grow)
    if options.pagefind_fails:
        install_pagefind_fault(options.pagefind_fails, code)
    if options.no_exchange:
        import gazette.build.output

        gazette.build.output._exchange = lambda a, b: False
    from gazette.cli import main as gazette_main

    try:
        return gazette_main(argv[split + 1:])
    finally:
        if options.count_to:
            options.count_to.write_text(str(fault.count))


def run_gazette(root: Path, *args: str, fault: list[str] = ()) -> subprocess.CompletedProcess:
    """Run `gazette ARGS` in the project `root`, with the `fault` options above (none: no fault)."""
    command = [sys.executable, str(HERE), "--under", str(root), *fault, "--", *args]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=300)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes, and every folder, under `folder`: what "intact byte for byte" compares."""
    found: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        found[name] = path.read_bytes() if path.is_file() else b"<folder>"
    return found


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
