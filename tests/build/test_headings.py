"""Heading links a reader can copy, and a table of contents when asked or when a body has
enough sections, linking to the ids the page really has."""

import re

from gazette.build.headings import AUTO_TOC_SECTIONS
from gazette.build.markup import MarkdownRenderer


def sections(count: int, extra: str = "") -> str:
    return "Intro words.\n\n" + "".join(f"## Part {n}\n\nText {n}.\n\n{extra}" for n in range(1, count + 1))


def contents(html: str) -> str | None:
    match = re.search(r'<nav class="toc" aria-label="Contents" data-pagefind-ignore>.*?</nav>', html, re.S)
    return match.group(0) if match else None


def test_enough_sections_get_contents_by_themselves_and_toc_decides_otherwise():
    renderer = MarkdownRenderer()
    assert contents(renderer.render(sections(AUTO_TOC_SECTIONS)).html)
    assert contents(renderer.render(sections(AUTO_TOC_SECTIONS - 1)).html) is None
    assert contents(renderer.render(sections(1), toc=True).html)
    assert contents(renderer.render(sections(AUTO_TOC_SECTIONS + 2), toc=False).html) is None
    assert contents(renderer.render("No headings at all.", toc=True).html) is None


def test_contents_nest_subsections_and_link_to_the_ids_the_page_has():
    body = MarkdownRenderer().render("## Main\n\nA.\n\n### Details & \"more\"\n\nB.\n\n## Second\n\nC.", toc=True)
    nav = contents(body.html)
    # "Main" is an id the template uses: the heading becomes main-1, and the contents follow.
    assert re.findall(r'href="#([^"]+)"', nav) == ["main-1", "details-more", "second"]
    assert '<li><a href="#main-1">Main</a><ol><li><a href="#details-more">Details &amp; "more"</a></li></ol></li>' in nav
    for anchor in ("main-1", "details-more", "second"):
        assert f'id="{anchor}"' in body.html
    # The words of the story are its headings' and paragraphs'; the contents and links add none.
    assert body.excerpt == "A." and body.words == 8


def test_every_heading_has_a_link_to_itself_named_for_screen_readers():
    html = MarkdownRenderer().render("## One\n\nText.\n\n#### Deep\n\nMore.").html
    assert '<h2 id="one">One <a class="heading-link" href="#one" aria-label="Link to this section">#</a></h2>' in html
    assert '<a class="heading-link" href="#deep"' in html


def test_the_words_are_the_sites_language():
    german = {"Contents": "Inhalt", "Link to this section": "Link zu diesem Abschnitt"}
    html = MarkdownRenderer(gettext=lambda text: german.get(text, text)).render(sections(1), toc=True).html
    assert 'aria-label="Inhalt"' in html and "Link zu diesem Abschnitt" in html
