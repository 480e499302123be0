"""Site configuration, read from `site.toml`.

Each setting is declared once below (`SETTINGS`): its name, its type, its default and its
check. A key Gazette does not know is a warning, with the setting it was probably meant to be.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from gazette.errors import GazetteError, Problem, quoted
from gazette.model.reading import read_input_file
from gazette.model.urls import MAX_SLUG, name_slug

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


@dataclass(frozen=True)
class TopicConfig:
    slug: str
    title: str
    description: str = ""
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuthorConfig:
    slug: str
    name: str
    bio: str = ""
    url: str = ""  # their own web address, shown on their page


@dataclass(frozen=True)
class MenuItem:
    title: str
    url: str  # a route of this site ("about/", "" for home) or, when `external`, a full URL
    external: bool = False


@dataclass(frozen=True)
class SiteConfig:
    title: str
    base_url: str
    description: str = ""
    language: str = "en"
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    page_size: int = 20
    fallback_topic: str = "tech"
    topics: tuple[TopicConfig, ...] = ()
    authors: tuple[AuthorConfig, ...] = ()
    menu: tuple[MenuItem, ...] | None = None  # None: the default menu (see gazette.build.render)
    trusted_html: bool = False
    max_article_bytes: int = 4_000_000
    markdown_time_limit: float = 5.0  # seconds one body may take to render
    cname: str = ""  # custom domain for GitHub Pages, written to CNAME
    # What the host publishes at most (GitHub Pages: 1 GB a site, 100 MB a file).
    max_site_bytes: int = 1_000_000_000
    max_file_bytes: int = 100_000_000
    search: bool = True  # a search page and its index (Pagefind); some sites do without
    feed_size: int = 20  # entries in each feed, newest first
    warnings: tuple[Problem, ...] = field(default=(), compare=False, repr=False)

    def topic(self, slug: str) -> TopicConfig | None:
        return next((t for t in self.topics if t.slug == slug), None)

    def author(self, slug: str) -> AuthorConfig | None:
        """A known author by slug, or by the slug of their name (when site.toml gives another)."""
        return next((a for a in self.authors if a.slug == slug), None) or next(
            (a for a in self.authors if name_slug(a.name) == slug), None)


class SettingError(ValueError):
    """A setting's value is wrong; the message says what a right one looks like."""


def normalize_base_url(url: str) -> str:
    """Make sure the base URL ends with exactly one slash so routes can be appended."""
    url = url.strip()
    if not url:
        return "/"
    return url.rstrip("/") + "/"


def base_url(value: str) -> str:
    """Only `http(s)://host[:port]/optional/path/`: every link, feed and canonical URL is made
    from it, so a query, a fragment or another scheme would be glued into all of them."""
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        raise SettingError(f"{quoted(value)} is not a web address such as https://user.github.io/archive/")
    if parts.query or parts.fragment or "?" in value or "#" in value:
        raise SettingError(f"{quoted(value)} may not have a query (?) or a fragment (#)")
    if re.search(r"[\s\\<>\"'`]|[^\x21-\x7e]", value):
        raise SettingError(f"{quoted(value)} holds spaces or characters that are not allowed in a URL; percent-encode them")
    try:
        parts.port
    except ValueError:
        raise SettingError(f"{quoted(value)} has a port that is not a number") from None
    return normalize_base_url(value)


def language_tag(value: str) -> str:
    """A BCP 47 language tag as `<html lang>` and Pagefind take it: "en", "pt-BR", "zh-Hant"."""
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", value):
        raise SettingError(f"{quoted(value)} is not a language tag such as en, de or pt-BR")
    return value


def host_name(value: str) -> str:
    """A custom domain for GitHub Pages' CNAME file: ASCII labels only."""
    value = value.strip().lower().rstrip(".")
    if not value:
        return ""
    if not value.isascii():
        try:
            ascii_form = value.encode("idna").decode("ascii")
        except UnicodeError:
            ascii_form = None
        hint = f"; write it as {ascii_form}" if ascii_form else ""
        raise SettingError(f"{quoted(value)} is not an ASCII host name{hint}")
    label = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
    if len(value) > 253 or not re.fullmatch(rf"{label}(?:\.{label})+", value):
        raise SettingError(f"{quoted(value)} is not a host name such as news.example.org")
    return value


def time_zone(value: str) -> ZoneInfo:
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingError(f"unknown timezone {quoted(value)}; use a name such as Europe/Zurich or UTC") from None


def at_least(minimum: float) -> Callable[[float], float]:
    def check(value: float) -> float:
        if value < minimum:
            raise SettingError(f"must be at least {minimum:g}")
        return value

    return check


def single_line(value: str) -> str:
    if re.search(r"[\x00-\x1f\x7f-\x9f]", value):
        raise SettingError("may not hold control characters or line breaks")
    return value


def topic_slug(value: str) -> str:
    slug = name_slug(value)
    if not slug:
        raise SettingError(f"{quoted(value)} has no letters or digits to make a URL from")
    if len(slug) > MAX_SLUG:
        raise SettingError(f"{quoted(value)} is too long to make a URL from (at most {MAX_SLUG} letters)")
    return slug


REQUIRED = object()


@dataclass(frozen=True)
class Setting:
    """One key of site.toml: the TOML type it must have, its default, and the check that
    turns the value into what SiteConfig holds (raising SettingError)."""

    name: str
    kind: type | tuple[type, ...]
    default: object = REQUIRED
    check: Callable[[object], object] | None = None

    def read(self, raw: dict) -> object:
        if self.name not in raw:
            if self.default is REQUIRED:
                raise SettingError("is required")
            value = self.default
        else:
            value = raw[self.name]
            kinds = self.kind if isinstance(self.kind, tuple) else (self.kind,)
            if not isinstance(value, kinds) or isinstance(value, bool) and bool not in kinds:
                raise SettingError(f"must be {' or '.join(_KIND_NAMES[k] for k in kinds)}, not {quoted(value)}")
        return self.check(value) if self.check else value


_KIND_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}

SETTINGS = (
    Setting("title", str, check=single_line),
    Setting("description", str, "", check=single_line),
    Setting("base_url", str, check=base_url),
    Setting("language", str, "en", check=language_tag),
    Setting("timezone", str, "UTC", check=time_zone),
    Setting("page_size", int, 20, check=at_least(1)),
    Setting("fallback_topic", str, "tech", check=topic_slug),
    Setting("trusted_html", bool, False),
    Setting("max_article_bytes", int, 4_000_000, check=at_least(1)),
    Setting("markdown_time_limit", (int, float), 5.0, check=at_least(0.1)),
    Setting("cname", str, "", check=host_name),
    Setting("max_site_bytes", int, 1_000_000_000, check=at_least(1)),
    Setting("max_file_bytes", int, 100_000_000, check=at_least(1)),
    Setting("search", bool, True),
    Setting("feed_size", int, 20, check=at_least(1)),
)
TABLES = ("topics", "authors", "menu")  # [[topics]], [[authors]] and [[menu]] entries, read below
TOPIC_KEYS = ("title", "slug", "description", "keywords")
AUTHOR_KEYS = ("name", "slug", "bio", "url")
MENU_KEYS = ("title", "url")
KNOWN_KEYS = tuple(s.name for s in SETTINGS) + TABLES


def key_line(text: str, key: str, table_index: int = 1) -> int | None:
    """The line of site.toml where a top-level key is set, or where the `table_index`th
    `[[key]]` table starts."""
    assignment = re.compile(rf'^\s*"?{re.escape(key)}"?\s*=')
    table = re.compile(rf'^\s*\[\[?\s*"?{re.escape(key)}"?\s*\]')
    top_level, tables_seen = True, 0
    for number, line in enumerate(text.splitlines(), start=1):
        if table.match(line):
            tables_seen += 1
            if tables_seen == table_index:
                return number
        if line.lstrip().startswith("["):
            top_level = False
        elif top_level and assignment.match(line):
            return number
    return None


def load_config(path: Path, base_url_override: str | None = None) -> SiteConfig:
    try:
        text = read_input_file(path, 1_000_000, "site configuration").decode("utf-8")
        raw = tomllib.loads(text)
    except FileNotFoundError:
        raise GazetteError(Problem(path, "site configuration not found (run gazette from the site's folder)"))
    except IsADirectoryError:
        raise GazetteError(Problem(path, "is a folder; the site configuration is a file"))
    except OSError as exc:
        raise GazetteError(Problem(path, f"cannot be read: {exc.strerror}"))
    except tomllib.TOMLDecodeError as exc:
        raise GazetteError(Problem(path, f"not valid TOML: {exc}"))
    except UnicodeDecodeError:
        raise GazetteError(Problem(path, "not UTF-8 text; save it as UTF-8"))
    return parse_config(raw, path, base_url_override, text)


def parse_config(raw: dict, path: Path, base_url_override: str | None = None, text: str = "") -> SiteConfig:
    if base_url_override is not None:
        raw = raw | {"base_url": base_url_override}
    values: dict[str, object] = {}
    problems: list[Problem] = []
    for setting in SETTINGS:
        try:
            values[setting.name] = setting.read(raw)
        except SettingError as exc:
            where = "--base-url" if setting.name == "base_url" and base_url_override is not None else f"'{setting.name}'"
            problems.append(Problem(path, f"{where} {exc}", key_line(text, setting.name)))
    tables: dict[str, object] = {}
    for name, read_table in (("topics", read_topics), ("authors", read_authors), ("menu", read_menu)):
        try:
            tables[name] = read_table(raw.get(name, []), path, text)
        except GazetteError as exc:
            problems.extend(exc.problems)
    if problems:
        raise GazetteError(problems)
    if "menu" not in raw:
        tables["menu"] = None
    warnings = unknown_key_warnings(raw, KNOWN_KEYS, path, lambda key: key_line(text, key))
    for name, keys in (("topics", TOPIC_KEYS), ("authors", AUTHOR_KEYS), ("menu", MENU_KEYS)):
        for index, entry in enumerate(raw.get(name, []), start=1):
            warnings += unknown_key_warnings(entry, keys, path, lambda key: key_line(text, name, index), f"[[{name}]] ")
    return SiteConfig(**values, **tables, warnings=tuple(warnings))


def unknown_key_warnings(raw: dict, known: tuple[str, ...], path: Path, line_of: Callable[[str], int | None],
                         where: str = "") -> list[Problem]:
    warnings = []
    for key in raw:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            warnings.append(Problem(path, f"warning: unknown {where}key {quoted(key)}{hint}", line_of(key)))
    return warnings


def read_topics(entries: object, path: Path, text: str) -> tuple[TopicConfig, ...]:
    if not isinstance(entries, list):
        raise GazetteError(Problem(path, "'topics' must be [[topics]] tables, each with a title", key_line(text, "topics")))
    topics = []
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        where, line = f"topic #{index}", key_line(text, "topics", index)
        if not isinstance(entry, dict) or not isinstance(entry.get("title"), str) or not entry["title"].strip():
            raise GazetteError(Problem(path, f"{where} needs a title", line))
        for key in ("slug", "description"):
            if key in entry and not isinstance(entry[key], str):
                raise GazetteError(Problem(path, f"{where}: '{key}' must be text, not {quoted(entry[key])}", line))
        try:
            title = single_line(entry["title"])
            slug = topic_slug(entry.get("slug") or title)
        except SettingError as exc:
            raise GazetteError(Problem(path, f"{where}: {exc}", line)) from None
        if slug in seen:
            raise GazetteError(Problem(path, f"topic slug {quoted(slug)} is defined twice", line))
        seen.add(slug)
        keywords = entry.get("keywords", [])
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            raise GazetteError(Problem(path, f"topic {quoted(slug)}: keywords must be a list of strings", line))
        topics.append(TopicConfig(slug, title, entry.get("description", ""), tuple(k.lower() for k in keywords)))
    return tuple(topics)


def _tables(entries: object, name: str, path: Path, text: str, required: str) -> list[tuple[str, int | None, dict]]:
    """Each `[[name]]` table as (its description in messages, its line, its keys), every
    key text; the `required` one non-empty."""
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise GazetteError(Problem(path, f"'{name}' must be [[{name}]] tables, each with a {required}", key_line(text, name)))
    tables = []
    for index, entry in enumerate(entries, start=1):
        where, line = f"[[{name}]] #{index}", key_line(text, name, index)
        for key, value in entry.items():
            if not isinstance(value, str):
                raise GazetteError(Problem(path, f"{where}: '{key}' must be text, not {quoted(value)}", line))
            try:
                single_line(value)
            except SettingError as exc:
                raise GazetteError(Problem(path, f"{where}: '{key}' {exc}", line)) from None
        if not entry.get(required, "").strip():
            raise GazetteError(Problem(path, f"{where} needs a {required}", line))
        tables.append((where, line, {key: value.strip() for key, value in entry.items()}))
    return tables


def web_address(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or re.search(r"[\s<>\"'`]", value):
        raise SettingError(f"{quoted(value)} is not a web address such as https://example.org/")
    return value


def read_authors(entries: object, path: Path, text: str) -> tuple[AuthorConfig, ...]:
    authors: list[AuthorConfig] = []
    for where, line, entry in _tables(entries, "authors", path, text, "name"):
        try:
            slug = topic_slug(entry.get("slug") or entry["name"])
            url = web_address(entry["url"]) if entry.get("url") else ""
        except SettingError as exc:
            raise GazetteError(Problem(path, f"{where}: {exc}", line)) from None
        if any(author.slug == slug for author in authors):
            raise GazetteError(Problem(path, f"author slug {quoted(slug)} is defined twice", line))
        authors.append(AuthorConfig(slug, entry["name"], entry.get("bio", ""), url))
    return tuple(authors)


def read_menu(entries: object, path: Path, text: str) -> tuple[MenuItem, ...]:
    """Each menu item links to a site path ("/about/", "/" for home) or to a full URL."""
    items = []
    for where, line, entry in _tables(entries, "menu", path, text, "title"):
        url = entry.get("url", "")
        if url.startswith("/") and not url.startswith("//"):
            if re.search(r"[\s<>\"'`\\]|(^|/)\.\.?(/|$)", url):
                raise GazetteError(Problem(path, f"{where}: 'url' {quoted(url)} is not a path of this site such as /about/", line))
            items.append(MenuItem(entry["title"], url[1:]))
            continue
        try:
            items.append(MenuItem(entry["title"], web_address(url), external=True))
        except SettingError:
            raise GazetteError(Problem(path, f"{where}: 'url' must be a path of this site such as /about/, "
                                             f"or a full URL such as https://example.org/, not {quoted(url)}", line)) from None
    return tuple(items)
