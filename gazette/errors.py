"""The one error type users see: a problem in their input, located in a file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """A located message, printed as `path:line: message` like a compiler's."""

    path: Path | str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        return f"{where}: {self.message}"


class LocatedError(ValueError):
    """A problem a pure function found in text it was given: it knows the line (1-based,
    within that text) but not the file, which its caller adds with `problem`."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line

    def problem(self, path: Path | str, first_line: int = 1) -> Problem:
        """The located problem, for text that starts at line `first_line` of `path`."""
        return Problem(path, self.message, self.line + first_line - 1 if self.line else None)


class GazetteError(Exception):
    """Input at fault: the CLI prints every problem and exits with status 1."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class DiskError(GazetteError):
    """The disk failed a build (full, failing, or not to be written): not the input's fault,
    but told the same way, `path: cause`. A build's output keeps its last complete site."""

    @classmethod
    def of(cls, exc: OSError) -> DiskError:
        path = exc.filename if exc.filename is not None else "(a file of the build)"
        return cls(Problem(os.fsdecode(path), exc.strerror or str(exc)))


@contextmanager
def writing(path: Path | str) -> Iterator[None]:
    """Make an OSError raised while writing `path` name it: a failed `write()` or `close()`
    names no file, and `shutil.copyfile` names its source."""
    try:
        yield
    except OSError as exc:
        if exc.errno is None or exc.filename == os.fspath(path):
            raise
        raise OSError(exc.errno, exc.strerror, os.fspath(path)) from exc


def quoted(value: object, limit: int = 60) -> str:
    """A value from the input, shown in a message: quoted, control characters escaped, and
    cut short, so that a huge or hostile value (a YAML alias bomb, a 4 MB title) never makes
    the message itself the problem."""
    if isinstance(value, (list, tuple, dict, set)):
        count = len(value)
        return f"a {'mapping' if isinstance(value, dict) else 'list'} of {count} item{'s' if count != 1 else ''}"
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, int) and value.bit_length() > 200:
        text = "a number of over 60 digits"
    elif isinstance(value, (str, int, float)):
        text = str(value)[: limit + 1]
    else:
        text = type(value).__name__
    shown = "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)
    if len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return f"'{shown}'"
