"""Full-text search for a static site: Pagefind indexes the built pages at build time.

The index is a folder of small static files (`pagefind/<year>/` in the site, one index per
year, merged by the search page) that the search page's script fetches piece by piece, so
search needs no server. Only article pages are indexed: the
article template marks its story with `data-pagefind-body`, and Pagefind then leaves out every
page without it (home, topics, archive...), and within a story whatever is `data-pagefind-ignore`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from gazette.errors import GazetteError, Problem

from gazette.pages import SEARCH_INDEX_FOLDER as INDEX_FOLDER  # pagefind/<year>/pagefind.js under the site root
INSTALL_HINT = "install it with `pip install 'pagefind[bin]'`"
BODY_MARKER = b"data-pagefind-body"  # what templates/article.html puts on the story


def pagefind_binary() -> Path | None:
    """The Pagefind executable that the `pagefind[bin]` package (or PATH) provides, if any."""
    try:
        from pagefind.service import get_executable
    except ImportError:  # only the bare binary, installed some other way
        on_path = shutil.which("pagefind")
        return Path(on_path) if on_path else None
    try:
        found = get_executable()
    except (FileNotFoundError, OSError):  # pagefind_bin is present but its binary is broken
        return None
    return found if found is not None and found.is_file() else None


def pagefind_command(binary: Path, site_dir: Path, shard: str) -> list[str]:
    return [
        str(binary),
        "--site", str(site_dir),
        # Only this year's pages; URLs stay relative to the site root.
        "--glob", f"{shard}/**/*.html",
        "--output-subdir", f"{INDEX_FOLDER}/{shard}",
        # The build's own summary is enough; Pagefind's log would bury it.
        "--quiet",
    ]


def shard_of(name: str) -> str | None:
    """The index shard an output file belongs to: its year folder (articles live at YYYY/MM/slug/)."""
    head = name.split("/", 1)[0]
    return head if len(head) == 4 and head.isdigit() else None


def site_shards(site_dir: Path) -> list[str]:
    return sorted(
        (entry.name for entry in os.scandir(site_dir) if entry.is_dir() and shard_of(entry.name)),
        reverse=True,  # newest first: the search page loads the newest as its primary index
    )


def index_site(site_dir: Path, live_dir: Path | None = None, changed: set[str] | None = None, jobs: int = 1) -> None:
    """Index a complete built site into `site_dir/pagefind/<year>/`, one index per year.

    Pagefind cannot update an index, and indexing 10,000 pages at once takes tens of
    seconds and gigabytes. One index per year keeps each run small, and after an edit
    only the years with `changed` files are indexed again; the other years' indexes
    become hard links to those in `live_dir` (the site now online). The search page
    merges the years. Up to `jobs` years are indexed at once (one Pagefind uses about
    1.3 cores). Raises GazetteError when Pagefind is not installed or fails.
    """
    index_root = site_dir / INDEX_FOLDER
    shards = site_shards(site_dir) if has_marked_page(site_dir) else []
    if not shards:
        # No article yet: the search page says so. Pagefind would index every page instead,
        # navigation and all, when no page is marked.
        remove_index(index_root)
        return
    binary = pagefind_binary()
    if binary is None:
        raise GazetteError(Problem(site_dir, f"cannot build the search index: Pagefind is not installed; {INSTALL_HINT}"))
    if index_root.exists() and not index_root.is_dir():
        remove_index(index_root)
    index_root.mkdir(exist_ok=True)
    for entry in os.scandir(index_root):  # years that are gone, and anything else stale
        if entry.name not in shards:
            remove_index(Path(entry.path))
    changed_shards = None if changed is None else {shard_of(name) for name in changed}
    to_index = []
    for shard in shards:
        target = index_root / shard
        live_copy = live_dir / INDEX_FOLDER / shard if live_dir is not None else None
        if changed_shards is not None and shard not in changed_shards and live_copy and (live_copy / "pagefind.js").is_file():
            link_tree(live_copy, target)
        else:
            remove_index(target)
            to_index.append(shard)

    def index_one(shard: str) -> None:
        run_pagefind(pagefind_command(binary, site_dir, shard), site_dir)
        if not (index_root / shard / "pagefind.js").is_file():
            raise GazetteError(Problem(site_dir, f"Pagefind ran but wrote no {INDEX_FOLDER}/{shard}/pagefind.js"))

    # Threads only wait here: each Pagefind is a process of its own.
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for finished in [pool.submit(index_one, shard) for shard in to_index]:
            finished.result()


def link_tree(source: Path, target: Path) -> None:
    """Make `target` a copy of `source` made of hard links (new names, shared bytes)."""
    remove_index(target)
    for folder, _, names in os.walk(source):
        destination = target / Path(folder).relative_to(source)
        destination.mkdir(parents=True, exist_ok=True)
        for name in names:
            try:
                os.link(os.path.join(folder, name), destination / name)
            except OSError:
                shutil.copyfile(os.path.join(folder, name), destination / name)


def remove_index(index_dir: Path) -> None:
    """Unlink the old index rather than let Pagefind overwrite it: in a staging folder its files
    may be hard links shared with the live site, which writing into them would change too.
    Removing it also drops the records of pages that no longer exist."""
    if index_dir.is_dir() and not index_dir.is_symlink():
        shutil.rmtree(index_dir)
    elif index_dir.exists() or index_dir.is_symlink():
        index_dir.unlink()


def has_marked_page(site_dir: Path) -> bool:
    """Whether any page marks content for the index (stops at the first: cheap on a big site)."""
    for page in site_dir.rglob("*.html"):
        if BODY_MARKER in page.read_bytes():
            return True
    return False


def run_pagefind(command: list[str], site_dir: Path) -> None:
    try:
        result = subprocess.run(command, capture_output=True, text=True, errors="replace")
    except OSError as exc:  # not executable, wrong architecture...
        raise GazetteError(Problem(site_dir, f"cannot build the search index: cannot run {command[0]}: {exc}")) from None
    if result.returncode != 0:
        output = (result.stderr.strip() or result.stdout.strip()).splitlines()[-5:]
        detail = "; ".join(line.strip() for line in output if line.strip()) or f"exit status {result.returncode}"
        raise GazetteError(Problem(site_dir, f"cannot build the search index: Pagefind failed: {detail}"))
