"""What the end of a build needs of its plan (`PlanFacts`), whether the build planned the
whole site (`pipeline.SitePlan`) or built an edit in place from the kept plan (`facts_in_place`)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from gazette.build.pages import Page, news_expiry
from gazette.build.permanence import ProjectNames, lost_address, warned
from gazette.errors import Problem
from gazette.model.article import Article
from gazette.model.config import SiteConfig
from gazette.model.published import PublishedUrl
from gazette.model.site import Entry
from gazette.model.urls import NEWS_SITEMAP_ROUTE

if TYPE_CHECKING:  # the pipeline and the plan store call this module; these are their types
    from gazette.build.options import BuildOptions
    from gazette.build.plan_store import PlanHead


@dataclass(frozen=True)
class PlanFacts:
    config: SiteConfig
    articles: int  # published in this build
    warnings: list[Problem]
    scheduled: list[Article]
    moved: list[tuple[str, str]]  # (old, new) routes of articles that moved in this build
    # The record of published URLs when this build changes it: by route, or (an edit in place) its new text.
    published: dict[str, PublishedUrl] | str | None
    next_change: datetime | None  # see `SitePlan.next_change`


def facts_in_place(options: BuildOptions, head: PlanHead, pages: Iterable[Page], news: int, answered: Collection[str],
                    retired: Sequence[Entry], published: dict[str, PublishedUrl] | str | None,
                    scheduled: Sequence[Article], article_warnings: Mapping[str, Sequence[Problem]],
                    moved: Sequence[tuple[str, str]] = ()) -> PlanFacts:
    """The plan's facts after this build: `news` articles more (fewer, where more of the plan's
    are deleted), the addresses of the `retired` lost (the plan's articles deleted since, and
    those added since, then deleted) but those the articles added since answer (`answered`: their
    routes; a story deleted before the plan, written again), the `scheduled` articles, the `article_warnings` (by file:
    each article's own), the articles `moved` to another address first in this build ((old,
    new) routes), and the news sitemap's next change, else the plan's, else the time of the
    next scheduled article."""
    next_scheduled = min((article.date for article in scheduled), default=None)
    news_sitemap = next((page for page in pages if page.route == NEWS_SITEMAP_ROUTE), None)
    # The plan's next change, until the clock passes it, or the next scheduled article's, if sooner
    # (one scheduled since).
    planned = min(filter(None, [head.next_change if head.next_change is not None and options.now < head.next_change else None,
                                next_scheduled]), default=None)
    next_change = min(filter(None, [planned, news_sitemap and news_expiry(news_sitemap.context["entries"],
                                                                          options.now)]), default=None)
    # The plan's warnings end with its lost addresses (`pipeline.gather`), in the order of their
    # routes, as their messages sort: the addresses of the articles deleted since join them.
    name_of = ProjectNames(options.project.root)
    retired = list({entry.article.route: entry for entry in retired}.values())  # a moved article, deleted since
    found_again = {lost_address(route, "").message for route in answered}
    lost = sorted([*(problem for problem in head.lost if problem.message not in found_again),
                   *(lost_address(entry.article.route, name_of(entry.article.source_path)) for entry in retired)],
                  key=lambda problem: problem.message)
    # The articles' own warnings stand where the plan's do, in the order of their files.
    start, planned_count = head.article_warnings_at, sum(map(len, head.article_warnings.values()))
    own = [warning for name in sorted(article_warnings) for warning in article_warnings[name]]
    warnings = [*head.warnings[:start], *own, *head.warnings[start + planned_count:len(head.warnings) - len(head.lost)],
                *map(warned, lost)]
    return PlanFacts(head.config, head.articles + news, warnings, list(scheduled), list(moved), published or None,
                     next_change)
