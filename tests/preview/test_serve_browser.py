"""`gazette serve` in a real browser (headless Chromium through Playwright): an open page
reloads by itself after a save, and shows an overlay for a broken file until it is fixed.

Skipped, with the reason, where Chromium or Playwright is missing, except under CI
(the CI environment variable set), where a missing browser is a failure."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import support.browser as browsers
from support.browser import open_and_wait_for_live_reload
from support.preview import Preview, running_preview
from support.site import SiteDir, article

FIRST = "2021/03/first-story/"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with browsers.chromium() as launched:
        yield launched


@pytest.fixture
def page(browser):
    context = browser.new_context()
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture
def site(tmp_path) -> SiteDir:
    root = tmp_path / "site"
    root.mkdir()
    made = SiteDir(root)
    made.add("first-story.md", article(title="First Story", date="2021-03-04", topics="[AI]", body="Version one."))
    made.add("second-story.md", article(title="Second Story", date="2021-04-01", topics="[Energy]", body="The second."))
    return made


@pytest.fixture
def preview(site) -> Iterator[Preview]:
    with running_preview(site.root) as running:
        yield running



def test_an_open_page_reloads_by_itself_after_a_save(page, preview, site):
    url = preview.server.url + FIRST
    open_and_wait_for_live_reload(page, url)
    assert "Version one." in page.inner_text("body")
    page.evaluate("window.__beforeReload = true")

    path = site.root / "content" / "first-story.md"
    temp = path.with_name(".first-story.md.tmp")
    temp.write_text(path.read_text().replace("Version one.", "Version two."))
    os.replace(temp, path)  # an atomic save

    page.wait_for_function("document.body.innerText.includes('Version two.')", timeout=10_000)
    assert page.evaluate("window.__beforeReload") is None  # a real reload, not a patch
    assert page.url == url


def test_a_template_change_reloads_the_page(page, preview, site):
    open_and_wait_for_live_reload(page, preview.server.url)
    template = site.root / "templates" / "base.html"
    template.write_text(template.read_text().replace("</body>", '<p id="template-marker">marked</p></body>'))
    page.wait_for_selector("#template-marker", timeout=10_000)


def test_a_broken_file_shows_an_overlay_until_it_is_fixed(page, preview, site):
    open_and_wait_for_live_reload(page, preview.server.url + FIRST)
    path = site.root / "content" / "first-story.md"
    good = path.read_text()
    # The bad value is markup: the overlay must show it as text, never run it.
    path.write_text(
        "---\ntitle: First Story\ndate: \"<img src=x onerror='window.__injected=1'>\"\ntopics: [AI]\n---\nBroken.\n"
    )

    overlay = page.wait_for_selector("#gazette-overlay", state="visible", timeout=10_000)
    text = overlay.inner_text()
    assert "first-story.md:3:" in text and "not a valid date" in text and "<img src=x" in text
    assert page.evaluate("window.__injected") is None
    assert "Version one." in page.inner_text("main")  # still the last good page

    page.reload()  # a page opened while the site is broken shows the overlay too
    page.wait_for_selector("#gazette-overlay", state="visible", timeout=10_000)
    page.wait_for_function("window.__gazetteConnected === true", timeout=10_000)

    path.write_text(good.replace("Version one.", "Version fixed."))
    page.wait_for_function("document.body.innerText.includes('Version fixed.')", timeout=10_000)
    assert page.query_selector("#gazette-overlay") is None


def test_a_deleted_article_page_turns_into_the_404_page(page, preview, site):
    open_and_wait_for_live_reload(page, preview.server.url + FIRST)
    (site.root / "content" / "first-story.md").unlink()
    page.wait_for_function("document.title.includes('Page not found')", timeout=10_000)
