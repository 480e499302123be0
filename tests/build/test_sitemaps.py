"""Sitemaps of a generated archive, read with an XML parser against the protocols' rules:
sitemaps.org (at most 50,000 URLs a file, else an index of sitemaps) and Google News (the
articles of the last 48 hours, at most 1,000). The 50,000 limit is lowered for the test:
an archive past it would take minutes to build."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from support.archive_gen import write_archive

import gazette.build.pages
from gazette.build.pipeline import BuildOptions, build
from gazette.check.run import check_site
from gazette.project import Project

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
BASE = "https://example.org/news/"
ZURICH = ZoneInfo("Europe/Zurich")
# write_archive dates story i on 2019-01-03 (site time) + 6 i days, at some hour of that day.
N = 60
NOW = datetime(2019, 1, 3, tzinfo=ZURICH) + timedelta(days=6 * (N - 1) + 1, hours=20)


def parse(public: Path, url: str) -> ET.Element:
    assert url.startswith(BASE), url
    return ET.parse(public / url[len(BASE):]).getroot()


def html_pages(public: Path) -> set[str]:
    """Every page a crawler should know: the built HTML but the 404 page and the redirects
    from old addresses (`aliases:`), which are `noindex`."""
    return {
        BASE + ("" if p.parent == public else p.parent.relative_to(public).as_posix() + "/")
        for p in public.rglob("index.html") if "pagefind" not in p.parts and b'http-equiv="refresh"' not in p.read_bytes()
    }


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    root = write_archive(tmp_path_factory.mktemp("sitemaps") / "site", N)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gazette.build.pages, "SITEMAP_MAX_URLS", 40)
        build(BuildOptions(Project.at(root), now=NOW, jobs=1))
        assert check_site(BuildOptions(Project.at(root), now=NOW, jobs=1)) == []
    return root


def test_past_the_limit_sitemap_xml_is_an_index_of_sitemaps_listing_every_page_once(archive):
    public = archive / "public"
    index = ET.parse(public / "sitemap.xml").getroot()
    assert index.tag == f"{SITEMAP}sitemapindex"
    listed: list[str] = []
    entries = index.findall(f"{SITEMAP}sitemap")
    assert len(entries) >= 3
    for entry in entries:
        datetime.fromisoformat(entry.findtext(f"{SITEMAP}lastmod"))  # W3C datetime
        sitemap = parse(public, entry.findtext(f"{SITEMAP}loc"))
        assert sitemap.tag == f"{SITEMAP}urlset"
        urls = sitemap.findall(f"{SITEMAP}url")
        assert 0 < len(urls) <= 40
        listed += [url.findtext(f"{SITEMAP}loc") for url in urls]
    assert len(listed) == len(set(listed))
    assert set(listed) == html_pages(public)


def test_the_news_sitemap_lists_the_last_two_days_with_the_news_fields(archive):
    public = archive / "public"
    news = ET.parse(public / "news-sitemap.xml").getroot()
    assert news.tag == f"{SITEMAP}urlset"
    [url] = news.findall(f"{SITEMAP}url")  # stories are six days apart: only the newest is news
    loc = url.findtext(f"{SITEMAP}loc")
    assert loc == f"{BASE}2019/12/story-{N - 1:04d}/"
    item = url.find(f"{NEWS}news")
    assert item.findtext(f"{NEWS}publication/{NEWS}name") == "Generated Wire & Co"
    assert item.findtext(f"{NEWS}publication/{NEWS}language") == "en"
    published = datetime.fromisoformat(item.findtext(f"{NEWS}publication_date"))  # W3C datetime, with offset
    assert NOW - timedelta(hours=48) <= published <= NOW
    front_matter = (archive / "content/2019" / f"story-{N - 1:04d}.md").read_text().split("---")[1]
    assert item.findtext(f"{NEWS}title") == yaml.safe_load(front_matter)["title"]


def test_robots_txt_names_both_sitemaps(archive):
    robots = (archive / "public" / "robots.txt").read_text()
    assert f"Sitemap: {BASE}sitemap.xml" in robots and f"Sitemap: {BASE}news-sitemap.xml" in robots


def test_the_days_news_leaves_the_sitemaps_of_older_articles_as_they_were(tmp_path):
    """Article pages are listed oldest first, before every other page, so a story dated after
    every other lands after them: the sitemaps that list only older articles keep their bytes
    (at 100,000 articles, rendering all three sitemaps again took 1.5 s of each such add)."""
    root = write_archive(tmp_path / "site", N)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gazette.build.pages, "SITEMAP_MAX_URLS", 40)
        build(BuildOptions(Project.at(root), now=NOW, jobs=1))
        newest = root / "content/2019" / f"story-{N - 1:04d}.md"
        fields = {"date": f"date: {(NOW - timedelta(hours=1)).isoformat()}", "slug": "slug: the-days-news"}
        lines = newest.read_text(encoding="utf-8").splitlines(keepends=True)
        (root / "content/2019/the-days-news.md").write_text(
            "".join(fields[line.split(":")[0]] + "\n" if line.split(":")[0] in fields else line for line in lines),
            encoding="utf-8")
        report = build(BuildOptions(Project.at(root), now=NOW, jobs=1))
    public = root / "public"
    first = [url.findtext(f"{SITEMAP}loc") for url in parse(public, BASE + "sitemap-1.xml")]
    assert all(f"{BASE}{2019}/" in url for url in first)  # the 40 oldest articles, all of 2019
    assert "sitemap-1.xml" not in report.changed
    assert "sitemap.xml" in report.changed  # the index: its last sitemap's date
    assert any("the-days-news" in (public / name).read_text() for name in report.changed if name.startswith("sitemap-"))
