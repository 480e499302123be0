"""Ways editors save a file, for tests that follow edits (the watcher, the preview server).

Each replaces `old` with `new` in the file the way one kind of editor or tool does: in place,
by renaming a temporary file over it, with swap, backup and lock files beside it, or by
deleting it and writing it again."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def edit_in_place(path: Path, old: str, new: str) -> None:
    with open(path, "r+", encoding="utf-8") as handle:
        text = handle.read().replace(old, new)
        handle.seek(0)
        handle.write(text)
        handle.truncate()


def edit_atomically(path: Path, old: str, new: str) -> None:
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(path.read_text().replace(old, new))
    os.replace(temp, path)


def edit_like_vim(path: Path, old: str, new: str) -> None:
    swap = path.with_name(f".{path.name}.swp")
    swap.write_bytes(b"b0VIM 9.0")
    probe = path.parent / "4913"
    probe.write_text("")
    probe.unlink()
    backup = path.with_name(path.name + "~")
    text = path.read_text()
    os.rename(path, backup)  # the backup is the old file itself
    path.write_text(text.replace(old, new))
    backup.unlink()
    swap.unlink()


def edit_like_emacs(path: Path, old: str, new: str) -> None:
    lock = path.with_name(f".#{path.name}")
    os.symlink("editor@host.1234:1700000000", lock)
    autosave = path.with_name(f"#{path.name}#")
    autosave.write_text("autosaved")
    text = path.read_text()
    os.rename(path, path.with_name(path.name + "~"))
    path.write_text(text.replace(old, new))
    autosave.unlink()
    lock.unlink()


def edit_with_sed(path: Path, old: str, new: str) -> None:
    subprocess.run(["sed", "-i", f"s/{old}/{new}/", str(path)], check=True)


def delete_then_create(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    path.unlink()
    path.write_text(text.replace(old, new))


EDITS = [edit_in_place, edit_atomically, edit_like_vim, edit_like_emacs, edit_with_sed, delete_then_create]
