"""Authors (`author:`/`authors:` and site.toml's [[authors]]), corrections, plain pages and the
menu: read from front matter and site.toml, with located errors for what is wrong."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from gazette.errors import GazetteError
from gazette.model.article import read_article
from gazette.model.config import AuthorConfig, MenuItem, SiteConfig, load_config
from gazette.model.plain_pages import find_plain_page_files, read_plain_page

ZURICH = ZoneInfo("Europe/Zurich")
CONFIG = SiteConfig("T", "/", timezone=ZURICH,
                    authors=(AuthorConfig("jdoe", "Jane Doe", "Covers chips.", "https://jane.example/"),))
PATH = Path("content/story.md")


def read(front: str):
    text = f"---\ntitle: Hello\ndate: 2021-03-04\ntopics: [AI]\n{front}---\nBody.\n"
    return read_article(PATH, text.encode(), CONFIG)


def problems_of(front: str) -> list[str]:
    with pytest.raises(GazetteError) as caught:
        read(front)
    return [str(p) for p in caught.value.problems]


def test_an_author_is_a_byline_known_by_name_or_slug():
    article, _ = read("author: Jane Doe\n")
    [jane] = article.authors
    assert (jane.slug, jane.name, jane.bio, jane.url, jane.route) == (
        "jdoe", "Jane Doe", "Covers chips.", "https://jane.example/", "authors/jdoe/")
    article, _ = read("authors: [jdoe, John Roe, 'JOHN ROE']\n")
    assert [(a.slug, a.name, a.configured) for a in article.authors] == [
        ("jdoe", "Jane Doe", True), ("john-roe", "John Roe", False)]  # one John Roe, as first spelled
    assert read("")[0].authors == ()


@pytest.mark.parametrize("front, message", [
    ("author: Jane\nauthors: [John]\n", "content/story.md:6: give 'author' or 'authors', not both"),
    ("authors: [Jane, 3]\n", "content/story.md:5: 'authors': expected a list of names"),
    ("author: '!!!'\n", "content/story.md:5: author '!!!' has no letters or digits to make a URL from"),
])
def test_bad_bylines_are_located_errors(front, message):
    [problem] = problems_of(front)
    assert problem.startswith(message)


def test_corrections_are_dated_notices_oldest_first():
    article, _ = read("corrections:\n  - date: 2021-03-08\n    text: Second.\n  - date: 2021-03-06\n    text: First\n      of two lines.\n")
    assert [(c.date, c.text) for c in article.corrections] == [
        (datetime(2021, 3, 6, tzinfo=ZURICH), "First of two lines."), (datetime(2021, 3, 8, tzinfo=ZURICH), "Second.")]


@pytest.mark.parametrize("front, message", [
    ("corrections: Fixed a typo.\n", "'corrections' must be a list of date and text"),
    ("corrections:\n  - date: 2021-03-06\n", "correction #1: 'text' must be non-empty text"),
    ("corrections:\n  - text: Fixed.\n", "correction #1: 'date' is not a valid date"),
    ("corrections:\n  - date: 2021-13-06\n    text: Fixed.\n", "correction #1: 'date' is not a valid date: '2021-13-06'"),
    ("corrections:\n  - date: 2021-03-06\n    text: Fixed.\n    by: me\n", "correction #1: unknown key 'by'"),
])
def test_bad_corrections_are_errors_at_the_field(front, message):
    [problem] = problems_of(front)
    assert problem.startswith("content/story.md:5: ") and message in problem


def test_a_plain_page_has_a_title_a_summary_and_a_name_from_its_file():
    path = Path("content/pages/About Us.md")
    page, warnings = read_plain_page(path, b"---\ntitle: About\nsummary: Who we are.\ndate: 2021-01-01\n---\nHi.\n", CONFIG)
    assert (page.name, page.route, page.title, page.summary, page.body_line) == ("about-us", "about-us/", "About", "Who we are.", 6)
    assert [str(w) for w in warnings] == [f"{path}:4: warning: unknown field 'date' is ignored"]
    with pytest.raises(GazetteError, match="'title' is required"):
        read_plain_page(path, b"---\nsummary: x\n---\nHi.\n", CONFIG)


def test_pages_are_only_the_files_directly_in_content_pages(tmp_path):
    pages = tmp_path / "content" / "pages"
    (pages / "legal").mkdir(parents=True)
    (pages / "about.md").write_text("x")
    (pages / ".about.md.swp").write_text("x")
    (pages / "legal" / "privacy.md").write_text("x")
    found, stray = find_plain_page_files(tmp_path / "content")
    assert found == [str(pages / "about.md")]
    assert [str(p) for p in stray] == [
        f"{pages / 'legal' / 'privacy.md'}: warning: not read; a page is {pages}/<name>.md, without sub-folders"]


def test_site_toml_declares_authors_and_a_menu(tmp_path):
    path = tmp_path / "site.toml"
    path.write_text('title = "T"\nbase_url = "https://example.org/"\n\n'
                    '[[authors]]\nname = "Jane Doe"\nslug = "jdoe"\nbio = "Chips."\nurl = "https://jane.example/"\n\n'
                    '[[menu]]\ntitle = "Home"\nurl = "/"\n\n[[menu]]\ntitle = "About"\nurl = "/about/"\n\n'
                    '[[menu]]\ntitle = "Code"\nurl = "https://github.com/example"\n')
    config = load_config(path)
    assert config.authors == (AuthorConfig("jdoe", "Jane Doe", "Chips.", "https://jane.example/"),)
    assert config.menu == (MenuItem("Home", ""), MenuItem("About", "about/"), MenuItem("Code", "https://github.com/example", True))
    assert config.warnings == ()


@pytest.mark.parametrize("tables, message", [
    ('[[menu]]\ntitle = "A"\nurl = "about"\n', ":4: [[menu]] #1: 'url' must be a path of this site such as /about/"),
    ('[[menu]]\ntitle = "A"\nurl = "javascript:alert(1)"\n', ":4: [[menu]] #1: 'url' must be a path"),
    ('[[menu]]\ntitle = "A"\nurl = "/../x/"\n', ":4: [[menu]] #1: 'url' '/../x/' is not a path of this site"),
    ('[[menu]]\nurl = "/a/"\n', ":4: [[menu]] #1 needs a title"),
    ('[[authors]]\nname = "A"\n\n[[authors]]\nname = "B"\nbio = 3\n', ":7: [[authors]] #2: 'bio' must be text, not '3'"),
    ('[[authors]]\nname = "A"\nurl = "jane.example"\n', ":4: [[authors]] #1: 'jane.example' is not a web address"),
    ('[[authors]]\nname = "A B"\n\n[[authors]]\nname = "a-b"\n', ":7: author slug 'a-b' is defined twice"),
    ('menu = "Home"\n', ":4: 'menu' must be [[menu]] tables"),
])
def test_bad_authors_and_menus_are_errors_with_the_line(tmp_path, tables, message):
    path = tmp_path / "site.toml"
    path.write_text(f'title = "T"\nbase_url = "https://example.org/"\n\n{tables}')
    with pytest.raises(GazetteError) as caught:
        load_config(path)
    assert any(message in str(p) for p in caught.value.problems), [str(p) for p in caught.value.problems]


def test_unknown_keys_of_authors_and_menus_are_warnings(tmp_path):
    path = tmp_path / "site.toml"
    path.write_text('title = "T"\nbase_url = "https://example.org/"\n\n[[authors]]\nname = "A"\nbiography = "x"\n\n'
                    '[[menu]]\ntitle = "A"\nurl = "/"\nlink = "/a/"\n')
    assert [str(w) for w in load_config(path).warnings] == [
        f"{path}:4: warning: unknown [[authors]] key 'biography'",
        f"{path}:8: warning: unknown [[menu]] key 'link'",
    ]
