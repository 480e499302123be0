"""Read one input file (an article, a dump) safely: only a regular file, only up to a limit.

A FIFO named `story.md`, a link to `/dev/zero` or a device given to `import` would make a
plain `read()` wait or grow forever. The file is opened without blocking and inspected on
the open descriptor (no window between a check and the read), then read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from gazette.errors import GazetteError, Problem


def read_input_file(path: Path | str, limit: int, what: str = "file", limit_hint: str = "") -> bytes:
    """The bytes of a regular file of at most `limit` bytes; GazetteError naming the file
    otherwise. OSError (missing, unreadable) is left to the caller, which knows its wording."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        status = os.fstat(descriptor)
        if stat.S_ISDIR(status.st_mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        if not stat.S_ISREG(status.st_mode):
            kind = "a named pipe (FIFO)" if stat.S_ISFIFO(status.st_mode) else "a device or socket"
            raise GazetteError(Problem(path, f"is {kind}, not a {what}; only regular files are read"))
        if status.st_size > limit:
            raise GazetteError(Problem(path, f"the file is {status.st_size:,} bytes, over the limit of {limit:,}{limit_hint}"))
        chunks, left = [], limit + 1  # a file that grows while it is read is still bounded
        while left > 0:
            chunk = os.read(descriptor, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise GazetteError(Problem(path, f"the file is over the limit of {limit:,} bytes{limit_hint}"))
        return data
    finally:
        os.close(descriptor)
