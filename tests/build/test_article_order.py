"""Where the kept plan's articles stand after the changes since it (gazette.build.article_order),
checked against the order written out in full: a list of places, newest first."""

from __future__ import annotations

from array import array
from random import Random

import pytest

from gazette.build.article_order import ArticleOrder


def changed_order(random: Random, articles: int) -> tuple[ArticleOrder, list[int]]:
    """An order of `articles` with some removed, some news added and some inserted at random,
    and the same order written out: the plan's places, newest first, changed alike."""
    order = ArticleOrder(articles)
    removed = set(random.sample(range(articles), random.randrange(articles // 3)))
    order.removed = frozenset(removed)
    written = [place for place in range(articles) if place not in removed]
    news = order.add(random.randrange(3))
    written[0:0] = list(news)
    anchors = sorted(random.randrange(1, articles + 1) for _ in range(random.randrange(1, 6)))
    for place, anchor in zip(order.insert(anchors), anchors):
        # Just newer than the plan's article at `anchor` (or last), after those inserted before it.
        older = next((at for at, other in enumerate(written) if 0 <= other < articles and other >= anchor), len(written))
        written.insert(older, place)
    return order, written


@pytest.mark.parametrize("seed", range(40))
def test_the_order_after_removals_news_and_insertions_is_the_order_written_out(seed):
    random = Random(seed)
    order, written = changed_order(random, random.randrange(3, 30))
    assert list(order.places()) == written
    for at, place in enumerate(written):
        assert order.newer_than(place) == (written[at - 1] if at else None)
        assert order.older_than(place) == (written[at + 1] if at + 1 < len(written) else None)
        assert order.older_count(place) == len(written) - at - 1
    for place in order.removed:  # each as it was: between the neighbours it had
        at = sum(1 for other in written if order.key(other) < place)
        assert order.older_count(place) == len(written) - at


def test_a_list_of_the_plan_takes_in_those_inserted_that_belong_to_it_and_drops_the_removed():
    order = ArticleOrder(10)
    order.removed = frozenset({4})
    inserted = order.insert([3, 3, 9])  # two just newer than place 3, one just newer than 9
    topic = array("I", [1, 4, 5, 9])
    assert list(order.with_inserted(topic, [inserted[1], inserted[2]])) == [1, inserted[1], 5, inserted[2], 9]
    assert order.newer_than(3) == inserted[1] and order.older_than(2) == inserted[0]
