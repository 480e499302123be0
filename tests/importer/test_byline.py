"""Bylines: "By Jane Doe" alone on a line at the top of a story becomes `author:` (or `authors:`)
and leaves the body; anything less certain stays in the body as written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from support import REPO

from gazette.importer.byline import author_fields, parse_byline
from gazette.importer.dump import parse_dump
from gazette.importer.run import import_dumps
from gazette.model.config import SiteConfig, load_config
from gazette.model.frontmatter import (
    front_matter_text,
    parse_front_matter,
    split_front_matter,
)

DAY = date(2026, 1, 12)
CAPTION = "A robot on display at a fair in Beijing. REUTERS/Tingshu Wang"
FIRST = "Robot makers raised more money this year than in the five before it."
SECOND = "Investors expect the pace to slow."


@pytest.fixture(scope="module")
def config() -> SiteConfig:
    return load_config(REPO / "site.toml")


def story(headline: str, *body: str, caption: str | None = CAPTION) -> str:
    """One story the way the seed dump gives it: headline, caption twice, marker, repeats, body."""
    header = [headline, "", caption, caption, "TT", "", headline, "", caption, caption, ""] if caption else [headline, ""]
    return "\n".join([*header, *"\n\n".join(body).split("\n")]) + "\n"


def import_one(tmp_path: Path, config: SiteConfig, text: str, name: str = "bylines.txt") -> list[tuple[dict, str]]:
    """Import a dump; the front matter (as YAML reads it) and the body of every file written."""
    dump = tmp_path / name
    dump.write_text(text, encoding="utf-8")
    [report] = import_dumps([dump], tmp_path / "content", config, date=DAY)
    written = []
    for path in report.created:
        document = split_front_matter(path.read_text(encoding="utf-8"))
        written.append((parse_front_matter(document.front_matter), document.body.removeprefix("\n")))
    return written


# -- through the import ----------------------------------------------------------------------


def test_one_name_becomes_author_and_leaves_the_body(tmp_path, config):
    [(front, body)] = import_one(tmp_path, config, story("Robot Makers Raise Record Sums", "By Jane Doe", FIRST, SECOND))
    assert front["author"] == "Jane Doe" and "authors" not in front
    assert "By Jane Doe" not in body and "Jane Doe" not in body
    assert body.strip().startswith(FIRST)
    assert front["summary"] == FIRST  # the summary is the first real paragraph, not the byline
    assert front["source"] == "bylines.txt#1"


def test_several_names_become_an_authors_list(tmp_path, config):
    text = (
        story("Robot Makers Raise Record Sums", "By Jane Doe and John Roe", FIRST)
        + "\n\n"
        + story("Chip Makers Expand", "BY Jane Doe, John O'Roe and Ann van der Poe", SECOND, caption=None)
    )
    [(first, first_body), (second, second_body)] = import_one(tmp_path, config, text)
    assert first["authors"] == ["Jane Doe", "John Roe"] and "author" not in first
    assert second["authors"] == ["Jane Doe", "John O'Roe", "Ann van der Poe"]
    assert "Roe" not in first_body and "Poe" not in second_body


def test_a_sentence_starting_with_by_stays_in_the_body(tmp_path, config):
    sentence = "By the end of the year, prices rose."
    [(front, body)] = import_one(tmp_path, config, story("Prices Rise Again", sentence, FIRST))
    assert "author" not in front and "authors" not in front
    assert body.strip().startswith(sentence)
    assert front["summary"] == sentence


def test_a_story_without_a_byline_has_no_author(tmp_path, config):
    [(front, body)] = import_one(tmp_path, config, story("Robot Makers Raise Record Sums", FIRST, SECOND))
    assert "author" not in front and "authors" not in front
    assert body == f"{FIRST}\n\n{SECOND}\n"


def test_only_the_top_of_the_story_is_a_byline(tmp_path, config):
    [(front, body)] = import_one(tmp_path, config, story("Robot Makers Raise Record Sums", FIRST, "By Jane Doe", SECOND))
    assert "author" not in front
    assert "\n\nBy Jane Doe\n\n" in body


def test_a_byline_with_nothing_after_it_stays_the_body(tmp_path, config):
    [(front, body)] = import_one(tmp_path, config, story("Robot Makers Raise Record Sums", "By Jane Doe"))
    assert "author" not in front and body == "By Jane Doe\n"


def test_an_agency_after_a_comma_is_left_in_the_body(tmp_path, config):
    [(front, body)] = import_one(tmp_path, config, story("Robot Makers Raise Record Sums", "By Jane Doe, Reuters", FIRST))
    assert "author" not in front and "authors" not in front
    assert body.startswith("By Jane Doe, Reuters\n")


def test_reimporting_a_story_with_a_byline_changes_nothing(tmp_path, config):
    dump = tmp_path / "bylines.txt"
    dump.write_text(story("Robot Makers Raise Record Sums", "By Jane Doe", FIRST), encoding="utf-8")
    [first] = import_dumps([dump], tmp_path / "content", config, date=DAY)
    before = first.created[0].read_bytes()
    [again] = import_dumps([dump], tmp_path / "content", config, date=DAY)
    assert again.created == again.kept == [] and again.unchanged == first.created
    assert first.created[0].read_bytes() == before


def test_an_edited_author_is_kept_unless_forced(tmp_path, config):
    dump = tmp_path / "bylines.txt"
    dump.write_text(story("Robot Makers Raise Record Sums", "By Jane Doe", FIRST), encoding="utf-8")
    [first] = import_dumps([dump], tmp_path / "content", config, date=DAY)
    path = first.created[0]
    path.write_text(path.read_text(encoding="utf-8").replace("author: Jane Doe", "author: Jane Q. Doe"), encoding="utf-8")
    [again] = import_dumps([dump], tmp_path / "content", config, date=DAY)
    assert again.kept == [path] and "Jane Q. Doe" in path.read_text(encoding="utf-8")
    [forced] = import_dumps([dump], tmp_path / "content", config, date=DAY, force=True)
    assert forced.overwritten == [path] and "author: Jane Doe\n" in path.read_text(encoding="utf-8")


def test_the_parsed_story_keeps_the_byline_line(tmp_path):
    # Recognising a byline is the article writer's step: parse_dump still gives every block.
    [parsed] = parse_dump(story("Robot Makers Raise Record Sums", "By Jane Doe", FIRST))
    assert parsed.paragraphs == ("By Jane Doe", FIRST)


# -- the recogniser --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, names",
    [
        ("By Jane Doe", ("Jane Doe",)),
        ("BY Jane Doe", ("Jane Doe",)),
        ("BY JANE DOE", ("JANE DOE",)),
        ("By Jane Doe and John Roe", ("Jane Doe", "John Roe")),
        ("By Jane Doe & John Roe", ("Jane Doe", "John Roe")),
        ("BY JANE DOE AND JOHN ROE", ("JANE DOE", "JOHN ROE")),
        ("By Jane Doe, John Roe and Ann Poe", ("Jane Doe", "John Roe", "Ann Poe")),
        ("By Jane Doe, John Roe, and Ann Poe", ("Jane Doe", "John Roe", "Ann Poe")),
        ("By A, B C, D E and F G", None),  # a single capital is not a name
        ("By Jane Doe, John Roe, Ann Poe and Max Moe", ("Jane Doe", "John Roe", "Ann Poe", "Max Moe")),
        ("By J. R. R. Tolkien", ("J. R. R. Tolkien",)),
        ("By J.R. Smith", ("J.R. Smith",)),
        ("By Mary-Jane O'Brien", ("Mary-Jane O'Brien",)),
        ("By Mary O’Brien", ("Mary O’Brien",)),
        ("By Ludwig van Beethoven", ("Ludwig van Beethoven",)),
        ("By Ana de la Cruz", ("Ana de la Cruz",)),
        ("By Bashar al-Assad", ("Bashar al-Assad",)),
        ("By Valéry Giscard d'Estaing", ("Valéry Giscard d'Estaing",)),
        ("By Martin Luther King Jr.", ("Martin Luther King Jr.",)),
        ("By Reuters", ("Reuters",)),
        ("By José Álvarez", ("José Álvarez",)),
        ("By  Jane   Doe ", ("Jane Doe",)),
        # Sentences, phrases and other shapes stay text.
        ("By the end of the year, prices rose.", None),
        ("By the end of the year prices rose", None),
        ("By then", None),
        ("By Then", None),
        ("BY THE NUMBERS", None),
        ("By The Numbers", None),
        ("By Design", None),
        ("By 2030 robots will drive", None),
        ("By Jane Doe.", None),
        ("By Jane Doe!", None),
        ("By Jane Doe:", None),
        ("By Jane Doe, Reuters", None),  # an agency, a place or a job after the comma: left alone
        ("By Jane Doe, John Roe", None),  # a list without "and" is not one
        ("By Jane Doe (Reuters)", None),
        ("By Jane Doe and", None),
        ("By Jane Doe and the Team", None),
        ("By Jane Mary Ann Louise Doe", None),  # five words is not a name
        ("By Jane Doe, John Roe, Ann Poe, Max Moe and Eve Loe", None),  # five names is not a byline
        ("By Ludwig van", None),
        ("By van Beethoven", None),
        ("By J.", None),
        ("By Jane D0e", None),
        ("By " + "Bartholomew " * 3 + "and " + "Maximiliana " * 3 + "Longname", None),  # over 80 characters
        ("by Jane Doe", None),
        ("bY Jane Doe", None),
        ("By", None),
        ("By ", None),
        ("Byron Smith", None),
        ("Jane Doe", None),
        ("Written by Jane Doe", None),
        ("By: Jane Doe", None),
    ],
)
def test_parse_byline(line, names):
    assert parse_byline(line) == names


def test_author_fields_write_one_name_as_text_and_several_as_a_list():
    assert author_fields(()) == []
    assert author_fields(("Jane Doe",)) == [("author", "Jane Doe")]
    assert author_fields(("Jane Doe", "John Roe")) == [("authors", ["Jane Doe", "John Roe"])]
    text = front_matter_text(author_fields(("Jane Doe",)))
    assert text == "---\nauthor: Jane Doe\n---\n"
    assert front_matter_text(author_fields(("Jane Doe", "John Roe"))) == "---\nauthors: [Jane Doe, John Roe]\n---\n"
    # Whatever a name holds, YAML reads back exactly it.
    for names in [("Yes",), ("No", "Null"), ("O'Brien", "D’Angelo")]:
        data = parse_front_matter(front_matter_text(author_fields(names)).strip("-\n"))
        assert list(data.values()) == [names[0] if len(names) == 1 else list(names)]


def test_an_imported_byline_is_the_built_story_s_author(tmp_path, config):
    from datetime import datetime, timezone

    from support.site import SiteDir

    from gazette.build.pipeline import BuildOptions, build
    from gazette.project import Project

    site = SiteDir(tmp_path / "site")
    dump = tmp_path / "bylines.txt"
    dump.write_text(story("Robot Makers Raise Record Sums", "By Jane Doe and John Roe", FIRST, SECOND), encoding="utf-8")
    import_dumps([dump], site.root / "content", config, date=DAY)
    build(BuildOptions(Project.at(site.root), now=datetime(2026, 6, 1, tzinfo=timezone.utc)))
    [page] = [p for p in site.public.glob("2026/01/*/index.html")]
    html = page.read_text(encoding="utf-8")
    assert 'By <a href="/authors/jane-doe/" rel="author">Jane Doe</a> and <a href="/authors/john-roe/"' in html
    assert (site.public / "authors" / "john-roe" / "feed.xml").is_file()
