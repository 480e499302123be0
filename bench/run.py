#!/usr/bin/env python3
"""Benchmark Gazette builds (and Pelican's and Hugo's, where installed) on generated archives.

    python bench/run.py --n 1000 10000 [--runs 3] [--jobs N] [--work DIR]

For each size it generates the same articles for every tool (bench/make_corpus.py),
then times, as separate processes:
  cold       `build --no-cache` into a fresh output folder
  no-change  a cached rebuild with nothing changed
  one-edit   a cached rebuild after one article's body is edited
  add/delete a cached rebuild after one article is added, then deleted
  deploy     what the GitHub Pages job runs after one edit: a fresh checkout has no
             output folder, but actions/cache restores .cache/ from the last deployment
and prints medians, peak memory (largest resident set of the build process and its
workers), and ratios against Pelican and Hugo taken in the same run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MAKE_CORPUS = REPO / "bench" / "make_corpus.py"


def timed(command: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak resident memory (MB) of a command and its children."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
    return seconds, usage.ru_maxrss // 1024


def make_project(n: int, work: Path, layout: str) -> Path:
    project = work / f"{layout}-{n}"
    if not (project / "content").is_dir():
        shutil.rmtree(project, ignore_errors=True)
        subprocess.run([sys.executable, str(MAKE_CORPUS), "--n", str(n), "--out", str(project), "--format", layout, "--quiet"], check=True)
    return project


def gazette_project(n: int, work: Path) -> Path:
    project = make_project(n, work, "ours")
    for name in ("templates", "static"):
        shutil.rmtree(project / name, ignore_errors=True)
        shutil.copytree(REPO / name, project / name)
    shutil.copy(REPO / "site.toml", project / "site.toml")
    # The shipped plain pages (About): the shipped site.toml's menu links to them.
    shutil.copytree(REPO / "content" / "pages", project / "content" / "pages", dirs_exist_ok=True)
    return project


def bench_gazette(n: int, work: Path, runs: int, jobs: int | None) -> dict[str, tuple[float, int]]:
    project = gazette_project(n, work)
    command = [sys.executable, str(REPO / "build.py"), "build"] + (["--jobs", str(jobs)] if jobs else [])
    results: dict[str, list[tuple[float, int]]] = {"cold": [], "no-change": [], "one-edit": [], "add/delete": [], "deploy": []}
    for _ in range(runs):
        shutil.rmtree(project / "public", ignore_errors=True)
        results["cold"].append(timed(command + ["--no-cache"], project))
    shutil.rmtree(project / ".cache", ignore_errors=True)
    timed(command, project)  # fill the cache
    victim = sorted((project / "content").rglob("*.md"))[n // 2]
    original = victim.read_text(encoding="utf-8")
    for run in range(runs):
        results["no-change"].append(timed(command, project))
        victim.write_text(original + f"\nAn edited closing line, take {run}.\n", encoding="utf-8")
        results["one-edit"].append(timed(command, project))
        extra = project / "content" / "2024" / "bench-extra.md"
        extra.write_text(original.replace("title: ", "title: Extra ", 1).replace("slug: ", "slug: extra-", 1), encoding="utf-8")
        added = timed(command, project)
        extra.unlink()
        deleted = timed(command, project)
        results["add/delete"].append((max(added[0], deleted[0]), max(added[1], deleted[1])))
        victim.write_text(original + f"\nA closing line edited before deploy {run}.\n", encoding="utf-8")
        for output in ("public", ".public.staging"):
            shutil.rmtree(project / output, ignore_errors=True)
        results["deploy"].append(timed(command, project))
    victim.write_text(original, encoding="utf-8")
    timed(command, project)
    return {name: median(values) for name, values in results.items()}


def median(values: list[tuple[float, int]]) -> tuple[float, int]:
    return statistics.median(v[0] for v in values), max(v[1] for v in values)


PELICAN_CONF = """AUTHOR = "bench"
SITENAME = "bench"
SITEURL = ""
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
DEFAULT_PAGINATION = 20
"""


def bench_pelican(n: int, work: Path, runs: int) -> dict[str, tuple[float, int]] | None:
    if shutil.which("pelican") is None:
        return None
    project = make_project(n, work, "pelican")
    (project / "pelicanconf.py").write_text(PELICAN_CONF)
    command = ["pelican", "content", "-o", "output", "-s", "pelicanconf.py", "-q"]
    cold = []
    for _ in range(runs):
        shutil.rmtree(project / "output", ignore_errors=True)
        shutil.rmtree(project / "cache", ignore_errors=True)
        cold.append(timed(command, project))
    return {"cold": median(cold)}


HUGO_CONF = """baseURL = "https://example.org/"
title = "bench"
[taxonomies]
topic = "topics"
tag = "tags"
"""


def bench_hugo(n: int, work: Path, runs: int) -> dict[str, tuple[float, int]] | None:
    if shutil.which("hugo") is None:
        return None
    project = make_project(n, work, "hugo")
    (project / "hugo.toml").write_text(HUGO_CONF)
    layouts = project / "layouts" / "_default"
    layouts.mkdir(parents=True, exist_ok=True)
    (layouts / "single.html").write_text("<html><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>")
    (layouts / "list.html").write_text("<html><body>{{ range .Paginator.Pages }}<a href='{{ .RelPermalink }}'>{{ .Title }}</a>{{ end }}</body></html>")
    cold = []
    for _ in range(runs):
        shutil.rmtree(project / "public", ignore_errors=True)
        cold.append(timed(["hugo", "--quiet", "--ignoreCache"], project))
    return {"cold": median(cold)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--gazette-only", action="store_true", help="skip Pelican and Hugo")
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "gazette-bench")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"cores: {os.cpu_count()}, runs: {args.runs} (medians), python {sys.version.split()[0]}")
    print("| articles | tool | build | median s | peak MB |")
    print("| ---: | --- | --- | ---: | ---: |")
    for n in args.n:
        ours = bench_gazette(n, args.work, args.runs, args.jobs)
        others = {} if args.gazette_only else {
            "Pelican": bench_pelican(n, args.work, args.runs), "Hugo": bench_hugo(n, args.work, args.runs)}
        for name, (seconds, peak) in ours.items():
            print(f"| {n} | Gazette | {name} | {seconds:.2f} | {peak} |")
        for tool, result in others.items():
            if result is None:
                print(f"| {n} | {tool} | (not installed) | | |")
                continue
            seconds, peak = result["cold"]
            ratio = seconds / ours["cold"][0]
            print(f"| {n} | {tool} | cold | {seconds:.2f} | {peak} |  Gazette is {ratio:.1f}x {'faster' if ratio >= 1 else 'slower'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
