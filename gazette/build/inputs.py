"""A cheap summary of a build's inputs (names, sizes, modification times) and options: whether
anything changed since the last complete build, and whether only articles did (see
gazette.build.in_place)."""

from __future__ import annotations

import hashlib
import os
from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gazette.build.fingerprint import digest_text
from gazette.model.content import PAGES_FOLDER

if TYPE_CHECKING:
    from gazette.build.pipeline import BuildOptions


def source_state(frame: str, articles: str) -> str:
    """A cheap summary of every input (names, sizes, modification times) and option:
    when it matches the last complete build, that build's output is still right.
    `frame`: `input_frame`; `articles`: `articles_state`."""
    return digest_text(frame, articles)


@dataclass(frozen=True)
class FileStates:
    """The size and modification time of each file of a list, as one string of names and two
    arrays: made, hashed, compared and pickled at C speed (0.3 s less than a dict of
    100,000 article files took, each build). Kept with the plan (see gazette.build.in_place)."""

    names: str  # the files' names, NUL between them (no file name holds one)
    sizes: bytes  # array("q"): each file's size, -1 for one gone before it was statted
    mtimes: bytes  # array("q"): each file's st_mtime_ns, -1 for one gone

    @classmethod
    def of(cls, files: list[str], stats: Mapping[str, os.stat_result]) -> FileStates:
        """Of `files`, as `stats` (what `stat_files(files)` gave) found them."""
        found = [stats.get(name) for name in files]
        return cls("\0".join(files), array("q", [stat.st_size if stat else -1 for stat in found]).tobytes(),
                   array("q", [stat.st_mtime_ns if stat else -1 for stat in found]).tobytes())

    def digest(self) -> str:
        """`source_state` of the files."""
        digest = hashlib.sha1(self.names.encode("utf-8", "surrogateescape"))
        digest.update(b"\0" + self.sizes + b"\0" + self.mtimes)
        return digest.hexdigest()

    def changed_since(self, before: FileStates) -> list[str] | None:
        """The files whose size or time changed since `before`; None when files were added
        or removed."""
        if self.names != before.names:
            return None
        if self.sizes == before.sizes and self.mtimes == before.mtimes:
            return []
        names = self.names.split("\0")
        sizes, mtimes, sizes_then, mtimes_then = (array("q", data) for data in (
            self.sizes, self.mtimes, before.sizes, before.mtimes))
        return [name for name, *states in zip(names, sizes, sizes_then, mtimes, mtimes_then)
                if states[0] != states[1] or states[2] != states[3]]


def input_frame(options: BuildOptions) -> str:
    """`source_state` of everything but the articles: Gazette's code, the options, site.toml,
    the record of published URLs, the templates, static files and plain pages."""
    parts = [options.project.code_digest, repr(options.drafts), options.base_url or "", str(options.project.output.resolve())]
    files = [str(options.project.config_file), str(options.project.published_file)]
    for folder in (*options.project.template_layers.existing, *options.project.static_layers.existing,
                   options.project.content / PAGES_FOLDER):
        files += sorted(str(p) for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    return digest_text(*parts, *_file_states(files, {}))


def _file_states(files: list[str], stats: dict[str, os.stat_result]) -> list[str]:
    parts = []
    for path in files:
        try:
            stat = stats.get(path) or os.stat(path)
        except OSError:
            parts.append(f"{path}:missing")
            continue
        parts.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return parts

