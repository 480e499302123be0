"""The build, top to bottom: gather everything, then render, then write."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from gazette.build.bodies import make_entries, render_bodies
from gazette.build.built import BuiltNews, BuiltSite
from gazette.build.cache import BuildCache
from gazette.build.facts import PlanFacts
from gazette.build.fingerprint import digest_text
from gazette.build.in_place import edit_in_place
from gazette.build.inputs import (
    FileStates,
    find_article_files_since_last_build,
    input_frame,
    keep_listings,
    source_state,
)
from gazette.build.keep_plan import coverage_keys, store_plan
from gazette.build.options import BuildOptions, BuildReport
from gazette.build.output import (
    folder_id,
    guard_output_dir,
    output_lock,
)
from gazette.build.pages import (
    ListTemplates,
    Page,
    find_path_collisions,
    news_expiry,
    plan_pages,
)
from gazette.build.permanence import keep_published, warned
from gazette.build.plan_edits import (
    PlanEdits,
    edited_articles,
    forget_plan,
    keep_pictures_listed,
    last_edits,
    only_articles_changed,
    pictures_added_since_plan,
    plain_pages_changed,
    statics_since_plan,
    store_edits,
)
from gazette.build.progress import ProgressBar
from gazette.build.publish import (
    measure_output,
    page_renderer,
    site_outputs,
    write_output,
    write_published,
)
from gazette.build.reading import read_all_articles
from gazette.build.session import BuildSession, with_cache
from gazette.build.site_warnings import language_warnings, menu_warnings
from gazette.build.size import limit_problems
from gazette.build.stages import StageClock
from gazette.errors import DiskError, GazetteError, Problem
from gazette.images.catalog import CACHE_FOLDER, image_uses, prepare_images
from gazette.model.article import Article
from gazette.model.config import SiteConfig
from gazette.model.content import FileStamp, missing_images
from gazette.model.plain_pages import find_plain_page_files, read_plain_pages
from gazette.model.published import PublishedUrl, read_published
from gazette.model.site import Site, assemble_site, split_scheduled
from gazette.model.urls import output_file

LAST_BUILD = "last_build"  # cache state: the source state, output and report of the last complete build


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
    kept_addresses: int = 0  # the last pages: redirects that keep published URLs answering (see keep_published)
    article_warnings: dict[str, tuple[Problem, ...]] = field(default_factory=dict)  # file -> its own, of those with any
    article_warnings_at: int = 0  # where they start in `warnings`, in the order of their files

    @property
    def facts(self) -> PlanFacts:
        return PlanFacts(self.config, len(self.site.entries), self.warnings, self.scheduled, self.moved, self.published,
                         self.next_change)


def parse_signature(config: SiteConfig, code_digest: str) -> str:
    """Settings that change how a file parses: cached articles are valid only under them."""
    return digest_text(code_digest, repr(config.timezone), repr(config.topics), str(config.max_article_bytes))


def gather(
    options: BuildOptions,
    session: BuildSession,
    progress: ProgressBar | None = None,
    article_files: list[str] | None = None,
    article_stats: Mapping[str, FileStamp] | None = None,
    clock: StageClock | None = None,
) -> SitePlan:
    """Read and validate every article, and plan every page; raise on any problem.

    The plan is valid while `session` is open: pages read article bodies from its cache."""
    cache = session.cache
    clock = clock or StageClock()
    with clock.stage("read articles"):
        config = options.project.config(options.base_url)
        signature = parse_signature(config, options.project.code_digest)
        with session.collector_paused():
            known = cache.articles(signature)
            loaded = read_all_articles(options.project.content, config, known, article_files, article_stats,
                                       options.worker_count)
        if loaded.reused != len(loaded.records) or len(known) != len(loaded.records):
            # Bodies are cached once, rendered; the records keep only what is needed to plan the site.
            reused = {id(record) for record in known.values()}
            cache.store_articles(
                signature,
                {r.path: r if id(r) in reused else r.without_body() for r in loaded.records},
                known,
            )
        articles = [a for a in loaded.articles if options.drafts or not a.draft]
        now = options.now or datetime.now(timezone.utc)
        articles, scheduled = split_scheduled(articles, now)
        page_files, stray_pages = find_plain_page_files(options.project.content)
        plain_pages, page_warnings, page_problems = read_plain_pages(page_files, config)
    unread = [*loaded.problems, *page_problems]
    try:
        with clock.stage("render bodies"):
            bodies = render_bodies([*articles, *plain_pages], config, options.project.code_digest, cache,
                                   options.worker_count, progress)
    except GazetteError as exc:  # one report: the files that did not read, then the bodies that did not render
        raise GazetteError([*unread, *exc.problems]) from None
    if unread:
        raise GazetteError(unread)
    entries, page_entries = make_entries(articles, plain_pages, bodies)
    with clock.stage("images"):
        static_files = options.project.static_layers.files()
        uses, missing = image_uses([*entries, *page_entries], static_files)
        problems = missing_images(articles, options.project.static, static_files) + missing
        if problems:
            raise GazetteError(problems)
        images = prepare_images(uses, static_files, cache, cache.path.parent / CACHE_FOLDER, options.worker_count, progress)
    with clock.stage("plan pages"), session.collector_paused():
        site = assemble_site(config, entries, page_entries)
        pages = plan_pages(site, now, pictures=images.pictures_of,
                           templates=ListTemplates.of(options.project.template_layers.is_theme_file))
    with clock.stage("published URLs"):
        record = read_published(options.project.published_file)
        permanence = keep_published(record, pages, site.entries, options.project.root)
    pages += permanence.redirects
    variants = images.variant_files()
    with clock.stage("plan pages"):
        problems = find_path_collisions(pages, [*static_files, *variants])
    if problems:
        raise GazetteError(problems)
    next_change = min(filter(None, [*(a.date for a in scheduled), news_expiry(site.entries, now)]), default=None)
    config_file = options.project.config_file
    site_warnings = [*config.warnings, *language_warnings(config_file, config)]
    warnings = [*site_warnings, *loaded.warnings, *stray_pages, *page_warnings, *menu_warnings(config_file, config, pages),
                *map(warned, permanence.lost)]
    return SitePlan(config, site, pages, warnings, scheduled, static_files, variants, next_change,
                    published=permanence.record if permanence.record != record else None, lost=permanence.lost,
                    moved=permanence.moved, kept_addresses=len(permanence.redirects),
                    article_warnings={record.path: record.warnings for record in loaded.records if record.warnings},
                    article_warnings_at=len(site_warnings))


def build(options: BuildOptions, keep: Callable[[BuiltSite | BuiltNews], None] | None = None, in_place: bool = True) -> BuildReport:
    """Build the site. Builds of one output folder, or with one cache, take turns (see
    `with_cache`, which also sets a damaged cache aside and builds again without it); a disk
    that fails the build is a DiskError naming the file, and the output keeps its last
    complete site. With `keep`, the build plans the site even when nothing changed, and
    hands `keep` what it built once the output is complete (`BuiltSite`), unless it was an
    edit in place (see gazette.build.in_place): the site `keep` had last, with the edits since,
    is the site, but for the pages of the articles added or deleted in place; of those added,
    it hands `keep` their own pages (`BuiltNews`; see gazette.preview.fast).
    Without `in_place`, edits in place plan the whole site too (`keep` has no site yet)."""
    output = options.project.output
    guard_output_dir(output, options.project.editor_paths, lambda: True)  # before the cache's folder is made
    report, warnings = with_cache(options.cache_file, lambda: _build_once(options, waiting_for(output), keep, in_place),
                                  waiting_for(options.project.cache_dir))
    report.warnings[:0] = warnings
    return report


def waiting_for(what: Path) -> Callable[[], None]:
    return lambda: print(f"{what}: another build is using it; waiting for it to finish", file=sys.stderr, flush=True)


def _build_once(options: BuildOptions, on_wait: Callable[[], None], keep: Callable[[BuiltSite | BuiltNews], None] | None,
                in_place: bool) -> BuildReport:
    try:
        guard_output(options)
        with output_lock(options.project.output, on_wait):
            return _build(options, keep, in_place)
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


def _build(options: BuildOptions, keep: Callable[[BuiltSite | BuiltNews], None] | None = None, in_place: bool = True) -> BuildReport:
    started = time.perf_counter()
    options = replace(options, now=options.now or datetime.now(timezone.utc))
    progress = ProgressBar(enabled=None if options.progress else False)
    clock = StageClock()
    with BuildSession(options.cache_file) as session:
        cache = session.cache
        try:
            with clock.stage("look for changes"):
                article_files, listings, new_files, gone_files = find_article_files_since_last_build(options, cache)
                states = FileStates.stat(article_files or [])
                inputs = input_frame(options) if cache.persistent and article_files is not None else None
                articles_digest = states.digest() if inputs else ""
                state = source_state(inputs.state, articles_digest) if inputs else ""
                last = cache.state_object(LAST_BUILD) if state else None
                last = last if isinstance(last, dict) and last.get("output") == folder_id(options.project.output) else None
                unchanged = unchanged_since_last_build(options, last, state)
            if unchanged is not None and keep is None:
                return replace(unchanged, seconds=time.perf_counter() - started, stages=clock.timings())

            # An edit that leaves every article where it stood: from the last plan, only the pages that show it.
            edits = last_edits(cache) if state else None
            # A picture of static/ added since the plan (a story's photo) leaves the frame it stands for as it was.
            pictures = pictures_added_since_plan(inputs, edits, cache) if state else {}
            frame = inputs.without(pictures) if state else ""
            changed, added, gone = edited_articles(edits, frame, states, options.now, new_files, gone_files)
            in_frame = bool(state) and only_articles_changed(edits, frame, options.now)
            plain = plain_pages_changed(edits, inputs) if in_frame else []
            statics = statics_since_plan(edits, inputs) if in_frame else None
            # After an edit of articles only, the next build is likely one too: this one keeps
            # its plan for it, and is itself built in place from the last one if it can. Not
            # where there is no output yet (a deploy from a fresh checkout): the next build
            # will have none either. After an add or a delete, only where nothing but articles
            # changed and either a plan was kept (while editing) or the last build was an add or
            # a delete too (the day's news): keeping it costs what planning the site does. And
            # a preview's first build (`keep` without `in_place`): the editor's saves follow;
            # with nothing changed since a build that kept its plan, that plan still holds.
            news_alone = bool(new_files or gone_files) and only_articles_changed(edits, frame, options.now)
            kept_plan_holds = unchanged is not None and edits is not None and edits.store_id is not None
            preview_starts = keep is not None and not in_place and not kept_plan_holds
            # Nothing changed but the clock, which took stories off the news sitemap: in place too.
            clock_alone = unchanged is None and last is not None and last["state"] == state and \
                only_articles_changed(edits, frame, options.now) and edits.store_id is not None
            # A picture added alone (its story to follow): in place too.
            pictures_alone = only_articles_changed(edits, frame, options.now) and edits.store_id is not None and \
                pictures != edits.pictures
            statics_alone = statics is not None and statics != edits.statics
            keep_plan = bool(changed or plain or statics_alone or news_alone and (edits.store_id or edits.news_alone) or preview_starts
                             or clock_alone or pictures_alone) and options.project.output.is_dir()
            edited = None
            if keep_plan and in_place:
                with clock.stage("edit in place"), session.collector_paused():
                    edited = edit_in_place(options, cache, edits, changed, states, clock, added, gone, inputs.pictures, pictures,
                                           plain, statics)
            known = None  # the output, as an edit in place knows it
            plan = None
            if edited is not None:
                facts, outputs, renderer, known = edited.facts, edited.outputs, edited.renderer, edited.known
            else:
                # Gather: every article, validated, and every page planned, before anything is rendered.
                plan = gather(options, session, progress, article_files, states.stamps(), clock)
                with clock.stage("fingerprint pages"):
                    renderer, site_digest, template_digests = page_renderer(options, plan, cache)
                    covered: list[tuple[int, ...]] = []  # kept with the plan, after an edit of articles only
                    with session.collector_paused():
                        outputs = site_outputs(options, plan, site_digest, template_digests,
                                               (coverage_keys(plan.site.entries), covered) if keep_plan else None)
                facts = plan.facts

            # Render and write only what changed; the output is replaced only by a complete site.
            with clock.stage("render and write pages"):
                stats, rendered = write_output(options, cache, renderer, outputs, progress, facts.config.search, clock, known)
            with clock.stage("measure the site"):
                # After an edit in place, from the size of the site the last build left (the output still its).
                size = measure_output(options.project.output, cache, outputs, stats if edited is not None else None,
                                      last["report"].size if last is not None else None)
            with clock.stage("published URLs"):
                if facts.published is not None and not options.drafts:  # a preview with drafts publishes nothing
                    write_published(options.project.published_file, facts.published, cache)
                    if state:
                        inputs = input_frame(options)
                        state = source_state(inputs.state, articles_digest)
                        frame = inputs.without(pictures)
            if state:
                with clock.stage("keep the plan"):
                    keep_pictures_listed(cache, inputs, edits)
                    if edited is not None:
                        store_edits(cache, replace(edited.edits, frame=frame, pictures_listed=inputs.pictures_listed,
                                                   pictures=pictures, plain_states=inputs.plain_pages))
                        renderer.keep_fragments()
                    elif kept_plan_holds:
                        pass  # planned with nothing changed, for `keep` (a preview's first build)
                    else:
                        forget_plan(cache)  # until both are stored
                        store_id = (store_plan(cache, plan, outputs, covered, site_digest, template_digests,
                                               options.project.root) if keep_plan else None)
                        store_edits(cache, PlanEdits(store_id, inputs.without(()), states.kept(), {}, plan.next_change,
                                                       news_alone=news_alone, next_scheduled=min(
                                                           (article.date for article in plan.scheduled), default=None),
                                                       pictures_listed=inputs.pictures_listed,
                                                       plain_states=inputs.plain_pages, plan_statics=inputs.statics))

            report = BuildReport(
                articles=facts.articles, written=stats.written, unchanged=stats.unchanged, removed=stats.removed,
                rendered=rendered, seconds=time.perf_counter() - started, size=size,
                warnings=[*facts.warnings, *limit_problems(size, facts.config.max_site_bytes, facts.config.max_file_bytes,
                                                           options.project.output)],
                scheduled=facts.scheduled, changed=tuple(sorted(stats.changed)), moved=tuple(facts.moved),
                stages=clock.timings(),
            )
            if state:
                keep_listings(cache, listings)
                next_due = facts.next_change
                cache.store_state_object(LAST_BUILD, {
                    "state": state, "output": folder_id(options.project.output), "next_due": next_due, "report": report})
            if keep is not None and plan is not None:
                keep(BuiltSite.of(options, plan, renderer))
            elif keep is not None and edited.edits.added:  # in place: the last whole plan stands, without the news
                keep(BuiltNews.of(options, [edited.outputs.how[output_file(entry.article.route)].page
                                            for entry in edited.edits.added]))
        finally:
            progress.finish()
    return report


def unchanged_since_last_build(options: BuildOptions, last: dict | None, state: str) -> BuildReport | None:
    """The `last` build's report (its record in the cache, if its output is still in place)
    when no input changed since it and the site has not changed by the clock
    (`SitePlan.next_change`); else None (a real build is needed)."""
    if last is None or last["state"] != state:
        return None
    if last["next_due"] is not None and options.now >= last["next_due"]:
        return None
    return replace(last["report"], written=0, unchanged=last["report"].pages, removed=0, rendered=0, changed=(), moved=())


