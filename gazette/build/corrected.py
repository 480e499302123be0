"""Corrections made again in place: /corrections/ and its feed, as a plan of the whole site
makes them, from the kept plan's pages and the articles deleted and inserted since
(`shifted.plan_shifted`; an article whose corrections or `updated:` date change moves there,
see `edited_files.PLACING`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from gazette.build.pages import Page
from gazette.model.site import Entry, list_corrections


def corrections_again(page: Page, feed: Page, deleted: Sequence[Entry], inserted: Sequence[Entry],
                      feed_size: int) -> tuple[Page, Page] | None:
    """/corrections/ (`page`, as planned) and its `feed`, without the corrections of the
    `deleted` articles and with those of the `inserted` ones (an article moved is both); None
    where none is left: the page is then dated as the site is, which only the whole plan knows."""
    gone = {str(entry.article.source_path) for entry in deleted}
    corrected = {str(shown.entry.article.source_path): shown.entry for shown in page.context["corrections"]
                 if str(shown.entry.article.source_path) not in gone}
    corrected.update((str(entry.article.source_path), entry) for entry in inserted if entry.article.corrections)
    corrections = list_corrections(list(corrected.values()))
    if not corrections:
        return None
    return (dataclasses.replace(page, context={**page.context, "corrections": corrections},
                                modified=corrections[0].correction.date),
            dataclasses.replace(feed, context={**feed.context, "corrections": corrections[:feed_size]}))
