"""Rendering the Markdown bodies of articles and plain pages, once each: from the build cache
where an identical file was rendered before, the rest in worker processes."""

from __future__ import annotations

import hashlib

from gazette.build.cache import BuildCache
from gazette.build.markup import MarkdownRenderer, MarkupError, RenderedBody, renderer_signature
from gazette.build.parallel import run_sharded
from gazette.build.progress import ProgressBar
from gazette.build.wording import Wording
from gazette.errors import GazetteError, Problem
from gazette.model.article import Article
from gazette.model.config import SiteConfig
from gazette.model.content import load_body, without_body
from gazette.model.plain_pages import PlainPage
from gazette.model.site import Entry, PlainPageEntry, StoredBody


def render_bodies(
    documents: list[Article | PlainPage], config: SiteConfig, code_digest: str, cache: BuildCache, jobs: int = 1,
    progress: ProgressBar | None = None, every_body: bool = True,
) -> list[StoredBody]:
    """Render every body (of articles and plain pages) once: from the cache where possible,
    the rest in parallel. With `every_body` (the site's every article and page) the cache
    then forgets the bodies of any others.

    Workers write the HTML into the cache themselves and send back only the excerpt, word
    count and images, so no process ever holds every body in memory."""
    trusted_html = config.trusted_html
    signature = renderer_signature(trusted_html, code_digest, config.language)
    keys = [hashlib.sha1(f"{signature}|{a.digest}".encode()).hexdigest() for a in documents]
    summaries = cache.body_summaries(keys)
    missing = [(key, document) for key, document in zip(keys, documents) if key not in summaries]
    store = cache.body_store()

    def render_shard(items: list[tuple[str, Article | PlainPage]], tick) -> tuple[dict[str, tuple], list[Problem]]:
        renderer = MarkdownRenderer(trusted_html, config.markdown_time_limit, Wording(config.language).gettext)
        done: dict[str, tuple[str, int, tuple[str, ...]]] = {}
        problems: list[Problem] = []
        batch: list[tuple[str, RenderedBody]] = []
        for key, document in items:
            try:
                body = renderer.render(load_body(document), document.toc)
            except GazetteError as exc:
                problems.extend(exc.problems)
            except MarkupError as exc:
                problems.append(exc.problem(document.source_path, document.body_line))
            else:
                batch.append((key, body))
                done[key] = (body.excerpt, body.words, body.images)
                if len(batch) == 100:
                    store.write(batch)
                    batch = []
            tick()
        if batch:
            store.write(batch)
        return done, problems

    if progress:
        progress.start("rendering Markdown", len(missing))
    problems: list[Problem] = []
    # Nothing to render is common (an edit to the templates, say): skip building the Markdown pipeline then.
    shards = run_sharded(missing, render_shard, jobs, progress.update if progress else None, 100) if missing else []
    for done, shard_problems in shards:
        summaries.update(done)
        problems.extend(shard_problems)
    if problems:
        raise GazetteError(problems)
    if every_body:
        cache.keep_only_bodies(set(keys))
    return [StoredBody(key, *summaries[key], store) for key in keys]


def make_entries(articles: list[Article], plain_pages: list[PlainPage], bodies: list[StoredBody],
                 ) -> tuple[list[Entry], list[PlainPageEntry]]:
    """Articles and plain pages with their rendered bodies (`bodies`, in the order
    `render_bodies` was given them: the articles, then the pages)."""
    return ([Entry(without_body(article), body) for article, body in zip(articles, bodies)],
            [PlainPageEntry(without_body(page), body) for page, body in zip(plain_pages, bodies[len(articles):])])

