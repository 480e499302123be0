"""What a reader does, in a real browser, on the shipped site served under a sub-path:
home, then a topic, then a story, then the stories before and after it; and search."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urljoin

import pytest
from support.browser import NO_SEARCH, chromium, serve, shipped_site


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def site_url():
    with serve(shipped_site().public) as url:
        yield url


@pytest.fixture
def page(browser):
    with browser.new_context(viewport={"width": 1280, "height": 800}) as context:
        yield context.new_page()


def heading(page) -> str:
    return page.locator("main h1").text_content().strip()


def follow(page, link) -> str:
    """Click `link`; check the browser lands where its href says; return the new URL."""
    target = urljoin(page.url, link.get_attribute("href"))
    link.click()
    page.wait_for_url(target)
    return page.url


def test_home_then_topic_then_story_then_its_neighbours(page, site_url):
    page.goto(site_url)
    assert page.locator("main .article-card").count() > 0, "the home page lists no stories"

    kicker = page.locator("main .article-card .kicker a").first
    topic = kicker.text_content().strip()
    topic_url = follow(page, kicker)
    assert re.fullmatch(re.escape(site_url) + r"topics/[a-z0-9-]+/", topic_url), topic_url
    assert heading(page) == topic

    story = page.locator("main .article-list .card-title a").first
    title = story.text_content().strip()
    story_url = follow(page, story)
    assert re.fullmatch(re.escape(site_url) + r"\d{4}/\d{2}/[a-z0-9-]+/", story_url), story_url
    assert heading(page) == title
    assert topic in page.locator(".story-header .kicker").text_content()

    # Its neighbour in time, then back again: older's "Next story" is the story we left.
    step, back = ("older", "newer") if page.locator(".story-nav-older").count() else ("newer", "older")
    neighbour = page.locator(f".story-nav-{step}")
    label = neighbour.locator(".story-nav-label").text_content()
    assert label == ("Previous story" if step == "older" else "Next story")
    neighbour_title = neighbour.text_content().replace(label, "", 1).strip()
    neighbour_url = follow(page, neighbour)
    assert neighbour_url != story_url
    assert heading(page) == neighbour_title
    assert follow(page, page.locator(f".story-nav-{back}")) == story_url
    assert heading(page) == title


def distinctive_word(public) -> tuple[str, str]:
    """A word found in the body of exactly one article, and that article's route."""
    bodies = {}
    for html_file in sorted(public.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html")):
        html = html_file.read_text(encoding="utf-8")
        body = html.split('<div class="story-body">', 1)[1].split("</div>", 1)[0]
        bodies[html_file.parent.relative_to(public).as_posix() + "/"] = set(
            re.findall(r"\b[a-z]{7,}\b", re.sub(r"<[^>]+>", " ", body).lower())
        )
    counts = Counter(word for words in bodies.values() for word in words)
    return min((word, route) for route, words in bodies.items() for word in words if counts[word] == 1)


def test_search_finds_a_story_by_a_word_from_its_body(page, site_url):
    site = shipped_site()
    if not site.has_search:
        pytest.skip(NO_SEARCH)
    word, route = distinctive_word(site.public)
    page.goto(site_url + "search/")
    page.locator("main input[type=search], main input[type=text]").first.fill(word)
    result = page.locator(f"main a[href*='{route}']").first
    result.wait_for(timeout=10_000)
    follow(page, result)
    assert page.url == site_url + route
