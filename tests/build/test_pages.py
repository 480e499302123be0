import pickle
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from gazette.build.markup import RenderedBody
from gazette.build.pages import (
    PAGER_TEMPLATES,
    Page,
    SitemapUrl,
    find_path_collisions,
    news_entries,
    news_expiry,
    plan_pages,
    plan_sitemaps,
)
from gazette.build.pagination import Pagination, paginate
from gazette.model.article import Article, Topic
from gazette.model.config import SiteConfig
from gazette.model.site import Entry, assemble_site
from gazette.model.urls import home_route

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


def test_paginate_counts_pages_from_the_oldest():
    pages = paginate(list(range(45)), 20, home_route)  # newest first: 0 is the newest
    assert [(p.number, list(items)[0], len(items)) for p, items in pages] == [(1, 0, 25), (2, 25, 20)]


def test_reading_order_is_first_page_then_highest_number_down_to_2():
    pages = paginate(list(range(70)), 20, home_route)
    numbers = [p.number for p, _ in pages]
    assert numbers == [1, 3, 2]
    first, third, second = (p for p, _ in pages)
    assert (first.newer_route, first.older_route) == (None, "page/3/")
    assert (third.newer_route, third.older_route) == ("", "page/2/")
    assert (second.newer_route, second.older_route) == ("page/3/", None)


def test_new_articles_do_not_move_older_pages():
    before = {p.number: list(items) for p, items in paginate(list(range(100, 0, -1)), 20, home_route) if p.number > 1}
    # Five newer articles arrive (ids 101..105, newest first).
    after = {p.number: list(items) for p, items in paginate(list(range(105, 0, -1)), 20, home_route) if p.number > 1}
    assert after == before
    # When a page's worth has arrived, a new numbered page appears and the rest stay.
    grown = {p.number: list(items) for p, items in paginate(list(range(120, 0, -1)), 20, home_route) if p.number > 1}
    assert {n: grown[n] for n in before} == before and set(grown) - set(before) == {6}


def test_pager_links_show_first_oldest_and_nearby_pages():
    pages = {p.number: p for p, _ in paginate(list(range(200)), 20, home_route)}
    assert [link.label for link in pages[1].links] == ["Latest", "10", "9", "…", "2"]
    assert [link.label for link in pages[5].links] == ["Latest", "…", "7", "6", "5", "4", "3", "2"]
    assert [link.current for link in pages[5].links].index(True) == 4


def test_pager_of_an_old_page_does_not_change_when_pages_are_added():
    old = {p.number: p.links for p, _ in paginate(list(range(200)), 20, home_route)}
    new = {p.number: p.links for p, _ in paginate(list(range(220)), 20, home_route)}
    assert all(new[n] == old[n] for n in range(2, 8))


def test_paginate_fewer_than_a_page_is_one_page():
    pages = paginate(list(range(5)), 20, home_route)
    assert len(pages) == 1 and pages[0][0].links == [] and pages[0][0].older_route is None
    assert len(paginate([], 20, home_route)) == 1


def test_site_orders_newest_first_and_groups_topics():
    site = assemble_site(SiteConfig("T", "/"), [entry("a", 1), entry("c", 3, ("ai", "energy")), entry("b", 2)])
    assert [e.article.slug for e in site.entries] == ["c", "b", "a"]
    assert [t.term.slug for t in site.topics] == ["ai", "energy"]
    assert [e.article.slug for e in site.topics[0].entries] == ["c", "b", "a"]
    assert site.topics[1].latest.article.slug == "c"


def test_plan_has_home_articles_topics_and_topic_pages():
    site = assemble_site(SiteConfig("T", "/", page_size=1), [entry(s, i + 1) for i, s in enumerate("abc")])
    routes = [page.route for page in plan_pages(site, datetime(2021, 4, 1, tzinfo=UTC))]
    assert routes == [
        "", "page/3/", "page/2/", "2021/03/c/", "2021/03/b/", "2021/03/a/",
        "topics/", "topics/ai/", "topics/ai/page/3/", "topics/ai/page/2/", "topics/ai/feed.xml",
        "corrections/", "corrections/feed.xml",
        "archive/", "archive/2021/", "archive/2021/03/", "feed.xml", "search/", "404.html", "sitemap.xml", "news-sitemap.xml", "robots.txt",
    ]


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


def test_the_search_index_folder_is_reserved():
    problems = find_path_collisions([], ["pagefind/pagefind.js", "css/site.css"])
    assert [str(p) for p in problems] == ["static/pagefind/pagefind.js: static/pagefind/ is reserved for the search index"]


def test_past_the_limit_the_sitemap_becomes_an_index_of_numbered_sitemaps():
    pages = [SitemapUrl(f"2021/03/s{i}/", datetime(2021, 3, 1 + i, tzinfo=UTC)) for i in range(7)]
    assert [p.route for p in plan_sitemaps(pages, 7)] == ["sitemap.xml"]
    index, *sitemaps = plan_sitemaps(pages, 3)
    assert (index.route, index.template) == ("sitemap.xml", "sitemap_index.xml")
    assert [(p.route, len(p.context["pages"])) for p in sitemaps] == [("sitemap-1.xml", 3), ("sitemap-2.xml", 3), ("sitemap-3.xml", 1)]
    assert [page for sitemap in sitemaps for page in sitemap.context["pages"]] == pages
    assert list(index.context["sitemaps"]) == [(s.route, max(p.modified for p in s.context["pages"])) for s in sitemaps]


def test_the_news_sitemap_holds_the_last_two_days_newest_first_at_most_a_thousand():
    now = datetime(2021, 3, 10, 12, tzinfo=UTC)
    entries = [entry(f"s{hours}", 1) for hours in (1, 47, 49)]
    entries = [Entry(replace(e.article, date=now - timedelta(hours=h)), e.body) for e, h in zip(entries, (1, 47, 49))]
    assert [e.article.slug for e in news_entries(entries, now)] == ["s1", "s47"]
    assert news_expiry(entries, now) == now + timedelta(hours=1)
    assert news_entries(entries, now + timedelta(days=3)) == [] and news_expiry(entries, now + timedelta(days=3)) is None
    many = [Entry(replace(entries[0].article, slug=f"m{i}"), entries[0].body) for i in range(1200)]
    assert len(news_entries(many, now)) == 1000


def reading_order_links(pagination):
    """The pager as first written: every page in reading order, those not shown run together."""
    if pagination.last == 1:
        return []
    reading_order = [1, *range(pagination.last, 1, -1)]
    here = reading_order.index(pagination.number)
    shown = {0, len(reading_order) - 1, *range(max(0, here - 2), here + 3)}
    links = []
    for position, number in enumerate(reading_order):
        if position in shown:
            links.append(("Latest" if number == 1 else str(number), home_route(number), number == pagination.number))
        elif links and links[-1][1] is not None:
            links.append(("…", None, False))
    return links


def test_the_pager_shows_what_the_whole_reading_order_would():
    for count in (5, 20, 45, 60, 99, 100, 140, 200, 333):
        for pagination, _ in paginate(list(range(count)), 20, home_route):
            assert [(link.label, link.route, link.current) for link in pagination.links] == \
                reading_order_links(pagination), (count, pagination.number)


def test_a_page_of_a_long_list_costs_what_one_page_does():
    # The home page of 100,000 articles has 5,000 pages: a page that held every page's route
    # was pickled with all of them (the kept plan pickles each page alone: 25 million routes).
    first, last = [pagination for pagination, _ in paginate(list(range(100_000)), 20, home_route)][:2]
    assert len(pickle.dumps(first)) < 1000 and len(pickle.dumps(last)) < 1000
    assert (first.older_route, last.newer_route, last.older_route) == ("page/5000/", "", "page/4999/")


def shown(pagination: Pagination) -> tuple:
    """What the theme's pager shows of a pagination (`_macros.html`'s `pager`)."""
    return ([(link.label, link.route, link.current) for link in pagination.links],
            pagination.newer_route, pagination.older_route)


def test_two_pages_whose_paginations_have_one_identity_show_the_same_pager():
    # The fingerprint stands on it: a numbered page three or more pages from the newest keeps
    # its pager, however many pages the list gains.
    paginations = [Pagination(number, last, home_route, pager_only=True)
                   for last in range(1, 14) for number in range(1, last + 1)]
    by_identity: dict[tuple, tuple] = {}
    for pagination in paginations:
        assert by_identity.setdefault(tuple(pagination.identity()), shown(pagination)) == shown(pagination), pagination
    assert len(by_identity) < len(paginations)  # and some do share one
    # Where the site's own templates may show more of it, the whole pagination is its identity.
    assert Pagination(2, 9, home_route).identity() != Pagination(2, 10, home_route).identity()


def test_the_pager_templates_are_those_the_themes_list_pages_are_rendered_with():
    import jinja2
    import jinja2.meta

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parents[2] / "gazette/theme/templates"))
    found, todo = set(), ["home.html", "term.html"]
    while todo:
        name = todo.pop()
        if name not in found:
            found.add(name)
            todo += jinja2.meta.find_referenced_templates(env.parse(env.loader.get_source(env, name)[0]))
    assert found == set(PAGER_TEMPLATES)
