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
from support.preview import Preview, running_preview, wait_until
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
    # The fix shows at once (fast render); the overlay goes once the complete build has passed.
    page.wait_for_selector("#gazette-overlay", state="detached", timeout=10_000)
    assert "Version fixed." in page.inner_text("main")


def test_a_deleted_article_page_turns_into_the_404_page(page, preview, site):
    open_and_wait_for_live_reload(page, preview.server.url + FIRST)
    (site.root / "content" / "first-story.md").unlink()
    page.wait_for_function("document.title.includes('Page not found')", timeout=10_000)


def complete_builds(preview: Preview) -> int:
    return preview.stdout.text.count(": built ")  # each complete build says so on a line


def save_body(site: SiteDir, name: str, old: str, new: str) -> None:
    path = site.root / "content" / name
    temp = path.with_name(f".{name}.tmp")
    temp.write_text(path.read_text().replace(old, new))
    os.replace(temp, path)


def test_a_saved_article_reloads_its_open_page_once_though_it_is_rendered_twice(page, preview, site):
    # A fast render shows the save at once, the complete build follows with the same page: one reload.
    page.add_init_script("sessionStorage.loads = String(Number(sessionStorage.loads || 0) + 1)")
    open_and_wait_for_live_reload(page, preview.server.url + FIRST)
    builds = complete_builds(preview)
    save_body(site, "first-story.md", "Version one.", "Version two.")
    page.wait_for_function("document.body.innerText.includes('Version two.')", timeout=10_000)
    wait_until(lambda: complete_builds(preview) > builds, 10, "the complete build")
    page.wait_for_timeout(500)  # time enough for a second reload, were one coming
    assert page.evaluate("sessionStorage.loads") == "2"


def test_an_open_page_a_save_did_not_change_stays_and_follows_the_next_save_that_does(page, preview, site):
    open_and_wait_for_live_reload(page, preview.server.url + "topics/energy/")  # lists the second story only
    page.evaluate("window.__stayed = true")
    for old, new in (("Version one.", "Version two."), ("Version two.", "Version three.")):  # builds in a row
        builds = complete_builds(preview)
        save_body(site, "first-story.md", old, new)
        wait_until(lambda: complete_builds(preview) > builds, 10, "the complete build")
        page.wait_for_timeout(500)
        assert page.evaluate("window.__stayed") is True

    save_body(site, "second-story.md", "The second.", "The second, revised.")  # its card's excerpt
    page.wait_for_function("document.body.innerText.includes('The second, revised.')", timeout=10_000)
    assert page.evaluate("window.__stayed") is None


def test_a_page_asked_for_before_its_article_exists_appears_once_saved(page, preview, site):
    open_and_wait_for_live_reload(page, preview.server.url + "2021/05/third-story/")
    assert "Page not found" in page.title()
    site.add("third-story.md", article(title="Third Story", date="2021-05-01", topics="[AI]", body="The third."))
    page.wait_for_function("document.body.innerText.includes('The third.')", timeout=10_000)


def test_a_not_found_page_follows_every_build(page, preview, site):
    # Its address is no page of the site, so no build lists it: it reloads after each one.
    open_and_wait_for_live_reload(page, preview.server.url + "no/such/page/")
    template = site.root / "templates" / "404.html"
    template.write_text(template.read_text().replace("</ul>", '</ul><p id="marker-404">new text</p>'))
    page.wait_for_selector("#marker-404", timeout=10_000)


def test_an_old_address_leads_to_the_story_in_the_preview_not_to_the_published_site(page, preview, site):
    # The story's date moved to another month: its old address redirects, here as on the site.
    open_and_wait_for_live_reload(page, preview.server.url + FIRST)
    page.goto("about:blank")  # not reloading itself as the story moves: opened anew after
    builds = complete_builds(preview)
    save_body(site, "first-story.md", "date: 2021-03-04", "date: 2021-02-04")
    wait_until(lambda: complete_builds(preview) > builds, 10, "the complete build")
    page.goto(preview.server.url + FIRST)
    page.wait_for_url(preview.server.url + "2021/02/first-story/", timeout=10_000)
    assert "Version one." in page.inner_text("body")


def test_a_style_sheet_edit_restyles_the_open_page_without_reloading_it(page, preview, site):
    open_and_wait_for_live_reload(page, preview.server.url + FIRST)
    page.evaluate("window.__beforeEdit = true")
    style = site.root / "static" / "css" / "site.css"
    style.write_text(style.read_text() + "\nbody { background-color: rgb(1, 2, 3); }\n")
    page.wait_for_function("getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'", timeout=10_000)
    assert page.evaluate("window.__beforeEdit") is True  # the sheet swapped in place: the reader keeps their scroll


def test_a_script_edit_reloads_the_open_page(page, preview, site):
    open_and_wait_for_live_reload(page, preview.server.url + FIRST)
    page.evaluate("window.__beforeEdit = true")
    script = site.root / "static" / "js" / "embeds.js"
    script.write_text(script.read_text() + "\nwindow.__scriptEdited = true;\n")
    page.wait_for_function("window.__beforeEdit === undefined", timeout=10_000)
