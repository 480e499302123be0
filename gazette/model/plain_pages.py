"""Plain pages: `content/pages/<name>.md` (About, a corrections policy, contact), published at
`/<name>/`. A title, an optional summary and a Markdown body; no date, topics or feeds.
Pure reading and validation, as for articles (see `gazette.model.article`)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from gazette.errors import GazetteError, Problem, quoted
from gazette.model.config import SiteConfig
from gazette.model.fields import FrontMatterReader, body_problem, open_document
from gazette.model.reading import read_input_file
from gazette.model.content import PAGES_FOLDER
from gazette.model.urls import plain_page_route, title_slug


@dataclass(frozen=True)
class PlainPage:
    source_path: Path
    name: str  # from the file's name, slugified: about.md -> "about"
    title: str
    body: str | None  # Markdown; None once rendered
    body_line: int
    summary: str | None = None
    toc: bool | None = None  # as an article's: True, False, or None for "when it has enough headings"
    digest: str = ""  # hash of the file's bytes and path, as an article's

    @property
    def route(self) -> str:
        return plain_page_route(self.name)


FieldReader = Callable[[FrontMatterReader, str], object]
PAGE_FIELDS: dict[str, FieldReader] = {
    "title": lambda reader, name: reader.text(name, required=True),
    "summary": lambda reader, name: reader.text(name),
    "toc": lambda reader, name: reader.flag(name) if name in reader.data else None,
}


def find_plain_page_files(content_dir: Path) -> tuple[list[str], list[Problem]]:
    """The page files, sorted, and a warning for each Markdown file in a sub-folder of
    content/pages/, which is neither a page nor an article."""
    folder = content_dir / PAGES_FOLDER
    if not folder.is_dir():
        return [], []
    found: list[str] = []
    stray: list[Problem] = []
    for parent, subfolders, names in os.walk(folder):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith((".", "_")))
        for name in sorted(names):
            if not name.endswith(".md") or name.startswith((".", "_")):
                continue
            path = os.path.join(parent, name)
            if Path(parent) == folder:
                found.append(path)
            else:
                stray.append(Problem(Path(path), f"warning: not read; a page is {folder}/<name>.md, without sub-folders"))
    return sorted(found), stray


def read_plain_page(path: Path, raw: bytes, config: SiteConfig) -> tuple[PlainPage, list[Problem]]:
    """One page from its bytes; raises GazetteError listing every problem in it."""
    document, data = open_document(path, raw, config)
    reader = FrontMatterReader(path, document.front_matter, data, config)
    reader.unknown_fields(PAGE_FIELDS)
    values = {name: read(reader, name) for name, read in PAGE_FIELDS.items()}
    name = title_slug(path.stem)
    if not name:
        reader.problems.append(Problem(path, f"the file name {quoted(path.name)} has no letters or digits to make a URL from"))
    bad_body = body_problem(path, document)
    if bad_body:
        reader.problems.append(bad_body)
    if reader.problems or values["title"] is None:
        raise GazetteError(reader.problems)
    page = PlainPage(path, name, body=document.body, body_line=document.body_line, **values)
    digest = hashlib.sha1(b"page\0" + str(path).encode("utf-8", "surrogateescape") + b"\0" + raw).hexdigest()
    return replace(page, digest=digest), reader.warnings


def read_plain_pages(files: list[str], config: SiteConfig) -> tuple[list[PlainPage], list[Problem], list[Problem]]:
    """Every page of `files`: (pages, warnings, problems of the pages that did not read)."""
    pages: list[PlainPage] = []
    warnings: list[Problem] = []
    problems: list[Problem] = []
    for name in files:
        path = Path(name)
        try:
            page, page_warnings = read_plain_page(path, read_input_file(path, 1 << 28, "Markdown page"), config)
        except GazetteError as exc:
            problems.extend(exc.problems)
            continue
        except OSError as exc:
            problems.append(Problem(path, f"cannot be read: {exc.strerror}"))
            continue
        pages.append(page)
        warnings.extend(page_warnings)
    return pages, warnings, problems
