"""A cheap summary of a build's inputs (names, sizes, modification times) and options: whether
anything changed since the last complete build, and whether only articles did (see
gazette.build.in_place)."""

from __future__ import annotations

import hashlib
import os
import time
from array import array
from bisect import bisect_left
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from gazette.build.fingerprint import digest_text
from gazette.model.content import (
    PAGES_FOLDER,
    FileStamp,
    find_article_files,
    list_article_folder,
)

if TYPE_CHECKING:
    from gazette.build.cache import BuildCache
    from gazette.build.options import BuildOptions


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
                             ) -> tuple[list[str], dict[str, FolderListing], bool, list[str], list[str]]:
    """`find_article_files`, listing only the folders whose modification time is not what
    `last` (the previous build's listings) says: each folder is statted, not read (0.1 s
    less at 100,000 articles). Returns the files, the listings now, whether any folder
    was listed anew, the files of those folders their last listings did not have, and the
    files their last listings had that are gone (or whose folder is). A folder listed within `RACY_NS` of its change is listed again, as git
    does: a file added in the same tick of the clock would leave its time as it was."""
    now, top = time.time_ns(), str(content_dir)
    found: list[str] = []
    listings: dict[str, FolderListing] = {}
    listed_anew = False
    added: list[str] = []
    gone: list[str] = []
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
            known = set(listing.articles) if listing is not None else set()
            added += [name for name in articles if name not in known]
            gone += sorted(known - set(articles))
            listing, listed_anew = FolderListing(mtime, now, tuple(articles), tuple(folders)), True
        listings[folder] = listing
        found += listing.articles
        pending += listing.folders
    gone += [name for folder in last.keys() - listings.keys() for name in last[folder].articles]
    return sorted(found), listings, listed_anew or listings.keys() != last.keys(), sorted(added), sorted(gone)


def find_article_files_since_last_build(options: BuildOptions, cache: BuildCache
                                        ) -> tuple[list[str] | None, dict[str, FolderListing] | None, list[str], list[str]]:
    """Every article file (None without a content folder), listing again only the folders
    changed since the last build listed them (see `find_article_files_since`); the
    listings for the build to keep when it is complete (`keep_listings`), None if the
    cache has them already; and the files new, and those gone, since the last build listed
    their folders."""
    content = options.project.content
    if not content.is_dir():
        return None, None, [], []
    if not cache.persistent:
        return find_article_files(content), None, [], []
    last = cache.state_object(CONTENT_FOLDERS)
    files, listings, listed_anew, added, gone = find_article_files_since(content, last if isinstance(last, dict) else {})
    return files, listings if listed_anew else None, added, gone


def keep_listings(cache: BuildCache, listings: dict[str, FolderListing] | None) -> None:
    if listings is not None:
        cache.store_state_object(CONTENT_FOLDERS, listings)


@dataclass(frozen=True)
class FileStates:
    """The size and modification time of each file of a list, as one string of names and two
    arrays: made, hashed, compared and pickled at C speed (0.3 s less than a dict of
    100,000 article files took, each build). A build keeps them as `KeptStates`."""

    names: str  # the files' names, NUL between them (no file name holds one)
    sizes: bytes  # array("q"): each file's size, -1 for one gone before it was statted
    mtimes: bytes  # array("q"): each file's st_mtime_ns, -1 for one gone

    @classmethod
    def stat(cls, files: list[str]) -> FileStates:
        """Of `files`, statted now: each once, straight into the arrays (at 100,000 articles, a
        dict of their `os.stat_result`s cost 0.1 s more)."""
        sizes, mtimes = array("q"), array("q")
        add_size, add_mtime, stat = sizes.append, mtimes.append, os.stat
        for name in files:
            try:
                found = stat(name)
            except OSError:  # gone since it was listed: whoever reads it reports that
                add_size(-1)
                add_mtime(-1)
            else:
                add_size(found.st_size)
                add_mtime(found.st_mtime_ns)
        return cls("\0".join(files), sizes.tobytes(), mtimes.tobytes())

    def __len__(self) -> int:
        return len(self.sizes) // 8  # array("q")

    @cached_property
    def file_names(self) -> list[str]:
        return self.names.split("\0") if self.names else []

    def stamps(self, only: Collection[str] | None = None) -> dict[str, FileStamp]:
        """Name -> stamp of the files still there (of those `only` names, if given: a few), for
        `read_articles` to take as their stats."""
        sizes, mtimes, names = array("q", self.sizes), array("q", self.mtimes), self.file_names
        places = range(len(names)) if only is None else [place for place in map(self._place_of, only) if place is not None]
        return {names[place]: FileStamp(sizes[place], mtimes[place]) for place in places if sizes[place] >= 0}

    def _place_of(self, name: str) -> int | None:
        try:
            return self.file_names.index(name)
        except ValueError:
            return None

    @cached_property
    def names_digest(self) -> str:
        return _digest_names(self.names)

    def digest(self) -> str:
        """`source_state` of the files."""
        return hashlib.sha1(f"{self.names_digest}\0".encode() + self.sizes + b"\0" + self.mtimes).hexdigest()

    def kept(self) -> KeptStates:
        return KeptStates(self.names_digest, self.sizes, self.mtimes)

    def without(self, names: Collection[str]) -> FileStates:
        """These states but for the files `names`."""
        gone = set(names)
        places = [place for place in map(self._place_of, gone) if place is not None]  # a few: found at C speed
        return FileStates("\0".join(name for name in self.file_names if name not in gone),
                          _without_items(self.sizes, places), _without_items(self.mtimes, places))

    def changed_since(self, before: KeptStates, gone: Collection[str] = ()) -> list[str] | None:
        """The files whose size or time changed since `before`; None when files were added,
        removed or renamed, but for the files `gone` since (removed: not among these)."""
        if gone:
            names = sorted({*self.file_names, *gone})
            if len(names) != len(self.file_names) + len(gone) or _digest_names("\0".join(names)) != before.names_digest:
                return None
            places = [bisect_left(names, name) for name in gone]
            before = KeptStates(self.names_digest, _without_items(before.sizes, places),
                                _without_items(before.mtimes, places))
        if self.names_digest != before.names_digest or len(self.sizes) != len(before.sizes):
            return None
        if self.sizes == before.sizes and self.mtimes == before.mtimes:
            return []
        differing = _differing_items(self.sizes, before.sizes) | _differing_items(self.mtimes, before.mtimes)
        return [self.file_names[index] for index in sorted(differing)]


@dataclass(frozen=True)
class KeptStates:
    """What a build keeps of its `FileStates` for the next: the sizes and times, and the names
    only by their digest (at 100,000 articles, 5.5 MB of names, the same from one build to the
    next, were written and read again each build)."""

    names_digest: str
    sizes: bytes
    mtimes: bytes


_ITEM = array("q").itemsize


def _digest_names(names: str) -> str:
    """The digest of the names of files, joined by NULs, as `FileStates.names` holds them."""
    return hashlib.sha1(names.encode("utf-8", "surrogateescape")).hexdigest()


def _without_items(data: bytes, places: Collection[int]) -> bytes:
    """`data`, an array("q")'s bytes, without the items at `places`: the slices between them."""
    kept, start = [], 0
    for place in sorted(places):
        kept.append(data[start * _ITEM:place * _ITEM])
        start = place + 1
    kept.append(data[start * _ITEM:])
    return b"".join(kept)


def _differing_items(now: bytes, then: bytes, chunk: int = 4096) -> set[int]:
    """The places where two arrays of the same length differ: compared a `chunk` of items at
    a time, item by item only within a chunk that differs."""
    found: set[int] = set()
    step = chunk * _ITEM
    now_view, then_view = memoryview(now), memoryview(then)
    for start in range(0, len(now), step):
        if now_view[start:start + step] != then_view[start:start + step]:
            found.update(offset // _ITEM for offset in range(start, min(start + step, len(now)), _ITEM)
                         if now_view[offset:offset + _ITEM] != then_view[offset:offset + _ITEM])
    return found


PICTURE_SUFFIXES = frozenset({".avif", ".gif", ".jpeg", ".jpg", ".png", ".svg", ".webp"})
STATIC_PICTURES = "static_pictures"  # cache state: static/'s pictures, as the last build found them


@dataclass(frozen=True)
class InputFrame:
    """`input_frame`: the states of every input but the articles, with the files of static/ and
    the plain pages' texts apart, so that a picture added with its story, a style sheet edited
    or a page's text fixed may be built in place (gazette.build.in_place)."""

    others: tuple[str, ...]  # Gazette's code, the options, and each other file's name, size and time
    pictures: dict[str, tuple[str, int, int]]  # static/'s pictures by name there -> (path, size, mtime)
    # Each plain page file -> its size and time; `others` names each, so that one added or gone changes them.
    plain_pages: dict[str, str] = field(default_factory=dict)
    # static/'s other files by name there -> (path, size, mtime): added, deleted or edited, they are built in place.
    statics: dict[str, tuple[str, int, int]] = field(default_factory=dict)

    @cached_property
    def state(self) -> str:
        """The digest of it all."""
        return digest_text(*self.others, *_picture_parts(self.pictures), *self.plain_pages.values(),
                           *_picture_parts(self.statics))

    def without(self, added: Collection[str]) -> str:
        """The digest of it all but the states of the plain pages and of static/'s other files,
        and the pictures `added` (since a plan: gazette.build.plan_edits keeps these apart)."""
        return digest_text(*self.others, *_picture_parts({name: stamp for name, stamp in self.pictures.items()
                                                          if name not in added}))

    @cached_property
    def pictures_listed(self) -> str:
        return pictures_digest(self.pictures)


def pictures_digest(pictures: Mapping[str, tuple[str, int, int]]) -> str:
    return digest_text(*_picture_parts(pictures))


def _picture_parts(pictures: Mapping[str, tuple[str, int, int]]) -> list[str]:
    return [f"{name}:{stamp}" for name, stamp in pictures.items()]


def input_frame(options: BuildOptions) -> InputFrame:
    """`source_state` of everything but the articles: Gazette's code, the options, site.toml,
    the record of published URLs, the templates, static files and plain pages."""
    parts = [options.project.code_digest, repr(options.drafts), options.base_url or "", str(options.project.output.resolve())]
    files = [str(options.project.config_file), str(options.project.published_file)]
    for folder in options.project.template_layers.existing:
        files += sorted(str(p) for p in folder.rglob("*") if p.is_file())
    pages_folder = options.project.content / PAGES_FOLDER
    page_files = sorted(str(p) for p in pages_folder.rglob("*") if p.is_file()) if pages_folder.is_dir() else []
    pictures: dict[str, tuple[str, int, int]] = {}
    statics: dict[str, tuple[str, int, int]] = {}
    for folder in options.project.static_layers.existing:  # the site's own first, as `Layers.files`
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            name = path.relative_to(folder).as_posix()
            if name in pictures or name in statics:  # the theme's, which the site's own overrides
                files.append(str(path))
                continue
            try:
                stat = path.stat()
            except OSError:
                files.append(str(path))  # gone since it was listed: missing
                continue
            found = pictures if path.suffix.lower() in PICTURE_SUFFIXES else statics
            found[name] = (str(path), stat.st_size, stat.st_mtime_ns)
    return InputFrame((*parts, *_file_states(files, {}), *page_files),
                      dict(sorted(pictures.items())), dict(zip(page_files, _file_states(page_files, {}))),
                      dict(sorted(statics.items())))


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

