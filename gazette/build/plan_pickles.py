"""Unpickling what the kept plan (see gazette.build.plan_store) and the edits since it hold:
an entry's body names the cache's store of rendered bodies, which one reading opens once
(`store_factory`), a kept entry's terms are places in the plan's list of them
(`EntryUnpickler`), and a page's references to the data its plan shares
(`plan_store.StoredRef`) are read from the store as the page is (`PageUnpickler`)."""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path

from gazette.build.body_store import BodyStore
from gazette.build.cache import BuildCache
from gazette.build.plan_store import StoredRef


def store_factory(cache: BuildCache) -> Callable[[Path], BodyStore]:
    """Gives the bodies' store of the cache that reads the plan where the plan held the store
    it was made with (see `BodyStore.__reduce__`): one, which the session closes."""
    stores: list[BodyStore] = []
    return lambda _path: stores[0] if stores else stores.append(cache.body_store()) or stores[0]


class BodiesUnpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, store_factory: Callable[[Path], BodyStore]) -> None:
        super().__init__(file)
        self._store_factory = store_factory

    def find_class(self, module: str, name: str) -> object:
        if (module, name) == (BodyStore.__module__, BodyStore.__qualname__):
            return self._store_factory
        return super().find_class(module, name)


class EntryUnpickler(BodiesUnpickler):
    """An entry of the kept plan (see `plan_store._EntryPickler`): each of its terms read as its
    place in `terms`, its body's store as this reading's."""

    def __init__(self, file: io.BytesIO, store_factory: Callable[[Path], BodyStore], terms: Sequence[object]) -> None:
        super().__init__(file, store_factory)
        self._terms = terms

    def find_class(self, module: str, name: str) -> object:
        if (module, name) == (StoredRef.__module__, StoredRef.__qualname__):
            terms, store_factory = self._terms, self._store_factory  # not self: see `PageUnpickler`
            return lambda kind, place=0: terms[place] if kind == "t" else store_factory(None)
        return super().find_class(module, name)


class PageUnpickler(BodiesUnpickler):
    """A page of the kept plan, each of its references read with `reference` (`PlanReader.reference`)."""

    def __init__(self, file: io.BytesIO, store_factory: Callable[[Path], BodyStore],
                 reference: Callable[[tuple], object]) -> None:
        super().__init__(file, store_factory)
        self._reference = reference

    def find_class(self, module: str, name: str) -> object:
        if (module, name) == (StoredRef.__module__, StoredRef.__qualname__):
            reference = self._reference  # not self: a cycle through the memo would wait for the collector
            return lambda *ref: reference(ref)
        return super().find_class(module, name)


def unpickle(blob: bytes, store_factory: Callable[[Path], BodyStore]) -> object:
    return BodiesUnpickler(io.BytesIO(blob), store_factory).load()


def unpickle_with_bodies(blob: bytes, cache: BuildCache) -> object:
    """What `blob` pickles, entries' bodies read from `cache`'s store (see `store_factory`)."""
    return unpickle(blob, store_factory(cache))
