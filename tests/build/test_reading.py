"""Reading articles in worker processes gives what reading them in one process gives: the
same articles, warnings, problems and records, in the same order, and the same count of
records the cache supplied."""

from __future__ import annotations

from support.site import SiteDir, article

from gazette.build.parallel import run_sharded

import gazette.build.reading as reading
from gazette.build.reading import MIN_FILES_PER_WORKER, read_all_articles
from gazette.model.content import find_article_files, read_articles, stat_files
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
    stats = stat_files(files)
    known = {record.path: record for record in read_articles(content, config, None, files[:300], stats).records}

    here = read_articles(content, config, known, files, stats)
    in_workers = read_all_articles(content, config, known, files, stats, jobs=2)

    assert in_workers.articles == here.articles
    assert in_workers.records == here.records
    assert in_workers.warnings == here.warnings and any("colour" in str(w) for w in here.warnings)
    assert in_workers.problems == here.problems and any("broken.md" in str(p) for p in here.problems)
    assert in_workers.reused == here.reused == 300
    assert shards == [len(files) - 300]  # the files the cache did not give were read in workers
