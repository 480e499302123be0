"""What the build writes, as one typed list: every output file with its kind, the files an
editor changes to change it, how it is made, and its fingerprint.

The list is made from the plan before anything is written. The writer uses the names and
fingerprints, search plans its shards from the article pages, `check` blames through the
sources, and the preview reports what changed. It is kept in the cache beside the output
manifest, so the next build (or `check`) knows what the output holds without walking it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from gazette.build.fingerprint import page_fingerprints
from gazette.build.output import FileSource
from gazette.build.pages import Page
from gazette.images.variants import ENCODER
from gazette.model.urls import route_of
from gazette.search.index import pages_per_month
from gazette.theme import Layers


class OutputKind(str, Enum):
    ARTICLE = "article"  # an article page, indexed for search
    LISTING = "listing"  # home, topic, tag, author, corrections and archive pages, and their numbered pages
    PAGE = "page"  # search, 404
    PLAIN = "plain"  # a plain page of content/pages/ (About...), indexed for search
    FEED = "feed"
    SITEMAP = "sitemap"  # sitemaps, the news sitemap, robots.txt
    STATIC = "static"  # copied from static/
    IMAGE = "image"  # a resized variant of an image of static/, made by the build
    HOSTING = "hosting"  # .nojekyll, CNAME, the build record
    REDIRECT = "redirect"  # an old address of an article (`aliases:`)


_KIND_OF_TEMPLATE = {
    "article.html": OutputKind.ARTICLE,
    "feed.xml": OutputKind.FEED,
    "corrections_feed.xml": OutputKind.FEED,
    "page.html": OutputKind.PLAIN,
    "sitemap.xml": OutputKind.SITEMAP,
    "sitemap_index.xml": OutputKind.SITEMAP,
    "news_sitemap.xml": OutputKind.SITEMAP,
    "robots.txt": OutputKind.SITEMAP,
    "search.html": OutputKind.PAGE,
    "404.html": OutputKind.PAGE,
    "redirect.html": OutputKind.REDIRECT,
    "gone.html": OutputKind.REDIRECT,  # a URL retired on purpose
}


class OutputFile(NamedTuple):  # a tuple, not a dataclass: a build makes one per output file, 11,000 at 10,000 articles
    name: str  # its path in the output folder: "2021/03/story/index.html"
    kind: OutputKind
    sources: tuple[Path, ...]  # what an editor changes to change it: articles, a template, a static file
    fingerprint: str  # a digest of everything it is made from: unchanged, its bytes are too

    @property
    def route(self) -> str:
        return route_of(self.name)


@dataclass(frozen=True)
class OutputPlan:
    files: tuple[OutputFile, ...]
    how: dict[str, FileSource]  # name -> how to make it (render a page, write bytes, copy)

    @cached_property  # 130,000 files at 100,000 articles: made once
    def fingerprints(self) -> dict[str, str]:
        return {file.name: file.fingerprint for file in self.files}

    def of_kind(self, kind: OutputKind) -> list[OutputFile]:
        return [file for file in self.files if file.kind is kind]

    def kinds(self, names: Collection[str]) -> dict[str, OutputKind]:
        """The kinds of those of the files `names` the plan has."""
        return {file.name: file.kind for file in self.files if file.name in names}

    @cached_property
    def article_months(self) -> dict[str, int]:
        """How many article pages each month's folder holds ("2021/07" -> 12): what the search
        index is sharded by."""
        return pages_per_month(file.name for file in self.of_kind(OutputKind.ARTICLE))

    @cached_property
    def plain_page_files(self) -> tuple[str, ...]:
        """The plain pages' files (About...), the search index's other part."""
        return tuple(file.name for file in self.of_kind(OutputKind.PLAIN))


def page_kind(page: Page) -> OutputKind:
    return _KIND_OF_TEMPLATE.get(page.template, OutputKind.LISTING)


def plan_outputs(pages: list[Page], site_digest: str | None, templates: Layers, static_files: dict[str, Path],
                 hosting: dict[str, bytes], template_digests: dict[str, str] | None = None,
                 image_variants: dict[str, Path] | None = None, covered=None) -> OutputPlan:
    """Every file of the output: the pages, the hosting files (`hosting`: name -> bytes),
    the files of static/ (the site's over the theme's), copied as they are, and the images'
    variants (`image_variants`: name -> file in the cache, whose name holds the image's
    digest, so the name and the encoder stand for the bytes). Without a `site_digest` (for `check`, which
    reads what the output holds instead) the pages' fingerprints are not computed. The pages
    come first, in order; `covered`: see `page_fingerprints`."""
    files: list[OutputFile] = []
    how: dict[str, FileSource] = {}
    fingerprints = (page_fingerprints(pages, site_digest, template_digests or {}, covered) if site_digest is not None
                    else [""] * len(pages))
    template_paths: dict[str, Path] = {}  # one Path per template, not one per page
    for page, fingerprint in zip(pages, fingerprints):
        template = template_paths.get(page.template) or template_paths.setdefault(page.template, templates.find(page.template))
        files.append(OutputFile(page.output_file, page_kind(page), (*page.sources, template), fingerprint))
        how[page.output_file] = FileSource(page=page)
    for name, data in hosting.items():
        files.append(OutputFile(name, OutputKind.HOSTING, (), "bytes:" + hashlib.sha1(data).hexdigest()))
        how[name] = FileSource(data=data)
    for name, path in static_files.items():
        stat = path.stat()
        files.append(static_output(name, path, stat.st_size, stat.st_mtime_ns))
        how[name] = FileSource(copy_from=path)
    for name, path in (image_variants or {}).items():
        files.append(variant_output(name))
        how[name] = FileSource(copy_from=path)
    return OutputPlan(tuple(files), how)


def static_output(name: str, path: Path, size: int, mtime_ns: int) -> OutputFile:
    """A file of static/, copied as it is: its size and time stand for its bytes."""
    return OutputFile(name, OutputKind.STATIC, (path,), f"static:{size}:{mtime_ns}")


def variant_output(name: str) -> OutputFile:
    """A resized variant of an image: its name holds the image's digest, so the name and the
    encoder stand for its bytes."""
    return OutputFile(name, OutputKind.IMAGE, (), f"image:{ENCODER}")
