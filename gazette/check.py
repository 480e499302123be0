"""`gazette check`: validate the content and the BUILT site, as a reader's browser would see it.

Three layers, each pure where it can be:

1. Content and URL collisions: the same validation and page plan as `build` (`plan_site`).
2. Reading the output: every HTML page is scanned once for its ids and links (`scan_html`), the
   feeds and the sitemap are parsed as XML (`scan_feed`, `scan_sitemap`).
3. Resolving every link as GitHub Pages would serve it (`resolve_link`, `OutputTree.file_for`),
   then blaming each broken one on the file an editor has to change (`Attributor`): the
   article's Markdown file and line for links written in an article, the template for links
   a template makes (once per template and target, not once per page).

Nothing is written but the build cache (see `plan_site`), and nothing is fetched: links to other
hosts are not checked.
"""

from __future__ import annotations

import gc
import html
import os
import re
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

from gazette import __version__
from gazette.cache import BuildCache
from gazette.content import read_article_file
from gazette.errors import GazetteError, Problem, quoted
from gazette.frontmatter import FrontMatterError, field_line, split_front_matter
from gazette.pages import Page
from gazette.parallel import run_sharded
from gazette.pipeline import BuildOptions, SitePlan, gather
from gazette.record import RECORD_NAME, BuildRecord, read_record
from gazette.render import rebase_links
from gazette.site import Entry
from gazette.urls import Urls, output_file, route_of

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# Fragments every page answers: "#" alone, and "#top", which browsers scroll to the top for.
ALWAYS_PRESENT_FRAGMENTS = frozenset({"", "top"})
# Used when base_url has no host ("/"): absolute links to any real host are then external.
PLACEHOLDER_ORIGIN = "https://site.invalid"
# <meta> values that are URLs of this site's pages or images (Open Graph and Twitter cards).
URL_META_PROPERTIES = frozenset(
    {"og:url", "og:image", "og:image:url", "og:image:secure_url", "og:audio", "og:video", "twitter:image"}
)


# --------------------------------------------------------------------------------------------
# Layer 1: content, and every page planned (as `build` plans it)
# --------------------------------------------------------------------------------------------

def plan_site(options: BuildOptions, cache: BuildCache) -> SitePlan:
    """The build's own validation and page plan: `gather`, raising GazetteError on any
    content problem or URL collision.

    It goes through the build cache (unless `options.use_cache` is off) because rendering
    Markdown is nine tenths of `gather`'s time (20 s of 22 s for 10,000 articles without
    it), and right after a build every body is in the cache. The cache is the only thing
    the check may write to; with `use_cache=False` it writes nothing at all."""
    return gather(options, cache)


# --------------------------------------------------------------------------------------------
# Layer 2: reading the output
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """What one output file offers (ids to link to) and asks for (links), as written."""

    anchors: frozenset[str] = frozenset()
    links: tuple[str, ...] = ()
    base_href: str | None = None  # a <base href> changes what relative links mean
    absolute_only: bool = False  # feeds, sitemaps and robots.txt: readers and crawlers need full URLs
    duplicate_ids: tuple[str, ...] = ()  # a link to one of these reaches only the first


class ScanError(Exception):
    """An output file that cannot be read as what it claims to be (e.g. XML that is not)."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


# One regular expression finds every tag, skipping comments and the contents of raw-text
# elements, whose "<a href" is text, not a tag. It is three times faster than html.parser on
# the built pages (2 s against 6 s of CPU for 10,000 articles); tests hold it to html.parser's
# results on tricky input. Names exclude "<" so that a stray "<a<a<a..." cannot make it
# quadratic.
_ATTRIBUTES = r"""((?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?|\s*/(?!>))*)"""
_MARKUP = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<(script|style|textarea|title)\b" + _ATTRIBUTES + r"\s*/?>.*?(?:</\1\s*>|\Z)"
    r"|<([a-zA-Z][^\s/<>]*)" + _ATTRIBUTES + r"\s*/?>",
    re.S | re.I,
)
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_WANTED_ATTRIBUTE = re.compile(r"(?:id|href|src|srcset|name|poster|content)\s*=", re.I)
_SRCSET_CANDIDATE = re.compile(r"\s*([^\s,][^\s]*?)(?:,(?=\s)|\s+[^,]*(?:,|$)|$)")


def parse_attributes(text: str) -> dict[str, str]:
    """Attributes of one tag, names lower-cased, values with character references decoded."""
    attributes: dict[str, str] = {}
    for name, double_quoted, single_quoted, unquoted in _ATTRIBUTE.findall(text):
        name = name.lower()
        if name not in attributes:  # HTML keeps the first of duplicated attributes
            value = double_quoted or single_quoted or unquoted
            attributes[name] = html.unescape(value) if "&" in value else value
    return attributes


def srcset_urls(value: str) -> list[str]:
    """The URLs in a srcset ("a.jpg 1x, b.jpg 2x"), without their width or density."""
    return [match.group(1).rstrip(",") for match in _SRCSET_CANDIDATE.finditer(value) if match.group(1)]


def scan_html(text: str) -> Document:
    """Every id (and <a name>) a page has, and every URL it refers to, in one pass."""
    anchors: set[str] = set()
    ids: set[str] = set()
    duplicate_ids: list[str] = []
    links: list[str] = []
    base_href: str | None = None
    for raw_text_tag, raw_text_attributes, ordinary_tag, ordinary_attributes in _MARKUP.findall(text):
        attribute_text = ordinary_attributes or raw_text_attributes  # both empty for a comment
        # Most tags carry only a class: skip them before the (slower) full attribute parse.
        if not attribute_text or not _WANTED_ATTRIBUTE.search(attribute_text):
            continue
        attributes = parse_attributes(attribute_text)
        tag = (ordinary_tag or raw_text_tag).lower()
        if "id" in attributes:
            if attributes["id"] in ids:
                duplicate_ids.append(attributes["id"])
            ids.add(attributes["id"])
            anchors.add(attributes["id"])
        if tag == "a" and "name" in attributes:
            anchors.add(attributes["name"])
        if tag == "base":
            base_href = attributes.get("href", base_href)
            continue
        for name in ("href", "src", "poster"):
            if name in attributes:
                links.append(attributes[name])
        if "srcset" in attributes:
            links.extend(srcset_urls(attributes["srcset"]))
        if tag == "meta" and "content" in attributes:
            if (attributes.get("property") or attributes.get("name") or "").lower() in URL_META_PROPERTIES:
                links.append(attributes["content"])
    return Document(frozenset(anchors), tuple(links), base_href, duplicate_ids=tuple(dict.fromkeys(duplicate_ids)))


def parse_xml(data: bytes) -> ET.Element:
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(": line ")[0]  # expat appends the position, given separately here
        raise ScanError(f"is not well-formed XML: {reason} (column {column + 1})", line) from None


def scan_feed(data: bytes) -> Document:
    """An Atom feed: the links of the feed and of every entry."""
    root = parse_xml(data)
    if root.tag != f"{ATOM}feed":
        raise ScanError(f"is not an Atom feed: its root element is <{root.tag}>, not <feed>")
    return Document(links=tuple(link.get("href", "") for link in root.iter(f"{ATOM}link")), absolute_only=True)


def scan_sitemap(data: bytes) -> Document:
    """A sitemap (every page's <loc>) or a sitemap index (every sitemap's <loc>)."""
    root = parse_xml(data)
    if root.tag not in (f"{SITEMAP}urlset", f"{SITEMAP}sitemapindex"):
        raise ScanError(f"is not a sitemap: its root element is <{root.tag}>, not <urlset> or <sitemapindex>")
    return Document(links=tuple((loc.text or "").strip() for loc in root.iter(f"{SITEMAP}loc")), absolute_only=True)


def scan_robots(text: str) -> Document:
    """robots.txt: its `Sitemap:` lines must lead to the sitemap."""
    return Document(links=tuple(
        line.split(":", 1)[1].strip() for line in text.splitlines() if line.lower().startswith("sitemap:")
    ), absolute_only=True)


@dataclass(frozen=True)
class OutputTree:
    """The output folder's file names, to answer "what would GitHub Pages serve here?"."""

    files: frozenset[str]  # posix paths relative to the output folder
    folders: frozenset[str]

    @classmethod
    def read(cls, root: Path) -> OutputTree:
        files: set[str] = set()
        folders: set[str] = set()
        top = os.fspath(root)
        for folder, subfolders, names in os.walk(top):
            # os.walk yields `top` joined with the relative part: slicing beats pathlib 10x here.
            relative = folder[len(top):].lstrip(os.sep).replace(os.sep, "/")
            prefix = relative + "/" if relative else ""
            folders.update(prefix + name for name in subfolders)
            files.update(prefix + name for name in names)
        return cls(frozenset(files), frozenset(folders))

    def file_for(self, route: str) -> str | None:
        """The file served for a decoded path below the base, as GitHub Pages does it:
        a folder serves its index.html (without the slash, after a redirect), and an
        extensionless path may serve the .html file of that name."""
        if route == "" or route.endswith("/"):
            index = route + "index.html"
            return index if index in self.files else None
        if route in self.files:
            return route
        if route in self.folders and route + "/index.html" in self.files:
            return route + "/index.html"
        if route + ".html" in self.files:
            return route + ".html"
        return None


# --------------------------------------------------------------------------------------------
# Layer 3: resolving links
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteAddress:
    """Where the site is published: origin ("https://example.org") and base path ("/news/")."""

    origin: str
    base_path: str

    @classmethod
    def from_base_url(cls, base_url: str) -> SiteAddress:
        parts = urlsplit(base_url)
        origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else PLACEHOLDER_ORIGIN
        return cls(origin.lower(), Urls(base_url).base_path)

    @property
    def host(self) -> str:
        return urlsplit(self.origin).netloc

    def url_of(self, file: str) -> str:
        """The absolute URL an output file is served at (folders' index.html as the folder)."""
        return self.origin + self.base_path + quote(route_of(file), safe="/~:@!$&'()*+,;=")

    def path_of(self, route: str) -> str:
        """A route as a reader sees it in the address bar, for messages."""
        return self.base_path + route


class LinkKind(Enum):
    INTERNAL = "internal"  # a page or file of this site: checked
    OUTSIDE_BASE = "outside base"  # this host, but above the base path: a 404 on a project site
    EXTERNAL = "external"  # another host or scheme (mailto:, data:, ...): not checked


@dataclass(frozen=True)
class ResolvedLink:
    kind: LinkKind
    route: str = ""  # percent-decoded path below the base path, e.g. "2021/03/story/"
    fragment: str | None = None  # percent-decoded; None when the link has no "#"
    path: str = ""  # the path as requested, e.g. "/news/2021/03/story/", for messages


_ABSOLUTE_HOST = re.compile(r"(?i)https?://([^/?#]*)")


def resolve_link(href: str, page_url: str, site: SiteAddress) -> ResolvedLink:
    """What a link on the page at `page_url` leads to. Pure: no file system."""
    href = href.strip()
    # Most distinct URLs in an archive are articles' links to other sites: tell those apart
    # without the (slow) general URL parsing.
    absolute_host = _ABSOLUTE_HOST.match(href)
    if absolute_host and absolute_host.group(1).lower() != site.host:
        return ResolvedLink(LinkKind.EXTERNAL)
    absolute = urljoin(page_url, href)
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != site.host:
        return ResolvedLink(LinkKind.EXTERNAL)
    fragment = unquote(parts.fragment) if "#" in href else None
    path = parts.path or "/"
    if path == site.base_path.rstrip("/"):
        path = site.base_path  # "/news" is redirected to "/news/"
    if not path.startswith(site.base_path):
        return ResolvedLink(LinkKind.OUTSIDE_BASE, fragment=fragment, path=path)
    return ResolvedLink(LinkKind.INTERNAL, unquote(path[len(site.base_path):]), fragment, path)


def is_relative_path(href: str) -> bool:
    """A link that depends on the page's own address ("../x", "img.png"), not "#x" or "/x"."""
    href = href.strip()
    return bool(href) and not href.startswith(("/", "#", "?")) and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", href)


@dataclass(frozen=True)
class BrokenLink:
    """One link on one output file that does not lead where it says."""

    document: str  # the output file it is on, relative to the output folder
    written: str  # the URL as written in the page
    reason: str  # what is wrong with it, e.g. "not in the built site"
    missing_route: str | None = None  # the route that is not in the output, when that is what is wrong

    @property
    def message(self) -> str:
        return f"broken link {self.written}: {self.reason}"


def where_it_leads(written: str, path: str) -> str:
    """The words ' (leads to /news/x/)' when they say more than the link as written."""
    return "" if written.split("#", 1)[0] in (path, "") else f" (leads to {path})"


def is_page_independent(href: str) -> bool:
    """Root-relative and absolute URLs mean the same on every page of the site."""
    return href.startswith(("/", "http:", "https:"))


def find_broken_links(documents: Mapping[str, Document], tree: OutputTree, site: SiteAddress) -> list[BrokenLink]:
    """Every link of every document that leads nowhere, to a missing id, or out of the site."""
    broken: list[BrokenLink] = []
    # Most links are the same root-relative URLs on every page (navigation, stylesheet,
    # article cards): judge each such URL once, not once per page (10x fewer at 10,000 pages).
    judged_anywhere: dict[str, Fault | None] = {}
    home_url = site.origin + site.base_path
    for name, document in documents.items():
        page_url = site.url_of(name)
        if document.base_href is not None:
            page_url = urljoin(page_url, document.base_href)
        for written in dict.fromkeys(document.links):  # a page linking twice is broken once
            if document.absolute_only and not _ABSOLUTE_HOST.match(written.strip()):
                broken.append(BrokenLink(name, written, "must be an absolute URL here"))
                continue
            if written.startswith("#") and document.base_href is None:
                # Within the page itself ("#main" on every page): no need to resolve anything.
                fragment = unquote(written[1:])
                if fragment not in ALWAYS_PRESENT_FRAGMENTS and fragment not in document.anchors:
                    broken.append(BrokenLink(name, written, f"the page has no id {fragment!r}"))
                continue
            if document.base_href is None and is_page_independent(written):
                if written in judged_anywhere:
                    fault = judged_anywhere[written]
                else:
                    resolved = resolve_link(written, home_url, site)
                    fault = judged_anywhere[written] = link_fault(name, written, resolved, documents, tree, site)
            else:
                fault = link_fault(name, written, resolve_link(written, page_url, site), documents, tree, site)
            if fault is not None:
                broken.append(BrokenLink(name, written, fault.reason, fault.missing_route))
    return broken


@dataclass(frozen=True)
class Fault:
    reason: str  # what is wrong with a link, e.g. "not in the built site"
    missing_route: str | None = None  # the route that is not in the output, when that is what is wrong


def link_fault(
    name: str, written: str, resolved: ResolvedLink, documents: Mapping[str, Document], tree: OutputTree,
    site: SiteAddress,
) -> Fault | None:
    """What is wrong with a link on the output file `name`; None if nothing."""
    if resolved.kind is LinkKind.EXTERNAL:
        return None
    if resolved.kind is LinkKind.OUTSIDE_BASE:
        leads = where_it_leads(written, resolved.path)
        return Fault(f"outside the site's base path {site.base_path}{leads}, so GitHub Pages would answer 404")
    if name == "404.html" and is_relative_path(written):
        # GitHub Pages serves 404.html at whatever address was missing, so a relative link
        # on it means something different on every missing page.
        return Fault("relative, but 404.html is served at every missing address; make it root-relative")
    target = tree.file_for(resolved.route)
    if target is None:
        return Fault(f"not in the built site{where_it_leads(written, resolved.path)}", resolved.route)
    fragment = resolved.fragment
    if fragment is None or fragment in ALWAYS_PRESENT_FRAGMENTS:
        return None
    target_document = documents.get(target)
    if target_document is None or not target.endswith(".html"):
        return None  # only HTML pages have ids to check
    if fragment not in target_document.anchors:
        return Fault(f"the page{where_it_leads(written, resolved.path)} has no id {fragment!r}")
    return None


# --------------------------------------------------------------------------------------------
# Blame: which file an editor has to change
# --------------------------------------------------------------------------------------------

_LINK_OPENINGS = ("](", "](<", "]: ", "]:", "<", '="', "='", '"', "'")


def find_link_line(text: str, written: str, start_line: int = 1) -> int | None:
    """The 1-based line of `text` where the link `written` is written, searching from
    `start_line` (an article's body) first: as a Markdown link, a reference, an autolink or
    an HTML attribute, else anywhere."""
    lines_before = text.split("\n", start_line - 1)
    start = len(text) - len(lines_before[-1]) if len(lines_before) == start_line else 0
    spellings = dict.fromkeys([written, html.escape(written, quote=False), html.escape(written)])
    for opening in (*_LINK_OPENINGS, ""):
        for spelling in spellings:
            for offset in (start, 0):
                index = text.find(opening + spelling, offset)
                if index >= 0:
                    return text.count("\n", 0, index) + 1
    return None


@dataclass(frozen=True)
class Origin:
    """What an output file was made from: where to fix what it says."""

    path: Path  # the article, template, static file, or (for an unknown file) the output file
    template: Path | None = None  # the template a planned page was rendered with
    entry: Entry | None = None  # for an article page: links in its body are the article's own


@dataclass
class Attributor:
    """Turns broken links into problems located in articles and templates."""

    options: BuildOptions
    pages: Mapping[str, Page]  # by output file
    site: SiteAddress
    _source_texts: dict[Path, str] = field(default_factory=dict)
    _body_links: dict[str, frozenset[str]] = field(default_factory=dict)  # by body key

    def origin_of(self, document: str) -> Origin:
        page = self.pages.get(document)
        if page is not None:
            template = self.options.templates / page.template
            entry = page.context.get("entry")
            return Origin(page.sources[0] if page.sources else template, template, entry)
        static_file = self.options.static / document
        if static_file.is_file():
            return Origin(static_file)
        # Neither planned nor static: left by an older build, or a draft built with --drafts.
        return Origin(self.options.output / document)

    def source_text(self, path: Path) -> str:
        if path not in self._source_texts:
            try:
                self._source_texts[path] = read_article_file(path).decode("utf-8-sig", errors="replace")
            except (OSError, GazetteError):
                self._source_texts[path] = ""
        return self._source_texts[path]

    def problems(self, broken: Iterable[BrokenLink], missing_files: Iterable[str] = ()) -> list[Problem]:
        """One problem per article link, per (template, link), and per page missing from the
        output (`missing_files`: planned pages that were not built)."""
        problems: set[Problem] = set()
        by_template: dict[tuple[Path, str], list[str]] = defaultdict(list)
        by_missing_file: dict[str, list[str]] = {file: [] for file in missing_files}
        for link in broken:
            missing_file = self.planned_or_static_file(link.missing_route)
            if missing_file is not None:
                # The content has this page, the output lacks it: the output is stale or
                # damaged, and that is one problem, not one per link to the page.
                by_missing_file.setdefault(missing_file, []).append(link.document)
                continue
            origin = self.origin_of(link.document)
            written_in_article = self.article_problem(origin.path, origin.entry, link) if origin.entry else None
            if written_in_article is not None:
                problems.add(written_in_article)
            elif origin.template is not None:
                # A template's link is broken on every page it makes: report it once.
                by_template[(origin.template, link.message)].append(link.document)
            else:
                problems.add(Problem(origin.path, link.message))
        for (template, message), documents in by_template.items():
            problems.add(Problem(template, f"{message} ({self.where(documents)})"))
        for file, documents in by_missing_file.items():
            problems.add(self.missing_file_problem(file, documents))
        return list(problems)  # check_site sorts them with the rest

    def body_links(self, entry: Entry) -> frozenset[str]:
        """The links an article's body puts on its page (root-relative ones moved under the
        base path), read once however many of them are broken."""
        key = entry.body.key
        if key not in self._body_links:
            self._body_links[key] = frozenset(scan_html(rebase_links(entry.body.html, self.site.base_path)).links)
        return self._body_links[key]

    def article_problem(self, path: Path, entry: Entry, link: BrokenLink) -> Problem | None:
        """The problem in the article's own file, if the article wrote this link; None if the
        article page's template did."""
        article = entry.article
        if article.image and link.missing_route == article.image:
            # The template shows the front matter's image: the fault is in that field.
            yaml_text = front_matter_of(self.source_text(path))
            line = field_line(yaml_text, "image") if yaml_text is not None else None
            return Problem(path, f"'image': {article.image} is not in {self.options.static}/", line)
        # The page shows the body with root-relative links moved under the base path.
        if link.written not in self.body_links(entry):
            return None
        as_written = link.written
        if as_written.startswith(self.site.base_path) and self.site.base_path != "/":
            as_written = "/" + as_written[len(self.site.base_path):]
        # The line is a best effort: Markdown may spell the URL differently (escapes, entities).
        line = find_link_line(self.source_text(path), as_written, article.body_line)
        if line is None and as_written != link.written:
            line = find_link_line(self.source_text(path), link.written, article.body_line)
        return Problem(path, link.message, line)

    def planned_or_static_file(self, route: str | None) -> str | None:
        """The output file a missing route should have been built as, if the content has it."""
        if route is None:
            return None
        file = output_file(route)
        if file in self.pages:
            return file
        if route and (self.options.static / route).is_file():
            return route
        return None

    def missing_file_problem(self, file: str, documents: list[str]) -> Problem:
        source = self.origin_of(file).path
        linked = f", {self.where(documents, 'linked from')}" if documents else ""
        return Problem(source, f"{self.options.output / file} is missing (the build is out of date or incomplete{linked}); "
                               "run `build`")

    def where(self, documents: list[str], verb: str = "on") -> str:
        unique = sorted(set(documents))
        example = self.site.path_of(route_of(unique[0]))
        count = len(unique)
        return f"{verb} {count} page{'s' if count != 1 else ''}, e.g. {example}"


def front_matter_of(text: str) -> str | None:
    try:
        return split_front_matter(text).front_matter
    except FrontMatterError:
        return None


# --------------------------------------------------------------------------------------------
# The check
# --------------------------------------------------------------------------------------------

_FEED_FILE = re.compile(r"(?:topics/[^/]+/)?feed\.xml")
_SITEMAP_FILE = re.compile(r"(?:news-)?sitemap(?:-\d+)?\.xml")


def scan_file(output: Path, name: str) -> Document | None:
    """Read one output file as what its name says it is; None for files without links."""
    if name.endswith((".html", ".htm")):
        return scan_html((output / name).read_bytes().decode("utf-8", errors="replace"))
    if _FEED_FILE.fullmatch(name):
        return scan_feed((output / name).read_bytes())
    if _SITEMAP_FILE.fullmatch(name):
        return scan_sitemap((output / name).read_bytes())
    if name == "robots.txt":
        return scan_robots((output / name).read_text(encoding="utf-8", errors="replace"))
    return None


def read_documents(output: Path, tree: OutputTree, jobs: int = 1) -> tuple[dict[str, Document], list[Problem]]:
    """Scan every HTML page, feed and sitemap of the output, each file once, in `jobs` processes."""

    def scan_shard(names: list[str], tick: Callable[[], None]) -> tuple[dict[str, Document], list[Problem]]:
        documents: dict[str, Document] = {}
        problems: list[Problem] = []
        for name in names:
            try:
                document = scan_file(output, name)
            except ScanError as exc:
                problems.append(Problem(output / name, exc.message, exc.line))
            except OSError as exc:
                problems.append(Problem(output / name, f"cannot be read: {exc.strerror}"))
            else:
                if document is not None:
                    documents[name] = document
        return documents, problems

    documents: dict[str, Document] = {}
    problems: list[Problem] = []
    for shard_documents, shard_problems in run_sharded(sorted(tree.files), scan_shard, jobs, min_items_per_job=1000):
        documents.update(shard_documents)
        problems.extend(shard_problems)
    return documents, problems


def check_site(options: BuildOptions) -> list[Problem]:
    """Every problem in the content and in the built site at `options.output`; [] if none.

    Content problems (invalid articles, two sources claiming one URL) are reported alone: the
    site cannot be built from such content, so the output is an older build. Without a base
    URL of its own, the check takes the one the output was built with (its build record):
    the deploy job builds with the URL GitHub Pages gives, whatever site.toml says."""
    record = read_record(options.output)
    if record is not None and options.base_url is None:
        options = replace(options, base_url=record.base_url)
    cache = BuildCache(options.cache_file)  # open while checking: article bodies are read from it
    try:
        return _check_site(options, cache, record)
    finally:
        cache.close()
        gc.unfreeze()  # see `gather`: the plan is garbage now


def _check_site(options: BuildOptions, cache: BuildCache, record: BuildRecord | None) -> list[Problem]:
    try:
        plan = plan_site(options, cache)
    except GazetteError as exc:
        return list(exc.problems)
    output = options.output
    if not (output / "index.html").is_file():
        return [Problem(output, "the built site is not there; run `build` first")]
    mismatch = record_mismatch(options, plan.config.base_url, record)
    if mismatch:
        # Every link would be judged against another build's site: say that once instead.
        return [mismatch]
    tree = OutputTree.read(output)
    site = SiteAddress.from_base_url(plan.config.base_url)
    documents, problems = read_documents(output, tree, options.worker_count)
    pages = {page.output_file: page for page in plan.pages}
    broken = find_broken_links(documents, tree, site)
    attributor = Attributor(options, pages, site)
    problems += attributor.problems(broken, sorted(pages.keys() - tree.files))
    problems += [
        Problem(attributor.origin_of(name).path, f"the id {quoted(duplicate)} is used twice on {name}: "
                f"a link to #{duplicate} reaches only the first; rename one")
        for name, document in documents.items() for duplicate in document.duplicate_ids
    ]
    return sorted(problems, key=lambda p: (str(p.path), p.line or 0, p.message))


def record_mismatch(options: BuildOptions, base_url: str, record: BuildRecord | None) -> Problem | None:
    """Why the output cannot be checked against these options, if it cannot."""
    output = options.output
    if record is None:
        return Problem(output, f"has no build record ({RECORD_NAME}): it was built by an older Gazette or "
                               "by something else; run `build` again")
    if record.version != __version__:
        return Problem(output, f"was built by Gazette {record.version}, and this is Gazette {__version__}; "
                               "run `build` again")
    if record.base_url != base_url:
        return Problem(options.root / "site.toml", f"{output}/ was built for the base URL {record.base_url}, not "
                       f"{base_url}; build again, or check with the base URL it was built with")
    if record.drafts != options.drafts:
        built, asked = ("with", "without") if record.drafts else ("without", "with")
        return Problem(output, f"was built {built} --drafts, and the check was asked {asked} them; "
                               f"check {built} --drafts, or build again")
    return None


def run_check(options: BuildOptions) -> int:
    """For the command line: print every problem, return the exit status (0 clean, 1 not)."""
    problems = check_site(options)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        count = len(problems)
        print(f"check: {count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
        return 1
    print(f"check: no problems found in {options.content} and {options.output}")
    return 0
