from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from gazette.config import SiteConfig
from gazette.content import Article, Topic
from gazette.markup import RenderedBody
from gazette.pages import Page, find_path_collisions, paginate, plan_pages
from gazette.site import Entry, assemble_site
from gazette.urls import home_route

UTC = ZoneInfo("UTC")


def entry(slug: str, day: int, topics=("ai",)) -> Entry:
    article = Article(
        source_path=Path(f"content/{slug}.md"),
        title=slug.title(),
        date=datetime(2021, 3, day, tzinfo=UTC),
        topics=tuple(Topic(t, t.upper()) for t in topics),
        slug=slug,
        body="",
        body_line=1,
    )
    return Entry(article, RenderedBody("<p>x</p>", "x", 1))


def test_paginate_splits_into_pages_with_neighbour_routes():
    pages = paginate(list(range(5)), 2, home_route)
    assert [list(items) for _, items in pages] == [[0, 1], [2, 3], [4]]
    first, second, last = (p for p, _ in pages)
    assert first.routes == ("", "page/2/", "page/3/")
    assert (first.previous_route, first.next_route) == (None, "page/2/")
    assert (second.previous_route, second.next_route) == ("", "page/3/")
    assert last.next_route is None


def test_paginate_an_empty_list_still_has_one_page():
    assert len(paginate([], 20, home_route)) == 1


def test_site_orders_newest_first_and_groups_topics():
    site = assemble_site(SiteConfig("T", "/"), [entry("a", 1), entry("c", 3, ("ai", "energy")), entry("b", 2)])
    assert [e.article.slug for e in site.entries] == ["c", "b", "a"]
    assert [t.topic.slug for t in site.topics] == ["ai", "energy"]
    assert [e.article.slug for e in site.topics[0].entries] == ["c", "b", "a"]
    assert site.topics[1].latest.article.slug == "c"


def test_plan_has_home_articles_topics_and_topic_pages():
    site = assemble_site(SiteConfig("T", "/", page_size=2), [entry(s, i + 1) for i, s in enumerate("abc")])
    routes = [page.route for page in plan_pages(site)]
    assert routes == ["", "page/2/", "2021/03/c/", "2021/03/b/", "2021/03/a/", "topics/", "topics/ai/", "topics/ai/page/2/"]


def test_collisions_name_both_sources():
    pages = [
        Page("2021/03/x/", "article.html", "X", sources=(Path("content/one.md"),)),
        Page("2021/03/x/", "article.html", "X", sources=(Path("content/two.md"),)),
        Page("topics/", "topics.html", "Topics"),
    ]
    problems = find_path_collisions(pages, ["topics/index.html"])
    messages = sorted(str(p) for p in problems)
    assert messages == [
        "content/one.md: claims the URL /2021/03/x/ also claimed by content/two.md",
        "the 'Topics' page: claims the URL /topics/ also claimed by static/topics/index.html",
    ]


def test_no_collisions_when_every_page_has_its_own_file():
    assert find_path_collisions([Page("", "home.html", "H"), Page("a/", "x", "A")], ["css/site.css"]) == []
