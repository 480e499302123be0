"""A cheap summary of a build's inputs (names, sizes, modification times) and options: whether
anything changed since the last complete build, and whether only articles did (see
gazette.build.in_place)."""

from __future__ import annotations

import hashlib
import os
import time
from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gazette.build.fingerprint import digest_text
from gazette.model.content import PAGES_FOLDER, find_article_files, list_article_folder

if TYPE_CHECKING:
    from gazette.build.cache import BuildCache
    from gazette.build.pipeline import BuildOptions


def source_state(frame: str, articles: str) -> str:
    """A cheap summary of every input (names, sizes, modification times) and option:
    when it matches the last complete build, that build's output is still right.
    `frame`: `input_frame`; `articles`: `articles_state`."""
    return digest_text(frame, articles)


CONTENT_FOLDERS = "content_folders"  # cache state: what the last build listed of each content folder
RACY_NS = 2_000_000_000  # a folder listed this soon after it changed may change again within its time's tick


@dataclass(frozen=True)
class FolderListing:
    """A content folder's article files and the folders below it, as listed when it had
    the modification time `mtime_ns`: a file added, removed or renamed in it changes that."""

    mtime_ns: int
    listed_ns: int
    articles: tuple[str, ...]
    folders: tuple[str, ...]


def find_article_files_since(content_dir: Path, last: Mapping[str, FolderListing]
                             ) -> tuple[list[str], dict[str, FolderListing], bool]:
    """`find_article_files`, listing only the folders whose modification time is not what
    `last` (the previous build's listings) says: each folder is statted, not read (0.1 s
    less at 100,000 articles). Returns the files, the listings now, and whether any folder
    was listed anew. A folder listed within `RACY_NS` of its change is listed again, as git
    does: a file added in the same tick of the clock would leave its time as it was."""
    now, top = time.time_ns(), str(content_dir)
    found: list[str] = []
    listings: dict[str, FolderListing] = {}
    listed_anew = False
    pending = [top]
    while pending:
        folder = pending.pop()
        try:
            mtime = os.stat(folder).st_mtime_ns
        except OSError:
            continue
        listing = last.get(folder)
        if listing is None or listing.mtime_ns != mtime or listing.listed_ns - mtime < RACY_NS:
            folders, articles = list_article_folder(folder, folder == top)
            listing, listed_anew = FolderListing(mtime, now, tuple(articles), tuple(folders)), True
        listings[folder] = listing
        found += listing.articles
        pending += listing.folders
    return sorted(found), listings, listed_anew or listings.keys() != last.keys()


def find_article_files_since_last_build(options: BuildOptions, cache: BuildCache
                                        ) -> tuple[list[str] | None, dict[str, FolderListing] | None]:
    """Every article file (None without a content folder), listing again only the folders
    changed since the last build listed them (see `find_article_files_since`); and the
    listings for the build to keep when it is complete (`keep_listings`), None if the
    cache has them already."""
    content = options.project.content
    if not content.is_dir():
        return None, None
    if not cache.persistent:
        return find_article_files(content), None
    last = cache.state_object(CONTENT_FOLDERS)
    files, listings, listed_anew = find_article_files_since(content, last if isinstance(last, dict) else {})
    return files, listings if listed_anew else None


def keep_listings(cache: BuildCache, listings: dict[str, FolderListing] | None) -> None:
    if listings is not None:
        cache.store_state_object(CONTENT_FOLDERS, listings)


@dataclass(frozen=True)
class FileStates:
    """The size and modification time of each file of a list, as one string of names and two
    arrays: made, hashed, compared and pickled at C speed (0.3 s less than a dict of
    100,000 article files took, each build). Kept with the plan (see gazette.build.in_place)."""

    names: str  # the files' names, NUL between them (no file name holds one)
    sizes: bytes  # array("q"): each file's size, -1 for one gone before it was statted
    mtimes: bytes  # array("q"): each file's st_mtime_ns, -1 for one gone

    @classmethod
    def of(cls, files: list[str], stats: Mapping[str, os.stat_result]) -> FileStates:
        """Of `files`, as `stats` (what `stat_files(files)` gave) found them."""
        found = [stats.get(name) for name in files]
        return cls("\0".join(files), array("q", [stat.st_size if stat else -1 for stat in found]).tobytes(),
                   array("q", [stat.st_mtime_ns if stat else -1 for stat in found]).tobytes())

    def digest(self) -> str:
        """`source_state` of the files."""
        digest = hashlib.sha1(self.names.encode("utf-8", "surrogateescape"))
        digest.update(b"\0" + self.sizes + b"\0" + self.mtimes)
        return digest.hexdigest()

    def changed_since(self, before: FileStates) -> list[str] | None:
        """The files whose size or time changed since `before`; None when files were added
        or removed."""
        if self.names != before.names:
            return None
        if self.sizes == before.sizes and self.mtimes == before.mtimes:
            return []
        names = self.names.split("\0")
        sizes, mtimes, sizes_then, mtimes_then = (array("q", data) for data in (
            self.sizes, self.mtimes, before.sizes, before.mtimes))
        return [name for name, *states in zip(names, sizes, sizes_then, mtimes, mtimes_then)
                if states[0] != states[1] or states[2] != states[3]]


def input_frame(options: BuildOptions) -> str:
    """`source_state` of everything but the articles: Gazette's code, the options, site.toml,
    the record of published URLs, the templates, static files and plain pages."""
    parts = [options.project.code_digest, repr(options.drafts), options.base_url or "", str(options.project.output.resolve())]
    files = [str(options.project.config_file), str(options.project.published_file)]
    for folder in (*options.project.template_layers.existing, *options.project.static_layers.existing,
                   options.project.content / PAGES_FOLDER):
        files += sorted(str(p) for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    return digest_text(*parts, *_file_states(files, {}))


def _file_states(files: list[str], stats: dict[str, os.stat_result]) -> list[str]:
    parts = []
    for path in files:
        try:
            stat = stats.get(path) or os.stat(path)
        except OSError:
            parts.append(f"{path}:missing")
            continue
        parts.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return parts

