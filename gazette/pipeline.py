"""The build, top to bottom: gather everything, then render, then write."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from gazette.config import SiteConfig, load_config
from gazette.content import Article, load_articles
from gazette.errors import GazetteError, Problem
from gazette.markup import MarkdownRenderer
from gazette.output import guard_output_dir, publish
from gazette.pages import find_path_collisions, plan_pages
from gazette.render import PageRenderer
from gazette.site import Entry, assemble_site
from gazette.urls import Urls


@dataclass(frozen=True)
class BuildOptions:
    root: Path = Path(".")
    content_dir: Path | None = None
    output_dir: Path | None = None
    base_url: str | None = None
    drafts: bool = False

    @property
    def content(self) -> Path:
        return self.content_dir or self.root / "content"

    @property
    def output(self) -> Path:
        return self.output_dir or self.root / "public"


@dataclass
class BuildReport:
    pages: int = 0
    articles: int = 0
    seconds: float = 0.0
    warnings: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        return f"built {self.articles} articles into {self.pages} pages in {self.seconds:.2f} s"


def list_static_files(static_dir: Path) -> list[str]:
    if not static_dir.is_dir():
        return []
    return sorted(p.relative_to(static_dir).as_posix() for p in static_dir.rglob("*") if p.is_file())


def render_entries(articles: list[Article]) -> list[Entry]:
    renderer = MarkdownRenderer()
    return [Entry(article, renderer.render(article.body)) for article in articles]


def build(options: BuildOptions) -> BuildReport:
    started = time.perf_counter()
    root = options.root
    config: SiteConfig = load_config(root / "site.toml", options.base_url)
    templates_dir, static_dir = root / "templates", root / "static"
    guard_output_dir(options.output, [options.content, templates_dir, static_dir, root / "site.toml"])

    # Gather: every article, validated, before any page is made.
    articles, warnings = load_articles(options.content, config)
    articles = [a for a in articles if options.drafts or not a.draft]
    site = assemble_site(config, render_entries(articles))
    pages = plan_pages(site)
    collisions = find_path_collisions(pages, list_static_files(static_dir))
    if collisions:
        raise GazetteError(collisions)

    # Render: every page to bytes, still nothing written.
    renderer = PageRenderer(templates_dir, site, Urls(config.base_url), {page.route for page in pages})
    files = {page.output_file: renderer.render(page).encode("utf-8") for page in pages}

    # Write: the output folder is replaced only by a complete site.
    publish(options.output, files, static_dir)
    return BuildReport(
        pages=len(files), articles=len(articles), seconds=time.perf_counter() - started, warnings=warnings
    )
