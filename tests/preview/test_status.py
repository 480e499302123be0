"""Which open pages a build reloads (gazette.preview.status): the pure part of live reload."""

from __future__ import annotations

from gazette.preview.status import MAX_LISTED_CHANGES, changed_pages, changed_styles


def test_only_the_pages_a_build_changed_reload():
    assert changed_pages(["2021/03/story/index.html", "feed.xml", "css/site.css"], "/archive/") == (
        "/archive/2021/03/story/",)


def test_a_script_changed_reloads_every_page_but_the_search_index_s_scripts_do_not():
    assert changed_pages(["js/embeds.js", "2021/03/story/index.html"], "/") is None
    assert changed_pages(["pagefind/recent/pagefind.js", "2021/03/story/index.html"], "/") == ("/2021/03/story/",)


def test_too_many_pages_to_list_reload_every_page():
    many = [f"2021/03/story-{n}/index.html" for n in range(MAX_LISTED_CHANGES + 1)]
    assert changed_pages(many, "/") is None


def test_the_style_sheets_a_build_changed_are_listed_under_the_base_path_but_the_search_index_s():
    assert changed_styles(["css/site.css", "index.html", "pagefind/pagefind-ui.css", "css/rich.css"], "/archive/") == (
        "/archive/css/rich.css", "/archive/css/site.css")
