"""The day's news planned from the kept plan (gazette.build.newest): the pages it makes are
exactly those a plan of the whole site with the new stories makes differently, fingerprint for
fingerprint, and it leaves to that plan what it does not plan."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from support.edits import story, story_site
from support.kept_plans import planned_with

from gazette.build.newest import Prepended, plan_newest
from gazette.build.pages import ListTemplates
from gazette.build.pipeline import BuildOptions
from gazette.build.session import BuildSession
from gazette.project import Project

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)


DAYS_NEWS = {
    "one story": lambda site: story(site, 30, date="2021-06-30T12:00:00", topics="[AI]", tags="[tag1]"),
    # Of 29 stories (30 would give the home page an eighth page), none of their lists gaining a page.
    "two at once, one in two topics": lambda site: (
        story(site, 30, date="2021-06-30T12:00:00", topics="[AI]", tags="[tag1]"),
        story(site, 31, date="2021-06-30T13:00:00", topics="[Energy, Robotics]", tags="[tag2, tag0]")),
    # New terms take their places among the others: on the pages listing them, and in the sitemaps.
    "a new tag": lambda site: story(site, 30, date="2021-06-30T12:00:00", topics="[AI]", tags="[tag1, brand-new]"),
    "a new topic, the last": lambda site: story(site, 30, date="2021-06-30T12:00:00", topics="[Zoology]", tags="[tag1]"),
    "two new tags side by side, the last": lambda site: story(site, 30, date="2021-06-30T12:00:00", topics="[AI]",
                                                               tags="[zz-two, zz-one]"),
    "a new month": lambda site: story(site, 30, date="2021-07-01T12:00:00", topics="[AI]", tags="[tag1]"),
    "a new year": lambda site: story(site, 30, date="2022-01-01T12:00:00", topics="[AI]", tags="[tag1]"),
    "the month's last and the next two months' first": lambda site: (
        story(site, 30, date="2021-06-30T12:00:00", topics="[AI]", tags="[tag1]"),
        story(site, 31, date="2021-07-01T12:00:00", topics="[AI]", tags="[tag2]"),
        story(site, 32, date="2021-08-01T12:00:00", topics="[AI]", tags="[tag3]")),
    "the year's last and the next two years' first": lambda site: (
        story(site, 30, date="2021-12-31T12:00:00", topics="[AI]", tags="[tag1]"),
        story(site, 31, date="2022-01-01T12:00:00", topics="[AI]", tags="[tag2]"),
        story(site, 32, date="2023-01-01T12:00:00", topics="[AI]", tags="[tag3]")),
    # 30 stories, four to a page: the 32nd makes the home page's page 8, and Robotics' 12th its page 3.
    "two making a page": lambda site: (
        story(site, 30, date="2021-06-30T12:00:00", topics="[AI, Robotics]", tags="[tag1]"),
        story(site, 31, date="2021-06-30T13:00:00", topics="[AI, Robotics]", tags="[tag1]")),
}


@pytest.mark.parametrize("news", DAYS_NEWS.values(), ids=DAYS_NEWS.keys())
def test_the_days_news_makes_exactly_the_pages_a_whole_plan_makes_anew(tmp_path, news):
    site = story_site(tmp_path / "site")
    if news is DAYS_NEWS["two at once, one in two topics"]:
        (site.root / "content/2021/story-2.md").unlink()
    options = BuildOptions(Project.at(site.root), now=NOW)
    with BuildSession(options.cache_file) as session:
        reader, added, before, after, fingerprints, *_ = planned_with(site, session, news, NOW)
        made = plan_newest(reader, added, NOW, ListTemplates())
        assert made is not None
        mine = fingerprints(made)
    changed = {route for route, fingerprint in after.items() if before.get(route) != fingerprint}
    assert {route for route, fingerprint in mine.items() if before.get(route) != fingerprint} == changed
    assert {route: mine[route] for route in mine} == {route: after[route] for route in mine}
    # What it touches, of the story site (four to a page): its page and its older neighbour's,
    # page 1 of each list it is on, with the feeds, and the lists of lists and the archive.
    assert {"2021/06/story-29/", "", "feed.xml", "archive/", "topics/", "sitemap.xml"} <= changed
    if len(added) > 2:  # the home page's page 8, and the three whose pager changes
        assert {route for route in changed if route.startswith("page/")} == {"page/8/", "page/7/", "page/6/", "page/5/"}
    elif news is DAYS_NEWS["two making a page"]:  # the same, and Robotics' page 3
        assert {route for route in changed if route.startswith("page/")} == {"page/8/", "page/7/", "page/6/", "page/5/"}
        assert {"topics/robotics/page/3/", "topics/robotics/page/2/"} <= changed
    else:
        assert not any(route.startswith(("page/", "topics/ai/page/")) for route in changed)


def test_of_numbered_sitemaps_it_makes_only_those_the_news_changes(tmp_path, monkeypatch):
    # The articles are listed oldest first, before every other page: the sitemaps that list
    # only older articles stay as planned, and are not made again (at 100,000 articles,
    # fingerprinting the two of 50,000 addresses took 0.4 s of each add under a profiler).
    # Nor are they read from the kept plan: at 100,000 articles, 100,000 of its 130,000 addresses.
    monkeypatch.setattr("gazette.build.pages.SITEMAP_MAX_URLS", 10)
    site = story_site(tmp_path / "site")
    options = BuildOptions(Project.at(site.root), now=NOW)
    with BuildSession(options.cache_file) as session:
        reader, added, before, after, fingerprints, *_ = planned_with(site, session, DAYS_NEWS["one story"], NOW)
        read = []
        page = reader.page
        monkeypatch.setattr(reader, "page", lambda place: read.append(reader.file_at(place).name) or page(place))
        mine = fingerprints(plan_newest(reader, added, NOW, ListTemplates()))
    sitemaps = {route for route in after if route.startswith("sitemap")}
    changed = {route for route in sitemaps if before.get(route) != after[route]}
    assert len(sitemaps) > len(changed) > 1
    assert {route for route in mine if route.startswith("sitemap")} == changed
    assert {name for name in read if name.startswith("sitemap")} == changed


LEFT_TO_THE_WHOLE_PLAN = {
    "the first byline (the page listing the authors is new)": lambda site: story(
        site, 30, date="2021-06-30T12:00:00", topics="[AI]", tags="[tag1]", authors="[Jane Doe]"),
    "dated before the newest": lambda site: story(site, 30, date="2021-06-29T12:00:00", topics="[AI]", tags="[tag1]"),
    "an old address": lambda site: story(site, 30, date="2021-06-30T12:00:00", aliases="[/old/thirty/]"),
}


@pytest.mark.parametrize("news", LEFT_TO_THE_WHOLE_PLAN.values(), ids=LEFT_TO_THE_WHOLE_PLAN.keys())
def test_what_it_does_not_plan_is_left_to_a_plan_of_the_whole_site(tmp_path, news):
    site = story_site(tmp_path / "site")
    options = BuildOptions(Project.at(site.root), now=NOW)
    with BuildSession(options.cache_file) as session:
        reader, added, *_ = planned_with(site, session, news, NOW)
        assert plan_newest(reader, added, NOW, ListTemplates()) is None


def test_a_list_that_gains_a_page_is_left_to_the_whole_plan_where_every_page_may_show_the_count(tmp_path):
    site = story_site(tmp_path / "site")
    theme = (Path(__file__).parents[2] / "gazette/theme/templates/home.html").read_text(encoding="utf-8")
    (site.root / "templates/home.html").write_text(theme + "{{ pagination.last }}", encoding="utf-8")
    options = BuildOptions(Project.at(site.root), now=NOW)
    with BuildSession(options.cache_file) as session:
        reader, added, *_ = planned_with(site, session, DAYS_NEWS["two making a page"], NOW)
        assert plan_newest(reader, added, NOW, ListTemplates(whole_pagination=True)) is None


def test_prepended_entries_read_as_one_list():
    whole = list(range(10))
    both = Prepended(whole[:3], whole[3:])
    assert len(both) == 10 and list(both) == whole and both[-1] == 9
    for start in range(-1, 12):
        for stop in range(-1, 12):
            assert list(both[start:stop]) == whole[start:stop]
    assert list(both[::3]) == whole[::3]
