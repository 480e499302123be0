"""The site's published size: measured by kind of file on every build, a warning from 80% of
the host's limits, and `check` failing past them with what takes the most room."""

import subprocess
import sys

import pytest
from support import REPO
from support.edits import planned_again
from support.site import SiteDir, article

from gazette.build import publish
from gazette.build.outputs import OutputKind
from gazette.build.pipeline import BuildOptions, build, gather
from gazette.build.publish import site_outputs
from gazette.build.session import BuildSession
from gazette.build.size import SiteSize, human, limit_problems, measure_site
from gazette.project import Project


def run(site, *args):
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=site.root,
                          capture_output=True, text=True, timeout=120)


def test_files_are_summed_by_the_kind_the_plan_gives_them(tmp_path):
    (tmp_path / "2021" / "a").mkdir(parents=True)
    (tmp_path / "2021" / "a" / "index.html").write_bytes(b"x" * 300)
    (tmp_path / "index.html").write_bytes(b"x" * 100)
    (tmp_path / "pagefind").mkdir()
    (tmp_path / "pagefind" / "chunk.pf").write_bytes(b"x" * 1000)
    size = measure_site(tmp_path, {"2021/a/index.html": OutputKind.ARTICLE, "index.html": OutputKind.LISTING})
    assert (size.total, size.files) == (1400, 3)
    assert size.by_kind == (("search index", 1000, 1), ("articles", 300, 1), ("listings", 100, 1))
    assert size.largest[0] == ("pagefind/chunk.pf", 1000)
    assert human(1400) == "1.4 KB" and human(2_500_000_000) == "2.5 GB" and human(12) == "12 B"


def test_a_warning_from_80_percent_and_an_error_past_the_limit_only_for_check(tmp_path):
    def size(total, largest=10):
        return SiteSize(total, 2, (("articles", total - largest, 1), ("static", largest, 1)), (("big.bin", largest),))

    assert limit_problems(size(790), 1000, 500, tmp_path) == []
    [warning] = limit_problems(size(800), 1000, 500, tmp_path)
    assert warning.message.startswith("warning: the site is 800 B, 80% of the 1.0 KB a site may publish")
    assert "the most: articles 790 B, static 10 B" in warning.message
    [error] = limit_problems(size(1001), 1000, 500, tmp_path, fail_past=True)
    assert error.message.startswith("the site is 1.0 KB, over the 1.0 KB a site may publish (max_site_bytes)")
    problems = limit_problems(size(900, largest=600), 1000, 500, tmp_path, fail_past=True)
    assert [p.message.split(",")[0] for p in problems] == ["warning: the site is 900 B", "big.bin is 600 B"]


def test_build_reports_the_size_and_check_fails_past_the_limit(tmp_path):
    site = SiteDir(tmp_path / "site")
    site.add("2021/a.md", article("A", body="Words " * 200))
    result = run(site, "build", "--size-report")
    assert result.returncode == 0, result.stderr
    summary, *table = result.stdout.strip().splitlines()[-12:]
    assert "; the site is " in summary and " files" in summary
    assert any(line.split()[0] == "articles" for line in table) and any(line.strip().startswith("search index") for line in table)
    assert run(site, "check").returncode == 0
    (site.root / "site.toml").write_text("max_site_bytes = 100000\n" + (site.root / "site.toml").read_text())
    result = run(site, "build")
    assert result.returncode == 0 and "warning: the site is " in result.stderr and "over the 100.0 KB" in result.stderr
    result = run(site, "check")
    assert result.returncode == 1 and "over the 100.0 KB a site may publish (max_site_bytes); the most: search index" in result.stderr


def test_each_build_measures_what_a_walk_of_the_whole_output_finds(tmp_path):
    """A build stats only the files it changed and the search indexes whose entry changed;
    after each kind of edit its figures are those of a full walk."""
    site = SiteDir(tmp_path / "site")
    for n in range(6):
        site.add(f"2021/story-{n}.md", article(f"Story {n}", f"2021-0{1 + n}-02", body="Words " * (50 + n)))

    def edits():
        yield lambda: None
        yield lambda: site.add("2021/story-2.md", article("Story 2", "2021-03-02", body="Many more words " * 400))
        yield lambda: site.add("2020/old.md", article("An Old One", "2020-05-01", body="Old words " * 900))
        yield lambda: (site.root / "content/2021/story-4.md").unlink()
        yield lambda: (site.root / "static/css").joinpath("extra.css").write_text("p{}" * 5000)

    for edit in edits():
        edit()
        report = build(BuildOptions(Project.at(site.root)))
        assert report.size == measure_site(site.public, kinds_of(site))


def kinds_of(site):
    options = BuildOptions(Project.at(site.root))
    with BuildSession(options.cache_file) as session:
        plan = gather(options, session)
        return {file.name: file.kind for file in site_outputs(options, plan, None).files}


@pytest.mark.parametrize("top_rows, walked_after", [(64, set()), (5, {"shrink it"})],
                         ids=["the largest 64 kept", "5 kept: one that shrinks needs a walk"])
def test_an_edit_in_place_measures_only_what_it_changed(tmp_path, monkeypatch, top_rows, walked_after):
    """After an edit in place the figures come from the last build's and the files it changed
    (and the search index folders whose entry changed); they are a full walk's all the same."""
    monkeypatch.setattr("gazette.build.size.TOP_ROWS", top_rows)
    site = SiteDir(tmp_path / "site")
    for n in range(6):
        site.add(f"2021/story-{n}.md", article(f"Story {n}", f"2021-0{1 + n}-02", body="Words " * (50 + n)))
    walks = []
    measure = publish.measure_built_site
    monkeypatch.setattr(publish, "measure_built_site", lambda *args, **kwargs: walks.append(1) or measure(*args, **kwargs))
    build(BuildOptions(Project.at(site.root)))
    site.add("2021/story-2.md", article("Story 2", "2021-03-02", body="Other words " * 60))  # plans, keeps the plan
    build(BuildOptions(Project.at(site.root)))
    edits = {
        "a body": lambda: site.add("2021/story-2.md", article("Story 2", "2021-03-02", body="Words again " * 60)),
        "the largest file": lambda: site.add("2021/story-2.md", article("Story 2", "2021-03-02", body="Many words " * 9000)),
        "shrink it": lambda: site.add("2021/story-2.md", article("Story 2", "2021-03-02", body="Few words " * 60)),
        "a headline": lambda: site.add("2021/story-2.md", article("Story Two", "2021-03-02", body="Few words " * 60)),
    }
    walked = set()
    for name, edit in edits.items():
        walks.clear()
        edit()
        report = build(BuildOptions(Project.at(site.root)))
        assert not planned_again(report), name
        assert report.size == measure_site(site.public, kinds_of(site)), name
        if walks:
            walked.add(name)
    assert walked == walked_after

