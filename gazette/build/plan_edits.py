"""What the builds since the kept plan (see gazette.build.in_place) did in place, kept in the
cache from one build to the next: the sources the plan stands for, the articles edited, added
and deleted since; which article files a build finds edited, added or gone against it; and
how long builds in place go on before the site is planned again (`max_edited`,
`carried_too_long`)."""

from __future__ import annotations

import dataclasses
import pickle
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from math import isqrt

from gazette.build.cache import BuildCache
from gazette.build.inputs import (
    STATIC_PICTURES,
    FileStates,
    InputFrame,
    KeptStates,
    pictures_digest,
)
from gazette.build.outputs import OutputKind
from gazette.build.plan_pickles import unpickle_with_bodies
from gazette.errors import Problem
from gazette.model.article import Article
from gazette.model.site import Entry, PlainPageEntry

PLAN_EDITS = "plan_edits"  # cache state: the PlanEdits of the builds since, in place
MIN_EDITED = 20  # articles a small site edits in place before it is planned again (see `max_edited`)
MIN_CARRIED_PAGES = 2_000  # pages read again for earlier edits before a small site is planned again


@dataclass(frozen=True)
class PlanEdits:
    """The sources the stored plan stands for, with what was edited in place since."""

    store_id: str | None  # the id of the kept plan's store (not one an earlier build left); None: none kept
    frame: str  # `pipeline.input_frame`: everything but the articles (and the pictures added since), as built
    states: KeptStates  # of every article file, as built
    entries: dict[str, Entry]  # article file -> its entry now, for those edited in place since
    next_due: datetime | None  # the plan's `next_change`: when the clock changes the site
    added: tuple[Entry, ...] = ()  # the articles added since, each dated after the plan's, as they are now
    retired: tuple[Entry, ...] = ()  # those of them deleted since: their published addresses answer no more
    deleted: tuple[str, ...] = ()  # the plan's article files deleted since (see gazette.build.shifted)
    # Files made since that the plan lacks, or has of another kind (a moved article's old page: its redirect), by kind.
    made: Mapping[str, OutputKind] = dataclasses.field(default_factory=dict)
    # Pages with related stories made anew since, by file: the fingerprint and `shown_digest` of each.
    shown: Mapping[str, tuple[str, str]] = dataclasses.field(default_factory=dict)
    news_alone: bool = False  # the build planned the site for articles added or deleted alone: the next may keep it
    carried_pages: int = 0  # pages the builds since read again for articles edited before them (see `carried_too_long`)
    shift_pages: int = 0  # the pages the last build made for the articles deleted, inserted and moved since (`shifted`)
    # When the clock publishes a scheduled article, which plans the site (the news sitemap's
    # stories leaving it with the clock are built in place: `next_due`).
    next_scheduled: datetime | None = None
    scheduled: tuple[Article, ...] | None = None  # the scheduled articles, where builds in place changed the plan's
    # Each article file's own warnings (of those with any), where builds in place changed the plan's.
    article_warnings: Mapping[str, tuple[Problem, ...]] | None = None
    pictures_listed: str = ""  # `InputFrame.pictures_listed`, as built: static/'s pictures
    # static/'s pictures added since the plan, by name there -> (path, size, mtime): the builds in place copy them.
    pictures: Mapping[str, tuple[str, int, int]] = dataclasses.field(default_factory=dict)
    plain_states: Mapping[str, str] = dataclasses.field(default_factory=dict)  # `InputFrame.plain_pages`, as built
    # The site's plain pages now, where builds in place changed the plan's (gazette.build.plain_in_place).
    plain_pages: tuple[PlainPageEntry, ...] | None = None
    # static/'s files but the pictures (`InputFrame.statics`), as planned; and those changed since, as last
    # copied (None: deleted).
    plan_statics: Mapping[str, tuple[str, int, int]] = dataclasses.field(default_factory=dict)
    statics: Mapping[str, tuple[str, int, int] | None] = dataclasses.field(default_factory=dict)
    # The addresses each story of the plan moved since had since the plan, but the plan's and its own now, by file.
    passed: Mapping[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)


def max_edited(articles: int) -> int:
    """How many articles may be edited, added or deleted in place before the site is planned
    again. Each one costs every later build in place a little (its pages are planned again:
    2 to 4 ms, at 10,000 and 100,000 articles), and planning the site costs in proportion to
    the archive (4 s and 50 s more than a build in place, keeping its plan): over a run of
    edits, the count that costs least grows with the square root of the archive's size
    (about half of it, by these figures: `bench/news_day.py`)."""
    return max(MIN_EDITED, isqrt(articles) // 2)


# A page that a deletion carried from an earlier build makes again costs about twice what
# planning it does: it lists again the stories it shows, as cards unread (0.36 ms against 0.16 ms
# at 10,000 articles, 0.30 ms against 0.23 ms at 100,000: a body edit's `build --timings` with a
# deletion from the middle of the archive carried and without; it was five times before the cards).
CARRIED_DELETION_PAGE = 2


def carried_too_long(edits: PlanEdits, plan_pages: int) -> bool:
    """Whether the pages the builds in place since the plan read again for articles edited
    before them add up to more than the plan's own `plan_pages`: reading a page in place
    costs about what planning it does (0.3 to 0.4 ms at 10,000 articles), so from there on
    carrying the edits costs more than a plan. An article edited again and again carries
    nothing; each headline of another article carries its 80 or so pages into every build, and
    a deletion its pages, each counted `CARRIED_DELETION_PAGE` times."""
    return edits.carried_pages > max(plan_pages, MIN_CARRIED_PAGES)


def store_edits(cache: BuildCache, edits: PlanEdits) -> None:
    cache.store_state(PLAN_EDITS, pickle.dumps(edits, pickle.HIGHEST_PROTOCOL))


def forget_plan(cache: BuildCache) -> None:
    cache.store_state(PLAN_EDITS, b"")


def last_edits(cache: BuildCache) -> PlanEdits | None:
    """What the last build kept of its sources and plan, if anything."""
    edits = _loads(cache, cache.state(PLAN_EDITS))
    # Kept by an older Gazette, it may lack a field: the site is planned again.
    complete = isinstance(edits, PlanEdits) and all(field.name in vars(edits) for field in dataclasses.fields(PlanEdits))
    return edits if complete else None


def pictures_added_since_plan(frame: InputFrame, edits: PlanEdits | None, cache: BuildCache
                              ) -> dict[str, tuple[str, int, int]]:
    """The pictures of static/ added since the plan that `edits` stand for (a story's new
    photo), as they are now: those added before the last build, and those it did not list
    (`STATIC_PICTURES`, kept whenever they change). The frame leaves them out (`InputFrame.without`),
    so that any other change to static/, a picture of the plan's replaced say, plans the site."""
    if edits is None:
        return {}
    new: list[str] = []
    if frame.pictures_listed != edits.pictures_listed:
        last = cache.state_object(STATIC_PICTURES)
        if not isinstance(last, dict) or pictures_digest(last) != edits.pictures_listed:
            return {}  # not known: each counts as changed
        new = [name for name in frame.pictures if name not in last]
    return {name: frame.pictures[name] for name in (*edits.pictures, *new) if name in frame.pictures}


def keep_pictures_listed(cache: BuildCache, frame: InputFrame, edits: PlanEdits | None) -> None:
    """Keep static/'s pictures as this build found them, where they changed since the last."""
    if edits is None or edits.pictures_listed != frame.pictures_listed:
        cache.store_state_object(STATIC_PICTURES, frame.pictures)


def plain_pages_changed(edits: PlanEdits | None, frame: InputFrame) -> list[str]:
    """The plain page files changed since the build that left `edits` (`frame`: as they are now)."""
    if edits is None:
        return []
    return [name for name, state in frame.plain_pages.items() if edits.plain_states.get(name) != state]


def statics_since_plan(edits: PlanEdits, frame: InputFrame) -> dict[str, tuple[str, int, int] | None]:
    """The files of static/ but the pictures edited or added since the plan that `edits` stand
    for (a style sheet, an attachment), as they are now (`frame`), and those deleted (None):
    each build in place copies or removes them (gazette.build.static_in_place)."""
    changed: dict[str, tuple[str, int, int] | None] = {
        name: stamp for name, stamp in frame.statics.items() if edits.plan_statics.get(name) != stamp}
    changed.update((name, None) for name in edits.plan_statics if name not in frame.statics)
    return changed


def edited_articles(edits: PlanEdits | None, frame: str, states: FileStates, now: datetime,
                    new_files: Sequence[str] = (), gone_files: Sequence[str] = ()
                    ) -> tuple[list[str], list[str], list[str]]:
    """The article files edited since the last build, those added (of `new_files`, the files
    its listings did not have) and those gone (`gone_files`), when nothing else changed: no
    other file removed or renamed, no other input (`frame`: `pipeline.input_frame` now), and
    the clock has not changed the site; else none. `states`: of every article file now."""
    nothing: tuple[list[str], list[str], list[str]] = ([], [], [])
    if not only_articles_changed(edits, frame, now):
        return nothing
    added = list(new_files)
    changed = (states.without(added) if added else states).changed_since(edits.states, gone_files)
    return (changed, added, list(gone_files)) if changed is not None else nothing


def only_articles_changed(edits: PlanEdits | None, frame: str, now: datetime) -> bool:
    """Whether, since the build that left `edits`, nothing but the article files changed: no
    other input (`frame`: `pipeline.input_frame` now), and the clock has published no scheduled
    article (it may have taken stories off the news sitemap, which a build in place makes again)."""
    return edits is not None and edits.frame == frame and (edits.next_scheduled is None or now < edits.next_scheduled)


def _loads(cache: BuildCache, data: bytes | None) -> object:
    """What `data` pickles; None when there is none or it does not unpickle (written by other
    code): the site is then planned again."""
    try:
        return unpickle_with_bodies(data, cache) if data else None
    except Exception:  # noqa: BLE001 - see above
        return None
