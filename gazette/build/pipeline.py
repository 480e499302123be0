"""The build, top to bottom: gather everything, then render, then write."""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from gazette import __version__
from gazette.build.cache import BuildCache
from gazette.build.fingerprint import digest_text
from gazette.build.bodies import make_entries, render_bodies
from gazette.build.markup import renderer_signature
from gazette.build.output import (
    WriteStats,
    folder_id,
    guard_output_dir,
    output_lock,
    publish_incremental,
    staging_dir,
)
from gazette.build.outputs import OutputKind, OutputPlan, plan_outputs
from gazette.build.pages import Page, find_path_collisions, news_expiry, plan_pages
from gazette.build.parallel import default_jobs
from gazette.build.permanence import keep_published
from gazette.build.progress import ProgressBar
from gazette.build.record import RECORD_NAME, BuildRecord
from gazette.build.render import PageRenderer
from gazette.build.session import BuildSession, with_cache
from gazette.build.site_warnings import language_warnings, menu_warnings
from gazette.build.size import SiteSize, SizeMemo, limit_problems, measure_built_site
from gazette.errors import DiskError, GazetteError, Problem, writing
from gazette.images.catalog import CACHE_FOLDER, image_uses, prepare_images
from gazette.model.article import Article
from gazette.model.config import SiteConfig
from gazette.model.content import (
    PAGES_FOLDER,
    find_article_files,
    missing_images,
    read_articles,
    stat_files,
)
from gazette.model.published import PublishedUrl, format_published, read_published
from gazette.model.plain_pages import find_plain_page_files, read_plain_pages
from gazette.model.site import Site, assemble_site, split_scheduled
from gazette.model.urls import Urls
from gazette.project import Project
from gazette.search.index import INDEX_FOLDER as SEARCH_INDEX_FOLDER
from gazette.search.index import index_site, remove_index


TEMPLATE_REFERENCES = "template_references"  # cache state: template text digest -> the templates it names
SITE_SIZES = "site_sizes"  # cache state: the SizeMemo of the last build's output


@dataclass(frozen=True)
class BuildOptions:
    """A build of one project: where (the `Project`) and how."""

    project: Project = field(default_factory=Project.at)
    base_url: str | None = None  # overrides site.toml's
    drafts: bool = False
    now: datetime | None = None  # articles dated later are scheduled; tests pin it
    jobs: int | None = None  # worker processes; default: every core
    use_cache: bool = True
    progress: bool = False  # draw a progress bar on stderr (when it is a terminal)

    @property
    def cache_file(self) -> Path | None:
        return self.project.cache_file if self.use_cache else None

    @property
    def worker_count(self) -> int:
        return self.jobs or default_jobs()


@dataclass
class BuildReport:
    articles: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    rendered: int = 0
    seconds: float = 0.0
    warnings: list[Problem] = field(default_factory=list)
    scheduled: list[Article] = field(default_factory=list)
    changed: tuple[str, ...] = ()  # the output files written or removed, sorted
    moved: tuple[tuple[str, str], ...] = ()  # (old, new) routes of articles that moved in this build
    size: SiteSize | None = None  # of the output, as published

    @property
    def pages(self) -> int:
        return self.written + self.unchanged

    def summary(self) -> str:
        size = f"; the site is {self.size.summary()}" if self.size else ""
        return (
            f"built {self.articles} articles: {self.written} files written, {self.unchanged} unchanged, "
            f"{self.removed} removed in {self.seconds:.2f} s{size}"
        )

    def moved_lines(self) -> list[str]:
        return [f"moved: /{old} -> /{new}, a redirect was added" for old, new in self.moved]

    def scheduled_lines(self) -> list[str]:
        return [
            f"{article.source_path}: scheduled for {article.date:%Y-%m-%d %H:%M %Z}, left out until then"
            for article in sorted(self.scheduled, key=lambda a: a.date)
        ]


@dataclass(frozen=True)
class SitePlan:
    """Everything gathered and checked before a single page is rendered."""

    config: SiteConfig
    site: Site
    pages: list[Page]
    warnings: list[Problem]
    scheduled: list[Article]
    static_files: dict[str, Path]  # name -> file, of the site's static/ over the theme's, copied as they are
    image_variants: dict[str, Path]  # name -> file in the cache, of the images' resized variants
    # When the site changes with no edit: a scheduled article falls due, or a story
    # leaves the news sitemap. Until then, unchanged sources mean an unchanged site.
    next_change: datetime | None = None
    published: dict[str, PublishedUrl] | None = None  # the record of published URLs, when this build adds to it
    lost: list[Problem] = field(default_factory=list)  # published URLs nothing answers any more
    moved: list[tuple[str, str]] = field(default_factory=list)  # (old, new) routes of articles that moved


def parse_signature(config: SiteConfig, code_digest: str) -> str:
    """Settings that change how a file parses: cached articles are valid only under them."""
    return digest_text(code_digest, repr(config.timezone), repr(config.topics), str(config.max_article_bytes))


def gather(
    options: BuildOptions,
    session: BuildSession,
    progress: ProgressBar | None = None,
    article_files: list[str] | None = None,
    article_stats: dict[str, os.stat_result] | None = None,
) -> SitePlan:
    """Read and validate every article, and plan every page; raise on any problem.

    The plan is valid while `session` is open: pages read article bodies from its cache."""
    cache = session.cache
    config = options.project.config(options.base_url)
    signature = parse_signature(config, options.project.code_digest)
    with session.collector_paused():
        known = cache.articles(signature)
        loaded = read_articles(options.project.content, config, known, article_files, article_stats)
    if loaded.reused != len(loaded.records) or len(known) != len(loaded.records):
        # Bodies are cached once, rendered; the records keep only what is needed to plan the site.
        reused = {id(record) for record in known.values()}
        cache.store_articles(
            signature,
            {r.path: r if id(r) in reused else replace(r, article=replace(r.article, body=None)) for r in loaded.records},
            known,
        )
    articles = [a for a in loaded.articles if options.drafts or not a.draft]
    now = options.now or datetime.now(timezone.utc)
    articles, scheduled = split_scheduled(articles, now)
    page_files, stray_pages = find_plain_page_files(options.project.content)
    plain_pages, page_warnings, page_problems = read_plain_pages(page_files, config)
    unread = [*loaded.problems, *page_problems]
    try:
        bodies = render_bodies([*articles, *plain_pages], config, options.project.code_digest, cache,
                               options.worker_count, progress)
    except GazetteError as exc:  # one report: the files that did not read, then the bodies that did not render
        raise GazetteError([*unread, *exc.problems]) from None
    if unread:
        raise GazetteError(unread)
    entries, page_entries = make_entries(articles, plain_pages, bodies)
    static_files = options.project.static_layers.files()
    uses, missing = image_uses([*entries, *page_entries], static_files)
    problems = missing_images(articles, options.project.static, static_files) + missing
    if problems:
        raise GazetteError(problems)
    images = prepare_images(uses, static_files, cache, cache.path.parent / CACHE_FOLDER, options.worker_count, progress)
    with session.collector_paused():
        site = assemble_site(config, entries, page_entries)
        pages = plan_pages(site, now, pictures=images.pictures_of)
    record = read_published(options.project.published_file)
    permanence = keep_published(record, pages, site.entries, options.project.root)
    pages += permanence.redirects
    variants = images.variant_files()
    problems = find_path_collisions(pages, [*static_files, *variants])
    if problems:
        raise GazetteError(problems)
    next_change = min(filter(None, [*(a.date for a in scheduled), news_expiry(site.entries, now)]), default=None)
    config_file = options.project.config_file
    warnings = [*config.warnings, *language_warnings(config_file, config), *loaded.warnings, *stray_pages,
                *page_warnings, *menu_warnings(config_file, config, pages),
                *(replace(p, message="warning: " + p.message) for p in permanence.lost)]
    return SitePlan(config, site, pages, warnings, scheduled, static_files, variants, next_change,
                    published=permanence.record if permanence.record != record else None, lost=permanence.lost,
                    moved=permanence.moved)


def write_published(path: Path, record: dict[str, PublishedUrl]) -> None:
    """Replace the record at once: a killed build leaves the old one or the new one, and
    one that fails (a full disk) the old one."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        with writing(temporary):
            temporary.write_text(format_published(record), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):  # the disk's first error is the one to report
            temporary.unlink(missing_ok=True)
        raise


def source_state(options: BuildOptions, article_files: list[str], article_stats: dict[str, os.stat_result]) -> str:
    """A cheap summary of every input (names, sizes, modification times) and option:
    when it matches the last complete build, that build's output is still right.
    `article_stats`: what `stat_files(article_files)` gave."""
    parts = [options.project.code_digest, repr(options.drafts), options.base_url or "", str(options.project.output.resolve())]
    files = [str(options.project.config_file), str(options.project.published_file), *article_files]
    for folder in (*options.project.template_layers.existing, *options.project.static_layers.existing,
                   options.project.content / PAGES_FOLDER):
        files += sorted(str(p) for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    for path in files:
        try:
            stat = article_stats.get(path) or os.stat(path)
        except OSError:
            parts.append(f"{path}:missing")
            continue
        parts.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return digest_text(*parts)


def site_outputs(options: BuildOptions, plan: SitePlan, site_digest: str | None,
                 template_digests: dict[str, str] | None = None) -> OutputPlan:
    """Every file the build writes for this plan; without a `site_digest` (for `check`),
    without the pages' fingerprints."""
    record = BuildRecord(__version__, plan.config.base_url, options.drafts)
    return plan_outputs(plan.pages, site_digest, options.project.template_layers, plan.static_files,
                        hosting_files(plan.config, record, plan.static_files), template_digests, plan.image_variants)


def hosting_files(config: SiteConfig, record: BuildRecord, static_files: dict[str, Path]) -> dict[str, bytes]:
    """GitHub Pages: no Jekyll processing, and the custom domain if there is one; the
    record of this build, which marks the folder as Gazette's; and the code highlighting's
    stylesheet, unless the site's static/ has its own."""
    from gazette.build.code import STYLESHEET, stylesheet  # Pygments: only for a build that writes

    files = {".nojekyll": b"", RECORD_NAME: record.to_bytes()}
    if STYLESHEET not in static_files:
        files[STYLESHEET] = stylesheet()
    if config.cname:
        files["CNAME"] = config.cname.encode("ascii") + b"\n"
    return files


def build(options: BuildOptions) -> BuildReport:
    """Build the site. Builds of one output folder, or with one cache, take turns (see
    `with_cache`, which also sets a damaged cache aside and builds again without it); a disk
    that fails the build is a DiskError naming the file, and the output keeps its last
    complete site."""
    output = options.project.output
    guard_output_dir(output, options.project.editor_paths, lambda: True)  # before the cache's folder is made
    report, warnings = with_cache(options.cache_file, lambda: _build_once(options, waiting_for(output)),
                                  waiting_for(options.project.cache_dir))
    report.warnings[:0] = warnings
    return report


def waiting_for(what: Path) -> Callable[[], None]:
    return lambda: print(f"{what}: another build is using it; waiting for it to finish", file=sys.stderr, flush=True)


def _build_once(options: BuildOptions, on_wait: Callable[[], None]) -> BuildReport:
    try:
        guard_output(options)
        with output_lock(options.project.output, on_wait):
            return _build(options)
    except OSError as exc:
        raise DiskError.of(exc) from exc


def guard_output(options: BuildOptions) -> None:
    """Refuse an output folder the build may not replace (see `guard_output_dir`)."""
    project = options.project
    guard_output_dir(project.output, project.editor_paths, lambda: output_known_to_cache(options))


def output_known_to_cache(options: BuildOptions) -> bool:
    cache = BuildCache(options.cache_file)
    try:
        return bool(cache.manifest(options.project.output, folder_id(options.project.output)))
    finally:
        cache.close()


def _build(options: BuildOptions) -> BuildReport:
    started = time.perf_counter()
    options = replace(options, now=options.now or datetime.now(timezone.utc))
    progress = ProgressBar(enabled=None if options.progress else False)
    with BuildSession(options.cache_file) as session:
        cache = session.cache
        try:
            article_files = find_article_files(options.project.content) if options.project.content.is_dir() else None
            article_stats = stat_files(article_files) if article_files is not None else {}
            state = source_state(options, article_files, article_stats) if cache.persistent and article_files is not None else ""
            unchanged = unchanged_since_last_build(options, cache, state)
            if unchanged is not None:
                return replace(unchanged, seconds=time.perf_counter() - started)

            # Gather: every article, validated, and every page planned, before anything is rendered.
            plan = gather(options, session, progress, article_files, article_stats)

            # Render and write only what changed; the output is replaced only by a complete site.
            renderer, site_digest, template_digests = page_renderer(options, plan, cache)
            with session.collector_paused():
                outputs = site_outputs(options, plan, site_digest, template_digests)
            stats, rendered = write_output(options, cache, renderer, outputs, progress, plan.config.search)
            known_sizes = _load_pickled(cache.state(SITE_SIZES))
            size, sizes = measure_built_site(options.project.output, {file.name: file.kind for file in outputs.files},
                                             outputs.fingerprints, known_sizes if isinstance(known_sizes, SizeMemo) else None)
            cache.store_state(SITE_SIZES, pickle.dumps(sizes, pickle.HIGHEST_PROTOCOL))
            if plan.published is not None and not options.drafts:  # a preview with drafts publishes nothing
                write_published(options.project.published_file, plan.published)
                if state:
                    state = source_state(options, article_files, article_stats)

            report = BuildReport(
                articles=len(plan.site.entries), written=stats.written, unchanged=stats.unchanged, removed=stats.removed,
                rendered=rendered, seconds=time.perf_counter() - started, size=size,
                warnings=[*plan.warnings, *limit_problems(size, plan.config.max_site_bytes, plan.config.max_file_bytes,
                                                          options.project.output)],
                scheduled=plan.scheduled, changed=tuple(sorted(stats.changed)), moved=tuple(plan.moved),
            )
            if state:
                next_due = plan.next_change
                cache.store_state("last_build", pickle.dumps(
                    {"state": state, "output": folder_id(options.project.output), "next_due": next_due, "report": report}))
        finally:
            progress.finish()
    return report


def unchanged_since_last_build(options: BuildOptions, cache: BuildCache, state: str) -> BuildReport | None:
    """The last build's report when no input changed since it, its output is still in
    place and the site has not changed by the clock (`SitePlan.next_change`); else None
    (a real build is needed)."""
    last = _load_last_build(cache.state("last_build")) if state else None
    if not last or last["state"] != state or last["output"] != folder_id(options.project.output):
        return None
    if last["next_due"] is not None and options.now >= last["next_due"]:
        return None
    return replace(last["report"], written=0, unchanged=last["report"].pages, removed=0, rendered=0, changed=(), moved=())


def page_renderer(options: BuildOptions, plan: SitePlan,
                  cache: BuildCache | None = None) -> tuple[PageRenderer, str, dict[str, str]]:
    """The Jinja renderer, a digest of everything every page shares (configuration, menu,
    Markdown renderer), and the digest of each page template with what it extends, includes
    and imports, for the pages' fingerprints: editing one template re-renders its pages only.
    What each template text names is kept in the `cache`, so unchanged templates are not parsed."""
    renderer = PageRenderer(
        options.project.template_layers, plan.site, Urls(plan.config.base_url), {p.route for p in plan.pages},
        bytecode_dir=options.cache_file.parent / "templates" if options.cache_file else None,
    )
    names = {page.template for page in plan.pages}
    renderer.preload(names)
    site_digest = digest_text(
        repr(plan.config), repr(renderer.env.globals["menu"]), repr(renderer.env.globals["footer_pages"]),
        renderer_signature(plan.config.trusted_html, options.project.code_digest, plan.config.language),
    )
    known = _load_pickled(cache.state(TEMPLATE_REFERENCES)) if cache is not None else None
    references = dict(known) if isinstance(known, dict) else {}
    digests = renderer.template_digests(names, references)
    if cache is not None and references != known:
        cache.store_state(TEMPLATE_REFERENCES, pickle.dumps(references))
    return renderer, site_digest, digests


def write_output(
    options: BuildOptions,
    cache: BuildCache,
    renderer: PageRenderer,
    outputs: OutputPlan,
    progress: ProgressBar,
    search: bool = True,
) -> tuple[WriteStats, int]:
    """Bring the output up to date (see `publish_incremental`) and record what it now holds,
    with its search index unless the site goes without (`search = false`). Returns the stats and how many pages were rendered."""
    wanted, sources = outputs.fingerprints, outputs.how
    articles = [file.name for file in outputs.of_kind(OutputKind.ARTICLE)]
    plain_pages = [file.name for file in outputs.of_kind(OutputKind.PLAIN)]
    live = cache.manifest(options.project.output, folder_id(options.project.output))
    staging = staging_dir(options.project.output)
    spare = cache.manifest(staging, folder_id(staging)) if live else {}
    cache.forget_manifest(staging)  # about to change: a killed build must not trust it
    must_render = {name for name, source in sources.items() if source.page is not None and live.get(name) != wanted[name]}
    progress.start("rendering pages", len(must_render))
    stats = publish_incremental(
        options.project.output, wanted, sources, lambda page: renderer.render(page).encode("utf-8"),
        live=live or None, spare=spare or None, jobs=options.worker_count, on_progress=progress.update,
        # With the live site's manifest known, only years with changes are indexed again.
        before_swap=lambda staging, changed: index_site(
            staging, articles, options.project.output, changed if live else None, options.worker_count, plain_pages)
        if search else lambda staging, changed: remove_index(staging / SEARCH_INDEX_FOLDER),
        generated_folder=SEARCH_INDEX_FOLDER,
    )
    cache.store_manifest(options.project.output, folder_id(options.project.output), wanted)
    if not stats.swapped:
        cache.store_manifest(staging, folder_id(staging), wanted)
    elif live:
        cache.store_manifest(staging, folder_id(staging), live)  # the previous site, now the spare
    return stats, len(must_render)


def _load_last_build(blob: bytes | None) -> dict | None:
    record = _load_pickled(blob)
    return record if isinstance(record, dict) else None


def _load_pickled(blob: bytes | None) -> object:
    try:
        return pickle.loads(blob) if blob else None
    except Exception:  # noqa: BLE001 - an unreadable record only means doing the work again
        return None
