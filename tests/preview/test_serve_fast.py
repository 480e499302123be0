"""The preview's fast render: a saved article reaches the pages browsers show before the
complete build, which then replaces them; anything a fast render cannot show exactly waits
for the complete build. The complete build is held back by taking the output folder's lock,
as a terminal build beside the preview would, so that what is served in between is seen."""

from __future__ import annotations

import re
import threading
import time
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from support.preview import FIRST, SECOND, EventStream, make_site, running_preview, status_json, wait_until
from support.site import article

from gazette.build.markup import RenderedBody
from gazette.build.output import output_lock
from gazette.build.pages import plan_pages
from gazette.model.article import Article, Topic
from gazette.model.config import SiteConfig
from gazette.model.site import Entry, TermIndex, assemble_site
from gazette.build.substitute import substitute
from gazette.preview.fast import ShownPages

UTC = ZoneInfo("UTC")


# --- the pure parts --------------------------------------------------------------------------


def entry(slug: str, day: int, topics: tuple[str, ...]) -> Entry:
    story = Article(source_path=Path(f"content/{slug}.md"), title=slug.title(), date=datetime(2021, 3, day, tzinfo=UTC),
                    topics=tuple(Topic(t, t.upper()) for t in topics), slug=slug, body="", body_line=1)
    return Entry(story, RenderedBody("<p>x</p>", "x", 1))


def test_substitute_swaps_an_entry_wherever_a_page_holds_it_and_leaves_other_pages_alone():
    entries = [entry("alpha", 3, ("ai",)), entry("beta", 2, ("ai",)), entry("gamma", 1, ("energy",))]
    site = assemble_site(SiteConfig("T", "/"), entries)
    pages = {page.route: page for page in plan_pages(site, datetime(2021, 4, 1, tzinfo=UTC))}
    beta = next(e for e in site.entries if e.article.slug == "beta")
    new_beta = Entry(replace(beta.article, title="Beta, corrected", fields_digest=b""), beta.body)
    swap = {id(beta): new_beta}

    neighbour = substitute(pages[site.entries[0].article.route].context, swap)  # alpha: beta is older
    assert neighbour["older"].entry is new_beta and neighbour["entry"] is site.entries[0]  # beta as a teaser
    assert [teaser.entry for teaser in neighbour["related"]] == [new_beta]  # the related stories rank the new entry

    home = substitute(pages[""].context, swap)
    assert [e.article.title for e in home["entries"]] == ["Alpha", "Beta, corrected", "Gamma"]
    assert home["pagination"] is pages[""].context["pagination"]  # untouched parts stay the same objects

    topic = next(route for route, page in pages.items() if isinstance(page.context.get("index"), TermIndex)
                 and page.context["index"].term.slug == "ai")
    swapped = substitute(pages[topic].context, swap)
    assert new_beta in swapped["index"].entries and swapped["index"].term is pages[topic].context["index"].term

    energy = next(route for route, page in pages.items() if isinstance(page.context.get("index"), TermIndex)
                  and page.context["index"].term.slug == "energy")
    assert substitute(pages[energy].context, swap) is pages[energy].context  # gamma's topic: beta is not on it


def test_shown_pages_remember_the_latest_visits_only():
    shown = ShownPages(remembered=2)
    for name in ("a/index.html", "b/index.html", "a/index.html", "c/index.html"):
        shown.visited(name)
    assert shown.recent() == ["a/index.html", "c/index.html"]
    shown.show({"a/index.html": b"fast"})
    assert shown.fast_page("a/index.html") == b"fast" and shown.show({}) == {"a/index.html": b"fast"}
    assert shown.fast_page("a/index.html") is None


# --- through the server ----------------------------------------------------------------------


@pytest.fixture
def site(tmp_path):
    return make_site(tmp_path / "site")


@pytest.fixture
def preview(site):
    with running_preview(site.root) as running:
        yield running


@contextmanager
def complete_build_held(site):
    """Hold the output folder, as another build would: the preview's complete build waits."""
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with output_lock(site.root / "public"):
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    assert held.wait(10)
    try:
        yield
    finally:
        release.set()
        holder.join(10)


def built_text(site, route: str) -> str:
    return (site.root / "public" / route / "index.html").read_text(encoding="utf-8")


def without_generation(served: str) -> str:
    return re.sub(r'"generation":\d+', "", served)


def save(site, name: str, **fields) -> None:
    path = site.root / "content" / name
    path.write_text(article(**fields), encoding="utf-8")


FIRST_FIELDS = dict(title="First Story", date="2021-03-04", topics="[AI]")


def test_a_saved_article_is_served_before_the_complete_build_then_replaced_without_a_second_reload(preview, site):
    preview.get(FIRST)  # the editor has the article open
    events = EventStream(preview.port)
    try:
        assert events.next_named("hello")["generation"] == preview.generation()
        with complete_build_held(site):
            save(site, "first-story.md", **FIRST_FIELDS, body="Version two, seen at once.")
            fast = events.next_named("reload")
            assert fast["changed"] == ["/" + FIRST]  # only the page showing it reloads
            assert "Version two, seen at once." in preview.get(FIRST).text
            assert "Version two" not in built_text(site, FIRST)  # the output folder waits for the complete build
            assert "The second." in preview.get(SECOND).text  # a page not showing it: the output folder's
        complete = events.next_named("reload")
        assert complete["generation"] == fast["generation"] + 1
        assert "/" + FIRST not in complete["changed"]  # the complete build made the same bytes: no second reload
        assert "Version two, seen at once." in built_text(site, FIRST)
        assert preview.get(FIRST).text.count("Version two, seen at once.") >= 1
    finally:
        events.close()


def test_a_save_made_while_a_complete_build_runs_is_shown_at_once(preview, site):
    preview.get(FIRST)
    with complete_build_held(site):  # the complete build of the first save waits, as a long one would
        save(site, "first-story.md", **FIRST_FIELDS, body="Second text.")
        preview.wait_for_page(FIRST, "Second text.")
        save(site, "first-story.md", **FIRST_FIELDS, body="Third text.")
        preview.wait_for_page(FIRST, "Third text.", timeout=5)
        assert "Version one" in built_text(site, FIRST)
    preview.wait_for_page(FIRST, "Third text.")
    wait_until(lambda: "Third text." in built_text(site, FIRST), 10, "the complete build of the last save")


def test_a_headline_edit_reaches_an_open_list_that_shows_the_story(preview, site):
    preview.get("")  # the home page lists both stories
    preview.get(SECOND)  # the newer story links to the first as the older one
    preview.get("topics/energy/")  # open, but the first story is not on it
    with complete_build_held(site):
        save(site, "first-story.md", **{**FIRST_FIELDS, "title": "First Story, Retitled"}, body="Version one of the first.")
        preview.wait_for_page("", "First Story, Retitled")
        assert sorted(status_json(preview.port)["changed"]) == ["/", "/" + SECOND]
        assert "First Story, Retitled" in preview.get(SECOND).text
        assert "First Story, Retitled" not in (site.root / "public" / "index.html").read_text(encoding="utf-8")
    preview.wait_for_page("topics/ai/", "First Story, Retitled")  # the complete build: every page


@pytest.mark.parametrize("edit", [
    pytest.param(lambda site: save(site, "third-story.md", title="Third", date="2021-05-01", topics="[AI]"), id="new file"),
    pytest.param(lambda site: save(site, "first-story.md", **{**FIRST_FIELDS, "date": "2021-05-04"}), id="moved by its date"),
    pytest.param(lambda site: save(site, "first-story.md", **{**FIRST_FIELDS, "date": "not a date"}), id="broken"),
    pytest.param(lambda site: (site.root / "templates").mkdir(exist_ok=True) or
                 (site.root / "templates" / "article.html").write_text("{{ entry.article.title }} by template"),
                 id="template"),
])
def test_what_a_fast_render_cannot_show_waits_for_the_complete_build(preview, site, edit):
    preview.get(FIRST)
    before = preview.generation()
    with complete_build_held(site):
        edit(site)
        time.sleep(0.6)  # several quiet periods: a fast render would have been served by now
        assert preview.generation() == before
        assert "Version one of the first." in preview.get(FIRST).text
    wait_until(lambda: preview.generation() > before or status_json(preview.port)["problems"], 10, "the complete build")


def test_a_complete_build_that_fails_takes_the_fast_page_back_to_the_last_good_site(preview, site):
    preview.get(FIRST)
    with complete_build_held(site):
        # The body renders (so a fast render shows it), but the build refuses a missing image.
        save(site, "first-story.md", **FIRST_FIELDS, body="Version two.\n\n![A chart](/images/missing.png)")
        preview.wait_for_page(FIRST, "Version two.")
        fast_generation = preview.generation()
    problems = preview.wait_for_problems()
    assert any("missing.png" in p["text"] for p in problems)
    status = status_json(preview.port)
    assert status["generation"] == fast_generation + 1 and status["changed"] == ["/" + FIRST]
    page = preview.get(FIRST).text
    assert "Version one of the first." in page and "Version two." not in page


def test_without_fast_render_a_save_waits_for_the_complete_build(site):
    with running_preview(site.root, fast_render=False) as preview:
        preview.get(FIRST)
        before = preview.generation()
        with complete_build_held(site):
            save(site, "first-story.md", **FIRST_FIELDS, body="Version two.")
            time.sleep(0.6)
            assert preview.generation() == before and "Version two." not in preview.get(FIRST).text
        preview.wait_for_page(FIRST, "Version two.")


def test_a_complete_build_that_began_before_a_save_leaves_that_save_shown(site):
    """Saved twice: the complete build that read the first text ends after the second save
    was shown. The page keeps the second text (rendered again from the new build), never
    going back to the first until the next complete build."""
    from gazette.build.pipeline import BuildOptions, build
    from gazette.preview.fast import FastRender
    from gazette.preview.status import SiteStatus, StatusBoard
    from gazette.project import Project

    options = BuildOptions(Project.at(site.root))
    first: list = []
    build(options, keep=first.append)
    board, shown = StatusBoard(SiteStatus(server="test", generation=1)), ShownPages()
    fast = FastRender(board, shown, (site.root / "public").resolve())
    fast.build_done(first[0], fast.saves, ())
    fast.start()
    try:
        page = FIRST + "index.html"
        shown.visited(page)
        path = (site.root / "content" / "first-story.md").resolve()
        save(site, "first-story.md", **FIRST_FIELDS, body="Second text.")
        fast.notify([path])
        wait_until(lambda: b"Second text." in (shown.fast_page(page) or b""), 10, "the first fast render")

        saves = fast.saves  # a complete build begins, and reads the second text
        second: list = []
        report = build(options, keep=second.append)
        save(site, "first-story.md", **FIRST_FIELDS, body="Third text.")
        fast.notify([path])
        wait_until(lambda: b"Third text." in (shown.fast_page(page) or b""), 10, "the second fast render")

        with fast.lock:
            served = fast.build_done(second[0], saves, report.changed)
        assert b"Third text." in shown.fast_page(page) and page not in served  # no reload back to the second text
        assert "Second text." in built_text(site, FIRST)  # what that complete build wrote
    finally:
        fast.stop()


def test_a_long_run_of_entries_is_swapped_in_a_view_that_reads_as_a_copy():
    from gazette.build.substitute import LONG_SEQUENCE, SwappedEntries

    entries = tuple(entry(f"story-{n}", 1 + n % 28, ("ai",)) for n in range(LONG_SEQUENCE + 10))
    old = entries[100]
    new = Entry(replace(old.article, title="New", fields_digest=b""), old.body)
    swapped = substitute(entries, {id(old): new})
    assert isinstance(swapped, SwappedEntries)
    assert list(swapped) == [new if e is old else e for e in entries] and len(swapped) == len(entries)
    assert swapped[100] is new and swapped[99:101] == [entries[99], new] and swapped[-1] is entries[-1]
    assert substitute(entries, {id(new): old}) is entries  # none of them swapped: the very same tuple


def test_after_a_complete_build_in_place_the_fast_render_keeps_every_save_since_the_whole_plan(preview, site):
    # A complete build of an edit in place hands the fast render no whole plan: it keeps the last
    # one, so it must keep every save since that one too, or a page it renders later shows the
    # older text of an article saved before.
    preview.get(SECOND)  # the second story's page shows the first as its older neighbour
    save(site, "first-story.md", **{**FIRST_FIELDS, "title": "First Story, Renamed"})
    wait_until(lambda: "First Story, Renamed" in built_text(site, SECOND), 10, "the complete build that plans the site")
    save(site, "first-story.md", **{**FIRST_FIELDS, "title": "First Story, Again"})
    wait_until(lambda: "First Story, Again" in built_text(site, SECOND), 10, "the complete build in place")
    with complete_build_held(site):
        save(site, "second-story.md", title="Second Story", date="2021-04-01", topics="[Energy]", body="Second, edited.")
        page = preview.wait_for_page(SECOND, "Second, edited.")  # the fast render
        assert "First Story, Again" in page.text and "First Story, Renamed" not in page.text


def test_a_preview_started_after_edits_in_place_renders_saves_at_once(site):
    # Its first build could be an edit in place from the plan a terminal build kept: it must
    # plan the whole site instead, or the fast render would have nothing to render from.
    from gazette.build.pipeline import BuildOptions, build
    from gazette.project import Project

    options = BuildOptions(Project.at(site.root))
    build(options)
    save(site, "first-story.md", **{**FIRST_FIELDS, "title": "First Story, Renamed"})
    build(options)  # plans the site, and keeps the plan
    save(site, "first-story.md", **{**FIRST_FIELDS, "title": "First Story, Again"})
    with running_preview(site.root) as preview:
        preview.wait_for_page(SECOND, "First Story, Again")
        with complete_build_held(site):
            save(site, "second-story.md", title="Second Story", date="2021-04-01", topics="[Energy]", body="Edited.")
            preview.wait_for_page(SECOND, "Edited.")


def test_a_new_headline_is_in_the_fast_pages_title_too(preview, site):
    # The page's <title> comes from its plan, made before the edit: the fast render titles the
    # pages an article titles anew, or the tab would keep the old headline until the site is
    # planned again (complete builds of edits in place make no plan).
    preview.get(FIRST)
    with complete_build_held(site):
        save(site, "first-story.md", **{**FIRST_FIELDS, "title": "First Story, Renamed"}, body="Version one of the first.")
        preview.wait_for_page(FIRST, "<title>First Story, Renamed")
    save(site, "first-story.md", **{**FIRST_FIELDS, "title": "First Story, Again"}, body="Version one of the first.")
    preview.wait_for_page(FIRST, "<title>First Story, Again")


THIRD = "2021/05/third-story/"


def third_story_built_in_place(site) -> dict[str, str]:
    """A headline edit, which keeps a plan, then a new story dated after the others, built in
    place from it (the day's news); returns the first story's fields as renamed."""
    renamed = {**FIRST_FIELDS, "title": "First Story, Renamed"}
    save(site, "first-story.md", **renamed, body="Version one of the first.")
    wait_until(lambda: "First Story, Renamed" in built_text(site, ""), 10, "the build that keeps a plan")
    save(site, "third-story.md", title="Third Story", date="2021-05-01", topics="[Energy]", body="The third.")
    wait_until(lambda: "Third Story" in built_text(site, ""), 10, "the news, built in place")
    return renamed


def test_after_news_built_in_place_the_fast_render_leaves_the_pages_it_changed_to_the_complete_builds(preview, site):
    # A new story is built in place (from the plan kept after the headline edit): the fast
    # render still holds the plan from before it, which lacks the story. The pages the news
    # changed (the lists, its neighbour's page) come from the complete builds until a build
    # plans the site again; the others it still renders at once.
    renamed = third_story_built_in_place(site)
    for route in ("", SECOND, FIRST):
        preview.get(route)
    with complete_build_held(site):
        save(site, "first-story.md", **renamed, body="Fast text.")
        preview.wait_for_page(FIRST, "Fast text.")  # a page the news left alone
        for route in ("", SECOND):  # the lists, and the page the new story is the newer neighbour of
            page = preview.get(route).text
            assert "Third Story" in page and "Fast text." not in page, route
    wait_until(lambda: "Fast text." in built_text(site, ""), 10, "the complete build")
    save(site, "third-story.md", title="Third Story", date="2021-05-01", topics="[Energy]", body="The third, edited.")
    preview.wait_for_page(THIRD, "The third, edited.")  # not open before: the complete build shows it
    with complete_build_held(site):
        save(site, "first-story.md", **renamed, body="Faster text.")
        preview.wait_for_page(FIRST, "Faster text.")
    save(site, "second-story.md", title="Second Story", date="2021-04-02", topics="[Energy]", body="The second.")
    # Redated: the site is planned again, and the fast render holds the plan. (Its complete
    # build, not the fast render of the save, which may come first.)
    wait_until(lambda: 'datetime="2021-04-02' in built_text(site, SECOND), 10, "the redated story's build")
    with complete_build_held(site):
        save(site, "first-story.md", **renamed, body="Fastest text.")
        assert "Third Story" in preview.wait_for_page("", "Fastest text.").text


def test_a_save_of_the_news_is_fast_rendered_on_its_own_page(preview, site):
    # The editor writing the day's story saves it again and again: each save reaches its open
    # page at once, from the page the build in place made for it, while the lists it is on
    # wait for the complete build.
    third_story_built_in_place(site)
    for route in ("", THIRD):
        preview.get(route)
    with complete_build_held(site):
        save(site, "third-story.md", title="Third Story, Retitled", date="2021-05-01", topics="[Energy]",
             body="The third, written on.")
        page = preview.wait_for_page(THIRD, "The third, written on.").text
        assert "Third Story, Retitled" in page and "Second Story" in page  # its older neighbour, as built
        home = preview.get("").text
        assert "Third Story" in home and "Third Story, Retitled" not in home  # the lists: the complete build
    wait_until(lambda: "Third Story, Retitled" in built_text(site, ""), 10, "the complete build")
    # The fast page was the page the complete build wrote (but for the preview's count of its
    # builds, which the served page carries for the live reload).
    assert without_generation(preview.get(THIRD).text) == without_generation(page)
    with complete_build_held(site):  # and again, from the page that build made
        save(site, "third-story.md", title="Third Story, Retitled", date="2021-05-01", topics="[Energy]",
             body="The third, written on and on.")
        preview.wait_for_page(THIRD, "The third, written on and on.")


def test_after_a_story_of_the_plan_is_deleted_in_place_the_fast_render_goes_on(preview, site):
    # A retracted story is built in place (gazette.build.shifted): the fast render's plan still
    # has it, so the pages that deletion changed come from the complete builds, and its
    # file, gone, no longer holds up the fast render of the next save.
    save(site, "older-story.md", title="Older Story", date="2021-03-01", topics="[AI]", body="Older.")
    save(site, "retracted-story.md", title="Retracted Story", date="2021-03-02", topics="[AI]", body="Retracted.")
    wait_until(lambda: "Retracted Story" in built_text(site, ""), 10, "the stories' build")
    renamed = {**FIRST_FIELDS, "title": "First Story, Renamed"}
    save(site, "first-story.md", **renamed, body="Version one of the first.")
    wait_until(lambda: "First Story, Renamed" in built_text(site, ""), 10, "the build that keeps a plan")
    for route in ("", FIRST, SECOND):
        preview.get(route)
    (site.root / "content" / "retracted-story.md").unlink()
    wait_until(lambda: "Retracted Story" not in built_text(site, ""), 10, "the deletion, built in place")
    with complete_build_held(site):
        save(site, "second-story.md", title="Second Story", date="2021-04-01", topics="[Energy]", body="Fast text.")
        preview.wait_for_page(SECOND, "Fast text.")  # a page the deletion left alone
        for route in ("", FIRST):  # the lists, and the page the retracted story was the older neighbour of
            page = preview.get(route).text
            assert "Retracted Story" not in page and "Fast text." not in page, route
    wait_until(lambda: "Fast text." in built_text(site, ""), 10, "the complete build")
    # The day's story beside the retraction is built in place too: each save of it reaches its
    # open page at once, while the lists it is on wait for the complete build.
    save(site, "third-story.md", title="Third Story", date="2021-05-01", topics="[Energy]", body="The third.")
    wait_until(lambda: "Third Story" in built_text(site, ""), 10, "the news, built in place")
    for route in ("", THIRD):
        preview.get(route)
    with complete_build_held(site):
        save(site, "third-story.md", title="Third Story", date="2021-05-01", topics="[Energy]", body="Written on.")
        page = preview.wait_for_page(THIRD, "Written on.").text
        assert "Written on." not in preview.get("").text
    wait_until(lambda: "Written on." in built_text(site, ""), 10, "the complete build")
    assert without_generation(preview.get(THIRD).text) == without_generation(page)
