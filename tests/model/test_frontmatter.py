import pytest

from gazette.model.frontmatter import (
    FrontMatterError,
    field_line,
    parse_front_matter,
    split_front_matter,
)


def test_split_returns_front_matter_body_and_body_line():
    doc = split_front_matter("---\ntitle: X\ndate: 2021-01-01\n---\nHello\n")
    assert doc.front_matter == "title: X\ndate: 2021-01-01\n"
    assert doc.body == "Hello\n"
    assert doc.body_line == 5


def test_split_accepts_crlf_and_byte_order_mark():
    doc = split_front_matter("\ufeff---\r\ntitle: X\r\n---\r\nBody\r\n")
    assert doc.front_matter == "title: X\r\n"
    assert doc.body == "Body\r\n"


def test_split_accepts_yaml_document_end_marker():
    assert split_front_matter("---\na: 1\n...\nbody").body == "body"


def test_a_later_horizontal_rule_stays_in_the_body():
    doc = split_front_matter("---\na: 1\n---\nOne\n\n---\n\nTwo\n")
    assert doc.body == "One\n\n---\n\nTwo\n"


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty"),
        ("   \n\n", "empty"),
        ("title: X\n\nBody", "no front matter"),
        ("---\ntitle: X\nBody without end\n", "not closed"),
    ],
)
def test_split_rejects_documents_without_front_matter(text, message):
    with pytest.raises(FrontMatterError, match=message) as caught:
        split_front_matter(text)
    assert caught.value.line == 1


def test_parse_keeps_dates_as_text_for_our_own_validation():
    data = parse_front_matter("date: 2021-02-30\nupdated: 2021-03-04T09:00:00+08:00\n")
    assert data == {"date": "2021-02-30", "updated": "2021-03-04T09:00:00+08:00"}


def test_parse_reports_the_file_line_of_a_yaml_error():
    # Line 1 is the opening '---', so the bad third YAML line is file line 4.
    with pytest.raises(FrontMatterError) as caught:
        parse_front_matter("title: ok\ndate: 2021-01-01\ntopics: [AI\n")
    assert caught.value.line is not None and caught.value.line >= 4
    assert "not valid YAML" in caught.value.message


def test_parse_rejects_a_list():
    with pytest.raises(FrontMatterError, match="mapping.*not a list"):
        parse_front_matter("- title\n- date\n")


def test_parse_rejects_a_bare_string():
    with pytest.raises(FrontMatterError, match="mapping"):
        parse_front_matter("just words\n")


def test_parse_rejects_empty_front_matter():
    with pytest.raises(FrontMatterError, match="empty"):
        parse_front_matter("\n")


def test_parse_reports_unhashable_keys_as_a_yaml_problem():
    with pytest.raises(FrontMatterError):
        parse_front_matter("? [a, b]\n: c\n")


def test_field_line_counts_the_opening_fence():
    assert field_line("title: X\ndate: Y\n", "date") == 3
    assert field_line("title: X\n", "date") is None
