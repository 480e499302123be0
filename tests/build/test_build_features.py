"""The news features of the built site, checked in the files a reader, feed reader or
crawler gets, for a site hosted under a sub-path."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import feedparser
import pytest
from support.site import SiteDir, article
from support.images import photo

from gazette.build.pipeline import BuildOptions, build
from gazette.project import Project

BASE = "https://example.org/news/"
NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)


@pytest.fixture
def news(tmp_path) -> SiteDir:
    site = SiteDir(tmp_path / "site", base_url=BASE, page_size=5)
    photo(site.root / "static" / "images" / "cell.jpg", 320, 240)
    for day in range(1, 13):
        site.add(f"2021/ai-story-{day}.md", article(f"AI Story {day}", f"2021-04-{day:02d}T10:00:00+02:00", "[AI]",
                                              tags="[openai]", body=f"Story {day} body with a [link](/elsewhere/) and ![pic](images/x.png)."))
    site.add("2021/battery-story.md", article("Battery Story", "2021-05-01", "[Energy, AI]", updated="2021-06-01",
                                        image="images/cell.jpg", image_caption="A cell.", image_credit="PSI"))
    site.add("2021/draft-story.md", article("Draft Story", "2021-05-02", "[AI]", draft="true"))
    site.add("2030/future-story.md", article("Future Story", "2030-01-01", "[AI]"))
    site.add("2021/script-script-alert-1-script.md", article('"</script><script>alert(1)</script>"', "2021-03-01", "[AI]",
                                     summary='"Tom & Jerry <b>"'))
    report = build(BuildOptions(Project.at(site.root), now=NOW))
    site.report = report
    return site


def test_atom_feed_is_well_formed_absolute_and_newest_first(news):
    feed = feedparser.parse((news.public / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Test Wire"
    titles = [e.title for e in feed.entries]
    assert titles[:3] == ["Battery Story", "AI Story 12", "AI Story 11"]
    assert "Draft Story" not in titles and "Future Story" not in titles
    first = feed.entries[0]
    assert first.link == BASE + "2021/05/battery-story/"
    # Dates are in the site timezone (Europe/Zurich), with their offset.
    assert first.updated == "2021-06-01T00:00:00+02:00" and first.published == "2021-05-01T00:00:00+02:00"
    story = next(e for e in feed.entries if e.title == "AI Story 3")
    content = story.content[0].value
    # A link written from the site root points under the base path (/news/).
    assert f'href="{BASE}elsewhere/"' in content
    assert f'src="{BASE}2021/04/ai-story-3/images/x.png"' in content
    # The HTML goes in as it is, in CDATA, not with every <, > and & escaped.
    raw = (news.public / "feed.xml").read_text(encoding="utf-8")
    assert f'<content type="html"><![CDATA[<p>Story 3 body with a <a href="{BASE}elsewhere/">link</a>' in raw
    assert feed.feed.updated == "2021-06-01T00:00:00+02:00"


def test_feeds_hold_the_newest_twenty_entries_or_feed_size(tmp_path):
    site = SiteDir(tmp_path / "big")
    for i in range(25):
        site.add(f"a{i}.md", article(f"Story {i}", f"2020-01-01T00:{i:02d}:00", "[AI]", tags="[moon]"))
    build(BuildOptions(Project.at(site.root), now=NOW))
    for feed in ("feed.xml", "topics/ai/feed.xml", "tags/moon/feed.xml"):
        entries = feedparser.parse((site.public / feed).read_bytes()).entries
        assert [e.title for e in entries] == [f"Story {i}" for i in range(24, 4, -1)], feed
    toml = site.root / "site.toml"
    toml.write_text("feed_size = 22\n" + toml.read_text(encoding="utf-8"), encoding="utf-8")
    build(BuildOptions(Project.at(site.root), now=NOW))
    assert len(feedparser.parse((site.public / "tags/moon/feed.xml").read_bytes()).entries) == 22


def test_topic_feeds_hold_only_their_topic(news):
    feed = feedparser.parse((news.public / "topics/energy/feed.xml").read_bytes())
    assert not feed.bozo and [e.title for e in feed.entries] == ["Battery Story"]
    assert feed.feed.link == BASE + "topics/energy/"


def test_pages_announce_their_feeds(news):
    topic = news.page("topics/ai/")
    assert '<link rel="alternate" type="application/atom+xml" title="Test Wire" href="/news/feed.xml">' in topic
    assert 'href="/news/topics/ai/feed.xml"' in topic


def test_sitemap_lists_every_page_with_absolute_urls_and_lastmod(news):
    tree = ET.parse(news.public / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns) for u in tree.getroot()}
    html_files = {p.relative_to(news.public).as_posix() for p in news.public.rglob("*.html")} - {"404.html"}
    expected = {BASE + name.removesuffix("index.html") for name in html_files}
    assert set(locs) == expected
    assert locs[BASE + "2021/05/battery-story/"].startswith("2021-06-01")
    assert all(lastmod for lastmod in locs.values())


def test_robots_404_and_github_pages_files(news):
    assert f"Sitemap: {BASE}sitemap.xml" in (news.public / "robots.txt").read_text()
    not_found = news.page("404.html")
    # GitHub Pages serves 404.html for any missing path, so its links are root-relative.
    links = re.findall(r'(?:href|src)="([^"]+)"', not_found)
    assert links and all(link.startswith(("/news/", "https://", "#")) for link in links)
    assert (news.public / ".nojekyll").exists()
    assert not (news.public / "CNAME").exists()


def test_cname_is_written_for_a_custom_domain(tmp_path):
    site = SiteDir(tmp_path / "s")
    (site.root / "site.toml").write_text('cname = "news.example.org"\n' + (site.root / "site.toml").read_text())
    site.add("a.md", article())
    build(BuildOptions(Project.at(site.root), now=NOW))
    assert (site.public / "CNAME").read_text() == "news.example.org\n"


def test_article_has_neighbours_in_time_and_related_stories(news):
    page = news.page("2021/04/ai-story-5/")
    assert re.search(r'rel="prev" href="/news/2021/04/ai-story-4/"', page)
    assert re.search(r'rel="next" href="/news/2021/04/ai-story-6/"', page)
    related = re.findall(r'<li><a href="/news/2021/04/(ai-story-\d+)/"', page.split('id="related-heading"')[1])
    # All share the topic and the tag; among equals the most recent come first.
    assert related == ["ai-story-11", "ai-story-10", "ai-story-9", "ai-story-8"]


def test_article_head_has_canonical_open_graph_twitter_and_json_ld(news):
    page = news.page("2021/05/battery-story/")
    assert f'<link rel="canonical" href="{BASE}2021/05/battery-story/">' in page
    assert f'<meta property="og:url" content="{BASE}2021/05/battery-story/">' in page
    assert re.search(rf'<meta property="og:image" content="{BASE}images/cell\.[0-9a-f]{{10}}\.320\.jpg">', page)
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    # The title and summary once each for link previews: X falls back on the Open Graph tags.
    assert '<meta property="og:title" content="Battery Story">' in page and "twitter:title" not in page
    assert page.count('<meta property="og:description"') == 1 and "twitter:description" not in page
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["@type"] == "NewsArticle" and data["headline"] == "Battery Story"
    assert data["dateModified"].startswith("2021-06-01") and data["articleSection"] == ["Energy", "AI"]
    assert '<meta property="article:modified_time" content="2021-06-01' in page
    # What the head says once already, the JSON-LD does not say again (#22: bytes on every page).
    assert "description" not in data and "mainEntityOfPage" not in data and data["url"] == f"{BASE}2021/05/battery-story/"
    unchanged = news.page("2021/04/ai-story-5/")
    assert "article:published_time" in unchanged and "article:modified_time" not in unchanged


def test_json_ld_and_meta_are_escaped_whatever_the_title_holds(news):
    page = news.page("2021/03/script-script-alert-1-script/")
    assert "<script>alert(1)" not in page
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["headline"] == "</script><script>alert(1)</script>"
    assert '<meta name="description" content="Tom &amp; Jerry &lt;b&gt;">' in page


def test_lists_give_a_storys_day_and_its_page_the_time(news):
    """Cards and related stories show an article some ten times a site: the day is what
    they show, and machines get the same; the story's page keeps the time."""
    card = re.search(r'<h2 class="card-title"><a href="/news/2021/04/ai-story-5/">.*?</p>', news.page("archive/2021/04/"), re.S)
    assert card and '<time datetime="2021-04-05">April 5, 2021</time>' in card.group(0)
    related = news.page("2021/04/ai-story-5/").split('id="related-heading"')[1]
    assert '<time datetime="2021-04-11">April 11, 2021</time>' in related
    assert '<time datetime="2021-04-05T10:00:00+02:00">April 5, 2021</time>' in news.page("2021/04/ai-story-5/")


def test_drafts_and_scheduled_articles_are_left_out_and_named(news):
    assert not (news.public / "2021/05/draft-story").exists()
    assert not (news.public / "2030").exists()
    assert [a.title for a in news.report.scheduled] == ["Future Story"]
    assert "content/2030/future-story.md: scheduled for 2030-01-01" in news.report.scheduled_lines()[0]


def test_archive_pages(news):
    archive = news.page("archive/")
    assert 'href="/news/archive/2021/"' in archive and "14 articles" in archive
    year = news.page("archive/2021/")
    assert 'href="/news/archive/2021/04/"' in year and "12 articles" in year
    month = news.page("archive/2021/04/")
    assert month.count('class="article-card"') == 12


def test_home_pages_with_stable_numbers_reach_every_article(news):
    pages = [news.page("")] + [news.page(f"page/{n}/") for n in (2,)]
    linked = set()
    for html in pages:
        linked |= set(re.findall(r'<h2 class="card-title"><a href="([^"]+)"', html))
    assert len(linked) == 14  # 12 AI stories, the battery story, the escaped one
    assert 'rel="next" href="/news/page/2/"' in pages[0]
    assert not (news.public / "page/3").exists()


def test_root_relative_links_in_articles_point_under_the_base_path(news):
    page = news.page("2021/04/ai-story-3/")
    assert 'href="/news/elsewhere/"' in page
    assert 'src="images/x.png"' in page  # relative links stay relative


def test_rebase_links_leaves_other_links_alone():
    from gazette.build.render import rebase_links

    html = '<a href="/a/">x</a><a href="//cdn.example/x">y</a><img src="/i.png"><a href="https://x.org/">z</a><a href="rel/">r</a>'
    assert rebase_links(html, "/news/") == (
        '<a href="/news/a/">x</a><a href="//cdn.example/x">y</a><img src="/news/i.png"><a href="https://x.org/">z</a><a href="rel/">r</a>'
    )
    assert rebase_links(html, "/") == html
