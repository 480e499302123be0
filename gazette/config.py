"""Site configuration, read from `site.toml`."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


from gazette.errors import GazetteError, Problem
from gazette.urls import name_slug

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
class SiteConfig:
    title: str
    base_url: str
    description: str = ""
    language: str = "en"
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    page_size: int = 20
    fallback_topic: str = "tech"
    topics: tuple[TopicConfig, ...] = ()
    trusted_html: bool = False
    max_article_bytes: int = 4_000_000
    cname: str = ""  # custom domain for GitHub Pages, written to CNAME

    def topic(self, slug: str) -> TopicConfig | None:
        return next((t for t in self.topics if t.slug == slug), None)


def normalize_base_url(url: str) -> str:
    """Make sure the base URL ends with exactly one slash so routes can be appended."""
    url = url.strip()
    if not url:
        return "/"
    return url.rstrip("/") + "/"


def load_config(path: Path, base_url_override: str | None = None) -> SiteConfig:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GazetteError(Problem(path, "site configuration not found (run gazette from the site's folder)"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise GazetteError(Problem(path, f"not valid TOML: {exc}"))
    return parse_config(raw, path, base_url_override)


def parse_config(raw: dict, path: Path, base_url_override: str | None = None) -> SiteConfig:
    def need(key: str, kind: type, default=None):
        value = raw.get(key, default)
        if value is None or not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            raise GazetteError(Problem(path, f"'{key}' must be {kind.__name__}"))
        return value

    zone_name = need("timezone", str, "UTC")
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise GazetteError(Problem(path, f"unknown timezone {zone_name!r}"))

    topics = []
    seen: set[str] = set()
    for index, entry in enumerate(raw.get("topics", []), start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("title"), str):
            raise GazetteError(Problem(path, f"topic #{index} needs a title"))
        slug = name_slug(entry.get("slug") or entry["title"])
        if slug in seen:
            raise GazetteError(Problem(path, f"topic slug {slug!r} is defined twice"))
        seen.add(slug)
        keywords = entry.get("keywords", [])
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            raise GazetteError(Problem(path, f"topic {slug!r}: keywords must be a list of strings"))
        topics.append(
            TopicConfig(
                slug=slug,
                title=entry["title"],
                description=str(entry.get("description", "")),
                keywords=tuple(k.lower() for k in keywords),
            )
        )

    page_size = need("page_size", int, 20)
    if page_size < 1:
        raise GazetteError(Problem(path, "'page_size' must be at least 1"))

    return SiteConfig(
        title=need("title", str),
        description=need("description", str, ""),
        base_url=normalize_base_url(base_url_override or need("base_url", str, "/")),
        language=need("language", str, "en"),
        timezone=zone,
        page_size=page_size,
        fallback_topic=name_slug(need("fallback_topic", str, "tech")),
        topics=tuple(topics),
        trusted_html=need("trusted_html", bool, False),
        max_article_bytes=need("max_article_bytes", int, 4_000_000),
        cname=need("cname", str, "").strip(),
    )
