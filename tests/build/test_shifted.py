"""Articles of the kept plan deleted since, and articles added among its own, planned from it
(gazette.build.shifted): the pages it makes again are exactly those a plan of the whole site
after the change makes differently, fingerprint for fingerprint, the pages it adds are those
that plan has anew, and the pages it drops are those that plan no longer has."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from support.edits import story, story_site
from support.kept_plans import planned_with

from gazette.build.newest import plan_newest
from gazette.build.pages import ListTemplates
from gazette.build.pipeline import BuildOptions
from gazette.build.session import BuildSession
from gazette.build.shifted import plan_shifted
from gazette.project import Project

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
ARTICLE_ROUTE = re.compile(r"\d{4}/\d{2}/[^/]+/$")  # an article's own page: the shift's `gone` leaves it out


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
    """What `plan_shifted` plans for the stories the change deleted, the kept plan's reader
    leaving them out (and `news`, the stories it added, not yet planned)."""
    places = [plan.reader.place_of(name) for name in plan.removed]
    plan.reader.remove(places)
    return plan_shifted(plan.reader, NOW, ListTemplates(), news)


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


def adding(*stories: tuple[int, str, str, str]):
    """Stories (number, date, topics, tags) dated among `story_site`'s."""
    return lambda site: [story(site, i, date=date, topics=topics, tags=tags) for i, date, topics, tags in stories]


# Story i of `story_site` is dated 2021-(1 + i % 6)-(1 + i): March holds stories 2, 8, 14, 20 and 26.
INSERTIONS = {
    "a story from the middle of the archive": adding((40, "2021-03-16T08:00:00", "[AI]", "[tag1]")),
    "one older than every other": adding((40, "2021-01-01T00:00:00", "[Robotics]", "[tag3]")),
    "one among the newest (on page 1 of its lists)": adding((40, "2021-06-29T08:00:00", "[Energy, AI]", "[tag2]")),
    "one with a tag the archive does not have": adding((40, "2021-03-16T08:00:00", "[AI]", "[tag1, late-filings]")),
    "one in a new topic, between two others": adding((40, "2021-04-16T08:00:00", "[Chips]", "[tag2]")),
    "four that give AI and the home page a page more": adding(
        *((40 + i, f"2021-0{2 + i}-10T08:00:00", "[AI]", "[tag0]") for i in range(4))),
}


def planned_shift(plan, news=()):
    """What `plan_shifted` plans for the change's deleted stories and for those it added dated
    among the plan's (not `news`), the kept plan's reader leaving out the ones and taking in the
    others; a story it moved is both."""
    moved = [str(entry.article.source_path) for entry in plan.moved]
    plan.reader.remove([plan.reader.place_of(name) for name in (*plan.removed, *moved)])
    plan.reader.insert([entry for entry in (*plan.added, *plan.moved) if entry not in news])
    return plan_shifted(plan.reader, NOW, ListTemplates(), news)


def assert_as_the_whole_plan(plan, shift, news=()):
    """The shift's pages (and the news' over them) are those the whole plan makes anew or
    differently, fingerprint for fingerprint, and it drops the pages that plan no longer has."""
    made = {**{page.route: page for page in [*shift.pages.values(), *shift.new.values()]},
            **{page.route: page for page in news}}
    mine = plan.fingerprints(list(made.values()))
    changed = {route: fingerprint for route, fingerprint in plan.after.items() if plan.before.get(route) != fingerprint}
    # The news make some pages again as they were (the news sitemap of a site with no news this week).
    assert {route: fingerprint for route, fingerprint in mine.items() if plan.before.get(route) != fingerprint} == changed
    assert mine == {route: plan.after.get(route) for route in mine}
    gone = plan.before.keys() - plan.after.keys()
    assert set(shift.gone) - set(made) == {route for route in gone if not ARTICLE_ROUTE.match(route)}


@pytest.mark.parametrize("insertion", INSERTIONS.values(), ids=INSERTIONS.keys())
def test_an_insertion_makes_exactly_the_pages_a_whole_plan_makes_anew(tmp_path, insertion, sitemap_size):
    site = story_site(tmp_path / "site")
    with BuildSession(BuildOptions(Project.at(site.root), now=NOW).cache_file) as session:
        plan = planned_with(site, session, insertion, NOW)
        shift = planned_shift(plan)
        assert shift is not None
        assert_as_the_whole_plan(plan, shift)
        assert {page.route for page in shift.new.values() if page.route.startswith("2021/")} == \
            {entry.article.route for entry in plan.added}


MIXED = {
    "a story deleted and one inserted in the same lists": lambda site: (
        deleting(14)(site), adding((40, "2021-03-16T08:00:00", "[AI]", "[tag2]"))(site)),
    "a deletion that takes AI a page, an insertion that gives it back": lambda site: (
        deleting(13)(site), adding((40, "2021-02-16T08:00:00", "[AI]", "[tag1]"))(site)),
    "a story inserted, with the day's news": lambda site: (
        adding((40, "2021-03-16T08:00:00", "[AI]", "[tag1]"))(site),
        story(site, 30, date="2021-06-30T12:00:00", topics="[AI]", tags="[tag1]")),
    "a deletion, an insertion and the news": lambda site: (
        deleting(0, 23)(site), adding((40, "2021-04-16T08:00:00", "[Robotics]", "[tag0]"))(site),
        story(site, 30, date="2021-06-30T12:00:00", topics="[Robotics]", tags="[tag0]")),
}


@pytest.mark.parametrize("change", MIXED.values(), ids=MIXED.keys())
def test_deletions_insertions_and_the_news_over_them_make_the_pages_a_whole_plan_makes_anew(tmp_path, change, sitemap_size):
    shifted_as_the_whole_plan(story_site(tmp_path / "site"), change)


def shifted_as_the_whole_plan(site, change):
    """The kept plan of `site`, then `change`: the shift, and the day's news (of 30 June) planned
    over it, make the pages a whole plan makes anew (`assert_as_the_whole_plan`). Returns the
    plan of the whole site after the change, and the news."""
    with BuildSession(BuildOptions(Project.at(site.root), now=NOW).cache_file) as session:
        plan = planned_with(site, session, change, NOW)
        news = [entry for entry in plan.added if entry.article.date.month == 6 and entry.article.date.day == 30]
        shift = planned_shift(plan, news)
        assert shift is not None
        made = plan_newest(plan.reader, news, NOW, ListTemplates(), shift) if news else []
        assert made is not None
        assert_as_the_whole_plan(plan, shift, made)
    return plan, news


# Story 8 is dated 2021-03-09, in Robotics, with tag0; story 14 is dated 2021-03-15.
MOVES = {
    "a date fixed within its month": lambda site: story(site, 8, date="2021-03-28T08:00:00"),
    "a date fixed, to the first of its month": lambda site: story(site, 8, date="2021-03-01T00:00:00"),
    "a topic changed": lambda site: story(site, 8, topics="[AI]"),
    "a tag added": lambda site: story(site, 8, tags="[tag0, tag2]"),
    "a story moved, another deleted and the news": lambda site: (
        story(site, 14, date="2021-03-02T08:00:00", tags="[tag1]"), deleting(23)(site),
        story(site, 30, date="2021-06-30T12:00:00", topics="[Robotics]", tags="[tag2]")),
}


@pytest.mark.parametrize("change", MOVES.values(), ids=MOVES.keys())
def test_a_move_makes_exactly_the_pages_a_whole_plan_makes_anew(tmp_path, change, sitemap_size):
    # A story moved among the others keeps its address: deleted where it stood, inserted where
    # it stands now, its own page made again where it was.
    site = story_site(tmp_path / "site")
    with BuildSession(BuildOptions(Project.at(site.root), now=NOW).cache_file) as session:
        plan = planned_with(site, session, change, NOW)
        assert len(plan.moved) == 1
        news = [entry for entry in plan.added if entry.article.date.month == 6]
        shift = planned_shift(plan, news)
        assert shift is not None
        made = plan_newest(plan.reader, news, NOW, ListTemplates(), shift) if news else []
        assert made is not None
        assert_as_the_whole_plan(plan, shift, made)
        assert plan.moved[0].article.route not in shift.gone and not any(page.route.startswith("2021/03/")
                                                                         for page in shift.new.values())


# Each: the site as planned (story 8 with a term no other story has), then the change.
LEFT_EMPTY = {
    "a tag taken off its only story": (
        lambda site: story(site, 8, tags="[tag0, lonely]"), lambda site: story(site, 8, tags="[tag0]")),
    "the only story of a tag deleted": (lambda site: story(site, 8, tags="[tag0, lonely]"), deleting(8)),
    "a misspelt tag fixed (one tag left empty, one new)": (
        lambda site: story(site, 8, tags="[tag0, lonley]"), lambda site: story(site, 8, tags="[tag0, lonely]")),
    "a byline's only story given to another writer": (
        lambda site: (story(site, 8, authors="[Ann Lone]"), story(site, 14, authors="[Bo Wright]")),
        lambda site: story(site, 8, authors="[Bo Wright]")),
    "the only story of a tag deleted, and the news in that tag": (
        lambda site: story(site, 8, tags="[tag0, lonely]"), lambda site: (
            deleting(8)(site), story(site, 30, date="2021-06-30T12:00:00", topics="[AI]", tags="[lonely]"))),
}


@pytest.mark.parametrize("first, change", LEFT_EMPTY.values(), ids=LEFT_EMPTY.keys())
def test_a_topic_tag_or_author_left_empty_goes_as_it_does_in_a_whole_plan(tmp_path, first, change, sitemap_size):
    # Its pages and feed go, and the page listing the tags (or authors) drops it.
    site = story_site(tmp_path / "site")
    first(site)
    plan, news = shifted_as_the_whole_plan(site, change)
    assert any("/feed.xml" in route for route in plan.before.keys() - plan.after.keys()) == (not news)


# Each: the site as planned (`story_site`'s stories, all of 2021, and perhaps one of 2020), then the change.
ARCHIVE = {
    "a story in a month and year the archive lacks": (
        lambda site: None, adding((40, "2020-11-10T08:00:00", "[AI]", "[tag1]"))),
    "a story in a month the archive lacks, of a year it has": (
        lambda site: story(site, 41, date="2020-10-10T08:00:00", topics="[AI]"),
        adding((40, "2020-12-10T08:00:00", "[AI]", "[tag1]"))),
    "the only story of a month deleted": (
        lambda site: (story(site, 41, date="2020-10-10T08:00:00", topics="[AI]"),
                      story(site, 42, date="2020-12-10T08:00:00", topics="[AI]")), deleting(42)),
    "the only story of a year deleted": (lambda site: story(site, 41, date="2020-10-10T08:00:00", topics="[AI]"),
                                         deleting(41)),
    "one month emptied, another filled": (
        lambda site: story(site, 41, date="2020-10-10T08:00:00", topics="[AI]"),
        lambda site: (deleting(41)(site), adding((40, "2019-05-10T08:00:00", "[AI]", "[tag1]"))(site))),
}


@pytest.mark.parametrize("first, change", ARCHIVE.values(), ids=ARCHIVE.keys())
def test_a_month_or_year_new_or_left_empty_is_planned_as_a_whole_plan_plans_it(tmp_path, first, change, sitemap_size):
    # A new month's page (and its year's) goes where the whole plan puts it, in the archive and
    # the sitemaps; an emptied one's goes.
    site = story_site(tmp_path / "site")
    first(site)
    plan, _ = shifted_as_the_whole_plan(site, change)
    assert any(route.startswith("archive/20") for route in plan.before.keys() ^ plan.after.keys())
