"""Every URL the site has, in one place, so a sub-folder base path works everywhere.

A *route* is a path relative to the site root ("2021/03/my-story/"); `Urls`
turns it into an href under the base path or an absolute URL for feeds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from urllib.parse import quote, urlsplit

from slugify import slugify

# A slug names a folder of the output (and `new` names a file after it): far below the
# 255 bytes a file name may have on every system.
MAX_SLUG = 100


def name_slug(name: str) -> str:
    """Identity of a topic or tag: 'AI', 'ai' and 'A.I.' are one topic."""
    return slugify(name.replace(".", ""))


def title_slug(title: str) -> str:
    """The slug a headline makes, cut at a word when it would be longer than MAX_SLUG."""
    return slugify(title, max_length=MAX_SLUG, word_boundary=True)


def home_route(page: int = 1) -> str:
    return "" if page == 1 else f"page/{page}/"


def article_route(date: datetime, slug: str) -> str:
    return f"{date.year:04d}/{date.month:02d}/{slug}/"  # not strftime: ten times faster


def topics_route() -> str:
    return "topics/"


def term_route(folder: str, slug: str, page: int = 1) -> str:
    """A topic's, tag's or author's page: "tags/openai/", "tags/openai/page/2/"."""
    return f"{folder}/{slug}/" if page == 1 else f"{folder}/{slug}/page/{page}/"


def term_feed_route(folder: str, slug: str) -> str:
    return f"{folder}/{slug}/feed.xml"


def topic_route(slug: str, page: int = 1) -> str:
    return term_route("topics", slug, page)


def topic_feed_route(slug: str) -> str:
    return term_feed_route("topics", slug)


def tags_route() -> str:
    return "tags/"


def authors_route() -> str:
    return "authors/"


def corrections_route() -> str:
    return "corrections/"


def corrections_feed_route() -> str:
    return "corrections/feed.xml"


def plain_page_route(name: str) -> str:
    """A page of content/pages/: "about.md" -> "about/"."""
    return f"{name}/"


def archive_route(year: int | None = None, month: int | None = None) -> str:
    if year is None:
        return "archive/"
    if month is None:
        return f"archive/{year:04d}/"
    return f"archive/{year:04d}/{month:02d}/"


NEWS_SITEMAP_ROUTE = "news-sitemap.xml"


def search_route() -> str:
    return "search/"


def feed_route() -> str:
    return "feed.xml"


def output_file(route: str) -> str:
    """The file a route is written to: directories get an index.html."""
    return route + "index.html" if route == "" or route.endswith("/") else route


def route_of(file: str) -> str:
    """The route an output file is served at, the reverse of `output_file`:
    "2021/05/x/index.html" -> "2021/05/x/"."""
    return file.removesuffix("index.html") if file == "index.html" or file.endswith("/index.html") else file


@dataclass(frozen=True)
class Urls:
    base_url: str  # always ends with "/", e.g. "https://user.github.io/archive/"

    @cached_property
    def base_path(self) -> str:
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    def href(self, route: str) -> str:
        """Root-relative link, correct under any base path."""
        return self.base_path + quote_route(route)

    def absolute(self, route: str) -> str:
        """Full URL for feeds, sitemaps and canonical links."""
        return self.base_url + quote_route(route)


_PLAIN_ROUTE = re.compile(r"[A-Za-z0-9/._~#-]*")


def quote_route(route: str) -> str:
    # Nearly every route is made of slugs and digits: skip the (slow) general quoting then.
    if _PLAIN_ROUTE.fullmatch(route):
        return route
    return quote(route, safe="/#?=&%~:@!$'()*+,;")
