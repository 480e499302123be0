"""Rich articles in a real browser: a phone downloads a small variant of a camera's photo, and
an article with embeds asks nothing of any other host until the reader presses a button."""

from urllib.parse import urlsplit

import pytest
from support.archive_gen import EMBED_POST, KITCHEN_SINK_SLUG, LEAD_PHOTO
from support.browser import PHONE_CONTEXT, chromium, generated_site, serve

pytestmark = pytest.mark.browser
PROVIDER_PAGE = "<!DOCTYPE html><title>A provider's player</title><p>Playing."


@pytest.fixture(scope="module")
def kitchen_sink():
    site = generated_site()
    [route] = [r for r in site.article_routes() if r.endswith(f"/{KITCHEN_SINK_SLUG}/")]
    with chromium() as browser, serve(site.public) as url:
        yield browser, url + route, site


def watch_requests(page, own_host: str) -> list[str]:
    """Every URL the page asks for; other hosts are answered by a stand-in (nothing leaves
    this machine), and the list shows they were asked."""
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))

    def answer(route):
        if urlsplit(route.request.url).netloc == own_host:
            route.continue_()
        else:
            route.fulfill(status=200, content_type="text/html", body=PROVIDER_PAGE)

    page.route("**/*", answer)
    return asked


def test_a_phone_downloads_a_small_variant_of_a_4000_pixel_photo(kitchen_sink):
    browser, url, site = kitchen_sink
    original = (site.public / "images" / LEAD_PHOTO).stat().st_size
    context = browser.new_context(**PHONE_CONTEXT)
    page = context.new_page()
    image_bytes = {}
    page.on("response", lambda response: "/images/" in response.url and image_bytes.setdefault(
        response.url, len(response.body())))
    page.goto(url, wait_until="networkidle")
    lead = page.locator(".story-figure img")
    chosen = lead.evaluate("img => img.currentSrc")
    assert chosen.endswith(".webp") and ".800." in chosen, chosen
    # Shown 335 CSS px wide (the column, less the page's padding): the 800 px variant at 2x.
    assert lead.evaluate("img => img.complete && Math.round(img.getBoundingClientRect().width)") == 335
    lead_bytes = image_bytes[chosen]
    assert lead_bytes * 10 < original, f"the phone got {lead_bytes} bytes of a {original}-byte photo"
    assert not any(name.endswith(LEAD_PHOTO) for name in image_bytes), "the original is never sent"
    context.close()


def test_embeds_ask_nothing_of_their_provider_until_the_reader_presses_load(kitchen_sink):
    browser, url, _site = kitchen_sink
    page = browser.new_page()
    own_host = urlsplit(url).netloc
    asked = watch_requests(page, own_host)
    page.goto(url, wait_until="networkidle")
    assert asked and all(urlsplit(u).netloc == own_host for u in asked), [u for u in asked if own_host not in u]
    cards = page.locator("figure.embed")
    assert cards.count() == 2
    assert page.locator("iframe").count() == 0
    button = cards.nth(1).locator("button.embed-load")
    assert button.is_visible() and button.inner_text() == "Load content from Bluesky"
    assert cards.nth(1).locator("figcaption a").get_attribute("href") == EMBED_POST

    button.click()
    frame = cards.nth(1).locator("iframe.embed-frame")
    frame.wait_for()
    assert frame.get_attribute("src").startswith("https://embed.bsky.app/embed/")
    page.frame_locator("iframe.embed-frame").locator("p").wait_for()  # the provider's page has loaded
    others = {urlsplit(u).netloc for u in asked} - {own_host}
    assert others == {"embed.bsky.app"}, "only the provider the reader chose, and only after the click"
    assert page.frame_locator("iframe.embed-frame").locator("p").inner_text() == "Playing."
    assert cards.nth(0).locator("button.embed-load").is_visible(), "the other card still waits"
    page.close()


def test_without_javascript_an_embed_is_a_plain_link(kitchen_sink):
    browser, url, _site = kitchen_sink
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    own_host = urlsplit(url).netloc
    asked = watch_requests(page, own_host)
    page.goto(url, wait_until="networkidle")
    assert all(urlsplit(u).netloc == own_host for u in asked)
    assert page.locator("button.embed-load").first.is_hidden()
    assert page.locator("figure.embed figcaption a").first.is_visible()
    context.close()


def test_the_table_of_contents_leads_to_its_sections(kitchen_sink):
    browser, url, _site = kitchen_sink
    page = browser.new_page()
    page.goto(url)
    nav = page.get_by_role("navigation", name="Contents")
    links = nav.locator("a")
    assert links.count() >= 2
    target = links.first.get_attribute("href")
    links.first.click()
    page.wait_for_function("target => location.hash === target", arg=target)
    heading = page.locator(target)
    assert heading.evaluate("h => h.getBoundingClientRect().top < 100"), "the section is scrolled into view"
    assert heading.locator("a.heading-link").get_attribute("href") == target
    page.close()
