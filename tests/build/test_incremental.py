"""Incremental builds must give exactly what a cold build gives, while doing less."""

import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from support import REPO
from support.edits import BUILT_IN_PLACE, EDITS, built_as_cold, planned_again, story_site
from support.search_index import comparable_site
from support.site import SiteDir, article

from gazette.build.pipeline import BuildOptions, build
from gazette.errors import GazetteError
from gazette.project import Project

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)


def tree(root: Path) -> dict[str, bytes]:
    return comparable_site(root)


@pytest.fixture
def site(tmp_path):
    return story_site(tmp_path / "site")


def incremental_equals_cold(site: SiteDir, tmp_path: Path, now=NOW):
    return built_as_cold(site, tmp_path, now)


@pytest.mark.parametrize("shard_pages", [600, 4], ids=["one search shard a year", "shards of a few months"])
def test_a_series_of_edits_builds_exactly_what_a_cold_build_builds(site, tmp_path, monkeypatch, shard_pages):
    monkeypatch.setattr("gazette.search.index.SHARD_PAGES", shard_pages)
    first = incremental_equals_cold(site, tmp_path)
    assert first.written == first.pages
    for name, edit in EDITS.items():
        edit(site)
        report = incremental_equals_cold(site, tmp_path)
        assert planned_again(report) == (name not in BUILT_IN_PLACE), name


def changed_between(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {name for name in before.keys() | after.keys()
            if before.get(name) != after.get(name) and name != "searchable records"}


RELATED = re.compile(rb'<aside class="related".*?</aside>', re.S)


@pytest.mark.parametrize("edit, edited, shown_on", [
    ("new tag", "2021/05/story-10/index.html", {"tags/index.html", "tags/quokka/index.html", "tags/quokka/feed.xml"}),
    ("add a byline", "2021/06/story-11/index.html",
     {"authors/index.html", "authors/jane-doe/index.html", "authors/jane-doe/feed.xml"}),
    ("new correction", "2021/01/story-12/index.html", {"corrections/index.html", "corrections/feed.xml"}),
])
def test_a_tag_a_byline_or_a_correction_rewrites_exactly_the_pages_that_show_it(site, tmp_path, edit, edited, shown_on):
    incremental_equals_cold(site, tmp_path)
    before = tree(site.public)
    EDITS[edit](site)
    report = incremental_equals_cold(site, tmp_path)
    after = tree(site.public)
    changed = changed_between(before, after)
    assert set(report.changed) == changed  # nothing rewritten that stayed the same, nothing missed
    assert shown_on | {edited} <= changed
    # Another article page changes only where it lists related stories (ranked by tags).
    others = [name for name in changed if re.fullmatch(r"2021/\d\d/[^/]+/index.html", name) and name != edited]
    assert [name for name in others if RELATED.sub(b"", before[name]) != RELATED.sub(b"", after[name])] == []


def test_renaming_an_author_moves_their_page(site, tmp_path):
    EDITS["add a byline"](site)
    incremental_equals_cold(site, tmp_path)
    EDITS["rename the author"](site)
    report = incremental_equals_cold(site, tmp_path)
    assert "authors/jane-roe/index.html" in report.changed and "authors/jane-doe/index.html" in report.changed
    assert not (site.public / "authors" / "jane-doe").exists()
    assert 'href="/authors/jane-roe/"' in site.page("2021/06/story-11/")


def test_an_unchanged_site_writes_nothing(site, tmp_path):
    incremental_equals_cold(site, tmp_path)
    before = {p: p.stat().st_mtime_ns for p in site.public.rglob("*") if p.is_file()}
    report = incremental_equals_cold(site, tmp_path)
    assert (report.written, report.removed, report.rendered) == (0, 0, 0)
    assert {p: p.stat().st_mtime_ns for p in site.public.rglob("*") if p.is_file()} == before


def test_one_edit_renders_only_the_pages_that_show_it(site, tmp_path):
    for i in range(30, 150):
        site.add(f"2020/s{i}.md", article(f"Old Story {i}", f"2020-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:00:00",
                                          ["[AI]", "[Energy]", "[Space]"][i % 3], tags=f"[old{i % 9}]"))
    incremental_equals_cold(site, tmp_path)
    site.add("2021/story-5.md", article("Story 5 Edited", "2021-06-06", "[Energy, AI]", tags="[tag1]"))
    report = incremental_equals_cold(site, tmp_path)
    # A new headline keeps the page where it is (its file names it); the lists, feeds and
    # neighbours that show it change.
    assert report.removed == 0 and "Story 5 Edited" in site.page("2021/06/story-5/")
    assert 0 < report.rendered < report.pages / 4


def test_a_deleted_article_disappears(site, tmp_path):
    incremental_equals_cold(site, tmp_path)
    assert (site.public / "2021/01/story-0/index.html").exists()
    (site.root / "content/2021/story-0.md").unlink()
    incremental_equals_cold(site, tmp_path)
    assert not (site.public / "2021/01/story-0").exists()


def test_a_scheduled_article_appears_when_its_time_comes(site, tmp_path):
    site.add("2026/later-story.md", article("Later Story", "2026-06-02T09:00:00+00:00", "[AI]"))
    report = incremental_equals_cold(site, tmp_path)
    assert [a.title for a in report.scheduled] == ["Later Story"]
    report = incremental_equals_cold(site, tmp_path, now=NOW + timedelta(days=2))
    assert report.scheduled == [] and (site.public / "2026/06/later-story/index.html").exists()


def test_a_corrupt_cache_is_rebuilt_not_an_error(site, tmp_path):
    incremental_equals_cold(site, tmp_path)
    (site.root / ".cache/gazette.sqlite").write_bytes(b"not a database at all" * 100)
    for sidecar in (site.root / ".cache").glob("gazette.sqlite-*"):
        sidecar.unlink()
    incremental_equals_cold(site, tmp_path)


def test_an_output_folder_replaced_behind_our_back_is_rebuilt(site, tmp_path):
    import shutil

    incremental_equals_cold(site, tmp_path)
    shutil.rmtree(site.public)
    site.public.mkdir()
    incremental_equals_cold(site, tmp_path)


def test_an_output_folder_replaced_by_someone_elses_files_is_refused_and_kept(site):
    import shutil

    build(BuildOptions(Project.at(site.root), now=NOW))
    shutil.rmtree(site.public)
    site.public.mkdir()
    (site.public / "stray.html").write_text("theirs")
    with pytest.raises(GazetteError, match="not made by Gazette"):
        build(BuildOptions(Project.at(site.root), now=NOW))
    assert [p.name for p in site.public.iterdir()] == ["stray.html"]


def test_many_small_edits_keep_the_article_cache_right(site, tmp_path):
    # Few changes go to a change log in the cache, many rewrite it; both must read back right.
    incremental_equals_cold(site, tmp_path)
    for round_number in range(3):
        for i in range(round_number * 10, round_number * 10 + 10):
            site.add(f"2021/story-{i}.md", article(f"Story {i} r{round_number}", f"2021-{1 + i % 6:02d}-{1 + i:02d}", "[AI]"))
        incremental_equals_cold(site, tmp_path)
    (site.root / "content/2021/story-29.md").unlink()
    incremental_equals_cold(site, tmp_path)


def test_a_cache_from_another_version_is_replaced(site, tmp_path):
    import sqlite3

    cache = site.root / ".cache"
    cache.mkdir()
    db = sqlite3.connect(cache / "gazette.sqlite")
    db.execute("CREATE TABLE articles (path TEXT, something_else BLOB)")
    db.execute("PRAGMA user_version=1")
    db.commit()
    db.close()
    incremental_equals_cold(site, tmp_path)


def test_an_article_deleted_then_written_again_comes_back(site, tmp_path):
    incremental_equals_cold(site, tmp_path)
    saved = (site.root / "content/2021/story-2.md").read_text()
    (site.root / "content/2021/story-2.md").unlink()
    incremental_equals_cold(site, tmp_path)
    (site.root / "content/2021/story-2.md").write_text(saved)
    report = incremental_equals_cold(site, tmp_path)
    assert report.written > 0 and (site.public / "2021/03/story-2/index.html").exists()


def test_a_build_without_cache_leaves_no_scratch_behind(site, tmp_path, monkeypatch):
    import tempfile

    scratch_root = tmp_path / "tmp"
    scratch_root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch_root))
    build(BuildOptions(Project.at(site.root), now=NOW, use_cache=False))
    assert not (site.root / ".cache").exists()
    assert list(scratch_root.iterdir()) == []  # the bodies' scratch database is gone


def related_titles(site: SiteDir, route: str) -> list[str]:
    aside = site.page(route).partition('<aside class="related"')[2].partition("</aside>")[0]
    return re.findall(r'<a href="[^"]*">([^<]*)</a>', aside)


def test_related_stories_follow_edits_to_other_articles(tmp_path):
    # Pages list their related stories, ranked only when a page is rendered: what decides
    # whether to render it again (its neighbours among articles sharing a topic or tag)
    # must change whenever any of them does. Each edit here changes story 10's list only.
    site = SiteDir(tmp_path / "site", page_size=4)
    for i in range(20):
        site.add(f"2021/story-{i}.md", article(f"Story {i}", f"2021-03-{1 + i:02d}", "[AI]", tags=f"[t{i % 5}]"))
    incremental_equals_cold(site, tmp_path)
    route = "2021/03/story-10/"
    before = related_titles(site, route)
    assert before == ["Story 15", "Story 5", "Story 0", "Story 16"]
    edits = [
        lambda: site.add("2021/story-11.md", article("Story 11", "2021-03-12", "[AI]", tags="[t0]")),  # takes its tag
        lambda: site.add("2021/story-30.md", article("Story 30", "2021-03-13T12:00:00", "[AI]", tags="[t0]")),  # a new one
        lambda: site.add("2021/story-15.md", article("Story 15 Renamed", "2021-03-16", "[AI]", tags="[t0]")),  # shown
        lambda: (site.root / "content/2021/story-5.md").unlink(),
    ]
    for edit in edits:
        edit()
        incremental_equals_cold(site, tmp_path)
        after = related_titles(site, route)
        assert after != before
        before = after


def test_a_story_leaving_the_news_window_updates_the_news_sitemap_with_no_edit(site):
    site.add("2026/fresh.md", article("Fresh", "2026-05-31T12:00:00+00:00", "[AI]"))
    build(BuildOptions(Project.at(site.root), now=NOW))
    assert "2026/05/fresh/" in (site.public / "news-sitemap.xml").read_text()
    report = build(BuildOptions(Project.at(site.root), now=NOW + timedelta(days=2)))
    assert "2026/05/fresh/" not in (site.public / "news-sitemap.xml").read_text()
    assert report.written >= 1


@pytest.mark.slow
def test_a_change_to_gazettes_own_code_rebuilds_what_it_affects(site, tmp_path):
    """The version number is not bumped for every change: a build must notice that the code
    itself changed (a template filter, the Markdown post-processing) and not serve what an
    older build cached."""
    import shutil
    import subprocess
    import sys

    package = tmp_path / "code"
    shutil.copytree(REPO / "gazette", package / "gazette", ignore=shutil.ignore_patterns("__pycache__"))

    def run(*args):
        command = [sys.executable, "-c", "import sys; from gazette.cli import main; sys.exit(main(sys.argv[1:]))", *args]
        result = subprocess.run(command, cwd=site.root, capture_output=True, text=True, timeout=120,
                                env={**os.environ, "PYTHONPATH": str(package)})
        assert result.returncode == 0, result.stderr
        return result.stdout

    run("build")
    wording = package / "gazette/build/wording.py"
    old = 'return format_date(value, format="long", locale=self.locale)'
    assert old in wording.read_text()
    wording.write_text(wording.read_text().replace(old, 'return f"{value:%Y-%m-%d}"'))
    markup = package / "gazette/build/markup.py"
    markup.write_text(markup.read_text().replace('TABLE_LABEL = "Table"', 'TABLE_LABEL = "Data table"'))
    site.add("2021/table.md", article("Table", "2021-02-02", body="| a | b |\n|---|---|\n| 1 | 2 |"))
    run("build")  # renders the new article with the new code; must redo the others too
    site.add("2021/table.md", article("Table", "2021-02-02", body="| a | b |\n|---|---|\n| 1 | 3 |"))
    (site.root / "content/2021/extra.md").write_text(article("Extra", "2021-02-03", body="| x |\n|---|\n| 9 |"))
    run("build")
    run("build", "--no-cache", "--output", str(tmp_path / "cold"))
    assert tree(site.public) == tree(tmp_path / "cold")
    assert ">2021-01-01</time>" in site.page("2021/01/story-0/")  # the new filter, on an unedited page


def test_a_build_leaves_no_cache_file_open(tmp_path):
    """`gazette serve` builds again and again in one process: a connection left to the garbage
    collector after each build (the bodies' one) adds up to running out of file descriptors."""
    import gc

    def open_cache_files() -> list[str]:
        links = []
        for fd in os.listdir("/proc/self/fd"):
            try:
                links.append(os.readlink(f"/proc/self/fd/{fd}"))
            except OSError:
                pass
        return [link for link in links if link.startswith(str(root))]  # this test's site only

    root = tmp_path / "site"
    root.mkdir()
    site = SiteDir(root)
    site.add("first.md", article(title="First", date="2021-03-04", body="One."))
    was_enabled = gc.isenabled()
    gc.disable()  # what the collector would close some time later does not count
    try:
        for body in ("One.", "Two.", "Three."):
            site.add("first.md", article(title="First", date="2021-03-04", body=body))
            build(BuildOptions(Project.at(root)))
            assert open_cache_files() == []
    finally:
        if was_enabled:
            gc.enable()


def test_a_template_that_starts_including_another_is_rendered_again_when_that_one_changes(site, tmp_path):
    """What each template names is cached by its text: a stale entry would leave the 404
    page out of date after an edit of the template it has only just started to include."""
    templates = site.root / "templates"
    build(BuildOptions(Project.at(site.root), now=NOW))
    (templates / "notice.html").write_text("<p>First notice.</p>\n", encoding="utf-8")
    page_404 = templates / "404.html"
    page_404.write_text(page_404.read_text().replace("{% block main %}", '{% block main %}{% include "notice.html" %}'))
    build(BuildOptions(Project.at(site.root), now=NOW))
    assert "First notice." in site.page("404.html")

    (templates / "notice.html").write_text("<p>Second notice.</p>\n", encoding="utf-8")
    report = incremental_equals_cold(site, tmp_path)
    assert "Second notice." in site.page("404.html")
    assert report.changed == ("404.html",)


def test_editing_a_macro_made_once_a_build_rebuilds_every_page_that_uses_it(site, tmp_path):
    """Cards and feed entries are made once a build from _macros.html (`once`): the pages
    that show them must still be rendered again when that file changes, even from a template
    that does not import it."""
    feed = site.root / "templates/feed.xml"  # calls once() without importing the macros itself
    feed.write_text(feed.read_text(encoding="utf-8").replace('{% import "_macros.html" as macros %}\n', ""), encoding="utf-8")
    build(BuildOptions(Project.at(site.root), now=NOW))
    macros = site.root / "templates/_macros.html"
    text = macros.read_text(encoding="utf-8")
    text = text.replace('<p class="card-summary">', '<p class="card-summary">Card: ')
    text = text.replace("| xml_cdata }}", "| xml_cdata }} Fed.")
    macros.write_text(text, encoding="utf-8")
    incremental_equals_cold(site, tmp_path)
    assert "Card: " in site.page("") and "Card: " in site.page("tags/tag1/")
    assert "Fed." in site.page("feed.xml") and "Fed." in site.page("tags/tag1/feed.xml")


def test_a_new_story_rewrites_the_first_page_of_each_of_its_lists_not_the_older_pages(site, tmp_path):
    # Page numbers count from the oldest story so that older pages stay as they are when news
    # arrives: one new story must not rewrite every page of its topics and tags.
    incremental_equals_cold(site, tmp_path)
    before = tree(site.public)
    site.add("2021/newest.md", article("The Newest Story", "2021-07-30", "[Robotics]", tags="[tag3]"))
    report = incremental_equals_cold(site, tmp_path)
    changed = changed_between(before, tree(site.public))
    assert set(report.changed) == changed
    assert {"index.html", "topics/robotics/index.html", "tags/tag3/index.html"} <= changed
    older = {name for name in before if re.fullmatch(r"(topics/robotics|tags/tag3)/page/\d+/index.html", name)}
    assert older and not older & changed


def test_a_list_that_gains_a_page_rewrites_its_three_newest_numbered_pages_not_the_older_ones(site, tmp_path):
    # 30 stories four to a page: the home page is page 1 and pages 7 (newest) to 2 (oldest).
    # The 32nd story makes page 8. The pager of a numbered page shows the pages up to two
    # away and a gap before them, so pages 7, 6 and 5 change their pager; 4, 3 and 2 do not.
    site.add("2021/newest-1.md", article("The Newest Story", "2021-07-30", "[Robotics]", tags="[tag3]"))
    incremental_equals_cold(site, tmp_path)
    before = tree(site.public)
    assert "page/7/index.html" in before and "page/8/index.html" not in before
    site.add("2021/newest-2.md", article("The Newer Story", "2021-07-31", "[Robotics]", tags="[tag3]"))
    report = incremental_equals_cold(site, tmp_path)
    changed = changed_between(before, tree(site.public))
    assert set(report.changed) == changed  # nothing rewritten that stayed the same, nothing missed
    home = {name for name in changed if re.fullmatch(r"(page/\d+/)?index.html", name)}
    assert home == {"index.html", "page/8/index.html", "page/7/index.html", "page/6/index.html", "page/5/index.html"}


def use_own_template(site: SiteDir, name: str, old: str, new: str) -> None:
    """Give `site` its own copy of the theme's template `name`, with `old` replaced by `new`."""
    theme = (REPO / "templates" / name).read_text(encoding="utf-8")
    own = theme.replace(old, new)
    assert own != theme
    (site.root / "templates" / name).write_text(own, encoding="utf-8")


def test_a_sites_own_list_template_may_show_the_number_of_pages_on_every_page(site, tmp_path):
    # A site's own home.html may show what the theme's pager does not: every page is then
    # rewritten when the list gains a page.
    use_own_template(site, "home.html", "{{ pager(pagination) }}",
                     "{{ pager(pagination) }}<p>Page {{ pagination.number }} of {{ pagination.last }}</p>")
    site.add("2021/newest-1.md", article("The Newest Story", "2021-07-30", "[Robotics]", tags="[tag3]"))
    incremental_equals_cold(site, tmp_path)
    assert "Page 2 of 7" in site.page("page/2/")
    site.add("2021/newest-2.md", article("The Newer Story", "2021-07-31", "[Robotics]", tags="[tag3]"))
    report = incremental_equals_cold(site, tmp_path)
    assert "page/2/index.html" in report.changed
    assert "Page 2 of 8" in site.page("page/2/")


def test_a_sites_own_term_template_may_still_show_the_count_on_every_page(site, tmp_path):
    # Written for a Gazette whose older pages of a topic had its whole index: it still builds,
    # and every page it shows the count on is rewritten when a story comes.
    use_own_template(site, "term.html", "{% if pagination.number == 1 %}{{ count(index.count) }} · {% endif %}",
                     "{{ count(index.count) }} · ")
    incremental_equals_cold(site, tmp_path)
    assert "10 articles" in site.page("topics/robotics/page/2/")
    site.add("2021/newest.md", article("The Newest Story", "2021-07-30", "[Robotics]", tags="[tag3]"))
    report = incremental_equals_cold(site, tmp_path)
    assert "topics/robotics/page/2/index.html" in report.changed
    assert "11 articles" in site.page("topics/robotics/page/2/")
