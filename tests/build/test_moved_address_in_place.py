"""A story of the plan given another address (its date moved to another month, a new slug),
built in place (see gazette.build.shifted): its page is made at the new address, and the old
one serves a redirect there, as in a cold build."""

from __future__ import annotations

import dataclasses

import pytest
from support.edits import built_as_cold, planned_again, story, story_site
from support.in_place import NOW, each_built_in_place, keep_a_plan
from support.search_index import comparable_site
from support.site import article

from gazette.build.pipeline import BuildOptions, build
from gazette.errors import GazetteError
from gazette.project import Project


def redirects_to(site, old: str, new: str) -> bool:
    page = site.public / old / "index.html"
    return page.is_file() and f'href="/{new}/"' in page.read_text(encoding="utf-8")


def test_a_story_moved_to_another_month_is_built_in_place_with_a_redirect_from_its_old_address(tmp_path):
    site = story_site(tmp_path / "site")
    keep_a_plan(site, tmp_path)
    report = each_built_in_place(site, tmp_path, [
        ("story 10 (of 2021-05) dated in March", lambda: story(site, 10, date="2021-03-20")),
    ])
    assert list(report.moved) == [("2021/05/story-10/", "2021/03/story-10/")]
    assert redirects_to(site, "2021/05/story-10", "2021/03/story-10")
    each_built_in_place(site, tmp_path, [
        ("its headline edited at its new address", lambda: story(site, 10, date="2021-03-20", title="Ten")),
        ("another story's headline, with the move carried", lambda: story(site, 4, title="Story Four")),
        ("a slug given to a story", lambda: story(site, 13, slug="thirteen")),
        ("a story moved to a month the archive lacks, with a tag of its own",
         lambda: story(site, 16, date="2020-11-02", tags="[fresh]")),
    ])
    assert redirects_to(site, "2021/02/story-13", "2021/02/thirteen")
    assert redirects_to(site, "2021/05/story-16", "2020/11/story-16")
    assert (site.public / "archive/2020/11/index.html").is_file()
    report = each_built_in_place(site, tmp_path, [
        ("a moved story taken back as a draft", lambda: story(site, 13, slug="thirteen", draft="true")),
        ("another moved story deleted", lambda: (site.root / "content/2021/story-10.md").unlink()),
    ])
    lost = [warning.message for warning in report.warnings if "story-10" in warning.message]
    assert len(lost) == 2 and any("/2021/05/story-10/" in message for message in lost) and \
        any("/2021/03/story-10/" in message for message in lost), lost


def test_a_move_the_whole_plan_makes_better_plans_the_site_as_a_cold_build_makes_it(tmp_path):
    site = story_site(tmp_path / "site")
    keep_a_plan(site, tmp_path)
    each_built_in_place(site, tmp_path, [
        ("story 10 dated in March", lambda: story(site, 10, date="2021-03-20")),
        ("moved again, to April", lambda: story(site, 10, date="2021-04-20")),
    ])
    for step, change in [
        # A story with addresses of its own since the plan, deleted: each is lost, as the plan finds.
        ("the story moved twice, deleted", lambda: (site.root / "content/2021/story-10.md").unlink()),
        # Dated after every other story: the news, whose old address only the whole plan redirects.
        ("a story moved to a month after every other", lambda: story(site, 12, date="2021-09-01")),
    ]:
        change()
        assert planned_again(built_as_cold(site, tmp_path, NOW)), step
    assert redirects_to(site, "2021/01/story-12", "2021/09/story-12")


def test_a_story_moved_again_and_again_is_built_in_place_each_old_address_redirecting(tmp_path):
    site = story_site(tmp_path / "site")
    keep_a_plan(site, tmp_path)
    each_built_in_place(site, tmp_path, [("story 10 (of 2021-05) dated in March", lambda: story(site, 10, date="2021-03-20"))])
    report = each_built_in_place(site, tmp_path, [("then in April", lambda: story(site, 10, date="2021-04-20"))])
    assert list(report.moved) == [("2021/03/story-10/", "2021/04/story-10/"), ("2021/05/story-10/", "2021/04/story-10/")]
    assert redirects_to(site, "2021/05/story-10", "2021/04/story-10")
    assert redirects_to(site, "2021/03/story-10", "2021/04/story-10")
    report = each_built_in_place(site, tmp_path, [
        ("another story's headline, with both moves carried", lambda: story(site, 4, title="Story Four")),
        ("then given a slug, with its text rewritten", lambda: story(site, 10, date="2021-04-20", slug="ten",
                                                                     body="Ten, rewritten.")),
        ("then back in March, at its first new address", lambda: story(site, 10, date="2021-03-21")),
    ])
    assert list(report.moved) == []  # an address it had: no move to report
    for old in ("2021/05/story-10", "2021/04/story-10", "2021/04/ten"):
        assert redirects_to(site, old, "2021/03/story-10"), old
    report = each_built_in_place(site, tmp_path, [
        ("then back where the plan has it: a date typo undone", lambda: story(site, 10)),
        ("and its headline, at home", lambda: story(site, 10, title="Story Ten")),
    ])
    assert list(report.moved) == []
    for old in ("2021/03/story-10", "2021/04/story-10", "2021/04/ten"):
        assert redirects_to(site, old, "2021/05/story-10"), old


@pytest.mark.parametrize("second", ["a story added", "a story of the plan moved"])
def test_two_stories_at_one_address_since_the_plan_fail_the_build_as_a_cold_build_does(tmp_path, second):
    site = story_site(tmp_path / "site")
    keep_a_plan(site, tmp_path)
    site.add("2021/a.md", article("A", "2021-03-05", slug="same", body="One."))
    if second == "a story added":
        site.add("2021/b.md", article("B", "2021-03-07", slug="same", body="Two."))
    else:
        story(site, 10, date="2021-03-20", slug="same")
    before = comparable_site(site.public)
    for options in (BuildOptions(Project.at(site.root), now=NOW), BuildOptions(Project.at(site.root), now=NOW, use_cache=False)):
        with pytest.raises(GazetteError, match=r"claims the URL /2021/03/same/ also claimed by"):
            build(options)
    assert comparable_site(site.public) == before


def test_a_moved_story_written_on_is_built_in_place_with_its_new_identity_in_the_record(tmp_path):
    # Without `source:`, a story's identity is its body: written on, it takes another, which its
    # addresses in the record take too, as a cold build records them.
    site = story_site(tmp_path / "site")
    keep_a_plan(site, tmp_path)
    each_built_in_place(site, tmp_path, [
        ("a tag changed", lambda: story(site, 10, tags="[tag3]")),
        ("then its body", lambda: story(site, 10, tags="[tag3]", body="Ten, rewritten.")),
        ("a date moved to another month and the body rewritten at once",
         lambda: story(site, 14, date="2021-01-20", body="Fourteen, rewritten.")),
        ("then its body again", lambda: story(site, 14, date="2021-01-20", body="Fourteen, once more.")),
        ("and the first's", lambda: story(site, 10, tags="[tag3]", body="Ten, once more.")),
        ("a topic changed and the body rewritten at once", lambda: story(site, 16, topics="[Energy]", body="Sixteen.")),
    ])
    assert redirects_to(site, "2021/03/story-14", "2021/01/story-14")


def test_a_draft_moved_in_a_preview_with_drafts_leaves_no_redirect_where_it_was_never_published(tmp_path):
    # A preview with drafts publishes nothing: the draft's first address is in no record.
    site = story_site(tmp_path / "site")
    site.add("2021/draft.md", article("A Draft", "2021-03-05", slug="draft", body="Unfinished.", draft="true"))
    options = BuildOptions(Project.at(site.root), now=NOW, drafts=True)
    build(options)
    story(site, 29, body="A first fix.")
    build(options)  # keeps the plan
    site.add("2021/draft.md", article("A Draft", "2021-02-05", slug="draft", body="Unfinished.", draft="true"))
    build(options)
    cold = tmp_path / "cold"
    build(BuildOptions(dataclasses.replace(Project.at(site.root), output=cold), now=NOW, drafts=True, use_cache=False))
    assert comparable_site(site.public) == comparable_site(cold)
    assert not (site.public / "2021/03/draft").exists()


def test_a_moved_story_that_a_warning_names_is_carried_in_place(tmp_path):
    # Story 11 is the first file in Robotics, which site.toml lacks: the plan's warning names it.
    # Moved, it is still there to name; the builds after carry the move in place.
    site = story_site(tmp_path / "site")
    keep_a_plan(site, tmp_path)
    each_built_in_place(site, tmp_path, [
        ("the named story given another tag", lambda: story(site, 11, tags="[tag0]")),
        ("then another story's headline", lambda: story(site, 4, title="Story Four")),
        ("then the named story's headline", lambda: story(site, 11, tags="[tag0]", title="Story Eleven")),
    ])


def test_a_story_moved_in_its_month_then_to_another_is_built_in_place(tmp_path):
    # Moved at its address first (its address of the last build is the plan's): its move away
    # is its first, and only the plan's address redirects.
    site = story_site(tmp_path / "site")
    keep_a_plan(site, tmp_path)
    report = each_built_in_place(site, tmp_path, [
        ("story 7 (of 2021-02) given another tag", lambda: story(site, 7, tags="[tag2]")),
        ("then dated in May", lambda: story(site, 7, tags="[tag2]", date="2021-05-02")),
    ])
    assert list(report.moved) == [("2021/02/story-7/", "2021/05/story-7/")]
    assert redirects_to(site, "2021/02/story-7", "2021/05/story-7")
