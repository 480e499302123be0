"""Keeping every published URL answering: each address in the record of published URLs
(`model.published`) that no page of this build has gets a redirect to the article it
belongs to, found by its identity, so a renamed, moved or redated article leaves no dead
link, and a chain of moves redirects straight to the newest address. An address whose
article is gone is reported, naming the file that last had it."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from gazette.build.pages import Page, redirect_page

GONE_TEMPLATE = "gone.html"  # a URL retired on purpose: says so, and is never listed
from gazette.errors import Problem
from gazette.model.article import Article
from gazette.model.published import PublishedUrl
from gazette.model.site import Entry


@dataclass(frozen=True)
class Permanence:
    redirects: list[Page]  # old addresses of articles that moved, and the notices of URLs retired on purpose
    lost: list[Problem]  # published addresses with nothing to answer them
    moved: list[tuple[str, str]]  # (old route, new route) of the moves first seen in this build
    record: dict[str, PublishedUrl]  # the record, with this build's addresses added


def keep_published(record: dict[str, PublishedUrl], pages: list[Page], entries: list[Entry], root: Path) -> Permanence:
    planned = {page.route for page in pages}
    name_of = ProjectNames(root)
    names = [name_of(entry.article.source_path) for entry in entries]
    by_identity = {entry.article.identity: entry for entry in entries}
    by_file = dict(zip(names, entries))
    redirects, lost, moved = [], [], []
    updated = dict(record)
    for route, published in sorted(record.items()):
        if route in planned:
            continue
        if published.gone is not None:
            redirects.append(Page(route, GONE_TEMPLATE, "Story removed", {"notice": published.gone}))
            continue
        entry = by_identity.get(published.identity) or by_file.get(published.file)
        if entry is None:
            lost.append(lost_address(route, published.file))
            continue
        article = entry.article
        redirects.append(redirect_page(route, article))
        if article.route not in record:  # its new address is new: the move happened since the last build
            moved.append((route, article.route))
        updated[route] = PublishedUrl(route, name_of(article.source_path), article.identity)
    for entry, name in zip(entries, names):
        article = entry.article
        known = updated.get(article.route)
        if known is None or (known.file, known.identity) != (name, article.identity):
            updated[article.route] = PublishedUrl(article.route, name, article.identity)
    return Permanence(redirects, lost, moved, updated)


def lost_address(route: str, file: str) -> Problem:
    """A published address that nothing answers, named by the file that last had it."""
    return Problem(file, f"the published URL /{route} no longer answers: its article is gone. "
                         "Restore it, or list the address in another article's aliases")


def warned(problem: Problem) -> Problem:
    """A problem told as a warning: the build goes on."""
    return dataclasses.replace(problem, message="warning: " + problem.message)


def keep_published_in_place(record: dict[str, PublishedUrl], edits: list[tuple[Article, Article]], root: Path,
                            redirects: Mapping[str, str],
                            resolve: Callable[[PublishedUrl], Article | None]) -> dict[str, PublishedUrl] | None:
    """The record as `keep_published` leaves it after `edits` (old, new) that change no
    article's route or file, only (perhaps) its identity, when no address changes the article
    it leads to: each one's own address, and the old addresses that know it, take its new
    identity. `redirects`: old addresses the plan redirects, with where to (at least those
    that lead to an edited article); `resolve(published)`: the article an address belongs to
    after the edits, as `keep_published` finds it. None when an address may lead elsewhere
    now (or an address that knows an edited article is not among `redirects`): `keep_published`
    must look at every page then."""
    name_of = ProjectNames(root)
    names = {old.route: name_of(old.source_path) for old, _ in edits}
    identities = {article.identity for pair in edits for article in pair}
    if not names.keys() <= record.keys():
        return None
    updated = dict(record)
    for route, published in record.items():
        if route in names:
            if published.file != names[route]:
                return None
        elif published.gone is None and (published.identity in identities or published.file in names.values()):
            article = resolve(published) if route in redirects else None
            if article is None or article.route != redirects[route]:
                return None
            updated[route] = PublishedUrl(route, name_of(article.source_path), article.identity)
    for _, new in edits:
        updated[new.route] = PublishedUrl(new.route, names[new.route], new.identity)
    return updated


class ProjectNames:
    """A file as the project names it, whatever the current folder: content/2021/story.md.
    For 10,000 articles on every build: `os.path.relpath` would cost a third of a second."""

    def __init__(self, root: Path) -> None:
        self._cwd = os.getcwd()
        self._prefix = os.path.join(os.path.abspath(root), "")
        self._root_is_cwd = self._prefix == os.path.join(self._cwd, "")

    def __call__(self, path: Path) -> str:
        text = os.fspath(path)
        if self._root_is_cwd and os.sep == "/" and not text.startswith(("/", "./", "../")) and "/." not in text:
            return text  # the command line's case: content/2021/story.md as found
        absolute = text if os.path.isabs(text) else os.path.join(self._cwd, text)
        if "/." in absolute or os.sep != "/":
            absolute = os.path.normpath(absolute)
        if absolute.startswith(self._prefix):
            return absolute[len(self._prefix):].replace(os.sep, "/")
        return Path(os.path.relpath(absolute, self._prefix)).as_posix()
