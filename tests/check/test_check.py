"""`gazette check`: content problems and a built site's broken links, anchors, feeds and sitemap,
each named by the file an editor has to change."""

from __future__ import annotations

import hashlib
import json
import time
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest
from support.site import SiteDir, article
from support.images import photo

import gazette
from gazette.build.links import URL_META_PROPERTIES, find_link_line, srcset_urls
from gazette.build.pipeline import BuildOptions, build
from gazette.build.record import RECORD_NAME
from gazette.check.links import LinkKind, SiteAddress, is_relative_path, resolve_link
from gazette.check.run import check_site, run_check
from gazette.check.scan import (
    OutputTree,
    ScanError,
    scan_feed,
    scan_html,
    scan_robots,
    scan_sitemap,
)
from gazette.errors import GazetteError, Problem
from gazette.project import Project

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
ROOT_SITE = SiteAddress.from_base_url("https://example.org/")
SUB_SITE = SiteAddress.from_base_url("https://example.org/news/")


# --- resolving links (pure) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("href", "route", "fragment"),
    [
        ("/2021/03/story/", "2021/03/story/", None),
        ("../other/", "2021/03/other/", None),
        ("other/", "2021/03/story/other/", None),
        ("", "2021/03/story/", None),
        ("#notes", "2021/03/story/", "notes"),
        ("/topics/ai/#top", "topics/ai/", "top"),
        ("/caf%C3%A9/", "café/", None),
        ("/a/#se%20ction", "a/", "se ction"),
        ("/feed.xml?utm=1", "feed.xml", None),
        ("https://example.org/archive/", "archive/", None),
        ("HTTPS://EXAMPLE.ORG/archive/", "archive/", None),
        ("http://example.org/archive/", "archive/", None),
        ("//example.org/archive/", "archive/", None),
        ("  /padded/  ", "padded/", None),
    ],
)
def test_internal_links_resolve_against_the_page(href, route, fragment):
    resolved = resolve_link(href, "https://example.org/2021/03/story/", ROOT_SITE)
    assert (resolved.kind, resolved.route, resolved.fragment) == (LinkKind.INTERNAL, route, fragment)


@pytest.mark.parametrize(
    "href",
    ["https://other.example/x", "https://www.example.org/", "mailto:desk@example.org", "tel:+41123",
     "data:image/png;base64,AAAA", "javascript:void(0)", "ftp://example.org/file"],
)
def test_other_hosts_and_schemes_are_external(href):
    assert resolve_link(href, "https://example.org/a/", ROOT_SITE).kind is LinkKind.EXTERNAL


def test_under_a_sub_path_root_relative_links_must_stay_inside_it():
    page = "https://example.org/news/2021/03/story/"
    assert resolve_link("/news/topics/", page, SUB_SITE).route == "topics/"
    assert resolve_link("../../../", page, SUB_SITE).route == ""
    assert resolve_link("/news", page, SUB_SITE).route == ""  # redirected to /news/
    for escaping in ("/topics/", "../../../../topics/", "https://example.org/topics/", "/newsroom/"):
        resolved = resolve_link(escaping, page, SUB_SITE)
        assert resolved.kind is LinkKind.OUTSIDE_BASE, escaping
        assert resolved.path.endswith("topics/") or resolved.path == "/newsroom/"


def test_a_base_url_without_host_still_resolves_paths():
    site = SiteAddress.from_base_url("/")
    assert resolve_link("/a/", site.url_of("index.html"), site).route == "a/"
    assert resolve_link("https://example.org/a/", site.url_of("index.html"), site).kind is LinkKind.EXTERNAL


def test_site_address_serves_folders_as_their_index():
    assert SUB_SITE.url_of("index.html") == "https://example.org/news/"
    assert SUB_SITE.url_of("2021/03/x/index.html") == "https://example.org/news/2021/03/x/"
    assert SUB_SITE.url_of("404.html") == "https://example.org/news/404.html"
    assert SUB_SITE.url_of("topics/ai/feed.xml") == "https://example.org/news/topics/ai/feed.xml"


def test_output_tree_maps_paths_to_files_like_github_pages():
    tree = OutputTree(
        frozenset({"index.html", "a/index.html", "about.html", "css/site.css", "feed.xml"}),
        frozenset({"a", "css", "empty"}),
    )
    assert tree.file_for("") == "index.html"
    assert tree.file_for("a/") == "a/index.html"
    assert tree.file_for("a") == "a/index.html"  # redirected to a/
    assert tree.file_for("about") == "about.html"
    assert tree.file_for("css/site.css") == "css/site.css"
    assert tree.file_for("feed.xml") == "feed.xml"
    for missing in ("b/", "b", "css/", "empty", "empty/", "about/", "css/site.css/"):
        assert tree.file_for(missing) is None, missing


def test_output_tree_reads_files_and_folders(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "index.html").write_text("x")
    (tmp_path / "index.html").write_text("x")
    (tmp_path / ".nojekyll").write_text("")
    tree = OutputTree.read(tmp_path)
    assert tree.files == {"index.html", ".nojekyll", "a/b/index.html"}
    assert tree.folders == {"a", "a/b"}


def test_relative_paths_are_told_apart_from_root_relative_and_absolute_links():
    assert is_relative_path("img.png") and is_relative_path("../x/")
    for not_relative in ("/x/", "#x", "?q=1", "https://x.org/", "mailto:a@b.c", ""):
        assert not is_relative_path(not_relative), not_relative


# --- scanning output files (pure) -------------------------------------------------------------


TRICKY_HTML = """<!DOCTYPE html>
<html><head>
<link rel="stylesheet" href="/css/site.css">
<meta property="og:image" content="https://example.org/images/a.jpg">
<meta name="description" content="/not/a/link">
<script>var s = '<a href="/in-script/">';</script>
<style>a[href="/in-style/"] {}</style>
<script src="/js/app.js"></script>
<title>a <a href="/in-title/"> title</title>
</head><body>
<!-- <a href="/in-comment/"> -->
<main id="main"><h2 id='quoted-single'>x</h2><p ID=unquoted>y</p>
<a NAME="old-anchor"></a>
<A HREF="/upper/?a=1&amp;b=2">u</A>
<img src="/images/b.png" srcset="/images/b-1x.png 1x, /images/b-2x.png 2x" alt="x > y">
<a href=/unquoted/ title="has > inside">z</a>
<a title='href="/in-attribute/"' href="/real/">r</a>
<p>Text mentions id="not-an-id" and href="/not-a-link/".</p>
<textarea><a href="/in-textarea/"></textarea>
<video poster="/images/poster.jpg"></video>
<input disabled>
</main></body></html>"""


class ReferenceScanner(HTMLParser):
    """html.parser's view of the same page, to hold the fast scanner to it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.anchors: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if "id" in values:
            self.anchors.add(values["id"])
        if tag == "a" and "name" in values:
            self.anchors.add(values["name"])
        for name in ("href", "src", "poster"):
            if values.get(name) is not None:
                self.links.append(values[name])
        if "srcset" in values:
            self.links.extend(part.split()[0] for part in values["srcset"].split(","))
        if tag == "meta" and (values.get("property") or values.get("name")) in URL_META_PROPERTIES:
            self.links.append(values["content"])

    handle_startendtag = handle_starttag


def test_scan_html_finds_what_html_parser_finds():
    document = scan_html(TRICKY_HTML)
    reference = ReferenceScanner()
    reference.feed(TRICKY_HTML)
    assert document.anchors == reference.anchors == {"main", "quoted-single", "unquoted", "old-anchor"}
    # html.parser (before Python 3.13) reads tags inside <title> and <textarea>; HTML does not.
    rcdata = {"/in-title/", "/in-textarea/"}
    assert sorted(document.links) == sorted(link for link in reference.links if link not in rcdata)
    assert "/upper/?a=1&b=2" in document.links and "/unquoted/" in document.links
    for hidden in ("/in-script/", "/in-style/", "/in-comment/", "/in-title/", "/in-textarea/", "/in-attribute/",
                   "/not-a-link/", "/not/a/link"):
        assert hidden not in document.links


def test_scan_html_matches_html_parser_on_a_built_site(tmp_path):
    site = SiteDir(tmp_path / "s")
    site.add("alpha.md", article("Alpha", body="Intro.\n\n## Part one\n\nSee [the note][1] and[^n].\n\n[^n]: A note.\n\n[1]: /elsewhere/"))
    build(BuildOptions(Project.at(site.root), now=NOW))
    for page in site.public.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        reference = ReferenceScanner()
        reference.feed(text)
        document = scan_html(text)
        assert document.anchors == reference.anchors, page
        assert sorted(document.links) == sorted(reference.links), page


def test_scanning_stays_linear_on_garbage():
    for garbage in ("<a" * 30_000, "<a b " * 30_000, '<a b="' * 30_000, "<script " * 30_000, "<!--" * 30_000):
        started = time.perf_counter()
        scan_html(garbage)
        assert time.perf_counter() - started < 1, garbage[:10]


def test_a_base_element_is_remembered():
    assert scan_html('<head><base href="/news/"></head>').base_href == "/news/"


def test_srcset_candidates_lose_their_descriptors():
    assert srcset_urls("a.jpg") == ["a.jpg"]
    assert srcset_urls("a.jpg 1x, /b.jpg 2x") == ["a.jpg", "/b.jpg"]
    assert srcset_urls("a.jpg 480w,b.jpg 800w") == ["a.jpg", "b.jpg"]
    assert srcset_urls("  a.jpg,  b.jpg 2x  ") == ["a.jpg", "b.jpg"]


def test_feeds_sitemaps_and_robots_give_their_links():
    feed = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
      <link rel="self" href="https://example.org/feed.xml"/>
      <entry><link rel="alternate" href="https://example.org/a/"/></entry></feed>"""
    assert scan_feed(feed).links == ("https://example.org/feed.xml", "https://example.org/a/")
    sitemap = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc> https://example.org/ </loc></url><url><loc>https://example.org/a/</loc></url></urlset>"""
    assert scan_sitemap(sitemap).links == ("https://example.org/", "https://example.org/a/")
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://example.org/sitemap-1.xml</loc></sitemap></sitemapindex>"""
    assert scan_sitemap(index).links == ("https://example.org/sitemap-1.xml",)
    assert scan_robots("User-agent: *\nSitemap: https://example.org/sitemap.xml\n").links == (
        "https://example.org/sitemap.xml",)


def test_broken_xml_is_located():
    with pytest.raises(ScanError) as caught:
        scan_sitemap(b'<?xml version="1.0"?>\n<urlset>\n<url><loc>x</loc>\n</urlset>')
    assert caught.value.line == 4 and "not well-formed XML" in caught.value.message
    with pytest.raises(ScanError, match="not an Atom feed"):
        scan_feed(b"<rss/>")
    with pytest.raises(ScanError, match="not a sitemap"):
        scan_sitemap(b'<feed xmlns="http://www.w3.org/2005/Atom"/>')


def test_link_lines_are_found_where_the_markdown_writes_them():
    text = "---\ntitle: T\nimage: x.png\n---\nSee [a](/x/) and [b][ref].\n\n<a href=\"/y/?a=1&amp;b=2\">y</a>\n\n[ref]: /z/\n"
    assert find_link_line(text, "/x/", start_line=5) == 5
    assert find_link_line(text, "/z/", start_line=5) == 9
    assert find_link_line(text, "/y/?a=1&b=2", start_line=5) == 7
    assert find_link_line(text, "/nowhere/", start_line=5) is None
    # The body is searched first: a front matter value that happens to match loses.
    assert find_link_line("---\nsource: /x/\n---\nSee [it](/x/).\n", "/x/", start_line=4) == 4


# --- whole sites ---------------------------------------------------------------------------


def run(site: SiteDir, **options) -> list[Problem]:
    opts = BuildOptions(Project.at(site.root), now=NOW, **options)
    build(opts)
    return check_site(opts)


def messages(problems: list[Problem]) -> list[str]:
    return [str(problem) for problem in problems]


def full_site(site: SiteDir) -> None:
    """Articles that use every kind of link that should work."""
    photo(site.root / "static" / "images" / "cell.jpg", 320, 240)
    site.add("2021/battery-story.md", article(
        "Battery Story", "2021-03-05", "[Energy, AI]", image="images/cell.jpg", image_caption="A cell.",
        body="""
        Intro with a [jump](#what-it-means) and a note.[^1]

        ## What it means

        See [the chip story](../../04/chip-story/) and [its details](../../04/chip-story/#the-details),
        [the topic](../../../topics/energy/), ![a cell](../../../images/cell.jpg) and
        [the outside world](https://www.example.com/x) or [mail](mailto:desk@example.org).

        [^1]: The note.
        """))
    site.add("2021/chip-story.md", article("Chip Story", "2021-04-01", "[AI]", body="Intro.\n\n## The details\n\nMore."))


@pytest.mark.parametrize("base_url", ["https://example.org/", "https://example.org/news/", "https://user.github.io/deep/er/"])
def test_a_clean_site_has_no_problems(tmp_path, base_url):
    site = SiteDir(tmp_path / "s", base_url=base_url, page_size=1)  # page_size 1: pagers on every index
    full_site(site)
    assert messages(run(site)) == []


def test_an_empty_site_has_no_problems(site):
    assert messages(run(site)) == []


def test_a_link_to_a_missing_page_names_the_article_and_line(site):
    site.add("2021/chip-story.md", article("Chip Story", "2021-04-01", body="First line.\n\nSee [the story](/2021/03/gone/) now."))
    problems = run(site)
    assert messages(problems) == [
        f"{site.root / 'content/2021/chip-story.md'}:8: broken link /2021/03/gone/: not in the built site"
    ]


def test_a_relative_link_says_where_it_leads(site):
    site.add("2021/chip-story.md", article("Chip Story", "2021-04-01", body="See [it](../gone/)."))
    [problem] = run(site)
    assert problem.line == 6
    assert problem.message == "broken link ../gone/: not in the built site (leads to /2021/04/gone/)"


def test_a_broken_anchor_is_reported(site):
    site.add("2021/alpha.md", article("Alpha", "2021-04-01", body="Intro.\n\n## Details\n\nBack to [details](#detials)."))
    site.add("2021/beta.md", article("Beta", "2021-04-02", body="See [alpha's details](/2021/04/alpha/#details) "
                                                             "and [its typo](/2021/04/alpha/#no-such)."))
    problems = run(site)
    assert messages(problems) == [
        f"{site.root / 'content/2021/alpha.md'}:10: broken link #detials: the page has no id 'detials'",
        f"{site.root / 'content/2021/beta.md'}:6: broken link /2021/04/alpha/#no-such: the page has no id 'no-such'",
    ]


def test_a_body_link_spelled_differently_in_markdown_is_still_the_articles(site):
    # Markdown's backslash escape: the page says /a_b/, the file says /a\_b/.
    site.add("alpha.md", article("Alpha", "2021-04-01", body="See [it](/a\\_b/)."))
    [problem] = run(site)
    assert problem.path == site.root / "content/alpha.md" and problem.line is None
    assert problem.message == "broken link /a_b/: not in the built site"


def test_a_relative_link_on_the_404_page_is_reported(site):
    site.add("alpha.md", article("Alpha", "2021-04-01"))
    template = site.root / "templates" / "404.html"
    template.write_text(template.read_text().replace("<ul", '<p><a href="topics/">Topics</a></p>\n<ul', 1))
    [problem] = run(site)
    assert problem.path == template
    assert problem.message.startswith("broken link topics/: relative, but 404.html is served at every missing address")


def test_missing_images_are_reported_in_the_body_and_in_the_front_matter(site):
    # Both are the build's to check: a page is never made with a missing picture.
    path = site.add("2021/alpha.md", article("Alpha", "2021-04-01", image="images/nope.jpg", body="Intro.\n\n![chart](/images/chart.png)"))
    with pytest.raises(GazetteError) as refused:  # the lead image is the build's to check
        run(site)
    assert messages(refused.value.problems) == [f"{path}:5: 'image': images/nope.jpg is not in {site.root / 'static'}/",
                                                f"{path}:9: the image /images/chart.png is not in static/"]
    photo(site.root / "static/images/nope.jpg", 200, 100)
    photo(site.root / "static/images/chart.png", 200, 100, fmt="PNG")
    assert messages(run(site)) == []


def test_links_leaving_a_sub_path_are_reported(tmp_path):
    site = SiteDir(tmp_path / "s", base_url="https://example.org/news/")
    # A root-relative link is moved under the base path (/elsewhere/ -> /news/elsewhere/);
    # a full URL to the same host is taken as written.
    site.add("alpha.md", article("Alpha", body="See [elsewhere](https://example.org/elsewhere/) and [home](https://example.org/)."))
    problems = run(site)
    assert [(p.line, p.message) for p in problems] == [
        (6, "broken link https://example.org/: outside the site's base path /news/ (leads to /), "
            "so GitHub Pages would answer 404"),
        (6, "broken link https://example.org/elsewhere/: outside the site's base path /news/ (leads to /elsewhere/), "
            "so GitHub Pages would answer 404"),
    ]


def test_a_template_with_a_broken_link_is_reported_once(site):
    for day in (1, 2, 3):
        site.add(f"story-{day}.md", article(f"Story {day}", f"2021-04-0{day}"))
    template = site.root / "templates" / "article.html"
    text = template.read_text()
    assert "{% block main %}" in text
    template.write_text(text.replace("{% block main %}", "{% block main %}<a href=\"{{ url('fixes/') }}\">Fix</a>", 1))
    problems = run(site)
    assert messages(problems) == [
        f"{template}: broken link /fixes/: not in the built site (on 3 pages, e.g. /2021/04/story-1/)"
    ]


def test_a_feed_entry_pointing_to_a_page_the_content_lacks_is_blamed_on_the_feed_template(site):
    site.add("alpha.md", article("Alpha", "2021-04-01"))
    opts = BuildOptions(Project.at(site.root), now=NOW)
    build(opts)
    feed = site.public / "topics" / "ai" / "feed.xml"
    feed.write_text(feed.read_text().replace("/2021/04/alpha/", "/2021/04/renamed/"))
    assert messages(check_site(opts)) == [
        f"{site.root / 'templates/feed.xml'}: broken link https://example.org/2021/04/renamed/: "
        "not in the built site (leads to /2021/04/renamed/) (on 1 page, e.g. /topics/ai/feed.xml)"
    ]


def test_a_deleted_page_is_one_problem_naming_its_article(site):
    site.add("alpha.md", article("Alpha", "2021-04-01"))
    site.add("beta.md", article("Beta", "2021-04-02"))
    opts = BuildOptions(Project.at(site.root), now=NOW)
    build(opts)
    (site.public / "2021/04/alpha/index.html").unlink()
    [problem] = check_site(opts)
    assert problem.path == site.root / "content/alpha.md"
    assert "2021/04/alpha/index.html is missing (the build is out of date or incomplete" in problem.message
    assert "run `build`" in problem.message and "linked from" in problem.message  # feeds, sitemap, lists


def test_feeds_and_sitemaps_need_absolute_urls(site):
    site.add("alpha.md", article("Alpha", "2021-04-01"))
    opts = BuildOptions(Project.at(site.root), now=NOW)
    build(opts)
    sitemap = site.public / "sitemap.xml"
    sitemap.write_text(sitemap.read_text().replace("<loc>https://example.org/2021/04/alpha/", "<loc>/2021/04/alpha/"))
    assert messages(check_site(opts)) == [
        f"{site.root / 'templates/sitemap.xml'}: broken link /2021/04/alpha/: must be an absolute URL here "
        "(on 1 page, e.g. /sitemap.xml)"
    ]


def test_a_missing_feed_is_reported_even_if_nothing_links_to_it(site):
    site.add("alpha.md", article("Alpha", "2021-04-01"))
    opts = BuildOptions(Project.at(site.root), now=NOW)
    build(opts)
    (site.public / "topics/ai/feed.xml").unlink()
    [problem] = check_site(opts)
    assert problem.path == site.root / "templates/feed.xml"
    assert "topics/ai/feed.xml is missing" in problem.message


def test_a_corrupt_sitemap_is_reported_with_its_line(site):
    site.add("alpha.md", article("Alpha", "2021-04-01"))
    opts = BuildOptions(Project.at(site.root), now=NOW)
    build(opts)
    sitemap = site.public / "sitemap.xml"
    sitemap.write_text(sitemap.read_text().replace("</url>", "</ulr>", 1))
    [problem] = check_site(opts)
    assert problem.path == sitemap and problem.line == 3
    assert "is not well-formed XML: mismatched tag" in problem.message


def test_a_stray_output_file_is_named_itself(site):
    site.add("alpha.md", article("Alpha", "2021-04-01"))
    opts = BuildOptions(Project.at(site.root), now=NOW)
    build(opts)
    (site.public / "old.html").write_text('<a href="/gone/">gone</a>')
    assert messages(check_site(opts)) == [f"{site.public / 'old.html'}: broken link /gone/: not in the built site"]


def test_colliding_articles_are_reported_naming_both_files(site):
    site.add("2021/same-title.md", article("Same Title", "2021-04-01"))  # one URL: the file names it
    site.add("2021/more/same-title.md", article("Same Title", "2021-04-01T12:00:00"))
    problems = check_site(BuildOptions(Project.at(site.root), now=NOW))
    assert len(problems) == 1
    assert "content/2021/same-title.md" in str(problems[0]) and "content/2021/more/same-title.md" in str(problems[0])
    assert "claims the URL /2021/04/same-title/" in problems[0].message


def test_invalid_content_is_reported_like_build_does(site):
    site.add("2021/broken.md", article("Broken", date="2021-02-30"))
    [problem] = check_site(BuildOptions(Project.at(site.root), now=NOW))
    assert problem.path == site.root / "content/2021/broken.md" and problem.line == 3


def test_a_site_never_built_says_to_build_first(site):
    site.add("a.md", article())
    [problem] = check_site(BuildOptions(Project.at(site.root), now=NOW))
    assert problem.path == site.public and "run `build` first" in problem.message


def test_an_empty_output_folder_says_to_build_first(site):
    site.add("a.md", article())
    site.public.mkdir()
    [problem] = check_site(BuildOptions(Project.at(site.root), now=NOW))
    assert problem.path == site.public and "run `build` first" in problem.message


def test_without_a_base_url_the_check_uses_the_one_the_site_was_built_with(site):
    site.add("alpha.md", article("Alpha", body="[gone](/gone/)"))
    build(BuildOptions(Project.at(site.root), now=NOW, base_url="https://user.github.io/archive/"))
    problems = check_site(BuildOptions(Project.at(site.root), now=NOW))
    assert [p.message for p in problems] == ["broken link /archive/gone/: not in the built site"]


def test_a_base_url_other_than_the_built_one_is_one_problem(site):
    site.add("alpha.md", article("Alpha", body="[gone](/gone/)"))
    build(BuildOptions(Project.at(site.root), now=NOW, base_url="https://user.github.io/archive/"))
    [problem] = check_site(BuildOptions(Project.at(site.root), now=NOW, base_url="https://example.org/"))
    assert problem.path == site.root / "site.toml"
    assert "was built for the base URL https://user.github.io/archive/, not https://example.org/" in problem.message


def rewrite_record(site, **changes) -> None:
    record = json.loads((site.public / RECORD_NAME).read_text())
    (site.public / RECORD_NAME).write_text(json.dumps({**record, **changes}))


def test_a_site_built_by_another_version_says_so(site):
    site.add("a.md", article())
    build(BuildOptions(Project.at(site.root), now=NOW))
    rewrite_record(site, version="0.0.1")
    [problem] = check_site(BuildOptions(Project.at(site.root), now=NOW))
    assert problem.path == site.public
    assert f"was built by Gazette 0.0.1, and this is Gazette {gazette.__version__}" in problem.message


def test_a_site_without_a_build_record_says_so(site):
    site.add("a.md", article())
    build(BuildOptions(Project.at(site.root), now=NOW))
    (site.public / RECORD_NAME).unlink()
    [problem] = check_site(BuildOptions(Project.at(site.root), now=NOW))
    assert problem.path == site.public and "has no build record" in problem.message


@pytest.mark.parametrize("built_with_drafts", [True, False])
def test_a_site_built_with_other_draft_options_says_so(site, built_with_drafts):
    site.add("a.md", article())
    build(BuildOptions(Project.at(site.root), now=NOW, drafts=built_with_drafts))
    [problem] = check_site(BuildOptions(Project.at(site.root), now=NOW, drafts=not built_with_drafts))
    built = "with" if built_with_drafts else "without"
    assert problem.path == site.public and f"was built {built} --drafts" in problem.message
    assert check_site(BuildOptions(Project.at(site.root), now=NOW, drafts=built_with_drafts)) == []


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_check_writes_nothing_without_the_cache(site):
    site.add("alpha.md", article("Alpha", body="[gone](/gone/)"))
    build(BuildOptions(Project.at(site.root), now=NOW, use_cache=False))
    before = digest(site.root)
    assert check_site(BuildOptions(Project.at(site.root), now=NOW, use_cache=False))
    assert digest(site.root) == before


def test_run_check_exit_status_and_output(site, capsys):
    site.add("alpha.md", article("Alpha"))
    opts = BuildOptions(Project.at(site.root), now=NOW)
    build(opts)
    assert run_check(opts) == 0
    assert "no problems" in capsys.readouterr().out
    site.add("beta.md", article("Beta", body="[gone](/gone/)"))
    build(opts)
    assert run_check(opts) == 1
    err = capsys.readouterr().err
    assert "content/beta.md:6: broken link /gone/" in err and "1 problem found" in err


def test_a_broken_root_relative_link_under_a_sub_path_names_the_article_and_line(tmp_path):
    site = SiteDir(tmp_path / "site", base_url="https://example.org/news/")
    site.add("one.md", article("One", body="Intro.\n\nSee [gone](/2021/03/gone/)."))
    build(BuildOptions(Project.at(site.root)))
    problems = check_site(BuildOptions(Project.at(site.root)))
    assert [(Path(p.path).name, p.line) for p in problems] == [("one.md", 8)]


def test_an_id_used_twice_on_a_page_is_reported_naming_the_article(site):
    path = site.add("alpha.md", article("Alpha", body='<span id="x">one</span> and <span id="x">two</span>.'))
    [problem] = run(site)
    assert problem.path == path
    assert problem.message.startswith("the id 'x' is used twice on 2021/03/alpha/index.html")


def test_tags_authors_corrections_and_pages_are_checked_too(site):
    site.add("2021/a.md", article("A", "2021-03-04", tags="[chips]", author="Jane Doe",
                                  corrections="[{date: 2021-03-05, text: Fixed.}]"))
    site.add("pages/about.md", "---\ntitle: About\n---\nSee [the fixes](/corrections/#nowhere)\nand [chips](/tags/chips/).\n")
    assert messages(run(site)) == [
        f"{site.root / 'content/pages/about.md'}:4: broken link /corrections/#nowhere: the page has no id 'nowhere'"]
    site.add("pages/about.md", "---\ntitle: About\n---\nSee [the fix](/2021/03/a/#correction-1).\n")
    assert messages(run(site)) == []
