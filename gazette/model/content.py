"""The content folder: every article in `content/` found, read (safely, reusing what is
unchanged since the last build) and checked against the rest of the site."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

from gazette.errors import GazetteError, Problem, quoted
from gazette.model.article import Article, decode_article, read_article
from gazette.model.terms import Topic
from gazette.model.config import SiteConfig
from gazette.model.frontmatter import (
    FrontMatterError,
    field_line,
    split_front_matter,
)
from gazette.model.reading import read_input_file

PAGES_FOLDER = "pages"  # content/pages/ holds plain pages (gazette.model.plain_pages)


def read_article_file(path: Path, limit: int = 1 << 28) -> bytes:
    """An article's bytes: a regular file within `limit` (max_article_bytes when it is first
    read; later reads, of a file read before, only guard against one replaced since)."""
    return read_input_file(path, limit, "Markdown article", " (max_article_bytes in site.toml)")


def missing_images(articles: list[Article], static_dir: Path, static_files: list[str]) -> list[Problem]:
    """Each article whose `image:` is not a file in static/, named with the field's line."""
    present = set(static_files)
    problems = []
    for article in articles:
        if article.image and article.image not in present:
            try:
                yaml_text = split_front_matter(decode_article(read_article_file(article.source_path), article.source_path)).front_matter
                line = field_line(yaml_text, "image")
            except (OSError, GazetteError, FrontMatterError):
                line = None
            problems.append(Problem(article.source_path, f"'image': {article.image} is not in {static_dir}/", line))
    return problems


def without_body(document):
    """An article or plain page without its Markdown source, which is not needed once rendered
    (`load_body` reads it again from the file): dropping it saves a copy of every body.
    Articles from the cache never had it, and copying 10,000 of them for nothing costs 0.1 s."""
    return document if document.body is None else replace(document, body=None)


def load_body(article: Article) -> str:
    """The Markdown body, read again from the file where the cache left it out."""
    if article.body is not None:
        return article.body
    text = decode_article(read_article_file(article.source_path), article.source_path)
    try:
        return split_front_matter(text).body
    except FrontMatterError as exc:
        raise GazetteError(exc.problem(article.source_path))


def find_article_files(content_dir: Path) -> list[str]:
    """Every article, in a stable order; hidden files and folders (editors' swap and
    backup files, `.git`), those starting with '_' and the plain pages of content/pages/
    are not articles."""
    found, pending = [], [str(content_dir)]
    while pending:
        folder = pending.pop()
        folders, articles = list_article_folder(folder, folder == str(content_dir))
        found += articles
        pending += folders
    return sorted(found)  # strings: 10,000 Path objects cost more than the walk


def list_article_folder(folder: str, top: bool) -> tuple[list[str], list[str]]:
    """The folders to look in below `folder` (not symbolic links, as `os.walk`) and its
    article files (see `find_article_files`); `top`: whether it is the content folder."""
    folders, articles = [], []
    try:
        entries = list(os.scandir(folder))
    except OSError:  # gone, or not readable: as `os.walk`, nothing in it
        return folders, articles
    for entry in entries:
        name = entry.name
        try:
            is_folder = entry.is_dir()
        except OSError:
            is_folder = False
        if is_folder:
            if not name.startswith((".", "_")) and not (top and name == PAGES_FOLDER) and not entry.is_symlink():
                folders.append(entry.path)
        elif name.endswith(".md") and not name.startswith((".", "_")):
            articles.append(entry.path)
    return folders, articles


class FileStamp(NamedTuple):
    """What a build compares of a file to know it unchanged, named as `os.stat_result` names
    it (either will do)."""

    st_size: int
    st_mtime_ns: int


@dataclass(frozen=True)
class SourceRecord:
    """An article file as last read: reused while its size and mtime are unchanged."""

    path: str
    mtime_ns: int
    size: int
    article: Article
    warnings: tuple[Problem, ...]

    def is_current(self, stat: FileStamp | os.stat_result) -> bool:
        """The file is as it was read (same size and modification time)."""
        return (self.mtime_ns, self.size) == (stat.st_mtime_ns, stat.st_size)

    def without_body(self) -> SourceRecord:
        return self if self.article.body is None else replace(self, article=without_body(self.article))


@dataclass(frozen=True)
class LoadedContent:
    articles: list[Article]
    warnings: list[Problem]
    records: list[SourceRecord]
    reused: int  # how many came from `known` without reading the file
    problems: tuple[Problem, ...] = ()  # of the files that could not be read as articles


def load_articles(content_dir: Path, config: SiteConfig, known: Mapping[str, SourceRecord] | None = None) -> LoadedContent:
    """Every article in `content_dir`; raises GazetteError listing all the broken ones."""
    loaded = read_articles(content_dir, config, known)
    if loaded.problems:
        raise GazetteError(list(loaded.problems))
    return loaded


def read_articles(
    content_dir: Path,
    config: SiteConfig,
    known: Mapping[str, SourceRecord] | None = None,
    files: list[str] | None = None,
    stats: Mapping[str, FileStamp | os.stat_result] | None = None,
    bodies: bool = True,
) -> LoadedContent:
    """Read every article (`files`, default: all in `content_dir`), and the problems of
    each broken one, so that a build can go on to report those its good ones have too.
    `stats`: those of `files` already taken. Without `bodies`, each article is kept without
    its body (see `without_body`) as soon as it is read: reading many then holds none (a
    worker reading 50,000 held them all, 0.9 GB, before dropping them)."""
    if not content_dir.is_dir():
        found = "is a file, not the content folder" if content_dir.exists() else "content folder not found"
        raise GazetteError(Problem(content_dir, found))
    known = known or {}
    records: list[SourceRecord] = []
    problems: list[Problem] = []
    reused = 0
    stats = stats or {}
    shared: dict = {}  # topics and tags, one object each (see `_ArticleReader.share`)
    for name in find_article_files(content_dir) if files is None else files:
        try:
            stat = stats.get(name) or os.stat(name)
            previous = known.get(name)
            if previous and previous.is_current(stat):
                records.append(previous)
                reused += 1
                continue
            path = Path(name)  # only files read again need one: 10,000 Paths cost 0.1 s
            article, article_warnings = read_article(path, read_article_file(path, config.max_article_bytes), config, shared)
            if not bodies:
                article = without_body(article)
        except GazetteError as exc:
            problems.extend(exc.problems)
            continue
        except OSError as exc:
            problems.append(Problem(Path(name), f"cannot be read: {exc.strerror}"))
            continue
        records.append(SourceRecord(name, stat.st_mtime_ns, stat.st_size, article, tuple(article_warnings)))
    articles = [record.article for record in records]
    warnings = [warning for record in records for warning in record.warnings]
    warnings.extend(_unconfigured_topic_warnings(articles))
    return LoadedContent(articles, warnings, records, reused, tuple(problems))


def _unconfigured_topic_warnings(articles: list[Article]) -> list[Problem]:
    first_use: dict[Topic, Article] = {}
    for article in articles:
        for topic in article.topics:
            if not topic.configured:
                first_use.setdefault(topic, article)
    return [Problem(article.source_path, unconfigured_topic_message(topic)) for topic, article in first_use.items()]


def unconfigured_topic_message(topic: Topic) -> str:
    """The warning for a topic site.toml lacks (most often a typo), named with its first article."""
    return f"warning: topic {quoted(topic.title)} is not in site.toml; it gets a page all the same"
