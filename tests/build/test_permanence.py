"""Every URL the site once published keeps answering: a renamed, moved or redated article
leaves a redirect at each old address, straight to the newest one, known from the record
of published URLs that is committed with the content (a fresh clone knows it too)."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.site import SiteDir, article

from gazette.build.pages import Page
from gazette.build.pipeline import BuildOptions, build
from gazette.check.run import check_site
from gazette.errors import GazetteError
from gazette.model.published import RECORD_FILE, PublishedUrl, read_published
from gazette.model.site import Entry
from gazette.project import Project

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
BASE = "https://user.github.io/archive/"


def make_site(root) -> SiteDir:
    site = SiteDir(root, base_url=BASE)
    site.add("2021/chip-story.md", article("Chip Story", "2021-03-04", body="About chips."))
    site.add("2021/other.md", article("Other", "2021-03-05", body="Something else."))
    return site


@pytest.fixture
def site(tmp_path) -> SiteDir:
    return make_site(tmp_path / "site")


def run(site: SiteDir):
    return build(BuildOptions(Project.at(site.root), now=NOW))


def target_of(site: SiteDir, route: str) -> str | None:
    """Where the page at `route` sends readers, or None when it is a page of its own."""
    found = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', site.page(route))
    return found.group(1).removeprefix("/archive/") if found else None


def answers(site: SiteDir, route: str) -> bool:
    return (site.public / route / "index.html").is_file()


def test_renaming_the_file_leaves_a_redirect_at_the_old_address(site):
    run(site)
    content = site.root / "content/2021"
    (content / "chip-story.md").rename(content / "chips-explained.md")
    run(site)
    assert target_of(site, "2021/03/chip-story/") == "2021/03/chips-explained/"
    assert target_of(site, "2021/03/chips-explained/") is None
    assert set(read_published(site.root / RECORD_FILE)) == {"2021/03/chip-story/", "2021/03/chips-explained/",
                                                            "2021/03/other/"}


def test_a_new_date_or_folder_leaves_a_redirect_too(site):
    run(site)
    path = site.root / "content/2021/chip-story.md"
    path.write_text(path.read_text().replace("2021-03-04", "2021-04-01"))
    (site.root / "content/archive").mkdir()
    path.rename(site.root / "content/archive/chip-story.md")
    run(site)
    assert target_of(site, "2021/03/chip-story/") == "2021/04/chip-story/"


def test_a_chain_of_moves_redirects_straight_to_the_newest_address(site):
    run(site)
    content = site.root / "content/2021"
    (content / "chip-story.md").rename(content / "second-name.md")
    run(site)
    (content / "second-name.md").rename(content / "third-name.md")
    run(site)
    assert target_of(site, "2021/03/chip-story/") == "2021/03/third-name/"
    assert target_of(site, "2021/03/second-name/") == "2021/03/third-name/"


def test_a_new_headline_moves_nothing_and_adds_no_redirect(site):
    run(site)
    path = site.root / "content/2021/chip-story.md"
    path.write_text(path.read_text().replace("title: Chip Story", "title: Chip Story, Corrected"))
    run(site)
    assert "Chip Story, Corrected" in site.page("2021/03/chip-story/")
    assert len(read_published(site.root / RECORD_FILE)) == 2


def test_a_fresh_clone_knows_the_old_addresses_from_the_committed_record(site):
    run(site)
    content = site.root / "content/2021"
    (content / "chip-story.md").rename(content / "renamed.md")
    run(site)
    shutil.rmtree(site.public)
    shutil.rmtree(site.root / ".cache")  # only the committed files are left
    run(site)
    assert target_of(site, "2021/03/chip-story/") == "2021/03/renamed/"


def test_a_deleted_article_is_a_warning_of_build_and_an_error_of_check(site):
    run(site)
    (site.root / "content/2021/other.md").unlink()
    report = run(site)
    [warning] = [str(w) for w in report.warnings if "published URL" in str(w)]
    assert "content/2021/other.md: warning: the published URL /2021/03/other/ no longer answers" in warning
    problems = [str(p) for p in check_site(BuildOptions(Project.at(site.root), now=NOW))]
    assert any("the published URL /2021/03/other/ no longer answers" in p and "warning" not in p for p in problems)
    # An alias elsewhere answers for it: the warning goes.
    site.add("2021/chip-story.md", article("Chip Story", "2021-03-04", body="About chips.", aliases="[/2021/03/other/]"))
    assert not [w for w in run(site).warnings if "published URL" in str(w)]


@pytest.mark.parametrize("line", ["this is not a URL line", "/2021/03/x?y=1/ content/2021/x.md body:abc",
                                  "/2021/../etc/ content/2021/x.md body:abc", "/2021/03/x/ content/2021/x.md maybe"])
def test_a_record_edited_into_nonsense_is_a_located_error_and_nothing_is_written(site, line):
    run(site)
    record = site.root / RECORD_FILE
    record.write_text(record.read_text() + line + "\n")
    before = {p: p.read_bytes() for p in site.public.rglob("*") if p.is_file()}
    with pytest.raises(GazetteError) as refused:
        run(site)
    [problem] = refused.value.problems
    assert problem.path == record and problem.line == len(record.read_text().splitlines())
    assert {p: p.read_bytes() for p in site.public.rglob("*") if p.is_file()} == before


def test_the_record_is_sorted_and_readable(site):
    run(site)
    lines = [line for line in (site.root / RECORD_FILE).read_text().splitlines() if not line.startswith("#")]
    assert lines == sorted(lines)
    assert lines[0].split() == ["/2021/03/chip-story/", "content/2021/chip-story.md", lines[0].split()[2]]
    assert lines[0].split()[2].startswith("body:")


EDIT_KINDS = st.sampled_from(["rename", "redate", "retitle", "reslug", "move"])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(EDIT_KINDS, st.integers(0, 1), st.integers(1, 28)), min_size=1, max_size=5))
def test_any_sequence_of_moves_leaves_every_published_url_answering_in_one_hop(tmp_path_factory, edits):
    site = make_site(tmp_path_factory.mktemp("perm") / "site")
    run(site)
    for step, (kind, which, day) in enumerate(edits):
        path = sorted((site.root / "content").rglob("*.md"))[which]
        text = path.read_text()
        if kind == "rename":
            path.rename(path.with_name(f"name-{step}.md"))
        elif kind == "redate":
            path.write_text(re.sub(r"date: \S+", f"date: 2021-05-{day:02d}", text, count=1))
        elif kind == "retitle":
            path.write_text(re.sub(r"title: .*", f"title: Headline {step}", text, count=1))
        elif kind == "reslug":
            text = re.sub(r"(?m)^slug: .*\n", "", text)
            path.write_text(re.sub(r"(?m)^(title: .*\n)", rf"\1slug: slug-{step}\n", text, count=1))
        else:
            folder = site.root / "content" / f"folder-{step}"
            folder.mkdir()
            path.rename(folder / path.name)
        run(site)
        for route in read_published(site.root / RECORD_FILE):
            assert answers(site, route), route
            target = target_of(site, route)
            if target is not None:
                assert answers(site, target) and target_of(site, target) is None, (route, target)


def test_build_and_serve_say_when_an_edit_moved_a_url(site):
    import subprocess
    import sys

    from support import REPO
    from support.preview import running_preview, wait_until

    run(site)
    content = site.root / "content/2021"
    (content / "chip-story.md").rename(content / "chips.md")
    result = subprocess.run([sys.executable, str(REPO / "build.py")], cwd=site.root, capture_output=True, text=True)
    assert "moved: /2021/03/chip-story/ -> /2021/03/chips/, a redirect was added" in result.stdout
    again = subprocess.run([sys.executable, str(REPO / "build.py")], cwd=site.root, capture_output=True, text=True)
    assert "moved:" not in again.stdout  # said once, when it happened
    with running_preview(site.root) as preview:
        generation = preview.generation()
        (content / "other.md").rename(content / "another.md")
        preview.wait_for_generation(generation)
        wait_until(lambda: "moved: /2021/03/other/ -> /2021/03/another/, a redirect was added" in preview.stdout.text,
                   what="the move in the terminal")
        assert target_of(site, "2021/03/other/") == "2021/03/another/"


def test_a_url_retired_on_purpose_says_so_and_is_no_longer_reported(site):
    run(site)
    (site.root / "content/2021/other.md").unlink()
    record = site.root / RECORD_FILE
    record.write_text(re.sub(r"(/2021/03/other/\s+\S+\s+)\S+", r"\1gone:Retracted on 6 April 2021: its source withdrew it.",
                             record.read_text()))
    report = run(site)
    assert not [w for w in report.warnings if "published URL" in str(w)]
    page = site.page("2021/03/other/")
    assert "Retracted on 6 April 2021: its source withdrew it." in page and '<meta name="robots" content="noindex">' in page
    assert "2021/03/other/" not in site.page("sitemap.xml")
    assert "gone:Retracted on 6 April 2021" in record.read_text()  # the build keeps the editor's words
    assert check_site(BuildOptions(Project.at(site.root), now=NOW)) == []


# --- an edit in place (gazette.build.in_place) keeps the record as keep_published would ------


def _story(root, name: str, day: int, identity: str) -> Entry:
    from gazette.build.markup import RenderedBody
    from gazette.model.article import Article, Topic

    article = Article(source_path=root / f"content/{name}.md", title=name, date=datetime(2021, 3, day, tzinfo=timezone.utc),
                      topics=(Topic("ai", "AI"),), slug=name, body="", body_line=1, identity=identity)
    return Entry(article, RenderedBody("<p>x</p>", "x", 1))


def _in_place(record, before, after, root):
    """keep_published_in_place with the redirects keep_published made before, and its lookup."""
    from gazette.build.permanence import keep_published, keep_published_in_place

    planned = [Page(entry.article.route, "article.html", entry.article.title) for entry in before]
    redirects = {page.route: page.context["target"] for page in keep_published(record, planned, before, root).redirects}

    def resolve(published):
        by_identity = {entry.article.identity: entry.article for entry in after}
        by_file = {f"content/{entry.article.slug}.md": entry.article for entry in after}
        return by_identity.get(published.identity) or by_file.get(published.file)

    edits = [(old.article, new.article) for old, new in zip(before, after) if old != new]
    return keep_published_in_place(record, edits, root, redirects, resolve)


def _record(*rows):
    return {route: PublishedUrl(route, file, identity) for route, file, identity in rows}


def test_an_edit_in_place_keeps_the_record_as_keep_published_does_or_leaves_it_to_it(tmp_path):
    from gazette.build.permanence import keep_published

    x, y = _story(tmp_path, "x", 4, "body:x1"), _story(tmp_path, "y", 5, "body:y1")
    own = [(x.article.route, "content/x.md", "body:x1"), (y.article.route, "content/y.md", "body:y1")]
    rewritten = Entry(replace(x.article, identity="body:x2"), x.body)
    planned = [Page(entry.article.route, "article.html", entry.article.title) for entry in (x, rewritten, y)]

    # An old address of x, known by its body and its file: rewritten, x keeps it, with its new identity.
    record = _record(*own, ("old/x/", "content/x.md", "body:x1"))
    kept = _in_place(record, [x, y], [rewritten, y], tmp_path)
    assert kept is not None and kept == keep_published(record, planned[1:], [rewritten, y], tmp_path).record
    assert kept["old/x/"].identity == "body:x2"

    # A lost address that y, rewritten, now answers: a new redirect, which only planning makes.
    record = _record(*own, ("lost/", "content/gone.md", "body:y2"))
    assert _in_place(record, [x, y], [x, Entry(replace(y.article, identity="body:y2"), y.body)], tmp_path) is None

    # An old address of x by its file that y's new body claims by identity: it would lead to y now.
    record = _record(*own, ("old/w/", "content/x.md", "body:w"))
    assert _in_place(record, [x, y], [x, Entry(replace(y.article, identity="body:w"), y.body)], tmp_path) is None
