"""What a shift of the kept plan (see gazette.build.shifted) leaves to a plan of the whole site,
as the articles deleted and inserted tell before any page is read: one with old addresses of
its own (`aliases:`), one whose identity another article has (of the plan, or added since: its
published address may lead there now), and an inserted one at an address the plan gives
another page. One that dates the site (or did) is the shift's: it dates the site anew."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from gazette.build.plan_reader import PlanReader
from gazette.model.site import Entry
from gazette.model.urls import output_file


def left_to_the_whole_plan(kept: PlanReader, deleted: Mapping[int, Entry], inserted: Sequence[int],
                           moved: Mapping[int, int], news: Sequence[Entry]) -> str | None:
    """The route of the first article of the shift that the whole plan must plan; None if none.
    `deleted`: the plan's articles deleted (or moved) since, by place; `inserted`: the places
    of those inserted; `moved`: inserted place -> the place it was deleted from; `news`: the
    articles added since, dated after the plan's."""
    others = [*(other for place, other in kept.edited.items() if place not in kept.removed), *news]
    for place, entry in deleted.items():
        reason = _check(entry, [*others, *(kept.entry(other) for other in inserted if moved.get(other) != place)],
                        [place for place in kept.places_with_identity(entry.article.identity) if place not in kept.removed])
        if reason is not None:
            return reason
    for place in inserted:
        entry = kept.entry(place)
        reason = _check(entry, [*others, *(kept.entry(other) for other in inserted if other != place)],
                        [other for other in kept.places_with_identity(entry.article.identity) if other not in kept.removed])
        if reason is not None:
            return reason
        was = kept.entry(moved[place]).article if place in moved else None
        if (was is None or was.route != entry.article.route) and kept.page_named(output_file(entry.article.route)) is not None:
            return entry.article.route  # the plan has another page there
    return None


def _check(entry: Entry, others: Sequence[Entry], same_identity: list[int]) -> str | None:
    article = entry.article
    if article.aliases:
        return article.route
    if same_identity or any(other.article.identity == article.identity for other in others):
        return article.route  # its address may lead to another now
    return None
