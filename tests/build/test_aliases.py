"""`aliases:` in front matter: each old address of an article answers with a tiny redirect
page to it, under any base path, and is never listed as a page of its own."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from support.site import SiteDir, article

from gazette.build.pipeline import BuildOptions, build
from gazette.errors import GazetteError
from gazette.model.article import alias_route
from gazette.project import Project

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
BASE = "https://user.github.io/archive/"


@pytest.fixture
def site(tmp_path) -> SiteDir:
    site = SiteDir(tmp_path / "site", base_url=BASE)
    site.add("2021/chip-story.md", article("Chip Story", "2021-03-04", aliases="[/2021/03/old-chip-story/, /chips.html]"))
    site.add("2021/other.md", article("Other", "2021-03-05"))
    return site


def test_each_alias_is_a_tiny_redirect_page_to_the_article_under_the_base_path(site):
    build(BuildOptions(Project.at(site.root), now=NOW))
    target = BASE + "2021/03/chip-story/"
    for route in ("2021/03/old-chip-story/", "chips.html"):
        page = site.page(route)
        # Under the base path, not the host: it leads to the story in a preview too.
        assert '<meta http-equiv="refresh" content="0; url=/archive/2021/03/chip-story/">' in page
        assert f'<link rel="canonical" href="{target}">' in page
        assert '<meta name="robots" content="noindex">' in page
        assert '<a href="/archive/2021/03/chip-story/">Chip Story</a>' in page  # a link for those without refresh
        assert len(page.encode()) < 600


def test_redirect_pages_are_in_no_sitemap_feed_list_or_search_index(site):
    build(BuildOptions(Project.at(site.root), now=NOW))
    listed = "".join(site.page(name) for name in ("sitemap.xml", "feed.xml", "", "archive/2021/03/", "topics/ai/"))
    assert "old-chip-story" not in listed and "chips.html" not in listed
    assert "data-pagefind-body" not in site.page("2021/03/old-chip-story/")


@pytest.mark.parametrize("alias, other", [
    ("/2021/03/other/", "content/2021/other.md"),  # another article's page
    ("/topics/", "the 'Topics' page"),  # a page of the site
    ("/css/site.css", "static/css/site.css"),  # a static file
])
def test_an_alias_that_collides_is_an_error_naming_both(site, alias, other):
    site.add("2021/third.md", article("Third", "2021-03-06", aliases=f"[{alias}]"))
    with pytest.raises(GazetteError) as refused:
        build(BuildOptions(Project.at(site.root), now=NOW))
    text = str(refused.value)
    assert "content/2021/third.md" in text and other in text and "claims the URL" in text
    assert not site.public.exists()


def test_two_articles_claiming_one_alias_are_named_both(site):
    site.add("2021/third.md", article("Third", "2021-03-06", aliases="[/chips.html]"))
    with pytest.raises(GazetteError) as refused:
        build(BuildOptions(Project.at(site.root), now=NOW))
    [problem] = refused.value.problems
    assert "claims the URL /chips.html also claimed by" in problem.message
    assert {Path(problem.path).name, problem.message.rsplit("/", 1)[-1]} == {"third.md", "chip-story.md"}


@pytest.mark.parametrize("value", ["https://evil.example/x/", "//evil.example/x/", "old/path/", "/a/../b/", "/a?b=1",
                                   "/a#b", "/a b/", "/", "/a//b/"])
def test_a_malformed_alias_is_a_located_error(site, value):
    with pytest.raises(ValueError):
        alias_route(value)
    site.add("2021/third.md", article("Third", "2021-03-06", aliases=f'["{value}"]'))
    with pytest.raises(GazetteError) as refused:
        build(BuildOptions(Project.at(site.root), now=NOW))
    [problem] = refused.value.problems
    assert problem.path.name == "third.md" and problem.line == 5 and "'aliases'" in problem.message


def test_alias_routes_are_folders_unless_they_name_a_file():
    assert alias_route("/2021/03/old") == "2021/03/old/"
    assert alias_route("/2021/03/old/") == "2021/03/old/"
    assert alias_route("/old.html") == "old.html"


def test_check_passes_a_site_with_redirects(site):
    from gazette.check.run import check_site

    options = BuildOptions(Project.at(site.root), now=NOW)
    build(options)
    assert check_site(options) == []
    assert re.search(r"url=/archive/2021/03/chip-story/", site.page("chips.html"))


@pytest.mark.browser
def test_in_a_browser_an_old_address_lands_on_the_article_under_a_sub_path(tmp_path):
    from support.browser import chromium, serve

    site = SiteDir(tmp_path / "site")
    site.add("2021/chip-story.md", article("Chip Story", "2021-03-04", aliases="[/2021/03/old-chip-story/]"))
    with serve(site.public) as url, chromium() as browser:  # url: http://127.0.0.1:PORT/news/
        build(BuildOptions(Project.at(site.root), base_url=url, now=NOW))
        page = browser.new_page()
        page.goto(url + "2021/03/old-chip-story/")
        page.wait_for_url(url + "2021/03/chip-story/", timeout=10_000)
        assert page.locator("h1").first.inner_text() == "Chip Story"
        page.close()


def test_an_alias_that_is_the_articles_own_url_is_a_located_error(site):
    site.add("2021/third.md", article("Third", "2021-03-06", aliases="[/2021/03/third/]"))
    with pytest.raises(GazetteError) as refused:
        build(BuildOptions(Project.at(site.root), now=NOW))
    [problem] = refused.value.problems
    assert problem.line == 5 and "'/2021/03/third/' is this article's own URL, not an old one" in problem.message
