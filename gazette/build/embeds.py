"""Embeds that do not track readers: a link to a video or a post (YouTube, Vimeo, X/Twitter,
Mastodon, Bluesky) alone in its paragraph becomes a card with the link, the provider's name and
a button. Nothing from the provider loads until the reader presses the button (`js/embeds.js`
then puts the provider's player in a frame); without JavaScript the card is a plain link.

The card is made after the sanitizer has run, from a URL that matched one of the patterns
below, so it works with `trusted_html` off and carries nothing from the body but escaped text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Callable

# Words the card carries, in the site's language (see `MarkdownRenderer`).
LOAD_LABEL = "Load content from %(provider)s"
PRIVACY_NOTE = "Loading it lets %(provider)s know you visited this page."


@dataclass(frozen=True)
class Embed:
    """What a link to a provider's video or post becomes."""

    provider: str  # its name, as readers know it
    frame_url: str  # what the frame loads once the reader asks
    kind: str  # "video" (16:9) or "post" (a tall box)


@dataclass(frozen=True)
class Provider:
    name: str
    pattern: re.Pattern
    frame: Callable[[re.Match], str]
    kind: str


def _host_name(match: re.Match) -> str:
    return match.group("host")


PROVIDERS = (
    Provider("YouTube", re.compile(
        r"https://(?:www\.|m\.)?(?:youtube\.com/(?:watch\?(?:[^#]*&)?v=|shorts/|embed/)|youtu\.be/)(?P<id>[\w-]{11})(?:[?&#].*)?"),
        lambda m: f"https://www.youtube-nocookie.com/embed/{m.group('id')}", "video"),
    Provider("Vimeo", re.compile(r"https://(?:www\.)?vimeo\.com/(?P<id>\d{1,12})(?:[?#].*)?"),
             lambda m: f"https://player.vimeo.com/video/{m.group('id')}?dnt=1", "video"),
    Provider("X", re.compile(r"https://(?:www\.|mobile\.)?(?:twitter|x)\.com/\w{1,15}/status/(?P<id>\d{1,25})(?:[/?#].*)?"),
             lambda m: f"https://platform.twitter.com/embed/Tweet.html?id={m.group('id')}&dnt=true", "post"),
    Provider("Bluesky", re.compile(
        r"https://bsky\.app/profile/(?P<who>[A-Za-z0-9.:-]{1,253})/post/(?P<id>[a-z0-9]{1,20})(?:[?#].*)?"),
        lambda m: f"https://embed.bsky.app/embed/{m.group('who')}/app.bsky.feed.post/{m.group('id')}", "post"),
    # Mastodon runs on many hosts: known by the shape of its post addresses.
    Provider("Mastodon", re.compile(
        r"https://(?P<host>(?:[a-z0-9-]{1,63}\.)+[a-z]{2,63})/@(?P<user>\w{1,30})/(?P<id>\d{1,25})(?:[?#].*)?"),
        lambda m: f"https://{m.group('host')}/@{m.group('user')}/{m.group('id')}/embed", "post"),
)


def find_embed(url: str) -> Embed | None:
    """The embed a URL stands for, or None for any other link."""
    for provider in PROVIDERS:
        match = provider.pattern.fullmatch(url)
        if match:
            return Embed(provider.name, provider.frame(match), provider.kind)
    return None


# A paragraph that is only a URL (written bare or as <URL>) or only a link.
_LONE_LINK = re.compile(r'<p>(?:(https://[^\s<>"]+)|<a href="(https://[^"]+)">([^<]*)</a>)</p>')


def embed_card(url: str, title: str, embed: Embed, gettext: Callable[[str], str]) -> str:
    """The card's HTML: a figure with the link, the provider's name and a button the script
    shows (hidden without JavaScript, where the link is all there is)."""
    provider = html.escape(embed.provider)
    label = html.escape(gettext(LOAD_LABEL) % {"provider": embed.provider})
    note = html.escape(gettext(PRIVACY_NOTE) % {"provider": embed.provider})
    return (
        f'<figure class="embed embed-{embed.kind}" data-embed-src="{html.escape(embed.frame_url)}" data-pagefind-ignore>'
        f'<figcaption><a href="{html.escape(url)}">{html.escape(title)}</a> '
        f'<span class="embed-provider">{provider}</span></figcaption>'
        f'<p class="embed-note" hidden>{note}</p>'
        f'<button type="button" class="embed-load" hidden>{label}</button></figure>'
    )


def make_embeds(body_html: str, gettext: Callable[[str], str] = lambda text: text) -> str:
    """Replace each paragraph that is only a link to a provider's video or post by its card."""

    def card(match: re.Match) -> str:
        url = html.unescape(match.group(1) or match.group(2))
        embed = find_embed(url)
        if embed is None:
            return match.group(0)
        text = html.unescape(match.group(3) or "").strip()
        return embed_card(url, text or url, embed, gettext)

    return _LONE_LINK.sub(card, body_html) if "<p>http" in body_html or '<p><a href="https://' in body_html else body_html


_CARD = re.compile(r'<figure class="embed [^"]*"[^>]*><figcaption>(<a href="[^"]*">[^<]*</a>).*?</figure>', re.S)


def cards_as_links(body_html: str) -> str:
    """Each embed card as the plain link it was written as: a feed reader runs no script,
    so the card's button and its note would only mislead there."""
    return _CARD.sub(r"<p>\1</p>", body_html) if '<figure class="embed ' in body_html else body_html
