"""The import stage end to end: dumps in, article files out, read back with the build's own reader."""

from __future__ import annotations

import html
import os
import re
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from support import REPO, TESTS
from support.bodies import without_heading_links

from gazette.build.markup import MarkdownRenderer
from gazette.errors import GazetteError
from gazette.importer.classify import classify
from gazette.importer.dump import Block, BlockKind, Story, parse_dump
from gazette.importer.escape import normalize_text
from gazette.importer.run import (
    DumpReport,
    article_text,
    decode_dump,
    default_import_date,
    import_dumps,
    story_time,
)
from gazette.model.article import read_article
from gazette.model.config import SiteConfig, TopicConfig, load_config, parse_config
from gazette.model.content import load_articles

ROOT = REPO
SEED = ROOT / "sources" / "tech-news-dump-01.txt"
LOOKALIKES = TESTS / "dumps" / "markdown-lookalikes.txt"
DAY = date(2026, 1, 12)
RENDERER = MarkdownRenderer()
_BLOCK = re.compile(r"<(p|h2)(?: [^>]*)?>(.*?)</\1>", re.S)


@pytest.fixture(scope="module")
def config() -> SiteConfig:
    return load_config(ROOT / "site.toml")


def run(dumps, content, config, *, day=DAY, dry_run=False, force=False) -> list[DumpReport]:
    return import_dumps(list(dumps), content, config, date=day, dry_run=dry_run, force=force)


def files_in(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def rendered_blocks(body: str) -> list[tuple[str, str]]:
    """(tag, text) of every paragraph and heading; nothing else may be in the page body."""
    rendered = without_heading_links(RENDERER.render(body).html)
    assert _BLOCK.sub("", rendered).strip() == "", rendered
    return [(tag, html.unescape(inner)) for tag, inner in _BLOCK.findall(rendered)]


def expected_blocks(story: Story) -> list[tuple[str, str]]:
    return [("h2" if b.kind is BlockKind.HEADING else "p", b.text) for b in story.blocks]


# -- the seed dump, end to end --------------------------------------------------------------


def test_seed_import_writes_four_readable_articles(tmp_path, config):
    content = tmp_path / "content"
    [report] = run([SEED], content, config)
    stories = parse_dump(SEED.read_text(encoding="utf-8"))

    assert report.stories == 4 and len(report.created) == 4
    assert report.unchanged == report.kept == report.overwritten == []
    assert sorted(files_in(content)) == sorted(p.relative_to(content).as_posix() for p in report.created)
    for path, story in zip(report.created, stories):
        assert path.parent == content / "2026" and path.suffix == ".md"
        article, warnings = read_article(path, path.read_bytes(), config)
        assert warnings == []
        assert article.title == story.headline
        assert article.source == f"tech-news-dump-01.txt#{story.position}"
        assert article.date == datetime(2026, 1, 12, 12, tzinfo=ZoneInfo("UTC")) - timedelta(minutes=story.position - 1)
        assert article.summary and story.paragraphs[0].startswith(article.summary.rstrip("…"))
        # Every paragraph (and the subheading) shows exactly as written, in order, and nothing else.
        blocks = rendered_blocks(article.body)
        assert blocks == expected_blocks(story)
        page_text = html.unescape(re.sub(r"<[^>]+>", "", RENDERER.render(article.body).html))
        for paragraph in story.paragraphs:
            assert paragraph in page_text
        assert "TT" not in [text for _, text in blocks]
        assert story.headline not in [text for _, text in blocks]

    # The whole folder loads as the build loads it.
    loaded = load_articles(content, config)
    assert len(loaded.articles) == 4 and loaded.warnings == []


def test_seed_articles_have_four_distinct_sensible_topics(tmp_path, config):
    [report] = run([SEED], tmp_path, config)
    articles = [read_article(p, p.read_bytes(), config)[0] for p in report.created]
    assert [a.primary_topic.slug for a in articles] == ["crypto", "energy", "policy", "ai"]


def test_seed_captions_and_credits(tmp_path, config):
    [report] = run([SEED], tmp_path, config)
    articles = [read_article(p, p.read_bytes(), config)[0] for p in report.created]
    assert [(a.image_caption, a.image_credit) for a in articles] == [
        ("FILE PHOTO: A collection of bitcoin (virtual currency) tokens are displayed in this picture illustration"
         " taken Dec. 8, 2017.", "REUTERS/Benoit Tessier/Illustration/File Photo"),
        ("The image shows a test cell used to fabricate and test the all-solid-state battery developed at PSI.",
         "Paul Scherrer Institute PSI/Mahir Dzambegovic"),
        ("Meta has called for Australia's social media for under-16s to target app stores.", "Saeed KHAN / AFP"),
        ("Visitors look at robots on display at robotics company Unitree's first retail store in Beijing in"
         " January 9, 2026.", "AFP"),
    ]
    assert all(a.image is None for a in articles)


def test_front_matter_fields_in_order(tmp_path, config):
    [report] = run([SEED], tmp_path, config)
    text = report.created[3].read_text(encoding="utf-8")
    front = text.split("---\n")[1]
    assert [line.split(":")[0] for line in front.splitlines()] == [
        "title", "date", "topics", "tags", "summary", "image_caption", "image_credit", "source"
    ]
    assert "date: 2026-01-12T11:57:00+00:00\n" in front
    assert "\n## MIND THE INVESTMENT GAP\n" in text


# -- idempotency ----------------------------------------------------------------------------


def test_importing_again_changes_nothing(tmp_path, config):
    content = tmp_path / "content"
    run([SEED], content, config)
    before = files_in(content)
    mtimes = {p: p.stat().st_mtime_ns for p in content.rglob("*.md")}
    [report] = run([SEED], content, config)
    assert report.created == report.kept == report.overwritten == [] and len(report.unchanged) == 4
    assert files_in(content) == before
    assert {p: p.stat().st_mtime_ns for p in content.rglob("*.md")} == mtimes


def test_importing_again_on_another_day_changes_nothing(tmp_path, config):
    content = tmp_path / "content"
    run([SEED], content, config)
    before = files_in(content)
    [report] = run([SEED], content, config, day=date(2027, 5, 1))
    assert len(report.unchanged) == 4 and files_in(content) == before


def test_an_edited_file_is_kept_unless_forced(tmp_path, config):
    content = tmp_path / "content"
    [first] = run([SEED], content, config)
    edited = first.created[1]
    edited.write_text(edited.read_text(encoding="utf-8").replace("breakthrough", "big step"), encoding="utf-8")
    edited_bytes = edited.read_bytes()

    [report] = run([SEED], content, config)
    assert report.kept == [edited] and len(report.unchanged) == 3 and report.created == []
    assert edited.read_bytes() == edited_bytes
    assert "kept" in str(report) and str(edited) in str(report)

    [forced] = run([SEED], content, config, force=True)
    assert forced.overwritten == [edited] and len(forced.unchanged) == 3
    assert b"breakthrough" in edited.read_bytes()
    [again] = run([SEED], content, config)
    assert len(again.unchanged) == 4


def test_a_moved_file_is_still_recognised(tmp_path, config):
    content = tmp_path / "content"
    [first] = run([SEED], content, config)
    moved = content / "energy" / "batteries.md"
    moved.parent.mkdir()
    shutil.move(first.created[1], moved)
    [report] = run([SEED], content, config)
    assert report.created == [] and moved in report.unchanged
    assert len(list(content.rglob("*.md"))) == 4


def test_stories_appended_to_a_dump_are_added(tmp_path, config):
    content = tmp_path / "content"
    dump = tmp_path / "tech-news-dump-01.txt"
    dump.write_bytes(SEED.read_bytes())
    run([dump], content, config)
    before = files_in(content)
    extra = "\n\n\nA Fifth Story Arrives\n\nTT\n\nA Fifth Story Arrives\n\nIt is about nothing much.\n"
    dump.write_text(SEED.read_text(encoding="utf-8") + extra, encoding="utf-8")

    [report] = run([dump], content, config)
    assert len(report.unchanged) == 4 and len(report.created) == 1
    assert {k: v for k, v in files_in(content).items() if k in before} == before  # earlier stories untouched
    article, _ = read_article(report.created[0], report.created[0].read_bytes(), config)
    assert article.source == "tech-news-dump-01.txt#5"
    assert article.date.strftime("%H:%M") == "11:56"
    assert [t.slug for t in article.topics] == [config.fallback_topic]


def test_dry_run_writes_nothing(tmp_path, config):
    content = tmp_path / "content"
    [report] = run([SEED], content, config, dry_run=True)
    assert len(report.created) == 4 and not content.exists()
    assert "would be created" in str(report) and "nothing written" in str(report)


def test_writes_leave_no_temporary_files_and_normal_permissions(tmp_path, config):
    content = tmp_path / "content"
    [report] = run([SEED], content, config)
    assert sorted(p.name for p in (content / "2026").iterdir()) == sorted(p.name for p in report.created)
    mode = report.created[0].stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask


# -- slugs ----------------------------------------------------------------------------------


def test_two_stories_with_one_headline_get_two_pages(tmp_path, config):
    story = "Robots Are Coming\n\nTT\n\nRobots Are Coming\n\n{}\n"
    dump = tmp_path / "robots.txt"
    dump.write_text(story.format("First robots.") + "\n\n" + story.format("Second robots."), encoding="utf-8")
    [report] = run([dump], tmp_path / "content", config)
    first, second = (read_article(p, p.read_bytes(), config)[0] for p in report.created)
    assert [p.name for p in report.created] == ["robots-are-coming.md", "robots-are-coming-2.md"]
    assert (first.slug, second.slug) == ("robots-are-coming", "robots-are-coming-2")
    assert first.route != second.route


def test_slug_does_not_clash_with_an_existing_article(tmp_path, config):
    content = tmp_path / "content"
    (content / "2025").mkdir(parents=True)
    (content / "2025" / "whatever.md").write_text(
        "---\ntitle: Robots Are Coming\ndate: 2025-01-01\ntopics: [AI]\n---\n\nText.\n", encoding="utf-8"
    )
    dump = tmp_path / "robots.txt"
    dump.write_text("Robots Are Coming\n\nTT\n\nRobots Are Coming\n\nText.\n", encoding="utf-8")
    [report] = run([dump], content, config)
    assert report.created == [content / "2026" / "robots-are-coming-2.md"]
    assert len({a.route for a in load_articles(content, config).articles}) == 2


# -- text that looks like Markdown or YAML ---------------------------------------------------


def test_markdown_lookalikes_show_as_written(tmp_path, config):
    [report] = run([LOOKALIKES], tmp_path / "content", config)
    stories = parse_dump(LOOKALIKES.read_text(encoding="utf-8"))
    assert len(report.created) == len(stories) == 2
    for path, story in zip(report.created, stories):
        article, _ = read_article(path, path.read_bytes(), config)
        assert article.title == story.headline
        assert rendered_blocks(article.body) == expected_blocks(story)
    first, _ = read_article(report.created[0], report.created[0].read_bytes(), config)
    assert first.title == "Python 3.14: What's New for [Developers] & #Ops *Today*"
    assert (first.image_caption, first.image_credit) == (
        "A developer types code on a laptop at a conference in Berlin.", "Photo: Jane Doe/Getty Images"
    )
    assert expected_blocks(stories[0])[-2] == ("h2", "WHAT C# AND F# DEVELOPERS SHOULD KNOW #")


_headline_text = st.text(min_size=1, max_size=80).filter(lambda t: any(c.isalpha() for c in t))


@settings(max_examples=150, deadline=None)
@given(
    headline=st.one_of(_headline_text, st.sampled_from(["[Draft] Plan", "#1: Top", "Yes", "null", "- Item", "'Quoted'", "a: b", "2026-01-12"])),
    caption=st.one_of(st.none(), st.text(min_size=1, max_size=80)),
    paragraph=st.text(min_size=1, max_size=80),
)
def test_any_text_survives_the_front_matter_and_body(config, headline, caption, paragraph):
    headline, paragraph = normalize_text(headline), normalize_text(paragraph)
    caption = normalize_text(caption) if caption else None
    assume(any(c.isalpha() or c.isdigit() for c in headline) and paragraph)
    story = Story(1, 1, headline, caption or None, 1 if caption else None, (Block(BlockKind.PARAGRAPH, paragraph, 1),))
    when = story_time(DAY, 1, config.timezone)
    text = article_text(story, source="x.txt#1", when=when, config=config, slug="a-slug")
    article, _ = read_article(Path("x.md"), text.encode("utf-8"), config)
    assert article.title == headline
    assert article.date == when and article.slug == "a-slug" and article.source == "x.txt#1"
    # Caption and credit together keep every word of the caption, in order.
    words = re.compile(r"\w+")
    kept = [part for part in (article.image_caption, article.image_credit) if part]
    assert [w for part in kept for w in words.findall(part)] == words.findall(caption or "")
    assert rendered_blocks(article.body) == [("p", paragraph)]


# -- reading dumps: encodings and bad input --------------------------------------------------


def test_bom_crlf_and_cp1252_import_the_same_articles(tmp_path, config):
    utf8 = SEED.read_text(encoding="utf-8")
    variants = {
        "bom": b"\xef\xbb\xbf" + utf8.encode("utf-8"),
        "crlf": utf8.replace("\n", "\r\n").encode("utf-8"),
        "cp1252": utf8.encode("cp1252"),  # curly quotes and the no-break space exist in Windows-1252
    }
    [plain] = run([SEED], tmp_path / "plain", config)
    expected = [p.read_text(encoding="utf-8") for p in plain.created]
    for name, data in variants.items():
        dump = tmp_path / name / SEED.name
        dump.parent.mkdir()
        dump.write_bytes(data)
        [report] = run([dump], tmp_path / name / "content", config)
        assert [p.read_text(encoding="utf-8") for p in report.created] == expected, name


def test_decode_dump_order():
    assert decode_dump("é".encode("utf-8"), Path("d.txt")) == "é"
    assert decode_dump(b"\xef\xbb\xbf\xc3\xa9", Path("d.txt")) == "é"
    assert decode_dump("“é”".encode("cp1252"), Path("d.txt")) == "“é”"


@pytest.mark.parametrize(
    "data, line, words",
    [
        (b"", 1, "empty"),
        (b"\r\n \r\n", 1, "empty"),
        (b"Headline\n\nBody \x81 text\n", 3, "neither UTF-8 nor Windows-1252"),
        ("Headline\n\nBody.\n".encode("utf-16"), 1, "UTF-16"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00", 1, "control character"),
        (("A very long paragraph without any headline. " * 20).encode(), 1, "not a story"),
        (b"Robots Are Coming\n\nTT\n\nRobots Are Coming\n", 1, "no paragraphs"),
    ],
)
def test_bad_dumps_are_located_errors_and_nothing_is_written(tmp_path, config, data, line, words):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(data)
    content = tmp_path / "content"
    with pytest.raises(GazetteError) as caught:
        run([SEED, bad], content, config)  # the good dump first: still nothing is written
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == (bad, line)
    assert words in problem.message
    assert str(problem).startswith(f"{bad}:{line}: ")
    assert not content.exists()


def test_a_story_the_build_would_refuse_is_a_located_error(tmp_path, config):
    bad = tmp_path / "brackets.txt"
    bad.write_text("Robots Are Coming\n\nTT\n\nRobots Are Coming\n\n" + "[" * 600 + "\n", encoding="utf-8")
    with pytest.raises(GazetteError) as caught:
        run([bad], tmp_path / "content", config)
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == (bad, 1) and "refuse" in problem.message
    assert not (tmp_path / "content").exists()


def test_every_bad_dump_is_reported_at_once(tmp_path, config):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_bytes(b"")
    second.write_bytes(b"Just a headline\n")
    with pytest.raises(GazetteError) as caught:
        run([first, second], tmp_path / "content", config)
    assert [(p.path, p.line) for p in caught.value.problems] == [(first, 1), (second, 1)]


def test_missing_dump_and_name_clash_are_errors(tmp_path, config):
    with pytest.raises(GazetteError, match="not found"):
        run([tmp_path / "missing.txt"], tmp_path / "content", config)
    other = tmp_path / "other" / SEED.name
    other.parent.mkdir()
    other.write_bytes(SEED.read_bytes())
    with pytest.raises(GazetteError, match="same name"):
        run([SEED, other], tmp_path / "content", config)
    [report] = run([SEED, SEED], tmp_path / "content", config)  # the same dump twice is one dump
    assert len(report.created) == 4


# -- dates ----------------------------------------------------------------------------------


def test_story_times_keep_the_dump_order_newest_first():
    zone = ZoneInfo("Europe/Zurich")
    times = [story_time(DAY, n, zone) for n in (1, 2, 3)]
    assert [t.isoformat() for t in times] == [
        "2026-01-12T12:00:00+01:00", "2026-01-12T11:59:00+01:00", "2026-01-12T11:58:00+01:00"
    ]


def test_default_import_date_from_the_name_or_the_file(tmp_path):
    named = tmp_path / "dump-2025-03-04.txt"
    named.write_text("x")
    assert default_import_date(named, ZoneInfo("UTC")) == date(2025, 3, 4)
    plain = tmp_path / "dump.txt"
    plain.write_text("x")
    stamp = datetime(2024, 7, 8, 10, tzinfo=ZoneInfo("UTC")).timestamp()
    os.utime(plain, (stamp, stamp))
    assert default_import_date(plain, ZoneInfo("UTC")) == date(2024, 7, 8)


def test_without_a_date_the_dump_files_date_is_used(tmp_path, config):
    dump = tmp_path / "news-2025-11-30.txt"
    dump.write_bytes(SEED.read_bytes())
    [report] = run([dump], tmp_path / "content", config, day=None)
    assert all(p.parent.name == "2025" for p in report.created)
    article, _ = read_article(report.created[0], report.created[0].read_bytes(), config)
    assert article.date.date() == date(2025, 11, 30)


# -- classification -------------------------------------------------------------------------


TOPICS = (
    TopicConfig("ai", "AI", keywords=("ai", "artificial intelligence")),
    TopicConfig("chips", "Chips", keywords=("chip", "chips", "semiconductor")),
    TopicConfig("policy", "Policy", keywords=("ban", "law")),
)


def test_classify_headline_weighs_more_than_text():
    result = classify("New AI model", ["A new chip.", "Chips and a semiconductor."], TOPICS, "tech")
    assert result.topics == ("ai", "chips")
    assert result.scores == {"ai": 3, "chips": 3}


def test_classify_matches_whole_words_and_plurals_once():
    result = classify("Said the maid", ["Chipmaking paid.", "A chip, two chips."], TOPICS, "tech")
    assert result.scores == {"chips": 2}  # not "said", not "chipmaking"; "chips" counted once
    assert result.topics == ("chips",)
    assert result.tags == ("chip",)


def test_classify_falls_back_when_nothing_or_too_little_matches():
    assert classify("Weather today", ["Sunny."], TOPICS, "tech").topics == ("tech",)
    assert classify("Weather today", ["One law."], TOPICS, "tech").topics == ("tech",)


def test_classify_keeps_up_to_three_strong_topics_primary_first():
    texts = ["ban ban ban", "chip chip", "AI AI AI AI AI AI"]
    assert classify("A story", texts, TOPICS, "tech").topics == ("ai", "policy", "chips")
    assert classify("A story", ["AI " * 20, "one ban"], TOPICS, "tech").topics == ("ai",)


def test_classify_ignores_empty_keywords():
    topics = (TopicConfig("misc", "Misc", keywords=("", " ")),)
    assert classify("Anything", ["at all"], topics, "tech").topics == ("tech",)


def test_fallback_topic_is_written_by_its_title(tmp_path):
    config = parse_config({"title": "T", "base_url": "https://example.org/", "fallback_topic": "Misc", "topics": [{"title": "Misc"}]}, tmp_path / "site.toml")
    story = parse_dump("Weather Today\n\nTT\n\nWeather Today\n\nSunny.\n")[0]
    text = article_text(story, source="d.txt#1", when=story_time(DAY, 1, config.timezone), config=config)
    assert "topics: [Misc]\n" in text


# -- fuzzing: no input makes the importer fail with anything but our clear error -------------

_DUMP_PIECES = st.sampled_from([
    "Headline Here", "Headline Here", "TT", "", "", "\n", "A caption. REUTERS/Name", "(AFP)", "Body text, plain.",
    "MIND THE GAP", "- item", "> quote", "2028. year", "<b>tag</b>", "*stars*", "\ufeff", "\r", "   ", "\t", "#tag",
])


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.binary(max_size=300),
    st.lists(_DUMP_PIECES, max_size=40).map(lambda lines: "\n".join(lines).encode("utf-8")),
    st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
))
def test_any_dump_gives_articles_or_our_clear_error(config, raw):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "fuzz.txt"
        dump.write_bytes(raw)
        content = Path(folder) / "content"
        try:
            reports = import_dumps([dump], content, config, date=date(2024, 1, 2))
        except GazetteError as exc:
            assert exc.problems and all(Path(p.path).name == "fuzz.txt" for p in exc.problems)
            assert not content.exists() or not any(content.rglob("*.md"))  # nothing half-written
            return
        written = sorted(content.rglob("*.md")) if content.exists() else []
        assert len(written) == len(reports[0].created)
        for path in written:  # every article it writes builds
            read_article(path, path.read_bytes(), config)
