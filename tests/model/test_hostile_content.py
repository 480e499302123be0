"""Hostile and careless front matter and bodies: each gives a located error (or a page),
fast, and never a traceback, a hang or something unsafe in the output."""

from __future__ import annotations

import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from gazette.errors import GazetteError, quoted
from gazette.model.article import read_article, site_path
from gazette.model.config import SiteConfig, TopicConfig
from gazette.model.frontmatter import MAX_VALUES, FrontMatterError, parse_front_matter
from gazette.model.urls import MAX_SLUG

CONFIG = SiteConfig("T", "https://example.org/", timezone=ZoneInfo("Pacific/Kiritimati"),
                    topics=(TopicConfig("ai", "AI"),))
PATH = Path("content/x.md")


def article(front: str, body: str = "Body.") -> bytes:
    return f"---\n{front}\n---\n{body}\n".encode("utf-8", "surrogatepass")


def problems(raw: bytes) -> list[str]:
    return problems_at(PATH, raw)


def problems_at(path: Path, raw: bytes) -> list[str]:
    with pytest.raises(GazetteError) as caught:
        read_article(path, raw, CONFIG)
    return [str(problem) for problem in caught.value.problems]


def alias_bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, levels)]
    return "\n".join(lines)


def test_an_alias_bomb_is_refused_at_once_naming_the_line():
    started = time.perf_counter()
    found = problems(article(f"{alias_bomb()}\ntitle: *a8\ndate: 2021-01-01\ntopics: [AI]"))
    assert time.perf_counter() - started < 1  # expanded, the title would hold 9**9 strings
    # Line 6 holds a4, the first value to stand for more than MAX_VALUES (9**5 strings).
    assert found == [f"{PATH}:6: front matter expands to more than {MAX_VALUES:,} values through YAML aliases (*name)"]


def test_aliases_within_the_bound_still_work():
    data = parse_front_matter("t: &t [AI, Chips]\ntopics: *t\ntags: *t\n")
    assert data["topics"] == data["tags"] == ["AI", "Chips"]


def test_a_recursive_alias_is_refused():
    with pytest.raises(FrontMatterError, match="aliases"):
        parse_front_matter("a: &a [*a]\n")


def test_a_key_given_twice_is_refused_on_its_second_line():
    assert problems(article("title: One\ndate: 2021-01-01\ntitle: Two\ntopics: [AI]")) == [
        f"{PATH}:4: 'title' is given twice; keep one"]


def test_a_huge_wrong_value_is_cut_short_in_the_message():
    [message] = problems(article(f"title: [{', '.join(['x'] * 5000)}]\ndate: 2021-01-01\ntopics: [AI]"))
    assert message == f"{PATH}:2: 'title' must be non-empty text, not a list of 5000 items"
    [message] = problems(article(f"title: Fine\ndate: '{'9' * 100_000}'\ntopics: [AI]"))
    assert len(message) < 200


@pytest.mark.parametrize("field", ["date", "updated"])
@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "0001-01-01", "9999-12-31"])
def test_dates_at_the_edges_of_the_calendar_are_located_errors(field, value):
    front = "title: T\ndate: 2021-01-01\ntopics: [AI]" if field == "updated" else "title: T\ntopics: [AI]"
    [message] = problems(article(f"{front}\n{field}: {value}"))
    assert f"'{field}' is not a valid date: '{value}'" in message and "years 1 to 9999" in message


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ufffe"])
@pytest.mark.parametrize("field", ["title", "summary", "image_caption", "image_credit"])
def test_control_characters_in_text_fields_are_refused(field, character):
    escaped = "\\x%02x" % ord(character) if ord(character) < 0x100 else "\\u%04x" % ord(character)
    front = f'date: 2021-01-01\ntopics: [AI]\n{field}: "A{escaped}B"' + ("" if field == "title" else "\ntitle: T")
    [message] = problems(article(front))
    assert message.startswith(f"{PATH}:") and f"'{field}' holds the control character U+{ord(character):04X}" in message


@pytest.mark.parametrize("field", ["topics", "tags"])
def test_control_characters_in_names_are_refused(field):
    front = f'title: T\ndate: 2021-01-01\ntopics: [AI]\n{field}: ["A\\x07"]'.replace("topics: [AI]\ntopics", "topics")
    assert "holds the control character U+0007" in problems(article(front))[0]


def test_a_control_character_in_the_body_is_refused_with_its_line():
    assert problems(article("title: T\ndate: 2021-01-01\ntopics: [AI]", "Fine.\n\nA bell \x07 here.")) == [
        f"{PATH}:8: the body holds the control character U+0007; remove it"]


def test_a_long_file_name_makes_a_slug_cut_at_a_word():
    path = Path("content/" + "-".join(["headline"] * 25) + ".md")
    made, _ = read_article(path, article("title: T\ndate: 2021-01-01\ntopics: [AI]"), CONFIG)
    assert len(made.slug) <= MAX_SLUG and made.slug.endswith("headline")


def test_a_file_name_without_letters_or_digits_needs_a_slug():
    [message] = problems_at(Path("content/!!!.md"), article("title: T\ndate: 2021-01-01\ntopics: [AI]"))
    assert "the file name '!!!.md' has no letters or digits to make a URL from" in message


@pytest.mark.parametrize("field, value", [("topics", "t" * 300), ("tags", "word " * 60)])
def test_a_topic_or_tag_too_long_for_a_url_is_refused(field, value):
    front = f"title: T\ndate: 2021-01-01\ntopics: [AI]\n{field}: [{value}]".replace("topics: [AI]\ntopics", "topics")
    assert "is too long to make a URL from" in problems(article(front))[0]


def test_a_given_slug_too_long_for_a_url_is_refused():
    assert "'slug' is 150 characters long" in problems(article(f"title: T\ndate: 2021-01-01\ntopics: [AI]\nslug: {'a' * 150}"))[0]


@pytest.mark.parametrize("value, reason", [
    ("//evil.example/a.png", "a URL would load from another site"),
    ("https://evil.example/a.png", "a URL would load from another site"),
    ("javascript:alert(1)", "a URL would load from another site"),
    ("../../etc/passwd", "is not a path under static/"),
    ("images//a.png", "is not a path under static/"),
    ("images\\a.png", "is not a path under static/"),
    ("a.png?x=1", "is not a path under static/"),
    ("/", "is not a path under static/"),
])
def test_an_image_that_is_not_a_path_under_static_is_refused(value, reason):
    with pytest.raises(ValueError, match=reason.replace("/", ".")):
        site_path(value)
    assert "'image'" in problems(article(f'title: T\ndate: 2021-01-01\ntopics: [AI]\nimage: "{value}"'))[0]


def test_an_image_path_may_start_at_the_site_root():
    assert site_path("/images/a.png") == site_path("images/a.png") == "images/a.png"


def test_quoted_escapes_and_cuts_what_it_shows():
    assert quoted("a\x1bb") == "'a\\x1bb'"
    assert quoted("x" * 500) == "'" + "x" * 59 + "…'"
    assert quoted(10**400) == "'a number of over 60 digits'"
    assert quoted({"a": 1}) == "a mapping of 1 item"


# --- a property: whatever the front matter and body, a located error or a page, in bounded time

from hypothesis import HealthCheck, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from gazette.build.markup import MarkdownRenderer, MarkupError  # noqa: E402
from gazette.model.article import forbidden_character  # noqa: E402

EDGE_DATES = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "2021-02-30", "2021-03-04T25:00:00",
              "2021-03-04", "2021-03-04T09:00:00+08:00", "1970-01-01Z", "'2021'", "[2021]"]
TEXTS = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["x" * 5000, "\\x00", "\\x07\\x1b[31m", "\\ufffe", "word " * 100, "</script><b>", "*a8", "&amp;"]),
)
FIELDS = st.sampled_from(["title", "date", "updated", "topics", "tags", "slug", "image", "summary", "draft",
                          "image_caption", "source", "nonsense"])
BODIES = st.one_of(
    st.text(max_size=300),
    st.builds(lambda unit, count: unit * count,
              st.sampled_from(["<a ", "`", "<http://", "[", "> ", "    ", "*", "_a ", "<!--", "&#", "](", "\x07"]),
              st.integers(1, 6000)),
)


def yaml_value(value: str) -> str:
    """A double-quoted YAML scalar; backslash escapes in `value` (such as \\x07) are kept as
    escapes, so that YAML makes control characters of them. `*name` stays an alias."""
    return value if value.startswith("*") else '"' + value.replace('"', '\\"') + '"'


@st.composite
def front_matters(draw) -> str:
    lines = [alias_bomb(draw(st.integers(1, 9)))] if draw(st.booleans()) else []
    for _ in range(draw(st.integers(0, 8))):
        field = draw(FIELDS)
        if field in ("date", "updated"):
            lines.append(f"{field}: {draw(st.sampled_from(EDGE_DATES))}")
        elif field in ("topics", "tags") or draw(st.integers(0, 4)) == 0:  # and lists where text belongs
            lines.append(f"{field}: [{', '.join(yaml_value(v) for v in draw(st.lists(TEXTS, max_size=3)))}]")
        else:
            lines.append(f"{field}: {yaml_value(draw(TEXTS))}")
    return "\n".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(front=front_matters(), body=BODIES, minimal=st.booleans())
@example(front=f'{alias_bomb()}\nsummary: *a8', body="", minimal=True)  # the shapes the issue found
@example(front=f'title: ["{"x" * 5000}"]', body="", minimal=False)
@example(front="", body="<a " * 40_000, minimal=True)
def test_any_front_matter_and_body_give_a_located_error_or_a_page_in_bounded_time(front, body, minimal):
    if minimal:  # give the reader a valid article to fail on later stages
        front = "title: T\ndate: 2021-03-04\ntopics: [AI]\n" + front
    started = time.perf_counter()
    try:
        made, _ = read_article(PATH, article(front, body), CONFIG)
        html = MarkdownRenderer(time_limit=0.5).render(made.body).html
    except GazetteError as exc:
        assert exc.problems and all(p.path == PATH and (p.line is None or p.line >= 1) for p in exc.problems)
        assert all(len(p.message) < 400 for p in exc.problems)
    except MarkupError as exc:
        assert exc.message and (exc.line is None or exc.line >= 1)
    else:
        for text in (made.title, made.summary or "", *(t.title for t in made.topics), *(t.name for t in made.tags)):
            assert forbidden_character(text) is None
        assert len(made.slug) <= MAX_SLUG and "<script" not in html
    assert time.perf_counter() - started < 5
