"""The build after a killed build: the spare output folder beside `public/` is then of unknown
state (its record in the cache is forgotten before a build touches it). Times that build,
which salvages the spare, against deleting the spare and building without it (which is what
the build did before it salvaged, and what the first edit after a cold build still does).

    python bench/killed_build.py PROJECT [--runs 1]

PROJECT is a project folder already built twice (so that it has a spare), such as the one
bench/run.py or bench/make_corpus.py makes. An article gets a line appended per build; it is
restored at the end.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from gazette.build.cache import BuildCache  # noqa: E402
from gazette.build.output import staging_dir  # noqa: E402
from gazette.project import Project  # noqa: E402


def forget_spare(project: Project) -> None:
    """Leave the cache as a build killed while writing leaves it."""
    cache = BuildCache(project.cache_file)
    try:
        cache.forget_manifest(staging_dir(project.output))
    finally:
        cache.close()


def timed_build(root: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, str(REPO / "build.py"), "build"], cwd=root, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("project", type=Path)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    root = args.project.resolve()
    project = Project.at(root)
    victim = sorted((root / "content").rglob("*.md"))[0]
    original = victim.read_text(encoding="utf-8")
    try:
        for run in range(args.runs):
            victim.write_text(original + f"\nKilled-build edit {run}a.\n", encoding="utf-8")
            forget_spare(project)
            salvaged = timed_build(root)
            victim.write_text(original + f"\nKilled-build edit {run}b.\n", encoding="utf-8")
            forget_spare(project)
            started = time.perf_counter()
            shutil.rmtree(staging_dir(project.output))
            deleted = time.perf_counter() - started
            fresh = timed_build(root)
            print(f"run {run + 1}: salvaged spare {salvaged:.1f} s; deleting the spare {deleted:.1f} s, "
                  f"then building with a new one {fresh:.1f} s ({deleted + fresh:.1f} s in all)", flush=True)
    finally:
        victim.write_text(original, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
