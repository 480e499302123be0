"""Fingerprints: a short hash of everything a page is rendered from.

A page whose fingerprint matches the one recorded for its file in the last
build renders to the same bytes, so it is not rendered again. Articles stand
for themselves by their digest (a hash of their file), so a fingerprint costs
far less than rendering. Values of a type this module does not know raise
TypeError: a new kind of page data cannot silently escape the fingerprint.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path

from gazette.content import Article, Tag, Topic
from gazette.pages import Page, Pagination
from gazette.site import Entry, MonthIndex, RelatedStories, TopicIndex, YearIndex


def _walk(value: object, out: list[str]) -> None:
    if isinstance(value, Entry):
        out.append(value.article.digest)
    elif isinstance(value, Article):
        out.append(value.digest)
    elif isinstance(value, TopicIndex):
        out += ["T", value.topic.slug, value.topic.title, value.topic.description]
        out += [entry.article.digest for entry in value.entries]
    elif isinstance(value, MonthIndex):
        out += ["M", str(value.year), str(value.month)]
        out += [entry.article.digest for entry in value.entries]
    elif isinstance(value, YearIndex):
        out += ["Y", str(value.year)]
        for month in value.months:
            _walk(month, out)
    elif isinstance(value, RelatedStories):
        out.append("R")
        out += value.candidate_digests()
    elif isinstance(value, Pagination):
        out += ["P", str(value.number), str(value.last)]
    elif isinstance(value, Page):
        out += ["G", value.route, value.modified.isoformat() if value.modified else ""]
    elif isinstance(value, (Topic, Tag)):
        out.append(repr(value))
    elif isinstance(value, dict):
        for key in sorted(value):
            out.append(f"{key}=")
            _walk(value[key], out)
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for item in value:
            _walk(item, out)
        out.append("]")
    elif value is None or isinstance(value, (str, int, float, bool, datetime, date, Path)):
        out.append(repr(value))
    else:
        raise TypeError(f"cannot fingerprint page data of type {type(value).__name__}")


def page_fingerprint(page: Page, site_digest: str) -> str:
    """`site_digest` covers what every page shares: configuration, templates, renderer."""
    parts = [site_digest, page.route, page.template, page.title]
    _walk(page.context, parts)
    return hashlib.sha1("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def digest_files(paths: list[Path]) -> str:
    """Hash of the names and bytes of files, e.g. every template."""
    digest = hashlib.sha1()
    for path in sorted(paths):
        digest.update(str(path).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def digest_text(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
