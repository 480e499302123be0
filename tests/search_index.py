"""Read a built site's search index the way the search page sees it (see gazette/search.py)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from gazette.search import EDITS_FILE, INDEX_FOLDER, RECENT_FOLDER


def records_in(index: Path) -> list[tuple[str, dict]]:
    """(record id, record) of every page in one Pagefind index (gzipped, behind a short
    signature, then JSON)."""
    found = []
    for path in sorted(index.glob("fragment/*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        found.append((path.name.removesuffix(".pf_fragment"), json.loads(data[data.index(b"{"):])))
    return found


def searchable_records(public: Path) -> list[dict]:
    """Every record a search can return: the year indexes' records that edits.json does not
    hide, and recent/'s, each page once."""
    root = public / INDEX_FOLDER
    if not root.is_dir():
        return []
    edits = json.loads((root / EDITS_FILE).read_text())
    hidden = edits["hidden"]
    kept: dict[tuple[str, str], dict] = {}
    for index in sorted(p for p in root.iterdir() if p.is_dir() and p.name != RECENT_FOLDER):
        for record_id, record in records_in(index):
            if hidden.get(record_id) != record["url"]:
                kept[record_id, record["url"]] = record
    for record_id, record in records_in(root / RECENT_FOLDER):
        kept[record_id, record["url"]] = record
    return sorted(kept.values(), key=lambda record: record["url"])
