"""A topic, tag or author that an edit leaves without stories, built in place (see
gazette.build.shifted): its pages and feed go, and the page listing its kind drops it, as in
a cold build."""

from __future__ import annotations

from support.edits import built_as_cold, planned_again, story, story_site
from support.in_place import NOW, each_built_in_place, keep_a_plan

MENU = '\n[[menu]]\ntitle = "Lonely"\nurl = "/tags/lonely/"\n'


def test_a_tag_or_author_left_empty_is_built_in_place_as_a_cold_build_makes_it(tmp_path):
    site = story_site(tmp_path / "site")
    story(site, 8, tags="[tag0, lonley]", authors="[Ann Lone]")
    story(site, 14, authors="[Bo Wright]")
    keep_a_plan(site, tmp_path)
    assert (site.public / "tags/lonley/index.html").is_file()
    report = each_built_in_place(site, tmp_path, [
        ("a misspelt tag fixed", lambda: story(site, 8, tags="[tag0, lonely]", authors="[Ann Lone]")),
        ("the byline given to another writer", lambda: story(site, 8, tags="[tag0, lonely]", authors="[Bo Wright]")),
        ("the only story of a tag deleted", lambda: (site.root / "content/2021/story-8.md").unlink()),
    ])
    assert report.removed >= 2
    for gone in ("tags/lonley", "tags/lonely", "authors/ann-lone"):
        assert not (site.public / gone).exists(), gone
    assert (site.public / "authors/bo-wright/index.html").is_file()
    # The last byline taken off: the page listing the authors goes too, which the whole plan does.
    story(site, 14)
    assert planned_again(built_as_cold(site, tmp_path, NOW))
    assert not (site.public / "authors").exists()


def test_a_tag_the_menu_links_to_left_empty_plans_the_site_which_warns_of_the_link(tmp_path):
    site = story_site(tmp_path / "site")
    story(site, 8, tags="[tag0, lonely]")
    with (site.root / "site.toml").open("a", encoding="utf-8") as toml:
        toml.write(MENU)
    keep_a_plan(site, tmp_path)
    story(site, 8, tags="[tag0]")
    report = built_as_cold(site, tmp_path, NOW)
    assert planned_again(report)
    assert any("links to /tags/lonely/, which this site does not have" in str(warning) for warning in report.warnings)
