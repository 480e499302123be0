"""Small projects for the tests of faults (a full disk, a damaged cache, builds at once), and
what those tests compare: a cold build of the same sources, and the one-line report of a fault."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from support.faults import run_gazette
from support.search_index import comparable_site
from support.site import SiteDir, article

CAUSES = {"ENOSPC": "No space left on device", "EIO": "Input/output error", "EACCES": "Permission denied"}


def small_site(root: Path, articles: int = 8) -> SiteDir:
    site = SiteDir(root)
    for i in range(articles):
        year = 2020 + i % 2
        site.add(f"{year}/story-{i}.md", article(f"Story {i}", f"{year}-{1 + i % 6:02d}-{10 + i % 18}", ["[AI]", "[Energy, AI]"][i % 2],
                                                 tags=f"[t{i % 3}]", body=f"Body {i}.\n\nMore words about story {i}."))
    site.add("pages/about.md", "---\ntitle: About\n---\nAbout us.\n")
    return site


def edit(site: SiteDir, round_number: int) -> None:
    """One editor's session: a new article (a new URL to record), an edited one, and the
    About page changed every other time (its own search index)."""
    site.add(f"2021/new-{round_number}.md", article(f"New {round_number}", f"2021-07-{1 + round_number % 28:02d}", "[AI]",
                                                    tags="[t1]", body=f"Fresh story {round_number}."))
    site.add("2020/story-0.md", article("Story 0", "2020-01-10", "[Energy, AI]", tags="[t0]", body=f"Edited {round_number} times."))
    if round_number % 2:
        site.add("pages/about.md", f"---\ntitle: About\n---\nAbout us, take {round_number}.\n")


def cold_build(site: SiteDir, where: Path) -> tuple[dict[str, bytes], str]:
    """What a cold build of the project as it is now gives: the site, and the record of
    published URLs. Made in a copy, so that the project itself is left alone."""
    shutil.rmtree(where, ignore_errors=True)
    shutil.copytree(site.root, where, ignore=shutil.ignore_patterns("public", ".public.*", ".cache"))
    result = run_gazette(where, "build", "--no-cache")
    assert result.returncode == 0, result.stderr
    return comparable_site(where / "public"), (where / "published-urls.txt").read_text()


def assert_reported(result, cause: str, root: Path) -> None:
    """Exit status 1 and one line, `path: ...cause...`, the path inside the project."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if cause in line]
    assert len(lines) == 1, result.stderr
    path = re.match(r"(.+?): ", lines[0]).group(1)
    assert (root / path).resolve().is_relative_to(root.resolve()), lines[0]
