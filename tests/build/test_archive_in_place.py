"""A story dated in a month the archive lacks, and the only story of a month deleted, built in
place (see gazette.build.archive_shift): the month's page (and its year's) comes or goes, as in
a cold build."""

from __future__ import annotations

from support.edits import story, story_site
from support.in_place import each_built_in_place, keep_a_plan


def test_a_month_or_year_that_comes_or_goes_is_built_in_place_as_a_cold_build_makes_it(tmp_path):
    site = story_site(tmp_path / "site")
    story(site, 41, date="2020-10-10T08:00:00", topics="[AI]")
    keep_a_plan(site, tmp_path)
    gone = lambda i: (site.root / f"content/2021/story-{i}.md").unlink()
    each_built_in_place(site, tmp_path, [
        ("a story backdated to a month the archive lacks", lambda: story(site, 40, date="2020-12-10T08:00:00", topics="[AI]")),
        ("one to a year it lacks", lambda: story(site, 42, date="2019-05-10T08:00:00", topics="[AI]")),
    ])
    assert (site.public / "archive/2020/12/index.html").is_file() and (site.public / "archive/2019/index.html").is_file()
    each_built_in_place(site, tmp_path, [
        ("the only story of a month deleted", lambda: gone(40)),
        ("the only story of a year deleted", lambda: gone(42)),
    ])
    assert not (site.public / "archive/2020/12").exists() and not (site.public / "archive/2019").exists()
    assert (site.public / "archive/2020/10/index.html").is_file()
