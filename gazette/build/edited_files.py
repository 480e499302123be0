"""The article files a build in place reads (see gazette.build.in_place): those edited and
those added since the plan, and those the plan left out (drafts, scheduled articles), each read
and its body rendered, with its own warnings; or None where the build must plan the whole site
instead (an article that moves and changes what only a plan places, or does not read or render)."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gazette.build.bodies import make_entries, render_bodies
from gazette.build.cache import BuildCache
from gazette.build.plan_reader import PlanReader
from gazette.errors import GazetteError, Problem
from gazette.model.article import Article
from gazette.model.config import SiteConfig
from gazette.model.content import FileStamp, read_articles, unconfigured_topic_message
from gazette.model.site import Entry, newest_first
from gazette.model.terms import Topic

if TYPE_CHECKING:  # the pipeline calls in_place, which calls this module; these are its types
    from gazette.build.options import BuildOptions

# The fields of an article that change how it reads, never where it stands or what it
# links to: every other field, and any field added later, places it.
SHOWN_ONLY = frozenset({"title", "summary", "body", "body_line", "toc", "image_alt", "image_caption",
                        "image_credit", "source", "identity", "digest", "fields_digest"})


# The fields that place an article among the others, or at another address (its date in another
# month, its slug): an edit of these alone is a move (`moves_in_place`). Corrections and an
# `updated:` date date the article anew (`Entry.modified`: its lists, months and sitemaps), and
# corrections show on /corrections/: a move replans those (`corrected.corrections_again`).
PLACING = frozenset({"date", "slug", "topics", "tags", "authors", "corrections", "updated"})


def stays_in_place(old: Article, new: Article) -> bool:
    """Whether `new`, an edit of `old`, leaves the article where it stood."""
    return all(getattr(old, name) == getattr(new, name)
               for name in (f.name for f in dataclasses.fields(Article)) if name not in SHOWN_ONLY)


def moves_in_place(old: Article, new: Article) -> bool:
    """Whether `new`, an edit of `old`, moves the article among the others, or to another
    address: its date, slug, topics, tags or authors changed (and perhaps how it reads, its
    identity with it). The build in place deletes it from where it stood and inserts it where it
    stands now, its old address redirecting to its new one (`shifted.plan_shifted`)."""
    return all(getattr(old, name) == getattr(new, name)
            for name in (f.name for f in dataclasses.fields(Article)) if name not in SHOWN_ONLY | PLACING)


def read_edits(options: BuildOptions, cache: BuildCache, reader: PlanReader, edited: dict[str, Entry | None],
               place_of: dict[str, int], stats: Mapping[str, FileStamp]
               ) -> tuple[dict[str, Entry], dict[str, Entry], dict[str, tuple[Problem, ...]], list[Article]] | None:
    """`edited` (article file -> its entry since edited in place, or None if it changed since),
    with the changed files read and rendered, and apart from them those that move
    (`moves_in_place`), by file, the warnings of the files read, by file, and the articles taken
    back as drafts or put off to a later date (withdrawn: their pages go, as a deletion's); None
    unless each reads, renders and stays in place, moves or is withdrawn."""
    head = reader.head
    changed = [name for name, entry in edited.items() if entry is None]
    loaded = read_articles(options.project.content, head.config, None, changed, stats)
    if loaded.problems or len(loaded.articles) != len(changed):
        return None
    warnings = {record.path: record.warnings for record in loaded.records}
    withdrawn = [article for article in loaded.articles
                 if left_out_as_draft(article, options) or article.date > options.now]
    if withdrawn:
        names = {str(article.source_path) for article in withdrawn}
        edited = {name: entry for name, entry in edited.items() if name not in names}
        loaded = dataclasses.replace(loaded, articles=[article for article in loaded.articles
                                                       if str(article.source_path) not in names])
        changed = [name for name in changed if name not in names]
    now = {name: edited[name] or reader.original(place_of[name]) for name in changed}
    moving = {str(article.source_path) for article in loaded.articles
              if not stays_in_place(now[str(article.source_path)].article, article)}
    if not all(moves_in_place(reader.original(place_of[str(article.source_path)]).article, article)
               for article in loaded.articles if str(article.source_path) in moving):
        return None  # old addresses of its own (`aliases:`), another picture...
    if any(_unconfigured(now[str(article.source_path)].article) != _unconfigured(article)
           for article in loaded.articles if str(article.source_path) in moving):
        return None  # into or out of a topic site.toml lacks: the full build warns of it as it stands
    entries = _rendered(options, cache, head.config, loaded.articles)
    if entries is None:
        return None
    if any(entry.body.images != now[str(entry.article.source_path)].body.images for entry in entries):
        return None  # its pictures are planned with the site's images
    read = {str(entry.article.source_path): entry for entry in entries}
    return {name: entry for name, entry in {**edited, **read}.items() if name not in moving}, \
        {name: entry for name, entry in read.items() if name in moving}, warnings, withdrawn


def left_out_as_draft(article: Article, options: BuildOptions) -> bool:
    """Whether the build leaves `article` out as a draft (drafts are built only with --drafts)."""
    return article.draft and not options.drafts


def _unconfigured(article: Article) -> set[Topic]:
    """The article's topics that site.toml lacks (most often a typo)."""
    return {topic for topic in article.topics if not topic.configured}


def _first_named(topic: Topic, warnings: Sequence[Problem]) -> str | None:
    """The file of the story the plan's `warnings` name as the first in `topic`, which site.toml
    lacks; None if they do not warn of it."""
    message = unconfigured_topic_message(topic)
    return next((str(warning.path) for warning in warnings if warning.message == message), None)


def names_a_topic_warning(article: Article, warnings: Sequence[Problem]) -> bool:
    """Whether one of the plan's `warnings` names the article as the first story in a topic
    site.toml lacks: deleted, the next story would be named."""
    return any(_first_named(topic, warnings) == str(article.source_path) for topic in _unconfigured(article))


def _warned_as_planned(article: Article, warnings: Sequence[Problem]) -> bool:
    """Whether a plan of the whole site with the new `article` warns of its topics that site.toml
    lacks as the kept plan warned (`warnings`): each already, named with a story whose file
    comes before the article's (or with the article itself: a story of the plan moved since,
    read again), as it names the first."""
    return all((named := _first_named(topic, warnings)) is not None and named <= str(article.source_path)
               for topic in _unconfigured(article))


def _rendered(options: BuildOptions, cache: BuildCache, config: SiteConfig, articles: list[Article]) -> list[Entry] | None:
    """The entries of `articles`, each body rendered; None if one does not render (the full
    build reports it)."""
    try:
        bodies = render_bodies(articles, config, options.project.code_digest, cache, every_body=False)
    except GazetteError:
        return None
    return make_entries(articles, [], bodies)[0]


@dataclass(frozen=True)
class News:
    """The articles added since the plan, as `read_news` reads them."""

    entries: list[Entry]  # published, newest first
    scheduled: list[Article]  # of the files that may be left out, those dated after now
    warnings: dict[str, tuple[Problem, ...]]  # of the files read, by file


def read_news(options: BuildOptions, cache: BuildCache, reader: PlanReader, news: dict[str, Entry | None],
              stats: Mapping[str, FileStamp]) -> News | None:
    """The articles added since the plan (`news`: file -> its entry, or None where it is new or
    changed since), and the files left out by the plan written on; None unless each reads and
    renders. Those that read as drafts show on no page, and those dated after now are
    scheduled: a story added since the plan taken back so is retired by the caller."""
    head, changed = reader.head, [name for name, entry in news.items() if entry is None]
    loaded = read_articles(options.project.content, head.config, None, changed, stats) if changed else None
    scheduled = []
    if loaded is not None:
        if loaded.problems or len(loaded.articles) != len(changed):
            return None
        if not all(_warned_as_planned(article, head.warnings) for article in loaded.articles):
            return None  # the full build warns of a topic site.toml lacks, naming its first story
        drafts = {str(article.source_path) for article in loaded.articles if left_out_as_draft(article, options)}
        scheduled = [article for article in loaded.articles
                     if article.date > options.now and str(article.source_path) not in drafts]
        left_out = drafts | {str(article.source_path) for article in scheduled}
        entries = _rendered(options, cache, head.config,
                            [article for article in loaded.articles if str(article.source_path) not in left_out])
        if entries is None:
            return None
        read = {str(entry.article.source_path): entry for entry in entries}
        news = {name: entry for name, entry in {**news, **read}.items() if name not in left_out}
    warnings = {record.path: record.warnings for record in loaded.records} if loaded is not None else {}
    return News(newest_first(list(news.values())), scheduled, warnings)


def left_out_apart(reader: PlanReader, changed: Sequence[str], deleted: Sequence[str]
                   ) -> tuple[list[str], list[str], set[str]] | None:
    """The `changed` and `deleted` article files without those the plan has no page for, which
    are the drafts and the scheduled articles it left out (or the builds in place since did);
    and apart, those left out. None where a warning of the plan names one of those: its warnings
    stand as a plan of the whole site words them."""
    unplaced = {name for name in {*changed, *deleted} if reader.place_of(name) is None}
    if any(str(warning.path) in unplaced for warning in reader.head.warnings):
        return None
    return [name for name in changed if name not in unplaced], [name for name in deleted if name not in unplaced], unplaced


def own_warnings_now(before: Mapping[str, tuple[Problem, ...]], gone: Collection[str],
                     read: Mapping[str, tuple[Problem, ...]]) -> dict[str, tuple[Problem, ...]]:
    """Each article file's own warnings after this build (of those with any): those of the
    builds before (`before`) but for the files `gone` since, with those of the files `read`."""
    now = {name: warnings for name, warnings in before.items() if name not in gone and name not in read}
    now.update((name, warnings) for name, warnings in read.items() if warnings)
    return now


def scheduled_now(scheduled: Sequence[Article], left_out: Collection[str], read: Sequence[Article]) -> tuple[Article, ...]:
    """The scheduled articles after this build: those of the builds before (`scheduled`) but
    for the `left_out` files changed or deleted since, and those `read` as scheduled now, in
    the order of their files, as a plan of the whole site reads them."""
    kept = [article for article in scheduled if str(article.source_path) not in left_out]
    return tuple(sorted([*kept, *read], key=lambda article: str(article.source_path)))
