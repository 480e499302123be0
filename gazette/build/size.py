"""The published size of a site, by kind of file, against its host's limits (GitHub Pages
publishes at most 1 GB a site and no file over 100 MB; `max_site_bytes` and `max_file_bytes`
in site.toml for hosts with others). A build warns from 80% of a limit; `check` fails past one,
naming what takes the most room."""

from __future__ import annotations

import filecmp
import hashlib
import heapq
import os
from collections.abc import Iterable, Iterator, Mapping
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


TOP_ROWS = 64  # the largest files a build keeps, so that after an edit the five largest are known without a walk


@dataclass(frozen=True)
class SiteSize:
    total: int  # bytes
    files: int
    by_kind: tuple[tuple[str, int, int], ...]  # (kind, bytes, files), the largest first
    largest: tuple[tuple[str, int], ...]  # (file, bytes), the largest few
    # For `measure_changed_site`: the largest files as (bytes, file, kind) rows, and a size that
    # no file outside them exceeds (-1: they are every file); None where not measured so.
    top: tuple[tuple[int, str, str], ...] | None = field(default=None, compare=False, repr=False)
    floor: int = field(default=-1, compare=False, repr=False)

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
    top = heapq.nlargest(TOP_ROWS + 1, rows)
    floor = top.pop()[0] if len(top) > TOP_ROWS else -1
    return _size_of(totals, top, floor, keep_largest)


def _size_of(totals: dict[str, list[int]], top: list[tuple[int, str, str]], floor: int, keep_largest: int) -> SiteSize:
    by_kind = tuple(sorted(((label, size, files) for label, (size, files) in totals.items() if files),
                           key=lambda row: (-row[1], row[0])))
    return SiteSize(sum(size for _, size, _ in by_kind), sum(files for _, _, files in by_kind), by_kind,
                    tuple((name, size) for size, name, _ in top[:keep_largest]), tuple(top), floor)


def measure_changed_site(before: SiteSize, output_dir: Path, previous_dir: Path, changed: Iterable[str],
                         kinds: Mapping[str, OutputKind], keep_largest: int = 5,
                         kinds_before: Mapping[str, OutputKind] | None = None) -> SiteSize | None:
    """`before`, the size of the site now in `previous_dir`, brought up to the site in
    `output_dir`, which differs from it only in the `changed` files (`kinds`: what the plan
    makes of them; `kinds_before`: what they were, where not the same: a moved article's old
    page, its redirect now) and in the search index folders whose entry file changed: stats
    only those. None when its largest files cannot be told without a walk (one of them shrank)."""
    if before.top is None:
        return None
    totals = {label: [size, files] for label, size, files in before.by_kind}
    top = {name: (size, label) for size, name, label in before.top}

    def replace(name: str, label: str, old: int | None, new: int | None, label_before: str | None = None) -> None:
        if old is not None:
            total = totals.setdefault(label_before or label, [0, 0])
            total[0] -= old
            total[1] -= 1
        top.pop(name, None)
        if new is not None:
            total = totals.setdefault(label, [0, 0])
            total[0] += new
            total[1] += 1
            top[name] = (new, label)

    kinds_before = kinds_before or kinds
    previous, output = str(previous_dir), str(output_dir)  # joined as text: 7,000 files at 100,000 articles
    for name in changed:
        replace(name, _label(kinds.get(name)), _file_size(os.path.join(previous, name)),
                _file_size(os.path.join(output, name)), _label(kinds_before.get(name, kinds.get(name))))
    for name, old, new in _changed_index_files(previous_dir / SEARCH_INDEX_FOLDER, output_dir / SEARCH_INDEX_FOLDER):
        replace(f"{SEARCH_INDEX_FOLDER}/{name}", SEARCH_INDEX, old, new)
    rows = sorted(((size, name, label) for name, (size, label) in top.items()), reverse=True)
    floor = max(before.floor, rows[TOP_ROWS][0] if len(rows) > TOP_ROWS else -1)
    if before.floor >= 0 and (len(rows) < keep_largest or rows[keep_largest - 1][0] <= floor):
        return None  # a file no row holds may be as large as the fifth
    return _size_of(totals, rows[:TOP_ROWS], floor, keep_largest)


def _file_size(path: str) -> int | None:
    try:
        return os.stat(path).st_size
    except OSError:
        return None


def _changed_index_files(before: Path, after: Path) -> Iterator[tuple[str, int | None, int | None]]:
    """(file under the search index folder, its bytes before, after) of every file of the
    index folders whose entry file changed (a reused index is the same files, entry and all),
    and of the files loose in the folder; a file each side lacks has None."""
    old, new = _entries(before), _entries(after)
    for name in sorted(old.keys() | new.keys()):
        was, now = old.get(name), new.get(name)
        if was is not None and now is not None and was.is_dir() and now.is_dir():
            if Path(was.path, ENTRY_FILE).is_file() and filecmp.cmp(Path(was.path, ENTRY_FILE), Path(now.path, ENTRY_FILE),
                                                                   shallow=False):
                continue
        old_rows = _sizes_under(was, name)
        new_rows = _sizes_under(now, name)
        for file in sorted(old_rows.keys() | new_rows.keys()):
            if old_rows.get(file) != new_rows.get(file):
                yield file, old_rows.get(file), new_rows.get(file)


def _entries(folder: Path) -> dict[str, os.DirEntry]:
    try:
        with os.scandir(folder) as entries:
            return {entry.name: entry for entry in entries}
    except OSError:
        return {}


def _sizes_under(entry: os.DirEntry | None, name: str) -> dict[str, int]:
    if entry is None:
        return {}
    if not entry.is_dir(follow_symlinks=False):
        return {name: entry.stat(follow_symlinks=False).st_size}
    return {f"{name}/{relative}": size for size, relative in walk_sizes(Path(entry.path))}


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
