"""The published size of a site, by kind of file, against its host's limits (GitHub Pages
publishes at most 1 GB a site and no file over 100 MB; `max_site_bytes` and `max_file_bytes`
in site.toml for hosts with others). A build warns from 80% of a limit; `check` fails past one,
naming what takes the most room."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from gazette.build.outputs import OutputKind
from gazette.errors import Problem

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
    totals: dict[str, list[int]] = {}
    sizes: list[tuple[int, str]] = []
    prefix = len(str(output_dir)) + 1
    folders = [str(output_dir)]
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
                    size = entry.stat(follow_symlinks=False).st_size
                except OSError:
                    continue
                relative = entry.path[prefix:]
                kind = kinds.get(relative)
                label = KIND_LABELS[kind] if kind is not None else SEARCH_INDEX
                entry_total = totals.setdefault(label, [0, 0])
                entry_total[0] += size
                entry_total[1] += 1
                sizes.append((size, relative))
    sizes.sort(reverse=True)
    by_kind = tuple(sorted(((label, size, files) for label, (size, files) in totals.items()), key=lambda row: -row[1]))
    return SiteSize(sum(size for size, _ in sizes), len(sizes), by_kind,
                    tuple((name, size) for size, name in sizes[:keep_largest]))


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
