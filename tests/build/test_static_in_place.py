"""A file of static/ edited (the style sheet, a script), added or deleted (an attachment) is
built in place (see gazette.build.static_in_place): it is copied or removed, and no page is
made, as in a cold build. A file the site's own static/ stops overriding in the theme, or one
at a page's address, plans the site."""

from __future__ import annotations

import pytest
from support.edits import built_as_cold, planned_again, story, story_site
from support.in_place import (
    NOW,
    each_built_in_place,
    keep_a_plan,
    news_and_a_retraction,
)
from support.search_index import comparable_site
from support.site import article

from gazette.build.pipeline import BuildOptions, build
from gazette.errors import GazetteError
from gazette.project import Project

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


def test_a_file_of_static_added_then_deleted_is_built_in_place(tmp_path):
    site = story_site(tmp_path / "site")
    (site.root / "static/files").mkdir()
    (site.root / "static/files/old.txt").write_text("An old attachment.\n")  # the theme has none of that name
    keep_a_plan(site, tmp_path)
    report = each_built_in_place(site, tmp_path, [
        ("an attachment added", lambda: (site.root / "static/files/report.txt").write_text("The report.\n")),
    ])
    assert set(report.changed) == {"files/report.txt"} and report.rendered == 0
    report = each_built_in_place(site, tmp_path, [
        ("its text", lambda: (site.root / "static/files/report.txt").write_text("The report, fixed.\n")),
        ("a story's headline, with it carried", lambda: story(site, 4, title="Story Four")),
        ("a file of the plan deleted", lambda: (site.root / "static/files/old.txt").unlink()),
        ("the attachment deleted", lambda: (site.root / "static/files/report.txt").unlink()),
    ])
    assert set(report.changed) == {"files/report.txt"}
    assert not (site.public / "files/report.txt").exists() and not (site.public / "files/old.txt").exists()


def test_the_site_s_own_file_deleted_where_the_theme_has_one_plans_the_site(site, tmp_path):
    # The theme's file of that name takes its place: copied from elsewhere, which the plan decides.
    (site.root / "static/css/rich.css").unlink()
    assert planned_again(built_as_cold(site, tmp_path, NOW))


def test_the_site_s_own_highlight_style_sheet_deleted_gives_back_gazette_s_as_a_cold_build_does(tmp_path):
    # The build writes the code highlighting's style sheet unless static/ has its own.
    site = story_site(tmp_path / "site")
    (site.root / "static/css/highlight.css").write_text(".highlight { color: red; }\n")
    keep_a_plan(site, tmp_path)
    (site.root / "static/css/highlight.css").unlink()
    built_as_cold(site, tmp_path, NOW)
    assert ".highlight" in (site.public / "css/highlight.css").read_text(encoding="utf-8")


@pytest.mark.parametrize("page", ["2021/05/story-10", "2021/07/news"], ids=["a story's of the plan", "the day's story's"])
def test_a_file_of_static_at_a_page_s_address_fails_the_build_as_a_cold_build_does(site, tmp_path, page):
    before = comparable_site(site.public)
    site.add("2021/news.md", article("News", "2021-07-01", slug="news", body="Today."))
    (site.root / "static" / page).mkdir(parents=True)
    (site.root / "static" / page / "index.html").write_text("<p>Not the story.</p>\n")
    for options in (BuildOptions(Project.at(site.root), now=NOW), BuildOptions(Project.at(site.root), now=NOW, use_cache=False)):
        with pytest.raises(GazetteError, match=f"{page}/"):
            build(options)
    assert comparable_site(site.public) == before


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
        *news_and_a_retraction(site),
    ])
