"""Related articles: shared topics and tags first, then recency.

Comparing every pair is quadratic (10^10 pairs at 100,000 articles). Instead each
article looks only at its nearest neighbours in time within each of its topics
and tags: a bounded number of candidates, so the cost grows linearly. Ranking the
candidates is the costly part, so it happens only for pages being rendered;
the candidates alone (cheap to list) decide whether a page needs rendering.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from gazette.content import Article

TAG_WEIGHT = 2  # a shared tag says more than a shared (broad) topic
TOPIC_WEIGHT = 1


class RelatedFinder:
    def __init__(self, articles: Sequence[Article], limit: int = 4, window: int = 6):
        """`articles` sorted newest first."""
        self.articles = articles
        self.limit = limit
        self.window = window
        self._topics = [frozenset(t.slug for t in a.topics) for a in articles]
        self._tags = [frozenset(t.slug for t in a.tags) for a in articles]
        self._groups: dict[tuple[str, str], list[int]] = defaultdict(list)
        # Where each article sits in each of its groups, to find its neighbours in time.
        self._positions: list[list[tuple[list[int], int]]] = [[] for _ in articles]
        for index in range(len(articles)):
            keys = [("topic", slug) for slug in self._topics[index]] + [("tag", slug) for slug in self._tags[index]]
            for key in keys:
                members = self._groups[key]
                self._positions[index].append((members, len(members)))
                members.append(index)

    def candidates(self, index: int) -> list[int]:
        """Every article the ranking of `index` looks at, in a stable order."""
        seen: set[int] = set()
        for members, here in self._positions[index]:
            seen.update(members[max(0, here - self.window) : here + self.window + 1])
        seen.discard(index)
        return sorted(seen)

    def related(self, index: int) -> list[int]:
        topics, tags = self._topics[index], self._tags[index]
        scored = []
        for other in self.candidates(index):
            score = TOPIC_WEIGHT * len(topics & self._topics[other]) + TAG_WEIGHT * len(tags & self._tags[other])
            if score:
                scored.append((-score, other))  # then recency: a smaller index is more recent
        scored.sort()
        return [other for _, other in scored[: self.limit]]
