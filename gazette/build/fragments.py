"""What templates make of one article again and again, kept from one build in place to the
next (see gazette.build.in_place): its card on a list, its entry in a feed (`once` in
gazette.build.render). A build in place renders only the pages that show what changed, but
each shows other stories too: a list 20 cards, a feed 20 entries, a month's page every story
of the month (800 at 100,000 articles), all as the last build made them.

A fragment is kept under the kept plan's id, the macro, what stands for its article in page
fingerprints (`teaser_digest` for a teaser, the article's digest for a whole entry) and the
macro's arguments: the plan's id stands for the templates, configuration and site the plan was
made with, which a build in place shares. A new plan forgets them all."""

from __future__ import annotations

import os

from gazette.build.cache import BuildCache
from gazette.model.site import Entry, Teaser


class KeptFragments:
    """The fragments kept under one plan (`plan_id`): read one by one as pages ask for them,
    and those made since, for `keep` to store after the build."""

    def __init__(self, cache: BuildCache, plan_id: str) -> None:
        self._cache = cache
        self._plan_id = plan_id
        self._pid = os.getpid()  # a forked worker renders what it needs: the cache's connection is not its
        self.made: dict[str, str] = {}

    def key(self, macro: str, entry: object, args: tuple) -> str | None:
        """The key of what `macro` makes of `entry` with `args`, if it can be kept."""
        if isinstance(entry, Teaser):
            digest = entry.entry.teaser_digest
        elif isinstance(entry, Entry):
            digest = entry.article.digest
        else:
            return None
        if not digest or not all(arg is None or isinstance(arg, (str, int, bool)) for arg in args):
            return None
        return "\x1f".join((self._plan_id, macro, digest, repr(args)))

    def get(self, key: str) -> str | None:
        return self._cache.fragment(key) if os.getpid() == self._pid else None

    def add(self, key: str, html: str) -> None:
        if os.getpid() == self._pid:
            self.made[key] = html

    def keep(self) -> None:
        self._cache.store_fragments(self.made)
        self.made = {}
