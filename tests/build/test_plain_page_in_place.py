"""A plain page's text edited (About, say) is built in place (see gazette.build.plain_in_place):
its own page is made again, and no other, as in a cold build. An edit that other pages show
(its title, in every page's footer) or that the plan's images or warnings know of plans the site."""

from __future__ import annotations

import pytest
from support.edits import built_as_cold, planned_again, story, story_site
from support.images import photo
from support.in_place import (
    NOW,
    each_built_in_place,
    keep_a_plan,
    news_and_a_retraction,
)
from support.search_index import comparable_site

from gazette.build.pipeline import BuildOptions, build
from gazette.errors import GazetteError
from gazette.project import Project

PAGE = "about/index.html"


def about(site, text: str = "Who we are.", title: str = "About", fields: str = "") -> None:
    site.add("pages/about.md", f"---\ntitle: {title}\n{fields}---\n{text}\n")


def written_pages(report) -> set[str]:
    """The pages a build wrote or removed, but the search index's files."""
    return {name for name in report.changed if not name.startswith("pagefind/")}


@pytest.fixture
def site(tmp_path):
    site = story_site(tmp_path / "site")
    about(site)
    keep_a_plan(site, tmp_path)
    return site


def test_a_plain_page_s_text_fixed_is_built_in_place_and_makes_only_its_page(site, tmp_path):
    report = each_built_in_place(site, tmp_path, [("its text fixed", lambda: about(site, "Who we are, and why."))])
    assert written_pages(report) == {PAGE}
    assert "Who we are, and why." in (site.public / PAGE).read_text(encoding="utf-8")
    report = each_built_in_place(site, tmp_path, [
        ("a story's headline, with the page's fix carried", lambda: story(site, 4, title="Story Four")),
        ("the page's summary and contents", lambda: about(site, "# Who\n\nWe.\n\n## Why\n\nBecause.\n\n## How\n\nSo.",
                                                          fields="summary: Us, briefly.\ntoc: true\n")),
        ("a story's body, with the page carried", lambda: story(site, 7, body="Body of story 7.\n\nMore, fixed.")),
    ])
    assert "2021/02/story-7/index.html" in written_pages(report) and PAGE not in written_pages(report)
    page = (site.public / PAGE).read_text(encoding="utf-8")
    assert "Us, briefly." in page and 'id="why"' in page
    report = each_built_in_place(site, tmp_path, [("the page's text put back", lambda: about(site))])
    assert written_pages(report) == {PAGE}


@pytest.mark.parametrize("step, change", [
    ("its title, which every page's footer shows", lambda site, text: about(site, text, title="About Us")),
    ("a picture added to its text, whose variants the plan makes",
     lambda site, text: about(site, f"{text}\n\n![A plant](/images/plant.jpg)")),
    ("a field it does not know, which the plan warns of", lambda site, text: about(site, text, fields="colour: red\n")),
    ("a page added", lambda site, text: (site.add("pages/team.md", "---\ntitle: Team\n---\nWho is who.\n"),
                                         about(site, text))),
    ("a page deleted", lambda site, text: (about(site, text),
                                           (site.root / "content/pages/contact.md").unlink(missing_ok=True))),
])
def test_a_plain_page_edit_that_other_pages_or_the_plan_know_of_plans_the_site(site, tmp_path, step, change):
    photo(site.root / "static/images/plant.jpg", 1000, 700)
    site.add("pages/contact.md", "---\ntitle: Contact\n---\nWrite to us.\n")
    built_as_cold(site, tmp_path, NOW)
    about(site, "A first fix.")  # planned (a page was added), keeping the plan: the change could be built in place
    assert planned_again(built_as_cold(site, tmp_path, NOW))
    change(site, "Who we are.")
    assert planned_again(built_as_cold(site, tmp_path, NOW)), step
    # A build that planned the site after an edit of plain pages alone keeps its plan, for the
    # next fix to build in place; one after a page added or deleted (the frame changed) does not.
    if step in ("a page added", "a page deleted"):
        change(site, "Text, before.")
        assert planned_again(built_as_cold(site, tmp_path, NOW)), step
    each_built_in_place(site, tmp_path, [("the page's text, after", lambda: change(site, "Text, after."))])


def test_a_warning_of_the_plan_fixed_in_a_plain_page_plans_the_site_which_drops_it(site, tmp_path):
    about(site, fields="colour: red\n")
    report = built_as_cold(site, tmp_path, NOW)
    assert any("colour" in str(warning) for warning in report.warnings)
    about(site, "Fixed.")
    report = built_as_cold(site, tmp_path, NOW)
    assert planned_again(report) and not any("colour" in str(warning) for warning in report.warnings)


def test_a_plain_page_that_does_not_read_fails_the_build_as_a_cold_build_does_and_its_fix_is_built(site, tmp_path):
    before = comparable_site(site.public)
    about(site, fields="summary: [not, text]\n")
    for options in (BuildOptions(Project.at(site.root), now=NOW), BuildOptions(Project.at(site.root), now=NOW, use_cache=False)):
        with pytest.raises(GazetteError, match=r"about\.md:3: 'summary'"):
            build(options)
    assert comparable_site(site.public) == before
    each_built_in_place(site, tmp_path, [("fixed", lambda: about(site, "Fixed."))])


def test_the_day_s_news_and_a_retraction_carry_a_plain_page_s_text_in_place(site, tmp_path):
    each_built_in_place(site, tmp_path, [
        ("its text fixed", lambda: about(site, "Who we are, and why.")),
        *news_and_a_retraction(site),
    ])
