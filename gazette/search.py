"""Full-text search for a static site: Pagefind indexes the built pages at build time.

The index is a folder of small static files (`pagefind/` in the site) that the search page's
script fetches piece by piece, so search needs no server. Only article pages are indexed: the
article template marks its story with `data-pagefind-body`, and Pagefind then leaves out every
page without it (home, topics, archive...), and within a story whatever is `data-pagefind-ignore`.

Pagefind cannot update an index, and indexes about 600 pages a second, so a full index of a
big archive takes many seconds. Hence two layers, merged by the search page:
- one index per year, `pagefind/<year>/`, made by a full build;
- `pagefind/recent/`, the article pages edited, added or deleted since their year was indexed,
  indexed again on every build (a few pages: a fraction of a second), with `pagefind/edits.json`
  naming the year records they replace, which the search page hides.
Once more than MAX_RECENT_PAGES pages have changed, their years are indexed again instead.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
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


RECENT_FOLDER = "recent"  # pagefind/recent/: pages changed since their year was indexed
EDITS_FILE = "edits.json"  # pagefind/edits.json: what recent/ replaces (read by static/js/search.js)
MAX_RECENT_PAGES = 100  # Pagefind takes about 0.2 s for this many; more, and their years are redone


@dataclass
class SearchEdits:
    """Article pages whose year index no longer tells the truth about them.

    `pages` maps each one (a file name in the site) to the id of its record in its year's
    index, or None when that index has no record of it (a page added since)."""

    pages: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def read(cls, index_root: Path) -> SearchEdits | None:
        """The edits recorded in a site's index, or None when it has no readable record."""
        try:
            recorded = json.loads((index_root / EDITS_FILE).read_text(encoding="utf-8"))
            return cls(dict(recorded["pages"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def write(self, index_root: Path, recent_ids: dict[str, str]) -> None:
        """Record the edits, and for the search page which year records to hide: those of
        pages indexed anew in recent/ with other contents, and those of deleted pages."""
        hidden = {
            record: page_url(name) for name, record in sorted(self.pages.items())
            if record is not None and recent_ids.get(page_url(name)) != record
        }
        document = {"recent": bool(recent_ids), "hidden": hidden, "pages": dict(sorted(self.pages.items()))}
        (index_root / EDITS_FILE).write_text(json.dumps(document, indent=0), encoding="utf-8")


def page_url(name: str) -> str:
    """The URL Pagefind records for a page file: "2021/05/x/index.html" -> "/2021/05/x/"."""
    return "/" + (name[: -len("index.html")] if name == "index.html" or name.endswith("/index.html") else name)


def is_article_page(name: str) -> bool:
    return shard_of(name) is not None and name.endswith(".html")


def index_site(site_dir: Path, live_dir: Path | None = None, changed: set[str] | None = None, jobs: int = 1) -> None:
    """Make `site_dir/pagefind/` the search index of the complete built site in `site_dir`.

    With the names of the files that differ from `live_dir` (the site now online), the
    year indexes are reused from it and only the changed article pages are indexed, into
    recent/; without them, or when the live site has no index to build on, every year is
    indexed. Up to `jobs` years are indexed at once (one Pagefind uses about 1.3 cores).
    Raises GazetteError when Pagefind is not installed or fails.
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
    for entry in os.scandir(index_root):  # years that are gone, a killed build's leftovers...
        if entry.name not in shards and entry.name not in (RECENT_FOLDER, EDITS_FILE):
            remove_index(Path(entry.path))

    live_root = live_dir / INDEX_FOLDER if live_dir is not None else None
    live_edits = SearchEdits.read(live_root) if live_root is not None and changed is not None else None
    reusable = {
        shard for shard in shards
        if live_edits is not None and (live_root / shard / "pagefind-entry.json").is_file()
    }
    edits = SearchEdits({name: record for name, record in live_edits.pages.items()
                         if shard_of(name) in reusable}) if live_edits else SearchEdits()
    new_pages = sorted(name for name in changed or () if is_article_page(name) and name not in edits.pages)
    base_records = YearRecords(live_root) if live_root is not None else None
    for name in new_pages:
        if shard_of(name) in reusable:
            edits.pages[name] = base_records.record_of(name)
    if len(edits.pages) > MAX_RECENT_PAGES:
        reusable -= {shard_of(name) for name in edits.pages}  # index those years afresh
        edits = SearchEdits()

    for shard in reusable:
        reuse_index(live_root / shard, index_root / shard)
    to_index = [shard for shard in shards if shard not in reusable]
    for shard in to_index:
        remove_index(index_root / shard)
    recent = sorted(name for name in edits.pages if (site_dir / name).is_file())

    def index_one(shard: str) -> None:
        run_pagefind(pagefind_command(binary, site_dir, shard), site_dir)
        if not (index_root / shard / "pagefind.js").is_file():
            raise GazetteError(Problem(site_dir, f"Pagefind ran but wrote no {INDEX_FOLDER}/{shard}/pagefind.js"))

    # Threads only wait here: each Pagefind is a process of its own.
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        work = [pool.submit(index_one, shard) for shard in to_index]
        work.append(pool.submit(index_recent, binary, site_dir, recent))
        for finished in work:
            finished.result()
    recent_ids = YearRecords(index_root).records(RECENT_FOLDER) if recent else {}
    # A page whose new record is the same as its year's (only its links to other stories
    # changed, say) needs no replacing: it leaves the edits after this build.
    edits.pages = {
        name: record for name, record in edits.pages.items()
        if record is None and name in recent or record is not None and recent_ids.get(page_url(name)) != record
    }
    edits.write(index_root, recent_ids)


def index_recent(binary: Path, site_dir: Path, pages: list[str]) -> None:
    """Index just `pages` (file names in the site) into pagefind/recent/.

    Pagefind indexes a folder, so the pages are gathered, as hard links under their own
    names, into a scratch folder inside the index (removed again at once, and by the next
    build if this one is killed); their URLs come out the same as in the site."""
    index_root = site_dir / INDEX_FOLDER
    target = index_root / RECENT_FOLDER
    remove_index(target)
    if not pages:
        return
    scratch = index_root / ".recent-pages"
    remove_index(scratch)
    try:
        for name in pages:
            (scratch / name).parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(site_dir / name, scratch / name)
            except OSError:
                shutil.copyfile(site_dir / name, scratch / name)
        command = [str(binary), "--site", str(scratch), "--output-path", str(target.resolve()), "--quiet"]
        run_pagefind(command, site_dir)
    finally:
        remove_index(scratch)
    if not (target / "pagefind.js").is_file():
        raise GazetteError(Problem(site_dir, f"Pagefind ran but wrote no {INDEX_FOLDER}/{RECENT_FOLDER}/pagefind.js"))


class YearRecords:
    """Which record (fragment) of an index holds which page, read from the index itself."""

    URL = re.compile(rb'"url":"((?:[^"\\]|\\.)*)"')

    def __init__(self, index_root: Path):
        self.index_root = index_root
        self.by_shard: dict[str, dict[str, str]] = {}

    def record_of(self, name: str) -> str | None:
        shard = shard_of(name)
        if shard not in self.by_shard:
            self.by_shard[shard] = self.records(shard)
        return self.by_shard[shard].get(page_url(name))

    def records(self, shard: str) -> dict[str, str]:
        """URL -> record id of every page in one index. A record is gzipped JSON that starts
        with the URL, so only its first bytes are read and inflated."""
        found: dict[str, str] = {}
        try:
            entries = list(os.scandir(self.index_root / shard / "fragment"))
        except OSError:
            return found
        for entry in entries:
            try:
                with open(entry.path, "rb") as handle:
                    head = zlib.decompressobj(wbits=31).decompress(handle.read(2048), 4096)
            except (OSError, zlib.error):  # not a record Pagefind wrote: no page of ours
                continue
            match = self.URL.search(head)
            if match:
                found[json.loads(b'"' + match.group(1) + b'"')] = entry.name.removesuffix(".pf_fragment")
        return found


def reuse_index(live_copy: Path, target: Path) -> None:
    """Make `target` the same index as `live_copy`. The staging folder often holds it already,
    from the build before: its entry file is then the very file of the live copy (link_tree
    links it last, so a shared entry file means a complete copy)."""
    entry = "pagefind-entry.json"
    try:
        if os.path.samefile(live_copy / entry, target / entry):
            return
    except OSError:
        pass
    link_tree(live_copy, target)


def link_tree(source: Path, target: Path) -> None:
    """Make `target` a copy of `source` made of hard links (new names, shared bytes)."""
    remove_index(target)
    last = source / "pagefind-entry.json"  # linked last: see reuse_index
    for folder, _, names in os.walk(source):
        destination = target / Path(folder).relative_to(source)
        destination.mkdir(parents=True, exist_ok=True)
        for name in names:
            if Path(folder, name) != last:
                link_or_copy(Path(folder, name), destination / name)
    if last.is_file():
        link_or_copy(last, target / last.name)


def link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # no hard links on this file system
        shutil.copyfile(source, target)


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
