"""Entries swapped in planned data: an edited article's new entry put in place of its old
one wherever a page's context holds it (lists, tuples, dicts, the model's frozen
dataclasses), sharing everything that does not hold it. Used by the preview's fast render
(gazette.preview.fast); the fingerprints walk its views (`SwappedEntries`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from gazette.model.site import Entry

LONG_SEQUENCE = 256  # past this many items, entries are swapped in a view, not copied


class SwappedEntries(Sequence):
    """A long sequence of entries (every article, on an article page's related stories; a
    topic's) seen with some swapped: made at once, where a copy costs a walk of 100,000."""

    def __init__(self, entries: Sequence[Entry], replacements: Mapping[int, Entry]) -> None:
        self._entries = entries
        self._replacements = replacements

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._replacements.get(id(entry), entry) for entry in self._entries[index]]
        entry = self._entries[index]
        return self._replacements.get(id(entry), entry)


def substitute(value: object, replacements: Mapping[int, Entry]) -> object:
    """`value` with every entry whose id is in `replacements` swapped for its replacement,
    through lists, tuples, dicts and the model's frozen dataclasses (an index of a topic,
    a month, related stories); the very same object where nothing was swapped. A long run
    that starts with an entry is taken to hold entries only (every article, a topic's)."""
    if isinstance(value, Entry):
        return replacements.get(id(value), value)
    if isinstance(value, (list, tuple)) and len(value) > LONG_SEQUENCE and isinstance(value[0], Entry):
        # A run of entries: looked through at C speed, and swapped in a view, not copied.
        return SwappedEntries(value, replacements) if any(map(replacements.__contains__, map(id, value))) else value
    if isinstance(value, (list, tuple)):
        items = [substitute(item, replacements) for item in value]
        if all(new is old for new, old in zip(items, value)):
            return value
        return items if isinstance(value, list) else tuple(items)
    if isinstance(value, dict):
        swapped = {key: substitute(item, replacements) for key, item in value.items()}
        return value if all(swapped[key] is value[key] for key in value) else swapped
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for field in dataclasses.fields(value):
            old = getattr(value, field.name)
            new = substitute(old, replacements)
            if new is not old:
                changes[field.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value
