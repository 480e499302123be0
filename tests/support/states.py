"""Article files' states made up for tests of what a build compares (`FileStates`), without
the files themselves."""

from __future__ import annotations

from array import array
from collections.abc import Mapping

from gazette.build.inputs import FileStates


def file_states(files: list[str], stats: Mapping[str, object]) -> FileStates:
    """Of `files`, as `stats` has them (name -> anything with `st_size` and `st_mtime_ns`, as
    `os.stat` gives); a file it lacks is gone."""
    found = [stats.get(name) for name in files]
    return FileStates("\0".join(files), array("q", [stat.st_size if stat else -1 for stat in found]).tobytes(),
                      array("q", [stat.st_mtime_ns if stat else -1 for stat in found]).tobytes())
