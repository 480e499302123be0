"""Reading front matter: the values fields hold (dates, paths under static/, old addresses,
lists of names) and the reader that checks them one field at a time, each problem located at
its line. Pure; the kinds of file (articles, plain pages) declare their fields on top of it."""

from __future__ import annotations

import difflib
import re
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

from gazette.errors import GazetteError, Problem, quoted
from gazette.model.config import SiteConfig
from gazette.model.frontmatter import (
    FrontMatterError,
    SplitDocument,
    field_line,
    parse_front_matter,
    split_front_matter,
)
from gazette.model.urls import MAX_SLUG, name_slug

# Characters that no page or feed may carry: C0 controls but tab and newlines, DEL, C1
# controls, lone surrogates and the non-characters XML forbids.
FORBIDDEN_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Dates whose every use (the site timezone, UTC, a news sitemap's window) stays in the calendar.
EARLIEST = datetime(1, 1, 3, tzinfo=timezone.utc)
LATEST = datetime(9999, 12, 28, tzinfo=timezone.utc)
T = TypeVar("T")


def decode_article(raw: bytes, path: Path) -> str:
    if b"\x00" in raw:
        raise GazetteError(Problem(path, "this is a binary file, not a Markdown article", None))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise GazetteError(Problem(path, "the file is not UTF-8 text; save it as UTF-8", line))


def open_document(path: Path, raw: bytes, config: SiteConfig) -> tuple[SplitDocument, dict]:
    """A Markdown file's front matter (as data) and body, or GazetteError: too big, not UTF-8
    text, front matter that does not parse."""
    if len(raw) > config.max_article_bytes:
        raise GazetteError(Problem(path, f"the file is {len(raw):,} bytes, over the limit of "
                                         f"{config.max_article_bytes:,} (max_article_bytes in site.toml)"))
    try:
        document = split_front_matter(decode_article(raw, path))
        return document, parse_front_matter(document.front_matter)
    except FrontMatterError as exc:
        raise GazetteError(exc.problem(path)) from None


def body_problem(path: Path, document: SplitDocument) -> Problem | None:
    """The first character no page may hold in the body, located at its line."""
    found = FORBIDDEN_CHARACTER.search(document.body)
    if not found:
        return None
    line = document.body_line + document.body.count("\n", 0, found.start())
    return Problem(path, f"the body holds the control character {forbidden_character(found.group())}; remove it", line)


def parse_date(value: object, zone: ZoneInfo) -> datetime:
    """A date alone means midnight in the site timezone; times keep their offset."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time())
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            parsed = datetime.combine(date.fromisoformat(text), time())
        else:
            text = re.sub(r"[zZ]$", "+00:00", text)
            parsed = datetime.fromisoformat(text)
    else:
        raise ValueError("expected a date such as 2021-03-04 or 2021-03-04T09:00:00+08:00")
    try:
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=zone)
        if not EARLIEST <= parsed <= LATEST:
            raise OverflowError
        return parsed.astimezone(zone)
    except OverflowError:
        raise ValueError("outside the years 1 to 9999 a site can show") from None


def forbidden_character(text: str) -> str | None:
    """The first character of `text` no page or feed may hold, described, or None."""
    found = FORBIDDEN_CHARACTER.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def site_path(value: str) -> str:
    """A path under static/ as an editor writes it ("images/x.jpg" or "/images/x.jpg"),
    without the leading slash; ValueError for anything that is not one: a URL, a
    protocol-relative `//host/...`, `..`, a backslash, a query or a fragment."""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value) or value.startswith("//"):
        raise ValueError("is not a path under static/ (a URL would load from another site)")
    path = value.removeprefix("/")
    parts = path.split("/")
    if not path or any(part in ("", ".", "..") for part in parts) or re.search(r"[\\?#]", path):
        raise ValueError("is not a path under static/, such as images/photo.jpg")
    return path


def alias_route(value: str) -> str:
    """An old address of an article as an editor writes it, a path from the site root
    ("/2021/03/old-slug/", "/old.html"), as a route ("2021/03/old-slug/"); ValueError for
    anything else: a URL, `//host`, `..`, a query, a fragment, spaces."""
    if not value.startswith("/") or value.startswith("//"):
        raise ValueError("is not a path from the site root, such as /2021/03/old-slug/")
    route = value[1:]
    parts = route.rstrip("/").split("/")
    if not route or any(part in ("", ".", "..") for part in parts) or re.search(r"[\\?#%\s<>\"']", route):
        raise ValueError("is not a path from the site root, such as /2021/03/old-slug/")
    last = parts[-1]
    return route if route.endswith("/") or "." in last else route + "/"


def text_list(value: object) -> list[str]:
    """Accept `[A, B]` or a single `A`; every item must be text."""
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, str) and item.strip() for item in items):
        raise ValueError("expected a list of names, such as [AI, Business]")
    return [item.strip() for item in items]


class FrontMatterReader:
    """Validates one file's front matter field by field, collecting every problem with its line."""

    def __init__(self, path: Path, yaml_text: str, data: dict, config: SiteConfig, shared: dict | None = None):
        self.path = path
        self.yaml_text = yaml_text
        self.data = data
        self.config = config
        self.shared = {} if shared is None else shared
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def share(self, value: T) -> T:
        """The one object for this topic or tag, spelled alike, across the articles read with
        the same `shared` table: the cached records then hold a few hundred of them rather than
        50,000 copies, a quarter less to store and 40% less time to load."""
        key = (type(value), *vars(value).values())  # every field: titles may be spelled differently
        return self.shared.setdefault(key, value)

    def name_slug(self, name: str) -> str:
        """`name_slug(name)`, made once per name across the articles read with the same
        `shared` table: a tag's slug is asked for on every article with that tag (slugify
        was a quarter of reading 10,000 articles)."""
        key = ("slug", name)
        slug = self.shared.get(key)
        if slug is None:
            slug = self.shared[key] = name_slug(name)
        return slug

    def fail(self, name: str, message: str) -> None:
        self.problems.append(Problem(self.path, message, field_line(self.yaml_text, name) or 1))

    def text(self, name: str, required: bool = False) -> str | None:
        value = self.data.get(name)
        if value is None:
            if required:
                self.fail(name, f"'{name}' is required")
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(name, f"'{name}' must be non-empty text, not {quoted(value)}")
            return None
        bad = forbidden_character(value)
        if bad:
            self.fail(name, f"'{name}' holds the control character {bad}; remove it")
            return None
        return value.strip()

    def when(self, name: str, required: bool = False) -> datetime | None:
        value = self.data.get(name)
        if value is None:
            if required:
                self.fail(name, f"'{name}' is required (for example {name}: 2021-03-04)")
            return None
        try:
            return parse_date(value, self.config.timezone)
        except ValueError as exc:
            self.fail(name, f"'{name}' is not a valid date: {quoted(value)} ({exc})")
            return None

    def names(self, name: str, required: bool = False) -> list[str]:
        value = self.data.get(name)
        if value is None or value == []:
            if required:
                self.fail(name, f"'{name}' is required: at least one, such as {name}: [AI]")
            return []
        try:
            names = text_list(value)
        except ValueError as exc:
            self.fail(name, f"'{name}': {exc}")
            return []
        for item in names:
            bad = forbidden_character(item)
            if bad:
                self.fail(name, f"'{name}': {quoted(item)} holds the control character {bad}; remove it")
                return []
            if name not in ("aliases",) and len(self.name_slug(item)) > MAX_SLUG:  # topics, tags and authors name folders
                self.fail(name, f"'{name}': {quoted(item)} is too long to make a URL from (at most {MAX_SLUG} letters)")
                return []
        return names

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.data.get(name, default)
        if not isinstance(value, bool):
            self.fail(name, f"'{name}' must be true or false, not {quoted(value)}")
            return default
        return value

    def unknown_fields(self, known) -> None:
        for name in self.data:
            if name not in known:
                close = difflib.get_close_matches(str(name), list(known), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.warnings.append(Problem(
                    self.path, f"warning: unknown field {quoted(name)} is ignored{hint}", field_line(self.yaml_text, str(name))))
