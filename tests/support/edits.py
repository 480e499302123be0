"""A series of edits of every kind an editor makes to a small site (see `story_site`): the
incremental build and `serve` must each end with exactly what a cold build makes."""

from __future__ import annotations

import dataclasses
import difflib
from datetime import datetime
from pathlib import Path

from support.images import photo
from support.search_index import comparable_site
from support.site import SiteDir, article

from gazette.build.pipeline import BuildOptions, BuildReport, build
from gazette.model.published import RECORD_FILE
from gazette.project import Project


def built_as_cold(site: SiteDir, tmp_path: Path, now: datetime) -> BuildReport:
    """Build `site` as an editor does (with its cache), then without a cache elsewhere, and
    check that the two outputs and their warnings are the same and that the record of published
    URLs is as the build without a cache leaves it; returns the report of the first build."""
    options = BuildOptions(Project.at(site.root), now=now)
    report = build(options)
    record = site.root / RECORD_FILE
    kept = record.read_bytes() if record.exists() else None
    cold = tmp_path / f"cold-{id(report)}"
    cold_report = build(dataclasses.replace(options, project=dataclasses.replace(options.project, output=cold), use_cache=False))
    assert comparable_site(site.public) == comparable_site(cold)
    warned, cold_warned = _of_the_site(report), _of_the_site(cold_report)
    assert warned == cold_warned, "\n".join(difflib.unified_diff(cold_warned, warned, lineterm=""))
    assert (record.read_bytes() if record.exists() else None) == kept
    return report


def _of_the_site(report: BuildReport) -> list[str]:
    """The report's warnings, in order, but those of the cache (damaged, say), which a build
    without one cannot give."""
    return [str(warning) for warning in report.warnings if ".cache" not in Path(warning.path).parts]


def planned_again(report: BuildReport) -> bool:
    """Whether the build planned the whole site, rather than editing the last plan in place."""
    return "plan pages" in dict(report.stages)


def story_site(root: Path) -> SiteDir:
    """30 stories over six months, in three topic sets and four tags, four to a page."""
    site = SiteDir(root, page_size=4)
    for i in range(30):
        story(site, i)
    return site


def story(site: SiteDir, i: int, **changes: str) -> None:
    """Write story `i` of `story_site` as it first was, but for `changes` to its fields."""
    fields = {"title": f"Story {i}", "date": f"2021-{1 + i % 6:02d}-{1 + i:02d}",
              "topics": ["[AI]", "[Energy, AI]", "[Robotics]"][i % 3], "tags": f"[tag{i % 4}]",
              "body": f"Body of story {i}.\n\n## Part\n\nMore."} | changes
    site.add(f"2021/story-{i}.md", article(**fields))


# Edits that leave every story where it stood, built from the last plan (gazette.build.in_place)
# but for the first, which keeps the plan: first in the series, while the stories are as
# `story_site` made them.
IN_PLACE = {
    "fix a body": lambda s: story(s, 6, body="Body of story 6, fixed.\n\n## Part\n\nMore."),
    "a body past its summary (its neighbours' pages stay as they are)": lambda s: story(
        s, 6, body="Body of story 6, fixed.\n\n## Part\n\nMore, and a closing line."),
    "a headline (shown on lists, neighbours and related stories)": lambda s: story(s, 2, title="Story Two, Renamed"),
    "a summary": lambda s: story(s, 1, summary="A summary of its own."),
    "the same story again": lambda s: story(s, 6, title="Story Six", body="Third text."),
    "two stories at once": lambda s: (story(s, 0, body="Zero, again."), story(s, 3, title="Story Three")),
}

EDITS = {
    **IN_PLACE,
    "edit a body": lambda s: s.add("2021/story-5.md", article("Story 5", "2021-06-06", "[Energy, AI]", tags="[tag1]", body="New words.")),
    "new headline (same URL)": lambda s: s.add("2021/story-7.md", article("Story Seven Renamed", "2021-02-08", "[Robotics]", tags="[tag3]")),
    "rename the file (new URL)": lambda s: (s.root / "content/2021/story-7.md").rename(s.root / "content/2021/story-seven.md"),
    "retitle the moved story (its old address too)": lambda s: s.add(
        "2021/story-seven.md", article("Story Seven, Again", "2021-02-08", "[Robotics]", tags="[tag3]")),
    "rewrite the moved story (its old address knows it by its body)": lambda s: s.add(
        "2021/story-seven.md", article("Story Seven, Again", "2021-02-08", "[Robotics]", tags="[tag3]", body="New.")),
    "retitle the moved story again": lambda s: s.add(
        "2021/story-seven.md", article("Story Seven, Third", "2021-02-08", "[Robotics]", tags="[tag3]", body="New.")),
    "move in time": lambda s: s.add("2021/story-8.md", article("Story 8", "2020-01-01", "[Robotics]", tags="[tag0]")),
    "change topics": lambda s: s.add("2021/story-9.md", article("Story 9", "2021-04-10", "[Space]", tags="[tag1]")),
    "add": lambda s: s.add("2022/new.md", article("Brand New", "2022-01-01", "[AI]", tags="[tag0]")),
    "delete": lambda s: (s.root / "content/2021/story-3.md").unlink(),
    "draft": lambda s: s.add("2021/story-4.md", article("Story 4", "2021-05-05", "[AI]", draft="true")),
    "template": lambda s: (s.root / "templates/article.html").write_text(
        (s.root / "templates/article.html").read_text().replace("min read", "minutes to read")),
    "static": lambda s: (s.root / "static/css/site.css").write_text("body { color: red; }\n"),
    "the style sheet again": lambda s: (s.root / "static/css/site.css").write_text("body { color: blue; }\n"),
    "new static file": lambda s: (s.root / "static/robots-extra.txt").write_text("hi\n"),
    "config": lambda s: s.write_config(page_size=3),
    "new tag": lambda s: s.add("2021/story-10.md", article("Story 10", "2021-05-11", "[Energy, AI]", tags="[tag2, Quokka]")),
    "add a byline": lambda s: s.add("2021/story-11.md", article("Story 11", "2021-06-12", "[Robotics]", tags="[tag3]",
                                                                 author="Jane Doe")),
    "rename the author": lambda s: s.add("2021/story-11.md", article("Story 11", "2021-06-12", "[Robotics]", tags="[tag3]",
                                                                      author="Jane Roe")),
    "new correction": lambda s: s.add("2021/story-12.md", article(
        "Story 12", "2021-01-13", "[AI]", tags="[tag0]", corrections="[{date: 2021-02-01, text: Fixed a name.}]")),
    "add a page": lambda s: s.add("pages/about.md", "---\ntitle: About\n---\nAbout [us](/corrections/).\n"),
    "edit a page": lambda s: s.add("pages/about.md", "---\ntitle: About Us\n---\nWho we are.\n"),
    "fix a page's text": lambda s: s.add("pages/about.md", "---\ntitle: About Us\n---\nWho we are, and why.\n"),
    "delete a page": lambda s: (s.root / "content/pages/about.md").unlink(),
    "menu": lambda s: (s.root / "site.toml").write_text((s.root / "site.toml").read_text().replace(
        "[[topics]]", '[[menu]]\ntitle = "Home"\nurl = "/"\n\n[[topics]]', 1)),
    "add a lead photo": lambda s: (photo(s.root / "static/images/plant.jpg", 1000, 700), s.add("2021/story-13.md", article(
        "Story 13", "2021-02-14", "[AI]", tags="[tag1]", image="images/plant.jpg", image_alt="A plant"))),
    "show it in another body": lambda s: s.add("2021/story-14.md", article(
        "Story 14", "2021-03-15", "[AI]", tags="[tag2]", body="Intro.\n\n![The plant](/images/plant.jpg)")),
    "replace the photo": lambda s: photo(s.root / "static/images/plant.jpg", 900, 700, seed=5),
    "drop the lead photo": lambda s: s.add("2021/story-13.md", article("Story 13", "2021-02-14", "[AI]", tags="[tag1]")),
}
# The edits of the series built in place: those that leave every article where it stood, when
# the build before kept its plan (a build that planned the site after an edit of articles only,
# or after an add, a delete or a rename of an article while a plan was kept).
BUILT_IN_PLACE = {*IN_PLACE, "retitle the moved story (its old address too)",
                  "rewrite the moved story (its old address knows it by its body)",
                  "retitle the moved story again",
                  "delete",  # a story of the plan deleted: see gazette.build.shifted
                  "draft",  # a story of the plan taken back as a draft: as deleted
                  "fix a page's text",  # after "edit a page", which planned the site for a plain page alone
                  "the style sheet again",  # after "static", which planned the site for static/ alone
                  "new static file",
                  } - {"fix a body"}
