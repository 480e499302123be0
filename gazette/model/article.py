"""One article: the typed record and how it is read from a file's bytes, every front-matter
field declared once (`FIELDS`) and validated with located errors. Pure: bytes in, a record or
problems out; nothing here knows about HTML."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import datetime
from functools import cached_property
from pathlib import Path
from urllib.parse import quote

from gazette.errors import GazetteError, Problem, quoted
from gazette.model.config import SiteConfig
from gazette.model.fields import (  # noqa: F401 - parse_date, site_path and friends are read from here too
    EARLIEST,
    FORBIDDEN_CHARACTER,
    LATEST,
    FrontMatterReader,
    alias_route,
    body_problem,
    decode_article,
    open_document,
    forbidden_character,
    parse_date,
    site_path,
)
from gazette.model.frontmatter import field_line
from gazette.model.terms import Author, Correction, Tag, Topic
from gazette.model.urls import (
    MAX_SLUG,
    article_route,
    title_slug,
)

_SLUG_SHAPE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Article:
    source_path: Path  # as the editor knows it, e.g. content/2021/story.md
    title: str
    date: datetime  # aware, in the site timezone
    topics: tuple[Topic, ...]  # first is the primary topic
    slug: str
    body: str | None  # Markdown; None when read from the cache (see `load_body`)
    body_line: int
    tags: tuple[Tag, ...] = ()
    authors: tuple[Author, ...] = ()
    summary: str | None = None
    image: str | None = None
    image_alt: str | None = None  # what the picture shows, for screen readers
    image_caption: str | None = None
    image_credit: str | None = None
    draft: bool = False
    updated: datetime | None = None
    source: str | None = None
    aliases: tuple[str, ...] = ()  # routes of old addresses that redirect here
    corrections: tuple[Correction, ...] = ()  # oldest first
    toc: bool | None = None  # a table of contents: True, False, or None for "when it has enough headings"
    identity: str = ""  # what finds the article again after a rename or move: its source, else its body
    digest: str = ""  # hash of the file's bytes and path: the article's identity for caching
    # Hash of every field but those `NOT_SHOWN_FIELDS` names: what a teaser of it shows (see
    # `site.Entry.teaser_digest`). Made once, as the file is read (in a worker, when many are),
    # and kept with it in the cache: 40 µs an article, which a build that plans the site would
    # otherwise spend on each. As with `digest`, an article made with `replace` keeps it: give
    # b"" with any other change, and it is made from the fields when needed.
    fields_digest: bytes = b""

    @cached_property
    def route(self) -> str:
        return article_route(self.date, self.slug)

    @property
    def primary_topic(self) -> Topic:
        return self.topics[0]


# The body, and what stands for the whole file: an edit to the body alone changes only these.
NOT_SHOWN_FIELDS = frozenset({"body", "body_line", "identity", "digest", "fields_digest"})
SHOWN_FIELDS = tuple(field.name for field in fields(Article) if field.name not in NOT_SHOWN_FIELDS)


def shown_fields_digest(article: Article) -> bytes:
    """`Article.fields_digest`, made from the article's fields. Bytes, not hex: 36 bytes less
    an article, kept for every one."""
    shown = repr([getattr(article, name) for name in SHOWN_FIELDS])
    return hashlib.sha1(shown.encode("utf-8", "surrogatepass")).digest()


class _ArticleReader(FrontMatterReader):
    """An article's fields on top of the generic ones: topics, tags, authors, slug, image,
    aliases, corrections."""

    def topics(self) -> tuple[Topic, ...]:
        topics: list[Topic] = []
        for name in self.names("topics", required=True):
            slug = self.name_slug(name)
            if not slug:
                self.fail("topics", f"topic {quoted(name)} has no letters or digits to make a URL from")
                continue
            known = self.config.topic(slug)
            topic = (
                Topic(slug, known.title, known.description)
                if known
                else Topic(slug, name, configured=False)
            )
            if topic not in topics:
                topics.append(self.share(topic))
        return tuple(topics)

    def slug(self) -> str:
        """The given `slug`, else the file's name slugified: editing a headline never
        moves a page (`new` and the importer name files after the headline's slug)."""
        given = self.text("slug")
        if given is not None:
            if not _SLUG_SHAPE.match(given):
                suggestion = quoted(title_slug(given))
                self.fail("slug", f"'slug' may hold only a-z, 0-9 and single hyphens; did you mean {suggestion}?")
            elif len(given) > MAX_SLUG:
                self.fail("slug", f"'slug' is {len(given)} characters long; at most {MAX_SLUG} make a URL")
            return given
        # Long names are cut at a word: the slug names a folder, which has a length limit.
        made = title_slug(self.path.stem)
        if not made:
            self.fail("slug", f"the file name {quoted(self.path.name)} has no letters or digits to make a URL from; "
                              "rename the file or add a 'slug'")
        return made

    def image(self) -> str | None:
        value = self.text("image")
        if value is None:
            return None
        try:
            return site_path(value)
        except ValueError as exc:
            self.fail("image", f"'image': {quoted(value)} {exc}")
            return None

    def image_alt(self, image: str | None) -> str | None:
        """What the picture shows; an `image:` without it is shown with its caption as the
        alt text (a caption says what it means, rarely what it shows), with a warning."""
        value = self.text("image_alt")
        if image and value is None:
            self.warnings.append(Problem(self.path, "warning: 'image' has no 'image_alt' (what the picture shows, "
                                                    "for readers who cannot see it): the caption stands in for it",
                                         field_line(self.yaml_text, "image")))
        return value

    def aliases(self, own_route: str | None) -> tuple[str, ...]:
        routes = []
        for value in self.names("aliases"):
            try:
                routes.append(alias_route(value))
            except ValueError as exc:
                self.fail("aliases", f"'aliases': {quoted(value)} {exc}")
                continue
            if routes[-1] == own_route:
                self.fail("aliases", f"'aliases': {quoted(value)} is this article's own URL, not an old one")
        return tuple(dict.fromkeys(routes))

    def tags(self) -> tuple[Tag, ...]:
        named = (Tag(self.name_slug(n), n) for n in self.names("tags"))
        return tuple(map(self.share, dict.fromkeys(tag for tag in named if tag.slug)))

    def authors(self) -> tuple[Author, ...]:
        """`author: Jane Doe` or `authors: [Jane Doe, John Roe]`; a known author (site.toml's
        `[[authors]]`) is found by slug or by name."""
        if "author" in self.data and "authors" in self.data:
            self.fail("authors", "give 'author' or 'authors', not both")
            return ()
        name = "author" if "author" in self.data else "authors"
        authors: list[Author] = []
        for written in self.names(name):
            slug = self.name_slug(written)
            if not slug:
                self.fail(name, f"author {quoted(written)} has no letters or digits to make a URL from")
                continue
            known = self.config.author(slug)
            author = Author(known.slug, known.name, known.bio, known.url) if known else Author(slug, written, configured=False)
            if author not in authors:
                authors.append(self.share(author))
        return tuple(authors)

    def corrections(self) -> tuple[Correction, ...]:
        value = self.data.get("corrections")
        if value is None or value == []:
            return ()
        example = "corrections: [{date: 2021-03-06, text: An earlier version misstated ...}]"
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.fail("corrections", f"'corrections' must be a list of date and text, such as {example}")
            return ()
        corrections = []
        for number, item in enumerate(value, start=1):
            unknown = sorted(str(key) for key in item if key not in ("date", "text"))
            text = item.get("text")
            if unknown:
                self.fail("corrections", f"correction #{number}: unknown key {quoted(unknown[0])} (a correction has a date and a text)")
                continue
            if not isinstance(text, str) or not text.strip() or forbidden_character(text):
                self.fail("corrections", f"correction #{number}: 'text' must be non-empty text without control characters")
                continue
            try:
                when = parse_date(item.get("date"), self.config.timezone)
            except ValueError as exc:
                self.fail("corrections", f"correction #{number}: 'date' is not a valid date: {quoted(item.get('date'))} ({exc})")
                continue
            corrections.append(Correction(when, " ".join(text.split())))
        return tuple(sorted(corrections, key=lambda c: c.date))

    def read(self, body: str, body_line: int) -> Article | None:
        self.unknown_fields(SPELLINGS)
        values: dict[str, object] = {}
        for name, read_field in FIELDS.items():
            values[name] = read_field(self, name, values)
        if self.problems or any(values[name] in (None, ()) for name in REQUIRED_FIELDS):
            return None
        return Article(source_path=self.path, body=body, body_line=body_line, **values)


# Every front-matter field, once, in the order it is read (as Pelican's METADATA_PROCESSORS):
# the Article field it fills has the same name. Each reader gets the field's name and the
# values read before it.
FieldReader = Callable[[_ArticleReader, str, dict], object]
FIELDS: dict[str, FieldReader] = {
    "title": lambda reader, name, read: reader.text(name, required=True),
    "date": lambda reader, name, read: reader.when(name, required=True),
    "topics": lambda reader, name, read: reader.topics(),
    "tags": lambda reader, name, read: reader.tags(),
    "summary": lambda reader, name, read: reader.text(name),
    "image": lambda reader, name, read: reader.image(),
    "image_alt": lambda reader, name, read: reader.image_alt(read["image"]),
    "image_caption": lambda reader, name, read: reader.text(name),
    "image_credit": lambda reader, name, read: reader.text(name),
    "updated": lambda reader, name, read: reader.when(name),
    "source": lambda reader, name, read: reader.text(name),
    "authors": lambda reader, name, read: reader.authors(),
    "corrections": lambda reader, name, read: reader.corrections(),
    "draft": lambda reader, name, read: reader.flag(name),
    "toc": lambda reader, name, read: reader.flag(name) if name in reader.data else None,
    "slug": lambda reader, name, read: reader.slug(),
    "aliases": lambda reader, name, read: reader.aliases(
        article_route(read["date"], read["slug"]) if read["date"] and read["slug"] else None),
}
REQUIRED_FIELDS = ("title", "date", "topics")
SPELLINGS = (*FIELDS, "author")  # `author: X` is `authors: [X]`


def read_article(path: Path, raw: bytes, config: SiteConfig, shared: dict | None = None) -> tuple[Article, list[Problem]]:
    """Parse one article from its bytes. Raises GazetteError listing every problem in it.
    Articles read with one `shared` dict share their equal topics and tags."""
    document, data = open_document(path, raw, config)
    reader = _ArticleReader(path, document.front_matter, data, config, shared)
    article = reader.read(document.body, document.body_line)
    bad_body = body_problem(path, document)
    if bad_body:
        reader.problems.append(bad_body)
        article = None
    if article is None:
        raise GazetteError(reader.problems)
    digest = hashlib.sha1(str(path).encode("utf-8", "surrogateescape") + b"\0" + raw).hexdigest()
    return replace(article, digest=digest, identity=article_identity(article),
                   fields_digest=shown_fields_digest(article)), reader.warnings


def article_identity(article: Article) -> str:
    """`source:` names the story an importer took it from; an article without one is known
    by its body (an edit to the body and a rename at once lose it: the old URL is reported)."""
    if article.source:
        return "source:" + quote(article.source, safe="")
    return "body:" + hashlib.sha1((article.body or "").strip().encode("utf-8", "surrogatepass")).hexdigest()[:20]
