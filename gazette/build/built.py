"""What a complete build leaves in memory for the preview's fast render (see
gazette.preview.fast): a build that planned the whole site leaves its plan (`BuiltSite`); a
build in place that made the day's news leaves the news' own pages (`BuiltNews`), which that
plan lacks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from gazette.build.pages import ARTICLE_TEMPLATE, Page
from gazette.build.render import PageRenderer
from gazette.model.site import Entry, RelatedStories, StoredBody

if TYPE_CHECKING:  # the pipeline makes these
    from gazette.build.pipeline import BuildOptions, SitePlan


def _entry_at(entries: Mapping[str, Entry], content: Path, path: Path) -> Entry | None:
    """Of `entries` (by source file, as a plan names it: under `content`), that of the article
    file at `path` (absolute, as a watcher reports it), if any."""
    try:
        return entries.get(str(content / path.relative_to(content.resolve())))
    except ValueError:
        return None


@dataclass(frozen=True)
class BuiltSite:
    """A build that planned the whole site: its options, its plan and its page renderer."""

    options: BuildOptions
    plan: SitePlan
    renderer: PageRenderer
    entries: dict[str, Entry]  # by source file, as the plan names it
    pages: dict[str, Page]  # by output file

    @classmethod
    def of(cls, options: BuildOptions, plan: SitePlan, renderer: PageRenderer) -> BuiltSite:
        """Indexed once, as the build ends, so that a fast render costs what its pages cost."""
        return cls(options, plan, renderer, {str(entry.article.source_path): entry for entry in plan.site.entries},
                   {page.output_file: page for page in plan.pages})

    def entry_of(self, path: Path) -> Entry | None:
        """The entry of the article file at `path` (absolute, as a watcher reports it), if any."""
        return _entry_at(self.entries, self.options.project.content, path)

    def page_of(self, name: str) -> Page | None:
        """The page written to output file `name`, if any."""
        return self.pages.get(name)

    def close_bodies(self) -> None:
        """Close the connection the bodies' store opened, if reading a body did."""
        for entry in self.plan.site.entries[:1]:
            if isinstance(entry.body, StoredBody):
                entry.body.store.close()


@dataclass(frozen=True)
class BuiltNews:
    """The articles a build in place added since the kept plan (the day's news, see
    gazette.build.newest): their entries and their own pages, as that build made them. Each
    page is whole: its related stories are ranked from what was read of the kept plan
    (`RelatedStories.settled`), so that it renders after the plan is closed, or replaced by a
    later build. The editor writing the story saves it again and again: its page is rendered
    from here at once, while the lists it is on wait for the complete build."""

    content: Path  # the project's content folder
    entries: dict[str, Entry]  # by source file, as the plan names it
    pages: dict[str, Page]  # by output file

    @classmethod
    def of(cls, options: BuildOptions, pages: Iterable[Page]) -> BuiltNews:
        """From the news' own pages, while the build that made them still reads the kept plan."""
        whole = [replace(page, context={**page.context, "related": page.context["related"].settled()})
                 for page in pages if page.template == ARTICLE_TEMPLATE
                 and isinstance(page.context.get("related"), RelatedStories)]
        return cls(options.project.content, {str(page.context["entry"].article.source_path): page.context["entry"]
                                             for page in whole}, {page.output_file: page for page in whole})

    def entry_of(self, path: Path) -> Entry | None:
        """The entry of the article file at `path` (absolute, as a watcher reports it), if it is news."""
        return _entry_at(self.entries, self.content, path)
