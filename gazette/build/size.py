"""The published size of a site, by kind of file, against its host's limits (GitHub Pages
publishes at most 1 GB a site and no file over 100 MB; `max_site_bytes` and `max_file_bytes`
in site.toml for hosts with others). A build warns from 80% of a limit; `check` fails past one,
naming what takes the most room."""

from __future__ import annotations

import hashlib
import heapq
import os
from dataclasses import dataclass, field
from pathlib import Path

from gazette.build.outputs import OutputKind
from gazette.build.pages import SEARCH_INDEX_FOLDER
from gazette.errors import Problem
from gazette.search.index import ENTRY_FILE

WARN_AT = 0.8  # of a limit: the build warns, while there is still room to act
SEARCH_INDEX = "search index"  # files the build's plan does not list: Pagefind's, under pagefind/
KIND_LABELS = {
    OutputKind.ARTICLE: "articles", OutputKind.LISTING: "listings", OutputKind.PAGE: "pages",
    OutputKind.PLAIN: "pages", OutputKind.FEED: "feeds", OutputKind.SITEMAP: "sitemaps",
    OutputKind.STATIC: "static", OutputKind.IMAGE: "images", OutputKind.HOSTING: "hosting",
    OutputKind.REDIRECT: "redirects",
}


@dataclass(frozen=True)
class SiteSize:
    total: int  # bytes
    files: int
    by_kind: tuple[tuple[str, int, int], ...]  # (kind, bytes, files), the largest first
    largest: tuple[tuple[str, int], ...]  # (file, bytes), the largest few

    def summary(self) -> str:
        return f"{human(self.total)} in {self.files:,} files"

    def table(self) -> list[str]:
        """One line a kind of file: its bytes, its share and its number of files."""
        return [f"  {kind:<13} {human(size):>9}  {size / max(self.total, 1):>4.0%}  {files:>8,} files"
                for kind, size, files in self.by_kind]


def human(size: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} B"


def measure_site(output_dir: Path, kinds: dict[str, OutputKind], keep_largest: int = 5) -> SiteSize:
    """Walk the output once (`scandir`, whose entries spare a path parse a file): every file's
    size, summed by the kind the plan gives it."""
    return summarize([(size, name, _label(kinds.get(name))) for size, name in walk_sizes(output_dir)], keep_largest)


@dataclass
class SizeMemo:
    """What the last build measured, so that the next one stats only what it changed: a
    file's size by its fingerprint (the same fingerprint, the same bytes), and each search
    index folder's by the digest of its entry file, which names every part of that index."""

    files: dict[str, tuple[str, int]] = field(default_factory=dict)  # name -> (fingerprint, bytes)
    indexes: dict[str, tuple[str, list[tuple[int, str]]]] = field(default_factory=dict)  # folder -> (digest, sizes)


def measure_built_site(output_dir: Path, kinds: dict[str, OutputKind], fingerprints: dict[str, str],
                       memo: SizeMemo | None, keep_largest: int = 5) -> tuple[SiteSize, SizeMemo]:
    """`measure_site`'s figures for an output the build has just made, whose files are the
    planned `fingerprints` plus the search index, without walking all of it; and the memo
    for the next build."""
    memo = memo or SizeMemo()
    fresh = SizeMemo()
    rows: list[tuple[int, str, str]] = []
    for name, fingerprint in fingerprints.items():
        known = memo.files.get(name)
        if known is not None and known[0] == fingerprint:
            size = known[1]
        else:
            try:
                size = os.stat(os.path.join(output_dir, name)).st_size
            except OSError:
                continue
        fresh.files[name] = (fingerprint, size)
        rows.append((size, name, _label(kinds.get(name))))
    index_dir = output_dir / SEARCH_INDEX_FOLDER
    try:
        entries = list(os.scandir(index_dir))
    except OSError:
        entries = []
    for entry in entries:
        relative = f"{SEARCH_INDEX_FOLDER}/{entry.name}"
        if not entry.is_dir(follow_symlinks=False):
            rows.append((entry.stat(follow_symlinks=False).st_size, relative, SEARCH_INDEX))
            continue
        try:
            digest = hashlib.sha1(Path(entry.path, ENTRY_FILE).read_bytes()).hexdigest()
        except OSError:
            digest = ""  # no entry file: a folder to walk every time
        known_index = memo.indexes.get(entry.name)
        if digest and known_index is not None and known_index[0] == digest:
            sizes = known_index[1]
        else:
            sizes = [(size, f"{relative}/{name}") for size, name in walk_sizes(Path(entry.path))]
        if digest:
            fresh.indexes[entry.name] = (digest, sizes)
        rows += [(size, name, SEARCH_INDEX) for size, name in sizes]
    return summarize(rows, keep_largest), fresh


def walk_sizes(folder: Path) -> list[tuple[int, str]]:
    """(bytes, path relative to `folder`) of every file under it."""
    sizes: list[tuple[int, str]] = []
    prefix = len(str(folder)) + 1
    folders = [str(folder)]
    while folders:
        try:
            entries = os.scandir(folders.pop())
        except OSError:
            continue
        with entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                    continue
                try:
                    sizes.append((entry.stat(follow_symlinks=False).st_size, entry.path[prefix:]))
                except OSError:
                    continue
    return sizes


def _label(kind: OutputKind | None) -> str:
    return KIND_LABELS[kind] if kind is not None else SEARCH_INDEX


def summarize(rows: list[tuple[int, str, str]], keep_largest: int = 5) -> SiteSize:
    """A SiteSize of (bytes, file, kind) rows."""
    totals: dict[str, list[int]] = {}
    for size, _name, label in rows:
        total = totals.setdefault(label, [0, 0])
        total[0] += size
        total[1] += 1
    largest = heapq.nlargest(keep_largest, ((size, name) for size, name, _ in rows))
    by_kind = tuple(sorted(((label, size, files) for label, (size, files) in totals.items()), key=lambda row: -row[1]))
    return SiteSize(sum(size for size, _, _ in rows), len(rows), by_kind, tuple((name, size) for size, name in largest))


def limit_problems(size: SiteSize, max_site_bytes: int, max_file_bytes: int, where: Path,
                   fail_past: bool = False) -> list[Problem]:
    """Warnings from 80% of a limit; with `fail_past` (for `check`), errors past one."""
    problems = []
    contributors = ", ".join(f"{kind} {human(bytes_)}" for kind, bytes_, _files in size.by_kind[:3])
    if size.total > max_site_bytes and fail_past:
        problems.append(Problem(where, f"the site is {human(size.total)}, over the {human(max_site_bytes)} a site may "
                                       f"publish (max_site_bytes); the most: {contributors}"))
    elif size.total >= WARN_AT * max_site_bytes:
        share = "over" if size.total > max_site_bytes else f"{size.total / max_site_bytes:.0%} of"
        problems.append(Problem(where, f"warning: the site is {human(size.total)}, {share} the {human(max_site_bytes)} "
                                       f"a site may publish (max_site_bytes); the most: {contributors}"))
    for name, bytes_ in size.largest:
        if bytes_ > max_file_bytes and fail_past:
            problems.append(Problem(where, f"{name} is {human(bytes_)}, over the {human(max_file_bytes)} a file may be "
                                           "(max_file_bytes)"))
        elif bytes_ >= WARN_AT * max_file_bytes:
            share = "over" if bytes_ > max_file_bytes else f"{bytes_ / max_file_bytes:.0%} of"
            problems.append(Problem(where, f"warning: {name} is {human(bytes_)}, {share} the {human(max_file_bytes)} "
                                           "a file may be (max_file_bytes)"))
    return problems
