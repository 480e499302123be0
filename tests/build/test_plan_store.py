"""The kept plan's store (gazette.build.plan_store): a page read back from it, alone, is the
page that was planned, and an edit swapped in through it is seen by every page that shows it."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import datetime, timezone

import pytest
from support.edits import story, story_site
from support.images import photo

from gazette.build import keep_plan
from gazette.build.fingerprint import page_fingerprints, shown_digest
from gazette.build.kept_entries import newest_change
from gazette.build.kept_outputs import KeptOutputs
from gazette.build.pages import newest
from gazette.build.pipeline import BuildOptions, gather
from gazette.build.plan_reader import PlanReader
from gazette.build.publish import page_renderer, site_outputs
from gazette.build.session import BuildSession
from gazette.build.substitute import substitute
from gazette.model.related import ranked_by
from gazette.model.site import Entry
from gazette.project import Project

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)


@pytest.fixture
def kept(tmp_path):
    """A planned story site, its fingerprints and renderer, and the id of its store."""
    site = story_site(tmp_path / "site")
    story(site, 7, aliases="[/old/story-7/]")  # a page that redirects, titled by its article
    photo(site.root / "static/images/plant.jpg", 1000, 700)
    story(site, 13, image="images/plant.jpg")  # an article page with pictures, kept whole
    story(site, 5, tags="[Tag1]")  # the tag of stories 1, 9..., named otherwise
    options = BuildOptions(Project.at(site.root), now=NOW)
    with BuildSession(options.cache_file) as session:
        plan = gather(options, session)
        renderer, site_digest, template_digests = page_renderer(options, plan, session.cache)
        covered: list[tuple[int, ...]] = []
        outputs = site_outputs(options, plan, site_digest, template_digests, (keep_plan.coverage_keys(plan.site.entries), covered))
        store_id = keep_plan.store_plan(session.cache, plan, outputs, covered, site_digest, template_digests, site.root)
        yield session.cache, plan, renderer, outputs, store_id


def read(cache, store_id) -> PlanReader:
    reader = PlanReader.open(cache.path.parent / keep_plan.STORE_FILE, store_id, cache)
    assert reader is not None
    cache.close_with_cache(reader)
    return reader


def test_every_page_read_back_alone_fingerprints_and_renders_as_planned(kept):
    cache, plan, renderer, outputs, store_id = kept
    reader = read(cache, store_id)
    head = reader.head
    assert head.articles == len(plan.site.entries) and head.pages == len(plan.pages)
    assert any(page.context.get("related") for page in plan.pages)
    for place, page in enumerate(plan.pages):
        stored = reader.page(place)
        assert stored.route == page.route
        assert page_fingerprints([stored], head.site_digest, head.template_digests) == [outputs.files[place].fingerprint]
        assert renderer.render(stored) == renderer.render(page), page.route


def test_a_list_page_read_back_shows_its_cards_unread_until_a_template_asks_for_more(kept):
    # Its fingerprint needs of each card its teaser's digest, kept beside the entry, and its
    # cards are mostly kept from the last build in place: a story backdated to the middle of
    # the archive shifts thousands of cards, which took more than a third of its build.
    cache, plan, renderer, outputs, store_id = kept
    reader = read(cache, store_id)
    place = next(place for place, page in enumerate(plan.pages)
                 if page.template == "home.html" and len(page.context["entries"]) > 2)
    page = reader.page(place)
    assert page_fingerprints([page], reader.head.site_digest, reader.head.template_digests) == \
        [outputs.files[place].fingerprint]
    assert not reader._originals
    statements: list[str] = []
    reader._connection().set_trace_callback(statements.append)
    assert renderer.render(page) == renderer.render(plan.pages[place])  # which reads them: no card is kept
    assert len(reader._originals) == len(page.context["entries"])
    assert len([statement for statement in statements if "blob" in statement]) == 1, statements  # at once


def test_the_cards_given_unread_are_read_at_once_where_none_is_kept(kept):
    # The first build in place with other templates makes every card: read in the build's own
    # process before workers fork, in a few queries.
    cache, plan, _, _, store_id = kept
    reader = read(cache, store_id)
    lists = [place for place, page in enumerate(plan.pages) if page.template in ("home.html", "term.html")]
    for place in lists:
        reader.page(place)
    shown = {card.place for place in lists for card in reader.page(place).context["entries"].entries}
    assert len(shown) > 10 and not reader._originals
    statements: list[str] = []
    reader._connection().set_trace_callback(statements.append)
    reader.read_cards()
    assert set(reader._originals) == shown
    assert len([statement for statement in statements if "blob" in statement]) == 1, statements


def test_the_cards_of_a_list_s_pages_are_read_in_one_query_each_page_a_group_of_its_own(kept):
    # A story backdated to the middle of 100,000 articles shifts 3,650 pages of lists: a query
    # each took a tenth of its build. A card asked for more reads its page's entries, not the list's.
    cache, plan, _, _, store_id = kept
    reader = read(cache, store_id)
    pages = [range(start, start + 4) for start in range(0, 28, 4)]
    statements: list[str] = []
    reader._connection().set_trace_callback(statements.append)
    cards = reader.cards_of(pages)
    assert len([statement for statement in statements if "teaser" in statement]) == 1, statements
    assert [[card.place for card in page] for page in cards] == [list(page) for page in pages]
    assert [card.teaser_digest for page in cards for card in page] == [entry.teaser_digest for entry in plan.site.entries[:28]]
    assert cards[1][0].article == plan.site.entries[4].article
    assert sorted(reader._originals) == [4, 5, 6, 7]
    assert all(again is card for again, card in zip(reader.cards(range(8, 12)), cards[2]))  # one card for each place


def test_pages_read_back_together_read_their_blobs_and_their_cards_in_a_query_each(kept):
    # Deleting a story added in the middle of 100,000 articles puts back 3,700 pages of the
    # plan, which took four queries a page: its place, its file, its blob and its cards.
    cache, plan, _, outputs, store_id = kept
    reader = read(cache, store_id)
    lists = [place for place, page in enumerate(plan.pages) if page.template in ("home.html", "term.html")]
    names = {outputs.files[place].name: place for place in lists}
    assert len(lists) > 5
    statements: list[str] = []
    reader._connection().set_trace_callback(statements.append)
    assert reader.places_of_files([*names, "no/such/page.html"]) == names
    pages = reader.pages(lists)
    assert len([statement for statement in statements if "FROM pages" in statement]) == 1, statements
    assert len([statement for statement in statements if "teaser" in statement]) == 1, statements
    assert list(pages) == lists and not reader._originals
    assert page_fingerprints(list(pages.values()), reader.head.site_digest, reader.head.template_digests) == \
        [outputs.files[place].fingerprint for place in lists]
    assert all(reader.page(place) is page for place, page in pages.items())


def test_the_latest_change_of_a_list_s_cards_reads_none_of_their_entries(kept):
    # It dates each page an edit shifts: at 100,000 articles an add in the middle of the
    # archive shifts 3,650 pages, and reading each one's newest entry took a tenth of its build.
    cache, plan, _, _, store_id = kept
    reader = read(cache, store_id)
    entries = plan.site.entries
    for start, end in ((0, 4), (5, 17), (20, 21)):
        latest = newest_change(reader.cards(range(start, end)))
        assert latest == newest(entries[start:end])
        assert latest.isoformat() == newest(entries[start:end]).isoformat()  # as sitemaps and fingerprints write it
    assert not reader._originals
    reader.read_originals(range(2))
    assert newest_change(reader.cards(range(4))) == newest(entries[:4])  # two read, two not
    assert newest_change(()) is None


def test_what_ranks_and_shows_each_article_as_a_related_story_is_read_back_without_its_entry(kept):
    cache, plan, _, _, store_id = kept
    reader = read(cache, store_id)
    entries = plan.site.entries
    assert all(entry.article.topics and entry.article.tags for entry in entries)
    assert [reader.ranked_by(place) for place in range(len(entries))] == [ranked_by(entry.article) for entry in entries]
    assert [reader.teaser_digest(place) for place in range(len(entries))] == [entry.teaser_digest for entry in entries]
    assert not reader._originals  # read from their columns, not by unpickling the entries


def test_an_article_page_reads_what_ranks_and_shows_its_related_stories_at_once(kept):
    # Its 50 or so candidates' columns, read for its fingerprint and its ranking: at 10,000
    # articles, a headline's 70 pages took 2,600 queries one by one.
    cache, plan, _, _, store_id = kept
    reader = read(cache, store_id)
    place = next(place for place, page in enumerate(plan.pages) if page.context.get("related"))
    statements: list[str] = []
    reader._connection().set_trace_callback(statements.append)
    page = reader.page(place)
    related = page.context["related"]
    assert len(related.finder.candidates(related.index)) > 5
    shown = shown_digest(page, reader.head.site_digest, reader.head.template_digests)
    assert shown == shown_digest(plan.pages[place], reader.head.site_digest, reader.head.template_digests)
    columns = [statement for statement in statements if "teaser" in statement or "ranked_by" in statement]
    assert len(columns) == 1, statements


@pytest.mark.parametrize("one_by_one", [3, 10_000])
def test_the_output_files_read_back_are_those_planned_but_for_the_pages_made_again(kept, monkeypatch, one_by_one):
    # Looked up one by one, then (past ONE_BY_ONE lookups) all at once: the same either way.
    cache, plan, _, outputs, store_id = kept
    reader = read(cache, store_id)
    remade = reader.files_at([1])[1]._replace(fingerprint="made again")
    kept_outputs = KeptOutputs(reader, {1: remade}, {})
    monkeypatch.setattr(type(kept_outputs.fingerprints), "ONE_BY_ONE", one_by_one)
    planned = {**outputs.fingerprints, remade.name: "made again"}
    names = [file.name for file in outputs.files]
    assert [kept_outputs.fingerprints[name] for name in names] == [planned[name] for name in names]
    assert list(kept_outputs.fingerprints.items()) == list(planned.items())  # in order: a manifest's base is hashed so
    assert len(kept_outputs.fingerprints) == len(names) and "nowhere.html" not in kept_outputs.fingerprints
    assert kept_outputs.files == tuple(file._replace(sources=()) if file.name != remade.name else remade
                                       for file in outputs.files)
    assert kept_outputs.kinds({*names[:5], "nowhere.html"}) == outputs.kinds(names[:5])
    assert (kept_outputs.article_months, kept_outputs.plain_page_files) == (outputs.article_months, outputs.plain_page_files)


def test_every_entry_read_back_is_the_planned_one_with_each_term_as_its_article_shows_it(kept):
    # Read one by one, and a list's at once (in a few queries): each term as the article
    # names it, though terms compare by slug alone, and its body read from the store.
    cache, plan, _, _, store_id = kept
    entries = plan.site.entries
    assert {tag.name for entry in entries for tag in entry.article.tags if tag.slug == "tag1"} == {"tag1", "Tag1"}

    def shown(entry: Entry) -> tuple:
        article = entry.article
        return entry, [(type(term), vars(term)) for term in (*article.topics, *article.tags, *article.authors)], \
            entry.body.html, entry.teaser_digest

    one_by_one = read(cache, store_id)
    assert [shown(one_by_one.original(place)) for place in range(len(entries))] == list(map(shown, entries))
    at_once = read(cache, store_id)
    statements: list[str] = []
    at_once._connection().set_trace_callback(statements.append)
    assert list(map(shown, at_once.entries()[:])) == list(map(shown, entries))
    assert len([statement for statement in statements if "FROM entries" in statement]) == 1, statements


def test_a_store_that_is_not_the_one_named_is_not_read(kept):
    cache, _, _, _, store_id = kept
    assert PlanReader.open(cache.path.parent / keep_plan.STORE_FILE, "another", cache) is None
    assert PlanReader.open(cache.path.parent / "missing.sqlite", store_id, cache) is None


def test_an_edit_swapped_in_is_what_every_covering_page_shows(kept):
    # As the whole plan would show it: the entry swapped into every list, related stories
    # ranked and fingerprinted with its new digest.
    cache, plan, renderer, outputs, store_id = kept
    entries = plan.site.entries
    for place in (0, 7, len(entries) - 1):
        entry = entries[place]
        other_body = entries[(place + 1) % len(entries)].body
        edited = Entry(dataclasses.replace(entry.article, title="Edited", digest="edited", fields_digest=b""), other_body)
        reader = read(cache, store_id)
        reader.edit({place: edited})
        covering = reader.pages_covering({place}, {place})  # a new headline: its teaser changes too
        assert covering
        plan.site.finder.replace(place, edited.article, edited.teaser_digest)
        try:
            for number in covering:
                planned = plan.pages[number]
                titled = keep_plan.titled_by(planned) == str(entry.article.source_path)  # its own page takes its title
                whole = dataclasses.replace(planned, context=substitute(planned.context, {id(entry): edited}),
                                            title=edited.article.title if titled else planned.title)
                stored = reader.page(number)
                assert page_fingerprints([stored], "site") == page_fingerprints([whole], "site"), whole.route
                assert renderer.render(stored) == renderer.render(whole), whole.route
        finally:
            plan.site.finder.replace(place, entry.article, entry.teaser_digest)


def test_the_pages_covering_an_article_are_those_that_show_it_whole_and_those_that_show_its_teaser(kept):
    # An edit that leaves an article's teaser as it was reads only the pages that show it whole.
    cache, plan, _, _, store_id = kept
    entries, pages = plan.site.entries, plan.pages
    whole: list[tuple[int, ...]] = []
    page_fingerprints(pages, "site", {}, ({entry.article.digest: place for place, entry in enumerate(entries)}, whole))
    covered: list[tuple[int, ...]] = []
    page_fingerprints(pages, "site", {}, (keep_plan.coverage_keys(entries), covered))
    reader = read(cache, store_id)
    teasers_only = 0
    for place, entry in enumerate(entries):
        titled = {number for number, page in enumerate(pages) if keep_plan.titled_by(page) == str(entry.article.source_path)}
        shown_whole = {number for number, found in enumerate(whole) if place in found} | titled
        shown = {number for number, found in enumerate(covered) if {place, len(entries) + place} & set(found)} | titled
        assert reader.pages_covering({place}, set()) == sorted(shown_whole), entry.article.slug
        assert reader.pages_covering({place}, {place}) == sorted(shown), entry.article.slug
        teasers_only += len(shown - shown_whole)
    assert teasers_only > len(entries)  # its neighbours' pages, and those that list it as related



def test_an_article_page_is_kept_as_its_place_and_made_again_from_the_entries(kept):
    # Nearly every page is an article's: pickled whole, each took 70 µs and 1 KB to keep.
    cache, plan, _, _, store_id = kept
    db = sqlite3.connect(cache.path.parent / keep_plan.STORE_FILE)
    try:
        sizes = dict(db.execute("SELECT place, length(blob) FROM pages"))
    finally:
        db.close()
    articles = {place for place, page in enumerate(plan.pages) if page.template == "article.html"}
    pictured = {place for place in articles if plan.pages[place].context["pictures"].lead is not None}
    assert len(articles) == 30 and len(pictured) == 1
    assert max(sizes[place] for place in articles - pictured) < 250
