"""Which file an editor has to change for each broken link: the article's Markdown file and
line for links written in an article, the template for links a template makes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from gazette.build.links import find_link_line
from gazette.build.options import BuildOptions
from gazette.build.outputs import OutputFile
from gazette.build.pages import Page
from gazette.build.render import rebase_link
from gazette.check.links import BrokenLink, SiteAddress
from gazette.errors import GazetteError, Problem
from gazette.model.content import read_article_file
from gazette.model.frontmatter import FrontMatterError, field_line, split_front_matter
from gazette.model.site import Entry, PlainPageEntry
from gazette.model.urls import output_file, route_of


@dataclass(frozen=True)
class Origin:
    """What an output file was made from: where to fix what it says."""

    path: Path  # the article, template, static file, or (for an unknown file) the output file
    template: Path | None = None  # the template a planned page was rendered with
    entry: Entry | PlainPageEntry | None = None  # for an article or plain page: links in its body are its file's own


@dataclass
class Attributor:
    """Turns broken links into problems located in articles and templates."""

    options: BuildOptions
    outputs: Mapping[str, OutputFile]  # what the build writes, by output file
    pages: Mapping[str, Page]  # the planned pages among them, for their templates and articles
    site: SiteAddress
    _source_texts: dict[Path, str] = field(default_factory=dict)
    _body_links: dict[str, dict[str, int | None]] = field(default_factory=dict)  # by body key

    def origin_of(self, document: str) -> Origin:
        """The file an editor changes to change `document`: the first of its sources (its
        article, else its template; a static file), from the build's own list of outputs."""
        output = self.outputs.get(document)
        if output is None or not output.sources:
            # Not the build's to make (left by an older build), or made of nothing an editor writes.
            return Origin(self.options.project.output / document)
        page = self.pages.get(document)
        if page is None:
            return Origin(output.sources[0])
        written = page.context.get("entry") or page.context.get("plain")
        return Origin(output.sources[0], self.options.project.template_layers.find(page.template), written)

    def source_text(self, path: Path) -> str:
        if path not in self._source_texts:
            try:
                self._source_texts[path] = read_article_file(path).decode("utf-8-sig", errors="replace")
            except (OSError, GazetteError):
                self._source_texts[path] = ""
        return self._source_texts[path]

    def problems(self, broken: Iterable[BrokenLink], missing_files: Iterable[str] = ()) -> list[Problem]:
        """One problem per article link, per (template, link), and per page missing from the
        output (`missing_files`: planned pages that were not built)."""
        problems: set[Problem] = set()
        by_template: dict[tuple[Path, str], list[str]] = defaultdict(list)
        by_missing_file: dict[str, list[str]] = {file: [] for file in missing_files}
        for link in broken:
            missing_file = self.planned_or_static_file(link.missing_route)
            if missing_file is not None:
                # The content has this page, the output lacks it: the output is stale or
                # damaged, and that is one problem, not one per link to the page.
                by_missing_file.setdefault(missing_file, []).append(link.document)
                continue
            origin = self.origin_of(link.document)
            written_in_article = self.article_problem(origin.path, origin.entry, link) if origin.entry else None
            if written_in_article is not None:
                problems.add(written_in_article)
            elif origin.template is not None:
                # A template's link is broken on every page it makes: report it once.
                by_template[(origin.template, link.message)].append(link.document)
            else:
                problems.add(Problem(origin.path, link.message))
        for (template, message), documents in by_template.items():
            problems.add(Problem(template, f"{message} ({self.where(documents)})"))
        for file, documents in by_missing_file.items():
            problems.add(self.missing_file_problem(file, documents))
        return list(problems)  # check_site sorts them with the rest

    def body_links(self, entry: Entry | PlainPageEntry) -> dict[str, int | None]:
        """The links an article's body puts on its page (root-relative ones moved under the
        base path), each with its line in the body, as recorded when the body rendered."""
        key = entry.body.key
        if key not in self._body_links:
            links: dict[str, int | None] = {}
            for url, line in entry.body.links:
                # As written, and as the page writes it when it moves it under the base path.
                links.setdefault(rebase_link(url, self.site.base_path), line)
                links.setdefault(url, line)
            self._body_links[key] = links
        return self._body_links[key]

    def article_problem(self, path: Path, entry: Entry | PlainPageEntry, link: BrokenLink) -> Problem | None:
        """The problem in the article's (or plain page's) own file, if it wrote this link; None
        if the page's template did."""
        article = entry.document
        if getattr(article, "image", None) and link.missing_route == article.image:
            # The template shows the front matter's image: the fault is in that field.
            yaml_text = front_matter_of(self.source_text(path))
            line = field_line(yaml_text, "image") if yaml_text is not None else None
            return Problem(path, f"'image': {article.image} is not in {self.options.project.static}/", line)
        # The page shows the body with root-relative links moved under the base path.
        body_links = self.body_links(entry)
        if link.written not in body_links:
            return None
        if body_links[link.written] is not None:
            return Problem(path, link.message, article.body_line + body_links[link.written] - 1)
        as_written = link.written
        if as_written.startswith(self.site.base_path) and self.site.base_path != "/":
            as_written = "/" + as_written[len(self.site.base_path):]
        # The line is a best effort: Markdown may spell the URL differently (escapes, entities).
        line = find_link_line(self.source_text(path), as_written, article.body_line)
        if line is None and as_written != link.written:
            line = find_link_line(self.source_text(path), link.written, article.body_line)
        return Problem(path, link.message, line)

    def planned_or_static_file(self, route: str | None) -> str | None:
        """The output file a missing route should have been built as, if the content has it."""
        if route is None:
            return None
        file = output_file(route)
        return next((name for name in (file, route) if name in self.outputs), None)

    def missing_file_problem(self, file: str, documents: list[str]) -> Problem:
        source = self.origin_of(file).path
        linked = f", {self.where(documents, 'linked from')}" if documents else ""
        return Problem(source, f"{self.options.project.output / file} is missing (the build is out of date or incomplete{linked}); "
                               "run `build`")

    def where(self, documents: list[str], verb: str = "on") -> str:
        unique = sorted(set(documents))
        example = self.site.path_of(route_of(unique[0]))
        count = len(unique)
        return f"{verb} {count} page{'s' if count != 1 else ''}, e.g. {example}"


def front_matter_of(text: str) -> str | None:
    try:
        return split_front_matter(text).front_matter
    except FrontMatterError:
        return None
