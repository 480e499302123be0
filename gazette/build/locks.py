"""Advisory locks (flock) that make builds take turns: one per output folder, one per build
cache. A process that finds a lock held says so once, then waits for it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def exclusive(path: Path, on_wait: Callable[[], None] = lambda: None) -> Iterator[None]:
    """Hold the lock of the file `path` (made if missing); call `on_wait` first if another
    process holds it. The kernel releases it if this process dies, so a killed build never
    leaves a stale lock behind."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; builds are not expected to overlap there
        yield
        return
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
