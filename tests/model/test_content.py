from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from gazette.errors import GazetteError
from gazette.model.article import Topic, parse_date, read_article
from gazette.model.config import SiteConfig, TopicConfig
from gazette.model.content import load_articles

ZURICH = ZoneInfo("Europe/Zurich")
CONFIG = SiteConfig(
    title="T",
    base_url="/",
    timezone=ZURICH,
    topics=(TopicConfig("ai", "AI", "Artificial intelligence."),),
    max_article_bytes=10_000,
)
PATH = Path("content/story.md")


def read(text: str):
    return read_article(PATH, text.encode("utf-8"), CONFIG)


def problems_of(text: str | bytes) -> list[str]:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(GazetteError) as caught:
        read_article(PATH, raw, CONFIG)
    return [str(p) for p in caught.value.problems]


GOOD = "---\ntitle: Hello World\ndate: 2021-03-04\ntopics: [AI]\n---\nBody.\n"


def test_a_date_alone_is_midnight_in_the_site_timezone():
    assert parse_date("2021-03-04", ZURICH) == datetime(2021, 3, 4, tzinfo=ZURICH)


def test_an_offset_is_converted_to_the_site_timezone_keeping_the_instant():
    parsed = parse_date("2021-03-04T09:00:00+08:00", ZURICH)
    assert parsed == datetime(2021, 3, 4, 1, 0, tzinfo=timezone.utc)
    assert parsed.tzinfo == ZURICH


def test_z_suffix_and_space_separated_times_are_accepted():
    assert parse_date("2021-03-04T08:00:00Z", ZURICH).hour == 9
    assert parse_date("2021-03-04 10:30", ZURICH) == datetime(2021, 3, 4, 10, 30, tzinfo=ZURICH)


@pytest.mark.parametrize("value", ["2021-02-30", "yesterday", "", 2021, None])
def test_impossible_dates_are_rejected(value):
    with pytest.raises(ValueError):
        parse_date(value, ZURICH)


def test_a_valid_article_reads_into_a_typed_record():
    article, warnings = read(GOOD)
    assert article.title == "Hello World"
    assert article.slug == "story"  # from the file's name (content/story.md), not the title
    assert article.route == "2021/03/story/"
    assert article.topics == (Topic("ai", "AI"),)
    assert article.topics[0].title == "AI" and article.topics[0].description
    assert article.body == "Body.\n" and article.body_line == 6
    assert warnings == []


def test_topics_are_identified_by_slug():
    article, _ = read(GOOD.replace("[AI]", "[AI, ai, A.I., Energy Storage]"))
    assert [t.slug for t in article.topics] == ["ai", "energy-storage"]
    assert article.topics[1].title == "Energy Storage" and not article.topics[1].configured


def test_a_single_topic_may_be_written_without_brackets():
    article, _ = read(GOOD.replace("[AI]", "AI"))
    assert article.primary_topic.slug == "ai"


def test_optional_fields_are_read():
    text = GOOD.replace(
        "---\nBody",
        "tags: [bitcoin, Ebang]\nsummary: Short.\nslug: custom-slug\nimage: images/x.jpg\n"
        "image_caption: A cap.\nimage_credit: REUTERS\ndraft: true\nupdated: 2021-03-05\n"
        "source: dump.txt#1\n---\nBody",
    )
    article, _ = read(text)
    assert [t.name for t in article.tags] == ["bitcoin", "Ebang"]
    assert (article.summary, article.slug, article.image) == ("Short.", "custom-slug", "images/x.jpg")
    assert (article.image_caption, article.image_credit, article.source) == ("A cap.", "REUTERS", "dump.txt#1")
    assert article.draft is True and article.updated.day == 5


@pytest.mark.parametrize(
    "change, expected",
    [
        (("title: Hello World\n", ""), "story.md:1: 'title' is required"),
        (("title: Hello World", "title: ''"), "story.md:2: 'title' must be non-empty text"),
        (("title: Hello World", "title: 2021"), "story.md:2: 'title' must be non-empty text"),
        (("title: Hello World", "title: [a, b]"), "story.md:2: 'title' must be non-empty text"),
        (("date: 2021-03-04", "date: 2021-02-30"), "story.md:3: 'date' is not a valid date"),
        (("date: 2021-03-04\n", ""), "story.md:1: 'date' is required"),
        (("topics: [AI]", "topics: []"), "story.md:4: 'topics' is required"),
        (("topics: [AI]\n", ""), "story.md:1: 'topics' is required"),
        (("topics: [AI]", "topics: [AI, 3]"), "story.md:4: 'topics': expected a list of names"),
        (("topics: [AI]", "topics: ['???']"), "story.md:4: topic '???' has no letters"),
        (("topics: [AI]", "topics: [AI]\ndraft: maybe"), "story.md:5: 'draft' must be true or false"),
        (("topics: [AI]", "topics: [AI]\nslug: Not A Slug"), "story.md:5: 'slug' may hold only"),
    ],
)
def test_each_bad_field_is_named_with_its_line(change, expected):
    problems = problems_of(GOOD.replace(*change))
    assert any(p.startswith(f"content/{expected}") for p in problems), problems


def test_every_problem_in_one_file_is_reported():
    problems = problems_of("---\ntitle: ''\ndate: never\ntopics: []\n---\n")
    assert len(problems) == 3


@pytest.mark.parametrize(
    "raw, expected",
    [
        (b"", "story.md:1: the file is empty"),
        (b"no front matter here\n", "story.md:1: no front matter"),
        (b"---\ntitle: X\n", "story.md:1: front matter is not closed"),
        (b"---\n- a\n- b\n---\n", "story.md:2: front matter must be a mapping"),
        (b"---\ntitle: caf\xe9\n---\n", "story.md:2: the file is not UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "story.md: this is a binary file"),
        (b"x" * 10_001, "story.md: the file is 10,001 bytes, over the limit"),
    ],
)
def test_unreadable_files_get_one_clear_problem(raw, expected):

    assert any(p.startswith(f"content/{expected}") for p in problems_of(raw)), problems_of(raw)


def test_unknown_fields_are_a_warning_with_the_line():
    article, warnings = read(GOOD.replace("topics: [AI]", "topics: [AI]\nautor: Ann\nflavour: mint"))
    assert article.title == "Hello World"
    assert [str(w) for w in warnings] == [
        "content/story.md:5: warning: unknown field 'autor' is ignored (did you mean 'author'?)",
        "content/story.md:6: warning: unknown field 'flavour' is ignored",
    ]


def test_load_articles_reports_every_broken_file(tmp_path):
    content = tmp_path / "content"
    (content / "2021").mkdir(parents=True)
    (content / "2021" / "good.md").write_text(GOOD)
    (content / "2021" / "bad1.md").write_text("no front matter")
    (content / "bad2.md").write_text(GOOD.replace("2021-03-04", "2021-13-01"))
    (content / ".hidden.md").write_text("ignored: hidden files are not articles")
    with pytest.raises(GazetteError) as caught:
        load_articles(content, CONFIG)
    names = sorted(Path(p.path).name for p in caught.value.problems)
    assert names == ["bad1.md", "bad2.md"]


def test_load_articles_warns_once_per_unconfigured_topic(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.md").write_text(GOOD.replace("[AI]", "[Robotics]"))
    (content / "b.md").write_text(GOOD.replace("[AI]", "[robotics]").replace("Hello World", "Other"))
    loaded = load_articles(content, CONFIG)
    assert len(loaded.articles) == 2
    assert [w.message for w in loaded.warnings] == [
        "warning: topic 'Robotics' is not in site.toml; it gets a page all the same"
    ]


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

YAMLISH = st.text(alphabet=st.sampled_from(list("---\n:[]{}!&*#|>'\"%@`?,. \tabc0129-TZ\\\u00e9\ufeff\x00")), max_size=200)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=300), YAMLISH.map(lambda t: ("---\n" + t + "\n---\nbody").encode("utf-8", "surrogatepass"))))
def test_any_bytes_give_an_article_or_our_clear_error(raw):
    try:
        article, _ = read_article(PATH, raw, CONFIG)
    except GazetteError as exc:
        assert exc.problems and all(str(p).startswith("content/story.md") for p in exc.problems)
    else:
        assert article.title and article.topics and article.date.tzinfo is not None


@settings(max_examples=300, deadline=None)
@given(
    title=st.one_of(st.text(max_size=30), st.integers(), st.none(), st.lists(st.text(max_size=5), max_size=2)),
    date=st.one_of(st.text(max_size=25), st.dates().map(str), st.datetimes().map(lambda d: d.isoformat()), st.integers()),
    topics=st.one_of(st.text(max_size=10), st.lists(st.one_of(st.text(max_size=10), st.integers()), max_size=3)),
)
def test_any_field_values_give_an_article_or_our_clear_error(title, date, topics):
    import yaml

    text = "---\n" + yaml.safe_dump({"title": title, "date": date, "topics": topics}) + "---\nBody\n"
    try:
        read_article(PATH, text.encode("utf-8", "surrogatepass"), CONFIG)
    except GazetteError as exc:
        assert all(p.line is None or p.line >= 1 for p in exc.problems)


def test_unchanged_files_are_reused_and_changed_ones_read_again(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.md").write_text(GOOD)
    (content / "b.md").write_text(GOOD.replace("Hello World", "Other"))
    first = load_articles(content, CONFIG)
    assert first.reused == 0
    known = {record.path: record for record in first.records}
    (content / "b.md").write_text(GOOD.replace("Hello World", "Changed Title"))
    second = load_articles(content, CONFIG, known)
    assert second.reused == 1
    assert sorted(a.title for a in second.articles) == ["Changed Title", "Hello World"]
    assert first.articles[1].digest != second.articles[1].digest


def test_articles_read_together_share_equal_topics_and_tags_but_keep_their_spelling():
    shared: dict = {}
    first, _ = read_article(PATH, GOOD.replace("[AI]", "[AI, Quantum]").replace("---\nB", "tags: [GPU]\n---\nB").encode(), CONFIG, shared)
    second, _ = read_article(PATH, GOOD.replace("[AI]", "[AI, quantum]").replace("---\nB", "tags: [GPU]\n---\nB").encode(), CONFIG, shared)
    assert first.topics[0] is second.topics[0] and first.tags[0] is second.tags[0]
    assert [t.title for t in first.topics] == ["AI", "Quantum"]
    assert [t.title for t in second.topics] == ["AI", "quantum"]  # one slug, spelled as each article has it


def test_the_shipped_articles_keep_their_urls_now_that_the_file_name_makes_the_slug():
    """Before, the slug came from the title; `new` and the importer name files after the
    slug they make, so every shipped article's URL is the same under the new rule."""
    from support import REPO

    from gazette.model.config import load_config
    from gazette.model.content import load_articles
    from gazette.model.urls import article_route, title_slug

    config = load_config(REPO / "site.toml")
    loaded = load_articles(REPO / "content", config)
    assert loaded.articles
    for article in loaded.articles:
        given = read_article(article.source_path, article.source_path.read_bytes(), config)[0]
        text = article.source_path.read_text()
        slug_line = next((line for line in text.splitlines() if line.startswith("slug:")), None)
        old_slug = slug_line.split(":", 1)[1].strip().strip("'\"") if slug_line else title_slug(article.title)
        assert given.route == article_route(article.date, old_slug), article.source_path
