"""What one build (or check) holds while it runs, released together when it ends: the open
build cache, which pages read their bodies from, and the objects kept from Python's garbage
collector. Callers enter a `BuildSession`; nothing else has to be remembered."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gazette.build.cache import BuildCache


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
