"""Edits in place: an edit that changes how articles read but not where they stand (a body,
a headline, a summary) is built from the last plan of the whole site, kept in the cache,
instead of planning the site again. Only the pages whose fingerprints cover an edited
article are planned again, fingerprinted and, if their fingerprint changed, rendered: by
the fingerprints' contract no other page can change (see `fingerprint.page_fingerprints`).

Anything else plans the whole site (`pipeline.gather`): a new, deleted or renamed file, an
edit to a field that places the article (date, slug, topics, tags, authors, draft, aliases,
corrections, images), a template, site.toml, static/, a plain page, Gazette's own code, the
clock reaching a scheduled article, or an article that does not read or render (the full
build reports it, as ever)."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import pickle
from array import array
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from gazette.build.bodies import make_entries, render_bodies
from gazette.build.cache import BodyStore, BuildCache
from gazette.build.fingerprint import page_fingerprints
from gazette.build.output import FileSource, folder_id
from gazette.build.outputs import OutputFile, OutputPlan
from gazette.build.pages import REDIRECT_TEMPLATE, Page
from gazette.build.permanence import keep_published, keep_published_in_place
from gazette.build.render import PageRenderer
from gazette.build.stages import StageClock
from gazette.build.substitute import substitute
from gazette.errors import GazetteError, writing
from gazette.model.article import Article
from gazette.model.content import read_articles
from gazette.model.published import read_published
from gazette.model.site import Entry
from gazette.model.urls import Urls

if TYPE_CHECKING:  # the pipeline calls this module; these are its types
    from gazette.build.pipeline import BuildOptions, SitePlan

PLAN_FILE = "last-plan.pickle"  # beside the cache: the StoredPlan of the last build that planned the whole site
PLAN_EDITS = "plan_edits"  # cache state: the PlanEdits of the builds since, in place
MAX_EDITED = 20  # articles edited in place before the site is planned again: each one costs every later load

# The fields of an article that change how it reads, never where it stands or what it
# links to: every other field, and any field added later, places it.
SHOWN_ONLY = frozenset({"title", "summary", "body", "body_line", "toc", "image_alt", "image_caption",
                        "image_credit", "source", "identity", "digest"})
TITLED_BY_ARTICLE = ("article.html", REDIRECT_TEMPLATE)  # pages titled with the one article they are made from


def titled_by(page: Page) -> str | None:
    """The article file whose title `page` takes (its own page, an old address of it), if any."""
    if page.template in TITLED_BY_ARTICLE and len(page.sources) == 1:
        return str(page.sources[0])
    return None


def in_place(old: Article, new: Article) -> bool:
    """Whether `new`, an edit of `old`, leaves the article where it stood."""
    return all(getattr(old, name) == getattr(new, name)
               for name in (f.name for f in dataclasses.fields(Article)) if name not in SHOWN_ONLY)


@dataclass(frozen=True)
class PageCovers:
    """For each page, the articles (by index) it covers, in two flat arrays: kept as tuples,
    they would come back from the file as 6.5 million int objects at 100,000 articles (300 MB)."""

    articles: array  # every page's articles, one page after the other
    ends: array  # where each page's run ends in `articles`

    @classmethod
    def of(cls, covered: list[tuple[int, ...]]) -> PageCovers:
        articles, ends = array("I"), array("Q")
        for page_articles in covered:
            articles.extend(page_articles)
            ends.append(len(articles))
        return cls(articles, ends)

    def pages_covering(self, articles: set[int]) -> list[int]:
        """The pages (by index) that cover any of `articles`."""
        found, start = [], 0
        for page, end in enumerate(self.ends):
            if not articles.isdisjoint(self.articles[start:end]):
                found.append(page)
            start = end
        return found


@dataclass(frozen=True)
class StoredPlan:
    """The last plan of the whole site, with what an edit in place needs of its outputs."""

    plan: SitePlan
    planned: int  # plan.pages[planned:] are the old addresses kept answering (see `keep_published`)
    files: tuple[OutputFile, ...]  # every output, the pages' first, in the same order
    covers: PageCovers  # for each page, the articles its fingerprint covers or that title it
    site_digest: str
    template_digests: dict[str, str]


@dataclass(frozen=True)
class PlanEdits:
    """The sources the stored plan stands for, with what was edited in place since."""

    plan_sum: str | None  # the checksum of the plan's file (not one an earlier build left); None: none kept
    frame: str  # `pipeline.input_frame`: everything but the articles, as built
    stats: dict[str, tuple[int, int]]  # every article file: (size, mtime_ns), as built
    entries: dict[str, Entry]  # article file -> its entry now, for those edited in place since
    next_due: datetime | None  # the plan's `next_change`: when the clock changes the site


@dataclass(frozen=True)
class EditedInPlace:
    """A build's plan, outputs (the pages made again, with their fingerprints; the rest as
    the last build left them) and renderer, made from the stored plan."""

    plan: SitePlan
    outputs: OutputPlan
    renderer: PageRenderer
    edits: PlanEdits
    live: dict[str, str]  # the output's manifest, as read to check it holds what the plan made


def store_plan(cache: BuildCache, plan: SitePlan, outputs: OutputPlan, covered: list[tuple[int, ...]],
               site_digest: str, template_digests: dict[str, str]) -> str:
    """Keep the plan of a build that planned the whole site, in a file of its own (SQLite
    writes its 20 MB at 10,000 articles ten times slower); returns the file's checksum.
    `covered`: for each page, the articles (by index) its fingerprint covers (see
    `page_fingerprints`). Call `forget_plan` first: a build killed meanwhile must not pair
    this plan with older edits."""
    index_of = {str(entry.article.source_path): index for index, entry in enumerate(plan.site.entries)}
    covers = []
    for page, articles in zip(plan.pages, covered):
        source = titled_by(page)
        if source in index_of and index_of[source] not in articles:
            articles = (*articles, index_of[source])
        covers.append(articles)
    stored = StoredPlan(plan, len(plan.pages) - plan.kept_addresses, outputs.files, PageCovers.of(covers), site_digest,
                        template_digests)
    path = cache.path.parent / PLAN_FILE
    temporary = path.with_name(f".{path.name}.tmp")
    with writing(temporary), open(temporary, "wb") as file:  # streamed: 200 MB at 100,000 articles
        pickle.dump(stored, file, pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)
    return _file_sum(path)


def store_edits(cache: BuildCache, edits: PlanEdits) -> None:
    cache.store_state(PLAN_EDITS, pickle.dumps(edits, pickle.HIGHEST_PROTOCOL))


def forget_plan(cache: BuildCache) -> None:
    cache.store_state(PLAN_EDITS, b"")


def last_edits(cache: BuildCache) -> PlanEdits | None:
    """What the last build kept of its sources and plan, if anything."""
    edits = _loads(cache, cache.state(PLAN_EDITS))
    return edits if isinstance(edits, PlanEdits) else None


def edited_articles(edits: PlanEdits | None, frame: str, stats: dict[str, tuple[int, int]], now: datetime) -> list[str]:
    """The article files edited since the last build, when nothing else changed: no file
    added or removed, no other input (`frame`: `pipeline.input_frame` now), and the clock has
    not changed the site; else none. `stats`: of every article file now (`file_stats`)."""
    if edits is None or edits.frame != frame or stats.keys() != edits.stats.keys():
        return []
    if edits.next_due is not None and now >= edits.next_due:
        return []
    return [name for name, stat in stats.items() if edits.stats[name] != stat]


def edit_in_place(options: BuildOptions, cache: BuildCache, edits: PlanEdits, changed: list[str],
                  stats: dict[str, os.stat_result], now_stats: dict[str, tuple[int, int]],
                  clock: StageClock) -> EditedInPlace | None:
    """The build of the edits of the `changed` article files (`edited_articles`), from the
    stored plan; None when the site must be planned again (see the module's docstring).
    `stats`: of every article file now, and `now_stats` the same as `file_stats` gives."""
    if edits.plan_sum is None or not changed or len(edits.entries.keys() | set(changed)) > MAX_EDITED:
        return None
    with clock.stage("load the last plan"):
        stored = _load_plan(cache, edits.plan_sum)
    if stored is None:
        return None
    index_of = {str(entry.article.source_path): index for index, entry in enumerate(stored.plan.site.entries)}
    with clock.stage("read and render the edits"):
        edited = _read_edits(options, cache, stored, {**edits.entries, **{name: None for name in changed}}, index_of,
                             stats)
    if edited is None:
        return None
    return _apply(options, cache, stored, edited, index_of,
                  dataclasses.replace(edits, stats=now_stats, entries=edited))


def _read_edits(options: BuildOptions, cache: BuildCache, stored: StoredPlan, edited: dict[str, Entry | None],
                index_of: dict[str, int], stats: dict[str, os.stat_result]) -> dict[str, Entry] | None:
    """`edited` (article file -> its entry since edited in place, or None if it changed since),
    with the changed files read and rendered; None unless each reads, renders and stays in
    place, with the same warnings as before."""
    plan = stored.plan
    changed = [name for name, entry in edited.items() if entry is None]
    loaded = read_articles(options.project.content, plan.config, None, changed, {name: stats[name] for name in changed})
    if loaded.problems or len(loaded.articles) != len(changed):
        return None
    if any(name not in index_of for name in changed):
        return None  # a draft or a scheduled article
    now = {name: edited[name] or plan.site.entries[index_of[name]] for name in changed}
    if not all(in_place(now[str(article.source_path)].article, article) for article in loaded.articles):
        return None  # it moves
    if any(record.warnings != plan.article_warnings.get(record.path, ()) for record in loaded.records):
        return None  # the full build reports its warnings in their place
    try:
        bodies = render_bodies(loaded.articles, plan.config, options.project.code_digest, cache, every_body=False)
    except GazetteError:
        return None
    entries, _ = make_entries(loaded.articles, [], bodies)
    if any(entry.body.images != now[str(entry.article.source_path)].body.images for entry in entries):
        return None  # its pictures are planned with the site's images
    return {**edited, **{str(entry.article.source_path): entry for entry in entries}}


def _planned_output(options: BuildOptions, cache: BuildCache, files: tuple[OutputFile, ...],
                    edited: set[int]) -> dict[str, str] | None:
    """The output's manifest, if it holds what the stored plan made but for the `edited` files
    (not so after an earlier build killed before it kept its plan, or an output folder replaced)."""
    live = cache.manifest(options.project.output, folder_id(options.project.output))
    if all(live.get(file.name) == file.fingerprint for index, file in enumerate(files) if index not in edited):
        return live
    return None


def _apply(options: BuildOptions, cache: BuildCache, stored: StoredPlan, edited: dict[str, Entry],
           index_of: dict[str, int], edits: PlanEdits) -> EditedInPlace | None:
    """The plan with the `edited` entries (article file -> entry) in place of the stored
    plan's, and the outputs of the pages that show them."""
    plan = stored.plan
    site = plan.site
    before = {name: site.entries[index_of[name]].article for name in edited}
    edited_articles = {index_of[name] for name in edited}
    affected = stored.covers.pages_covering(edited_articles)
    live = _planned_output(options, cache, stored.files, set(affected))
    if live is None:
        return None
    replacements = {}
    for name, entry in edited.items():
        index = index_of[name]
        replacements[id(site.entries[index])] = entry
        if site.finder is not None:
            site.finder.replace(index, entry.article)
    site = substitute(site, replacements)
    pages = list(plan.pages)
    for index in affected:
        page = pages[index]
        source = titled_by(page)
        title = edited[source].article.title if source in edited else page.title
        pages[index] = dataclasses.replace(page, title=title, context=substitute(page.context, replacements))
    record = read_published(options.project.published_file)
    updated = keep_published_in_place(record, [(before[name], entry.article) for name, entry in edited.items()],
                                      options.project.root)
    if updated is None:
        permanence = keep_published(record, pages[:stored.planned], site.entries, options.project.root)
        if ([page.route for page in permanence.redirects] != [page.route for page in pages[stored.planned:]]
                or permanence.moved or permanence.lost != plan.lost):
            return None  # an address found its article again, or lost it
        pages[stored.planned:] = permanence.redirects
        updated = permanence.record
    fingerprints = page_fingerprints([pages[index] for index in affected], stored.site_digest, stored.template_digests)
    files = list(stored.files)
    how = {}
    for index, fingerprint in zip(affected, fingerprints):
        files[index] = files[index]._replace(fingerprint=fingerprint)
        how[files[index].name] = FileSource(page=pages[index])
    plan = dataclasses.replace(plan, site=site, pages=pages, moved=[],
                               published=updated if updated != record else None)
    renderer = PageRenderer(options.project.template_layers, site, Urls(plan.config.base_url),
                            {page.route for page in pages}, bytecode_dir=options.cache_file.parent / "templates")
    return EditedInPlace(plan, OutputPlan(tuple(files), how), renderer, edits, live)


def _file_sum(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _load_plan(cache: BuildCache, plan_sum: str) -> StoredPlan | None:
    """The stored plan, if its file is the one `plan_sum` names and it unpickles."""
    path = cache.path.parent / PLAN_FILE
    try:
        if _file_sum(path) != plan_sum:
            return None
        with open(path, "rb") as file:
            stored = _Unpickler(file, cache).load()
    except Exception:  # noqa: BLE001 - unreadable, or written by other code: planned again
        return None
    return stored if isinstance(stored, StoredPlan) else None


class _Unpickler(pickle.Unpickler):
    """Gives the bodies' store of the cache that reads the plan back where the plan held the
    store it was made with (see `BodyStore.__reduce__`): the session closes it."""

    def __init__(self, file: io.BufferedIOBase, cache: BuildCache) -> None:
        super().__init__(file)
        self._cache = cache

    def find_class(self, module: str, name: str) -> object:
        if (module, name) != (BodyStore.__module__, BodyStore.__qualname__):
            return super().find_class(module, name)
        # Not a method of this unpickler: its memo holds what this returns, and a cycle
        # through it would leave the whole plan to the garbage collector (0.2 s at exit).
        cache, stores = self._cache, []
        return lambda _path: stores[0] if stores else stores.append(cache.body_store()) or stores[0]


def _loads(cache: BuildCache, data: bytes | None) -> object:
    """What `data` pickles; None when there is none or it does not unpickle (written by other
    code): the site is then planned again."""
    try:
        return _Unpickler(io.BytesIO(data), cache).load() if data else None
    except Exception:  # noqa: BLE001 - see above
        return None
