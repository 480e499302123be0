"""Builds in place checked against cold builds, step by step (see gazette.build.in_place)."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

from support.edits import built_as_cold, planned_again, story
from support.site import article

from gazette.build.pipeline import BuildOptions, build
from gazette.build.size import SEARCH_INDEX
from gazette.project import Project

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)  # the tests' clock


def keep_a_plan(site, tmp_path, now: datetime = NOW) -> None:
    """Build `site`, then an edit of one story: a build that planned the site after an edit of
    articles only keeps its plan, for the next edit to build in place."""
    built_as_cold(site, tmp_path, now)
    story(site, 29, body="A first fix.")
    assert planned_again(built_as_cold(site, tmp_path, now))


def each_built_in_place(site, tmp_path, steps, walked: bool = True, now: datetime = NOW):
    """Make each change of `steps` ((step, change) pairs) in turn: each builds in place, as a cold
    build makes it (output and record), and, if `walked`, measured as a walk measures the site.
    Returns the last build's report."""
    for step, change in steps:
        change()
        report = built_as_cold(site, tmp_path, now)
        assert not planned_again(report), step
        assert not walked or measured_as_a_walk(site, tmp_path, report, now), step
    return report


def news_and_a_retraction(site) -> list:
    """Steps for `each_built_in_place` on a `story_site`: the day's story, a story of the plan
    retracted, the day's story deleted; each carries what the steps before it edited."""
    return [
        ("the day's story", lambda: site.add("2021/news.md", article("News", "2021-07-01", body="Today."))),
        ("a story of the plan retracted", lambda: (site.root / "content/2021/story-3.md").unlink()),
        ("the day's story deleted", lambda: (site.root / "content/2021/news.md").unlink()),
    ]


def measured_as_a_walk(site, tmp_path, report, now: datetime = NOW) -> bool:
    """Whether a build in place measured the site from the files it changed as a build without
    a cache measures it, walking its output (but the search index, laid out otherwise)."""
    elsewhere = dataclasses.replace(Project.at(site.root), output=tmp_path / f"walked-{id(report)}")
    walked = build(BuildOptions(elsewhere, now=now, use_cache=False)).size
    return [kind for kind in report.size.by_kind if kind[0] != SEARCH_INDEX] == \
        [kind for kind in walked.by_kind if kind[0] != SEARCH_INDEX]


def scheduled(report) -> list[tuple[str, str]]:
    """The stories a build lists as scheduled: (file name, day)."""
    return [(article.source_path.name, f"{article.date:%Y-%m-%d}") for article in report.scheduled]
