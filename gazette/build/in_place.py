"""Edits in place: an edit that changes how articles read but not where they stand (a body, a
headline, a summary) is built from the last plan of the whole site, kept page by page beside
the cache (see gazette.build.plan_store), instead of planning the site again. Only the pages
whose fingerprints cover an edited article are read, fingerprinted and, if their fingerprint
changed, rendered, with the articles they show: by the fingerprints' contract no other page can
change (see `fingerprint.page_fingerprints`). An article page whose related stories are ranked
from a window the article is in, but that does not show it, keeps the live file's bytes under
its new fingerprint instead (`_same_as_live`).

New articles each dated after every other (the day's news) are built from it too: they take
places before the newest (see `newest.plan_newest`), and each build after them in place plans
their pages again, as it reads again the edits since the plan. So are articles of the plan
deleted since (a retraction), and new articles dated among the plan's (a backdated story): the
reader leaves the ones out (`PlanReader.remove`) and takes the others in where their dates put
them (`PlanReader.insert`), and `shifted.plan_shifted` plans the pages this changes, again in
each build after; the news are planned over the pages it left. An article of the plan moved
among the others (its date, slug, topics, tags or authors, its corrections:
`edited_files.moves_in_place`) is both: deleted where it stood, added where it stands; given
another address (a date in another month, a new slug), its old page is a redirect to the new,
as is each address it had since the plan (`addresses_passed`). A deleted file written again (an
undo) is an edit of the plan's article. The pictures of the articles added or moved since are
made for their pages (`images.catalog.added_pictures`), the pictures of static/ added since the
plan are copied, as a plan copies them, and the variants of those only the deleted articles
showed leave the output (`pages_in_place.variants_gone`). A file the plan has no page for (a
draft, a scheduled article: `edited_files.left_out_apart`), written on or deleted, changes no
page, unless it is published now: then it is news. An article taken back (`draft: true`) or put
off (dated after now) leaves as a deleted one does: one of the plan's is withdrawn
(`edited_files.read_edits`), one added or moved since is retired.

Anything else plans the whole site (`pipeline.gather`): a renamed file, a new one `plan_newest`
or `plan_shifted` does not plan, a deletion or move `plan_shifted` does not plan, a story moved
since to other addresses (each redirecting: `addresses_passed`) that is deleted or withdrawn,
two stories at one address, an edit of aliases or images, a template, site.toml, a picture of
static/ deleted or replaced (pictures added since the plan are copied:
`plan_edits.pictures_added_since_plan`), a file of static/ at a page's address or that
overrides the theme's (one edited, added or deleted is not: gazette.build.static_in_place), a
plain page but its text (see gazette.build.plain_in_place), Gazette's own code, the clock
reaching a scheduled article, a warning of the plan naming a draft or a scheduled article
edited, an edit after which a published address may lead elsewhere (see
`keep_published_in_place`), or an article that does not read or render (the full build reports
it, as ever). So does a build once the edits carried since the plan would cost more than
planning again (`plan_edits.max_edited`, `plan_edits.carried_too_long`)."""

from __future__ import annotations

import dataclasses
import pickle
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gazette.build.cache import BuildCache
from gazette.build.edited_files import (
    left_out_apart,
    left_out_as_draft,
    names_a_topic_warning,
    own_warnings_now,
    read_edits,
    read_news,
    scheduled_now,
)
from gazette.build.facts import PlanFacts, facts_in_place
from gazette.build.fingerprint import page_fingerprints, shown_before, shown_digest
from gazette.build.fragments import KeptFragments, fragment_scope
from gazette.build.inputs import FileStates
from gazette.build.keep_plan import STORE_FILE
from gazette.build.kept_outputs import KeptOutputs
from gazette.build.newest import split_news
from gazette.build.output import FileSource
from gazette.build.outputs import (
    OutputFile,
    OutputKind,
    page_kind,
    static_output,
    variant_output,
)
from gazette.build.pages import Page, redirect_page
from gazette.build.pages_in_place import pages_to_make
from gazette.build.plain_in_place import plain_pages_now, plain_pages_to_make
from gazette.build.plan_edits import (
    PlanEdits,
    carried_too_long,
    max_edited,
)
from gazette.build.plan_reader import PlanReader
from gazette.build.publish import PlannedOutput, planned_output
from gazette.build.published_in_place import published_in_place
from gazette.build.render import PageRenderer
from gazette.build.stages import StageClock
from gazette.build.static_in_place import static_changes
from gazette.images.catalog import CACHE_FOLDER as IMAGES_FOLDER
from gazette.images.catalog import AddedPictures, added_pictures
from gazette.model.site import Entry, RelatedStories, newest_first
from gazette.model.urls import Urls, output_file
from gazette.search.index import month_of

if TYPE_CHECKING:  # the pipeline calls this module; these are its types
    from gazette.build.options import BuildOptions


@dataclass(frozen=True)
class EditedInPlace:
    """A build's outputs (the pages made again, with their fingerprints; the rest as the last
    build left them), renderer and what it tells of the site, made from the kept plan."""

    facts: PlanFacts
    outputs: KeptOutputs
    renderer: PageRenderer
    edits: PlanEdits
    known: PlannedOutput  # the output, as checked to hold what the plan made but for the pages made again


def edit_in_place(options: BuildOptions, cache: BuildCache, edits: PlanEdits, changed: list[str],
                  states: FileStates, clock: StageClock, added: Sequence[str] = (),
                  gone: Sequence[str] = (), pictures_found: Mapping[str, tuple[str, int, int]] | None = None,
                  static_pictures: Mapping[str, tuple[str, int, int]] | None = None,
                  plain: Sequence[str] = (), statics: Mapping[str, tuple[str, int, int] | None] | None = None
                  ) -> EditedInPlace | None:
    """The build of the edits of the `changed` article files, of the `added` ones and of the
    deletion of the `gone` ones (`edited_articles`), from the kept plan; None when the site
    must be planned again (see the module's docstring, and `plan_edits.carried_too_long`).
    `states`: of every article file now; `pictures_found`: static/'s pictures, by name there ->
    (path, size, mtime), as `inputs.input_frame` found them; `static_pictures`: those added since
    the plan (`plan_edits.pictures_added_since_plan`), copied as a plan copies them; `plain`: the
    plain page files changed since the last build (see gazette.build.plain_in_place); `statics`:
    static/'s other files edited or added since the plan, and those deleted (None; see
    `plan_edits.statics_since_plan`)."""
    known_added = {str(entry.article.source_path): entry for entry in edits.added}
    # A file of the plan deleted since, then written again (an undo): an edit of the plan's article.
    restored = [name for name in added if name in edits.deleted]
    added = [name for name in added if name not in restored]
    # A story of the plan withdrawn since (taken back as a draft), written on: read again as well
    # (not one moved, which is added again where it stands).
    changed = list(dict.fromkeys([*changed, *restored]))
    restored += [name for name in changed if name in edits.deleted and name not in known_added and name not in restored]
    deleted = [*(name for name in edits.deleted if name not in restored),
               *(name for name in gone if name not in known_added)]  # the plan's (gazette.build.shifted)
    # The day's story deleted, then written again: the news again.
    retired = [*(entry for entry in edits.retired if str(entry.article.source_path) not in {*added, *restored}),
               *(known_added.pop(name) for name in gone if name in known_added)]
    reread = [name for name in changed if name in known_added]  # added since the plan, then edited
    changed = [name for name in changed if name not in known_added]
    news = {**known_added, **{name: None for name in (*reread, *added)}}
    entries = {name: entry for name, entry in edits.entries.items() if name not in deleted}
    due = edits.next_due is not None and options.now >= edits.next_due  # stories left the news sitemap
    static_pictures = dict(static_pictures or {})
    statics = dict(edits.statics if statics is None else statics)
    if edits.store_id is None or not (changed or news or gone or due or plain or static_pictures != edits.pictures
                                            or statics != edits.statics) or \
            len(entries.keys() | set(changed) | news.keys()) + len(retired) + len(deleted) > max_edited(len(states)):
        return None
    with clock.stage("open the kept plan"):
        reader = PlanReader.open(cache.path.parent / STORE_FILE, edits.store_id, cache)
    if reader is None or carried_too_long(edits, reader.head.pages):
        return None
    cache.close_with_cache(reader)  # the pages read from it are rendered later in the build
    try:
        plain_pages = plain_pages_now(options, cache, reader.head, edits.plain_pages, plain)
        if plain_pages is None:
            return None
        # The files the plan left out (drafts, scheduled articles): those written on are read
        # again, left out still (they show on no page) or published now.
        apart = left_out_apart(reader, changed, deleted)
        if apart is None:
            return None
        placed, deleted, left_out = apart
        news = {**news, **dict.fromkeys(name for name in changed if name in left_out)}
        changed = placed
        place_of = {name: reader.place_of(name) for name in entries.keys() | set(changed)}
        deleted_places = [reader.place_of(name) for name in deleted]
        if None in place_of.values() or any(reader.place_of(name) is not None for name in added):
            return None  # a file the plan has is not new
        with clock.stage("read and render the edits"):
            read = read_edits(options, cache, reader, {**entries, **{name: None for name in changed}},
                              place_of, states.stamps(changed))
            news_read = read_news(options, cache, reader, news, states.stamps([name for name, entry in news.items()
                                                                               if entry is None]))
        if read is None or news_read is None:
            return None
        # A story added or moved since the plan, taken back as a draft or put off: its pages go as
        # its deletion's would (one of the plan's is deleted already, unless moved to another
        # address: see `moves_in_place`).
        published = {str(entry.article.source_path) for entry in news_read.entries}
        retired = [*(entry for entry in retired if str(entry.article.source_path) not in published),
                   *(known_added[name] for name in reread if name not in published and (
                       name not in edits.deleted or
                       known_added[name].article.route != reader.entry(reader.place_of(name)).article.route))]
        if any(name not in published for name in edits.passed):
            return None  # a story with addresses of its own since the plan, deleted: the plan finds each lost
        edited, moved, edit_warnings, withdrawn = read
        # Taken back as drafts or put off to a later date: deleted, as far as the site goes.
        deleted += (withdrawn_files := [str(article.source_path) for article in withdrawn])
        deleted_places += [place_of[name] for name in withdrawn_files]
        put_off = [article for article in withdrawn if not left_out_as_draft(article, options)]
        scheduled = scheduled_now(reader.head.scheduled if edits.scheduled is None else edits.scheduled,
                                  {*left_out, *changed, *gone}, [*news_read.scheduled, *put_off])
        if any(names_a_topic_warning(article, reader.head.warnings) for place in deleted_places
               if str((article := reader.entry(place).article).source_path) not in published):  # not one moved
            return None  # the whole plan names the next story in that topic
        article_warnings = own_warnings_now(reader.head.article_warnings if edits.article_warnings is None
                                            else edits.article_warnings, set(gone), {**edit_warnings, **news_read.warnings})
        # An article moved among the others (`moves_in_place`): deleted where it stood, and
        # added where it stands now, as each build after carries it.
        deleted += list(moved)
        deleted_places += [place_of[name] for name in moved]
        new = newest_first([*news_read.entries, *moved.values()])
        if len({entry.article.route for entry in new}) < len(new):
            return None  # two stories at one address: the whole plan reports it
        pictures = added_pictures(new, lambda: {name: Path(path) for name, (path, _, _) in (pictures_found or {}).items()},
                                  cache, cache.path.parent / IMAGES_FOLDER, options.worker_count)
        if pictures is None:
            return None
        reader.remove(deleted_places)
        return _apply(options, cache, reader, edited, place_of, new, dataclasses.replace(
            edits, states=states.kept(), entries=edited, added=tuple(new), retired=tuple(retired),
            deleted=tuple(deleted), scheduled=scheduled, next_scheduled=min((article.date for article in scheduled),
                                                                            default=None), article_warnings=article_warnings,
            plain_pages=plain_pages if plain or edits.plain_pages is not None else None, statics=statics),
            edits, set(changed), pictures, static_pictures)
    except (sqlite3.Error, pickle.UnpicklingError):  # a store damaged since it was written: planned again
        return None


def _apply(options: BuildOptions, cache: BuildCache, reader: PlanReader, edited: dict[str, Entry],
           place_of: dict[str, int], news: list[Entry], edits: PlanEdits, last: PlanEdits, fresh: set[str],
           pictures: AddedPictures, static_pictures: Mapping[str, tuple[str, int, int]]) -> EditedInPlace | None:
    """The outputs of the pages that show the `edited` entries (article file -> entry), read
    from the kept plan with the edited entries in place of the planned ones, and of the pages
    the `news` (the articles added since the plan, newest first) change or add. `edits`: this
    build's, to keep; `last`: the last build's (in place), with the entries as it built them;
    `fresh`: the article files this build found edited; `pictures`: those of the `news`;
    `static_pictures`: see `edit_in_place`."""
    head = reader.head
    planned = {name: reader.original(place_of[name]) for name in edited}
    built = {name: last.entries.get(name) or planned[name] for name in edited}  # as the last build left each
    before = [(built[name].article, entry.article) for name, entry in edited.items()]
    reader.edit({place_of[name]: entry for name, entry in edited.items()})
    newest, inserted = split_news(reader, news)
    reader.insert(inserted)
    # The plan's articles deleted since, but those moved: each is added again where it stands now,
    # at its address or (its old one redirecting) at another.
    route_now = {str(entry.article.source_path): entry.article.route for entry in news}
    deleted, moved_away, moved_from = [], [], {}
    for place in sorted(reader.removed):
        entry = reader.entry(place)
        route = route_now.get(name := str(entry.article.source_path))
        if route is None:
            deleted.append(entry)
            continue
        moved_from[name] = entry.article.route
        if route != entry.article.route:
            moved_away.append((entry.article.route, route))
    passed = addresses_passed(moved_from, route_now, last)
    # The variants of the news' pictures that the plan's pages do not show already, and static/'s new pictures.
    variants = {name: path for name, path in pictures.variants.items() if reader.file_named(name) is None}
    if any(reader.file_named(name) is not None for name in static_pictures):
        return None  # the plan has a file there: the theme's picture of that name, say
    statics = static_changes(reader, edits.statics, edits.plan_statics, last.statics)
    if statics is None:
        return None
    to_make = pages_to_make(options, cache, reader, edited, place_of, planned, built, newest, edits, last, fresh,
                            pictures.pages, statics.names)
    if to_make is None:
        return None
    files, pages, new_files, gone = to_make.files, to_make.pages, to_make.new_files, to_make.gone
    now_at = {str(entry.article.source_path): entry.article for entry in news}
    for name, routes in passed.items():  # each redirects to where the story stands now
        for route in routes:
            file = output_file(route)
            if file in new_files or reader.file_named(file) is not None:
                return None  # another story's page there now
            gone.pop(file, None)
            new_files[file] = redirect_page(route, now_at[name])
    if edits.plain_pages is not None:
        plain_pages = plain_pages_to_make(reader, edits.plain_pages)
        if plain_pages is None:
            return None
        for place, page in plain_pages.items():
            files.setdefault(place, reader.file_at(place))
            pages[place] = page
    files.update((place, planned_file) for place, (planned_file, _) in statics.copied.items())
    if any(file.name in new_files for file in statics.added):
        return None  # a page's address: the whole plan reports the collision
    gone.update(dict.fromkeys(statics.removed, OutputKind.STATIC))
    gone_planned = {name: file.fingerprint for name in gone if (file := reader.file_named(name)) is not None}
    known = planned_output(options, cache, reader, {**{file.name: file.fingerprint for file in files.values()},
                                                     **dict.fromkeys([*new_files, *variants, *static_pictures,
                                                                      *(file.name for file in statics.added)]),
                                                     **dict.fromkeys(gone),
                                                     **gone_planned})
    if known is None:
        return None
    published = published_in_place(options, cache, reader, before, pages, last.added, news, moved_from, passed)
    if published is False:
        return None  # an address may lead elsewhere now: `keep_published` looks at every page
    fingerprints = page_fingerprints([*pages.values(), *new_files.values()], head.site_digest, head.template_digests)
    before, shown = _digests_before(edited, built), dict(last.shown)
    how = {}
    for (place, page), fingerprint in zip(pages.items(), fingerprints):
        file = files[place] = files[place]._replace(fingerprint=fingerprint)
        how[file.name] = FileSource(page=page, same_as=_same_as_live(
            reader, place, page, file, known.live.get(file.name, known.planned.get(file.name)), before, shown))
    for place, (_, file) in statics.copied.items():
        files[place] = file
        how[file.name] = FileSource(copy_from=file.sources[0])
    added = []
    for (name, page), fingerprint in zip(new_files.items(), fingerprints[len(pages):]):
        added.append(OutputFile(name, page_kind(page), (), fingerprint))
        how[name] = FileSource(page=page)
    for name, path in variants.items():  # as `outputs.plan_outputs` lists them
        added.append(variant_output(name))
        how[name] = FileSource(copy_from=path)
    for name, (path, size, mtime) in static_pictures.items():
        added.append(static_output(name, Path(path), size, mtime))
        how[name] = FileSource(copy_from=Path(path))
    for file in statics.added:
        added.append(file)
        how[file.name] = FileSource(copy_from=file.sources[0])
    months = dict(head.article_months)
    for file in added:
        month = month_of(file.name) if file.kind is OutputKind.ARTICLE else None
        if month is not None:
            months[month] = months.get(month, 0) + 1
    for route in [*(entry.article.route for entry in deleted), *(old for old, _ in moved_away)]:
        months[month_of(output_file(route))] -= 1
    # As `keep_published` reports a move: once, from each address the record has, to a new address.
    recorded = {entry.article.route for entry in last.added} | {route for routes in last.passed.values() for route in routes}
    first_moves = [(old, new) for old, new in moved_away if new not in recorded]
    first_moves += [(old, route_now[name]) for name, routes in passed.items() for old in routes
                    if route_now[name] not in recorded and route_now[name] != moved_from[name]]
    facts = facts_in_place(options, head, pages.values(), len(news) - len(reader.removed),
                           {entry.article.route for entry in news}, [*edits.retired, *deleted],
                           published, edits.scheduled, edits.article_warnings, sorted(first_moves))
    fragments = KeptFragments(cache, fragment_scope(head.site_digest, head.template_digests))
    if not fragments.any_kept():  # each card is made from its entry: read them all at once, before workers fork
        reader.read_cards()
    renderer = PageRenderer(options.project.template_layers, head.config, edits.plain_pages or head.plain_pages,
                            Urls(head.config.base_url),
                            head.menu_routes, bytecode_dir=options.cache_file.parent / "templates",
                            fragments=fragments)
    # The files the plan lacks, and those of the plan this build makes of another kind (a moved article's redirect).
    planned_files = reader.files_at(list(files))  # read in batches, not a query a file
    made = {**{name: kind for name, kind in edits.made.items() if name not in gone and reader.file_named(name) is None},
            **{file.name: file.kind for file in added},
            **{file.name: file.kind for place, file in files.items() if file.kind is not planned_files[place].kind}}
    return EditedInPlace(facts, KeptOutputs(reader, files, how, added,
                                            dict(sorted(months.items())) if news or deleted else None, gone, last.made),
                         renderer, dataclasses.replace(edits, next_due=facts.next_change, made=made, shown=shown,
                                                       carried_pages=last.carried_pages + to_make.carried, passed=passed,
                                                       shift_pages=to_make.shift_pages), known)


def addresses_passed(moved_from: Mapping[str, str], route_now: Mapping[str, str], last: PlanEdits
                     ) -> dict[str, tuple[str, ...]]:
    """The addresses each story of the plan moved since (`moved_from`: file -> the plan's route)
    had since the plan, but the plan's and the one it has now (`route_now`): its address of the
    last build, and those before it (`last.passed`). Each is in the record, and redirects."""
    last_route = {str(entry.article.source_path): entry.article.route for entry in last.added}
    passed = {}
    for name, planned in moved_from.items():
        had = (*last.passed.get(name, ()), last_route.get(name, planned))
        routes = tuple(dict.fromkeys(route for route in had if route not in (planned, route_now[name])))
        if routes:
            passed[name] = routes
    return passed


def _digests_before(edited: Mapping[str, Entry], built: Mapping[str, Entry]) -> dict[str, str]:
    """The digests (of the article, of its teaser) of the `edited` entries that changed since
    the last build, each mapped to the one it had then (`built`), for `shown_before`."""
    before = {}
    for name, entry in edited.items():
        for now, then in ((entry.article.digest, built[name].article.digest), (entry.teaser_digest, built[name].teaser_digest)):
            if now != then:
                before[now] = then
    return before


def _same_as_live(reader: PlanReader, place: int, page: Page, file: OutputFile, live: str | None,
                  before: Mapping[str, str], shown: dict[str, tuple[str, str]]) -> str | None:
    """The fingerprint of the `live` file, where `page` (the plan's page at `place`, made again
    as `file`, with another fingerprint) renders to its bytes; else None. Only a page with
    related stories can: every other shows all its fingerprint covers (see `shown_digest`).
    `shown`: by file, the fingerprints and shown digests of such pages that builds since the
    plan made anew; this one's join them. `before`: see `shown_before`."""
    if live is None or live == file.fingerprint or type(page.context.get("related")) is not RelatedStories:
        return None
    head = reader.head
    now = shown_digest(page, head.site_digest, head.template_digests)
    recorded = shown.get(file.name)
    shown[file.name] = (file.fingerprint, now)
    then = recorded[1] if recorded is not None and recorded[0] == live else \
        shown_before(reader.page(place), head.site_digest, head.template_digests, before, live)
    return live if then == now else None
