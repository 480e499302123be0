"""The pages a news site has beyond its stories: tag pages, bylines and author pages,
corrections, plain pages (About) and the menu, checked in the built files."""

import json
import re
from datetime import datetime, timezone

import feedparser
import pytest
from support.site import SiteDir, article

from gazette.build.pipeline import BuildOptions, build
from gazette.errors import GazetteError
from gazette.project import Project

BASE = "https://example.org/news/"
NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
AUTHORS = """
[[authors]]
name = "Jane Doe"
bio = "Covers chips & <energy>."
url = "https://jane.example/"
"""


def json_ld(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1))


def feed(site: SiteDir, route: str):
    parsed = feedparser.parse((site.public / route).read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    return parsed


@pytest.fixture
def news(tmp_path) -> SiteDir:
    site = SiteDir(tmp_path / "site", base_url=BASE, page_size=3)
    (site.root / "site.toml").write_text((site.root / "site.toml").read_text() + AUTHORS)
    for day in range(1, 8):
        site.add(f"2021/chip-{day}.md", article(f"Chip Story {day}", f"2021-04-{day:02d}", "[AI]",
                                                tags="[OpenAI, chips]" if day % 2 else "[openai]", author="Jane Doe"))
    site.add("2021/two.md", article("Two Bylines", "2021-04-20", "[Energy]", authors="[Jane Doe, John Roe]",
                                    corrections="[{date: 2021-04-22, text: 'A <wrong> figure.'}, {date: 2021-04-25, text: Second fix.}]"))
    site.add("2021/nobody.md", article("No Byline", "2021-04-21", "[Energy]"))
    site.add("pages/about.md", "---\ntitle: About Us\nsummary: Who we are.\n---\nWe keep [the archive](/archive/).\n")
    build(BuildOptions(Project.at(site.root), now=NOW))
    return site


def test_tags_page_lists_every_tag_with_its_count_by_name(news):
    html = news.page("tags/")
    assert re.findall(r'<a href="/news/tags/([^/]+)/">([^<]+)</a> <span class="count">([^<]+)</span>', html) == [
        ("chips", "chips", "4 articles"), ("openai", "OpenAI", "7 articles")]  # one tag, as its newest article spells it
    assert "jump-list" not in html  # two tags need no A–Z


def test_a_tag_page_is_paginated_with_stable_numbers_and_has_a_feed(news):
    first = news.page("tags/openai/")
    assert "<h1 class=\"page-title\">OpenAI</h1>" in first and 'href="/news/tags/openai/page/2/"' in first
    assert (news.public / "tags/openai/page/2/index.html").is_file() and not (news.public / "tags/openai/page/3").exists()
    entries = feed(news, "tags/openai/feed.xml").entries
    assert [e.title for e in entries] == [f"Chip Story {day}" for day in range(7, 0, -1)]


def test_tags_link_from_articles_and_cards(news):
    assert '<a class="tag" href="/news/tags/chips/">chips</a>' in news.page("2021/04/chip-1/")
    assert '<li><a href="/news/tags/chips/">chips</a></li>' in news.page("")


def test_many_tags_get_an_a_to_z_jump_list(tmp_path):
    site = SiteDir(tmp_path / "site")
    names = [f"{letter}tag{n}" for letter in "abcdefgh" for n in range(4)] + ["Émile", "3D"]
    site.add("2021/many.md", article("Many Tags", tags="[" + ", ".join(names) + "]"))
    build(BuildOptions(Project.at(site.root), now=NOW))
    html = site.page("tags/")
    jump = re.search(r'<nav class="jump-list" aria-label="Tags by first letter">(.*?)</nav>', html, re.S).group(1)
    assert re.findall(r">(.)</a>", jump) == ["#", "A", "B", "C", "D", "E", "F", "G", "H"]
    assert re.search(r'<h2 id="tags-6">E</h2>\s*<ul class="term-list">\s*<li><a href="/tags/etag0/">', html)
    assert 'href="/tags/emile/">Émile</a>' in html


def test_bylines_link_to_author_pages_with_bio_articles_and_feed(news):
    story = news.page("2021/04/two/")
    assert ('<p class="byline" data-pagefind-ignore>By <a href="/news/authors/jane-doe/" rel="author">Jane Doe</a> and '
            '<a href="/news/authors/john-roe/" rel="author">John Roe</a></p>') in story
    assert 'class="byline">By <a href="/news/authors/jane-doe/"' in news.page("")  # on the cards too
    page = news.page("authors/jane-doe/")
    assert "Covers chips &amp; &lt;energy&gt;." in page and 'href="https://jane.example/" rel="me"' in page
    assert "8 articles" in page and 'href="/news/authors/jane-doe/page/2/"' in page
    assert len(feed(news, "authors/jane-doe/feed.xml").entries) == 8
    authors = news.page("authors/")
    assert authors.index("Jane Doe") < authors.index("John Roe") and "Covers chips" in authors
    assert "byline" not in news.page("2021/04/nobody/").split("<main")[1].split("</header>")[0]


def test_authors_are_in_the_feeds_and_the_json_ld(news):
    [entry] = [e for e in feed(news, "feed.xml").entries if e.title == "Two Bylines"]
    assert [a.name for a in entry.authors] == ["Jane Doe", "John Roe"]
    assert entry.authors[0].href == BASE + "authors/jane-doe/"
    [nobody] = [e for e in feed(news, "feed.xml").entries if e.title == "No Byline"]
    assert [a.name for a in nobody.authors] == ["Test Wire"]
    assert json_ld(news.page("2021/04/two/"))["author"] == [
        {"@type": "Person", "name": "Jane Doe", "url": BASE + "authors/jane-doe/", "sameAs": "https://jane.example/"},
        {"@type": "Person", "name": "John Roe", "url": BASE + "authors/john-roe/"}]
    assert json_ld(news.page("2021/04/nobody/"))["author"] == {"@type": "Organization", "name": "Test Wire", "url": BASE}


def test_corrections_show_on_the_story_move_its_modified_date_and_are_listed_and_fed(news):
    story = news.page("2021/04/two/")
    notice = re.search(r'<aside class="corrections-notice".*?</aside>', story, re.S).group(0)
    assert story.index("corrections-notice") < story.index('class="story-body"')  # at the top
    assert re.findall(r'<li id="(correction-\d)"><time datetime="([^"]+)">', notice) == [
        ("correction-2", "2021-04-25T00:00:00+02:00"), ("correction-1", "2021-04-22T00:00:00+02:00")]
    assert "A &lt;wrong&gt; figure." in notice
    assert json_ld(story)["dateModified"] == "2021-04-25T00:00:00+02:00"
    [entry] = [e for e in feed(news, "feed.xml").entries if e.title == "Two Bylines"]
    assert entry.updated == "2021-04-25T00:00:00+02:00" and entry.published == "2021-04-20T00:00:00+02:00"
    listing = news.page("corrections/")
    assert re.findall(r'href="/news/2021/04/two/(#correction-\d)"', listing) == ["#correction-2", "#correction-1"]
    fixes = feed(news, "corrections/feed.xml")
    assert [(e.title, e.link) for e in fixes.entries] == [
        ("Correction: Two Bylines", BASE + "2021/04/two/#correction-2"),
        ("Correction: Two Bylines", BASE + "2021/04/two/#correction-1")]
    assert fixes.entries[1].summary == "A <wrong> figure."


def test_a_plain_page_is_in_the_sitemap_but_not_in_lists_or_feeds(news):
    page = news.page("about/")
    assert "<h1 class=\"story-title\" data-pagefind-meta=\"title\">About Us</h1>" in page
    assert '<a href="/news/archive/">the archive</a>' in page and "Who we are." in page
    assert BASE + "about/" in (news.public / "sitemap.xml").read_text()
    lists = [re.search(r'<ol class="article-list">.*?</ol>', news.page(route), re.S).group(0) for route in ("", "archive/2021/04/")]
    assert "About Us" not in "".join(lists) + (news.public / "feed.xml").read_text()
    assert '<a href="/news/about/">About Us</a></p>' in news.page("")  # but in every page's footer


def test_a_page_that_claims_an_address_of_the_site_is_an_error_naming_both(tmp_path):
    site = SiteDir(tmp_path / "site")
    site.add("2021/a.md", article("A"))
    site.add("pages/search.md", "---\ntitle: Search\n---\nHi.\n")
    with pytest.raises(GazetteError) as caught:
        build(BuildOptions(Project.at(site.root), now=NOW))
    assert [str(p) for p in caught.value.problems] == [
        f"{site.root / 'content/pages/search.md'}: claims the URL /search/ also claimed by the 'Search' page"]


def test_the_menu_comes_from_site_toml_and_marks_the_current_page(news):
    config = news.root / "site.toml"
    config.write_text(config.read_text() + '\n[[menu]]\ntitle = "Home"\nurl = "/"\n\n[[menu]]\ntitle = "About"\nurl = "/about/"\n'
                      '\n[[menu]]\ntitle = "Tags"\nurl = "/tags/"\n\n[[menu]]\ntitle = "Code & more"\nurl = "https://code.example/"\n'
                      '\n[[menu]]\ntitle = "Gone"\nurl = "/nowhere/"\n')
    report = build(BuildOptions(Project.at(news.root), now=NOW))
    assert [str(w) for w in report.warnings] == [
        f"{config}: warning: the menu item 'Gone' links to /nowhere/, which this site does not have"]

    def menu(route):
        nav = re.search(r'<nav class="site-nav".*?</nav>', news.page(route), re.S).group(0)
        return re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', nav)

    assert menu("about/") == [("/news/", "", "Home"), ("/news/about/", ' aria-current="page"', "About"),
                              ("/news/tags/", "", "Tags"), ("https://code.example/", "", "Code &amp; more"),
                              ("/news/nowhere/", "", "Gone")]
    assert menu("tags/openai/page/2/")[2][1] and not menu("tags/openai/page/2/")[0][1]
    assert menu("page/2/")[0][1]  # the home link is current on the numbered home pages


def test_a_language_without_translations_is_a_warning_and_dates_follow_it(tmp_path):
    site = SiteDir(tmp_path / "site")
    (site.root / "site.toml").write_text((site.root / "site.toml").read_text().replace('language = "en"', 'language = "es"'))
    site.add("2021/a.md", article("A", date="2021-03-04"))
    report = build(BuildOptions(Project.at(site.root), now=NOW))
    assert any("no translation into 'es'" in str(w) for w in report.warnings)
    assert '<html lang="es">' in site.page("2021/03/a/") and "4 de marzo de 2021" in site.page("2021/03/a/")
