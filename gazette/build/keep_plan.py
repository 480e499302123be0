"""Keeping the plan of a build that planned the whole site, page by page beside the cache
(see gazette.build.plan_store), for the builds in place after it (gazette.build.in_place):
with each page, the articles its fingerprint covers, and the pages an article titles."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gazette.build.cache import BuildCache, manifest_base
from gazette.build.fragments import (
    MAX_FRAGMENTS_PER_ARTICLE,
    fragment_scope,
    scope_bounds,
)
from gazette.build.outputs import OutputPlan
from gazette.build.pages import ARTICLE_TEMPLATE, REDIRECT_TEMPLATE, Page
from gazette.build.permanence import ProjectNames
from gazette.build.plan_store import PlanHead, write_store
from gazette.build.render import menu_routes
from gazette.model.site import Entry

if TYPE_CHECKING:  # the pipeline calls this module; these are its types
    from gazette.build.pipeline import SitePlan

STORE_FILE = "last-plan.sqlite"  # beside the cache: the plan of the last build that planned the whole site

TITLED_BY_ARTICLE = (ARTICLE_TEMPLATE, REDIRECT_TEMPLATE)  # pages titled with the one article they are made from


def titled_by(page: Page) -> str | None:
    """The article file whose title `page` takes (its own page, an old address of it), if any."""
    if page.template in TITLED_BY_ARTICLE and len(page.sources) == 1:
        return str(page.sources[0])
    return None



def coverage_keys(entries: Sequence[Entry]) -> dict[str, int]:
    """What stands for each article among a page's fingerprint parts (see `page_fingerprints`'
    `covered`): its digest, for its place, where the page shows it whole; its teaser's digest,
    for its place plus the count of articles, where the page shows it as a `Teaser`."""
    keys = {entry.article.digest: place for place, entry in enumerate(entries)}
    keys.update((entry.teaser_digest, len(entries) + place) for place, entry in enumerate(entries))
    return keys


def store_plan(cache: BuildCache, plan: SitePlan, outputs: OutputPlan, covered: list[tuple[int, ...]],
               site_digest: str, template_digests: dict[str, str], root: Path) -> str:
    """Keep the plan of a build that planned the whole site (see gazette.build.plan_store);
    returns the id of its store. `covered`: for each page, the articles its fingerprint covers,
    as `coverage_keys` stands for them. Call `forget_plan` first: a build killed
    meanwhile must not pair this plan with older edits."""
    site = plan.site
    place_of = {str(entry.article.source_path): place for place, entry in enumerate(site.entries)}
    covers = []
    for page, articles in zip(plan.pages, covered):
        source = titled_by(page)
        if source in place_of and place_of[source] not in articles:
            articles = (*articles, place_of[source])
        covers.append(articles)
    head = PlanHead(plan.config, site.plain_pages, menu_routes({page.route for page in plan.pages}), len(site.entries),
                    len(plan.pages), len(plan.pages) - plan.kept_addresses,
                    len(outputs.files), manifest_base(outputs.fingerprints), outputs.article_months, outputs.plain_page_files,
                    site_digest, template_digests,
                    plan.warnings, plan.scheduled, plan.next_change, plan.lost, plan.article_warnings,
                    plan.article_warnings_at)
    store_id = secrets.token_hex(16)
    finder = site.finder
    name_of = ProjectNames(root)
    write_store(cache.path.parent / STORE_FILE, store_id, head, outputs.files, site.entries,
                [name_of(entry.article.source_path) for entry in site.entries], plan.pages,
                finder.neighbourhood if finder else None, finder.limit if finder else 0, covers)
    (cache.path.parent / "last-plan.pickle").unlink(missing_ok=True)  # what versions before the store kept
    cache.keep_fragments_between(*scope_bounds(fragment_scope(site_digest, template_digests)),
                                 MAX_FRAGMENTS_PER_ARTICLE * len(site.entries))
    return store_id
