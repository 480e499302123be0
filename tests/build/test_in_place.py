"""Edits in place (gazette.build.in_place): an edit that leaves every article where it stood
is built from the last plan, and gives exactly what planning the whole site gives."""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
from datetime import datetime, timedelta, timezone
from random import Random
from types import SimpleNamespace

import pytest
from support.edits import IN_PLACE, built_as_cold, planned_again, story, story_site
from support.images import photo
from support.in_place import (
    each_built_in_place,
    keep_a_plan,
    measured_as_a_walk,
    scheduled,
)
from support.site import article
from support.states import file_states

from gazette.build import in_place, keep_plan, plan_edits, publish, published_in_place
from gazette.build.built import BuiltNews
from gazette.build.cache import BuildCache
from gazette.build.fingerprint import page_fingerprints, shown_before, shown_digest
from gazette.build.inputs import FileStates
from gazette.build.output import folder_id
from gazette.build.outputs import OutputPlan
from gazette.build.pipeline import BuildOptions, build, gather
from gazette.build.plan_reader import PlanReader
from gazette.build.publish import page_renderer, site_outputs
from gazette.build.session import BuildSession
from gazette.build.substitute import substitute
from gazette.errors import GazetteError
from gazette.model.published import RECORD_FILE
from gazette.model.site import Entry
from gazette.project import Project

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)


@pytest.fixture
def site(tmp_path):
    site = story_site(tmp_path / "site")
    photo(site.root / "static/images/plant.jpg", 800, 600)
    story(site, 4, image="images/plant.jpg", image_alt="A plant")
    return site


@pytest.fixture(params=[256, 2], ids=["short lists copied", "lists swapped in a view"])
def long_sequence(request, monkeypatch):
    """Past `LONG_SEQUENCE` entries, `substitute` swaps in a view (a month's 800 stories at
    100,000 articles): small sites take that path too with a small bound."""
    monkeypatch.setattr("gazette.build.substitute.LONG_SEQUENCE", request.param)


@pytest.mark.parametrize("edit, shown_whole_only", [
    ({"title": "Edited"}, False),  # shown by every page that shows the article at all
    ({}, True),  # its file alone: shown only by the pages that show it whole, not as a teaser
], ids=["headline", "body past its summary"])
def test_the_pages_a_fingerprint_covers_are_those_an_edit_to_the_article_changes(site, long_sequence, edit,
                                                                                 shown_whole_only):
    # The contract an edit in place stands on: a page whose fingerprint does not cover an
    # article keeps its fingerprint, whatever the edit; one that covers it does not, but for
    # pages that show it as a teaser, which an edit to its body alone leaves as they are.
    options = BuildOptions(Project.at(site.root), now=NOW, use_cache=False)
    with BuildSession(None) as session:
        plan = gather(options, session)
        entries = plan.site.entries
        covered: list[tuple[int, ...]] = []
        before = page_fingerprints(plan.pages, "site", {}, (keep_plan.coverage_keys(entries), covered))
        assert any(len(articles) > 1 for articles in covered)
        for index, entry in enumerate(entries):
            edited = Entry(dataclasses.replace(entry.article, digest=f"edited {index}", fields_digest=b"", **edit), entry.body)
            plan.site.finder.replace(index, edited.article, edited.teaser_digest)
            pages = [dataclasses.replace(page, context=substitute(page.context, {id(entry): edited})) for page in plan.pages]
            after = page_fingerprints(pages, "site", {})
            plan.site.finder.replace(index, entry.article, entry.teaser_digest)
            changed = {number for number, (old, new) in enumerate(zip(before, after)) if old != new}
            keys = {index} if shown_whole_only else {index, len(entries) + index}  # see `coverage_keys`
            assert changed == {number for number, found in enumerate(covered) if keys & set(found)}, entry.article.slug


def test_a_page_shows_as_before_an_edit_to_a_story_it_ranks_from_but_does_not_show(site):
    # For every article page and every story its related stories are ranked from, renamed: the
    # page shows what it showed before (`shown_before`, from its fingerprint then) exactly where
    # it ranks the story out of those it shows; and nothing is known of what it showed when
    # anything else changed since that fingerprint.
    options = BuildOptions(Project.at(site.root), now=NOW, use_cache=False)
    with BuildSession(None) as session:
        plan = gather(options, session)
        entries, finder = plan.site.entries, plan.site.finder
        article_pages = [page for page in plan.pages if page.template == "article.html"]
        before = page_fingerprints(article_pages, "site", {})
        outcomes = set()
        for index, entry in enumerate(entries):
            renamed = Entry(dataclasses.replace(entry.article, title="Renamed", digest=f"renamed {index}", fields_digest=b""),
                            entry.body)
            digests = {renamed.article.digest: entry.article.digest, renamed.teaser_digest: entry.teaser_digest}
            assert renamed.teaser_digest != entry.teaser_digest
            finder.replace(index, renamed.article, renamed.teaser_digest)
            for page, fingerprint in zip(article_pages, before):
                related = page.context["related"]
                if page.context["entry"] is entry or index not in finder.candidates(related.index):
                    continue
                neighbours = [page.context[side].entry for side in ("newer", "older") if page.context[side]]
                shown = index in related.finder.related(related.index) or entry in neighbours
                page = dataclasses.replace(page, context=substitute(page.context, {id(entry): renamed}))
                then = shown_before(page, "site", {}, digests, fingerprint)
                assert (then == shown_digest(page, "site", {})) == (not shown)
                assert shown_before(page, "another site", {}, digests, fingerprint) is None
                outcomes.add(shown)
            finder.replace(index, entry.article, entry.teaser_digest)
        assert outcomes == {True, False}  # both cases were met


SHOWN = {  # fields that change how story 4 reads: built in place
    "title": "Story Four, Renamed", "summary": "Its own summary.", "body": "Other words.", "toc": "true",
    "image_alt": "A green plant", "image_caption": "Seen from above.", "image_credit": '"Photo: Jo"',
    "source": "https://example.com/original",
}
MOVED = [  # fields that move it among the others, with its picture: built in place too
    ("date", "2021-05-06"), ("topics", "[Energy]"), ("tags", "[tag3]"), ("corrections", "[{date: 2021-06-01, text: Fixed.}]"),
    ("draft", "true"),  # taken back: its pages go, as a deletion's
    ("date", "2021-06-06"), ("slug", "story-four"),  # to another address: the old one redirects
    ("updated", "2021-07-01"),  # after every story: it dates the site anew
]
PLACING = [  # fields that decide where it stands, or what it shows besides itself: the site is planned again
    ("author", "Jane Doe"),
    ("aliases", "[/old/story-4/]"), ("image", "images/plant-2.jpg"),
]


@pytest.mark.parametrize("field, value", [*SHOWN.items(), *MOVED, *PLACING])
def test_only_an_edit_that_leaves_the_article_where_it_stood_is_built_in_place(site, tmp_path, field, value):
    photo(site.root / "static/images/plant-2.jpg", 800, 600, seed=3)
    keep_a_plan(site, tmp_path)
    story(site, 4, **{"image": "images/plant.jpg", "image_alt": "A plant", field: value})
    report = built_as_cold(site, tmp_path, NOW)
    assert planned_again(report) == ((field, value) in PLACING)


def test_edits_in_place_build_what_planning_the_site_builds(site, tmp_path, long_sequence):
    keep_a_plan(site, tmp_path)
    for edit in IN_PLACE.values():
        edit(site)
        assert not planned_again(built_as_cold(site, tmp_path, NOW))


def test_a_headline_put_back_as_the_plan_has_it_is_built_in_place(site, tmp_path):
    keep_a_plan(site, tmp_path)
    story(site, 6, title="Story Six")
    assert not planned_again(built_as_cold(site, tmp_path, NOW))
    story(site, 6, body="Body of story 6.\n\n## Part\n\nMore, and more.")  # the title as planned, again
    assert not planned_again(built_as_cold(site, tmp_path, NOW))  # and its neighbours' pages show it


def test_a_headline_renders_again_only_the_pages_that_show_it(site, tmp_path):
    # An article page's fingerprint covers every story its related stories are ranked from
    # (cheap to list, for every page), but only the few ranked first show: the pages that
    # rank the renamed story lower take their new fingerprints without being rendered.
    keep_a_plan(site, tmp_path)
    for title in ("Story Two, Renamed", "Story Two, Renamed Again", "Story 2"):  # the last as planned
        story(site, 2, title=title)
        report = built_as_cold(site, tmp_path, NOW)
        assert not planned_again(report)
        assert report.rendered == report.written > 0, title


def test_a_body_put_back_as_the_plan_has_it_is_recorded_so(site, tmp_path):
    keep_a_plan(site, tmp_path)
    story(site, 6, body="A fix.")
    assert not planned_again(built_as_cold(site, tmp_path, NOW))
    story(site, 6)  # as planned: its address is known by its body as planned, again
    assert not planned_again(built_as_cold(site, tmp_path, NOW))


def test_an_edit_in_place_after_another_compares_only_the_files_it_may_change(site, tmp_path, monkeypatch):
    # The live site and the spare both hold the plan's files but for those edited in place:
    # no manifest is read whole, nor the plan's list of every output file, and the manifests
    # kept are those of the site as planned. So from the first edit on: the plan kept the
    # spare, the site before it, as its changes to the plan's files.
    keep_a_plan(site, tmp_path)
    for edit in (lambda: story(site, 6, body="A fix."), lambda: story(site, 2, title="Story Two, Renamed"),
                 lambda: story(site, 6, body="Another fix."), lambda: story(site, 2),
                 lambda: story(site, 6, title="Story Six")):
        edit()
        with monkeypatch.context() as patched:
            patched.setattr(BuildCache, "manifest", lambda *args: pytest.fail("a manifest read whole"))
            patched.setattr(PlanReader, "every_file", lambda *args: pytest.fail("every output file read"))
            assert not planned_again(build(BuildOptions(Project.at(site.root), now=NOW)))
        built_as_cold(site, tmp_path, NOW)  # nothing changed since: compares the site with a cold build
        cache = BuildCache(Project.at(site.root).cache_file)
        try:
            assert cache.manifest(site.public, folder_id(site.public)) == planned_outputs(site).fingerprints
        finally:
            cache.close()


def planned_outputs(site) -> OutputPlan:
    options = BuildOptions(Project.at(site.root), now=NOW)
    with BuildSession(None) as session:
        plan = gather(options, session)
        _, site_digest, template_digests = page_renderer(options, plan, session.cache)
        return site_outputs(options, plan, site_digest, template_digests)


def test_a_body_showing_another_image_is_planned_again(site, tmp_path):
    keep_a_plan(site, tmp_path)
    story(site, 5, body="Now with a picture.\n\n![A plant](/images/plant.jpg)")
    assert planned_again(built_as_cold(site, tmp_path, NOW))


def test_a_plan_store_that_is_not_the_one_the_cache_names_is_not_used(site, tmp_path):
    keep_a_plan(site, tmp_path)
    store = site.root / ".cache" / keep_plan.STORE_FILE
    stale = store.read_bytes()
    story(site, 7, aliases="[/old/seven/]")  # planned again (an old address listed): a new plan
    assert planned_again(built_as_cold(site, tmp_path, NOW))
    story(site, 6, title="Story Six, Renamed")
    assert not planned_again(built_as_cold(site, tmp_path, NOW))
    store.write_bytes(stale)  # a valid store of an earlier plan, as a copied cache could leave it
    story(site, 6, title="Story Six")
    assert planned_again(built_as_cold(site, tmp_path, NOW))
    built_as_cold(site, tmp_path, NOW)
    store.unlink()
    story(site, 6, title="Story Six, Once More")
    assert planned_again(built_as_cold(site, tmp_path, NOW))
    built_as_cold(site, tmp_path, NOW)
    store.write_bytes(b"not a plan")
    story(site, 6, title="Story Six, Again")
    assert planned_again(built_as_cold(site, tmp_path, NOW))
    built_as_cold(site, tmp_path, NOW)
    with sqlite3.connect(store) as db:  # damaged since it was written: its id still reads
        db.execute("UPDATE pages SET blob = x'00'")
    db.close()
    story(site, 6, title="Story Six, Damaged")
    assert planned_again(built_as_cold(site, tmp_path, NOW))


def test_an_output_folder_replaced_since_is_built_whole(site, tmp_path):
    keep_a_plan(site, tmp_path)
    shutil.rmtree(site.public)
    site.public.mkdir()
    story(site, 6, body="A fix.")
    assert planned_again(built_as_cold(site, tmp_path, NOW))


def test_after_so_many_edits_in_place_the_site_is_planned_again(site, tmp_path, monkeypatch):
    monkeypatch.setattr(plan_edits, "MIN_EDITED", 2)  # as many as 30 stories allow
    keep_a_plan(site, tmp_path)
    planned = []
    for i in (1, 2, 3, 1):
        story(site, i, body=f"Edit of story {i}.")
        planned.append(planned_again(built_as_cold(site, tmp_path, NOW)))
    assert planned == [False, False, True, False]


def test_edits_carried_in_place_plan_the_site_again_once_they_cost_what_a_plan_does(site, tmp_path, monkeypatch):
    # Each build in place reads again the pages of every article edited since the plan: once
    # those pages add up to the plan's own, planning the site again costs less than going on.
    monkeypatch.setattr(plan_edits, "MIN_CARRIED_PAGES", 0)  # the story site's own count of pages
    keep_a_plan(site, tmp_path)
    for take in range(8):  # one story edited again and again carries nothing
        story(site, 6, title=f"Story Six, take {take}")
        assert not planned_again(built_as_cold(site, tmp_path, NOW)), take
    cache = BuildCache(site.root / ".cache" / "gazette.sqlite")
    try:
        assert plan_edits.last_edits(cache).carried_pages == 0
    finally:
        cache.close()
    planned = []
    for i in (10, 11, 12, 13, 14, 15, 16, 17, 18, 19):  # headlines of other stories, one after another
        story(site, i, title=f"Story {i}, Fixed")
        planned.append(planned_again(built_as_cold(site, tmp_path, NOW)))
    assert True in planned and planned.index(True) > 2, planned
    assert not any(planned[planned.index(True) + 1:planned.index(True) + 3]), planned  # in place again after it


def test_a_deletion_carried_counts_its_pages_as_the_edits_carried_do(site, tmp_path):
    # Each build in place after a deletion plans its pages again (a story from the middle of
    # its lists: every newer page of each): they count toward planning the site again.
    keep_a_plan(site, tmp_path)
    (site.root / "content/2021/story-14.md").unlink()
    assert not planned_again(built_as_cold(site, tmp_path, NOW))
    carried = []
    for take in range(2):  # one story edited again and again carries nothing of its own
        story(site, 6, title=f"Story Six, take {take}")
        assert not planned_again(built_as_cold(site, tmp_path, NOW))
        cache = BuildCache(site.root / ".cache" / "gazette.sqlite")
        try:
            carried.append(plan_edits.last_edits(cache).carried_pages)
        finally:
            cache.close()
    assert 0 < carried[0] < carried[1] == 2 * carried[0]


def test_a_story_backdated_beside_a_carried_move_counts_only_the_pages_carried(site, tmp_path):
    # A time fixed within its day is carried cheaply (a few pages); a story dated far back,
    # built beside it, makes many pages, but is no more carried than the news are until the
    # next build: only the pages of the changes made before a build count toward the budget.
    keep_a_plan(site, tmp_path)

    def last_edits() -> plan_edits.PlanEdits:
        cache = BuildCache(site.root / ".cache" / "gazette.sqlite")
        try:
            return plan_edits.last_edits(cache)
        finally:
            cache.close()

    story(site, 20, date="2021-03-21T23:00:00")  # later in its day: past no other story
    assert not planned_again(built_as_cold(site, tmp_path, NOW))
    moved = last_edits()
    assert moved.carried_pages == 0 and moved.shift_pages > 0
    story(site, 40, date="2021-01-02T08:00:00", topics="[AI]", tags="[tag1]")  # far back: many pages
    assert not planned_again(built_as_cold(site, tmp_path, NOW))
    both = last_edits()
    assert both.shift_pages > moved.shift_pages
    assert both.carried_pages == plan_edits.CARRIED_DELETION_PAGE * moved.shift_pages


def test_a_deletion_far_back_carried_plans_the_site_again_once_it_costs_what_a_plan_does(site, tmp_path, monkeypatch):
    # The oldest story's deletion remakes every page of its lists, each build after it: each
    # such page costs about two plans of a page, so the site is planned again soon.
    monkeypatch.setattr(plan_edits, "MIN_CARRIED_PAGES", 0)  # the story site's own count of pages
    keep_a_plan(site, tmp_path)
    (site.root / "content/2021/story-0.md").unlink()
    planned = []
    for take in range(5):
        story(site, 6, title=f"Story Six, take {take}")
        planned.append(planned_again(built_as_cold(site, tmp_path, NOW)))
    assert planned == [False, False, False, True, False]  # the deletion, carried twice, then planned with the plan kept


def test_backdated_stories_are_built_in_place_as_a_cold_build_makes_them(site, tmp_path):
    # A story dated among the archive's (an import, a late filing) shifts every newer page of
    # its lists: planned from the kept plan, beside the news and the retractions, each build
    # carrying it.
    keep_a_plan(site, tmp_path)
    gone = lambda i: (site.root / f"content/2021/story-{i}.md").unlink()
    backdated = lambda i, date, topics="[AI]", tags="[tag1]", **changes: story(
        site, i, date=date, topics=topics, tags=tags, **changes)
    steps = [  # AI has 20 stories, four to a page (five pages), and tag1 8 (two)
        ("a story from the middle of the archive", lambda: backdated(40, "2021-03-16T08:00:00")),
        ("its body written on", lambda: backdated(40, "2021-03-16T08:00:00", body="Filed late.\n\nWritten on.")),
        ("the day's story, with it carried", lambda: backdated(30, "2021-06-30T12:00:00")),
        ("a story older than every other, and a deletion", lambda: (
            backdated(41, "2021-01-01T00:00:00", "[Robotics]", "[tag3]"), gone(14))),
        ("two more that give AI a page more", lambda: (backdated(42, "2021-02-10T08:00:00"),
                                                       backdated(43, "2021-05-10T08:00:00", "[Energy, AI]"))),
        ("one among the newest", lambda: backdated(44, "2021-06-29T08:00:00", "[Robotics]", "[tag0]")),
        ("one with a tag the archive does not have", lambda: backdated(45, "2021-02-12T08:00:00", "[Robotics]", "[imported]")),
        ("the first backdated story deleted", lambda: gone(40)),
        ("an older story's headline", lambda: story(site, 12, title="Story 12, Fixed")),
    ]
    each_built_in_place(site, tmp_path, steps[:5])
    assert (site.public / "topics/ai/page/6/index.html").exists()  # 24 stories
    each_built_in_place(site, tmp_path, steps[5:])
    assert not (site.public / "topics/ai/page/6/index.html").exists()  # 23 again
    assert "Story 41" in (site.public / "topics/robotics/page/2/index.html").read_text()
    assert "Story 45" in (site.public / "tags/imported/index.html").read_text()
    # A story in a month and a year the archive does not have: their pages are made new.
    backdated(46, "2020-11-10T08:00:00")
    assert not planned_again(built_as_cold(site, tmp_path, NOW))
    assert "Story 46" in (site.public / "archive/2020/11/index.html").read_text()
    # Still the whole plan: a story that tells another (its identity: an address may lead to it now).
    backdated(47, "2021-03-18T08:00:00", body="Body of story 8.\n\n## Part\n\nMore.")
    assert planned_again(built_as_cold(site, tmp_path, NOW))


def test_stories_moved_among_the_others_are_built_in_place_as_a_cold_build_makes_them(site, tmp_path):
    # A date fixed within its month, a topic or tag changed: the story keeps its address, and
    # moves in its lists. Deleted where it stood and inserted where it stands, each build after
    # carrying it.
    keep_a_plan(site, tmp_path)
    steps = [  # story 8: 2021-03-09, Robotics, tag0; story 20: 2021-03-21, Energy and AI, tag0
        ("a date fixed within its month", lambda: story(site, 8, date="2021-03-28T08:00:00")),
        ("then its headline", lambda: story(site, 8, date="2021-03-28T08:00:00", title="Story 8, Redated")),
        ("a tag of another changed, and the day's story", lambda: (
            story(site, 20, tags="[tag0, tag3]"), story(site, 30, date="2021-06-30T12:00:00", topics="[AI]"))),
        ("a topic of a story changed", lambda: story(site, 11, topics="[Robotics]")),
        ("the first story's date put back", lambda: story(site, 8, title="Story 8, Redated")),
        ("the first story deleted", lambda: (site.root / "content/2021/story-8.md").unlink()),
        ("an older story's headline", lambda: story(site, 12, title="Story 12, Fixed")),
    ]
    report = each_built_in_place(site, tmp_path, steps)
    assert [str(w).split(": ", 1)[0] for w in report.warnings if "no longer answers" in str(w)] == [
        "content/2021/story-8.md"]
    robotics = (site.public / "topics/robotics/index.html").read_text()
    assert "Story 11" in robotics and "Story 11" not in (site.public / "topics/energy/index.html").read_text()
    # The moved story, deleted, written back moved again (an undo): its address answers again.
    story(site, 8, date="2021-03-27T08:00:00")
    report = built_as_cold(site, tmp_path, NOW)
    assert not planned_again(report)
    assert not [w for w in report.warnings if "no longer answers" in str(w)]
    # A story moved to another month (another address) too, its old address redirecting, and
    # one whose identity changes with it (its body, where it has no `source:`).
    story(site, 12, date="2021-04-02T08:00:00", title="Story 12, Fixed")
    assert not planned_again(built_as_cold(site, tmp_path, NOW))
    assert 'href="/2021/04/story-12/"' in (site.public / "2021/01/story-12/index.html").read_text()
    story(site, 13, date="2021-02-20T08:00:00", body="Body of story 13, rewritten.")
    assert not planned_again(built_as_cold(site, tmp_path, NOW))


def test_stories_with_pictures_are_built_in_place_as_a_cold_build_makes_them(site, tmp_path):
    # A picture of static/ that a story shows has its variants made (or found in the cache) for
    # its page, and written beside the site unless the plan's already are.
    photo(site.root / "static/images/rover.jpg", 640, 480, seed=3)  # a photo no story shows yet
    story(site, 5, body="Body of story 5.\n\n![The plant](/images/plant.jpg)")
    keep_a_plan(site, tmp_path)
    rover = {"image": "images/rover.jpg", "image_alt": "A rover"}
    late = {"date": "2021-06-30T13:00:00", "topics": "[Energy]", "tags": "[tag2]", **rover}
    steps = [  # story 4: 2021-05-05, Energy and AI, tag0, with the plant's photo
        ("the day's story, with the photo of another", lambda: story(
            site, 30, date="2021-06-30T12:00:00", topics="[AI]", image="images/plant.jpg", image_alt="A plant")),
        ("the next, with a photo no story showed", lambda: story(site, 31, **late)),
        ("its body showing the other photo too", lambda: story(
            site, 31, **late, body="Intro.\n\n![The plant](/images/plant.jpg)")),
        ("a story dated among the others, with the new photo", lambda: story(
            site, 32, date="2021-03-20T09:00:00", topics="[Robotics]", tags="[tag3]", **rover)),
        ("the story with a photo moved within its month", lambda: story(
            site, 4, date="2021-05-20T08:00:00", image="images/plant.jpg", image_alt="A plant")),
        ("the day's story with the new photo deleted", lambda: (site.root / "content/2021/story-31.md").unlink()),
        ("the other story showing it too: its variants go", lambda: (site.root / "content/2021/story-32.md").unlink()),
    ]
    def files_of(photo: str) -> list[str]:
        return sorted(path.name for path in (site.public / "images").glob(f"{photo}*"))

    assert files_of("rover") == ["rover.jpg"]  # shown by no story: only the photo itself is copied
    each_built_in_place(site, tmp_path, steps[:2])
    assert len(files_of("rover")) > 1
    each_built_in_place(site, tmp_path, steps[2:])
    assert files_of("rover") == ["rover.jpg"]
    # The plant's photo leaves the output with the last story that shows it, of the plan or added since.
    gone = lambda i: (site.root / f"content/2021/story-{i}.md").unlink()  # noqa: E731
    each_built_in_place(site, tmp_path, [
        ("the day's story with the plant's photo deleted", lambda: gone(30)),
        ("a story of the plan with it deleted, while another shows it in its body", lambda: gone(4)),
        ("a new story with it", lambda: story(site, 33, date="2021-06-30T15:00:00", image="images/plant.jpg",
                                              image_alt="A plant")),
        ("the last story of the plan with it deleted", lambda: gone(5)),
    ])
    assert len(files_of("plant")) > 1
    each_built_in_place(site, tmp_path, [("the new story with it deleted", lambda: gone(33))])
    assert files_of("plant") == ["plant.jpg"]


def test_a_picture_a_plain_page_shows_keeps_its_variants_when_its_last_story_goes(site, tmp_path):
    site.add("pages/about.md", "---\ntitle: About\n---\nOur plant.\n\n![The plant](/images/plant.jpg)\n")
    keep_a_plan(site, tmp_path)
    each_built_in_place(site, tmp_path, [("the story with the plant's photo deleted",
                                          lambda: (site.root / "content/2021/story-4.md").unlink())])
    assert list((site.public / "images").glob("plant.*.webp"))


def test_a_story_with_a_photo_new_to_static_is_built_in_place_as_a_cold_build_makes_it(site, tmp_path):
    # The day's story comes with its photo: a picture added to static/ is copied as every
    # static file is, beside its variants.
    keep_a_plan(site, tmp_path)
    news = {"date": "2021-06-30T12:00:00", "topics": "[AI]", "image": "images/rover.jpg", "image_alt": "A rover"}
    steps = [
        ("the photo and its story", lambda: (photo(site.root / "static/images/rover.jpg", 640, 480, seed=3),
                                             story(site, 30, **news))),
        ("its headline fixed", lambda: story(site, 30, **news, title="Story Thirty, Fixed")),
        ("another story backdated, its photo in a new folder", lambda: (
            photo(site.root / "static/images/2021/drone.png", 500, 400, seed=4, fmt="PNG"),
            story(site, 31, date="2021-03-20T09:00:00", topics="[Robotics]", image="images/2021/drone.png",
                  image_alt="A drone"))),
        ("a photo no story shows yet", lambda: photo(site.root / "static/images/spare.jpg", 300, 200, seed=5)),
    ]
    each_built_in_place(site, tmp_path, steps)
    assert (site.public / "images/rover.jpg").is_file() and (site.public / "images/spare.jpg").is_file()
    # A picture added since the plan, replaced or removed, is made again with its stories as they are.
    each_built_in_place(site, tmp_path, [
        ("the new photo replaced", lambda: photo(site.root / "static/images/rover.jpg", 600, 480, seed=6)),
        ("the spare one removed", lambda: (site.root / "static/images/spare.jpg").unlink()),
    ])
    assert not (site.public / "images/spare.jpg").exists()
    # A picture of the plan replaced plans the site (the pages that show it change), and so does
    # any other file of static/.
    photo(site.root / "static/images/plant.jpg", 700, 600, seed=7)
    assert planned_again(built_as_cold(site, tmp_path, NOW))
    keep_a_plan(site, tmp_path)
    each_built_in_place(site, tmp_path, [  # and with no story added since the plan
        ("a photo alone", lambda: photo(site.root / "static/images/spare.jpg", 300, 200, seed=5)),
        ("a story's fix", lambda: story(site, 27, body="Twenty-seven, fixed.")),
        ("the photo removed", lambda: (site.root / "static/images/spare.jpg").unlink()),
    ])
    assert not (site.public / "images/spare.jpg").exists()
    # A file of static/ that is not a picture is copied in place too (gazette.build.static_in_place).
    each_built_in_place(site, tmp_path, [("a file not a picture", lambda: (site.root / "static/notes.txt").write_text(
        "Not a picture.\n"))])


def test_edits_kept_by_an_older_gazette_plan_the_site_again(site, tmp_path):
    # Gazette upgraded over its cache: what an older one kept lacks a field this one reads.
    keep_a_plan(site, tmp_path)
    cache = BuildCache(site.root / ".cache" / "gazette.sqlite")
    try:
        older = object.__new__(plan_edits.PlanEdits)
        older.__dict__.update({name: value for name, value in vars(plan_edits.last_edits(cache)).items()
                               if name != "pictures"})
        plan_edits.store_edits(cache, older)
    finally:
        cache.close()
    story(site, 6, title="Story Six, Fixed")
    assert planned_again(built_as_cold(site, tmp_path, NOW))


def test_the_edits_carried_before_the_site_is_planned_again_grow_with_the_root_of_the_archive():
    # Planning the site costs in proportion to the archive, each edit carried a little more on
    # every later build: the count that costs least over a run grows as the square root.
    assert plan_edits.max_edited(0) == plan_edits.max_edited(1_000) == plan_edits.MIN_EDITED
    for articles in (10_000, 40_000, 100_000, 400_000):
        assert plan_edits.max_edited(articles) > plan_edits.MIN_EDITED
        assert abs(plan_edits.max_edited(4 * articles) - 2 * plan_edits.max_edited(articles)) <= 1


def test_an_edit_that_breaks_the_article_is_reported_as_ever_and_its_fix_built_in_place(site, tmp_path):
    keep_a_plan(site, tmp_path)
    (site.root / "content/2021/story-6.md").write_text("---\ntitle: [unclosed\n---\nBody.\n")
    with pytest.raises(GazetteError) as failure:
        built_as_cold(site, tmp_path, NOW)
    assert "story-6.md:3: front matter is not valid YAML" in str(failure.value)
    story(site, 6, body="Fixed.")
    assert not planned_again(built_as_cold(site, tmp_path, NOW))


def test_a_plan_is_kept_only_by_a_build_after_an_edit_of_articles(site, tmp_path):
    # Keeping the plan costs a full build about 1 s at 10,000 articles: only worth it where
    # the next build is likely an edit in place too, while editing: not after an added story
    # with no plan kept. A deleted one, while a plan is kept, is built in place from it
    # (gazette.build.shifted), and so is the next edit.
    plan_file = site.root / ".cache" / keep_plan.STORE_FILE
    built_as_cold(site, tmp_path, NOW)
    assert not plan_file.exists()
    site.add("2021/new.md", article("New", "2021-06-20", "[AI]"))
    assert planned_again(built_as_cold(site, tmp_path, NOW)) and not plan_file.exists()
    planned = []
    for title in ("Story Six, Renamed", "Story Six", "Story Six, Again"):
        story(site, 6, title=title)
        planned.append(planned_again(built_as_cold(site, tmp_path, NOW)))
        if title == "Story Six":
            (site.root / "content/2021/new.md").unlink()
            planned.append(planned_again(built_as_cold(site, tmp_path, NOW)))
    assert planned == [True, False, False, False]
    shutil.rmtree(site.public)  # as a deploy from a fresh checkout, with the cache restored
    plan_file.unlink()
    story(site, 6, title="Story Six, Deployed")
    assert planned_again(built_as_cold(site, tmp_path, NOW)) and not plan_file.exists()


def states(**files: tuple[int, int] | None) -> FileStates:
    """The states of files named by keywords: (size, mtime_ns), or None for one gone."""
    return file_states([f"{name}.md" for name in files], {
        f"{name}.md": SimpleNamespace(st_size=state[0], st_mtime_ns=state[1]) for name, state in files.items() if state})


def test_which_articles_were_edited_or_added_since_the_last_build_when_nothing_else_changed():
    then = plan_edits.PlanEdits(None, "frame", states(a=(1, 1), b=(2, 2)).kept(), {}, NOW)
    before = NOW.replace(year=2025)
    edited = plan_edits.edited_articles
    assert edited(then, "frame", states(a=(1, 1), b=(2, 3)), before) == (["b.md"], [], [])  # a new time
    assert edited(then, "frame", states(a=(3, 1), b=(2, 2)), before) == (["a.md"], [], [])  # a new size
    assert edited(then, "frame", states(a=(1, 1), b=None), before) == (["b.md"], [], [])  # gone since it was found
    assert edited(then, "frame", states(a=(1, 1), b=(2, 2)), before) == ([], [], [])
    assert edited(then, "another frame", states(a=(1, 1), b=(2, 3)), before) == ([], [], [])  # a template, say
    assert edited(then, "frame", states(a=(1, 1), b=(2, 2), c=(3, 3)), before, ["c.md"]) == ([], ["c.md"], [])  # added
    assert edited(then, "frame", states(a=(1, 1), b=(2, 4), c=(3, 3)), before, ["c.md"]) == (["b.md"], ["c.md"], [])
    assert edited(then, "frame", states(a=(1, 1), b=(2, 2), c=(3, 3)), before) == ([], [], [])  # added, not known as new
    assert edited(then, "frame", states(a=(1, 1), c=(3, 3)), before, ["c.md"]) == ([], [], [])  # b renamed as c
    assert edited(then, "frame", states(a=(1, 2)), before) == ([], [], [])  # deleted
    # The clock takes stories off the news sitemap (`next_due`), which is built in place; when it
    # publishes a scheduled story, the site is planned.
    assert edited(then, "frame", states(a=(1, 1), b=(2, 3)), NOW) == (["b.md"], [], [])
    scheduled = dataclasses.replace(then, next_scheduled=NOW)
    assert edited(scheduled, "frame", states(a=(1, 1), b=(2, 3)), before) == (["b.md"], [], [])
    assert edited(scheduled, "frame", states(a=(1, 1), b=(2, 3)), NOW) == ([], [], [])
    assert edited(None, "frame", states(a=(1, 1)), before) == ([], [], [])
    # An article of the plan may be gone (see gazette.build.shifted), or one added since.
    news = dataclasses.replace(then, added=(SimpleNamespace(article=SimpleNamespace(source_path="c.md")),))
    assert edited(news, "frame", states(a=(1, 1)), before, [], ["b.md"]) == ([], [], ["b.md"])
    with_c = dataclasses.replace(news, states=states(a=(1, 1), b=(2, 2), c=(3, 3)).kept())
    assert edited(with_c, "frame", states(a=(1, 1), b=(2, 2)), before, [], ["c.md"]) == ([], [], ["c.md"])
    assert edited(with_c, "frame", states(a=(1, 1), b=(2, 5)), before, [], ["c.md"]) == (["b.md"], [], ["c.md"])


def test_the_states_of_files_hash_what_they_hold():
    digests = {states(a=(1, 1), b=(2, 2)).digest(), states(a=(1, 1), b=(2, 3)).digest(), states(a=(1, 1)).digest(),
               states(a=(1, 1), c=(2, 2)).digest(), states(a=(1, 1), b=None).digest(), states(a=(2, 1), b=(2, 2)).digest()}
    assert len(digests) == 6
    assert states(a=(1, 1), b=(2, 2)).digest() == states(a=(1, 1), b=(2, 2)).digest()


def test_the_days_news_is_built_in_place_as_a_cold_build_makes_it(site, tmp_path):
    keep_a_plan(site, tmp_path)
    steps = [
        ("a story dated after every other", lambda: story(site, 30, date="2021-06-30T12:00:00", topics="[AI]", tags="[tag1]")),
        ("its headline fixed", lambda: story(site, 30, date="2021-06-30T12:00:00", topics="[AI]", tags="[tag1]",
                                             title="Story Thirty, Fixed")),
        # Without a `source:`, a story is found again by its body's digest: written on, it has another.
        ("its body written on", lambda: story(site, 30, date="2021-06-30T12:00:00", topics="[AI]", tags="[tag1]",
                                              title="Story Thirty, Fixed", body="Body of story 30.\n\nWritten on.")),
        ("and on", lambda: story(site, 30, date="2021-06-30T12:00:00", topics="[AI]", tags="[tag1]",
                                 title="Story Thirty, Fixed", body="Body of story 30.\n\nWritten on and on.")),
        ("an older story's body", lambda: story(site, 27, body="Twenty-seven, fixed.")),
        ("its tags changed", lambda: story(site, 30, date="2021-06-30T12:00:00", topics="[AI]", tags="[tag0]",
                                           title="Story Thirty, Fixed", body="Body of story 30.\n\nWritten on and on.")),
    ]
    report = each_built_in_place(site, tmp_path, steps, walked=False)
    assert "2021/06/story-30/index.html" in report.changed
    # Deleted again: its address, published, no longer answers, as a plan of the whole site tells.
    (site.root / "content/2021/story-30.md").unlink()
    report = built_as_cold(site, tmp_path, NOW)
    assert not planned_again(report)
    assert "2021/06/story-30/index.html" in report.changed and not (site.public / "2021/06/story-30").exists()
    assert measured_as_a_walk(site, tmp_path, report)
    assert [str(w) for w in report.warnings if "no longer answers" in str(w)] == [(
        "content/2021/story-30.md: warning: the published URL /2021/06/story-30/ no longer answers: its article is gone. "
        "Restore it, or list the address in another article's aliases")]
    story(site, 24, body="Twenty-four, fixed.")  # and still, after an edit
    assert not planned_again(report := built_as_cold(site, tmp_path, NOW))
    assert any("/2021/06/story-30/ no longer answers" in str(w) for w in report.warnings)
    # A story that tells another's (its identity), which keeps its page: in place.
    story(site, 31, date="2021-06-30T13:00:00", topics="[Energy]", tags="[tag0]", body="Body of story 12.\n\n## Part\n\nMore.")
    assert not planned_again(built_as_cold(site, tmp_path, NOW))
    # The home page's eighth page: in place too (it, and the three pages whose pager changes), and the next story.
    story(site, 32, date="2021-06-30T14:00:00", topics="[Robotics]", tags="[tag3]")
    assert not planned_again(report := built_as_cold(site, tmp_path, NOW))
    assert {"page/8/index.html", "page/5/index.html"} <= set(report.changed)
    assert "page/4/index.html" not in report.changed
    story(site, 33, date="2021-06-30T15:00:00", topics="[AI]", tags="[tag1]")
    assert not planned_again(built_as_cold(site, tmp_path, NOW))
    # One that tells the deleted story 30: its lost address now leads to it, as the whole plan finds.
    story(site, 34, date="2021-06-30T16:00:00", topics="[AI]", tags="[tag1]", body="Body of story 30.\n\nWritten on and on.")
    assert planned_again(built_as_cold(site, tmp_path, NOW))
    assert "2021/06/story-34/" in (site.public / "2021/06/story-30/index.html").read_text()


def test_drafts_written_on_published_and_deleted_are_built_in_place_as_a_cold_build_makes_them(site, tmp_path):
    # A draft is left out of the site: saving one changes no page, and publishing it is the day's news.
    story(site, 31, date="2021-06-30T13:00:00", topics="[Energy]", draft="true")  # one the plan knows
    keep_a_plan(site, tmp_path)
    day = {"date": "2021-06-30T12:00:00", "topics": "[AI]", "tags": "[tag1]"}
    steps = [
        ("a new draft", lambda: story(site, 30, draft="true", **day)),
        ("written on", lambda: story(site, 30, draft="true", body="Written on.", **day)),
        ("the plan's draft written on", lambda: story(site, 31, date="2021-06-30T13:00:00", topics="[Energy]",
                                                      draft="true", body="Thirty-one, written on.")),
        ("a draft dated far back", lambda: story(site, 32, date="2021-01-20", draft="true")),
        ("the new draft published", lambda: story(site, 30, body="Written on.", **day)),
        ("the plan's draft published", lambda: story(site, 31, date="2021-06-30T13:00:00", topics="[Energy]",
                                                     body="Thirty-one, written on.")),
        ("the draft dated far back deleted", lambda: (site.root / "content/2021/story-32.md").unlink()),
        ("a draft in a topic site.toml lacks, which another story names", lambda: story(
            site, 33, date="2021-06-28", topics="[Zoology]", draft="true")),
    ]
    report = each_built_in_place(site, tmp_path, steps[:4])
    assert report.written == 0  # no page shows a draft
    report = each_built_in_place(site, tmp_path, steps[4:6])
    assert "2021/06/story-31/index.html" in report.changed
    # Published since the plan, then taken back as a draft: built as its deletion is.
    each_built_in_place(site, tmp_path, [("taken back", lambda: story(site, 30, draft="true", body="Written on.", **day))])
    each_built_in_place(site, tmp_path, steps[6:7])
    story(site, 32, date="2021-06-29", topics="[Zoology]")  # a new topic: planned, the warning names it
    assert planned_again(built_as_cold(site, tmp_path, NOW))
    each_built_in_place(site, tmp_path, steps[7:])
    (site.root / "content/2021/story-33.md").unlink()
    assert not planned_again(built_as_cold(site, tmp_path, NOW))
    # A draft whose file comes first in that topic: the warning names it now, and once it is deleted the next.
    site.add("2021/aardvark.md", article("Aardvark", "2021-06-20", "[Zoology]", draft="true"))
    report = built_as_cold(site, tmp_path, NOW)
    assert planned_again(report) and any("aardvark.md" in str(warning) and "Zoology" in str(warning)
                                         for warning in report.warnings)
    (site.root / "content/2021/aardvark.md").unlink()
    report = built_as_cold(site, tmp_path, NOW)
    assert planned_again(report) and any("story-32.md" in str(warning) and "Zoology" in str(warning)
                                         for warning in report.warnings)
    story(site, 40, date="2021-06-27", draft="true", image="images/plant.jpg")  # no image_alt: a warning, in place
    report = built_as_cold(site, tmp_path, NOW)
    assert not planned_again(report) and any("story-40.md" in str(warning) for warning in report.warnings)


def test_scheduled_stories_are_built_in_place_and_reported_as_a_cold_build_reports_them(site, tmp_path):
    # A story dated after now waits for its time: it shows on no page, and each build reports it.
    story(site, 41, date="2026-07-01", topics="[Energy]")  # one the plan knows
    keep_a_plan(site, tmp_path)

    day = {"topics": "[AI]", "tags": "[tag1]"}
    report = each_built_in_place(site, tmp_path, [("a story scheduled", lambda: story(site, 42, date="2026-06-15", **day))])
    assert scheduled(report) == [("story-41.md", "2026-07-01"), ("story-42.md", "2026-06-15")]
    report = each_built_in_place(site, tmp_path, [
        ("written on", lambda: story(site, 42, date="2026-06-15", body="Written on.", **day)),
        ("put off", lambda: story(site, 42, date="2026-08-01", body="Written on.", **day)),
        ("the plan's written on", lambda: story(site, 41, date="2026-07-01", topics="[Energy]", body="Forty-one.")),
    ])
    assert scheduled(report) == [("story-41.md", "2026-07-01"), ("story-42.md", "2026-08-01")]
    report = each_built_in_place(site, tmp_path, [("the plan's deleted", lambda: (site.root / "content/2021/story-41.md").unlink())])
    assert scheduled(report) == [("story-42.md", "2026-08-01")]
    # Brought forward to a time now past: the day's news.
    report = each_built_in_place(site, tmp_path, [
        ("published now", lambda: story(site, 42, date="2021-06-30T12:00:00", body="Written on.", **day))])
    assert "2021/06/story-42/index.html" in report.changed and scheduled(report) == []
    report = each_built_in_place(site, tmp_path, [("another scheduled", lambda: story(site, 43, date="2026-06-15", **day))])
    assert scheduled(report) == [("story-43.md", "2026-06-15")]
    # Its time come, the site is planned with it, as a cold build then makes it.
    report = built_as_cold(site, tmp_path, NOW + timedelta(days=15))
    assert planned_again(report) and scheduled(report) == [] and (site.public / "2026/06/story-43/index.html").exists()


def test_stories_with_warnings_are_built_in_place_and_warned_of_as_a_cold_build_warns(site, tmp_path):
    # An editor's slip (an unknown field, a picture without alt text) warns, and is fixed at once:
    # each is built in place, its warnings where a plan of the whole site puts them.
    keep_a_plan(site, tmp_path)
    day = {"date": "2021-06-30T12:00:00", "topics": "[AI]"}

    def warned_of(name: str) -> list[str]:
        return [str(warning).split("/site/")[-1] for warning in report.warnings
                if f"/{name}" in str(warning) and "no longer answers" not in str(warning)]  # its own

    report = each_built_in_place(site, tmp_path, [("the day's story, a field misspelt", lambda: story(site, 30, tag="[tag1]", **day))])
    assert warned_of("story-30.md") == [
        "content/2021/story-30.md:6: warning: unknown field 'tag' is ignored (did you mean 'tags'?)"]
    report = each_built_in_place(site, tmp_path, [
        ("fixed", lambda: story(site, 30, tags="[tag1]", **day)),
        ("a story of the plan, its picture's alt text taken out", lambda: story(site, 4, image="images/plant.jpg")),
        ("a backdated story, a field misspelt", lambda: story(site, 31, date="2021-03-20", summry="A summary.")),
        ("a draft, a field misspelt", lambda: story(site, 32, draft="true", autor="Jane Doe", **day)),
    ])
    assert [name for name in ("story-30.md", "story-4.md", "story-31.md", "story-32.md") if warned_of(name)] == \
        ["story-4.md", "story-31.md", "story-32.md"]
    report = each_built_in_place(site, tmp_path, [
        ("the backdated story deleted", lambda: (site.root / "content/2021/story-31.md").unlink()),
        ("the plan's story fixed", lambda: story(site, 4, image="images/plant.jpg", image_alt="A plant")),
    ])
    assert [name for name in ("story-4.md", "story-31.md", "story-32.md") if warned_of(name)] == ["story-32.md"]


def test_corrections_and_updates_are_built_in_place_as_a_cold_build_makes_them(site, tmp_path, monkeypatch):
    # A correction shows on its story's page and on /corrections/ and its feed, and dates the story
    # anew (its lists, month and sitemaps), as an `updated:` date does: a move among the others.
    # Each move is carried by the builds after it: a small site plans again after ten or so of these.
    monkeypatch.setattr(plan_edits, "MIN_CARRIED_PAGES", 10_000)
    story(site, 20, corrections="[{date: 2021-04-01, text: A name was wrong.}]")  # one the plan has
    keep_a_plan(site, tmp_path)
    first = "{date: 2021-03-01, text: An earlier version misspelt a name.}"
    second = "{date: 2021-05-01, text: A figure was wrong.}"
    other = "{date: 2021-06-20, text: A date was wrong.}"
    report = each_built_in_place(site, tmp_path, [
        ("a first correction", lambda: story(site, 12, corrections=f"[{first}]")),
        ("the plan's corrected story deleted", lambda: (site.root / "content/2021/story-20.md").unlink()),
        ("another story's", lambda: story(site, 5, corrections=f"[{other}]")),
        ("the first's text fixed", lambda: story(site, 12, corrections=f"[{first.replace('a name', 'a surname')}]")),
        ("a second correction to it", lambda: story(site, 12, corrections=f"[{first}, {second}]")),
        ("an update", lambda: story(site, 7, updated="2021-06-01")),
        ("a corrected story's headline", lambda: story(site, 5, title="Story Five", corrections=f"[{other}]")),
        ("the first's corrections taken out", lambda: story(site, 12)),
        ("a backdated story with a correction", lambda: story(site, 31, date="2021-03-20", corrections=f"[{second}]")),
        ("a corrected story deleted", lambda: (site.root / "content/2021/story-31.md").unlink()),
    ])
    assert {"corrections/index.html", "corrections/feed.xml", "sitemap.xml"} <= set(report.changed)
    # The day's story, corrected the same day, then deleted.
    day = {"date": "2021-06-30T12:00:00", "topics": "[AI]"}
    report = each_built_in_place(site, tmp_path, [
        ("the day's story", lambda: story(site, 32, **day)),
        ("corrected", lambda: story(site, 32, corrections="[{date: 2021-06-30, text: A title was wrong.}]", **day)),
        ("its correction fixed", lambda: story(site, 32, corrections="[{date: 2021-06-30, text: A name was wrong.}]", **day)),
    ])
    assert "A name was wrong." in (site.public / "corrections/index.html").read_text()
    each_built_in_place(site, tmp_path, [("deleted", lambda: (site.root / "content/2021/story-32.md").unlink())])
    # The last correction taken out: /corrections/ is dated as the site is, which the whole plan knows.
    story(site, 5, title="Story Five")
    assert planned_again(built_as_cold(site, tmp_path, NOW))
    # A correction dated after every story dates the site anew: built in place.
    story(site, 9, corrections="[{date: 2021-07-15, text: Late.}]")
    assert not planned_again(built_as_cold(site, tmp_path, NOW))


def test_a_correction_dated_after_the_plans_stories_but_before_the_news_is_built_in_place(site, tmp_path):
    # The news date the site (`plan_newest`): a correction older than they are leaves its date as it is.
    keep_a_plan(site, tmp_path)
    each_built_in_place(site, tmp_path, [
        ("the day's story", lambda: story(site, 32, date="2021-07-02T12:00:00", topics="[AI]")),
        ("the plan's newest story corrected the day before", lambda: story(
            site, 29, body="A first fix.", corrections="[{date: 2021-07-01, text: A place was wrong.}]")),
    ])
    # Without the news, that correction dates the site, anew: built in place too.
    (site.root / "content/2021/story-32.md").unlink()
    assert not planned_again(built_as_cold(site, tmp_path, NOW))


def test_a_story_of_the_plan_taken_back_as_a_draft_is_built_in_place_as_a_cold_build_makes_it(site, tmp_path):
    # Unpublished (`draft: true`): its pages go as a retraction's do, its address warned of as lost;
    # written on as a draft, nothing changes; published again, it is back where it stood.
    keep_a_plan(site, tmp_path)
    report = each_built_in_place(site, tmp_path, [
        ("a story taken back as a draft", lambda: story(site, 14, draft="true")),
    ])
    assert not (site.public / "2021/03/story-14").exists()
    assert any("/2021/03/story-14/ no longer answers" in str(warning) for warning in report.warnings)
    report = each_built_in_place(site, tmp_path, [
        ("written on as a draft", lambda: story(site, 14, draft="true", body="Fourteen, rewritten.")),
        ("another story's headline", lambda: story(site, 8, title="Story Eight, Renamed")),
    ])
    assert report.written <= 12  # the headline's pages alone
    each_built_in_place(site, tmp_path, [("published again", lambda: story(site, 14, body="Fourteen, rewritten."))])
    assert (site.public / "2021/03/story-14/index.html").exists()
    # The story the warning of a topic site.toml lacks names: the whole plan names the next.
    story(site, 11, draft="true")
    assert planned_again(built_as_cold(site, tmp_path, NOW))


def test_a_draft_saved_again_and_again_changes_no_file_and_indexes_nothing(site, tmp_path, monkeypatch):
    # Each build compares no file of the live site: none is "removed", and the search index is
    # left as it is; nor does a photo added next make the index of every page again.
    keep_a_plan(site, tmp_path)
    for take in range(3):
        story(site, 30, date="2021-06-30T12:00:00", draft="true", body=f"Take {take}.")
        report = built_as_cold(site, tmp_path, NOW)
        assert not planned_again(report)
        assert (report.written, report.removed, dict(report.stages).get("search index")) == (0, 0, None), take
    indexed = []
    index_site = publish.index_site
    monkeypatch.setattr(publish, "index_site", lambda staging, months, output, changed, *args: (
        indexed.append(changed), index_site(staging, months, output, changed, *args)))
    photo(site.root / "static/images/alone.jpg", 800, 600)
    assert not planned_again(build(BuildOptions(Project.at(site.root), now=NOW)))
    assert indexed == [{"images/alone.jpg"}]


def test_a_new_story_written_on_until_it_tells_a_deleted_one_plans_the_site(site, tmp_path):
    # Written on, a story without `source:` is found by another identity: built in place, unless
    # an address the record keeps may lead to it now, which only a plan of the whole site tells.
    keep_a_plan(site, tmp_path)
    for i, hour in ((30, 12), (31, 13)):
        story(site, i, date=f"2021-06-30T{hour}:00:00", topics="[AI]")
        assert not planned_again(built_as_cold(site, tmp_path, NOW))
    (site.root / "content/2021/story-30.md").unlink()
    assert not planned_again(built_as_cold(site, tmp_path, NOW))
    story(site, 31, date="2021-06-30T13:00:00", topics="[AI]", body="Body of story 31, written on.")
    assert not planned_again(built_as_cold(site, tmp_path, NOW))
    story(site, 31, date="2021-06-30T13:00:00", topics="[AI]", body="Body of story 30.\n\n## Part\n\nMore.")
    assert planned_again(built_as_cold(site, tmp_path, NOW))
    assert "2021/06/story-31/" in (site.public / "2021/06/story-30/index.html").read_text()


def test_a_story_of_the_plan_deleted_is_built_in_place_as_a_cold_build_makes_it(site, tmp_path):
    # A story retracted: it leaves its lists (each page from the one that showed it to page 1
    # takes one story from the next newer), its month, its neighbours' pages and those whose
    # related stories were ranked from a window it was in. The deletion is carried: each build
    # in place after it plans those pages again.
    keep_a_plan(site, tmp_path)
    gone = lambda i: (site.root / f"content/2021/story-{i}.md").unlink()  # noqa: E731
    steps = [
        ("a story deleted from the middle of its lists", lambda: gone(14)),
        ("an older story's body, with the deletion carried", lambda: story(site, 12, body="Twelve, fixed.")),
        ("the headline of a story whose window it was in", lambda: story(site, 17, title="Story 17, Fixed")),
        ("another story deleted", lambda: gone(23)),
    ]
    report = each_built_in_place(site, tmp_path, steps, walked=False)
    assert "2021/06/story-23/index.html" in report.changed
    assert not (site.public / "2021/03/story-14").exists() and not (site.public / "2021/06/story-23").exists()
    assert sorted(str(w) for w in report.warnings if "no longer answers" in str(w)) == [
        f"content/2021/story-{i}.md: warning: the published URL /2021/{month}/story-{i}/ no longer answers: its article "
        "is gone. Restore it, or list the address in another article's aliases" for i, month in ((14, "03"), (23, "06"))]
    # A list that needs a page fewer (AI, 20 stories to 19, four to a page): its newest numbered
    # page goes, page 1 takes its stories, and the pager of the three newest left changes.
    gone(13)
    report = built_as_cold(site, tmp_path, NOW)
    assert not planned_again(report) and "topics/ai/page/5/index.html" in report.changed
    assert not (site.public / "topics/ai/page/5").exists()
    # The story that dates the site (the newest): the pages dated as the site is (those listing
    # the topics, tags and authors, the archive, search) take the date of the newest story left,
    # and so do their lines in the sitemaps; then the next newest.
    gone(29)
    assert not planned_again(built_as_cold(site, tmp_path, NOW))
    gone(17)
    assert not planned_again(built_as_cold(site, tmp_path, NOW))


def test_news_and_retractions_together_are_built_in_place_as_a_cold_build_makes_them(site, tmp_path):
    # A day of news with retractions in it: each is carried beside the other, and each build in
    # place plans the pages of both, the news' over those the deletions left.
    keep_a_plan(site, tmp_path)
    gone = lambda i: (site.root / f"content/2021/story-{i}.md").unlink()
    news = lambda i, hour, **changes: story(
        site, i, date=f"2021-06-30T{hour}:00:00", topics="[AI]", tags="[tag1]", **changes)
    steps = [  # AI has 20 stories, four to a page (five pages), and tag1 8 (two)
        ("a deletion and a story in one build: the lists it leaves a page fewer, the story fills again",
         lambda: (gone(13), news(30, 12))),
        ("its body written on", lambda: news(30, 12, body="Body of story 30.\n\nWritten on.")),
        ("a story of the plan deleted, with the news carried", lambda: gone(14)),
        ("another deletion and story in one build", lambda: (gone(16), news(31, 13))),
        ("AI left a page fewer, with the news carried", lambda: gone(10)),
        ("the next story gives it back", lambda: news(32, 14)),
        ("the day's first story deleted again", lambda: gone(30)),
        ("an older story's headline", lambda: story(site, 12, title="Story 12, Fixed")),
    ]
    report = each_built_in_place(site, tmp_path, steps)
    assert not (site.public / "topics/ai/page/5").exists()
    assert sorted(str(w).split(": ", 1)[0] for w in report.warnings if "no longer answers" in str(w)) == [
        f"content/2021/story-{i}.md" for i in (10, 13, 14, 16, 30)]
    # A story that tells a retracted one (its identity): its lost address may lead to it now, as
    # only the whole plan tells.
    news(33, 15, body="Body of story 14.\n\n## Part\n\nMore.")
    assert planned_again(built_as_cold(site, tmp_path, NOW))
    assert "2021/06/story-33/" in (site.public / "2021/03/story-14/index.html").read_text()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_day_of_news_backdated_stories_retractions_moves_undos_and_fixes_in_any_order_builds_as_a_cold_build(
        site, tmp_path, seed, monkeypatch):
    # The changes an editor's day mixes, in an order drawn at random (seeded): each build,
    # in place or not, gives what a cold build gives, output and record. Each carried
    # backdated story or deletion costs later builds its pages, and a move counts twice (deleted
    # and added): on so small a site, the budgets would plan the site again within the day (see
    # the test of a deletion far back carried).
    monkeypatch.setattr(plan_edits, "MIN_CARRIED_PAGES", 100_000)
    monkeypatch.setattr(plan_edits, "MIN_EDITED", 100)
    random = Random(seed)
    keep_a_plan(site, tmp_path)
    news: dict[int, dict[str, str]] = {}  # the day's stories, by number: their fields
    backdated: dict[int, dict[str, str]] = {}  # stories dated among the plan's, by number: their fields
    deleted: list[int] = []
    moved: set[int] = set()  # stories of the plan moved in their month, or to another tag
    moved_away: set[int] = set()  # stories of the plan moved to another month (another address)

    def add_news():
        i = 30 + len(news)
        news[i] = {"date": f"2021-06-30T{12 + len(news)}:00:00", "topics": random.choice(["[AI]", "[Robotics]"]),
                   "tags": f"[tag{random.randrange(4)}]"}
        story(site, i, **news[i])

    def delete_story():  # not one moved away: written back where it stood, its last address must redirect too
        i = random.choice([i for i in (*range(5, 29), *news, *backdated) if i not in deleted and i not in moved_away])
        (site.root / f"content/2021/story-{i}.md").unlink()
        deleted.append(i)

    def add_backdated():  # dated among the plan's stories, in a month it has
        i = 50 + len(backdated)
        backdated[i] = {"date": f"2021-0{random.randrange(1, 7)}-{random.randrange(10, 28)}T08:{len(backdated):02d}:00",
                        "topics": random.choice(["[AI]", "[Robotics]", "[Energy, AI]"]),
                        "tags": f"[tag{random.randrange(4)}]"}
        story(site, i, **backdated[i])

    def undo():  # a deleted story written back as it was
        i = deleted.pop(random.randrange(len(deleted)))
        story(site, i, **news.get(i, backdated.get(i, {})))

    def fix():  # not one moved away: written as it first was, it would move back (see `move_away`)
        i = random.choice([i for i in range(5, 29) if i not in deleted and i not in moved_away])
        story(site, i, title=f"Story {i}, fixed by {seed}")

    def move():  # a story of the plan redated within its month, or given another tag
        i = random.choice([i for i in range(5, 29) if i not in deleted and i not in moved_away])
        moved.add(i)
        story(site, i, **random.choice([{"date": f"2021-{1 + i % 6:02d}-{random.randrange(1, 29):02d}T09:00:00"},
                                        {"tags": f"[tag{random.randrange(4)}]"}]))

    def move_away():  # a story of the plan redated to another month, its text perhaps rewritten (its identity)
        i = random.choice([i for i in range(5, 29) if i not in deleted and i not in moved | moved_away])
        moved_away.add(i)
        month = random.choice([month for month in range(1, 7) if month != 1 + i % 6])
        story(site, i, date=f"2021-{month:02d}-{random.randrange(1, 29):02d}T10:00:00",
              **random.choice([{}, {"body": f"Story {i}, moved and rewritten by {seed}."}]))

    planned = []
    for _ in range(14):
        change = random.choice([add_news, add_backdated, delete_story, fix, move, move_away,
                                *([undo] if deleted else [])])
        change()
        if planned_again(built_as_cold(site, tmp_path, NOW)):
            planned.append(change.__name__)
    assert planned == []  # each of these changes is built in place


def test_a_story_leaving_the_news_sitemap_with_the_clock_is_built_in_place(site, tmp_path):
    # The news sitemap lists the stories of the last two days: each leaves it as the clock
    # passes, which changes that page alone. Not a reason to plan the whole site, twice (the
    # build the clock made planned it without keeping the plan, so the next edit planned it again).
    morning = datetime(2021, 7, 1, 12, tzinfo=timezone.utc)
    for hour in (1, 2, 3):  # in the plan
        story(site, 29 + hour, date=f"2021-07-01T0{hour}:00:00", topics="[AI]", tags="[tag1]")
    keep_a_plan(site, tmp_path, morning)
    later = morning + timedelta(days=1, hours=13, minutes=30)  # the story of 01:00 has left the window
    assert not planned_again(report := built_as_cold(site, tmp_path, later))  # nothing changed but the clock
    assert report.changed == ("news-sitemap.xml",)
    # Dated anew: nothing changes until the next story leaves it.
    assert "edit in place" not in dict(built_as_cold(site, tmp_path, later).stages)
    story(site, 6, body="Six, fixed.")
    assert not planned_again(built_as_cold(site, tmp_path, later))
    story(site, 33, date="2021-07-02T23:00:00", topics="[AI]", tags="[tag1]")  # the day's news, carried
    assert not planned_again(built_as_cold(site, tmp_path, later))
    later += timedelta(hours=1)  # the story of 02:00 leaves too, with an edit
    story(site, 7, body="Seven, fixed.")
    assert not planned_again(built_as_cold(site, tmp_path, later))
    # A scheduled story is built in place (no page shows it); its time come, it is planned with the whole site.
    story(site, 34, date="2021-07-04T12:00:00", topics="[AI]", tags="[tag1]")
    assert not planned_again(built_as_cold(site, tmp_path, later))
    assert planned_again(built_as_cold(site, tmp_path, datetime(2021, 7, 4, 13, tzinfo=timezone.utc)))


def test_a_deleted_story_written_again_is_built_in_place_as_a_cold_build_makes_it(site, tmp_path):
    # A story deleted by mistake, or a retraction taken back (an undo, `git restore`): the plan
    # still has it, so its pages are the plan's again, and no address is lost.
    keep_a_plan(site, tmp_path)
    gone = lambda: (site.root / "content/2021/story-14.md").unlink()
    steps = [
        ("a story deleted", gone),
        ("written again as it was", lambda: story(site, 14)),
        ("deleted again, beside the day's story", lambda: (gone(), story(site, 30, date="2021-06-30T12:00:00",
                                                                           topics="[AI]", tags="[tag1]"))),
        ("written again with its body fixed", lambda: story(site, 14, body="Fourteen, fixed.")),
        ("and its headline", lambda: story(site, 14, title="Story 14, Fixed", body="Fourteen, fixed.")),
    ]
    report = each_built_in_place(site, tmp_path, steps, walked=False)
    assert (site.public / "2021/03/story-14/index.html").exists()
    assert not any("no longer answers" in str(warning) for warning in report.warnings)
    # The day's story, deleted and written again: the news again.
    (site.root / "content/2021/story-30.md").unlink()
    assert not planned_again(built_as_cold(site, tmp_path, NOW))
    story(site, 30, date="2021-06-30T12:00:00", topics="[AI]", tags="[tag1]")
    assert not planned_again(report := built_as_cold(site, tmp_path, NOW))
    assert not any("no longer answers" in str(warning) for warning in report.warnings)
    # Written again at another time, with its first text: a move of the plan's story.
    gone()
    assert not planned_again(built_as_cold(site, tmp_path, NOW))
    story(site, 14, date="2021-03-16T12:00:00")
    assert not planned_again(built_as_cold(site, tmp_path, NOW))


def test_any_story_of_the_plan_deleted_and_restored_builds_as_a_cold_build(site, tmp_path):
    # Stories from every place in the lists and windows, each deleted (in place where
    # gazette.build.shifted plans it), then written again (which plans the site).
    keep_a_plan(site, tmp_path)
    in_place_deletions = 0
    for i in range(2, 30, 3):  # Robotics, from the oldest to the newest
        path = site.root / f"content/2021/story-{i}.md"
        text = path.read_text(encoding="utf-8")
        path.unlink()
        in_place_deletions += not planned_again(built_as_cold(site, tmp_path, NOW))
        path.write_text(text, encoding="utf-8")
        built_as_cold(site, tmp_path, NOW)
    # All but 11, which the warning of Robotics (a topic site.toml lacks) names as its first
    # story; 29, which dates the site, too.
    assert in_place_deletions == 9


def test_a_run_of_added_or_deleted_stories_keeps_the_plan_from_its_second_build_on(site, tmp_path):
    # After a build that kept no plan (a template edit, a deploy), one new or deleted story
    # plans the site and keeps nothing: it may be the only one. A second in a row keeps the
    # plan, so that the rest of the day's news is built in place.
    plan_file = site.root / ".cache" / keep_plan.STORE_FILE
    built_as_cold(site, tmp_path, NOW)
    steps = [
        ("a story deleted", lambda: (site.root / "content/2021/story-3.md").unlink()),
        ("a story dated after every other", lambda: story(site, 30, date="2021-06-30T12:00:00", topics="[AI]")),
        ("another", lambda: story(site, 31, date="2021-06-30T13:00:00", topics="[Robotics]", tags="[tag2]")),
        ("and another", lambda: story(site, 32, date="2021-06-30T14:00:00", topics="[Energy]", tags="[tag3]")),
    ]
    seen = []
    for step, change in steps:
        change()
        seen.append((step, planned_again(built_as_cold(site, tmp_path, NOW)), plan_file.exists()))
    assert seen == [("a story deleted", True, False), ("a story dated after every other", True, True),
                    ("another", False, True), ("and another", False, True)]


def test_the_days_news_renders_again_only_the_pages_it_changes(site, tmp_path):
    # The newest stories of its topics and tags rank their related stories from a window the
    # new story enters: those that rank it out of the stories they show keep their bytes, as
    # they do when it is deleted again.
    # (Without the search page, whose topic filter is fingerprinted by the topics' counts, which
    # it does not show.)
    toml = site.root / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('language = "en"', 'language = "en"\nsearch = false'),
                    encoding="utf-8")
    keep_a_plan(site, tmp_path)
    for number, topics, tags in ((30, "[AI]", "[tag1]"), (31, "[Robotics]", "[tag2, tag3]")):
        story(site, number, date=f"2021-06-30T{number - 18}:00:00", topics=topics, tags=tags)
        report = built_as_cold(site, tmp_path, NOW)
        assert not planned_again(report)
        assert report.rendered == report.written, number
    for number in (31, 30):  # and deleted again, after an edit (else the spare folder holds the site without it)
        story(site, 27, body=f"Twenty-seven, before {number} goes.")
        assert not planned_again(built_as_cold(site, tmp_path, NOW))
        (site.root / f"content/2021/story-{number}.md").unlink()
        report = built_as_cold(site, tmp_path, NOW)
        assert not planned_again(report)
        assert report.rendered == report.written, f"deleted {number}"


def test_a_story_with_a_new_tag_is_built_in_place(site, tmp_path):
    keep_a_plan(site, tmp_path)
    story(site, 30, date="2021-06-30T12:00:00", topics="[AI]", tags="[tag1, brand-new]")
    assert not planned_again(report := built_as_cold(site, tmp_path, NOW))
    assert {"tags/brand-new/index.html", "tags/brand-new/feed.xml", "tags/index.html"} <= set(report.changed)
    story(site, 27, body="Twenty-seven, fixed.")  # and an edit after it
    assert not planned_again(built_as_cold(site, tmp_path, NOW))
    # Deleted again, its tag goes too.
    (site.root / "content/2021/story-30.md").unlink()
    assert not planned_again(built_as_cold(site, tmp_path, NOW))
    assert not (site.public / "tags/brand-new").exists()


def test_a_story_in_a_topic_site_toml_lacks_is_warned_of_as_a_plan_of_the_site_warns(site, tmp_path):
    # A new topic is most often a typo: the warning names the story where a cold build names it,
    # so the story plans the site (which keeps its plan for the next edit).
    def zoology_warnings(report) -> list[str]:
        return [str(w).rsplit("/", 1)[-1] for w in report.warnings if "Zoology" in str(w)]

    warning = "story-{}.md: warning: topic 'Zoology' is not in site.toml; it gets a page all the same"
    keep_a_plan(site, tmp_path)
    story(site, 30, date="2021-06-30T12:00:00", topics="[AI, Zoology]")
    assert planned_again(report := built_as_cold(site, tmp_path, NOW))
    assert zoology_warnings(report) == [warning.format(30)]
    story(site, 27, body="Twenty-seven, fixed.")
    assert not planned_again(report := built_as_cold(site, tmp_path, NOW))
    assert zoology_warnings(report) == [warning.format(30)]
    # So does a story of the plan moved into it, which the warning names now (its file comes first).
    story(site, 12, topics="[Zoology]")
    assert planned_again(report := built_as_cold(site, tmp_path, NOW))
    assert zoology_warnings(report) == [warning.format(12)]
    # A topic the plan warns of already (Robotics, first in story 11's file): a story whose file
    # comes after is built in place, the warning as it was; one whose file comes first plans the site.
    robotics = "warning: topic 'Robotics' is not in site.toml; it gets a page all the same"
    story(site, 31, date="2021-06-30T13:00:00", topics="[Robotics]")
    assert not planned_again(report := built_as_cold(site, tmp_path, NOW))
    assert [str(w).rsplit("/", 1)[-1] for w in report.warnings if "Robotics" in str(w)] == [f"story-11.md: {robotics}"]
    site.add("2021/aardvark.md", article("Aardvark", "2021-06-30T14:00:00", "[Robotics]"))
    assert planned_again(report := built_as_cold(site, tmp_path, NOW))
    assert [str(w).rsplit("/", 1)[-1] for w in report.warnings if "Robotics" in str(w)] == [f"aardvark.md: {robotics}"]
    # The story the warning names deleted: the next is named, as the whole plan finds it.
    (site.root / "content/2021/aardvark.md").unlink()  # the newest story too, which dates the site
    assert planned_again(report := built_as_cold(site, tmp_path, NOW))
    assert [str(w).rsplit("/", 1)[-1] for w in report.warnings if "Robotics" in str(w)] == [f"story-11.md: {robotics}"]
    (site.root / "content/2021/story-11.md").unlink()
    assert planned_again(report := built_as_cold(site, tmp_path, NOW))
    assert [str(w).rsplit("/", 1)[-1] for w in report.warnings if "Robotics" in str(w)] == [f"story-14.md: {robotics}"]


@pytest.mark.parametrize("shard_pages", [600, 4], ids=["one search shard a year", "shards of a few months"])
def test_the_first_story_of_a_month_and_of_a_year_is_built_in_place(site, tmp_path, monkeypatch, shard_pages):
    monkeypatch.setattr("gazette.search.index.SHARD_PAGES", shard_pages)
    keep_a_plan(site, tmp_path)
    story(site, 30, date="2021-07-01T12:00:00", topics="[AI]", tags="[tag1]")
    assert not planned_again(report := built_as_cold(site, tmp_path, NOW))
    assert {"archive/2021/07/index.html", "archive/2021/index.html", "archive/index.html"} <= set(report.changed)
    story(site, 31, date="2022-01-01T12:00:00", topics="[AI]", tags="[tag1]")
    assert not planned_again(report := built_as_cold(site, tmp_path, NOW))
    assert {"archive/2022/01/index.html", "archive/2022/index.html", "archive/index.html"} <= set(report.changed)
    # Deleted again, their months and year go too.
    for number, gone in ((31, "archive/2022"), (30, "archive/2021/07")):
        (site.root / f"content/2021/story-{number}.md").unlink()
        assert not planned_again(built_as_cold(site, tmp_path, NOW))
        assert not (site.public / gone).exists()


def test_a_page_a_list_gained_goes_with_the_story_that_made_it(site, tmp_path):
    keep_a_plan(site, tmp_path)
    story(site, 30, date="2021-06-30T12:00:00", topics="[AI]", tags="[tag1]")
    story(site, 31, date="2021-06-30T13:00:00", topics="[AI]", tags="[tag1]")  # 32 stories, four to a page
    assert not planned_again(built_as_cold(site, tmp_path, NOW))
    assert (site.public / "page/8/index.html").exists()
    (site.root / "content/2021/story-31.md").unlink()
    assert not planned_again(report := built_as_cold(site, tmp_path, NOW))
    assert not (site.public / "page/8").exists()
    assert measured_as_a_walk(site, tmp_path, report)


def test_a_deletion_left_to_the_whole_plan_keeps_the_plan_for_the_next_story(site, tmp_path):
    # While editing, a plan is kept: deleting a story the plan has that gazette.build.shifted
    # leaves to the whole plan (one with old addresses of its own) plans the whole site, and
    # must keep that plan, or every story after it would plan the whole site too.
    story(site, 26, aliases="[/2020/old-26/]")
    keep_a_plan(site, tmp_path)
    (site.root / "content/2021/story-26.md").unlink()
    assert planned_again(built_as_cold(site, tmp_path, NOW))
    story(site, 30, date="2021-06-30T12:00:00", topics="[AI]", tags="[tag1]")
    assert not planned_again(built_as_cold(site, tmp_path, NOW))
    # Not after a change of anything but the articles (a template): no plan is kept then.
    (site.root / "templates/home.html").write_text((site.root / "templates/home.html").read_text() + "\n")
    (site.root / "content/2021/story-8.md").unlink()
    assert planned_again(built_as_cold(site, tmp_path, NOW))
    story(site, 31, date="2021-06-30T13:00:00", topics="[AI]", tags="[tag1]")
    assert planned_again(built_as_cold(site, tmp_path, NOW))


def test_a_story_added_after_the_deletion_of_one_was_planned_whole_is_built_in_place(site, tmp_path, monkeypatch):
    # The plan after the deletion has the files of the plan before the add: the spare output
    # folder, the site of the add, is known by the same base, with the deleted story's page.
    keep_a_plan(site, tmp_path)
    story(site, 30, date="2021-06-30T12:00:00", topics="[AI]", tags="[tag1]")
    assert not planned_again(built_as_cold(site, tmp_path, NOW))
    (site.root / "content/2021/story-30.md").unlink()
    with monkeypatch.context() as patched:
        patched.setattr(in_place, "max_edited", lambda articles: 0)  # planned whole, and its plan kept
        assert planned_again(built_as_cold(site, tmp_path, NOW))
    story(site, 31, date="2021-06-30T13:00:00", topics="[Energy]", tags="[tag0]")
    assert not planned_again(built_as_cold(site, tmp_path, NOW))
    (site.root / "content/2021/story-31.md").unlink()  # with the lost address of story 30 in the plan
    report = built_as_cold(site, tmp_path, NOW)
    assert not planned_again(report)
    cold = build(BuildOptions(dataclasses.replace(Project.at(site.root), output=tmp_path / "whole"), now=NOW, use_cache=False))
    assert [str(w) for w in report.warnings] == [str(w) for w in cold.warnings]
    assert [str(w).split(": ", 1)[0] for w in report.warnings if "no longer answers" in str(w)] == [
        "content/2021/story-30.md", "content/2021/story-31.md"]


def test_an_edit_after_which_an_old_address_leads_to_another_story_plans_the_site(site, tmp_path):
    # Story 8 moved: its old address knows it by its file and by its body. Story 9 takes that
    # body while story 8 is rewritten: the old address now leads to story 9 (by its body), as
    # planning the site finds, and a redirect page changes that no fingerprint covered.
    built_as_cold(site, tmp_path, NOW)
    story(site, 8, slug="story-eight")
    assert planned_again(built_as_cold(site, tmp_path, NOW))  # and keeps the plan
    story(site, 8, slug="story-eight", body="Rewritten.")
    story(site, 9, body="Body of story 8.\n\n## Part\n\nMore.")
    assert planned_again(built_as_cold(site, tmp_path, NOW))
    story(site, 9, title="Story Nine, Renamed", body="Body of story 8.\n\n## Part\n\nMore.")
    assert not planned_again(built_as_cold(site, tmp_path, NOW))  # the old address leads to story 9, as before


def test_a_body_edit_in_place_reads_only_the_lines_of_the_record_that_name_the_article(site, tmp_path, monkeypatch):
    # Its identity is its body's: its line of the record changes, and no other.
    built_as_cold(site, tmp_path, NOW)
    story(site, 4, body="A first fix.")
    assert planned_again(built_as_cold(site, tmp_path, NOW))
    record = site.root / RECORD_FILE
    before = record.read_text(encoding="utf-8").splitlines()

    def whole_record_read(path):
        raise AssertionError("the whole record was read")

    with monkeypatch.context() as patched:
        patched.setattr(published_in_place, "read_published", whole_record_read)
        story(site, 4, body="A second fix.")
        assert not planned_again(built_as_cold(site, tmp_path, NOW))
    after = record.read_text(encoding="utf-8").splitlines()
    assert [line for line in after if line not in before] == [line for line in after if "/story-4/" in line]
    assert len(after) == len(before)

    # A record its editor aligned otherwise (the same records) is read whole, and written as a build writes it.
    record.write_text(record.read_text(encoding="utf-8").replace("  body:", "    body:"), encoding="utf-8")
    assert planned_again(built_as_cold(site, tmp_path, NOW))  # the record is an input: the site is planned
    story(site, 4, title="Story Four", body="A second fix.")  # a headline: the record stays as it is
    assert planned_again(built_as_cold(site, tmp_path, NOW))  # the first edit since: it keeps the plan
    assert "    body:" in record.read_text(encoding="utf-8")
    story(site, 4, title="Story Four", body="A third fix.")
    assert not planned_again(built_as_cold(site, tmp_path, NOW))
    assert "    body:" not in record.read_text(encoding="utf-8")


def test_with_the_preview_s_fast_render_the_days_news_is_built_in_place_too(site, tmp_path):
    # `serve` hands its fast render the whole plan of each build that makes one (`keep`). The
    # day's news is built in place there too: the fast render keeps its last plan, and leaves
    # the pages the news changed to the complete builds, but for the news' own pages, which
    # the build hands `keep` (gazette.preview.fast).
    keep_a_plan(site, tmp_path)
    options = BuildOptions(Project.at(site.root), now=NOW)
    story(site, 30, date="2021-06-30T12:00:00", topics="[AI]")
    held = []
    report = build(options, keep=held.append, in_place=True)
    assert not planned_again(report) and [type(kept) for kept in held] == [BuiltNews]
    assert list(held[0].pages) == ["2021/06/story-30/index.html"] and list(held[0].entries) == [
        str(site.root / "content/2021/story-30.md")]
    (site.root / "content/2021/story-30.md").unlink()
    report = build(options, keep=held.append, in_place=True)
    assert not planned_again(report) and len(held) == 1
    story(site, 29, body="A second fix.")
    report = build(options, keep=held.append, in_place=True)
    assert not planned_again(report) and len(held) == 1
    assert built_as_cold(site, tmp_path, NOW).written == 0


def test_a_preview_started_with_nothing_changed_keeps_the_plan_the_last_build_kept(site, tmp_path):
    # `serve` plans the whole site first, for its fast render, though nothing changed since the
    # terminal's last build: that plan is the one kept, so the first save is built in place.
    keep_a_plan(site, tmp_path)
    options = BuildOptions(Project.at(site.root), now=NOW)
    held = []
    report = build(options, keep=held.append, in_place=False)  # as the preview's first build
    assert planned_again(report) and len(held) == 1 and report.written == 0
    story(site, 29, body="A fix in the preview.")
    report = build(options, keep=held.append, in_place=True)
    assert not planned_again(report) and len(held) == 1
    story(site, 30, date="2021-06-30T12:00:00", topics="[AI]")
    assert not planned_again(build(options, keep=held.append, in_place=True))
    assert built_as_cold(site, tmp_path, NOW).written == 0


def test_a_preview_started_on_a_site_with_no_plan_kept_keeps_the_plan_of_its_first_build(site, tmp_path):
    # After a build that kept no plan (a cold one, a template edit), the preview's first build
    # keeps the plan it makes: the editor's saves follow, and are built in place from it.
    built_as_cold(site, tmp_path, NOW)
    options = BuildOptions(Project.at(site.root), now=NOW)
    held = []
    assert planned_again(build(options, keep=held.append, in_place=False))  # as the preview's first build
    story(site, 29, body="A fix in the preview.")
    assert not planned_again(build(options, keep=held.append, in_place=True)) and len(held) == 1
    assert built_as_cold(site, tmp_path, NOW).written == 0
