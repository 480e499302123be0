"""Each body is rendered with only the Markdown extensions its text could use
(`gazette.build.extensions`), and each inline pattern is tried only on text that could match it
(`gazette.build.inline`): proven here to give, byte for byte, what the whole set with the stock
inline pass gives, over the generated corpus, every Markdown file of the repository and
generated Markdown."""

from __future__ import annotations

import importlib.util
import re
import string

import markdown
import pytest
from hypothesis import HealthCheck, example, given, reject, settings
from hypothesis import strategies as st
from markdown.inlinepatterns import LinkInlineProcessor
from support import REPO

from gazette.build.code import CODEHILITE
from gazette.build.deadline import DeadlineExceeded, deadline
from gazette.build.extensions import ALL, EXTRA, TRIGGERS, could_use, extensions_for
from gazette.build.inline import NEEDS as INLINE_NEEDS
from gazette.build.inline import LinkText, closing_brackets, use_selective_inline
from gazette.build.markup import BACKLINK_TITLE, MarkdownRenderer

WHOLE_SET = ["extra", "sane_lists", "toc", "codehilite"]  # what every body was rendered with before


def whole_set() -> markdown.Markdown:
    return markdown.Markdown(extensions=WHOLE_SET, output_format="html", extension_configs={
        "extra": {"footnotes": {"BACKLINK_TITLE": BACKLINK_TITLE}}, "codehilite": CODEHILITE})


def with_extensions(extensions, selective_inline: bool = True) -> markdown.Markdown:
    configs = {"footnotes": {"BACKLINK_TITLE": BACKLINK_TITLE}, "codehilite": CODEHILITE}
    md = markdown.Markdown(extensions=list(extensions), output_format="html",
                           extension_configs={k: v for k, v in configs.items() if k in extensions})
    return use_selective_inline(md) if selective_inline else md


class Differ:
    """Renders with the whole set and with the chosen extensions, reusing instances as a build does."""

    def __init__(self) -> None:
        self.whole = whole_set()
        self.chosen: dict[tuple[str, ...], markdown.Markdown] = {}

    def both(self, text: str) -> tuple[str, str]:
        extensions = extensions_for(text)
        md = self.chosen.setdefault(extensions, with_extensions(extensions))
        return self.whole.reset().convert(text), md.reset().convert(text)


# One text per extension that it changes: the chosen set must include it.
NEEDS = {
    "fenced_code": "```python\nprint(1)\n```",
    "footnotes": "A claim.[^1]\n\n[^1]: The source.",
    "attr_list": "A paragraph.\n{: .lead }",
    "def_list": "> Term\n> : Its definition, quoted.",
    "tables": "a | b\n--|--\n1 | 2",
    "abbr": "The EU said.\n\n*[EU]: European Union",
    "md_in_html": '<div markdown="1">\n*emphasis*\n</div>',
    "sane_lists": "1. one\n2. two\n\n* three",
    "toc": "## A section\n\nWords.",
    "codehilite": "Words.\n\n    indented code\n",
}


@pytest.mark.parametrize("extension", ALL)
def test_each_extension_is_chosen_for_a_text_it_changes(extension):
    text = NEEDS[extension]
    without = [name for name in ALL if name != extension]
    assert with_extensions(without, selective_inline=False).convert(text) != whole_set().convert(text), "the sample must need it"
    assert extension in extensions_for(text)
    differ = Differ()
    assert differ.both(text)[0] == differ.both(text)[1]


def test_every_inline_pattern_has_its_needs_and_each_need_is_one_it_cannot_match_without():
    """A pattern tried everywhere would still be right, only slower: all of them have a rule.
    And no text lacking a pattern's needs matches it, over every piece below."""
    md = whole_set()
    expressions = {pattern.compiled_re.pattern: pattern for pattern in md.inlinePatterns}
    assert set(expressions) == set(INLINE_NEEDS)
    for expression, needs in INLINE_NEEDS.items():
        for piece in PIECES:
            for text in (piece, piece.replace("\n", "  \n")):
                if not any(need in text for need in needs):
                    assert re.search(expression, text) is None, (expression, text)


def test_a_plain_paragraph_needs_no_extension_and_extra_is_what_it_was():
    assert extensions_for("Just *words*, a [link](https://example.org/) and `code`.") == ()
    assert list(EXTRA) == importlib.import_module("markdown.extensions.extra").extensions
    assert set(TRIGGERS) == set(ALL)


def corpus_bodies(count: int) -> list[str]:
    spec = importlib.util.spec_from_file_location("make_corpus", REPO / "bench" / "make_corpus.py")
    make_corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_corpus)
    return [make_corpus.make_article(1, i)["body"] for i in range(count)]


def repository_markdown() -> list[str]:
    files = [*REPO.glob("content/**/*.md"), *REPO.glob("tests/**/*.md"), REPO / "README.md"]
    return [path.read_text(encoding="utf-8").split("\n---\n", 1)[-1] for path in sorted(files)]


def test_the_generated_corpus_and_the_repositorys_markdown_render_the_same():
    differ = Differ()
    texts = corpus_bodies(400) + repository_markdown()
    chosen = set()
    for text in texts:
        agrees_with_first_triggers(text)
        whole, selective = differ.both(text)
        assert selective == whole, text[:200]
        chosen.add(extensions_for(text))
    assert len(chosen) > 3  # the texts do not all take one set


# The triggers as first written, line by line with (?:^|\n) and without MULTILINE: the faster
# ones (MULTILINE, and a plain `in` first where it settles most texts) must agree with them.
_LINE = r"(?:^|\n|>)[ \t>]*"
FIRST_TRIGGERS = {
    "fenced_code": r"```|~~~", "footnotes": r"\[\^", "attr_list": r"\{", "def_list": _LINE + r":", "tables": r"\|",
    "abbr": r"\*\[", "md_in_html": r"<", "sane_lists": _LINE + r"(?:[*+-]|\d+[.)])(?:[ \t]|$)",
    "toc": r"#|" + _LINE + r"(?:=+|-+)[ \t]*(?:\n|$)|\[TOC\]", "codehilite": r"```|~~~|" + _LINE + r"(?: {4}|\t)",
}


def agrees_with_first_triggers(text: str) -> None:
    for name, expression in FIRST_TRIGGERS.items():
        assert could_use(name, text) == bool(re.search(expression, text)), (name, text)


@settings(max_examples=2000, deadline=None)
@given(st.text(" \t\n>:-=*+#`~|{[]^<.)1a", max_size=40))
def test_the_triggers_agree_with_the_first_ones_on_any_text(text):
    agrees_with_first_triggers(text)


@settings(max_examples=2000, deadline=None)
@given(st.text("[]![]()a\\ ", max_size=40))
def test_where_a_link_text_closes_is_what_the_stock_pattern_finds_on_any_text(text):
    stock = LinkInlineProcessor._findBracketEnds(text)  # the reference
    assert closing_brackets(text) == {index + 1: stock[index + 1] for index, char in enumerate(text) if char == "["}
    pattern = LinkInlineProcessor(r"\[")
    link_text = LinkText(pattern.getText)
    for index in range(len(text) + 1):  # any index: just past a "[" or not
        assert link_text(text, index) == pattern.getText(text, index), index


# Markdown built from pieces of every extension's syntax, and of the syntax near it.
PIECES = [
    "# Heading", "## Heading {#custom}", "Title\n=====", "Sub\n---", "---", "* * *", "[TOC]",
    "- item\n- item", "* a\n    * nested", "1. one\n2. two", "3) three", "+ plus", "- ", "1.",
    "> quote\n> - listed", "> : quoted colon", "> Term\n> : Quoted definition", ">     quoted code",
    "    code block", "\tcode with tab", "```\nfenced\n```", "~~~ python\nx = 1\n~~~", "``inline``",
    "a | b\n--|--\n1 | 2", "| alone |", "Text with a pipe | in it",
    "Note[^n].\n\n[^n]: Footnote.", "[^x]", "Term\n: Definition", ": colon start", "a: b",
    "*[HTML]: Hyper Text", "HTML is here", "{: .class }", "Text {braces}", "## H {: #id }",
    "<div>raw</div>", '<div markdown="1">**md**</div>', "a <b>bold</b> word", "&copy; &amp; &#169;",
    "*em* **strong** _u_", "[link](https://example.org/)", "<https://example.org/>", "![alt](/x.png)",
    "C# and #hashtag", "line\r\nwith crlf", "cr\ronly", "trailing  \nbreak", "\\*escaped\\*",
    # The inline patterns, and text around them.
    "`tick` and ``double `inner` ticks``", "\\`not code\\`", "\\\\`code after backslashes`", "a & b &amp; &#65; &#x41;",
    "<a@example.org>", "<https://example.org/x>", "<span>raw</span> <!-- note -->", "[ref] and [ref][]",
    "[ref]: https://example.org/", "![image][ref] ![short]", "**bold _mixed_ em**", "snake_case_name",
    "\\[not a link\\]", "two  \nlines", "a ** b __ c", "*a **b** c*", "[^n] without a note",
    # Where a link's text closes (`inline.closing_brackets`): nested, unclosed and stray brackets.
    "[a [nested] text](/x)", "[unclosed [link](/y)", "![an [image]](/z.png)", "] stray [", "[[double]](/d)",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(string.ascii_letters + " .,:#*-|>{}[]^`~\n\t<&!_\\@/", max_size=30)),
                min_size=1, max_size=8),
       st.lists(st.sampled_from(["\n", "\n\n", "\r\n", "\r\n\r\n", " ", "\n    "]), min_size=8, max_size=8))
# Found by this test: after a raw HTML block's closing tag, a quoted code block on the same line.
@example(pieces=["# Heading", "<div>raw</div>", ">     quoted code"], joins=["\n", " ", "\n", "\n", "\n", "\n", "\n", "\n"])
def test_generated_markdown_renders_the_same(pieces, joins):
    text = "".join(piece + joins[n] for n, piece in enumerate(pieces))
    agrees_with_first_triggers(text.replace("\r\n", "\n").replace("\r", "\n"))
    try:
        with deadline(20):
            whole, selective = DIFFER.both(text)
    except DeadlineExceeded:  # Python-Markdown can backtrack for minutes: a build stops it and names the file
        reject()
    assert selective == whole


DIFFER = Differ()


def test_the_renderer_gives_what_the_whole_set_gives_after_sanitizing_too():
    """Through the build's own renderer: the same page HTML, bodies of every kind in turn."""
    renderer = MarkdownRenderer()
    reference = MarkdownRenderer()
    reference._markdown = lambda extensions: whole_set_instance  # noqa: SLF001 - the renderer as it was
    whole_set_instance = whole_set()
    for text in [*NEEDS.values(), *corpus_bodies(40)]:
        assert renderer.render(text) == reference.render(text)
