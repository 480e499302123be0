"""Code blocks: highlighted at build time with CSS classes, labelled, scrolling in their own box,
with light and dark colours that keep WCAG AA contrast."""

import re
from datetime import datetime, timezone

from pygments.formatters import HtmlFormatter
from support.site import SiteDir, article

from gazette.build.code import DARK_STYLE, LIGHT_STYLE, stylesheet
from gazette.build.markup import MarkdownRenderer
from gazette.build.pipeline import BuildOptions, build
from gazette.project import Project

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
CODE = '```python\nfor unit in fleet:  # check\n    print("<b>")\n```\n'


def test_a_fenced_block_is_highlighted_with_classes_and_labelled():
    html = MarkdownRenderer().render(CODE).html
    assert '<div class="highlight" role="region" aria-label="Code" tabindex="0"><span class="code-language">Python</span>' in html
    assert '<span class="k">for</span>' in html and '<span class="c1"># check</span>' in html
    assert "&lt;b&gt;" in html and "style=" not in html and "<script" not in html


def test_an_unknown_or_unnamed_language_is_plain_text_without_a_label():
    for text in ("```klingon\nqapla'\n```\n", "```\nplain\n```\n", "    indented\n"):
        html = MarkdownRenderer().render(text).html
        assert '<div class="highlight"' in html and "code-language" not in html and '<span class="k">' not in html


def luminance(colour: str) -> float:
    colour = colour.lstrip("#")
    colour = "".join(c * 2 for c in colour) if len(colour) == 3 else colour
    channels = [int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_both_palettes_keep_every_token_readable():
    for style in (LIGHT_STYLE, DARK_STYLE):
        formatter = HtmlFormatter(style=style)
        background = formatter.style.background_color
        worst = min(contrast("#" + token["color"], background) for _, token in formatter.style if token["color"])
        assert worst >= 4.5, f"{style}: a token colour has {worst:.2f}:1 on {background}"
    css = stylesheet().decode()
    assert "@media (prefers-color-scheme: dark)" in css
    assert not re.search(r"^\s*pre\b", css, re.M), "the stylesheet must style only code blocks"


def test_pages_with_code_link_the_stylesheet_and_a_site_may_bring_its_own(tmp_path):
    site = SiteDir(tmp_path / "site")
    site.add("2021/code.md", article("Code", "2021-03-04", body="Intro.\n\n" + CODE))
    site.add("2021/prose.md", article("Prose", "2021-03-05", body="No code here."))
    build(BuildOptions(Project.at(site.root), now=NOW))
    link = '<link rel="stylesheet" href="/css/highlight.css">'
    assert link in site.page("2021/03/code/") and link not in site.page("2021/03/prose/")
    assert (site.public / "css" / "highlight.css").read_bytes() == stylesheet()
    (site.root / "static" / "css" / "highlight.css").write_text(".highlight { color: teal; }\n")
    build(BuildOptions(Project.at(site.root), now=NOW))
    assert (site.public / "css" / "highlight.css").read_text() == ".highlight { color: teal; }\n"
