"""Escaped plain text must render, through the site's own Markdown set-up, back to the same text.

"The same text" means `normalize_text(text)`: control characters dropped, runs of breaking
whitespace (including line breaks) turned into one space, ends stripped, no-break spaces kept.
That is what the importer writes for every paragraph; a browser shows it like the original.
The only other difference allowed is HTML character references (`&lt;`, `&amp;`, `&#58;`).
"""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from support.bodies import without_heading_links

from gazette.build.markup import MarkdownRenderer
from gazette.importer.escape import (
    escape_inline,
    escape_paragraph,
    markdown_heading,
    normalize_text,
)

# As configured for sites with `trusted_html` (raw Markdown output) and without (sanitised).
RENDERERS = (MarkdownRenderer(trusted_html=True), MarkdownRenderer(trusted_html=False))
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_HEADING = re.compile(r'^<h2 id="[^"<>]*">(.*)</h2>$', re.S)

# Everything Python-Markdown (with extra, sane_lists, toc) gives meaning to, plus plain letters,
# odd whitespace and control characters, so that random mixes hit the interesting cases often.
_PIECES = [
    *"\\`*_{}[]()>#+-.!|:~<&;=^@\"'/%$?,",
    "a", "B", "z", "é", "ß", "1", "0", "9", "²", "_", " ", "  ", "\t", "\n", "\n\n", "\r\n",
    "\xa0", "\u2028", "\u200b", "\x02", "\x03", "\x00", "\x85", "\x7f", "\ufeff",
    "&amp;", "&amp", "&#65", "&#65;", "&#x41;", "&#X41", "&copy", "&copy;", "&nbsp;", "&T;",
    "<b>", "</p>", "<div>", "<!--", "-->", "<?php", "<![CDATA[", "]]>", "<http://x.y>", "<a@b.c>",
    "http://x.y", "[TOC]", "[^1]", "[^1]:", "[x]: http://x", "![", "](", "[a](b)", "*[HTML]:",
    "1. ", "2028.", "3)", "```", "~~~", "***", "---", "___", "===", "{: .cls}", "{#id}", "    ",
    "snake_case", "__init__", "**", "*a*", "_b_", "`c`", "``", "\\\\", "\\`", "  \n", "| a | b |",
    "!!! note", ": def", "AT&T", "Q&A", "=>", "<-",
]
_pieces = st.sampled_from(_PIECES)
markdownish = st.lists(st.one_of(_pieces, st.text(max_size=3)), max_size=25).map("".join)
texts = st.one_of(markdownish, st.text(max_size=60))

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def rendered_paragraphs(markdown_source: str) -> list[str]:
    """The text of each `<p>`, which must hold no markup of its own, the same from both renderers."""
    results = []
    for renderer in RENDERERS:
        body = renderer.render(markdown_source).html
        inner = _PARAGRAPH.findall(body)
        assert _PARAGRAPH.sub("", body).strip() == "", f"not only paragraphs: {body!r}"
        for fragment in inner:
            assert "<" not in fragment, f"markup inside a paragraph: {body!r}"
        results.append([html.unescape(fragment) for fragment in inner])
    assert results[0] == results[1]
    return results[0]


@FAST
@given(texts)
@example("2028. was a year")
@example("#Hashtag")
@example("- not a list")
@example("> not a quote")
@example("+ not a list")
@example("*stars* and snake_case_words and `backticks`")
@example("<tags> & <b>bold</b> &amp; &#65 &copy;")
@example("[TOC]")
@example(": definition")
@example("~~~")
@example("a\\`b")
def test_escaped_paragraph_renders_as_its_text(text):
    expected = normalize_text(text)
    if not expected:
        assert escape_paragraph(text) == ""
        return
    assert rendered_paragraphs(escape_paragraph(text)) == [expected]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=2, max_size=5))
@example(["~~~", "code?", "~~~"])
@example(["term", ": definition"])
@example(["Title", "==="])
@example(["*[HTML]: Hyper Text", "HTML page"])
@example(["[x]: http://example.com", "see [x]"])
@example(["a footnote[^1]", "[^1]: the note"])
@example(["| a | b |", "| - | - |"])
def test_paragraphs_together_render_as_their_texts(paragraphs):
    """Constructs spanning blocks (fences, definition lists, references) must not form either."""
    expected = [normalize_text(p) for p in paragraphs]
    expected = [p for p in expected if p]
    source = "\n\n".join(escape_paragraph(p) for p in expected)
    assert rendered_paragraphs(source) == expected


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
@example("MIND THE INVESTMENT GAP")
@example("WHAT NEXT FOR C#")
@example("HEADING {: .cls}")
@example("#1 ###")
def test_heading_renders_as_its_text(text):
    expected = normalize_text(text)
    if not expected:
        return
    for renderer in RENDERERS:
        body = without_heading_links(renderer.render(markdown_heading(text)).html)
        match = _HEADING.match(body)
        assert match, body
        assert "<" not in match.group(1), body
        assert html.unescape(match.group(1)) == expected


@settings(max_examples=200, deadline=None)
@given(texts)
def test_normalize_text_is_idempotent_and_single_line(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert "\n" not in once and "\r" not in once and "  " not in once
    assert once == once.strip()


@pytest.mark.parametrize(
    "text, source",
    [
        # Readability: text without Markdown meaning is written as it is.
        ("snake_case_words", "snake_case_words"),
        ("AT&T and S&P 500", "AT&T and S&P 500"),
        ("1.5 billion in 2028.", "1.5 billion in 2028."),
        ("Aus $49.5 million (US$33 million)", "Aus $49.5 million (US$33 million)"),
        # Markdown meaning is escaped, as little as possible.
        ("2028. was a year", "2028\\. was a year"),
        ("#Hashtag", "\\#Hashtag"),
        ("- item", "\\- item"),
        ("> quote", "\\> quote"),
        ("+ item", "\\+ item"),
        ("*stars*", "\\*stars\\*"),
        ("_under_", "\\_under\\_"),
        ("`code`", "\\`code\\`"),
        ("<tags>", "&lt;tags>"),
        ("&amp; &#65", "&amp;amp; &amp;#65"),
        (": colon", "&#58; colon"),
        ("  spaced \t out\n line  ", "spaced out line"),
        ("10\u00a0km", "10\u00a0km"),
    ],
)
def test_escaping_examples(text, source):
    assert escape_paragraph(text) == source


def test_heading_keeps_the_words_as_written():
    assert markdown_heading("MIND THE INVESTMENT GAP") == "## MIND THE INVESTMENT GAP"
    assert markdown_heading("C# AT *SCALE*", level=3) == "### C\\# AT \\*SCALE\\*"


def test_escape_inline_leaves_intraword_underscore_only():
    assert escape_inline("a_b _c d_ e__f") == "a_b \\_c d\\_ e\\_\\_f"


def test_heading_level_is_checked():
    with pytest.raises(ValueError):
        markdown_heading("X", level=7)
