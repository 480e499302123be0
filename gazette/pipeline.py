"""The build, top to bottom: gather everything, then render, then write."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from gazette.config import SiteConfig, load_config
from gazette.content import Article, load_articles
from gazette.errors import GazetteError, Problem
from gazette.markup import MarkdownRenderer, MarkupError
from gazette.output import guard_output_dir, publish
from gazette.pages import Page, find_path_collisions, plan_pages
from gazette.render import PageRenderer
from gazette.site import Entry, Site, assemble_site, split_scheduled
from gazette.urls import Urls


@dataclass(frozen=True)
class BuildOptions:
    root: Path = Path(".")
    content_dir: Path | None = None
    output_dir: Path | None = None
    base_url: str | None = None
    drafts: bool = False
    now: datetime | None = None  # articles dated later are scheduled; tests pin it

    @property
    def content(self) -> Path:
        return self.content_dir or self.root / "content"

    @property
    def output(self) -> Path:
        return self.output_dir or self.root / "public"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def static(self) -> Path:
        return self.root / "static"


@dataclass
class BuildReport:
    pages: int = 0
    articles: int = 0
    seconds: float = 0.0
    warnings: list[Problem] = field(default_factory=list)
    scheduled: list[Article] = field(default_factory=list)

    def summary(self) -> str:
        return f"built {self.articles} articles into {self.pages} pages in {self.seconds:.2f} s"

    def scheduled_lines(self) -> list[str]:
        return [
            f"{article.source_path}: scheduled for {article.date:%Y-%m-%d %H:%M %Z}, left out until then"
            for article in sorted(self.scheduled, key=lambda a: a.date)
        ]


def list_static_files(static_dir: Path) -> list[str]:
    if not static_dir.is_dir():
        return []
    return sorted(p.relative_to(static_dir).as_posix() for p in static_dir.rglob("*") if p.is_file())


def render_entries(articles: list[Article], trusted_html: bool) -> list[Entry]:
    renderer = MarkdownRenderer(trusted_html)
    entries, problems = [], []
    for article in articles:
        try:
            entries.append(Entry(article, renderer.render(article.body)))
        except MarkupError as exc:
            line = article.body_line + exc.line - 1 if exc.line else None
            problems.append(Problem(article.source_path, exc.message, line))
    if problems:
        raise GazetteError(problems)
    return entries


def hosting_files(config: SiteConfig) -> dict[str, bytes]:
    """GitHub Pages: no Jekyll processing, and the custom domain if there is one."""
    files = {".nojekyll": b""}
    if config.cname:
        files["CNAME"] = config.cname.encode("ascii") + b"\n"
    return files


@dataclass(frozen=True)
class SitePlan:
    """Everything gathered and checked before a single page is rendered."""

    config: SiteConfig
    site: Site
    pages: list[Page]
    warnings: list[Problem]
    scheduled: list[Article]


def gather(options: BuildOptions) -> SitePlan:
    """Read and validate every article, and plan every page; raise on any problem."""
    config = load_config(options.root / "site.toml", options.base_url)
    articles, warnings = load_articles(options.content, config)
    articles = [a for a in articles if options.drafts or not a.draft]
    articles, scheduled = split_scheduled(articles, options.now or datetime.now(timezone.utc))
    site = assemble_site(config, render_entries(articles, config.trusted_html))
    pages = plan_pages(site)
    collisions = find_path_collisions(pages, list_static_files(options.static))
    if collisions:
        raise GazetteError(collisions)
    return SitePlan(config, site, pages, warnings, scheduled)


def build(options: BuildOptions) -> BuildReport:
    started = time.perf_counter()
    guard_output_dir(options.output, [options.content, options.templates, options.static, options.root / "site.toml"])

    # Gather: every article, validated, and every page planned, before anything is rendered.
    plan = gather(options)

    # Render: every page to bytes, still nothing written.
    renderer = PageRenderer(options.templates, plan.site, Urls(plan.config.base_url), {page.route for page in plan.pages})
    files = {page.output_file: renderer.render(page).encode("utf-8") for page in plan.pages}
    files.update(hosting_files(plan.config))

    # Write: the output folder is replaced only by a complete site.
    publish(options.output, files, options.static)
    return BuildReport(
        pages=len(files), articles=len(plan.site.entries), seconds=time.perf_counter() - started,
        warnings=plan.warnings, scheduled=plan.scheduled,
    )
