"""Cards and feed entries kept from one build in place to the next (gazette.build.fragments):
a build in place shows the other stories' as the last builds made them, makes again those of
the stories it changed, and a plan of the whole site keeps them, unless the templates or the
configuration it is made with changed."""

from __future__ import annotations

import sqlite3
import types
from datetime import datetime, timezone

from support.edits import built_as_cold, planned_again, story, story_site
from support.site import SiteDir, article

from gazette.build.cache import BuildCache
from gazette.build.cache_file import sealed, unsealed
from gazette.build.fragments import KeptFragments, fragment_scope, scope_bounds
from gazette.build.pipeline import BuildOptions, build
from gazette.model.site import Teaser
from gazette.project import Project

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
MARK = "<!-- as kept -->"


def kept_fragments(site) -> sqlite3.Connection:
    return sqlite3.connect(Project.at(site.root).cache_file)


def test_a_build_in_place_shows_other_stories_as_the_last_build_made_them(tmp_path):
    site = story_site(tmp_path / "site")  # the home page shows the newest: 29, 23, 17, 11
    built_as_cold(site, tmp_path, NOW)
    story(site, 29, body="A first fix.")
    assert planned_again(built_as_cold(site, tmp_path, NOW))  # keeps its plan
    story(site, 23, title="Story Twenty-Three, Renamed")
    assert not planned_again(built_as_cold(site, tmp_path, NOW))

    # Mark each fragment that build kept, as a later build would find it.
    with kept_fragments(site) as db:
        kept = db.execute("SELECT key, html FROM fragments").fetchall()
        macros = {key.split("\x1f")[1] for key, _ in kept}
        assert macros == {"card", "feed_content"}
        db.executemany("UPDATE fragments SET html = ? WHERE key = ?", [
            (sealed(unsealed(html, site.root, "") + MARK.encode()), key) for key, html in kept])

    story(site, 17, title="Story Seventeen, Renamed")
    assert not planned_again(build(BuildOptions(Project.at(site.root), now=NOW)))
    home = (site.public / "index.html").read_text(encoding="utf-8")
    cards = home.split('<li class="article-card">')[1:]
    assert len(cards) > 2 and sum("Seventeen" in card for card in cards) == 1
    for card in cards:  # the renamed story's card is made anew; the others are as kept
        assert (MARK in card) == ("Seventeen" not in card), card
    feed = (site.public / "feed.xml").read_text(encoding="utf-8")
    assert feed.count(MARK) == feed.count("<entry>") - 1  # its entry in the feed too

    # A plan of the whole site made with the same templates and configuration keeps them: the
    # first build in place after it shows the other stories' as kept too.
    story(site, 10, aliases="[/2020/01/ten/]")  # an old address listed: the whole site is planned again
    assert planned_again(build(BuildOptions(Project.at(site.root), now=NOW)))
    story(site, 11, title="Story Eleven, Renamed")
    assert not planned_again(build(BuildOptions(Project.at(site.root), now=NOW)))
    cards = (site.public / "index.html").read_text(encoding="utf-8").split('<li class="article-card">')[1:]
    assert sum("Eleven" in card for card in cards) == 1 and sum("Seventeen" in card for card in cards) == 1
    for card in cards:  # made anew: the renamed stories' (Seventeen's in the build before)
        assert (MARK in card) == ("Eleven" not in card and "Seventeen" not in card), card

    # Once a template changes, the next plan forgets those made with the old ones; the next build
    # in place makes the pages that showed the marks again, as a cold build makes them.
    macros = site.root / "templates/_macros.html"
    macros.write_text(macros.read_text(encoding="utf-8") + "\n{# edited #}\n", encoding="utf-8")
    story(site, 12, body="A fix.")
    assert planned_again(build(BuildOptions(Project.at(site.root), now=NOW)))
    story(site, 12, body="Another fix.")
    build(BuildOptions(Project.at(site.root), now=NOW))  # keeps the plan, if the last build kept none
    with kept_fragments(site) as db:
        assert not any(MARK.encode() in unsealed(html, site.root, "") for html, in db.execute("SELECT html FROM fragments"))
    story(site, 17, title="Story 17")
    assert not planned_again(built_as_cold(site, tmp_path, NOW))


def test_pages_rendered_by_worker_processes_keep_and_show_the_fragments_kept(tmp_path):
    """A story backdated before every other shifts each page of the home page's list (one story
    a page): over 200 pages, rendered by two forked workers, which keep what they make, and show
    what was kept when another such story shifts them again, as a build that renders few pages
    in its own process does."""
    site = SiteDir(tmp_path / "site", page_size=1)
    for i in range(220):
        site.add(f"2021/story-{i}.md", article(f"Story {i}", f"2021-{1 + i % 6:02d}-{1 + i % 28:02d}T{i % 24:02d}:00:00Z",
                                                      body=f"Body of story {i}."))
    options = BuildOptions(Project.at(site.root), now=NOW, jobs=2)
    build(options)
    site.add("2021/story-0.md", article("Story 0", "2021-01-01T00:00:00Z", body="A first fix."))
    assert planned_again(build(options))  # keeps its plan

    site.add("2020/backdated.md", article("A Backdated Story", "2020-12-31", body="Told late."))
    assert not planned_again(build(options))
    with kept_fragments(site) as db:
        kept = db.execute("SELECT key, html FROM fragments WHERE key LIKE ?", ("%\x1fcard\x1f%",)).fetchall()
        assert len(kept) > 200  # the cards of the home page's list, made in the workers
        db.executemany("UPDATE fragments SET html = ? WHERE key = ?", [
            (sealed(unsealed(html, site.root, "") + MARK.encode()), key) for key, html in kept])

    site.add("2020/earlier.md", article("An Earlier Story", "2020-11-30", body="Told later still."))
    assert not planned_again(build(options))
    pages = [page.read_text(encoding="utf-8") for page in (site.public / "page").glob("*/index.html")]
    assert len(pages) > 200
    for page in pages:  # each card as kept, but the new story's
        assert (MARK in page) == ("An Earlier Story" not in page)


def test_a_new_plan_keeps_the_fragments_of_its_scope_alone_and_none_once_they_outnumber_its_limit(tmp_path):
    cache = BuildCache(tmp_path / "cache.sqlite")
    try:
        ours, theirs = fragment_scope("site", {"_macros.html": "a"}), fragment_scope("site", {"_macros.html": "b"})
        assert ours != theirs and ours == fragment_scope("site", {"_macros.html": "a", "home.html": "c"})

        def keep(scope: str, digests: range) -> None:
            fragments = KeptFragments(cache, scope)
            for digest in digests:
                fragments.add(fragments.key("card", Teaser(_entry_with_teaser(str(digest))), (2,)), f"<li>{digest}</li>")
            fragments.keep()
            fragments.close()

        assert not KeptFragments(cache, ours).any_kept()
        keep(ours, range(5))
        keep(theirs, range(3))
        assert KeptFragments(cache, ours).any_kept() and KeptFragments(cache, theirs).any_kept()
        cache.keep_fragments_between(*scope_bounds(ours), at_most=5)
        with sqlite3.connect(cache.path) as db:
            assert sorted(key.split("\x1f")[0] for key, in db.execute("SELECT key FROM fragments")) == [ours] * 5
        assert not KeptFragments(cache, theirs).any_kept()
        cache.keep_fragments_between(*scope_bounds(ours), at_most=4)  # most of them of stories edited since
        with sqlite3.connect(cache.path) as db:
            assert db.execute("SELECT count(*) FROM fragments").fetchone() == (0,)
    finally:
        cache.close()


def _entry_with_teaser(digest: str):
    """An entry whose teaser's digest is `digest`: all a fragment's key reads of it."""
    return types.SimpleNamespace(teaser_digest=digest)
