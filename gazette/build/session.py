"""What one build (or check) holds while it runs, released together when it ends: the open
build cache, which pages read their bodies from, and the objects kept from Python's garbage
collector. Callers enter a `BuildSession`; nothing else has to be remembered. Around it,
`with_cache` holds the cache for the whole build and deals with a damaged one."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from gazette.build.cache import BuildCache
from gazette.build.cache_file import CacheCorrupt, cache_lock, set_aside
from gazette.errors import DiskError, Problem

T = TypeVar("T")


def with_cache(cache_file: Path | None, work: Callable[[], T], on_wait: Callable[[], None] = lambda: None,
               ) -> tuple[T, list[Problem]]:
    """Run `work` (a build or check that opens the cache at `cache_file`, if any) holding the
    cache, and the warnings to show with its result.

    When the cache turns out damaged (CacheCorrupt, from wherever it was read), nothing it
    said can be trusted: it is set aside, and `work` runs again from the start with a new,
    empty cache, which is safe because a build replaces its output only when it completes."""
    with cache_lock(cache_file, on_wait):
        try:
            return work(), []
        except CacheCorrupt as exc:
            if cache_file is None:  # the build's own scratch database, just made
                raise DiskError(Problem(exc.path, f"the build's scratch database is damaged: {exc.detail}")) from exc
            aside = set_aside(exc.path)
            warning = Problem(exc.path, f"warning: the build cache was damaged ({exc.detail}); it was set aside "
                                        f"as {aside.name} and is made again")
        try:
            return work(), [warning]
        except CacheCorrupt as exc:
            raise DiskError(Problem(exc.path, f"the build cache was damaged again as soon as it was made anew "
                                              f"({exc.detail}): is the disk failing?")) from exc


class BuildSession:
    def __init__(self, cache_file: Path | None) -> None:
        self.cache = BuildCache(cache_file)

    def __enter__(self) -> BuildSession:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.cache.close()
        gc.unfreeze()  # what `collector_paused` kept from the collector is garbage now

    @contextmanager
    def collector_paused(self) -> Iterator[None]:
        """Run a stretch that makes many long-lived objects and no reference cycles (article
        records, entries, pages) without the cyclic garbage collector, and keep them from it
        (`gc.freeze`) until the session ends.

        A collection walks every object of the generations it collects: at 10,000 articles
        these objects set off dozens of collections, a third of an incremental build, all for
        nothing. Not for Markdown or template rendering, which do leave cycles behind. Forked
        workers gain too: objects the collector leaves alone stay shared with the parent."""
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            yield
        finally:
            gc.freeze()
            if was_enabled:
                gc.enable()
