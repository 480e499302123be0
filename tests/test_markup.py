from gazette.markup import MarkdownRenderer, RenderedBody, shorten


def test_renders_markdown_with_heading_ids_and_tables():
    body = MarkdownRenderer().render("## What next\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert '<h2 id="what-next">What next</h2>' in body.html
    assert "<table>" in body.html


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
