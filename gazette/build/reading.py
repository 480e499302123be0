"""Reading the article files: in worker processes when many need reading (a cold build, or a
cache made by another version of Gazette), else in this one. Parsing front matter costs about
a third of a millisecond an article: seconds of a cold build at 10,000 articles on one core."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from gazette.build.parallel import run_sharded
from gazette.model.config import SiteConfig
from gazette.model.content import FileStamp, LoadedContent, SourceRecord, read_articles

MIN_FILES_PER_WORKER = 500  # below this, starting a worker costs more than it saves


def read_all_articles(content_dir: Path, config: SiteConfig, known: Mapping[str, SourceRecord], files: list[str] | None,
                      stats: Mapping[str, FileStamp], jobs: int) -> LoadedContent:
    """`read_articles`, with the files that changed since `known` read in up to `jobs` workers.
    The result is the same as reading them here, but that when many files were read the
    articles come without their bodies: the records the workers
    send back are taken as known, and this process reads again only the files a worker
    could not."""
    unread = [name for name in files or ()
              if name not in known or name not in stats or not known[name].is_current(stats[name])]
    if len(unread) < 2 * MIN_FILES_PER_WORKER:
        return read_articles(content_dir, config, known, files, stats)
    # Read in bulk, the bodies would all be held at once until rendered (1.75 GB at 100,000
    # articles) and sent between processes: they are rendered from the files (see `load_body`).
    if jobs < 2:
        return _without_bodies(read_articles(content_dir, config, known, files, stats, bodies=False))

    def read_shard(names: list[str], tick) -> list[SourceRecord]:
        return read_articles(content_dir, config, None, names, {name: stats[name] for name in names}, bodies=False).records

    fresh = {record.path: record for records in run_sharded(unread, read_shard, jobs, None, MIN_FILES_PER_WORKER)
             for record in records}
    loaded = read_articles(content_dir, config, {**known, **fresh}, files, stats, bodies=False)
    return _without_bodies(replace(loaded, reused=loaded.reused - len(fresh)))  # reused: what the cache gave


def _without_bodies(loaded: LoadedContent) -> LoadedContent:
    """Without bodies, whatever `known` gave too (a caller's records may hold theirs)."""
    records = [record.without_body() for record in loaded.records]
    return replace(loaded, records=records, articles=[record.article for record in records])
