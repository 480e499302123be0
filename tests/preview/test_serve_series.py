"""`serve` through a series of edits of every kind (articles, pages, templates, static files,
site.toml, images): after each one, once the preview has rebuilt, its output is exactly what
a cold build of the same sources makes."""

from __future__ import annotations

import dataclasses
import time
from datetime import datetime, timezone

import pytest
from support.edits import EDITS, story_site
from support.preview import running_preview, wait_until
from support.search_index import comparable_site

from gazette.build.pipeline import BuildOptions, build
from gazette.project import Project

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
SETTLED = 1.0  # seconds with no new build: the watcher has nothing left to report


@pytest.mark.slow
def test_a_series_of_edits_served_ends_as_a_cold_build_would(tmp_path):
    site = story_site(tmp_path / "site")
    cold_options = BuildOptions(Project.at(site.root), now=NOW, use_cache=False)
    with running_preview(site.root, now=NOW) as preview:
        for name, edit in EDITS.items():
            before = preview.generation()
            edit(site)
            preview.wait_for_generation(before, timeout=60)
            settle(preview)
            assert preview.server.status.problems == (), name
            cold = tmp_path / f"cold-{name.replace(' ', '-')}"
            build(dataclasses.replace(cold_options, project=dataclasses.replace(cold_options.project, output=cold)))
            assert comparable_site(site.public) == comparable_site(cold), f"after {name!r}"


def settle(preview) -> None:
    """Wait until no build has finished for SETTLED seconds (a rename, say, may be two)."""
    def quiet() -> bool:
        generation = preview.generation()
        time.sleep(SETTLED)
        return preview.generation() == generation

    wait_until(quiet, timeout=60, what="the preview to settle")
