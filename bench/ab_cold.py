#!/usr/bin/env python3
"""Cold builds, two checkouts of Gazette side by side: the time and peak memory of `build
--no-cache` into a fresh output folder, each checkout building its own copy of the same
archive, in turns (A B A B...), so that both see the same moments of a shared, noisy machine.

    python bench/ab_cold.py OLD_CHECKOUT NEW_CHECKOUT --corpus DIR [--pairs 3] [--no-search]

DIR is a site, as for `bench/ab_edit.py` (an archive of `bench/make_corpus.py --format ours`
with a `site.toml`). With `--no-search` both copies build with `search = false` in site.toml
and no Search in the menu, as `bench/run.py` builds them: no search index (Pagefind, about a
third of a cold build). Prints each side's median and peak, and the median of the pairs'
ratios (new over old).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from ab_edit import build, copy_site, report
from run import compile_bytecode, no_search_config


def without_search(project: Path) -> None:
    """The project's site.toml without search, as `bench/run.py` builds Gazette without it."""
    config = project / "site.toml"
    config.write_text(no_search_config(config.read_text(encoding="utf-8")), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--no-search", action="store_true", help="build with search = false")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gazette-ab-cold-") as scratch:
        sides = {}
        for name, checkout in (("old", args.old.resolve()), ("new", args.new.resolve())):
            compile_bytecode(checkout)
            project = Path(scratch, name)
            copy_site(args.corpus, checkout, project)
            if args.no_search:
                without_search(project)
            sides[name] = (checkout, project)
        runs: dict[str, list[tuple[float, int]]] = {name: [] for name in sides}
        for _ in range(args.pairs):
            for name, (checkout, project) in sides.items():
                shutil.rmtree(project / "cold-output", ignore_errors=True)
                runs[name].append(build(checkout, project, "--no-cache", "--output", "cold-output"))
        report("a cold build" + (" without search" if args.no_search else ""), runs)


if __name__ == "__main__":
    main()
