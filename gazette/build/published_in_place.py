"""The record of published URLs (gazette.model.published) after a build in place (see
gazette.build.in_place): the lines of the edited articles say what they say now, and each
article added since the plan has its line; unless an address may lead elsewhere now, which
only `permanence.keep_published`, looking at every page, can tell."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from gazette.build.cache import BuildCache
from gazette.build.outputs import OutputKind
from gazette.build.pages import REDIRECT_TEMPLATE, Page
from gazette.build.permanence import ProjectNames, keep_published_in_place
from gazette.build.plan_reader import PlanReader
from gazette.build.publish import record_as_written
from gazette.model.article import Article
from gazette.model.published import (
    PublishedUrl,
    RecordText,
    format_published,
    read_published,
)
from gazette.model.site import Entry
from gazette.model.urls import output_file

if TYPE_CHECKING:
    from gazette.build.options import BuildOptions


def published_in_place(options: BuildOptions, cache: BuildCache, reader: PlanReader,
                       before: list[tuple[Article, Article]], pages: Mapping[int, Page], recorded: Sequence[Entry],
                       news: list[Entry], moved_from: Mapping[str, str] | None = None,
                       passed: Mapping[str, tuple[str, ...]] | None = None) -> dict[str, PublishedUrl] | str | None | bool:
    """The record of published URLs after the edits in place (`before`: (old, new) articles),
    with the addresses of the articles new in this build (of `news`, the articles added since
    the plan, those not `recorded` by an earlier build): its text, or the record whole; None
    where it stays as it is; False where an address may lead elsewhere now (`keep_published`
    must look at every page). `pages`: the plan's pages this build makes again; `moved_from`:
    the plan's route of each of the `news` that is a story of the plan moved, by file: that
    address takes the story's identity now, as its own does, and so do the addresses it had
    since (`passed`, by file: see `in_place.addresses_passed`), which redirect to it."""
    moved_from, passed = moved_from or {}, passed or {}
    path = options.project.published_file
    name_of = ProjectNames(options.project.root)
    known = {str(entry.article.source_path): entry for entry in recorded}
    fresh = [entry for entry in news if str(entry.article.source_path) not in known]
    renamed = []  # recorded since the plan, with another identity now: a story without `source:`, written on
    for entry in news:  # added since the plan, and built since: its address is in the record
        old = known.get(name := str(entry.article.source_path))
        if old is not None and old.article.route != entry.article.route:
            if old.article.route != moved_from.get(name) and old.article.route not in passed.get(name, ()):
                return False  # an address of a story added since, which only the whole plan redirects
            fresh.append(entry)  # a story of the plan moved away from its address of the last build
            continue
        if old is not None and old.article.identity != entry.article.identity:
            renamed.append(entry)
    # Addresses find articles by identity and file: with no identity changed since the plan, each
    # leads where it did and the record stays as it is (0.4 s to read at 100,000 articles).
    if not fresh and not renamed and not any(old.identity != new.identity for old, new in before):
        return None
    text = record_as_written(path, cache)  # then only the lines that name the edited articles are read
    needles = {needle for old, new in before for needle in (f"/{old.route}", name_of(old.source_path), old.identity, new.identity)}
    needles |= {needle for entry in (*fresh, *renamed) for needle in
                (f"/{entry.article.route}", name_of(entry.article.source_path), entry.article.identity)}
    record = text.records_naming(needles) if text is not None else read_published(path)
    for entry in fresh:
        name = str(entry.article.source_path)
        old_routes = [moved_from[name]] if name in moved_from else []
        if any(route != entry.article.route and route not in record for route in (*old_routes, *passed.get(name, ()))):
            return False  # moved from an address never published (a preview with drafts): no redirect there
    own = {entry.article.route: _line_of(entry, name_of) for entry in fresh}
    for published in record.values():
        for entry in fresh:
            article = entry.article
            if published.route in passed.get(str(article.source_path), ()) or \
                    published.route == article.route and published.file == own[article.route].file:
                continue  # its own line (written again after its deletion, or moved back), or an address it had
            if (published.route == article.route or
                    {published.file, published.identity} & {name_of(article.source_path), article.identity}) and \
                    not _an_article_page(reader, published.route):
                # An address of the plan's other pages, or none, may lead to the new article now
                # (see `keep_published`): the address it takes, a file or an identity. (The plan's
                # article page at its address is its own: a story of the plan moved.)
                return False
        for entry in renamed:  # its own lines aside, an address that its new identity may lead to it
            article = entry.article
            if published.route != article.route and published.identity == article.identity and \
                    published.route not in passed.get(str(article.source_path), ()) and \
                    not _an_article_page(reader, published.route):
                return False
    redirects = {page.route: page.context["target"] for page in pages.values() if page.template == REDIRECT_TEMPLATE}
    updated = keep_published_in_place(record, before, options.project.root, redirects,
                                      lambda published: _resolve(reader, published)) if before else record
    if updated is None:
        return False
    updated = {**updated, **{entry.article.route: _line_of(entry, name_of) for entry in renamed}}
    # A story of the plan moved since: where it stood, its address knows it by its identity now,
    # and so does its own, where the plan had it there.
    for entry in (*fresh, *renamed):
        name = str(entry.article.source_path)
        for old_route in ((moved_from[name],) if name in moved_from else ()) + passed.get(name, ()):
            if old_route in record:
                updated[old_route] = PublishedUrl(old_route, name_of(entry.article.source_path), entry.article.identity)
    updated.update((route, line) for route, line in own.items() if route in record)  # its identity now
    new_lines = {route: line for route, line in own.items() if route not in record}
    changed = {route: updated[route] for route in updated if updated[route] != record.get(route)}
    if not changed and not new_lines:
        return None
    if text is not None:
        written = text.with_records(changed)
        return RecordText(written, path).with_new_records(new_lines) or format_published(
            {**read_published(path), **changed, **new_lines})  # a longer address: every line is padded anew
    return {**updated, **new_lines}


def _line_of(entry: Entry, name_of: ProjectNames) -> PublishedUrl:
    """The line of the record that publishes `entry`'s article."""
    article = entry.article
    return PublishedUrl(article.route, name_of(article.source_path), article.identity)


def _an_article_page(reader: PlanReader, route: str) -> bool:
    """Whether the plan has an article's page at `route`: an address `keep_published` does not
    look up, whatever else names its file or identity."""
    place = reader.place_of_file(output_file(route))
    return place is not None and reader.file_at(place).kind is OutputKind.ARTICLE


def _resolve(reader: PlanReader, published: PublishedUrl) -> Article | None:
    """The article a published address belongs to now, as `keep_published` finds it: the last
    (oldest) with its identity, else the one in its file."""
    edited = reader.edited
    places = {place for place in reader.places_with_identity(published.identity)
              if place not in edited or edited[place].article.identity == published.identity}
    places |= {place for place, entry in edited.items() if entry.article.identity == published.identity}
    place = max(places) if places else reader.place_named(published.file)
    return reader.entry(place).article if place is not None else None
