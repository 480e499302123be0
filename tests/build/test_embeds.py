"""Embeds that do not track readers: a provider's link alone in its paragraph becomes a card
that loads nothing until asked; every other link stays a link."""

import pytest

from gazette.build.embeds import find_embed
from gazette.build.markup import MarkdownRenderer


@pytest.mark.parametrize("url, provider, frame", [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "YouTube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://youtu.be/dQw4w9WgXcQ?t=42", "YouTube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://www.youtube.com/watch?list=PL1&v=dQw4w9WgXcQ", "YouTube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://vimeo.com/76979871", "Vimeo", "https://player.vimeo.com/video/76979871?dnt=1"),
    ("https://x.com/NASA/status/1234567890123456789", "X",
     "https://platform.twitter.com/embed/Tweet.html?id=1234567890123456789&dnt=true"),
    ("https://twitter.com/nasa/status/20", "X", "https://platform.twitter.com/embed/Tweet.html?id=20&dnt=true"),
    ("https://mastodon.social/@Gargron/109312345678", "Mastodon", "https://mastodon.social/@Gargron/109312345678/embed"),
    ("https://bsky.app/profile/jay.bsky.team/post/3l6oveex3ii2l", "Bluesky",
     "https://embed.bsky.app/embed/jay.bsky.team/app.bsky.feed.post/3l6oveex3ii2l"),
])
def test_each_provider_is_known_by_its_addresses(url, provider, frame):
    embed = find_embed(url)
    assert embed is not None and (embed.provider, embed.frame_url) == (provider, frame)


@pytest.mark.parametrize("url", [
    "https://example.com/watch?v=dQw4w9WgXcQ", "http://www.youtube.com/watch?v=dQw4w9WgXcQ",  # plain http: no
    "https://www.youtube.com/channel/UC123", "https://vimeo.com/channels/staffpicks",
    "https://x.com/NASA", "https://bsky.app/profile/jay.bsky.team", "https://example.org/@someone",
    'https://www.youtube.com/watch?v=dQw4w9WgXcQ"><script>',
])
def test_other_addresses_are_not_embeds(url):
    assert find_embed(url) is None


def test_a_lone_link_becomes_a_card_that_loads_nothing_by_itself():
    body = MarkdownRenderer().render(
        "Watch this:\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ&t=5\n\n"
        "[The launch, as NASA posted it](https://x.com/NASA/status/20)\n")
    html = body.html
    assert html.count('<figure class="embed ') == 2
    assert ('<figure class="embed embed-video" data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" '
            'data-pagefind-ignore><figcaption><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=5">'
            'https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=5</a>') in html
    assert '<a href="https://x.com/NASA/status/20">The launch, as NASA posted it</a> <span class="embed-provider">X</span>' in html
    assert '<button type="button" class="embed-load" hidden>Load content from X</button>' in html
    assert "<iframe" not in html and "<script" not in html, "nothing from a provider is in the page"


def test_a_link_inside_a_sentence_stays_a_link_and_the_sanitizer_still_runs():
    html = MarkdownRenderer().render(
        "See [this video](https://youtu.be/dQw4w9WgXcQ) later.\n\n"
        '<p><a href="https://youtu.be/dQw4w9WgXcQ" onclick="steal()">x</a></p>\n').html
    assert "embed" not in html.split("later.")[0]
    assert "onclick" not in html


def test_feeds_get_the_link_without_the_button_and_no_contents_or_heading_links(tmp_path):
    import feedparser
    from support.site import SiteDir, article

    from gazette.build.pipeline import BuildOptions, build
    from gazette.project import Project

    site = SiteDir(tmp_path / "site")
    body = "Intro.\n\n" + "".join(f"## Part {n}\n\nText.\n\n" for n in range(4)) + "[The launch](https://vimeo.com/76979871)\n"
    site.add("2021/a.md", article("A", body=body))
    build(BuildOptions(Project.at(site.root)))
    assert 'class="toc"' in site.page("2021/03/a/") and "embed-load" in site.page("2021/03/a/")
    [entry] = feedparser.parse((site.public / "feed.xml").read_bytes()).entries
    content = entry.content[0].value
    assert '<p><a href="https://vimeo.com/76979871">The launch</a></p>' in content
    assert "<button" not in content and "embed" not in content and "Loading it" not in content
    assert 'class="toc"' not in content and "heading-link" not in content
    assert '<h2 id="part-0">Part 0</h2>' in content
