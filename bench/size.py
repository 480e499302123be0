#!/usr/bin/env python3
"""How large a published archive is, by kind of file, and how many articles fit a host.

    python bench/size.py --n 1000 10000 [--limit 1000000000]

Builds the generated archive of each size (bench/make_corpus.py, the shipped templates and
site.toml) and prints its bytes by kind (apparent sizes, as GitHub Pages counts them), bytes
per article, and, from the two sizes, the fixed part and the part each article adds: how many
articles fit under the limit (GitHub Pages: 1 GB a site).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import gazette_project  # noqa: E402 - the corpus the other benchmarks use

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def built_size(project: Path):
    from gazette.build.pipeline import BuildOptions, build
    from gazette.project import Project

    for output in ("public", ".public.staging"):
        shutil.rmtree(project / output, ignore_errors=True)
    return build(BuildOptions(Project.at(project), use_cache=False)).size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--limit", type=int, default=1_000_000_000, help="bytes a site may publish")
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "gazette-bench")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for n in sorted(args.n):
        size = sizes[n] = built_size(gazette_project(n, args.work))
        print(f"{n} articles: {size.total:,} bytes in {size.files:,} files, {size.total / n:,.0f} bytes an article")
        print("| kind | bytes | per article | files |")
        print("| --- | ---: | ---: | ---: |")
        for kind, total, files in size.by_kind:
            print(f"| {kind} | {total:,} | {total / n:,.0f} | {files:,} |")
    if len(sizes) >= 2:
        (small, a), (large, b) = sorted(sizes.items())[0], sorted(sizes.items())[-1]
        per_article = (b.total - a.total) / (large - small)
        fixed = a.total - per_article * small
        print(f"each article adds {per_article:,.0f} bytes; fixed {fixed:,.0f} bytes; "
              f"{int((args.limit - fixed) / per_article):,} articles fit in {args.limit:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
