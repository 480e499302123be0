"""Classify a story into the site's topics from the keywords in `site.toml`.

Each keyword counts where it appears as a whole word or phrase, any case, plural or not
("battery" matches "Battery" and "batteries" is its own keyword; "chip" matches "chips", not
"chipmaking"). A headline mention weighs HEADLINE_WEIGHT times a mention in the text: the
headline says what the story is about, the text also mentions what it is not about.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from gazette.model.config import TopicConfig

HEADLINE_WEIGHT = 3
MIN_SCORE = 2  # one passing mention in the text is not enough to file a story under a topic
SECONDARY_SHARE = 0.3  # further topics need this share of the primary topic's score
MAX_TOPICS = 3
MAX_TAGS = 5


@dataclass(frozen=True)
class Classification:
    topics: tuple[str, ...]  # topic slugs, primary first; never empty
    tags: tuple[str, ...]  # the keywords mentioned most, for `tags:`
    scores: dict[str, int]  # per topic slug, for reports and tests


def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in keyword.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?:s|es)?(?!\w)", re.IGNORECASE)


def _stem(keyword: str) -> str:
    """Enough to tell that 'battery' and 'batteries' are one tag."""
    if keyword.endswith("ies"):
        return keyword[:-3] + "y"
    return keyword.removesuffix("s")


def classify(headline: str, texts: Sequence[str], topics: Sequence[TopicConfig], fallback: str) -> Classification:
    """Topics for a story whose headline is `headline` and whose other text (body, caption) is `texts`.

    The primary topic is the best-scoring one; up to MAX_TOPICS - 1 more follow when they score
    well too. A story that matches nothing (or too little) gets the `fallback` topic.
    """
    scores: dict[str, int] = {}
    mentions: Counter[str] = Counter()
    for topic in topics:
        # A place in the text counts once per topic, even where two keywords match it ("chip", "chips").
        places: dict[tuple[int, int], int] = {}
        for keyword in topic.keywords:
            if not keyword.strip():
                continue  # an empty keyword in site.toml would match everywhere
            pattern = _keyword_pattern(keyword)
            for number, text in enumerate([headline, *texts]):
                for match in pattern.finditer(text):
                    places[(number, match.start())] = HEADLINE_WEIGHT if number == 0 else 1
                    mentions[keyword] += 1
        if places:
            scores[topic.slug] = sum(places.values())

    # Ties go to the topic listed first in site.toml (sorted() is stable).
    ranked = sorted(scores, key=lambda slug: -scores[slug])
    chosen: list[str] = []
    if ranked and scores[ranked[0]] >= MIN_SCORE:
        best = scores[ranked[0]]
        chosen = [s for s in ranked if scores[s] >= max(MIN_SCORE, SECONDARY_SHARE * best)][:MAX_TOPICS]
    if not chosen:
        chosen = [fallback]
    tags: list[str] = []
    for keyword, count in mentions.most_common():
        if count >= 2 and len(tags) < MAX_TAGS and _stem(keyword) not in {_stem(t) for t in tags}:
            tags.append(keyword)
    return Classification(topics=tuple(chosen), tags=tuple(tags), scores=scores)
