"""The import stage: raw news dumps in, one article file per story out.

Three steps, so that bad input never leaves a half-done import behind:

1. read and parse every dump (any problem in any dump stops here, nothing written);
2. plan every file: its path, its exact bytes, and whether it is new, unchanged or edited;
3. write the new (and, with --force, the edited) files, each atomically.

Identity and idempotency. Every article records where it came from, `source: <dump name>#<n>`
(the n-th story of the dump). An import looks for that field in every article under the content
folder, wherever the file is now, so a file an editor moved or renamed is still recognised.
A story that exists already keeps its date, file and `slug`; if the file's bytes equal what the
import would write it is *unchanged*; otherwise an editor (or a newer importer) changed it and
it is *kept* as it is unless --force overwrites it. Importing the same dump twice writes
nothing; stories appended to the dump later are *created*.

Dates. Story n of a dump is dated at noon minus (n - 1) minutes on the import date, in the site
timezone: newest-first listings then show the stories in the dump's order, and appending
stories to a dump never changes the time of those already imported. Without --date the import
date is a YYYY-MM-DD in the dump's file name, else the day the dump file was last modified.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from slugify import slugify

from gazette.build.markup import MarkdownRenderer, MarkupError, shorten
from gazette.errors import GazetteError, Problem
from gazette.importer.byline import author_fields, take_byline
from gazette.importer.classify import classify
from gazette.importer.credits import split_credit
from gazette.importer.dump import BlockKind, DumpError, Story, parse_dump
from gazette.importer.escape import escape_paragraph, markdown_heading
from gazette.model.article import parse_date, read_article
from gazette.model.config import SiteConfig
from gazette.model.content import find_article_files, read_article_file
from gazette.model.frontmatter import (
    FrontMatterError,
    front_matter_text,
    parse_front_matter,
    split_front_matter,
)
from gazette.model.reading import read_input_file
from gazette.model.urls import name_slug, title_slug

FIRST_STORY_TIME = time(12, 0)
MAX_STORIES_PER_DUMP = 12 * 60  # one minute apart, all on the import day
MAX_DUMP_BYTES = 64_000_000  # 720 stories of over 80 KB each
SUMMARY_LENGTH = 280
_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_SOURCE_LINE = re.compile(r"^source:\s*[\"']?(.*?)[\"']?\s*$", re.MULTILINE)


@dataclass
class DumpReport:
    """What one dump's import did (or, with --dry-run, would do)."""

    dump: Path
    stories: int = 0
    dry_run: bool = False
    created: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # edited since the import; left alone
    overwritten: list[Path] = field(default_factory=list)  # edited, but --force

    def __str__(self) -> str:
        would = "would be " if self.dry_run else ""
        counts = [f"{len(self.created)} {would}created", f"{len(self.unchanged)} unchanged"]
        if self.kept:
            counts.append(f"{len(self.kept)} kept")
        if self.overwritten:
            counts.append(f"{len(self.overwritten)} {would}overwritten")
        lines = [f"{self.dump}: {self.stories} stories: {', '.join(counts)}" + (" (dry run: nothing written)" if self.dry_run else "")]
        lines += [f"  {would}created: {path}" for path in self.created]
        lines += [f"  kept: {path} (changed since it was imported; --force overwrites it)" for path in self.kept]
        lines += [f"  {would}overwritten: {path} (--force)" for path in self.overwritten]
        return "\n".join(lines)


# -- reading dumps --------------------------------------------------------------------------


def decode_dump(raw: bytes, path: Path) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252, else a located error."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise GazetteError(Problem(path, "the dump is UTF-16 text; save it as UTF-8", 1))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            line = raw[: utf8_error.start].count(b"\n") + 1
            raise GazetteError(
                Problem(path, f"the dump is neither UTF-8 nor Windows-1252 text (byte 0x{raw[utf8_error.start]:02X}); save it as UTF-8", line)
            ) from None


def _read_stories(path: Path) -> list[Story]:
    try:
        raw = read_input_file(path, MAX_DUMP_BYTES, "dump file")
    except FileNotFoundError:
        raise GazetteError(Problem(path, "dump not found")) from None
    except IsADirectoryError:
        raise GazetteError(Problem(path, "is a folder, not a dump file")) from None
    except OSError as exc:
        raise GazetteError(Problem(path, f"cannot be read: {exc.strerror}")) from None
    try:
        stories = parse_dump(decode_dump(raw, path))
    except DumpError as exc:
        raise GazetteError(exc.problem(path)) from None
    if len(stories) > MAX_STORIES_PER_DUMP:
        raise GazetteError(Problem(path, f"{len(stories)} stories; at most {MAX_STORIES_PER_DUMP} fit one import day, split the dump"))
    return stories


def _read_all(dumps: list[Path]) -> list[tuple[Path, list[Story]]]:
    """Every dump parsed, or every problem in all of them raised at once."""
    problems: list[Problem] = []
    parsed: list[tuple[Path, list[Story]]] = []
    seen: dict[str, Path] = {}
    for path in dumps:
        earlier = seen.get(path.name)
        if earlier is not None:
            if earlier.resolve() == path.resolve():
                continue  # the same dump named twice
            problems.append(Problem(path, f"another dump, {earlier}, has the same name: stories are identified by the dump's name"))
            continue
        seen[path.name] = path
        try:
            parsed.append((path, _read_stories(path)))
        except GazetteError as exc:
            problems.extend(exc.problems)
    if problems:
        raise GazetteError(problems)
    return parsed


# -- the article file -----------------------------------------------------------------------


def story_time(day: Date, position: int, zone: ZoneInfo, now: datetime | None = None) -> datetime:
    """Noon for the first story, a minute earlier for each next one (see the module docstring).

    Never later than `now` (less the same minutes): a dump imported this morning must not
    come out scheduled until noon."""
    when = datetime.combine(day, FIRST_STORY_TIME, tzinfo=zone)
    if now is not None:
        when = min(when, now.astimezone(zone).replace(second=0, microsecond=0))
    return when - timedelta(minutes=position - 1)


def _topic_name(slug: str, config: SiteConfig) -> str:
    """The topic's title when it leads back to the same slug ('AI' -> ai), else the slug."""
    topic = config.topic(slug)
    return topic.title if topic is not None and name_slug(topic.title) == slug else slug


def article_text(story: Story, *, source: str, when: datetime, config: SiteConfig, slug: str | None = None) -> str:
    """The whole article file for a story. Pure; the body shows every paragraph as written,
    but for a byline at its top, which becomes `author:` or `authors:` (see `byline`)."""
    authors, story = take_byline(story)
    caption = split_credit(story.caption) if story.caption else None
    classification = classify(
        story.headline,
        [*(b.text for b in story.blocks), *([story.caption] if story.caption else [])],
        config.topics,
        config.fallback_topic,
    )
    fields: list[tuple[str, object]] = [
        ("title", story.headline),
        ("date", when),
        *author_fields(authors),
        ("topics", [_topic_name(s, config) for s in classification.topics]),
    ]
    if classification.tags:
        fields.append(("tags", list(classification.tags)))
    fields.append(("summary", shorten(story.paragraphs[0], SUMMARY_LENGTH)))
    if slug is not None:
        fields.append(("slug", slug))
    if caption is not None and caption.caption:
        fields.append(("image_caption", caption.caption))
    if caption is not None and caption.credit:
        fields.append(("image_credit", caption.credit))
    fields.append(("source", source))
    body = "\n\n".join(
        markdown_heading(block.text) if block.kind is BlockKind.HEADING else escape_paragraph(block.text)
        for block in story.blocks
    )
    return front_matter_text(fields) + "\n" + body + "\n"


# -- what is there already ------------------------------------------------------------------


@dataclass(frozen=True)
class _Existing:
    path: Path
    raw: bytes
    date: datetime | None
    slug: str | None  # the file's own `slug:` field


@dataclass
class _ContentIndex:
    by_source: dict[str, _Existing] = field(default_factory=dict)
    taken_slugs: set[str] = field(default_factory=set)


def _index_content(content_dir: Path, config: SiteConfig) -> _ContentIndex:
    """Every article's `source:` and slug. Broken articles are still searched for `source:`,
    so that an editor's typo elsewhere in a file does not make the import duplicate it."""
    index = _ContentIndex()
    if not content_dir.is_dir():
        return index
    for path in map(Path, find_article_files(content_dir)):
        index.taken_slugs.add(path.stem)
        try:
            raw = read_article_file(path, config.max_article_bytes)
        except GazetteError:
            continue  # not an article the import could match; the build reports it
        except OSError as exc:
            raise GazetteError(Problem(path, f"cannot be read: {exc.strerror}")) from None
        text = raw.decode("utf-8", errors="replace").removeprefix("\ufeff")
        try:
            data = parse_front_matter(split_front_matter(text).front_matter)
        except FrontMatterError:
            found = _SOURCE_LINE.search(text)
            if found and found.group(1).strip():
                index.by_source.setdefault(found.group(1).strip(), _Existing(path, raw, None, None))
            continue
        slug = data["slug"].strip() if isinstance(data.get("slug"), str) and data["slug"].strip() else None
        index.taken_slugs.add(slug or title_slug(str(data.get("title") or "")))
        source = data.get("source")
        if isinstance(source, str) and source.strip():
            try:
                when = parse_date(data.get("date"), config.timezone)
            except (ValueError, TypeError):
                when = None
            index.by_source.setdefault(source.strip(), _Existing(path, raw, when, slug))
    return index


def _unique_slug(headline: str, fallback: str, taken: set[str]) -> str:
    base = title_slug(headline) or slugify(fallback)
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def default_import_date(dump: Path, zone: ZoneInfo) -> Date:
    """A date in the dump's name (tech-news-2026-01-12.txt), else the day it was last modified."""
    match = _DATE_IN_NAME.search(dump.name)
    if match:
        try:
            return Date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            pass
    return datetime.fromtimestamp(dump.stat().st_mtime, zone).date()


# -- planning and writing -------------------------------------------------------------------


class _ArticleCheck:
    """Every planned file must pass the build's own reader and Markdown renderer before any
    file is written: an import never leaves behind an article the build would refuse."""

    def __init__(self, config: SiteConfig):
        self.config = config
        self.renderer = MarkdownRenderer(config.trusted_html, config.markdown_time_limit)

    def __call__(self, path: Path, data: bytes, dump: Path, line: int) -> None:
        try:
            article, _ = read_article(path, data, self.config)
        except GazetteError as exc:
            details = "; ".join(p.message for p in exc.problems)
            raise GazetteError(Problem(dump, f"the article for this story would not be readable: {details}", line)) from None
        try:
            self.renderer.render(article.body or "")
        except MarkupError as exc:
            raise GazetteError(Problem(dump, f"the build would refuse the article for this story: {exc.message}", line)) from None


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a hidden temporary file in the same folder, then rename it over `path`:
    readers (and a live-reloading server) see the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else None
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # umask applies
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def import_dumps(
    dumps: list[Path],
    content_dir: Path,
    config: SiteConfig,
    *,
    date: Date | None = None,
    dry_run: bool = False,
    force: bool = False,
    now: datetime | None = None,
) -> list[DumpReport]:
    """Import every dump into `content_dir`; one report per dump, in order.

    Raises GazetteError (naming file and line) before writing anything if any dump is bad.
    """
    parsed = _read_all(dumps)
    content = _index_content(content_dir, config)
    check = _ArticleCheck(config)
    reports: list[DumpReport] = []
    writes: list[tuple[Path, bytes]] = []
    for dump, stories in parsed:
        report = DumpReport(dump=dump, stories=len(stories), dry_run=dry_run)
        reports.append(report)
        day = date or default_import_date(dump, config.timezone)
        for story in stories:
            source = f"{dump.name}#{story.position}"
            existing = content.by_source.get(source)
            if existing is not None:
                when = existing.date or story_time(day, story.position, config.timezone, now or datetime.now(config.timezone))
                text = article_text(story, source=source, when=when, config=config, slug=existing.slug)
                data = text.encode("utf-8")
                if existing.raw == data:
                    report.unchanged.append(existing.path)
                    continue
                if not force:
                    report.kept.append(existing.path)
                    continue
                report.overwritten.append(existing.path)
                path = existing.path
            else:
                when = story_time(day, story.position, config.timezone, now or datetime.now(config.timezone))
                slug = _unique_slug(story.headline, f"{dump.stem}-{story.position}", content.taken_slugs)
                path = content_dir / f"{when:%Y}" / f"{slug}.md"
                text = article_text(
                    story, source=source, when=when, config=config, slug=None if slug == title_slug(story.headline) else slug
                )
                data = text.encode("utf-8")
                report.created.append(path)
            check(path, data, dump, story.line)
            writes.append((path, data))

    if not dry_run:
        for path, data in writes:
            try:
                write_atomically(path, data)
            except OSError as exc:
                raise GazetteError(Problem(path, f"cannot be written: {exc.strerror or exc}")) from None
    return reports
