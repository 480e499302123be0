"""The security policy in a real browser: every kind of page a reader meets, the search (which
runs WebAssembly) and an embed loaded on request, and not one policy violation is reported."""

from contextlib import ExitStack
from urllib.parse import urlsplit

import pytest
from support.archive_gen import KITCHEN_SINK_SLUG
from support.browser import chromium, generated_site, serve, shipped_site

pytestmark = pytest.mark.browser

# Collected in the page as the browser reports them, before any script of the page runs.
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  e => window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`));
"""


@pytest.fixture(scope="module")
def sites():
    shipped, generated = shipped_site(), generated_site()
    with chromium() as browser, ExitStack() as stack:
        yield browser, [(stack.enter_context(serve(site.public)), site) for site in (shipped, generated)]


def open_watched(browser, url: str):
    page = browser.new_page()
    page.add_init_script(WATCH_VIOLATIONS)
    messages: list[str] = []
    page.on("console", lambda message: "Content Security Policy" in message.text and messages.append(message.text))
    own = urlsplit(url).netloc
    # Other hosts (an embed's provider) get a stand-in page: nothing leaves this machine.
    page.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).netloc == own
               else route.fulfill(status=200, content_type="text/html", body="<p>Provider</p>"))
    page.goto(url, wait_until="networkidle")
    return page, messages


def violations(page, messages: list[str]) -> list[str]:
    return page.evaluate("window.__violations") + messages


def test_no_page_of_either_site_breaks_its_policy(sites):
    browser, served = sites
    checked = 0
    for url, site in served:
        routes = list(site.reader_pages().values()) + [r for r in site.article_routes() if KITCHEN_SINK_SLUG in r]
        for route in routes:
            page, messages = open_watched(browser, url + route)
            assert page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1, url + route
            assert violations(page, messages) == [], url + route
            page.close()
            checked += 1
    assert checked >= 20


def test_search_and_a_requested_embed_stay_within_the_policy(sites):
    browser, served = sites
    url, site = served[1]
    page, messages = open_watched(browser, url + "search/")
    page.get_by_label("Words to find in articles").fill("kitchen")
    page.locator("#search-results > li").first.wait_for()
    assert violations(page, messages) == []
    page.close()

    page, messages = open_watched(browser, url + f"2019/01/{KITCHEN_SINK_SLUG}/")
    page.locator("figure.embed button.embed-load").first.click()
    page.frame_locator("iframe.embed-frame").locator("p").wait_for()  # the provider's page has loaded
    assert page.frame_locator("iframe.embed-frame").locator("p").inner_text() == "Provider"
    assert violations(page, messages) == []
    page.close()


def test_the_policy_does_refuse_what_it_should(sites):
    """The watch can see a violation: an inline script and a frame from another host are refused."""
    browser, served = sites
    url, _site = served[1]
    page, messages = open_watched(browser, url)
    page.evaluate("""() => {
      const script = document.createElement("script"); script.textContent = "window.__ran = true";
      document.body.append(script);
      const frame = document.createElement("iframe"); frame.src = "https://tracker.example/"; document.body.append(frame);
    }""")
    page.wait_for_timeout(300)
    found = violations(page, messages)
    assert page.evaluate("window.__ran === undefined")
    assert any("script-src" in v for v in found) and any("frame-src" in v for v in found), found
    page.close()
