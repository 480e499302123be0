"""Which pages a build in place makes (see gazette.build.in_place): those that show an edited
article, those the plan's articles deleted, inserted and moved since change or leave
(`shifted.plan_shifted`), those the news change or add (`newest.plan_newest`), the news
sitemap once stories have left it, and the pages earlier builds in place changed that this
one does not (back to the plan's, or gone); with what they cost the builds that carry them."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gazette.build.cache import BuildCache
from gazette.build.keep_plan import titled_by
from gazette.build.newest import news_planned_here, plan_newest
from gazette.build.output import folder_id
from gazette.build.outputs import OutputFile, OutputKind, page_kind
from gazette.build.pages import ListTemplates, Page, news_entries
from gazette.build.plan_edits import CARRIED_DELETION_PAGE, PlanEdits
from gazette.build.plan_reader import PlanReader
from gazette.build.shifted import Shift, plan_shifted
from gazette.images.catalog import Pictures
from gazette.model.site import Entry
from gazette.model.urls import NEWS_SITEMAP_ROUTE, output_file

if TYPE_CHECKING:  # the pipeline calls the builds in place; these are its types
    from gazette.build.options import BuildOptions


@dataclass(frozen=True)
class PagesToMake:
    files: dict[int, OutputFile]  # the plan's files made again, by place
    pages: dict[int, Page]  # and their pages
    new_files: dict[str, Page]  # the pages of files the plan lacks, by file
    gone: dict[str, OutputKind]  # the files that leave the output, with their kinds
    # How many of the pages it reads only for the articles edited or deleted before this build
    # (weighed: see `CARRIED_DELETION_PAGE`), and how many pages the articles deleted, inserted
    # and moved since take (`PlanEdits.shift_pages`).
    carried: int
    shift_pages: int


def pages_to_make(options: BuildOptions, cache: BuildCache, reader: PlanReader, edited: dict[str, Entry],
                  place_of: dict[str, int], planned: dict[str, Entry], built: dict[str, Entry],
                  news: list[Entry], edits: PlanEdits, last: PlanEdits, fresh: set[str],
                  pictures: Mapping[str, Pictures], static_files: Collection[str] = ()) -> PagesToMake | None:
    """The pages a build in place makes (see `PagesToMake`); None when the change needs the
    whole plan. `planned` and `built`: the edited articles' entries as
    the plan and the last build had them; `last`: the last build's edits; `pictures`: those of
    the pages of the articles added since; `static_files`: the files of static/ the build copies
    again, adds or removes (gazette.build.static_in_place)."""
    head = reader.head
    # The pages that show an edited article as a teaser only change if its teaser does: from
    # the plan's, or from the last build's (a headline put back as planned).
    teasers = {place_of[name] for name, entry in edited.items()
               if {planned[name].teaser_digest, built[name].teaser_digest} != {entry.teaser_digest}}
    # The plan's deleted articles and those added among its own first, then the news over the
    # pages they left (the news take places before the plan's).
    templates = ListTemplates.of(options.project.template_layers.is_theme_file)
    if news and not news_planned_here(reader, news, templates):
        return None  # before the shift is planned: a story at an address the plan has, say
    shift = plan_shifted(reader, options.now, templates, news, pictures) if reader.removed or reader.inserted else Shift()
    if shift is None:
        return None
    made = plan_newest(reader, news, options.now, templates, shift, pictures) if news else []
    if made is None:
        return None
    # The pages of the articles added since, then deleted, are gone, as are those of the plan's
    # deleted articles and the pages their lists no longer fill (but those the news fill again).
    gone = {(name := output_file(entry.article.route)): edits.made.get(name, OutputKind.ARTICLE)
            for entry in (*edits.retired, *map(reader.entry, reader.removed))}  # a moved one's old page: a redirect
    gone.update((output_file(route), reader.file_named(output_file(route)).kind) for route in shift.gone)
    gone.update(dict.fromkeys(variants_gone(reader, pictures.values()), OutputKind.IMAGE))
    for page in (*shift.pages.values(), *shift.new.values(), *made):  # a moved article's own, say
        gone.pop(page.output_file, None)
    own = {place_of[name] for name in edited if name in fresh}
    earlier = {place_of[name] for name in edited} - own
    own_pages = set(reader.pages_covering(own, teasers & own))
    carried = set(reader.pages_covering(earlier, teasers & earlier)) - own_pages
    affected = sorted((own_pages | carried) - {reader.place_of_file(name) for name in gone})
    files = reader.files_at(affected)
    pages = {place: titled_as_edited(reader.page(place), edited) for place in affected}
    for place, page in shift.pages.items():  # the pages the plan's deleted and inserted articles change
        file = files.get(place) or reader.file_at(place)
        # A moved article's old page is its redirect now.
        files[place] = file if file.kind is page_kind(page) else file._replace(kind=page_kind(page))
        pages[place] = page
    new_files = dict(shift.new)  # the pages the plan does not have, by file
    for page in made:  # over the plan's pages (as the shift left them), or new
        place = reader.place_of_file(page.output_file)
        if place is None:
            new_files[page.output_file] = page
        elif place < head.pages:
            files.setdefault(place, reader.file_at(place))
            pages[place] = page
        else:
            return None  # a file that is not a page (static/, say)
    # Once the clock passed the plan's next change, stories have left the news sitemap.
    news_sitemap = reader.place_of_file(output_file(NEWS_SITEMAP_ROUTE))
    if head.next_change is not None and options.now >= head.next_change and news_sitemap is not None and \
            news_sitemap not in pages:
        page = reader.page(news_sitemap)
        files.setdefault(news_sitemap, reader.file_at(news_sitemap))
        pages[news_sitemap] = dataclasses.replace(page, context={
            **page.context, "entries": news_entries(reader.entries(), options.now)})
    # Of the files the builds since the plan changed that this one does not make, those of the
    # plan go back to its pages, with the edits (a page of a tag an added article has left); the
    # others are gone too (a page of a tag, a month, a list's new page that only a deleted article made).
    if gone.keys() & new_files.keys():
        return None
    output = options.project.output
    since = cache.manifest_changes(output, folder_id(output))
    if (news or reader.inserted or edits.retired or reader.removed or last.deleted or last.pictures) \
            and since is not None and since[0] == head.files_base:
        back = since[1].keys() - {file.name for file in files.values()} - new_files.keys() - gone.keys() - set(static_files)
        places = reader.places_of_files(back)  # read at once: 3,700 pages put back after an add at 100,000 articles
        for name in back - places.keys():
            if name not in edits.made:
                return None
            gone[name] = edits.made[name]
        if any(place >= head.pages for place in places.values()):
            return None  # a file that is not a page (static/, say)
        files.update(reader.files_at(places.values()))
        pages.update((place, titled_as_edited(page, edited)) for place, page in reader.pages(places.values()).items())
    # A deletion, insertion or move carried from an earlier build costs each build its pages, as
    # an edit's do: as many as the last build made for them, at most (not those of this build's own).
    added_before = {str(entry.article.source_path) for entry in last.added}
    shift_carried = last.deleted or any(str(entry.article.source_path) in added_before for entry in reader.inserted.values())
    shift_pages = len(shift.pages) + len(shift.new)
    return PagesToMake(files, pages, new_files, gone, len(carried) + (
        CARRIED_DELETION_PAGE * min(shift_pages, last.shift_pages) if shift_carried else 0), shift_pages)


def variants_gone(reader: PlanReader, shown: Iterable[Pictures]) -> list[str]:
    """The variants of the images that the plan's articles deleted since showed, and that no
    other article (of the plan, or `shown` by those added since) nor plain page shows: they
    leave the output with the last that showed them, as in a plan of the whole site."""
    shown_now = {image.source.name for pictures in shown for image in pictures.images()}
    shown_now.update(name for page in reader.head.plain_pages for name in page.body.images)
    gone = []
    for place in sorted(reader.removed):
        entry = reader.entry(place)
        if not (entry.article.image or entry.body.images):
            continue
        for image in reader.page_named(output_file(entry.article.route)).context["pictures"].images():
            if image.source.name not in shown_now and \
                    all(other in reader.removed for other in reader.places_showing(image.source.name)):
                gone += [variant.name for variant in image.variants if reader.file_named(variant.name) is not None]
    return gone


def titled_as_edited(page: Page, edited: Mapping[str, Entry]) -> Page:
    """`page` as the plan has it, titled with its article's headline now if it takes its title
    from an edited one (`titled_by`)."""
    source = titled_by(page)
    return dataclasses.replace(page, title=edited[source].article.title) if source in edited else page
