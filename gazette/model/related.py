"""Related articles: shared topics and tags first, then recency.

Comparing every pair is quadratic (10^10 pairs at 100,000 articles). Instead each
article looks only at its nearest neighbours in time within each of its topics
and tags: a bounded number of candidates, so the cost grows linearly. Ranking the
candidates is the costly part, so it happens only for pages being rendered;
the digests of those neighbours (cheap to list) decide whether a page needs rendering
(and an edit in place ranks the few pages whose fingerprint it changed, to render only
those that show it: see `fingerprint.shown_digest`).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence

from gazette.model.article import Article

WINDOW = 6  # the neighbours in time an article's ranking looks at, on each side, in each of its topics and tags
LIMIT = 4  # related stories a page shows
TAG_WEIGHT = 2  # a shared tag says more than a shared (broad) topic
TOPIC_WEIGHT = 1


class RelatedFinder:
    def __init__(self, articles: Sequence[Article], digests: Sequence[str], limit: int = LIMIT, window: int = WINDOW):
        """`articles` sorted newest first; `digests` what stands for each in the fingerprints of
        the pages that show them as related stories (their teasers' digests)."""
        self.articles = list(articles)
        self._digests = list(digests)
        self.limit = limit
        self._slug_sets: list[tuple[frozenset[str], frozenset[str]] | None] = [None] * len(self.articles)  # see `_slugs`
        self._shared_sets: dict[frozenset[str], frozenset[str]] = {}  # each set of slugs, held once
        # Each group (a topic or a tag) lists its members newest first, and their digests.
        groups: dict[tuple[str, str], tuple[list[int], list[str]]] = {}
        # Each article's neighbours in time in each of its groups, in the order the article
        # names them: the group's lists (which grow to hold every member) and the span around it.
        self._spans: list[list[tuple[list[int], list[str], int, int]]] = []
        for index, (article, digest) in enumerate(zip(articles, digests, strict=True)):
            spans = []
            for kind, names in (("topic", article.topics), ("tag", article.tags)):
                for name in names:
                    group = groups.get((kind, name.slug))
                    if group is None:
                        group = groups[kind, name.slug] = ([], [])
                    members, member_digests = group
                    here = len(members)  # an article names a topic or tag once (see content.py)
                    spans.append((members, member_digests, max(0, here - window), here + window + 1))
                    members.append(index)
                    member_digests.append(digest)
            self._spans.append(spans)

    def replace(self, index: int, article: Article, digest: str) -> None:
        """Take `article` (and its `digest`) for the one at `index`, which names the same topics
        and tags, and so ranks the same: only the digests that `neighbour_digests` gives change.
        For an edit in place of a whole plan held in memory (the tests of the fingerprints'
        coverage make them); a build reads the kept plan's neighbourhoods instead (`Neighbourhood`)."""
        self.articles[index] = article
        self._digests[index] = digest
        for members, digests, _, _ in self._spans[index]:
            digests[bisect.bisect_left(members, index)] = digest

    def candidates(self, index: int) -> list[int]:
        """Every article the ranking of `index` looks at, in a stable order."""
        seen: set[int] = set()
        for members, _, start, stop in self._spans[index]:
            seen.update(members[start:stop])
        seen.discard(index)
        return sorted(seen)

    def neighbour_digests(self, index: int) -> list[str]:
        """The digests of the articles `candidates(index)` is gathered from, group by group.

        With the article's own they decide `related(index)`: the candidates, what ranks them
        (topics, tags, place in time) and what their teasers show. Slicing them
        out costs a fraction of listing the candidates, which fingerprints do for every page."""
        neighbours: list[str] = []
        for _, digests, start, stop in self._spans[index]:
            neighbours += digests[start:stop]
        return neighbours

    def digest_of(self, index: int) -> str:
        return self._digests[index]

    def neighbourhood(self, index: int) -> tuple[tuple[int, ...], ...]:
        """What ranks `index`'s related stories apart from this finder (see `Neighbourhood`):
        its neighbours in each of its groups, itself among them."""
        return tuple(tuple(members[start:stop]) for members, _, start, stop in self._spans[index])

    def _slugs(self, index: int) -> tuple[frozenset[str], frozenset[str]]:
        """An article's topics and tags, as sets: made when a ranking first needs them, since
        after an edit only the few pages rendered again rank their related stories. Articles
        share their sets where they name the same topics or tags: each page-rendering worker
        makes them for nearly every article (at 10,000 articles, 3.2 MB a worker, 5.9 MB unshared)."""
        sets = self._slug_sets[index]
        if sets is None:
            share = self._shared_sets.setdefault
            topics, tags = ranked_by(self.articles[index])
            sets = self._slug_sets[index] = (share(topics, topics), share(tags, tags))
        return sets

    def related(self, index: int) -> list[int]:
        return rank(index, self.candidates(index), self._slugs, self.limit)


def ranked_by(article: Article) -> tuple[frozenset[str], frozenset[str]]:
    """What of an article ranks it as another's related story: its topic and tag slugs."""
    return frozenset(t.slug for t in article.topics), frozenset(t.slug for t in article.tags)


def rank(index: int, candidates: Sequence[int], slugs: Callable[[int], tuple[frozenset[str], frozenset[str]]],
         limit: int, order: Callable[[int], float] = int) -> list[int]:
    """The `limit` best of `candidates` for `index`: by shared topics and tags (`slugs` of
    an article: its topic and tag slugs), then recency (`order`: where an index stands, newest
    first; the index itself but for an article a kept plan takes in among its own)."""
    topics, tags = slugs(index)
    scored = []
    for other in candidates:
        other_topics, other_tags = slugs(other)
        score = TOPIC_WEIGHT * len(topics & other_topics) + TAG_WEIGHT * len(tags & other_tags)
        if score:
            scored.append((-score, order(other), other))  # then recency: a smaller index is more recent
    scored.sort()
    return [other for _, _, other in scored[:limit]]


class Neighbourhood:
    """One article's neighbours in each of its topics and tags, as its finder saw them, with
    the articles by index: ranks and fingerprints its related stories as the finder does.
    Its neighbours stay its neighbours while no article's date, topics or tags change."""

    def __init__(self, index: int, groups: tuple[tuple[int, ...], ...], limit: int,
                 slugs_of: Callable[[int], tuple[frozenset[str], frozenset[str]]], digest_of: Callable[[int], str],
                 order: Callable[[int], float] = int) -> None:
        self.index = index
        self.groups = groups  # each group's members around it (itself among them), newest first
        self.limit = limit
        self._slugs_of = slugs_of  # an article's topic and tag slugs, as `rank` takes them
        self._digest_of = digest_of  # as the finder's `digests`
        self._order = order  # as `rank` takes it

    def candidates(self, index: int) -> list[int]:
        return sorted({other for group in self.groups for other in group} - {index})

    def neighbour_digests(self, index: int) -> list[str]:
        return [self._digest_of(other) for group in self.groups for other in group]

    def digest_of(self, index: int) -> str:
        return self._digest_of(index)

    def related(self, index: int) -> list[int]:
        return rank(index, self.candidates(index), self._slugs_of, self.limit, self._order)

    def settled(self) -> Neighbourhood:
        """This neighbourhood with what ranks and fingerprints its members read now, so that it
        ranks them once what it reads from (a kept plan) is closed or replaced."""
        members = {other for group in self.groups for other in group} | {self.index}
        slugs = {other: self._slugs_of(other) for other in members}
        digests = {other: self._digest_of(other) for other in members}
        orders = {other: self._order(other) for other in members}
        return Neighbourhood(self.index, self.groups, self.limit, slugs.__getitem__, digests.__getitem__,
                             orders.__getitem__)
