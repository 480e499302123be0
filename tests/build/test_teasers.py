"""Teasers: how a page shows a story it is not about (an article page's previous, next and
related stories; a card on a list: home, a topic, tag or author, a month; a topic's latest).
A teaser shows all of a story but its body's text, so an edit to a story's body leaves the
pages that show it so as they are: their fingerprints do not change."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from support.edits import story, story_site

from gazette.build.pipeline import BuildOptions, build, gather
from gazette.build.publish import page_renderer, site_outputs
from gazette.build.session import BuildSession
from gazette.cli import main
from gazette.project import Project

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
ARTICLE_PAGE = re.compile(r"\d{4}/\d{2}/[^/]+/index\.html")
STORY_6 = "2021/01/story-6/index.html"


@pytest.fixture
def site(tmp_path):
    return story_site(tmp_path / "site")


def fingerprints(site) -> dict[str, str]:
    """Each page's fingerprint, as a build plans it (output file -> fingerprint)."""
    options = BuildOptions(Project.at(site.root), now=NOW)
    with BuildSession(options.cache_file) as session:
        plan = gather(options, session)
        _, site_digest, template_digests = page_renderer(options, plan, session.cache)
        outputs = site_outputs(options, plan, site_digest, template_digests)
    return {file.name: file.fingerprint for file in outputs.files if file.fingerprint}


def pages_changed(site, edit) -> set[str]:
    before = fingerprints(site)
    edit(site)
    after = fingerprints(site)
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


def article_pages_changed(site, edit) -> set[str]:
    return {name for name in pages_changed(site, edit) if ARTICLE_PAGE.fullmatch(name)}


def test_an_edit_to_a_body_past_its_first_paragraph_changes_no_other_article_page(site):
    changed = article_pages_changed(site, lambda s: story(s, 6, body="Body of story 6.\n\n## Part\n\nMore, and more."))
    assert changed == {STORY_6}


def test_an_edit_to_a_body_past_its_first_paragraph_changes_its_page_and_the_feeds_that_carry_it_only(site):
    changed = pages_changed(site, lambda s: story(s, 29, body="Body of story 29.\n\n## Part\n\nMore, and more."))
    assert {name for name in changed if not name.endswith("feed.xml")} == {"2021/06/story-29/index.html"}
    assert {"feed.xml", "topics/robotics/feed.xml", "tags/tag1/feed.xml"} <= changed  # feeds carry the whole text


def test_a_headline_changes_the_lists_that_show_it(site):
    changed = pages_changed(site, lambda s: story(s, 29, title="Story Twenty-Nine"))
    # The newest story: first on the home page, its topic's and tag's, its month's, and its topic's latest.
    assert {"index.html", "topics/robotics/index.html", "tags/tag1/index.html", "archive/2021/06/index.html",
            "topics/index.html"} <= changed


@pytest.mark.parametrize("edit", [
    pytest.param(lambda s: story(s, 6, title="Story Six"), id="headline"),
    pytest.param(lambda s: story(s, 6, body="A new first paragraph.\n\n## Part\n\nMore."), id="summary from the body"),
    pytest.param(lambda s: story(s, 6, body="Body of story 6.\n\n## Part\n\n" + "More words. " * 300), id="reading time"),
    pytest.param(lambda s: story(s, 6, summary="A summary of its own."), id="summary"),
])
def test_what_a_teaser_shows_changes_its_neighbours_pages(site, edit):
    changed = article_pages_changed(site, edit)
    assert STORY_6 in changed
    assert {"2021/01/story-0/index.html", "2021/01/story-12/index.html"} <= changed  # its neighbours in time


def own_article_template(site, main: str) -> None:
    """A site's own article page, whose main block is `main`."""
    (site.root / "templates/article.html").write_text(
        '{% extends "base.html" %}{% block main %}\n' + main + '\n{% endblock %}', encoding="utf-8")


def test_a_teaser_shows_the_article_its_summary_and_reading_time(site):
    own_article_template(site, """{% if older %}<p id="older">{{ older.article.title }}|{{ older.summary }}|\
{{ older.body.reading_minutes }}|{{ older.article.route }}|{{ older.article.topics[0].title }}</p>{% endif %}
{% for other in related %}<p class="related">{{ other.article.title }}|{{ other.body.excerpt }}</p>{% endfor %}""")
    build(BuildOptions(Project.at(site.root), now=NOW))
    page = site.page("2021/01/story-6/")  # story 0 is just older
    assert '<p id="older">Story 0|Body of story 0.|1|2021/01/story-0/|AI</p>' in page
    related = re.findall(r'<p class="related">(.*?)</p>', page)
    assert related and all(re.fullmatch(r"Story (\d+)\|Body of story \1\.", shown) for shown in related)


@pytest.mark.parametrize("asked", [
    "older.body.html", "older.body.links", "older.article.body", "older.article.identity", "older.article.digest",
    "newer.body.words",
])
def test_a_template_asking_a_teaser_for_its_body_is_told_where(site, monkeypatch, capsys, asked):
    own_article_template(site, "{% if older and newer %}\n<p>{{ " + asked + " }}</p>\n{% endif %}")
    assert_build_fails_at(site, monkeypatch, capsys, "templates/article.html:3", asked.split(".")[-1])


def test_a_template_asking_a_related_story_for_its_body_is_told_where(site, monkeypatch, capsys):
    own_article_template(site, "{% for other in related %}\n{{ other.body.html }}{% endfor %}")
    assert_build_fails_at(site, monkeypatch, capsys, "templates/article.html:3", "html")


def assert_build_fails_at(site, monkeypatch, capsys, where: str, attribute: str) -> None:
    """`build` fails, naming the template's line and the attribute a teaser lacks, without a traceback."""
    monkeypatch.chdir(site.root)
    assert main(["build"]) == 1
    error = capsys.readouterr().err
    assert re.search(re.escape(where) + r": template error: .*Teaser.* has no attribute '" + attribute, error), error
    assert "Traceback" not in error


@pytest.mark.parametrize("template, asked", [
    ("home.html", "entries[0].body.html"),
    ("term.html", "entries[0].article.body"),
    ("archive_month.html", "entries[0].body.words"),
    ("topics.html", "indexes[0].latest.body.links"),
])
def test_a_template_asking_a_card_for_its_body_is_told_where(site, monkeypatch, capsys, template, asked):
    (site.root / "templates" / template).write_text(
        '{% extends "base.html" %}{% block main %}\n<p>{{ ' + asked + ' }}</p>\n{% endblock %}', encoding="utf-8")
    assert_build_fails_at(site, monkeypatch, capsys, f"templates/{template}:2", asked.split(".")[-1])
