"""`gazette init`: a new archive in an empty folder that builds and checks with the bundled
theme, never overwriting; and a site's own templates/ and static/ over the theme, file by file."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml
from support import REPO

from gazette.build.pipeline import BuildOptions, build
from gazette.check.run import check_site
from gazette.cli import main
from gazette.errors import GazetteError
from gazette.project import Project
from gazette.starter import WORKFLOW_EDITS, NewSite, adapt_workflow, init_site
from gazette.theme import theme_folder

NOW = datetime(2026, 6, 1, 9, 30, tzinfo=timezone.utc)
LATER = datetime(2026, 6, 2, tzinfo=timezone.utc)
EXPECTED = [".github/workflows/check.yml", ".github/workflows/pages.yml", ".gitignore", "README.md",
            "content/pages/about.md", "content/welcome.md", "site.toml"]


def new_archive(folder: Path, **options) -> Project:
    init_site(folder, NewSite(**options), now=NOW)
    return Project.at(folder)


def test_init_writes_an_archive_that_builds_and_checks_with_the_bundled_theme(tmp_path):
    project = new_archive(tmp_path / "news", title='Hello "News" & Co', base_url="https://example.org/hello",
                          timezone="Europe/Zurich")
    files = sorted(p.relative_to(project.root).as_posix() for p in project.root.rglob("*") if p.is_file())
    assert files == EXPECTED
    assert not project.templates.exists() and not project.static.exists()  # the theme is the package's
    config = project.config()
    assert (config.title, config.base_url, str(config.timezone)) == ('Hello "News" & Co', "https://example.org/hello/",
                                                                     "Europe/Zurich")
    assert config.warnings == ()
    options = BuildOptions(project, now=LATER)
    report = build(options)
    assert report.articles == 1 and report.warnings == []
    assert check_site(options) == []
    home = (project.output / "index.html").read_text(encoding="utf-8")
    assert "Welcome to the archive" in home and "Hello &#34;News&#34; &amp; Co" in home
    assert (project.output / "about" / "index.html").is_file() and (project.output / "css" / "site.css").is_file()
    assert "2026-06-01T11:30:00+02:00" in (project.root / "content" / "welcome.md").read_text()


def test_init_never_overwrites_and_says_what_it_would_have_written(tmp_path, capsys):
    folder = tmp_path / "busy"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    assert main(["init", str(folder)]) == 1
    err = capsys.readouterr().err
    assert f"{folder}: is not empty, and gazette init never overwrites a file; it would have written " in err
    assert all(name in err for name in EXPECTED)
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"] and (folder / "notes.txt").read_text() == "mine"
    (tmp_path / "file").write_text("x")
    with pytest.raises(GazetteError, match="is a file"):
        init_site(tmp_path / "file", NewSite())


@pytest.mark.parametrize("argv, message", [
    (["--base-url", "example.org"], "--base-url: 'example.org' is not a web address"),
    (["--timezone", "Mars/Olympus"], "--timezone: unknown timezone 'Mars/Olympus'"),
    (["--title", "A\nB"], "--title: may not hold control characters"),
])
def test_bad_options_are_errors_and_write_nothing(tmp_path, capsys, argv, message):
    assert main(["init", str(tmp_path / "new"), *argv]) == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "new").exists()


def test_the_workflows_are_valid_and_run_the_installed_gazette(tmp_path):
    project = new_archive(tmp_path / "news")
    workflows = project.root / ".github" / "workflows"
    checker = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run([str(checker), "--builtin-schema", "vendor.github-workflows", *map(str, workflows.glob("*.yml"))],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    deploy = yaml.safe_load((workflows / "pages.yml").read_text())
    runs = "\n".join(step.get("run", "") for step in deploy["jobs"]["build"]["steps"])
    assert "pip install 'gazette-ssg==" in runs and "gazette build --base-url" in runs and "gazette check" in runs
    assert "build.py" not in runs and "pip install .\n" not in runs


def test_a_change_to_the_repositorys_workflow_that_init_cannot_follow_is_caught():
    text = (REPO / ".github" / "workflows" / "pages.yml").read_text()
    assert adapt_workflow(text)  # every edit still applies
    with pytest.raises(AssertionError, match="update gazette.starter.WORKFLOW_EDITS"):
        adapt_workflow(text.replace(WORKFLOW_EDITS[-1][0], "something else"))


# --- a site's own templates/ and static/ over the theme ----------------------------------------


def output_bytes(project: Project) -> dict[str, bytes]:
    return {p.relative_to(project.output).as_posix(): p.read_bytes() for p in project.output.rglob("*")
            if p.is_file() and "pagefind" not in p.parts}


def test_overriding_one_template_changes_only_the_pages_made_with_it(tmp_path):
    project = new_archive(tmp_path / "news")
    (project.root / "content" / "second.md").write_text("---\ntitle: Second\ndate: 2026-05-01\ntopics: [News]\n---\nMore.\n")
    options = BuildOptions(project, now=LATER)
    build(options)
    before = output_bytes(project)
    project.templates.mkdir()
    theme_article = (theme_folder("templates") / "article.html").read_text(encoding="utf-8")
    (project.templates / "article.html").write_text(theme_article.replace('<div class="story-body">',
                                                                          '<div class="story-body overridden">'))
    report = build(options)
    after = output_bytes(project)
    changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    articles = {name for name in after if name.startswith("2026/") and name.endswith("/index.html")}
    assert len(articles) == 2 and changed == articles and set(report.changed) == articles
    assert report.rendered == 2, "pages made with other templates were rendered again"
    assert all(b"story-body overridden" in after[name] for name in articles)


def test_an_override_is_the_file_errors_name_and_static_files_override_too(tmp_path):
    project = new_archive(tmp_path / "news")
    options = BuildOptions(project, now=LATER)
    (project.templates).mkdir()
    (project.templates / "page.html").write_text('{% extends "base.html" %}\n{% block main %}\n{{ nope( }}\n{% endblock %}\n')
    with pytest.raises(GazetteError) as caught:
        build(options)
    [problem] = caught.value.problems
    assert (Path(problem.path), problem.line) == (project.templates / "page.html", 3)
    (project.templates / "page.html").unlink()
    (project.static / "css").mkdir(parents=True)
    (project.static / "css" / "site.css").write_text("body { color: teal; }\n")
    build(options)
    assert (project.output / "css" / "site.css").read_text() == "body { color: teal; }\n"
    assert (project.output / "js" / "search.js").read_bytes() == (theme_folder("static") / "js" / "search.js").read_bytes()


def test_a_sites_own_macros_from_an_earlier_version_still_build(tmp_path):
    """A site that copied _macros.html before it had `day` and `xml_cdata` (feeds escaped
    their HTML with `xml_text`) builds with the newer bundled templates around it."""
    import feedparser

    project = new_archive(tmp_path / "news")
    project.templates.mkdir()
    macros = (theme_folder("templates") / "_macros.html").read_text(encoding="utf-8")
    earlier = macros.replace('{% from "_dates.html" import day %}\n', "").replace("day(article.date)", "dateline(article.date)")
    earlier = earlier.replace("| xml_cdata }}", "| xml_text }}")
    assert "day(" not in earlier and "xml_cdata" not in earlier
    (project.templates / "_macros.html").write_text(earlier, encoding="utf-8")
    (project.content / "second.md").write_text(  # so that each story lists the other as related
        "---\ntitle: Second\ndate: 2026-05-01\ntopics: [News]\n---\nMore news.\n", encoding="utf-8")
    build(BuildOptions(project, now=LATER))
    related = (project.output / "2026/06/welcome/index.html").read_text(encoding="utf-8").split('id="related-heading"')[1]
    assert '<time datetime="2026-05-01">' in related
    feed = feedparser.parse((project.output / "feed.xml").read_bytes())
    assert not feed.bozo and "<p>" in feed.entries[0].content[0].value
    assert "&lt;p&gt;" in (project.output / "feed.xml").read_text(encoding="utf-8")
