"""A story of the kept plan put off to a later date (scheduled again), built in place: its pages
go as a retraction's do, it is listed as scheduled, and it comes back when its time comes or
its date is put back (see gazette.build.edited_files.read_edits)."""

from __future__ import annotations

from datetime import timedelta

from support.edits import built_as_cold, planned_again, story, story_site
from support.in_place import NOW, each_built_in_place, keep_a_plan, scheduled


def test_a_story_of_the_plan_put_off_is_built_in_place_as_a_cold_build_makes_it(tmp_path):
    site = story_site(tmp_path / "site")
    keep_a_plan(site, tmp_path)
    report = each_built_in_place(site, tmp_path, [("put off", lambda: story(site, 14, date="2026-07-01"))])
    assert scheduled(report) == [("story-14.md", "2026-07-01")]
    assert not (site.public / "2021/03/story-14").exists()
    assert any("/2021/03/story-14/ no longer answers" in str(warning) for warning in report.warnings)
    report = each_built_in_place(site, tmp_path, [
        ("written on, still put off", lambda: story(site, 14, date="2026-07-01", body="Later.")),
        ("put off further", lambda: story(site, 14, date="2026-08-01", body="Later.")),
        ("another story's headline", lambda: story(site, 8, title="Story Eight, Renamed")),
    ])
    assert scheduled(report) == [("story-14.md", "2026-08-01")]
    report = each_built_in_place(site, tmp_path, [("its date put back", lambda: story(site, 14, body="Later."))])
    assert scheduled(report) == [] and (site.public / "2021/03/story-14/index.html").is_file()
    report = each_built_in_place(site, tmp_path, [
        ("put off again", lambda: story(site, 14, date="2026-06-10")),
        ("another put off", lambda: story(site, 20, date="2026-06-20")),
        ("the first deleted", lambda: (site.root / "content/2021/story-14.md").unlink()),
    ])
    assert scheduled(report) == [("story-20.md", "2026-06-20")]
    # Its time come, the site is planned with it, as a cold build then makes it.
    report = built_as_cold(site, tmp_path, NOW + timedelta(days=20))
    assert planned_again(report) and scheduled(report) == []
    assert (site.public / "2026/06/story-20/index.html").is_file()


def test_a_story_published_since_the_plan_taken_back_is_built_in_place_as_a_cold_build_makes_it(tmp_path):
    # The day's story unpublished (a draft again) or put off: its pages go as a retraction's do.
    site = story_site(tmp_path / "site")
    keep_a_plan(site, tmp_path)
    day = {"date": "2021-06-30T12:00:00", "topics": "[AI]", "tags": "[tag1]"}
    report = each_built_in_place(site, tmp_path, [
        ("the day's story", lambda: story(site, 30, **day)),
        ("taken back as a draft", lambda: story(site, 30, draft="true", **day)),
    ])
    assert not (site.public / "2021/06/story-30").exists()
    assert any("/2021/06/story-30/ no longer answers" in str(warning) for warning in report.warnings)
    report = each_built_in_place(site, tmp_path, [
        ("its summary written as a draft", lambda: story(site, 30, draft="true", summary="Thirty.", **day)),
        ("published again", lambda: story(site, 30, summary="Thirty.", **day)),
    ])
    assert (site.public / "2021/06/story-30/index.html").is_file()
    assert not any("/2021/06/story-30/ no longer answers" in str(warning) for warning in report.warnings)
    report = each_built_in_place(site, tmp_path, [
        ("put off", lambda: story(site, 30, summary="Thirty.", **{**day, "date": "2026-07-01"})),
    ])
    assert scheduled(report) == [("story-30.md", "2026-07-01")]
    # Its text rewritten while it was put off, it tells another story: published again at its
    # address, that address's line in the record takes its new identity, as a cold build's does
    # (`published_in_place`: no other line names it).
    story(site, 30, body="Thirty, rewritten.", **{**day, "date": "2026-07-01"})
    assert not planned_again(built_as_cold(site, tmp_path, NOW))
    story(site, 30, body="Thirty, rewritten.", **day)
    assert not planned_again(built_as_cold(site, tmp_path, NOW))
    report = each_built_in_place(site, tmp_path, [
        # A story of the plan moved in place (a tag added), then unpublished, then published again.
        ("a story of the plan moved", lambda: story(site, 8, tags="[tag0, tag2]")),
        ("then taken back as a draft", lambda: story(site, 8, tags="[tag0, tag2]", draft="true")),
        ("then published again", lambda: story(site, 8, tags="[tag0, tag2]")),
    ])
    assert scheduled(report) == [] and (site.public / "2021/03/story-8/index.html").is_file()


def test_the_plans_newest_story_put_off_is_built_in_place_as_a_cold_build_makes_it(tmp_path):
    # It dates the site: the site is dated anew by the newest story left, then by it again.
    site = story_site(tmp_path / "site")
    keep_a_plan(site, tmp_path)
    report = each_built_in_place(site, tmp_path, [
        ("the newest put off", lambda: story(site, 29, date="2026-07-01")),
        ("published again", lambda: story(site, 29, date="2021-06-30")),
    ])
    assert scheduled(report) == [] and (site.public / "2021/06/story-29/index.html").is_file()
