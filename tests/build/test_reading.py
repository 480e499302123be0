"""Reading articles in worker processes gives what reading them in one process gives: the
same articles, warnings, problems and records, in the same order, and the same count of
records the cache supplied."""

from __future__ import annotations

from dataclasses import replace

import pytest
from support.site import SiteDir, article

import gazette.build.reading as reading
from gazette.build.inputs import FileStates
from gazette.build.parallel import run_sharded
from gazette.build.reading import MIN_FILES_PER_WORKER, read_all_articles
from gazette.model.content import find_article_files, load_body, read_articles
from gazette.project import Project


def make_archive(root, count: int) -> SiteDir:
    site = SiteDir(root)
    for number in range(count):
        extra = {"tags": f"[Tag {number % 7}, Chips]"} if number % 3 else {}
        site.add(f"{2010 + number % 12}/story-{number}.md",
                 article(title=f"Story {number}", date=f"{2010 + number % 12}-03-04", topics="[AI, Robots]",
                         body=f"Text of story {number}.", **extra))
    site.add("2015/broken.md", article(date="not a date"))
    site.add("2016/unknown-field.md", article(title="Odd", colour="blue"))
    return site


def test_reading_in_workers_gives_what_reading_here_gives(tmp_path, monkeypatch):
    site = make_archive(tmp_path / "site", 2 * MIN_FILES_PER_WORKER + 350)
    content = site.root / "content"
    config = Project.at(site.root).config()
    shards = []
    monkeypatch.setattr(reading, "run_sharded", lambda items, *args: shards.append(len(items)) or run_sharded(items, *args))
    files = find_article_files(content)
    stats = FileStates.stat(files).stamps()
    known = {record.path: record for record in read_articles(content, config, None, files[:300], stats).records}

    here = read_articles(content, config, known, files, stats)
    in_workers = read_all_articles(content, config, known, files, stats, jobs=2)
    in_one = read_all_articles(content, config, known, files, stats, jobs=1)
    assert shards == [len(files) - 300]  # the files the cache did not give were read in workers, once

    for loaded in (in_workers, in_one):
        # Read in bulk, articles come without their bodies: rendering reads them from the files.
        assert all(article.body is None for article in loaded.articles)
        assert loaded.articles == [replace(article, body=None) for article in here.articles]
        assert [record.article for record in loaded.records] == loaded.articles
        assert loaded.records == [replace(r, article=replace(r.article, body=None)) for r in here.records]
        assert loaded.warnings == here.warnings and any("colour" in str(w) for w in here.warnings)
        assert loaded.problems == here.problems and any("broken.md" in str(p) for p in here.problems)
        assert loaded.reused == here.reused == 300
    assert [load_body(article) for article in in_workers.articles[:50]] == [a.body for a in here.articles[:50]]


def test_a_few_files_are_read_here_with_their_bodies(tmp_path, monkeypatch):
    site = make_archive(tmp_path / "site", 20)
    content = site.root / "content"
    files = find_article_files(content)
    monkeypatch.setattr(reading, "run_sharded", lambda *args: pytest.fail("no workers for 20 files"))
    loaded = read_all_articles(content, Project.at(site.root).config(), {}, files, FileStates.stat(files).stamps(), jobs=2)
    assert loaded.articles == read_articles(content, Project.at(site.root).config(), None, files).articles
    assert all(article.body for article in loaded.articles)


def test_read_without_bodies_each_article_comes_as_read_but_for_its_body(tmp_path):
    site = make_archive(tmp_path / "site", 30)
    content, config = site.root / "content", Project.at(site.root).config()
    whole = read_articles(content, config)
    bare = read_articles(content, config, bodies=False)
    assert all(article.body for article in whole.articles) and all(article.body is None for article in bare.articles)
    assert bare.articles == [replace(article, body=None) for article in whole.articles]
    assert (bare.warnings, bare.problems) == (whole.warnings, whole.problems)
