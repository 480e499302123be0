"""What an article is filed under and what is said of it afterwards: topics, tags and authors,
each identified by its slug (as Pelican's URLWrapper: 'AI', 'ai' and 'A.I.' are one topic),
and corrections. Each term knows the folder of its pages and what its pages show of it
(`identity`), which is all a fingerprint needs to know of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from gazette.model.urls import term_feed_route, term_route


@dataclass(frozen=True)
class Term:
    """A topic, tag or author: `slug` is its identity, the rest is how it is shown."""

    FOLDER: ClassVar[str] = ""  # its pages live under /FOLDER/<slug>/

    slug: str
    # Each kind also has a `title` and a `description` (a field or a property).

    @property
    def route(self) -> str:
        return term_route(self.FOLDER, self.slug)

    def page_route(self, number: int) -> str:
        return term_route(self.FOLDER, self.slug, number)

    @property
    def feed_route(self) -> str:
        return term_feed_route(self.FOLDER, self.slug)

    def identity(self) -> tuple[str, ...]:
        """Everything a page that shows this term shows of it."""
        return (self.FOLDER, self.slug, self.title, self.description)


@dataclass(frozen=True)
class Topic(Term):
    FOLDER: ClassVar[str] = "topics"

    title: str = field(default="", compare=False)
    description: str = field(default="", compare=False)
    configured: bool = field(default=True, compare=False)


@dataclass(frozen=True)
class Tag(Term):
    FOLDER: ClassVar[str] = "tags"

    name: str = field(default="", compare=False)

    @property
    def title(self) -> str:
        return self.name

    @property
    def description(self) -> str:
        return ""


@dataclass(frozen=True)
class Author(Term):
    """A byline. Known authors (`[[authors]]` in site.toml) have a bio and a web address."""

    FOLDER: ClassVar[str] = "authors"

    name: str = field(default="", compare=False)
    bio: str = field(default="", compare=False)
    url: str = field(default="", compare=False)
    configured: bool = field(default=True, compare=False)

    @property
    def title(self) -> str:
        return self.name

    @property
    def description(self) -> str:
        return self.bio

    def identity(self) -> tuple[str, ...]:
        return (*super().identity(), self.url)


@dataclass(frozen=True)
class Correction:
    """A dated notice that an article was corrected, shown at its top and on /corrections/."""

    date: datetime  # aware, in the site timezone
    text: str

    def identity(self) -> tuple[str, ...]:
        return ("correction", self.date.isoformat(), self.text)
