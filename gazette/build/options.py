"""What a build is asked to do (`BuildOptions`: which project, and how) and what it reports
(`BuildReport`): the build's surface, for the command line, the preview server and the tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from gazette.build.parallel import default_jobs
from gazette.build.size import SiteSize
from gazette.errors import Problem
from gazette.model.article import Article
from gazette.project import Project


@dataclass(frozen=True)
class BuildOptions:
    """A build of one project: where (the `Project`) and how."""

    project: Project = field(default_factory=Project.at)
    base_url: str | None = None  # overrides site.toml's
    drafts: bool = False
    now: datetime | None = None  # articles dated later are scheduled; tests pin it
    jobs: int | None = None  # worker processes; default: every core
    use_cache: bool = True
    progress: bool = False  # draw a progress bar on stderr (when it is a terminal)

    @property
    def cache_file(self) -> Path | None:
        return self.project.cache_file if self.use_cache else None

    @property
    def worker_count(self) -> int:
        return self.jobs or default_jobs()


@dataclass
class BuildReport:
    articles: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    rendered: int = 0
    seconds: float = 0.0
    warnings: list[Problem] = field(default_factory=list)
    scheduled: list[Article] = field(default_factory=list)
    changed: tuple[str, ...] = ()  # the output files written or removed, sorted
    moved: tuple[tuple[str, str], ...] = ()  # (old, new) routes of articles that moved in this build
    size: SiteSize | None = None  # of the output, as published
    stages: tuple[tuple[str, float], ...] = ()  # (stage, wall seconds), see StageClock

    @property
    def pages(self) -> int:
        return self.written + self.unchanged

    def summary(self) -> str:
        size = f"; the site is {self.size.summary()}" if self.size else ""
        return (
            f"built {self.articles} articles: {self.written} files written, {self.unchanged} unchanged, "
            f"{self.removed} removed in {self.seconds:.2f} s{size}"
        )

    def moved_lines(self) -> list[str]:
        return [f"moved: /{old} -> /{new}, a redirect was added" for old, new in self.moved]

    def scheduled_lines(self) -> list[str]:
        return [
            f"{article.source_path}: scheduled for {article.date:%Y-%m-%d %H:%M %Z}, left out until then"
            for article in sorted(self.scheduled, key=lambda a: a.date)
        ]
