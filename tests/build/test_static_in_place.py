"""A file of static/ edited (the style sheet, a script) is built in place (see
gazette.build.static_in_place): it is copied again, and no page is made, as in a cold build. A
file added or deleted, or a picture of the plan replaced, plans the site."""

from __future__ import annotations

import pytest
from support.edits import built_as_cold, planned_again, story, story_site
from support.in_place import NOW, each_built_in_place, keep_a_plan
from support.site import article

STYLE = "static/css/site.css"


def restyled(site, rule: str) -> None:
    path = site.root / STYLE
    path.write_text(path.read_text(encoding="utf-8") + f"\n{rule}\n", encoding="utf-8")


@pytest.fixture
def site(tmp_path):
    site = story_site(tmp_path / "site")
    keep_a_plan(site, tmp_path)
    return site


def test_the_style_sheet_edited_is_built_in_place_and_copied_alone(site, tmp_path):
    report = each_built_in_place(site, tmp_path, [("the style sheet", lambda: restyled(site, "h1 { color: red; }"))])
    assert set(report.changed) == {"css/site.css"} and report.rendered == 0
    assert "h1 { color: red; }" in (site.public / "css/site.css").read_text(encoding="utf-8")
    report = each_built_in_place(site, tmp_path, [
        ("a story's headline, with the style sheet carried", lambda: story(site, 4, title="Story Four")),
        ("a script", lambda: (site.root / "static/js/search.js").write_text("// changed\n", encoding="utf-8")),
        ("the style sheet again", lambda: restyled(site, "h2 { color: blue; }")),
    ])
    assert set(report.changed) == {"css/site.css"}
    assert "// changed" in (site.public / "js/search.js").read_text(encoding="utf-8")


@pytest.mark.parametrize("step, change", [
    ("a file added", lambda site: (site.root / "static/css/print.css").write_text("a { color: black; }\n")),
    ("a file deleted", lambda site: (site.root / "static/css/rich.css").unlink()),
])
def test_a_file_of_static_added_or_deleted_plans_the_site(site, tmp_path, step, change):
    change(site)
    assert planned_again(built_as_cold(site, tmp_path, NOW)), step


def test_a_static_file_edited_after_an_edit_of_static_alone_is_built_in_place(tmp_path):
    # No plan kept (a first build): the edit plans the site and keeps its plan, for the next.
    site = story_site(tmp_path / "site")
    built_as_cold(site, tmp_path, NOW)
    restyled(site, "p { margin: 0; }")
    assert planned_again(built_as_cold(site, tmp_path, NOW))
    each_built_in_place(site, tmp_path, [("the style sheet again", lambda: restyled(site, "p { margin: 1px; }"))])


def test_the_day_s_news_and_a_retraction_carry_an_edited_style_sheet_in_place(site, tmp_path):
    each_built_in_place(site, tmp_path, [
        ("the style sheet", lambda: restyled(site, "h1 { color: red; }")),
        ("the day's story", lambda: site.add("2021/news.md", article("News", "2021-07-01", body="Today."))),
        ("a story of the plan retracted", lambda: (site.root / "content/2021/story-3.md").unlink()),
        ("the day's story deleted", lambda: (site.root / "content/2021/news.md").unlink()),
    ])
