"""Reading the built site: every HTML page scanned once for its ids and links, the feeds,
sitemaps and robots.txt parsed for theirs. Pure where it can be: text in, `Document` out."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gazette.build.links import tag_links, tags_with_attributes
from gazette.build.parallel import run_sharded
from gazette.errors import LocatedError, Problem

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@dataclass(frozen=True)
class Document:
    """What one output file offers (ids to link to) and asks for (links), as written."""

    anchors: frozenset[str] = frozenset()
    links: tuple[str, ...] = ()
    base_href: str | None = None  # a <base href> changes what relative links mean
    absolute_only: bool = False  # feeds, sitemaps and robots.txt: readers and crawlers need full URLs
    duplicate_ids: tuple[str, ...] = ()  # a link to one of these reaches only the first


class ScanError(LocatedError):
    """An output file that cannot be read as what it claims to be (e.g. XML that is not)."""


def scan_html(text: str) -> Document:
    """Every id (and <a name>) a page has, and every URL it refers to, in one pass."""
    anchors: set[str] = set()
    ids: set[str] = set()
    duplicate_ids: list[str] = []
    links: list[str] = []
    base_href: str | None = None
    for tag, attributes in tags_with_attributes(text):
        if "id" in attributes:
            if attributes["id"] in ids:
                duplicate_ids.append(attributes["id"])
            ids.add(attributes["id"])
            anchors.add(attributes["id"])
        if tag == "a" and "name" in attributes:
            anchors.add(attributes["name"])
        if tag == "base":
            base_href = attributes.get("href", base_href)
        links.extend(tag_links(tag, attributes))
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
                problems.append(exc.problem(output / name))
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
