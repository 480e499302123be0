"""The archive's pages after articles of the kept plan left it and articles joined it among its
own (see gazette.build.shifted), as a plan of the whole site makes them (`pages.plan_archive`):
the pages of each month and year they left or joined, and the archive's. A month the plan lacks
(a story dated in a month with none) has its page made new, and so has its year if that is new
too; a month left without stories loses its page, and so does its year if no month is left."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from gazette.build import pages as planned
from gazette.build.kept_entries import as_cards, newest_change
from gazette.build.pages import Page
from gazette.build.wording import Wording
from gazette.model.site import Entry, MonthIndex, Teasers, YearIndex
from gazette.model.urls import archive_route, output_file


@dataclass
class ArchiveShift:
    again: list[tuple[Page, dict[str, object]]] = field(default_factory=list)  # the plan's pages, and their context now
    new: list[Page] = field(default_factory=list)  # pages the plan lacks
    gone: list[str] = field(default_factory=list)  # routes of the plan's pages that go
    # The archive's pages in the plan's order (the archive, then each year and its months, newest
    # first), where a month or a year came or went; else None.
    routes: tuple[str, ...] | None = None


def archive_shift(page_named: Callable[[str], Page | None], deleted: Sequence[Entry], inserted: Sequence[Entry],
                  words: Wording) -> ArchiveShift | None:
    """The archive's pages after the `deleted` stories left and the `inserted` ones (newest
    first) joined; `page_named(route)` reads the plan's page, as read now (without the deleted,
    with the inserted), or None where the plan has none. None where the archive is not the plan's."""
    archive = page_named(archive_route())
    if archive is None:
        return None
    shift = ArchiveShift()
    years = {year.year: list(year.months) for year in archive.context["years"]}
    touched = sorted({(entry.article.date.year, entry.article.date.month) for entry in (*deleted, *inserted)},
                     reverse=True)
    for year_number, month_number in touched:
        page = page_named(archive_route(year_number, month_number))
        months = years.setdefault(year_number, [])
        if page is None:  # a month of inserted stories alone
            month = MonthIndex(year_number, month_number, tuple(
                entry for entry in inserted if (entry.article.date.year, entry.article.date.month) == (year_number, month_number)))
            months.append(month)
            months.sort(key=lambda index: index.month, reverse=True)
            shift.new.append(planned.archive_month_page(month, words))
            continue
        entries = page.context["month"].entries
        if not entries:  # left without stories
            months[:] = [month for month in months if month.month != month_number]
            shift.gone.append(page.route)
            continue
        cards = as_cards(entries)  # unread: a month of a large archive has hundreds of stories
        shift.again.append((dataclasses.replace(page, modified=newest_change(cards)), {"entries": Teasers(cards)}))
    changed = bool(shift.new or shift.gone)
    for year_number in sorted({year for year, _ in touched}, reverse=True):
        page = page_named(archive_route(year_number))
        months = years[year_number]
        if not months:
            del years[year_number]
            shift.gone.append(page.route)
        elif page is None:
            shift.new.append(planned.archive_year_page(YearIndex(year_number, tuple(months)), words))
        elif changed:
            year = YearIndex(year_number, tuple(months))
            shift.again.append((dataclasses.replace(page, modified=newest_change(as_cards(year.months[0].entries))),
                                {"year": year}))
        else:  # its months as read
            shift.again.append((dataclasses.replace(
                page, modified=newest_change(as_cards(page.context["year"].months[0].entries))), {}))
    ordered = [YearIndex(year, tuple(years[year])) for year in sorted(years, reverse=True)]
    shift.again.append((archive, {"years": tuple(ordered)} if changed else {}))
    if changed:
        shift.routes = (archive_route(), *(route for year in ordered
                                           for route in (year.route, *(month.route for month in year.months))))
    return shift


def with_new_archive_pages(urls: list[planned.SitemapUrl], routes: Sequence[str] | None, new: Mapping[str, Page]) -> None:
    """Put into the sitemaps' `urls` the archive's new pages (of `new`, by output file) where a
    plan of the whole site lists them: each after the page before it in `routes`
    (`ArchiveShift.routes`; None: the archive's pages are as planned)."""
    for before, route in zip(routes or (), (routes or ())[1:]):
        page = new.get(output_file(route))
        if page is not None:
            urls.insert([url.route for url in urls].index(before) + 1, planned.SitemapUrl(route, page.modified))
