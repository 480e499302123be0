"""The command line as users run it: `python build.py ...` in a site folder."""

import hashlib
import json
import os
import pstats
import re
import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO
from support.search_index import searchable_records
from support.site import article

BUILD_PY = REPO / "build.py"


def run(site, *args):
    return subprocess.run(
        [sys.executable, str(BUILD_PY), *args], cwd=site.root, capture_output=True, text=True, timeout=60
    )


def digest(folder: Path) -> dict[str, str]:
    """Every file's hash. Pagefind's index differs in bytes between runs on the same pages
    (see test_incremental.tree), so for it the records a search can return count."""
    files = {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "pagefind" not in p.relative_to(folder).parts
    }
    files["searchable records"] = json.dumps(searchable_records(folder), sort_keys=True)
    return files


def test_build_alone_means_build_and_writes_every_page(site):
    site.add("2021/first-story.md", article("First Story", "2021-03-04", "[AI, Energy]"))
    site.add("2021/second-story.md", article("Second Story", "2021-04-01", "[Robotics]"))
    result = run(site)
    assert result.returncode == 0, result.stderr
    assert "built 2 articles" in result.stdout
    assert "topic 'Robotics' is not in site.toml" in result.stderr
    assert "First Story" in site.page("2021/03/first-story/")
    assert "Second Story" in site.page("2021/04/second-story/")
    topics = site.page("topics/")
    for slug in ("ai", "energy", "robotics"):
        assert f'href="/topics/{slug}/"' in topics
        assert site.page(f"topics/{slug}/").count('class="article-card"') >= 1


def test_every_topic_page_lists_all_its_articles_newest_first(site):
    site.write_config(page_size=10)
    for day in range(1, 26):
        site.add(f"2021/story-{day}.md", article(f"Story {day}", f"2021-05-{day:02d}", "[AI]"))
    assert run(site, "build").returncode == 0
    listed = re.findall(r'<h2 class="card-title"><a href="/2021/05/(story-\d+)/"', site.page("topics/ai/") + site.page("topics/ai/page/2/"))
    assert listed == [f"story-{day}" for day in range(25, 0, -1)]


def test_a_broken_article_exits_1_naming_file_and_line_without_traceback(site):
    site.add("2021/good.md", article("Good"))
    assert run(site).returncode == 0
    before = digest(site.public)
    site.add("2021/broken.md", article("Broken", date="2021-02-30"))
    result = run(site)
    assert result.returncode == 1
    assert "content/2021/broken.md:3: 'date' is not a valid date" in result.stderr
    assert "Traceback" not in result.stderr
    assert digest(site.public) == before  # the last good site stays


@pytest.mark.parametrize("good", [True, False], ids=["built", "broken"])
def test_the_process_says_all_it_has_to_say_into_a_pipe_and_exits_with_the_status(site, good):
    # The process ends at once after `main` (`cli.run`): its buffered output must be out by then.
    site.add("2021/one.md", article("One", date="2021-02-03" if good else "2021-02-30"))
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    result = subprocess.run([sys.executable, str(BUILD_PY), "build"], cwd=site.root, capture_output=True,
                            text=True, timeout=60, env=environment)
    assert result.returncode == (0 if good else 1)
    assert ("built 1 article" in result.stdout) == good, result.stdout
    assert ("error: 1 problem found; nothing was written" in result.stderr) != good, result.stderr


def test_a_build_under_a_profiler_leaves_the_profile(site, tmp_path):
    site.add("2021/one.md", article("One"))
    profile = tmp_path / "build.prof"
    result = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(profile), str(BUILD_PY), "build"],
                            cwd=site.root, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert pstats.Stats(str(profile)).total_calls > 0


def test_all_broken_articles_are_reported_at_once(site):
    site.add("a.md", "no front matter")
    site.add("b.md", article("B", topics="[]"))
    result = run(site)
    assert result.returncode == 1
    assert "content/a.md:1:" in result.stderr and "content/b.md:4:" in result.stderr
    assert "2 problems found" in result.stderr


def test_two_articles_claiming_one_url_name_both_files(site):
    site.add("2021/same-headline.md", article("Same Headline"))  # the URL comes from the file's name
    site.add("2022/same-headline.md", article("Same Headline"))
    result = run(site)
    assert result.returncode == 1
    assert "content/2021/same-headline.md" in result.stderr and "content/2022/same-headline.md" in result.stderr
    assert "/2021/03/same-headline/" in result.stderr


def test_a_broken_template_names_the_template_and_line(site):
    site.add("one.md", article("One"))
    (site.root / "templates" / "topics.html").write_text("{% extends 'base.html' %}\n{% block main %}\n{{ nope( }}\n{% endblock %}\n")
    result = run(site)
    assert result.returncode == 1
    assert re.search(r"templates/topics\.html:3: template error", result.stderr), result.stderr


def test_debug_shows_the_traceback(site):
    site.add("a.md", "no front matter")
    result = run(site, "build", "--debug")
    assert result.returncode == 1 and "Traceback" in result.stderr


def test_usage_errors_exit_2(site):
    assert run(site, "build", "--no-such-option").returncode == 2
    assert run(site, "frobnicate").returncode == 2


def test_a_build_never_changes_content(site):
    site.add("2021/one.md", "\ufeff---\r\ntitle: CRLF Story\r\ndate: 2021-03-04\r\ntopics: [AI]\r\n---\r\nBody\r\n")
    site.add("2021/two.md", article("Two", draft="true"))
    before = digest(site.root / "content")
    assert run(site, "build", "--drafts").returncode == 0
    assert digest(site.root / "content") == before


def test_drafts_are_built_only_with_the_flag(site):
    site.add("draft-story.md", article("Draft Story", draft="true"))
    assert run(site).returncode == 0
    assert not (site.public / "2021/03/draft-story").exists()
    assert run(site, "build", "--drafts").returncode == 0
    assert (site.public / "2021/03/draft-story/index.html").exists()


def test_a_sub_path_base_url_prefixes_every_internal_link(site):
    site.add("one.md", article("One", topics="[AI, Energy]"))
    assert run(site, "build", "--base-url", "https://user.github.io/archive").returncode == 0
    for page in site.public.rglob("*.html"):
        html = page.read_text()
        for link in re.findall(r'(?:href|src)="([^"#]+)"', html):
            assert link.startswith(("/archive/", "https://user.github.io/archive/")), (page, link)


def test_custom_content_and_output_folders(site, tmp_path):
    elsewhere = tmp_path / "articles"
    elsewhere.mkdir()
    (elsewhere / "elsewhere.md").write_text(article("Elsewhere"))
    assert run(site, "build", "--content", str(elsewhere), "--output", str(tmp_path / "out")).returncode == 0
    assert (tmp_path / "out/2021/03/elsewhere/index.html").exists()


@pytest.mark.parametrize("output", [".", "content"])
def test_refuses_to_use_a_folder_editors_own_as_output(site, output):
    site.add("one.md", article("One"))
    result = run(site, "build", "--output", output)
    assert result.returncode == 1 and "cannot be the output folder" in result.stderr
    assert (site.root / "content" / "one.md").exists()


def test_pathological_markdown_is_refused_naming_file_and_line(site):
    site.add("deep.md", article("Deep", body="Intro.\n\n" + "[" * 2000))
    result = run(site)
    assert result.returncode == 1
    assert "content/deep.md:8: more than 500 '['" in result.stderr


def test_an_oversized_article_is_refused(site):
    (site.root / "site.toml").write_text((site.root / "site.toml").read_text().replace("page_size", "max_article_bytes = 1000\npage_size"))
    site.add("big.md", article("Big", body="word " * 400))
    result = run(site)
    assert result.returncode == 1 and "content/big.md: the file is" in result.stderr and "over the limit" in result.stderr


def test_a_build_killed_at_any_moment_leaves_a_complete_site(site):
    import random
    import signal
    import time

    for i in range(150):
        site.add(f"2021/story-{i}.md", article(f"Story {i}", f"2021-0{1 + i % 9}-1{i % 9}", "[AI, Energy]", body="Text. " * 200))
    assert run(site).returncode == 0
    old = digest(site.public)
    (site.root / "content/2021/story-0.md").unlink()
    site.add("2021/brand-new.md", article("Brand New", "2021-09-30", "[AI]"))
    started = time.perf_counter()
    assert run(site).returncode == 0
    duration = time.perf_counter() - started
    new = digest(site.public)
    assert new != old
    # Go back to the old content, then kill rebuilds towards the new content at random moments.
    (site.root / "content/2021/brand-new.md").unlink()
    site.add("2021/story-0.md", article("Story 0", "2021-01-10", "[AI, Energy]", body="Text. " * 200))
    assert run(site).returncode == 0 and digest(site.public) == old
    (site.root / "content/2021/story-0.md").unlink()
    site.add("2021/brand-new.md", article("Brand New", "2021-09-30", "[AI]"))
    rng = random.Random(7)
    for _ in range(8):
        process = subprocess.Popen([sys.executable, str(BUILD_PY)], cwd=site.root,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, duration))
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert digest(site.public) in (old, new)
    assert run(site).returncode == 0 and digest(site.public) == new


def test_cache_options_and_summary_line(site, tmp_path):
    site.add("one.md", article("One"))
    first = run(site, "build", "--cache-dir", str(tmp_path / "cache"), "--jobs", "2")
    assert first.returncode == 0 and (tmp_path / "cache" / "gazette.sqlite").exists()
    assert re.search(r"built 1 articles: \d+ files written, 0 unchanged, 0 removed in [\d.]+ s", first.stdout)
    again = run(site, "build", "--cache-dir", str(tmp_path / "cache"))
    assert re.search(r": 0 files written, \d+ unchanged, 0 removed", again.stdout)
    cold = run(site, "build", "--no-cache")
    assert cold.returncode == 0 and not (site.root / ".cache").exists()
    assert run(site, "build", "--jobs", "0").returncode == 2


def test_import_then_build_shows_every_story(site):
    dump = REPO / "sources" / "tech-news-dump-01.txt"
    first = run(site, "import", str(dump), "--date", "2026-01-12")
    assert first.returncode == 0, first.stderr
    assert "4 created" in first.stdout
    again = run(site, "import", str(dump), "--date", "2026-01-12")
    assert "0 created, 4 unchanged" in again.stdout
    dry = run(site, "import", str(dump), "--content", "elsewhere", "--dry-run")
    assert dry.returncode == 0 and not (site.root / "elsewhere").exists()
    assert run(site).returncode == 0
    assert len(list(site.public.glob("2026/01/*/index.html"))) == 4


def test_import_of_a_bad_dump_exits_1_naming_it(site, tmp_path):
    (tmp_path / "empty.txt").write_text("\n\n")
    result = run(site, "import", str(tmp_path / "empty.txt"))
    assert result.returncode == 1 and "empty.txt" in result.stderr and "Traceback" not in result.stderr
    assert not any((site.root / "content").rglob("*.md"))


def test_check_passes_a_fresh_build_and_fails_a_broken_link(site):
    site.add("one.md", article("One", body="See [two](/2021/03/two/) and [nowhere](/2021/03/nowhere/)."))
    site.add("two.md", article("Two"))
    assert run(site).returncode == 0
    result = run(site, "check")
    assert result.returncode == 1
    assert "content/one.md:6:" in result.stderr and "/2021/03/nowhere/" in result.stderr
    site.add("one.md", article("One", body="See [two](/2021/03/two/)."))
    assert run(site).returncode == 0
    clean = run(site, "check")
    assert clean.returncode == 0, clean.stderr


def test_check_after_a_build_for_another_base_url_checks_that_build(site):
    """The deploy job builds with the URL GitHub Pages gives and then runs a bare `check`."""
    site.add("one.md", article("One", body="See [two](/2021/03/two/)."))
    site.add("two.md", article("Two"))
    assert run(site, "build", "--base-url", "https://someone.github.io/gz").returncode == 0
    result = run(site, "check")
    assert result.returncode == 0, result.stderr
    other = run(site, "check", "--base-url", "https://example.net/")
    assert other.returncode == 1 and "was built for the base URL https://someone.github.io/gz/" in other.stderr


def test_a_folder_the_build_did_not_make_is_refused_as_output_and_kept(site):
    """A build replaces its output folder wholesale: it once moved a thesis away, then deleted it."""
    site.add("one.md", article("One"))
    theirs = site.root / "thesis"
    theirs.mkdir()
    (theirs / "thesis.txt").write_text("years of work")
    for _ in range(2):
        result = run(site, "build", "--output", "thesis")
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "thesis: is not empty and was not made by Gazette" in result.stderr
    assert sorted(p.name for p in site.root.iterdir() if "thesis" in p.name) == ["thesis"]
    assert [p.name for p in theirs.iterdir()] == ["thesis.txt"]


def test_the_imported_dumps_folder_is_refused_as_output(site):
    site.add("one.md", article("One"))
    (site.root / "sources").mkdir()
    (site.root / "sources" / "tech-news-dump-01.txt").write_text("STORY")
    for _ in range(2):
        assert run(site, "build", "--output", "sources").returncode == 1
    assert (site.root / "sources" / "tech-news-dump-01.txt").read_text() == "STORY"


def test_a_file_given_as_output_is_refused_and_kept(site):
    site.add("one.md", article("One"))
    (site.root / "notes.txt").write_text("mine")
    for _ in range(2):
        result = run(site, "build", "--output", "notes.txt")
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "notes.txt: is a file, not a folder" in result.stderr
    assert (site.root / "notes.txt").read_text() == "mine"
    assert not list(site.root.glob(".notes.txt*"))


@pytest.mark.parametrize("output", ["content/public", "templates/out", "static/site"])
def test_an_output_inside_the_sources_is_refused(site, output):
    site.add("one.md", article("One"))
    before = sorted(p.relative_to(site.root) for p in site.root.rglob("*"))
    result = run(site, "build", "--output", output)
    assert result.returncode == 1 and "is inside" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.relative_to(site.root) for p in site.root.rglob("*")) == before


def test_an_empty_folder_or_one_the_build_made_is_accepted_as_output(site):
    site.add("one.md", article("One"))
    (site.root / "out").mkdir()
    for _ in range(2):
        result = run(site, "build", "--output", "out")
        assert result.returncode == 0, result.stderr
    assert (site.root / "out/2021/03/one/index.html").is_file()


def test_a_body_markdown_cannot_render_in_time_is_an_error_and_the_others_are_still_reported(site):
    """`"<a "` repeated makes Python-Markdown's HTML parser quadratic: 100 KB of it takes
    minutes. The build stops it at `markdown_time_limit` and goes on with the others."""
    config = site.root / "site.toml"
    config.write_text(config.read_text().replace("page_size", "markdown_time_limit = 1\npage_size"))
    for number in range(2):
        site.add(f"slow-{number}.md", article(f"Slow {number}", body="<a " * 35_000))
    site.add("broken.md", article("Broken", date="someday"))
    site.add("fine.md", article("Fine"))
    result = run(site)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    for number in range(2):
        assert f"content/slow-{number}.md: the body did not render within 1 s" in result.stderr
    assert "content/broken.md:3: 'date' is not a valid date" in result.stderr
    assert not (site.root / "public").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_a_named_pipe_or_a_device_among_the_articles_is_refused_without_waiting(site):
    os.mkfifo(site.root / "content" / "pipe.md")  # reading it would wait for a writer forever
    (site.root / "content" / "zero.md").symlink_to("/dev/zero")  # and this never ends
    site.add("fine.md", article("Fine"))
    result = run(site)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "content/pipe.md: is a named pipe (FIFO), not a Markdown article" in result.stderr
    assert "content/zero.md: is a device or socket, not a Markdown article" in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_import_refuses_a_named_pipe_and_a_device_without_waiting(site, tmp_path):
    os.mkfifo(tmp_path / "dump.txt")
    result = run(site, "import", str(tmp_path / "dump.txt"), "/dev/zero")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{tmp_path / 'dump.txt'}: is a named pipe (FIFO), not a dump file" in result.stderr
    assert list((site.root / "content").iterdir()) == []


@pytest.mark.parametrize("args, message", [
    (["--cache-dir", "a-file"], "a-file: cannot hold the build cache (--cache-dir): is a file"),
    (["--cache-dir", "a-file/cache"], "a-file/cache: cannot hold the build cache (--cache-dir): Not a directory"),
    (["--content", "a-file"], "a-file: is a file, not the content folder"),
    (["--output", "a-file/public"], "a-file/public: cannot be the output folder: a-file is a file"),
    (["new", "Hello", "--content", "a-file"], "cannot make the folder for the article: a-file is a file, not a folder"),
    (["check", "--content", "a-file"], "a-file: is a file, not the content folder"),
])
def test_a_file_where_a_folder_belongs_is_a_clear_error(site, args, message):
    (site.root / "a-file").write_text("an editor's notes\n")
    result = run(site, *args)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert message in result.stderr
    assert (site.root / "a-file").read_text() == "an editor's notes\n"


def test_a_folder_as_site_toml_is_a_clear_error(site):
    (site.root / "site.toml").unlink()
    (site.root / "site.toml").mkdir()
    result = run(site)
    assert result.returncode == 1 and "site.toml: is a folder; the site configuration is a file" in result.stderr
