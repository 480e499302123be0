"""Full-text search for a static site: Pagefind indexes the built pages at build time.

The index is a folder of small static files (`pagefind/` in the site) that the search page's
script fetches piece by piece, so search needs no server. Only article pages and plain pages are
indexed: their templates mark the text with `data-pagefind-body`, and Pagefind then leaves out every
page without it (home, topics, archive...), and within a story whatever is `data-pagefind-ignore`.

Pagefind cannot update an index, indexes about 600 pages a second and holds about 0.35 MB
per page in memory, so a big archive is indexed in parts, merged by the search page:
- shards of at most SHARD_PAGES pages, each a year or a run of its months
  (`pagefind/2021/`, `pagefind/2022-01-06/`), made by a full build;
- `pagefind/recent/`, the article pages edited, added or deleted since their shard was indexed,
  indexed again on every build (a few pages: a fraction of a second);
- `pagefind/pages/`, the plain pages (About...), indexed again only when one of them changed;
- `pagefind/manifest.json`, which lists the shards and names the shard records that recent/
  replaces, which the search page hides.
Once more than MAX_RECENT_PAGES pages have changed, their shards are indexed again instead.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import subprocess
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from gazette.build.output import link_or_copy
from gazette.build.pages import (
    SEARCH_INDEX_FOLDER as INDEX_FOLDER,  # pagefind/ under the site root
)
from gazette.errors import GazetteError, Problem, writing
from gazette.model.urls import route_of
from gazette.search.assets import ENTRY_FILE, MANIFEST_FILE, trim_assets
from gazette.search.stories import articles_are_marked, same_story

INSTALL_HINT = "install it with `pip install 'pagefind[bin]'`"


def pagefind_binary() -> Path | None:
    """The Pagefind executable, if any: `PAGEFIND_BINARY_PATH`, else the one the `pagefind[bin]`
    package (or `pagefind[extended]`) ships, else one on PATH. This is the order of the
    `pagefind` package's own `get_executable`, which imports its asyncio service (40 ms a build)."""
    named = os.environ.get("PAGEFIND_BINARY_PATH")
    if named:
        return Path(named) if Path(named).is_file() else None
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            ships = importlib.import_module(package).get_executable
        except ImportError:
            continue
        try:
            found = ships()
        except OSError:  # the package is there but its binary is not
            return None
        return found if found.is_file() else None
    on_path = shutil.which("pagefind_extended") or shutil.which("pagefind")
    return Path(on_path) if on_path else None


SHARD_PAGES = 600  # about 220 MB and 1 s of Pagefind; fewer pages per shard, more for the browser to merge
SPLITS = (1, 2, 3, 4, 6, 12)  # a year is one shard, or 2, 3, 4, 6 or 12 runs of months


@dataclass(frozen=True)
class Shard:
    """One Pagefind index: the article pages of one year, or of a run of its months."""

    name: str  # its folder in pagefind/: "2021", "2021-07-12" for July to December, "2021-07"
    months: tuple[str, ...]  # the month folders it covers: ("2021/07", ..., "2021/12")

    def glob(self) -> str:
        year = self.months[0][:4]
        if len(self.months) == 12:
            return f"{year}/**/*.html"
        return year + "/{" + ",".join(month[5:] for month in self.months) + "}/**/*.html"


def plan_shards(pages_per_month: dict[str, int]) -> list[Shard]:
    """Split the article pages ("2021/07" -> how many) into shards of at most SHARD_PAGES
    (unless one month alone has more), each year into as few runs of months as will do.
    Newest first: the search page loads the first as its primary index."""
    shards: list[Shard] = []
    for year in sorted({month[:4] for month in pages_per_month}, reverse=True):
        counts = [pages_per_month.get(f"{year}/{number:02d}", 0) for number in range(1, 13)]
        for parts in SPLITS:
            size = 12 // parts
            if parts == SPLITS[-1] or all(sum(counts[i:i + size]) <= SHARD_PAGES for i in range(0, 12, size)):
                break
        for first in reversed(range(0, 12, size)):
            if not any(counts[first:first + size]):
                continue
            months = tuple(f"{year}/{number:02d}" for number in range(first + 1, first + size + 1))
            name = year if size == 12 else f"{year}-{first + 1:02d}" + (f"-{first + size:02d}" if size > 1 else "")
            shards.append(Shard(name, months))
    return shards


def pages_per_month(articles: Iterable[str]) -> dict[str, int]:
    """How many of the article pages (their output files, "YYYY/MM/slug/index.html") each
    month holds, in the order of the months."""
    counts = Counter(found.group(1) for found in map(_MONTH_FOLDER.match, articles) if found)  # month_of's, without a call each
    return dict(sorted(counts.items()))


def pagefind_command(binary: Path, site_dir: Path, shard: Shard) -> list[str]:
    return [
        str(binary),
        "--site", str(site_dir),
        # Only this shard's pages; URLs stay relative to the site root.
        "--glob", shard.glob(),
        "--output-subdir", f"{INDEX_FOLDER}/{shard.name}",
        # The build's own summary is enough; Pagefind's log would bury it.
        "--quiet",
    ]


_MONTH_FOLDER = re.compile(r"(\d{4}/\d{2})/")  # a month's folder, then what is in it


def month_of(name: str) -> str | None:
    """The month folder of an article page ("2021/07/x/index.html" -> "2021/07"), else None."""
    found = _MONTH_FOLDER.match(name)
    return found.group(1) if found else None


RECENT_FOLDER = "recent"  # pagefind/recent/: pages changed since their shard was indexed
PAGES_FOLDER = "pages"  # pagefind/pages/: the plain pages of content/pages/
MAX_RECENT_PAGES = 100  # Pagefind takes about 0.2 s for this many; more, and their shards are redone


@dataclass
class IndexManifest:
    """The shards of a site's index, and the article pages whose shard no longer tells the
    truth about them.

    `edited` maps each such page (a file name in the site) to the id of its record in its
    shard, or None when the shard has no record of it (a page added since)."""

    shards: list[Shard] = field(default_factory=list)
    edited: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def read(cls, index_root: Path) -> IndexManifest | None:
        """The manifest of a site's index, or None when it has no readable one."""
        try:
            recorded = json.loads((index_root / MANIFEST_FILE).read_text(encoding="utf-8"))
            shards = [Shard(name, tuple(months)) for name, months in recorded["shards"].items()]
            return cls(shards, dict(recorded["edited"]))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def write(self, index_root: Path, recent_ids: dict[str, str], extra: tuple[str, ...] = ()) -> list[str]:
        """Write the manifest; for the search page, with the shards to merge (newest first)
        and which shard records to hide: those of pages indexed anew in recent/ with other
        contents, and those of deleted pages. Returns the indexes in the order the search
        page merges them."""
        hidden = {
            record: page_url(name) for name, record in sorted(self.edited.items())
            if record is not None and recent_ids.get(page_url(name)) != record
        }
        document = {
            "indexes": [shard.name for shard in self.shards] + ([RECENT_FOLDER] if recent_ids else []) + list(extra),
            "hidden": hidden,
            "shards": {shard.name: list(shard.months) for shard in self.shards},
            "edited": dict(sorted(self.edited.items())),
        }
        # Written anew, never into the file: in a staging folder it may be shared with the live site.
        target = index_root / MANIFEST_FILE
        target.unlink(missing_ok=True)
        with writing(target):
            target.write_text(json.dumps(document, indent=0), encoding="utf-8")
        return document["indexes"]


def page_url(name: str) -> str:
    """The URL Pagefind records for a page file: "2021/05/x/index.html" -> "/2021/05/x/"."""
    return "/" + route_of(name)


def index_site(site_dir: Path, months: Mapping[str, int], live_dir: Path | None = None, changed: set[str] | None = None,
               jobs: int = 1, plain_pages: Iterable[str] = ()) -> None:
    """Make `site_dir/pagefind/` the search index of the complete built site in `site_dir`,
    whose article pages fill `months` as `pages_per_month` counts them (from the build's
    `OutputPlan`).

    With the names of the files that differ from `live_dir` (the site now online), the
    shards that are still the same are reused from it and only the changed article pages
    are indexed, into recent/; without them, or when the live site has no index to build
    on, every shard is indexed. The `plain_pages` (output files) are one index of their own. Up to `jobs` shards are indexed at once (one Pagefind uses
    about 1.3 cores). Raises GazetteError when Pagefind is not installed or fails.
    """
    index_root = site_dir / INDEX_FOLDER
    shards = plan_shards(months) if articles_are_marked(site_dir, sorted(months)) else []
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
    for entry in os.scandir(index_root):  # shards that are gone, a killed build's leftovers...
        if entry.name not in {shard.name for shard in shards} | {RECENT_FOLDER, PAGES_FOLDER, MANIFEST_FILE}:
            remove_index(Path(entry.path))

    live_root = live_dir / INDEX_FOLDER if live_dir is not None else None
    if changed is not None and live_dir is not None:
        # An article page whose story is the same keeps its record: after an edit, its neighbours'
        # pages. Checked where the pages would go to recent/ (0.3 ms a page), not for a whole site.
        pages = [name for name in changed if name.endswith(".html") and month_of(name) is not None]
        if len(pages) <= MAX_RECENT_PAGES:
            changed = changed - {name for name in pages if same_story(live_dir / name, site_dir / name)}
    manifest, reusable = carry_over(shards, live_root, changed)
    to_index = [shard for shard in shards if shard not in reusable]
    for shard in shards:
        if shard in reusable:
            reuse_index(live_root / shard.name, index_root / shard.name)
        else:
            remove_index(index_root / shard.name)
    recent = sorted(name for name in manifest.edited if (site_dir / name).is_file())
    plain_pages = sorted(plain_pages)
    keep_pages = (bool(plain_pages) and live_root is not None and changed is not None
                  and not changed & set(plain_pages) and (live_root / PAGES_FOLDER / ENTRY_FILE).is_file())
    if keep_pages:
        reuse_index(live_root / PAGES_FOLDER, index_root / PAGES_FOLDER)

    def index_one(shard: Shard) -> None:
        run_pagefind(pagefind_command(binary, site_dir, shard), site_dir, index_root / shard.name)

    # Threads only wait here: each Pagefind is a process of its own.
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        work = [pool.submit(index_one, shard) for shard in to_index]
        work.append(pool.submit(index_recent, binary, site_dir, recent))
        if not keep_pages:
            work.append(pool.submit(index_recent, binary, site_dir, plain_pages, PAGES_FOLDER))
        for finished in work:
            finished.result()
    recent_ids = ShardRecords(index_root).records(RECENT_FOLDER) if recent else {}
    # A page whose new record is the same as its shard's (only its links to other stories
    # changed, say) needs no replacing: it leaves the manifest after this build.
    manifest.edited = {
        name: record for name, record in manifest.edited.items()
        if record is None and name in recent or record is not None and recent_ids.get(page_url(name)) != record
    }
    indexes = manifest.write(index_root, recent_ids, (PAGES_FOLDER,) if plain_pages else ())
    made = {shard.name for shard in to_index} | {RECENT_FOLDER} | (set() if keep_pages else {PAGES_FOLDER})
    trim_assets(index_root, indexes, live_root, made)


def carry_over(shards: list[Shard], live_root: Path | None, changed: set[str] | None) -> tuple[IndexManifest, set[Shard]]:
    """The shards the live index has just as they are now planned, and the manifest of the
    new index: the live one's edited pages plus the `changed` article pages in those shards.
    Past MAX_RECENT_PAGES edited pages, their shards are not reused after all."""
    live = IndexManifest.read(live_root) if live_root is not None and changed is not None else None
    if live is None:
        return IndexManifest(shards), set()
    shard_of = {month: shard for shard in shards for month in shard.months}
    reusable = {
        shard for shard in set(shards) & set(live.shards)
        if (live_root / shard.name / ENTRY_FILE).is_file()
    }
    manifest = IndexManifest(shards, {
        name: record for name, record in live.edited.items() if shard_of.get(month_of(name)) in reusable
    })
    live_records = ShardRecords(live_root)
    for name in sorted(changed):
        shard = shard_of.get(month_of(name))
        if shard in reusable and name.endswith(".html") and name not in manifest.edited:
            manifest.edited[name] = live_records.record_of(name, shard)
    if len(manifest.edited) > MAX_RECENT_PAGES:
        reusable -= {shard_of[month_of(name)] for name in manifest.edited}  # index them afresh
        manifest.edited = {}
    return manifest, reusable


def index_recent(binary: Path, site_dir: Path, pages: list[str], folder: str = RECENT_FOLDER) -> None:
    """Index just `pages` (file names in the site) into pagefind/recent/ (or `folder`).

    Pagefind indexes a folder, so the pages are gathered, as hard links under their own
    names, into a scratch folder inside the index (removed again at once, and by the next
    build if this one is killed); their URLs come out the same as in the site."""
    index_root = site_dir / INDEX_FOLDER
    target = index_root / folder
    remove_index(target)
    if not pages:
        return
    scratch = index_root / f".{folder}-pages"
    remove_index(scratch)
    try:
        for name in pages:
            (scratch / name).parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(site_dir / name, scratch / name)
        command = [str(binary), "--site", str(scratch), "--output-path", str(target.resolve()), "--quiet"]
        run_pagefind(command, site_dir, target)
    finally:
        remove_index(scratch)


class ShardRecords:
    """Which record (fragment) of an index holds which page, read from the index itself."""

    URL = re.compile(rb'"url":"((?:[^"\\]|\\.)*)"')

    def __init__(self, index_root: Path):
        self.index_root = index_root
        self.by_shard: dict[str, dict[str, str]] = {}

    def record_of(self, name: str, shard: Shard) -> str | None:
        if shard.name not in self.by_shard:
            self.by_shard[shard.name] = self.records(shard.name)
        return self.by_shard[shard.name].get(page_url(name))

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
    try:
        if os.path.samefile(live_copy / ENTRY_FILE, target / ENTRY_FILE):
            return
    except OSError:
        pass
    link_tree(live_copy, target)


def link_tree(source: Path, target: Path) -> None:
    """Make `target` a copy of `source` made of hard links (new names, shared bytes)."""
    remove_index(target)
    last = source / ENTRY_FILE  # linked last: see reuse_index
    for folder, _, names in os.walk(source):
        destination = target / Path(folder).relative_to(source)
        destination.mkdir(parents=True, exist_ok=True)
        for name in names:
            if Path(folder, name) != last:
                link_or_copy(Path(folder, name), destination / name)
    if last.is_file():
        link_or_copy(last, target / last.name)


def remove_index(index_dir: Path) -> None:
    """Unlink the old index rather than let Pagefind overwrite it: in a staging folder its files
    may be hard links shared with the live site, which writing into them would change too.
    Removing it also drops the records of pages that no longer exist."""
    if index_dir.is_dir() and not index_dir.is_symlink():
        shutil.rmtree(index_dir)
    elif index_dir.exists() or index_dir.is_symlink():
        index_dir.unlink()


def run_pagefind(command: list[str], site_dir: Path, index_dir: Path) -> None:
    """Run Pagefind to write the index in `index_dir`; raise GazetteError when it fails."""
    try:
        result = subprocess.run(command, capture_output=True, text=True, errors="replace")
    except OSError as exc:  # not executable, wrong architecture...
        raise GazetteError(Problem(site_dir, f"cannot build the search index: cannot run {command[0]}: {exc}")) from None
    if result.returncode != 0:
        output = (result.stderr.strip() or result.stdout.strip()).splitlines()[-5:]
        detail = "; ".join(line.strip() for line in output if line.strip()) or f"exit status {result.returncode}"
        raise GazetteError(Problem(index_dir, f"cannot build the search index: Pagefind failed: {detail}"))
    if not (index_dir / "pagefind.js").is_file():
        written = index_dir.relative_to(site_dir).as_posix()
        raise GazetteError(Problem(site_dir, f"Pagefind ran but wrote no {written}/pagefind.js"))
