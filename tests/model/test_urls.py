from datetime import datetime

import pytest

from gazette.model.urls import (
    Urls,
    archive_route,
    article_route,
    home_route,
    name_slug,
    output_file,
    route_of,
    topic_feed_route,
    topic_route,
)


def test_routes_follow_the_agreed_url_layout():
    assert home_route() == "" and home_route(2) == "page/2/"
    assert article_route(datetime(2021, 3, 4), "my-story") == "2021/03/my-story/"
    assert topic_route("ai") == "topics/ai/" and topic_route("ai", 3) == "topics/ai/page/3/"
    assert topic_feed_route("ai") == "topics/ai/feed.xml"
    assert archive_route() == "archive/"
    assert archive_route(2021) == "archive/2021/"
    assert archive_route(2021, 3) == "archive/2021/03/"


def test_directory_routes_are_written_as_index_files():
    assert output_file("") == "index.html"
    assert output_file("2021/03/x/") == "2021/03/x/index.html"
    assert output_file("feed.xml") == "feed.xml"


@pytest.mark.parametrize(
    "base_url, href, absolute",
    [
        ("https://example.org/", "/topics/ai/", "https://example.org/topics/ai/"),
        ("https://user.github.io/archive/", "/archive/topics/ai/", "https://user.github.io/archive/topics/ai/"),
        ("/", "/topics/ai/", "/topics/ai/"),
    ],
)
def test_links_carry_the_base_path(base_url, href, absolute):
    urls = Urls(base_url)
    assert urls.href("topics/ai/") == href
    assert urls.absolute("topics/ai/") == absolute


def test_links_are_percent_encoded():
    assert Urls("https://example.org/").href("images/a b.jpg") == "/images/a%20b.jpg"


def test_names_that_differ_only_in_case_and_dots_share_a_slug():
    assert name_slug("AI") == name_slug("ai") == name_slug("A.I.") == "ai"
    assert name_slug("Social Media") == "social-media"


def test_route_of_reverses_output_file():
    for route in ["", "2021/05/x/", "topics/ai/feed.xml", "404.html", "sitemap.xml"]:
        assert route_of(output_file(route)) == route
    assert route_of("books/bookindex.html") == "books/bookindex.html"  # not a folder's index
