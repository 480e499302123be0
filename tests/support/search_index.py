"""Read a built site's search index the way the search page sees it (see gazette/search.py)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from gazette.search.index import INDEX_FOLDER, MANIFEST_FILE, RECENT_FOLDER


def records_in(index: Path) -> list[tuple[str, dict]]:
    """(record id, record) of every page in one Pagefind index (gzipped, behind a short
    signature, then JSON)."""
    found = []
    for path in sorted(index.glob("fragment/*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        found.append((path.name.removesuffix(".pf_fragment"), json.loads(data[data.index(b"{"):])))
    return found


def searchable_records(public: Path) -> list[dict]:
    """Every record a search can return: those of the indexes the manifest lists, but for
    the shard records it hides, each page once."""
    root = public / INDEX_FOLDER
    if not root.is_dir():
        return []
    manifest = json.loads((root / MANIFEST_FILE).read_text())
    kept: dict[tuple[str, str], dict] = {}
    shard_of: dict[str, str] = {}
    for name in manifest["indexes"]:
        for record_id, record in records_in(root / name):
            if name != RECENT_FOLDER:  # the shards split the pages between them
                assert shard_of.setdefault(record["url"], name) == name, f"{record['url']} in two shards"
            if name == RECENT_FOLDER or manifest["hidden"].get(record_id) != record["url"]:
                kept[record_id, record["url"]] = record
    return sorted(kept.values(), key=lambda record: record["url"])


def comparable_site(root: Path) -> dict[str, bytes]:
    """Every output file's bytes. Pagefind's index is not byte-reproducible even between two
    cold builds (its filter files are named by a hash of an unordered map), and after edits it
    is laid out differently (see gazette/search/index.py), so for it the records a search can
    return stand in: each page's URL, text, metadata and filters."""
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    for name in [name for name in files if name.startswith(INDEX_FOLDER + "/")]:
        del files[name]
    files["searchable records"] = json.dumps(searchable_records(root), indent=1, sort_keys=True).encode()
    return files
