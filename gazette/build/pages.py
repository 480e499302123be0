"""Plan every page of the site (route, template, data) before anything is rendered."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from itertools import islice, takewhile
from pathlib import Path
from typing import Any

from gazette.build.pagination import Pagination, paginate
from gazette.build.wording import Wording
from gazette.errors import Problem
from gazette.model.article import Article
from gazette.model.config import SiteConfig
from gazette.model.site import (
    Entry,
    MonthIndex,
    Site,
    Teaser,
    Teasers,
    TermHeading,
    TermIndex,
    YearIndex,
)
from gazette.model.urls import (
    NEWS_SITEMAP_ROUTE,
    archive_route,
    authors_route,
    corrections_feed_route,
    corrections_route,
    feed_route,
    home_route,
    output_file,
    route_of,
    search_route,
    tags_route,
    topics_route,
)

# The sitemap protocol's limit per file; past it, sitemap.xml becomes an index of sitemaps.
SITEMAP_MAX_URLS = 50_000
# Google News sitemaps list the articles of the last two days, at most a thousand.
NEWS_WINDOW = timedelta(hours=48)
NEWS_MAX_ARTICLES = 1000
SEARCH_INDEX_FOLDER = "pagefind"  # written by gazette.search.index after the pages


@dataclass(frozen=True)
class Page:
    route: str
    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)
    sources: tuple[Path, ...] = ()  # the content files this page is made from
    modified: datetime | None = None  # for the sitemap; written (there and in fingerprints) only in ISO 8601

    @cached_property  # asked for four times a page per build
    def output_file(self) -> str:
        return output_file(self.route)

    @property
    def is_html(self) -> bool:
        return self.output_file.endswith(".html")


TERM_TEMPLATE = "term.html"  # a topic's, tag's or author's pages
HOME_TEMPLATE = "home.html"
# The theme's templates a list's pages are rendered with (`test_pages` checks it against what
# they extend and import): where the site uses them all, a page shows its pagination only
# through the theme's pager.
PAGER_TEMPLATES = (HOME_TEMPLATE, TERM_TEMPLATE, "base.html", "_macros.html", "_dates.html")


@dataclass(frozen=True)
class ListTemplates:
    """What the site's templates may show on every page of a list, where the theme's show it
    on some only. The site's own `term.html` may show a topic's whole index (its count, its
    newest story) on each page; its own list templates may show the number of pages."""

    whole_term_index: bool = False
    whole_pagination: bool = False

    @classmethod
    def of(cls, is_theme_file: Callable[[str], bool]) -> ListTemplates:
        """Of a site whose templates are the theme's where `is_theme_file(name)`."""
        return cls(whole_term_index=not is_theme_file(TERM_TEMPLATE),
                   whole_pagination=not all(map(is_theme_file, PAGER_TEMPLATES)))


def article_page(entry: Entry, newer: Entry | None, older: Entry | None, related: object, pictures: object) -> Page:
    """An article's page: the story, the stories just newer and older as teasers, its related
    stories and its responsive images (None: none). The kept plan makes most of these again
    from its entries rather than keeping each (see `plan_store`), so both make them here."""
    return Page(entry.article.route, ARTICLE_TEMPLATE, entry.article.title,
                {"entry": entry, "newer": Teaser(newer) if newer is not None else None,
                 "older": Teaser(older) if older is not None else None, "related": related, "pictures": pictures},
                sources=(entry.article.source_path,), modified=entry.modified)


def newest(entries: Sequence[Entry]) -> datetime | None:
    return max((e.modified for e in entries), default=None)


def _list_pages(entries, size, route_for, template, title, context, words: Wording, older_context=None,
                pager_only: bool = False) -> list[Page]:
    """A list's pages: page 1 with `context`, the older pages with `older_context` (default:
    the same), each with its entries as teasers and its pagination."""
    pages = []
    for pagination, page_entries in paginate(entries, size, route_for, words.gettext("Latest"), pager_only):
        first = pagination.number == 1
        shared = context if first or older_context is None else older_context
        pages.append(list_page(pagination, page_entries, template, title, shared, words))
    return pages


def list_page(pagination: Pagination, entries: Sequence[Entry], template: str, title: str, context: dict[str, Any],
              words: Wording, modified: datetime | None = None) -> Page:
    """One page of a list titled `title`, showing `entries` (see `_list_pages`), dated as the
    newest of them, unless `modified` tells (as the kept plan's cards do: `kept_entries.newest_change`)."""
    page_title = title if pagination.number == 1 else words.gettext("%(title)s, page %(number)s") % {
        "title": title, "number": pagination.number}
    return Page(pagination.route_for(pagination.number), template, page_title,
                {**context, "entries": Teasers(entries), "pagination": pagination},
                modified=modified if modified is not None else newest(entries))


REDIRECT_TEMPLATE = "redirect.html"  # an old address of an article (`aliases:`): never in sitemaps, feeds or search


def redirect_page(route: str, article: Article) -> Page:
    """The page at `route`, an old address of `article` (an alias, or an address it had), that
    sends readers on to it."""
    return Page(route, REDIRECT_TEMPLATE, article.title, {"target": article.route}, sources=(article.source_path,))


def plan_pages(site: Site, now: datetime, words: Wording | None = None,
               pictures: Callable[[str | None, Sequence[str]], object] | None = None,
               templates: ListTemplates = ListTemplates()) -> list[Page]:
    """Every page of the site; `now` decides which articles are recent news. `pictures(lead,
    body_images)`: the responsive images a page shows (`ImageCatalog.pictures_of`), if any.
    `templates`: what the site's templates may show on every page of a list."""
    words = words or Wording(site.config.language)
    size = site.config.page_size
    entries = site.entries
    site_modified = newest(entries)
    pages = _list_pages(entries, size, home_route, HOME_TEMPLATE, words.gettext("Latest news"), {}, words,
                        pager_only=not templates.whole_pagination)
    for index, entry in enumerate(entries):
        pages.append(article_page(entry, entries[index - 1] if index > 0 else None,
                                  entries[index + 1] if index + 1 < len(entries) else None, site.related_to(index),
                                  pictures(entry.article.image, entry.body.images) if pictures else None))
        pages += [redirect_page(alias, entry.article) for alias in entry.article.aliases]
    for plain in site.plain_pages:
        pages.append(Page(plain.page.route, "page.html", plain.page.title,
                          {"plain": plain, "pictures": pictures(None, plain.body.images) if pictures else None},
                          sources=(plain.page.source_path,)))
    # A site without tags or bylines has no page listing none; /topics/ is always there.
    for route, template, title, indexes, always in (
        (topics_route(), "topics.html", words.gettext("Topics"), site.topics, True),
        (tags_route(), "tags.html", words.gettext("Tags"), site.tags, False),
        (authors_route(), "authors.html", words.gettext("Authors"), site.authors, False),
    ):
        if indexes or always:
            pages.append(Page(route, template, title, {"indexes": indexes}, modified=site_modified))
        for term_index in indexes:
            pages += plan_term_pages(term_index, site.config, words, templates)
    pages += plan_corrections(site, words)
    pages += plan_archive(site, site_modified, words)
    pages.append(Page(feed_route(), "feed.xml", site.config.title, {"entries": entries[:site.config.feed_size], "alternate": ""}))
    if site.config.search:
        pages.append(Page(search_route(), "search.html", words.gettext("Search"),
                          {"topics": site.topics}, modified=site_modified))
    pages.append(Page("404.html", "404.html", words.gettext("Page not found")))
    pages += plan_sitemaps(sitemap_order(pages), SITEMAP_MAX_URLS)
    pages.append(Page(NEWS_SITEMAP_ROUTE, "news_sitemap.xml", "News sitemap", {"entries": news_entries(entries, now)}))
    pages.append(Page("robots.txt", "robots.txt", "robots.txt", {"sitemaps": ["sitemap.xml", NEWS_SITEMAP_ROUTE]}))
    return pages


ARTICLE_TEMPLATE = "article.html"
def plan_term_pages(index: TermIndex, config: SiteConfig, words: Wording, templates: ListTemplates = ListTemplates()) -> list[Page]:
    """A topic's, tag's or author's pages (paginated like the home page) and its feed. Its
    older pages show its `TermHeading`, not its count (unless the site's templates may show
    the whole index on each): one new article then rewrites the first page only."""
    term = index.term
    pages = _list_pages(index.entries, config.page_size, term.page_route, TERM_TEMPLATE, term.title, {"index": index},
                        words, None if templates.whole_term_index else {"index": TermHeading(term)},
                        pager_only=not templates.whole_pagination)
    pages.append(Page(term.feed_route, "feed.xml", f"{term.title} · {config.title}",
                      {"entries": index.entries[:config.feed_size], "alternate": term.route}))
    return pages


def plan_corrections(site: Site, words: Wording) -> list[Page]:
    """/corrections/, every correction newest first, and its feed: there even before the
    first correction, so a corrections policy can link to them."""
    title = words.gettext("Corrections")
    latest = site.corrections[0].correction.date if site.corrections else newest(site.entries)
    return [
        Page(corrections_route(), "corrections.html", title, {"corrections": site.corrections}, modified=latest),
        Page(corrections_feed_route(), "corrections_feed.xml", f"{title} · {site.config.title}",
             {"corrections": site.corrections[:site.config.feed_size], "alternate": corrections_route()}),
    ]


@dataclass(frozen=True)
class SitemapUrl:
    """A page as a sitemap lists it: its address and when it last changed. Not the page
    itself: a kept plan reads a sitemap without the 13,000 pages it lists, each with the
    articles it shows (see gazette.build.plan_store)."""

    route: str
    modified: datetime | None
    # `modified` as a sitemap writes it (W3C datetime), made once: a sitemap's fingerprint and
    # its template both read it, for each of up to 50,000 addresses.
    lastmod: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lastmod", self.modified.isoformat() if self.modified else "")


@dataclass(frozen=True)
class SitemapUrls(Sequence[SitemapUrl]):
    """What one sitemap lists: stood for in its fingerprint by one string, not walked item by
    item as a list is (13,000 of them at 10,000 articles)."""

    urls: tuple[SitemapUrl, ...]

    def __len__(self) -> int:
        return len(self.urls)

    def __getitem__(self, index):
        return self.urls[index]

    def __iter__(self):
        return iter(self.urls)

    def identity(self) -> list[str]:
        return ["\n".join(f"{url.route} {url.lastmod}" for url in self.urls)]


@dataclass(frozen=True)
class SitemapIndex(Sequence[tuple[str, datetime | None]]):
    """What a sitemap index lists: each numbered sitemap's route and newest change. Stood
    for in its fingerprint as the index writes it, in ISO 8601 (as `SitemapUrls` is): a page
    a build in place dates from the kept plan has its date's offset, not its time zone."""

    sitemaps: tuple[tuple[str, datetime | None], ...]

    def __len__(self) -> int:
        return len(self.sitemaps)

    def __getitem__(self, index):
        return self.sitemaps[index]

    def __iter__(self):
        return iter(self.sitemaps)

    def identity(self) -> list[str]:
        return ["\n".join(f"{route} {modified.isoformat() if modified else ''}" for route, modified in self.sitemaps)]


def sitemap_order(pages: Sequence[Page]) -> list[SitemapUrl]:
    """What a sitemap lists, of `pages` (the HTML pages, but the 404 page and old addresses):
    the articles oldest first, then every other page. The day's news then lands after every
    other article, and the pages it changes (lists, archive) come after them too: the sitemaps
    of older articles keep their bytes (see `plan_sitemaps`)."""
    articles = [page for page in pages if page.template == ARTICLE_TEMPLATE]
    others = [page for page in pages if page.template not in (ARTICLE_TEMPLATE, REDIRECT_TEMPLATE)
              and page.is_html and page.route != "404.html"]
    return [SitemapUrl(page.route, page.modified) for page in (*reversed(articles), *others)]


def plan_sitemaps(urls: Sequence[SitemapUrl], limit: int,
                  kept: Sequence[tuple[str, datetime | None]] = ()) -> list[Page]:
    """`sitemap.xml` listing every URL, or, past `limit` URLs, an index of numbered
    sitemaps (`sitemap-1.xml` ...) of at most `limit` URLs each. `kept`: the first numbered
    sitemaps, full and left as they are, as the index lists them (route, newest change); then
    `urls` are those after them, and only their sitemaps are made."""
    if not kept and len(urls) <= limit:
        return [Page("sitemap.xml", "sitemap.xml", "Sitemap", {"pages": SitemapUrls(tuple(urls))})]
    chunks = [urls[start:start + limit] for start in range(0, len(urls), limit)]
    sitemaps = [
        Page(f"sitemap-{number}.xml", "sitemap.xml", f"Sitemap {number}", {"pages": SitemapUrls(tuple(chunk))})
        for number, chunk in enumerate(chunks, start=len(kept) + 1)
    ]
    listed = [*kept, *((page.route, max((url.modified for url in chunk if url.modified), default=None))
                       for page, chunk in zip(sitemaps, chunks))]
    return [Page("sitemap.xml", "sitemap_index.xml", "Sitemap index", {"sitemaps": SitemapIndex(tuple(listed))}), *sitemaps]


def news_entries(entries: Sequence[Entry], now: datetime) -> list[Entry]:
    """The articles a news sitemap lists: published in the last `NEWS_WINDOW`, newest first."""
    since = now - NEWS_WINDOW
    # Newest first, so they are the first until one is older: a kept plan's entries are read one by one.
    return list(takewhile(lambda entry: entry.article.date >= since, islice(entries, NEWS_MAX_ARTICLES)))


def news_expiry(entries: Sequence[Entry], now: datetime) -> datetime | None:
    """When the news sitemap next changes by itself: its oldest article leaves the window."""
    listed = news_entries(entries, now)
    return listed[-1].article.date + NEWS_WINDOW if listed else None


def plan_archive(site: Site, site_modified: datetime | None, words: Wording) -> list[Page]:
    pages = [Page(archive_route(), "archive.html", words.gettext("Archive"), {"years": site.years}, modified=site_modified)]
    for year in site.years:
        pages.append(archive_year_page(year, words))
        pages += [archive_month_page(month, words) for month in year.months]
    return pages


def archive_year_page(year: YearIndex, words: Wording) -> Page:
    return Page(year.route, "archive_year.html", words.gettext("Archive: %(period)s") % {"period": year.year},
                {"year": year}, modified=newest(year.months[0].entries))


def archive_month_page(month: MonthIndex, words: Wording) -> Page:
    return Page(month.route, "archive_month.html",
                words.gettext("Archive: %(period)s") % {"period": words.month_year(month.first_day)},
                {"month": month, "entries": Teasers(month.entries)}, modified=newest(month.entries))


def find_path_collisions(pages: Sequence[Page], static_files: Sequence[str] = ()) -> list[Problem]:
    """Two pages (or a page and a static file) that would write one file: name every source."""
    claims: dict[str, list[Path | str]] = defaultdict(list)
    for page in pages:
        claims[page.output_file] += page.sources or (f"the {page.title!r} page",)
    for name in static_files:
        claims[name].append(f"static/{name}")
    reserved = [name for name in static_files if name.split("/", 1)[0] == SEARCH_INDEX_FOLDER]
    problems = []
    for path, sources in claims.items():
        if len(sources) > 1:
            first, *others = map(str, sources)  # only here: 10,000 paths made text cost 10 ms
            problems.append(Problem(first, f"claims the URL /{route_of(path)} also claimed by {', '.join(others)}"))
    problems += [Problem(f"static/{name}", f"static/{SEARCH_INDEX_FOLDER}/ is reserved for the search index") for name in reserved]
    return problems
