"""`gazette new TITLE`: start an article with its front matter filled in."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from gazette.errors import GazetteError, Problem, quoted
from gazette.model.config import SiteConfig
from gazette.model.frontmatter import front_matter_text
from gazette.model.urls import title_slug


def new_article_text(title: str, topics: list[str], now: datetime) -> str:
    fields = [("title", title), ("date", now.replace(microsecond=0)), ("topics", topics), ("tags", [])]
    return front_matter_text(fields) + (
        "Write the story here. The first paragraph is the summary unless you add a `summary:` line above.\n"
    )


def create_article(title: str, topics: list[str], content_dir: Path, config: SiteConfig, now: datetime | None = None) -> Path:
    title = " ".join(title.split())
    slug = title_slug(title)
    if not slug:
        raise GazetteError(Problem("new", f"the title {quoted(title)} has no letters or digits to make a file name from"))
    now = (now or datetime.now(config.timezone)).astimezone(config.timezone)
    if not topics:
        fallback = config.topic(config.fallback_topic)
        topics = [fallback.title if fallback else config.fallback_topic]
    path = content_dir / f"{now:%Y}" / f"{slug}.md"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        blocked = next((p for p in (content_dir, *content_dir.parents) if p.exists() and not p.is_dir()), None)
        reason = f"{blocked} is a file, not a folder" if blocked else os.strerror(exc.errno or 0)
        raise GazetteError(Problem(path.parent, f"cannot make the folder for the article: {reason}")) from None
    try:
        # 'x' mode: never overwrite, even if the file appears between a check and the write.
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(new_article_text(title, topics, now))
    except FileExistsError:
        raise GazetteError(Problem(path, "already exists; choose another title or edit that file")) from None
    except OSError as exc:
        raise GazetteError(Problem(path, f"cannot be written: {os.strerror(exc.errno or 0)}")) from None
    return path
