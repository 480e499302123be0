"""From a plan to the output folder: the files a plan makes, with their fingerprints; the
page renderer; writing what changed (with the search index) and swapping it in; the site's
size as published; the record of published URLs."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gazette import __version__
from gazette.build.cache import BuildCache, manifest_base
from gazette.build.fingerprint import digest_text
from gazette.build.markup import renderer_signature
from gazette.build.output import (
    WriteStats,
    folder_id,
    held_live,
    publish_incremental,
    staging_dir,
)
from gazette.build.outputs import OutputPlan, plan_outputs
from gazette.build.progress import ProgressBar
from gazette.build.record import RECORD_NAME, BuildRecord
from gazette.build.render import MACROS, PageRenderer, menu_routes
from gazette.build.size import (
    SiteSize,
    SizeMemo,
    measure_built_site,
    measure_changed_site,
)
from gazette.build.stages import StageClock
from gazette.errors import writing
from gazette.model.config import SiteConfig
from gazette.model.published import PublishedUrl, RecordText, format_published
from gazette.model.urls import Urls
from gazette.search.index import INDEX_FOLDER as SEARCH_INDEX_FOLDER
from gazette.search.index import index_site, remove_index

if TYPE_CHECKING:  # the pipeline calls this module; these are its types
    from gazette.build.kept_outputs import KeptOutputs
    from gazette.build.pipeline import BuildOptions, SitePlan
    from gazette.build.plan_reader import PlanReader

TEMPLATE_REFERENCES = "template_references"  # cache state: template text digest -> the templates it names
SITE_SIZES = "site_sizes"  # cache state: the SizeMemo of the last build's output


RECORD_WRITTEN = "record_written"  # cache state: the size and time of the record as a build last wrote it


def write_published(path: Path, record: dict[str, PublishedUrl] | str, cache: BuildCache | None = None) -> None:
    """Replace the record (by route, or its text) at once: a killed build leaves the old one
    or the new one, and one that fails (a full disk) the old one. The `cache` remembers the
    file as written, formatted whole (see `record_as_written`)."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        with writing(temporary):
            temporary.write_text(record if isinstance(record, str) else format_published(record), encoding="utf-8")
        os.replace(temporary, path)
        if cache is not None:
            cache.store_state_object(RECORD_WRITTEN, _signature(path))
    except OSError:
        with contextlib.suppress(OSError):  # the disk's first error is the one to report
            temporary.unlink(missing_ok=True)
        raise



def record_as_written(path: Path, cache: BuildCache) -> RecordText | None:
    """The record, if it is still the file a build last wrote (so formatted whole, as
    `RecordText` needs); None otherwise, or when it does not read (then read it whole)."""
    try:
        if cache.state_object(RECORD_WRITTEN) != _signature(path):
            return None
        return RecordText(path.read_text(encoding="utf-8"), path)
    except (OSError, UnicodeDecodeError):
        return None


def _signature(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def site_outputs(options: BuildOptions, plan: SitePlan, site_digest: str | None,
                 template_digests: dict[str, str] | None = None, covered=None) -> OutputPlan:
    """Every file the build writes for this plan; without a `site_digest` (for `check`),
    without the pages' fingerprints. `covered`: see `page_fingerprints`."""
    record = BuildRecord(__version__, plan.config.base_url, options.drafts)
    return plan_outputs(plan.pages, site_digest, options.project.template_layers, plan.static_files,
                        hosting_files(plan.config, record, plan.static_files), template_digests, plan.image_variants,
                        covered)


NOJEKYLL = ".nojekyll"  # GitHub Pages: no Jekyll processing
CNAME = "CNAME"  # GitHub Pages: the custom domain


def hosting_names() -> frozenset[str]:
    """The files `hosting_files` may write: one of static/ of such a name stands in for it."""
    from gazette.build.code import STYLESHEET  # Pygments: only where asked

    return frozenset({NOJEKYLL, RECORD_NAME, STYLESHEET, CNAME})


def hosting_files(config: SiteConfig, record: BuildRecord, static_files: dict[str, Path]) -> dict[str, bytes]:
    """GitHub Pages: no Jekyll processing, and the custom domain if there is one; the
    record of this build, which marks the folder as Gazette's; and the code highlighting's
    stylesheet, unless the site's static/ has its own."""
    from gazette.build.code import STYLESHEET, stylesheet  # Pygments: only for a build that writes

    files = {NOJEKYLL: b"", RECORD_NAME: record.to_bytes()}
    if STYLESHEET not in static_files:
        files[STYLESHEET] = stylesheet()
    if config.cname:
        files[CNAME] = config.cname.encode("ascii") + b"\n"
    return files



def measure_output(output: Path, cache: BuildCache, outputs: OutputPlan | KeptOutputs, edited: WriteStats | None = None,
                   before: SiteSize | None = None) -> SiteSize:
    """The output's size, as published. After an edit in place (`edited`: what it wrote), from
    `before`, the size of the site it replaced, and the files it changed (0.8 s less at 100,000
    articles than reading and writing the memo of every file); else stats only what the last
    build did not measure."""
    if edited is not None and before is not None:
        if not edited.swapped:
            return before  # the site is the same
        kinds = outputs.kinds(edited.changed)
        if kinds.keys() == edited.changed:  # no file removed (its kind unknown): an edit in place removes none
            size = measure_changed_site(before, output, staging_dir(output), edited.changed, kinds,
                                        kinds_before=outputs.kinds_before(edited.changed)
                                        if not isinstance(outputs, OutputPlan) else None)
            if size is not None:
                return size
    known = cache.state_object(SITE_SIZES)
    size, memo = measure_built_site(output, {file.name: file.kind for file in outputs.files},
                                    outputs.fingerprints, known if isinstance(known, SizeMemo) else None)
    cache.store_state_object(SITE_SIZES, memo)
    return size



def page_renderer(options: BuildOptions, plan: SitePlan,
                  cache: BuildCache | None = None) -> tuple[PageRenderer, str, dict[str, str]]:
    """The Jinja renderer, a digest of everything every page shares (configuration, menu,
    Markdown renderer), and the digest of each page template with what it extends, includes
    and imports, for the pages' fingerprints: editing one template re-renders its pages only.
    What each template text names is kept in the `cache`, so unchanged templates are not parsed."""
    renderer = PageRenderer(
        options.project.template_layers, plan.config, plan.site.plain_pages, Urls(plan.config.base_url),
        menu_routes({p.route for p in plan.pages}),
        bytecode_dir=options.cache_file.parent / "templates" if options.cache_file else None,
    )
    names = {page.template for page in plan.pages}
    renderer.preload(names)
    site_digest = digest_text(
        repr(plan.config), repr(renderer.env.globals["menu"]), repr(renderer.env.globals["footer_pages"]),
        renderer_signature(plan.config.trusted_html, options.project.code_digest, plan.config.language),
    )
    known = cache.state_object(TEMPLATE_REFERENCES) if cache is not None else None
    references = dict(known) if isinstance(known, dict) else {}
    # The macros' too, though no page is rendered with it: the kept fragments' scope (see gazette.build.fragments).
    digests = renderer.template_digests(names | {MACROS}, references)
    if cache is not None and references != known:
        cache.store_state_object(TEMPLATE_REFERENCES, references)
    return renderer, site_digest, digests


def _present(manifest: dict[str, str | None]) -> dict[str, str]:
    return {name: fingerprint for name, fingerprint in manifest.items() if fingerprint is not None}


@dataclass(frozen=True)
class PlannedOutput:
    """The output as an edit in place knows it, without reading its manifest whole: the kept
    plan's files (`base`, the id of their manifest; `planned`, their fingerprints for the files
    this build may change) and the files of the live output whose fingerprints differ from them
    (`live`: only files this build may change, as `in_place` checks). A file planned as None
    is one the plan does not have: the page of an article added since."""

    base: str
    planned: dict[str, str | None]
    live: dict[str, str]


def planned_output(options: BuildOptions, cache: BuildCache, reader: PlanReader,
                    planned: dict[str, str | None]) -> PlannedOutput | None:
    """The output as the kept plan made it but for the files this build may change (`planned`:
    name -> the plan's fingerprint, None for a file the plan does not have); None if it holds
    anything else (after an earlier build killed before it kept its plan, or an output folder
    replaced)."""
    output, head = options.project.output, reader.head
    known = cache.manifest_changes(output, folder_id(output))
    if known is not None and known[0] == head.files_base:  # the plan's files and the edits in place since
        changes = known[1]
        return PlannedOutput(head.files_base, planned, changes) if changes.keys() <= planned.keys() else None
    live = cache.manifest(output, folder_id(output))
    if any(live.get(file.name) != file.fingerprint for file in reader.every_file() if file.name not in planned) or \
            not {name for name, fingerprint in planned.items() if fingerprint is not None} <= live.keys():
        return None
    return PlannedOutput(head.files_base, planned, {name: live[name] for name in planned
                                                    if name in live and live[name] != planned[name]})


def write_output(
    options: BuildOptions,
    cache: BuildCache,
    renderer: PageRenderer,
    outputs: OutputPlan | KeptOutputs,
    progress: ProgressBar,
    search: bool = True,
    clock: StageClock | None = None,
    known: PlannedOutput | None = None,
) -> tuple[WriteStats, int]:
    """Bring the output up to date (see `publish_incremental`) and record what it now holds,
    with its search index unless the site goes without (`search = false`). Returns the stats
    and how many pages were rendered. `known`: the output as an edit in place knows it."""
    output, staging = options.project.output, staging_dir(options.project.output)
    every_file = outputs.fingerprints  # `wanted`, until an edit in place narrows it
    wanted, sources = every_file, outputs.how
    spare_known = cache.manifest_changes(staging, folder_id(staging)) if known is not None else None
    # The spare known as the plan's files but for a few: known, even where it holds none of the
    # files compared (a picture added alone), not a spare to make anew.
    narrowed = spare_known is not None and spare_known[0] == known.base and output.is_dir() and staging.is_dir()
    if narrowed:
        # The live site and the spare both hold the plan's files but for a few: only those are compared.
        changes = spare_known[1]
        only = known.live.keys() | changes.keys() | known.planned.keys()
        wanted = {name: found for name in only if (found := every_file.get(name)) is not None}  # each looked up once
        # The rest as planned; a file the spare holds that the site no longer has (None): the
        # page of an added story deleted since, in a spare known by the same base.
        planned = {name: known.planned[name] if name in known.planned else wanted.get(name) for name in only}
        # A file the plan does not have (None: an added article's page) is in a folder only if
        # a build since wrote it there.
        live = _present({name: known.live.get(name, planned[name]) for name in only})
        spare = _present({name: changes.get(name, planned[name]) for name in only})
    else:
        wanted = every_file = dict(every_file)  # every file is compared: read them all once
        if known is not None:
            live = _present({**wanted, **known.planned, **known.live})
        else:
            live = cache.manifest(output, folder_id(output))
        spare = cache.manifest(staging, folder_id(staging)) if live else {}
    cache.forget_manifest(staging)  # about to change: a killed build must not trust it
    must_render = {name for name, source in sources.items()
                   if source.page is not None and not held_live(live.get(name), wanted[name], source)}
    clock = clock or StageClock()

    def make_search_index(staging: Path, changed: set[str]) -> None:
        with clock.stage("search index"):
            if search:  # with the live site's manifest known, only years with changes are indexed again
                known_changes = changed if live or narrowed else None
                index_site(staging, outputs.article_months, output, known_changes, options.worker_count,
                           outputs.plain_page_files)
            else:
                remove_index(staging / SEARCH_INDEX_FOLDER)

    progress.start("rendering pages", len(must_render))
    stats = publish_incremental(
        output, wanted, sources, lambda page: renderer.render(page).encode("utf-8"),
        live=live if narrowed else live or None, spare=spare if narrowed else spare or None, jobs=options.worker_count, on_progress=progress.update,
        before_swap=make_search_index, generated_folder=SEARCH_INDEX_FOLDER,
        untouched=len(every_file) - len(wanted), after_shard=renderer.keep_fragments,
    )
    if stats.swapped and live:  # the previous site, now the spare: `live` is the manifest stored for it
        cache.move_manifest(output, staging, folder_id(staging))
    # After an edit in place, kept as the plan's files and the few that differ from them now.
    changes = {name: every_file.get(name) for name in known.planned if every_file.get(name) != known.planned[name]} \
        if known is not None else None
    for folder in (output,) if stats.swapped else (output, staging):  # a spare not swapped was made the same
        if changes is None or not cache.store_manifest_changes(folder, folder_id(folder), known.base, changes):
            cache.store_manifest(folder, folder_id(folder), every_file)
    if known is None and stats.swapped and live:
        # The previous site, now the spare, kept as its changes to this site's files: the first
        # edit in place after this plan then compares only those (see `narrowed`), not every
        # file (1 s of 2 at 100,000 articles).
        spare_changes = {name: live.get(name) for name in every_file.keys() | live.keys()
                         if live.get(name) != every_file.get(name)}
        cache.store_manifest_changes(staging, folder_id(staging), manifest_base(every_file), spare_changes)
    return stats, stats.rendered
