"""What the end of a build needs of its plan (`PlanFacts`), whether the build planned the
whole site (`pipeline.SitePlan`) or built an edit in place from the kept plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from gazette.errors import Problem
from gazette.model.article import Article
from gazette.model.config import SiteConfig
from gazette.model.published import PublishedUrl


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
