from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from gazette.build.markup import RenderedBody
from gazette.model.article import Article, Topic, read_article, shown_fields_digest
from gazette.model.config import SiteConfig, TopicConfig
from gazette.model.site import Entry, assemble_site, split_scheduled

UTC = ZoneInfo("UTC")
TOPICS = (TopicConfig("ai", "AI", "Artificial intelligence."),)


def entry(slug, when, updated=None) -> Entry:
    article = Article(Path(f"{slug}.md"), slug, when, (Topic("ai", "AI"),), slug, "", 1, updated=updated)
    return Entry(article, RenderedBody("", "", 0))


def test_archive_groups_years_and_months_newest_first():
    dates = [datetime(2021, 3, 4, tzinfo=UTC), datetime(2021, 3, 20, tzinfo=UTC),
             datetime(2021, 11, 1, tzinfo=UTC), datetime(2019, 1, 1, tzinfo=UTC)]
    site = assemble_site(SiteConfig("T", "/"), [entry(f"s{i}", d) for i, d in enumerate(dates)])
    assert [(y.year, y.count) for y in site.years] == [(2021, 3), (2019, 1)]
    assert [(m.month, len(m.entries)) for m in site.years[0].months] == [(11, 1), (3, 2)]
    assert [e.article.slug for e in site.years[0].months[1].entries] == ["s1", "s0"]
    assert site.years[0].months[1].route == "archive/2021/03/"


def test_future_articles_are_scheduled():
    now = datetime(2024, 1, 1, 12, tzinfo=UTC)
    past, future = entry("past", datetime(2024, 1, 1, 11, tzinfo=UTC)), entry("future", datetime(2024, 1, 1, 13, tzinfo=UTC))
    published, scheduled = split_scheduled([past.article, future.article], now)
    assert published == [past.article] and scheduled == [future.article]


def test_modified_is_the_update_but_never_before_the_date():
    when = datetime(2024, 1, 2, 9, tzinfo=UTC)
    assert entry("a", when).modified == when
    assert entry("a", when, updated=datetime(2024, 1, 5, tzinfo=UTC)).modified.day == 5
    assert entry("a", when, updated=datetime(2024, 1, 1, tzinfo=UTC)).modified == when


def test_standfirst_is_left_out_when_the_story_opens_with_it():
    when = datetime(2024, 1, 2, tzinfo=UTC)
    article = Article(Path("a.md"), "A", when, (Topic("ai", "AI"),), "a", "", 1, summary="Opening words of the story…")
    opening = Entry(article, RenderedBody("", "Opening words of the story, and more.", 7))
    assert opening.standfirst is None and opening.summary == "Opening words of the story…"
    other = Entry(article, RenderedBody("", "Something else entirely.", 3))
    assert other.standfirst == "Opening words of the story…"


def read(text: str) -> Article:
    return read_article(Path("content/2024/story.md"), text.encode(), SiteConfig("T", "/", topics=TOPICS))[0]


STORY = "---\ntitle: A headline\ndate: 2024-05-01\ntopics: [ai]\ntags: [Chips]\n---\nFirst paragraph.\n\nSecond one.\n"


def test_what_a_teaser_shows_of_an_article_is_its_fields_but_the_body():
    body = RenderedBody("<p>First paragraph.</p>", "First paragraph.", 4)
    article = read(STORY)
    assert article.fields_digest == shown_fields_digest(article)  # made as the file is read
    assert read(STORY.replace("Second one.", "Second one, edited.")).fields_digest == article.fields_digest
    for edit in (("A headline", "A new headline"), ("[Chips]", "[Chips, Phones]"), ("05-01", "05-02")):
        edited = read(STORY.replace(*edit))
        assert edited.fields_digest != article.fields_digest, edit
        assert Entry(edited, body).teaser_digest != Entry(article, body).teaser_digest, edit
    # An article made otherwise has none: its teaser's digest is made from its fields.
    unread = replace(article, title="A new headline", fields_digest=b"")
    assert Entry(unread, body).teaser_digest == Entry(read(STORY.replace("A headline", "A new headline")), body).teaser_digest
