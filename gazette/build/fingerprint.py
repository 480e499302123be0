"""Fingerprints: a short hash of everything a page is rendered from.

A page whose fingerprint matches the one recorded for its file in the last
build renders to the same bytes, so it is not rendered again. Articles stand
for themselves by their digest (a hash of their file), so a fingerprint costs
far less than rendering; where a page shows an article as a `Teaser`, by its
teaser's digest. Other kinds of page data say what they stand for with
an `identity()` method (as Hugo's `identity`); values of a type that has none
raise TypeError: a new kind of page data cannot silently escape the fingerprint.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

from gazette.build.pages import Page
from gazette.build.pagination import Pagination
from gazette.build.substitute import SwappedEntries
from gazette.model.article import Article
from gazette.model.site import (
    Entry,
    MonthIndex,
    RelatedStories,
    Teaser,
    Teasers,
    TermIndex,
    YearIndex,
)

# Page data that many pages show (a topic's index on each of its pages, a month in its year's
# page and in the archive): hashed once per build, then stood for by that hash.
SHARED = (TermIndex, MonthIndex, YearIndex)
T = TypeVar("T")


class _Walker:
    """Turns page data into strings to hash; lives for one set of pages, during which the
    shared data it has hashed stays alive (held in `_shared`), so an id names one object."""

    def __init__(self, ranked: bool = False) -> None:
        self._ranked = ranked  # related stories by those ranked first, not by every candidate
        self._shared: dict[int, tuple[object, str]] = {}
        self.parts_of_shared: dict[str, list[str]] = {}  # a shared digest -> the parts it stands for

    def walk(self, value: object, out: list[str]) -> None:
        # The most frequent kinds first: pages hold thousands of entries, and nearly every
        # article page a list of related stories.
        if isinstance(value, Entry):
            out.append(value.article.digest)
        elif isinstance(value, Teaser):  # an article page's previous and next stories
            out.append(value.entry.teaser_digest)
        elif isinstance(value, Teasers):  # a list's cards
            out.append("T[")
            out += [entry.teaser_digest for entry in value.entries]
            out.append("]")
        elif isinstance(value, RelatedStories):
            out.append("R")
            out += value.ranked_digests() if self._ranked else value.neighbour_digests()
        elif isinstance(value, dict):
            for key in sorted(value):
                out.append(f"{key}=")
                item = value[key]
                if isinstance(item, Entry):  # the commonest by far: spare the call
                    out.append(item.article.digest)
                else:
                    self.walk(item, out)
        elif isinstance(value, (list, tuple, SwappedEntries)):  # the last: `substitute`'s view of a long list
            out.append("[")
            for item in value:
                if isinstance(item, Entry):
                    out.append(item.article.digest)
                else:
                    self.walk(item, out)
            out.append("]")
        elif isinstance(value, SHARED):
            out.append(self._shared_digest(value))
        else:
            self._walk_other(value, out)

    def _shared_digest(self, value: TermIndex | MonthIndex | YearIndex) -> str:
        known = self._shared.get(id(value))
        if known is None:
            parts: list[str] = []
            if isinstance(value, TermIndex):
                parts += value.identity()
            elif isinstance(value, MonthIndex):  # its own page lists its entries (and so covers them)
                parts += ["M", str(value.year), str(value.month), str(len(value.entries))]
            else:
                parts += ["Y", str(value.year)]
                for month in value.months:
                    parts.append(self._shared_digest(month))
            known = self._shared[id(value)] = (value, _hash(parts))
            self.parts_of_shared[known[1]] = parts
        return known[1]

    def _walk_other(self, value: object, out: list[str]) -> None:
        if isinstance(value, Article):
            out.append(value.digest)
        elif isinstance(value, Pagination):
            out += value.identity()
        elif isinstance(value, Page):
            out += ["G", value.route, value.modified.isoformat() if value.modified else ""]
        elif value is None or isinstance(value, (str, int, float, bool, datetime, date, Path)):
            out.append(repr(value))
        elif hasattr(value, "identity"):  # terms, corrections, plain pages...
            out.append(type(value).__name__)
            out += value.identity()
        else:
            raise TypeError(f"cannot fingerprint page data of type {type(value).__name__}")


def page_fingerprints(pages: Sequence[Page], site_digest: str, template_digests: dict[str, str] | None = None,
                      covered: tuple[Mapping[str, T], list[tuple[T, ...]]] | None = None) -> list[str]:
    """The fingerprint of each page. `site_digest` covers what every page shares:
    configuration, renderer; `template_digests` each page template with those it uses.

    With `covered` = (articles, found), where `articles` maps article digests to what
    stands for each article, `found` gets for each page the articles its
    fingerprint covers: by the fingerprints' contract, an edit to any other article leaves
    the page as it is (see gazette.build.in_place)."""
    walker = _Walker()
    fingerprints = []
    template_digests = template_digests or {}
    coverage = _Coverage(*covered, walker) if covered is not None else None
    for page in pages:
        parts = _parts(page, site_digest, template_digests, walker)
        fingerprints.append(_hash(parts))
        if coverage is not None:
            coverage.found.append(tuple(coverage.articles_in(parts)))  # a set each costs 2 KB: 260 MB at 100,000
    return fingerprints


def shown_digest(page: Page, site_digest: str, template_digests: dict[str, str]) -> str:
    """A fingerprint of `page` by what it shows: an article page's fingerprint covers every
    story its related stories are ranked from (cheap to list, for every page), but only the
    few ranked first show. Costs a ranking: for the few pages an edit in place makes, where
    two pages with one shown digest render to the same bytes though their fingerprints differ
    (a story edited or added among the others that the ranking leaves out)."""
    return _hash(_parts(page, site_digest, template_digests, _Walker(ranked=True)))


def shown_before(then: Page, site_digest: str, template_digests: dict[str, str], before: Mapping[str, str],
                 fingerprint_before: str) -> str | None:
    """The `shown_digest` of `then` (a page as the plan has it, read now) as it was when its
    fingerprint was `fingerprint_before`, which only the articles edited since changed;
    None if anything else did. `before` maps each of their digests (of the article, of its
    teaser) now to the one it had then. Each edit must leave its article where it stood
    (`edited_files.stays_in_place`): its date, topics and tags, which rank it, the same."""
    if _hash([before.get(part, part) for part in _parts(then, site_digest, template_digests, _Walker())]) != \
            fingerprint_before:
        return None
    return _hash([before.get(part, part) for part in _parts(then, site_digest, template_digests, _Walker(ranked=True))])


def _parts(page: Page, site_digest: str, template_digests: dict[str, str], walker: _Walker) -> list[str]:
    parts = [site_digest, template_digests.get(page.template, ""), page.route, page.template, page.title]
    walker.walk(page.context, parts)
    return parts


class _Coverage:
    """Which articles each page's fingerprint covers: the digests among its parts, and those
    that the shared data it holds (a topic's index, a month) stand for."""

    def __init__(self, articles: Mapping[str, T], found: list[tuple[T, ...]], walker: _Walker) -> None:
        self._articles = articles
        self._digests = set(articles)
        self.found = found
        self._walker = walker
        self._of_shared: dict[str, set[T]] = {}

    def articles_in(self, parts: list[str]) -> set[T]:
        found = {self._articles[digest] for digest in self._digests.intersection(parts)}
        shared = self._walker.parts_of_shared
        if shared:
            for digest in filter(shared.__contains__, parts):
                known = self._of_shared.get(digest)
                if known is None:
                    known = self._of_shared[digest] = self.articles_in(shared[digest])
                found |= known
        return found


def _hash(parts: list[str]) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def digest_files(paths: list[Path]) -> str:
    """Hash of the names and bytes of files, e.g. every template."""
    digest = hashlib.sha1()
    for path in sorted(paths):
        digest.update(str(path).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def digest_text(*parts: str) -> str:
    return _hash(list(parts))
