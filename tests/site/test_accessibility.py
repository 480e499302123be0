"""Reader-facing quality in a real browser (headless Chromium through Playwright).

axe-core finds no WCAG 2.1 A/AA or best-practice violations on every kind of page, in light
and dark colour schemes and on a phone; on a 375 px phone nothing scrolls sideways, type is
readable and tap targets are big enough; everything but search works with JavaScript off;
an article page stays small and asks nothing of third parties; printing drops the navigation.

The pages come from the shipped site (content/), plus the generated archive's article that
uses every Markdown feature, both served under a sub-path as on GitHub Pages.
"""

from __future__ import annotations

import re
from contextlib import ExitStack
from urllib.parse import urlsplit

import pytest
from support.archive_gen import KITCHEN_SINK_SLUG
from support.browser import (
    NO_SEARCH,
    PHONE_CONTEXT,
    PREFIX,
    axe_source,
    chromium,
    generated_site,
    serve,
    shipped_site,
)

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
PAGE_NAMES = ["home", "article", "topics", "topic", "archive", "archive-year", "archive-month", "404", "search",
              "kitchen-sink", "tags", "tag", "authors", "author", "corrections", "about"]
DESKTOP = {"width": 1280, "height": 800}
# Bytes of HTML plus CSS, uncompressed. 30 KB until articles could carry pictures, embeds and a
# table of contents: the generated kitchen sink carries all of them at once, besides code, a
# table and footnotes, and their CSS (rich.css, highlight.css) is linked only by such pages.
ARTICLE_BUDGET = 32 * 1024

# Every link or control smaller than 24x24 CSS px (WCAG 2.2 target size, minimum), except
# inline links within running text (the "inline" exception: their size is set by the sentence).
SMALL_TARGETS_JS = """() => {
  const small = [];
  for (const el of document.querySelectorAll("a[href], button, input, select, textarea, summary")) {
    if (!el.checkVisibility()) continue;
    const box = el.getBoundingClientRect();
    if (box.right <= 0 || box.bottom <= 0) continue;  // off-screen until focused (the skip link)
    if (box.width >= 24 && box.height >= 24) continue;
    if (getComputedStyle(el).display === "inline") {
      let block = el.parentElement;
      while (getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
      let other = "";  // the block's text outside links: words there make it a sentence
      const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.parentElement.closest("a, button, [aria-hidden=true]")) other += node.data;
      }
      if (/[\\p{L}\\p{N}]/u.test(other)) continue;
    }
    small.push(`${el.outerHTML.slice(0, 100)} is ${Math.round(box.width)}x${Math.round(box.height)} px`);
  }
  return small;
}"""

# The smallest font size (px) of any visible text on the page, with an example.
SMALLEST_TEXT_JS = """() => {
  let smallest = [Infinity, ""];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.data.trim() || !el.checkVisibility()) continue;
    const box = el.getBoundingClientRect();
    if (box.right <= 0 || box.bottom <= 0) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < smallest[0]) smallest = [size, node.data.trim().slice(0, 60)];
  }
  return smallest;
}"""


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def tab(browser):
    """tab(mode) -> a page kept open for the module: light, dark (desktop) or phone."""
    opened = {}

    def open_tab(mode: str):
        if mode not in opened:
            options = PHONE_CONTEXT if mode == "phone" else {"viewport": DESKTOP, "color_scheme": mode}
            opened[mode] = browser.new_context(**options, bypass_csp=True).new_page()  # CSP: axe is injected
        return opened[mode]

    yield open_tab
    for page in opened.values():
        page.context.close()


@pytest.fixture(scope="module")
def pages():
    """Page name -> URL, with both sites served for the whole module."""
    shipped, generated = shipped_site(), generated_site()
    with ExitStack() as stack:
        shipped_url = stack.enter_context(serve(shipped.public))
        generated_url = stack.enter_context(serve(generated.public))
        urls = {name: shipped_url + route for name, route in shipped.reader_pages().items()}
        [sink] = [r for r in generated.article_routes() if r.endswith(f"/{KITCHEN_SINK_SLUG}/")]
        urls["kitchen-sink"] = generated_url + sink
        # The kinds the shipped site has none of (its imported stories have no bylines).
        for name, route in generated.reader_pages().items():
            urls.setdefault(name, generated_url + route)
        yield urls


def url_of(pages: dict[str, str], name: str) -> str:
    if name == "search" and name not in pages:
        pytest.skip(NO_SEARCH)
    return pages[name]


def axe_violations(page) -> list[str]:
    page.add_script_tag(content=axe_source())
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(
            f"    {node['target']}: {node['failureSummary'].replace(chr(10), ' ')}" for node in v["nodes"][:5]
        )
        for v in result["violations"]
    ]


@pytest.mark.parametrize("mode", ["light", "dark", "phone"])
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_axe_finds_no_violations(tab, pages, name, mode):
    url = url_of(pages, name)
    page = tab(mode)
    page.goto(url)
    violations = axe_violations(page)
    assert not violations, f"axe on {url} ({mode}):\n" + "\n".join(violations)


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_phone_layout_fits_and_reads(tab, pages, name):
    url = url_of(pages, name)
    page = tab("phone")
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, f"{url} scrolls sideways on a phone"
    body_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert body_size >= 16, f"body text is {body_size}px on {url}"
    smallest, example = page.evaluate(SMALLEST_TEXT_JS)
    assert smallest >= 12, f"text {example!r} is {smallest}px on {url}"
    small = page.evaluate(SMALL_TARGETS_JS)
    assert not small, f"tap targets under 24x24 px on {url}:\n" + "\n".join(small)


def test_the_menu_fits_a_phone_in_at_most_two_even_rows(tab, pages):
    """No item wraps alone onto a row of its own."""
    page = tab("phone")
    page.goto(pages["home"])
    tops = page.evaluate("[...document.querySelectorAll('.site-nav li')].map(li => Math.round(li.getBoundingClientRect().top))")
    rows = [tops.count(top) for top in sorted(set(tops))]
    assert len(tops) >= 5, "the shipped menu is too short to prove anything"
    assert len(rows) <= 2 and min(rows) >= 2, f"menu rows on a 375 px phone: {rows}"
    assert page.locator(".site-nav a[aria-current=page]").inner_text().strip().lower() == "latest"


def test_a_wide_table_scrolls_in_its_own_box_by_keyboard_too(tab, pages):
    page = tab("phone")
    page.goto(pages["kitchen-sink"])
    box = page.locator(".story-body .table-scroll")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth + 100"), "the table fits: this would prove nothing"
    assert box.get_attribute("role") == "region" and box.get_attribute("aria-label")
    box.focus()
    assert page.evaluate("document.activeElement.className") == "table-scroll"
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.table-scroll').scrollLeft > 0")


def test_the_checks_can_fail(tab):
    """The checks above must be able to fail: a lone tiny link is caught (one in a sentence is
    not), tiny text is measured, and axe reports an image without a text alternative."""
    page = tab("phone")
    page.set_content('<p><a href="#a" style="font-size:10px">alone</a></p>'
                     '<p>A sentence with <a href="#b" style="font-size:10px">a link</a> in it.</p>')
    small = page.evaluate(SMALL_TARGETS_JS)
    assert len(small) == 1 and "alone" in small[0], small
    assert page.evaluate(SMALLEST_TEXT_JS)[0] == 10
    page.set_content('<html lang="en"><title>t</title><main><img src="data:,"></main></html>')
    assert any(v.startswith("image-alt") for v in axe_violations(page))


def test_pages_work_without_javascript(browser, pages):
    """Home -> a topic -> an article by plain links, and every page shows its heading, with JS off."""
    with browser.new_context(java_script_enabled=False, viewport=DESKTOP) as context:
        page = context.new_page()
        for name, url in pages.items():
            if name != "search":
                page.goto(url)
                assert page.locator("main h1").is_visible(), f"{url} shows no heading without JavaScript"
        page.goto(pages["home"])
        page.locator("nav.site-nav a", has_text="Topics").click()
        topic = page.locator(".topic-card h2 a").first
        topic_title = topic.inner_text()
        topic.click()
        assert page.locator("h1").inner_text() == topic_title
        story = page.locator(".article-list .card-title a").first
        story_title = story.inner_text()
        story.click()
        assert re.search(r"/\d{4}/\d{2}/[^/]+/$", page.url), page.url
        assert page.locator("h1").inner_text() == story_title


def test_search_says_it_needs_javascript(browser, pages):
    url = url_of(pages, "search")
    with browser.new_context(java_script_enabled=False) as context:
        page = context.new_page()
        page.goto(url)
        assert "JavaScript" in page.locator("main").inner_text(), "search must say it needs JavaScript"


@pytest.mark.parametrize("which", ["shipped", "generated"])
def test_article_pages_stay_small(which):
    """HTML plus the CSS it links, uncompressed, under the budget for every article page."""
    site = shipped_site() if which == "shipped" else generated_site()
    sizes = {}
    for route in site.article_routes():
        html = (site.public / route / "index.html").read_text(encoding="utf-8")
        stylesheets = re.findall(rf'<link rel="stylesheet" href="{PREFIX}([^"]+)"', html)
        assert stylesheets, f"{route} links no stylesheet"
        sizes[route] = len(html.encode()) + sum((site.public / css).stat().st_size for css in stylesheets)
    assert sizes, f"the {which} site has no article pages"
    route, largest = max(sizes.items(), key=lambda item: item[1])
    assert largest < ARTICLE_BUDGET, f"{route}: {largest} bytes of HTML and CSS, over {ARTICLE_BUDGET}"


def test_no_third_party_or_failed_requests(browser, pages):
    """Every request any page makes goes to the site itself (127.0.0.1 here), and succeeds."""
    requests, problems = [], []

    def check_response(response) -> None:
        if response.status >= 400 and response.url != pages["404"]:
            problems.append(f"{response.status} {response.url}")

    with browser.new_context(viewport=DESKTOP) as context:
        context.on("request", lambda request: requests.append(request.url))
        context.on("requestfailed", lambda request: problems.append(f"{request.url} failed"))
        context.on("response", check_response)
        loading = [context.new_page() for _ in pages]
        for page, url in zip(loading, pages.values()):
            page.goto(url, wait_until="commit")  # all at once: their quiet periods overlap
        for page in loading:
            page.wait_for_load_state("networkidle")
    assert set(pages.values()) <= set(requests), "requests were not recorded"
    problems += [f"request to another host: {r}" for r in requests
                 if urlsplit(r).scheme not in ("data", "blob") and urlsplit(r).hostname != "127.0.0.1"]
    assert not problems, "\n".join(problems)


def test_print_stylesheet_keeps_the_story_and_drops_navigation(browser, pages):
    with browser.new_context(viewport=DESKTOP) as context:
        page = context.new_page()
        page.goto(pages["article"])
        assert page.locator("nav.site-nav").is_visible()  # on screen...
        page.emulate_media(media="print")
        assert not page.locator("nav.site-nav").is_visible()  # ...but not on paper
        assert not page.locator(".site-footer").is_visible()
        assert page.locator("h1.story-title").is_visible()
        assert page.locator(".story-body").is_visible()
