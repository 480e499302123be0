"""Plain pages (About...) edited in place (see gazette.build.in_place): a page whose text
changed, but not its title nor its pictures, is made again from the kept plan, and no other
page is. Every page shows the plain pages by their titles and addresses only, in its footer
(which the site's digest covers: `publish.page_renderer`), and a page's pictures are planned
with the site's images. So a plain page's new title or picture plans the whole site, as does a
page that does not read or render, or whose warnings are not the plan's (the whole plan warns
of it as it stands now), or a file of pages/ the plan has no page for."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from gazette.build.bodies import make_entries, render_bodies
from gazette.build.cache import BuildCache
from gazette.build.pages import Page
from gazette.build.plan_reader import PlanReader
from gazette.build.plan_store import PlanHead
from gazette.errors import GazetteError
from gazette.model.plain_pages import read_plain_pages
from gazette.model.site import PlainPageEntry
from gazette.model.urls import output_file

if TYPE_CHECKING:  # the pipeline calls the builds in place; these are its types
    from gazette.build.options import BuildOptions


def plain_pages_now(options: BuildOptions, cache: BuildCache, head: PlanHead,
                    carried: tuple[PlainPageEntry, ...] | None, changed: Sequence[str]) -> tuple[PlainPageEntry, ...] | None:
    """The site's plain pages now: the plan's (`head`), as the builds since left them
    (`carried`; None: as planned), with the `changed` files read and rendered; None where the
    change needs the whole plan (see the module's docstring)."""
    pages = carried if carried is not None else head.plain_pages
    if not changed:
        return pages
    planned = {str(entry.page.source_path): entry for entry in head.plain_pages}
    if any(name not in planned for name in changed):
        return None
    read, warnings, problems = read_plain_pages(list(changed), head.config)
    if problems:
        return None
    for name in changed:
        if [w for w in warnings if str(w.path) == name] != [w for w in head.warnings if str(w.path) == name]:
            return None
    try:
        bodies = render_bodies(read, head.config, options.project.code_digest, cache, every_body=False)
    except GazetteError:
        return None
    now = {str(entry.page.source_path): entry for entry in make_entries([], read, bodies)[1]}
    for name, entry in now.items():
        was = planned[name]
        if (entry.page.title, entry.page.route, entry.body.images) != (was.page.title, was.page.route, was.body.images):
            return None
    return tuple(now.get(str(entry.page.source_path), entry) for entry in pages)


def plain_pages_to_make(reader: PlanReader, pages: tuple[PlainPageEntry, ...]) -> dict[int, Page] | None:
    """The page of each of the plain `pages` (all of them, few as they are: one edited since the
    plan, then put back, is made as planned again), by place in the plan; None if the plan has
    no page for one."""
    made = {}
    for entry in pages:
        place = reader.place_of_file(output_file(entry.page.route))
        if place is None or place >= reader.head.pages:
            return None
        page = reader.page(place)
        made[place] = dataclasses.replace(page, context={**page.context, "plain": entry})
    return made
