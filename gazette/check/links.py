"""Resolving every link as GitHub Pages would serve it, and finding the broken ones (pure)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from urllib.parse import quote, unquote, urljoin, urlsplit

from gazette.check.scan import Document, OutputTree
from gazette.model.urls import Urls, route_of

# Fragments every page answers: "#" alone, and "#top", which browsers scroll to the top for.
ALWAYS_PRESENT_FRAGMENTS = frozenset({"", "top"})
# Used when base_url has no host ("/"): absolute links to any real host are then external.
PLACEHOLDER_ORIGIN = "https://site.invalid"


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
