"""Related articles: shared topics and tags first, then recency.

Comparing every pair is quadratic (10^10 pairs at 100,000 articles). Instead each
article looks only at its nearest neighbours in time within each of its topics
and tags: a bounded number of candidates, so the cost grows linearly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from gazette.content import Article

TAG_WEIGHT = 2  # a shared tag says more than a shared (broad) topic
TOPIC_WEIGHT = 1


def related_indexes(articles: Sequence[Article], limit: int = 4, window: int = 6) -> list[tuple[int, ...]]:
    """For articles sorted newest first, the indexes of up to `limit` related ones each."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, article in enumerate(articles):
        for topic in article.topics:
            groups[("topic", topic.slug)].append(index)
        for tag in article.tags:
            groups[("tag", tag.slug)].append(index)
    # Where each article sits in each of its groups, to find its neighbours in time.
    position: dict[tuple[tuple[str, str], int], int] = {}
    for key, members in groups.items():
        for offset, index in enumerate(members):
            position[(key, index)] = offset

    result = []
    for index, article in enumerate(articles):
        keys = [("topic", t.slug) for t in article.topics] + [("tag", t.slug) for t in article.tags]
        scores: dict[int, int] = defaultdict(int)
        for key in keys:
            members = groups[key]
            here = position[(key, index)]
            for other in members[max(0, here - window) : here + window + 1]:
                if other != index:
                    scores[other] = 0
        for other in scores:
            scores[other] = _shared_weight(article, articles[other])
        # Then recency: indexes are newest first, so a smaller index is more recent.
        best = sorted(scores, key=lambda other: (-scores[other], other))[:limit]
        result.append(tuple(best))
    return result


def _shared_weight(a: Article, b: Article) -> int:
    shared_topics = len(set(a.topics) & set(b.topics))
    shared_tags = len(set(a.tags) & set(b.tags))
    return TOPIC_WEIGHT * shared_topics + TAG_WEIGHT * shared_tags
