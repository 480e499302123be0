"""What of Pagefind's output a site publishes: every index keeps its records and the
WebAssembly its pages' languages need; only the first index, the one the search page loads
Pagefind from, keeps Pagefind's script and web worker.

Pagefind writes its whole runtime and its ready-made interfaces into every index it makes,
and a big archive has one index per shard (`gazette/search/index.py`): at 10,000 articles,
twenty copies of the same 300 KB that no browser ever fetches.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection
from pathlib import Path

from gazette.build.output import link_or_copy

# What Pagefind writes into every index for its own ready-made interfaces. The search page
# has its own (static/js/search.js): these were over 400 KB an index.
UNUSED_ASSETS = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)
# Loaded once, from the first index of the manifest (static/js/search.js imports its
# pagefind.js; Pagefind starts one worker from beside it for every index it merges).
RUNTIME = ("pagefind.js", "pagefind-worker.js")
ENTRY_FILE = "pagefind-entry.json"  # each Pagefind index's own entry point
MANIFEST_FILE = "manifest.json"  # pagefind/manifest.json: the indexes in the order static/js/search.js merges them


def trim_assets(index_root: Path, indexes: list[str], live_root: Path | None = None,
                made: Collection[str] | None = None) -> None:
    """Leave in each of the `indexes` (folders of `index_root`, the first the one the search
    page loads Pagefind from) only what the search page fetches from it. `made`: the indexes
    Pagefind has just written (default: all); the others were trimmed when they were made,
    and may only have to give up the runtime they held as the first (at 100,000 articles,
    looking through all 120 indexes cost 0.02 s of each edit).

    When the first index lacks the runtime (it was made when another index came first), it
    gets the one of an index Pagefind has just made or, when every index was reused, the
    one of the live site's first index (`live_root`). Files are unlinked and linked, never
    written into: in a staging folder they may be hard links shared with the live site."""
    if not indexes:
        return
    first = index_root / indexes[0]
    missing = [name for name in RUNTIME if not (first / name).is_file()]
    if missing:
        folders = [index_root / index for index in indexes] + live_indexes(live_root)
        for name in missing:
            source = runtime_file(name, folders)
            if source is not None:
                link_or_copy(source, first / name)
    for index in indexes:
        folder = index_root / index
        unused = RUNTIME if index != indexes[0] else ()
        if made is None or index in made:
            unused += UNUSED_ASSETS + tuple(unneeded_wasm(folder))
        for name in unused:
            (folder / name).unlink(missing_ok=True)


def runtime_file(name: str, folders: list[Path]) -> Path | None:
    return next((folder / name for folder in folders if (folder / name).is_file()), None)


def live_indexes(live_root: Path | None) -> list[Path]:
    """The live site's index folders, in its manifest's order (its first holds the runtime)."""
    try:
        manifest = json.loads((live_root / MANIFEST_FILE).read_text(encoding="utf-8"))
        return [live_root / name for name in manifest["indexes"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return []


def unneeded_wasm(folder: Path) -> list[str]:
    """The WebAssembly files of an index that none of its languages loads: Pagefind writes
    `wasm.unknown.pagefind` (for pages without a language) into every index, and each
    language's entry names the file it loads. Nothing is dropped from an index whose entry
    cannot be read."""
    try:
        entry = json.loads((folder / ENTRY_FILE).read_text(encoding="utf-8"))
        needed = {f"wasm.{language['wasm']}.pagefind" for language in entry["languages"].values()}
        names = os.listdir(folder)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return []
    return [name for name in names if name.startswith("wasm.") and name.endswith(".pagefind") and name not in needed]
