import dataclasses
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from gazette.model.article import Article, Tag, Topic
from gazette.model.related import RelatedFinder


def related_indexes(articles, limit=4, window=6):
    finder = RelatedFinder(articles, [a.digest for a in articles], limit, window)
    return [tuple(finder.related(index)) for index in range(len(articles))]

START = datetime(2024, 1, 1, tzinfo=ZoneInfo("UTC"))


def make(i: int, topics=("ai",), tags=()) -> Article:
    return Article(
        source_path=Path(f"{i}.md"), title=f"A{i}", date=START - timedelta(days=i),
        topics=tuple(Topic(t, t) for t in topics), tags=tuple(Tag(t, t) for t in tags), slug=f"a{i}", body="", body_line=1,
    )


def test_shared_tags_outrank_shared_topics_then_recency_breaks_ties():
    articles = [
        make(0, ("ai",), ("openai",)),
        make(1, ("ai",)),               # shares a topic
        make(2, ("chips",), ("openai",)),  # shares a tag
        make(3, ("ai",), ("openai",)),  # shares both
        make(4, ("space",)),            # shares nothing
        make(5, ("ai",)),               # shares a topic, older than 1
    ]
    assert related_indexes(articles, limit=4)[0] == (3, 2, 1, 5)


def test_an_article_is_never_related_to_itself_or_to_unrelated_ones():
    articles = [make(0, ("ai",)), make(1, ("space",))]
    assert related_indexes(articles) == [(), ()]


def test_candidates_are_bounded_by_the_window():
    # 1,000 articles share a topic; only neighbours in time are considered.
    articles = [make(i) for i in range(1000)]
    result = related_indexes(articles, limit=4, window=3)
    assert result[500] == (497, 498, 499, 501)


def test_neighbour_digests_cover_every_candidate_in_a_stable_order():
    # Fingerprints stand for a page's related stories by these digests: every article the
    # ranking may pick must be among them, in an order that does not vary between builds.
    articles = [
        dataclasses.replace(make(i, ("ai", "chips")[: 1 + i % 2], (f"t{i % 3}", f"u{i % 4}")), digest=f"d{i}")
        for i in range(60)
    ]
    digests = [article.digest for article in articles]
    finder = RelatedFinder(articles, digests, window=3)
    for index in range(len(articles)):
        neighbours = finder.neighbour_digests(index)
        assert {articles[other].digest for other in finder.candidates(index)} <= set(neighbours)
        assert neighbours == [digests[other] for group in finder.neighbourhood(index) for other in group]
        assert neighbours == RelatedFinder(articles, digests, window=3).neighbour_digests(index)


def test_articles_naming_the_same_topics_or_tags_share_one_set_of_them():
    # Each page-rendering worker makes these sets for nearly every article: held once each.
    articles = [make(0, ("ai",), ("openai", "gpu")), make(1, ("ai",), ("gpu", "openai")), make(2, ("ai", "chips"), ("gpu",))]
    finder = RelatedFinder(articles, [a.digest for a in articles])
    for _ in range(2):
        (first_topics, first_tags), (topics, tags), (other_topics, _) = (finder._slugs(i) for i in range(3))
        assert first_topics is topics and first_tags is tags and first_tags == {"openai", "gpu"}
        assert other_topics == {"ai", "chips"} and other_topics is not topics


def test_settled_related_stories_rank_and_fingerprint_as_before_once_what_they_read_from_is_gone():
    # The preview keeps a new story's page past the build that read it from the kept plan.
    from gazette.build.markup import RenderedBody
    from gazette.model.related import Neighbourhood, ranked_by
    from gazette.model.site import Entry, RelatedStories

    articles = [make(0, ("ai",), ("openai",)), make(1, ("ai",)), make(2, ("chips",), ("openai",)),
                make(3, ("ai",), ("openai",)), make(4, ("space",)), make(5, ("ai",))]
    finder = RelatedFinder(articles, [a.digest for a in articles], 2, 6)
    plan = {place: Entry(article, RenderedBody("<p>x</p>", "x", 1)) for place, article in enumerate(articles)}
    slugs = {place: ranked_by(article) for place, article in enumerate(articles)}
    digests = {place: article.digest for place, article in enumerate(articles)}
    related = RelatedStories(plan, Neighbourhood(0, finder.neighbourhood(0), 2, slugs.__getitem__, digests.__getitem__), 0)

    settled = related.settled()
    ranked, fingerprinted = [teaser.entry for teaser in related], related.neighbour_digests()
    plan.clear(), slugs.clear(), digests.clear()  # the plan closed, or replaced
    assert [teaser.entry for teaser in settled] == ranked == [Entry(articles[3], RenderedBody("<p>x</p>", "x", 1)),
                                                                Entry(articles[2], RenderedBody("<p>x</p>", "x", 1))]
    assert settled.neighbour_digests() == fingerprinted and len(fingerprinted) > 2
