"""Cards and feed entries kept from one build in place to the next (gazette.build.fragments):
a build in place shows the other stories' as the last builds made them, makes again those of
the stories it changed, and a plan of the whole site forgets them all."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

from support.edits import built_as_cold, planned_again, story, story_site

from gazette.build.cache_file import sealed, unsealed
from gazette.build.pipeline import BuildOptions, build
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

    # A plan of the whole site forgets them; the next build in place makes the pages that showed
    # the marks again, as a cold build makes them.
    story(site, 10, aliases="[/2020/01/ten/]")  # an old address listed: the whole site is planned again
    assert planned_again(build(BuildOptions(Project.at(site.root), now=NOW)))
    with kept_fragments(site) as db:
        assert db.execute("SELECT count(*) FROM fragments").fetchone() == (0,)
    story(site, 17, title="Story 17")
    assert not planned_again(built_as_cold(site, tmp_path, NOW))
