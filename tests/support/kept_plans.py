"""A kept plan of a small site and the plan of the whole site after a change, side by side:
what the planners of a build in place (gazette.build.newest, gazette.build.shifted) make from
the one must be what the other makes anew."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from gazette.build import keep_plan
from gazette.build.edited_files import stays_in_place
from gazette.build.fingerprint import page_fingerprints
from gazette.build.pages import Page
from gazette.build.pipeline import BuildOptions, gather
from gazette.build.plan_reader import PlanReader
from gazette.build.publish import page_renderer, site_outputs
from gazette.build.session import BuildSession
from gazette.model.site import Entry
from gazette.project import Project
from support.site import SiteDir


class PlannedWith(NamedTuple):
    reader: PlanReader  # the kept plan, before the change
    added: list[Entry]  # the entries of the stories the change added
    before: dict[str, str]  # route -> fingerprint, as the kept plan has them
    after: dict[str, str]  # as the plan of the whole site after the change has them
    fingerprints: Callable[[list[Page]], dict[str, str]]  # of pages, under the plan's digests
    removed: list[str]  # the article files the change deleted
    moved: list[Entry]  # the entries of the stories the change moved among the others (a date fixed, a tag changed)


def planned_with(site: SiteDir, session: BuildSession, change: Callable[[SiteDir], object],
                 now: datetime) -> PlannedWith:
    """The kept plan of `site`, then the plan of the whole site after `change`."""
    options = BuildOptions(Project.at(site.root), now=now)
    before = gather(options, session)
    _, site_digest, template_digests = page_renderer(options, before, session.cache)
    covered: list[tuple[int, ...]] = []
    outputs = site_outputs(options, before, site_digest, template_digests,
                           (keep_plan.coverage_keys(before.site.entries), covered))
    store_id = keep_plan.store_plan(session.cache, before, outputs, covered, site_digest, template_digests, site.root)
    reader = PlanReader.open(session.cache.path.parent / keep_plan.STORE_FILE, store_id, session.cache)
    session.cache.close_with_cache(reader)
    known = {str(entry.article.source_path): entry for entry in before.site.entries}
    change(site)
    after = gather(options, session)
    now_known = {str(entry.article.source_path) for entry in after.site.entries}
    added = [entry for entry in after.site.entries if str(entry.article.source_path) not in known]
    moved = [entry for entry in after.site.entries if (was := known.get(str(entry.article.source_path))) is not None
             and not stays_in_place(was.article, entry.article)]

    def fingerprints(pages: list[Page]) -> dict[str, str]:
        return dict(zip((page.route for page in pages), page_fingerprints(pages, site_digest, template_digests)))

    return PlannedWith(reader, added, fingerprints(before.pages), fingerprints(after.pages), fingerprints,
                       sorted(known.keys() - now_known), moved)
