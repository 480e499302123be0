import re

from gazette.build.markup import (
    table_box,
    MarkdownRenderer,
    RenderedBody,
    box_tables,
    shorten,
)


def test_renders_markdown_with_heading_ids_and_tables():
    body = MarkdownRenderer().render("## What next\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert '<h2 id="what-next">What next <a class="heading-link" href="#what-next"' in body.html
    assert f"{table_box()}<table>" in body.html
    assert body.html.rstrip().endswith("</table></div>")


def test_each_table_gets_a_focusable_scroll_box_of_its_own():
    assert box_tables("<p>no table</p>") == "<p>no table</p>"
    two = box_tables("<table><tr><td>1</td></tr></table><p>x</p><TABLE class='w'></TABLE>")
    assert two == (f"{table_box()}<table><tr><td>1</td></tr></table></div><p>x</p>"
                   f"{table_box()}<TABLE class='w'></TABLE></div>")
    nested = box_tables("<table><tr><td><table><tr><td>in</td></tr></table></td></tr></table>")
    assert nested.count(table_box()) == 1 and nested.endswith("</td></tr></table></td></tr></table></div>")
    # A table that is never closed (raw HTML in a trusted body) is left as it is.
    assert box_tables("<table><tr><td>open") == "<table><tr><td>open"
    assert box_tables("</table> stray") == "</table> stray"
    # <tablet> and <tbody> are not tables.
    assert box_tables("<tablet></tablet>") == "<tablet></tablet>"


def test_excerpt_is_the_plain_text_of_the_first_paragraph():
    body = MarkdownRenderer().render("## Head\n\nFirst *para* &amp; [link](x).\n\nSecond.")
    assert body.excerpt == "First para & link."


def test_reusing_the_renderer_does_not_leak_state_between_articles():
    renderer = MarkdownRenderer()
    first = renderer.render("Note[^1].\n\n[^1]: A footnote.")
    second = renderer.render("Plain.")
    assert "footnote" in first.html and "footnote" not in second.html


def test_reading_time_rounds_up_and_is_at_least_one_minute():
    assert RenderedBody("", "", 0).reading_minutes == 1
    assert RenderedBody("", "", 231).reading_minutes == 2


def test_shorten_cuts_at_a_word_boundary():
    assert shorten("one two three", limit=9) == "one two…"
    assert shorten("short", limit=9) == "short"


import pytest  # noqa: E402

from gazette.build.markup import MAX_NESTING, MarkupError, check_limits  # noqa: E402

HOSTILE = (
    'Hi <script>alert(1)</script><a href="javascript:alert(1)" onclick="steal()">link</a>'
    '<img src="x.png" onerror="alert(1)"><iframe src="https://evil.example"></iframe>'
    '<style>body{display:none}</style><form action="/x"><input></form>'
    '<a href="JaVaScRiPt:alert(1)">2</a><svg onload="alert(1)"></svg>'
)


def test_raw_html_is_sanitized_by_default():
    html = MarkdownRenderer().render(HOSTILE).html
    for bad in ("<script", "javascript:", "JaVaScRiPt", "onclick", "onerror", "<iframe", "<style", "<form", "<input", "onload"):
        assert bad not in html, bad
    assert '<img src="x.png">' in html and ">link</a>" in html


def test_safe_formatting_survives_sanitizing():
    text = "*em* **strong** `code` [a](https://x.org/ \"t\")\n\n| a |\n|:-:|\n| 1 |\n\nN[^1]\n\n[^1]: F\n\n## Head\n\n<abbr title=\"x\">X</abbr> <sup>2</sup>"
    html = MarkdownRenderer().render(text).html
    for kept in ("<em>em</em>", "<strong>strong</strong>", "<code>code</code>", 'href="https://x.org/"',
                 'class="align-center"', 'class="footnote-ref"', 'id="fn:1"', '<h2 id="head">', '<abbr title="x">', "<sup>2</sup>"):
        assert kept in html, kept


def test_trusted_html_is_kept_as_written():
    assert "<script>alert(1)</script>" in MarkdownRenderer(trusted_html=True).render(HOSTILE).html


@pytest.mark.parametrize(
    "text, line",
    [
        ("ok\n\n" + "> " * (MAX_NESTING + 1) + "deep", 3),
        ("".join("    " * i + "- item\n" for i in range(MAX_NESTING + 2)), MAX_NESTING + 2),
        ("fine\n\n" + "[" * 501, 3),
    ],
)
def test_pathological_markdown_is_refused_with_its_line(text, line):
    with pytest.raises(MarkupError) as caught:
        check_limits(text)
    assert caught.value.line == line


def test_ordinary_nesting_and_brackets_pass():
    check_limits("> > quote\n\n- a\n    - b\n        - c\n\n" + "[x] " * 100)


def test_a_body_that_sends_markdown_into_backtracking_is_stopped_at_the_time_limit():
    import time

    started = time.perf_counter()
    with pytest.raises(MarkupError, match=r"did not render within 0.5 s \(markdown_time_limit"):
        MarkdownRenderer(time_limit=0.5).render("<a " * 30_000)  # about 60 s without the limit
    assert time.perf_counter() - started < 5


def test_a_body_never_takes_an_id_the_article_template_uses():
    from gazette.build.markup import TEMPLATE_IDS

    html = MarkdownRenderer().render('## Main\n\nText.\n\n<div id="related-heading">x</div>\n\n## Correction 2\n').html
    assert 'id="main"' not in html and 'id="main-1"' in html
    assert 'id="correction-2"' not in html and 'id="correction-2-1"' in html
    assert 'id="related-heading"' not in html and 'id="related-heading-1"' in html
    # Every fixed id of the templates an article page is made from is one of TEMPLATE_IDS.
    from support import REPO

    fixed = set()
    for name in ("base.html", "article.html"):
        fixed |= set(re.findall(r'\sid="([^"{]+)"', (REPO / "templates" / name).read_text()))
    assert fixed and fixed <= TEMPLATE_IDS
    numbered = set(re.findall(r'\sid="([^"{]+)\{\{', (REPO / "templates" / "article.html").read_text()))
    assert numbered == {"correction-"}


def test_a_body_records_its_links_with_the_line_each_is_written_on():
    text = ("Intro with [a story](/2021/03/x/).\n\n"
            "![chart](/images/c.png)\n\n"
            "[ref]: https://example.org/?a=1&b=2\n\n"
            'See [the ref][ref] and <a href="/raw/" title="t">raw HTML</a>.\n')
    body = MarkdownRenderer().render(text)
    assert body.links == (("/2021/03/x/", 1), ("/images/c.png", 3), ("https://example.org/?a=1&b=2", 5), ("/raw/", 7))


def test_the_words_a_body_carries_are_in_the_sites_language():
    from gazette.build.wording import Wording

    html = MarkdownRenderer(gettext=Wording("de").gettext).render("| a |\n|---|\n| 1 |\n\nText.[^1]\n\n[^1]: Quelle.\n").html
    assert 'aria-label="Tabelle"' in html and 'title="Zurück zur Fußnote 1 im Text"' in html
    assert "Table" not in html and "Jump back" not in html


def test_a_body_records_the_sites_own_images_it_shows_once_each():
    body = MarkdownRenderer().render(
        '![a](/images/a%20b.jpg)\n\n![again](/images/a%20b.jpg "t")\n\n![cdn](https://cdn.example/x.png)\n\n'
        '![relative](rel.png)\n\n<img alt="raw" src="/images/c.png?v=2">\n\n[a link, not an image](/images/d.png)')
    assert body.images == ("images/a b.jpg", "images/c.png")


class _HijackingEntryPoint:
    """An installed package's `markdown.extensions` entry point that claims a name of ours."""

    def __init__(self, name: str) -> None:
        self.name = name

    def load(self):
        raise AssertionError(f"loaded another package's {self.name!r}")


def test_a_body_is_rendered_with_python_markdowns_own_extensions_whatever_else_is_installed(monkeypatch):
    # Named by a string, Python-Markdown would look among every installed package's entry
    # points first (and load one that takes the same name); ours are made from their modules.
    hijackers = tuple(_HijackingEntryPoint(name) for name in ("toc", "tables", "sane_lists", "fenced_code", "footnotes"))
    monkeypatch.setattr("markdown.util.get_installed_extensions", lambda: hijackers)
    body = MarkdownRenderer().render("## A part\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- x\n\n```\ncode\n```\n\nNote[^1].\n\n[^1]: Here.")
    assert '<h2 id="a-part">' in body.html and "<table>" in body.html and 'class="footnote' in body.html
