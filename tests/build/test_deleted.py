"""Articles of the kept plan deleted since, planned from it (gazette.build.deleted): the pages
it makes again are exactly those a plan of the whole site without them makes differently,
fingerprint for fingerprint, and the pages it drops are those that plan no longer has."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from support.edits import story, story_site
from support.kept_plans import planned_with

from gazette.build.deleted import plan_deleted
from gazette.build.newest import plan_newest
from gazette.build.pages import ListTemplates
from gazette.build.pipeline import BuildOptions
from gazette.build.session import BuildSession
from gazette.project import Project

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)


def deleting(*stories: int):
    return lambda site: [(site.root / f"content/2021/story-{i}.md").unlink() for i in stories]


# `story_site`: 30 stories, four to a page; page 1 of a list holds its newest four to seven.
RETRACTIONS = {
    "a story on page 1 of each of its lists": deleting(23),
    "a story from the middle of its lists": deleting(14),
    "one that leaves AI a page fewer (20 stories to 19)": deleting(13),
    "two at once, from the oldest pages": deleting(0, 2),
}


def planned_deletion(plan, news=()):
    """What `plan_deleted` plans for the stories the change deleted, the kept plan's reader
    leaving them out (and `news`, the stories it added, not yet planned)."""
    places = [plan.reader.place_of(name) for name in plan.removed]
    plan.reader.remove(places)
    return plan_deleted(plan.reader, places, NOW, ListTemplates(), news)


@pytest.fixture(params=[None, 10], ids=["one sitemap", "sitemaps of ten addresses"])
def sitemap_size(request, monkeypatch):
    if request.param:
        monkeypatch.setattr("gazette.build.pages.SITEMAP_MAX_URLS", request.param)


@pytest.mark.parametrize("retraction", RETRACTIONS.values(), ids=RETRACTIONS.keys())
def test_a_deletion_makes_exactly_the_pages_a_whole_plan_makes_anew(tmp_path, retraction, sitemap_size):
    site = story_site(tmp_path / "site")
    with BuildSession(BuildOptions(Project.at(site.root), now=NOW).cache_file) as session:
        plan = planned_with(site, session, retraction, NOW)
        deletion = planned_deletion(plan)
        assert deletion is not None
        mine = plan.fingerprints(list(deletion.pages.values()))
    changed = {route: fingerprint for route, fingerprint in plan.after.items() if plan.before.get(route) != fingerprint}
    assert mine == changed
    gone = plan.before.keys() - plan.after.keys()
    articles = {route for route in gone if route.startswith("2021/")}
    assert len(articles) == len(plan.removed) and set(deletion.gone) == gone - articles


def news_beside(*stories: int):
    def change(site):
        deleting(*stories)(site)
        story(site, 30, date="2021-06-30T12:00:00", topics="[AI]", tags="[tag1]")
    return change


BESIDE_THE_NEWS = {
    "a story on page 1 of its lists": news_beside(23),
    "one that leaves AI a page fewer, which the news gives back": news_beside(13),
    "two from the oldest pages": news_beside(0, 2),
}


@pytest.mark.parametrize("change", BESIDE_THE_NEWS.values(), ids=BESIDE_THE_NEWS.keys())
def test_the_news_planned_over_a_deletion_make_exactly_the_pages_a_whole_plan_makes_anew(tmp_path, change, sitemap_size):
    site = story_site(tmp_path / "site")
    with BuildSession(BuildOptions(Project.at(site.root), now=NOW).cache_file) as session:
        plan = planned_with(site, session, change, NOW)
        deletion = planned_deletion(plan, plan.added)
        news = plan_newest(plan.reader, plan.added, NOW, ListTemplates(), deletion)
        mine = plan.fingerprints([*deletion.pages.values(), *news])  # the news' over the deletion's
    # As `plan_newest` alone does, the news make some pages again as they were (the news
    # sitemap of a site with no news this week, the corrections page).
    changed = {route for route, fingerprint in plan.after.items() if plan.before.get(route) != fingerprint}
    assert {route for route, fingerprint in mine.items() if plan.before.get(route) != fingerprint} == changed
    assert mine == {route: plan.after[route] for route in mine}
    gone = plan.before.keys() - plan.after.keys()
    assert set(deletion.gone) - {page.route for page in news} == {route for route in gone if not route.startswith("2021/")}


def test_of_numbered_sitemaps_a_deletion_reads_and_makes_only_those_it_changes(tmp_path, monkeypatch):
    # The articles are listed oldest first, before every other page: the sitemaps that list
    # only articles older than the deleted one stay as planned, and are not read from the kept
    # plan (at 100,000 articles, a recent story's deletion read 130,000 addresses to make 30,000).
    monkeypatch.setattr("gazette.build.pages.SITEMAP_MAX_URLS", 10)
    site = story_site(tmp_path / "site")
    with BuildSession(BuildOptions(Project.at(site.root), now=NOW).cache_file) as session:
        plan = planned_with(site, session, deleting(23), NOW)  # the fourth newest of 30
        read = []
        page = plan.reader.page
        monkeypatch.setattr(plan.reader, "page", lambda place: read.append(plan.reader.file_at(place).name) or page(place))
        mine = plan.fingerprints(list(planned_deletion(plan).pages.values()))
    numbered = {route for route in plan.after if route.startswith("sitemap-")}
    changed = {route for route in numbered if plan.before.get(route) != plan.after[route]}
    assert len(numbered) > len(changed) > 1
    assert {route for route in mine if route.startswith("sitemap-")} == changed
    assert {name for name in read if name.startswith("sitemap-")} == changed
