#!/usr/bin/env python3
"""Benchmark Gazette builds (and Pelican's and Hugo's, where installed) on generated archives.

    python bench/run.py --n 1000 10000 [--runs 3] [--jobs N] [--work DIR] [--gazette-only] [--cold-only | --edits-only]

For each size it generates the same articles for every tool (bench/make_corpus.py),
then times, as separate processes:
  cold       a build with no cache into a fresh output folder, taken in turns, run by run:
             Gazette, Gazette with `search = false`, Pelican, Hugo, and Hugo followed by
             Pagefind over Hugo's article pages (what a Hugo site with search runs)
  no-change  a cached rebuild with nothing changed
  first-edit a cached rebuild after one article's body is edited, right after an add or delete:
             it plans the whole site, and keeps the plan for the edits that follow
  one-edit   a cached rebuild after one article's body is edited again (built in place)
  headline   a cached rebuild after one article's headline is edited (built in place)
  add/delete a cached rebuild after one article is added, then deleted
  deploy     what the GitHub Pages job runs after one edit: a fresh checkout has no
             output folder, but actions/cache restores .cache/ from the last deployment
  serve      `gazette serve` and `hugo server`, each left running: from an article's save to
             its new text served over HTTP (bench/edit_latency.py)
and prints medians, peak memory (largest resident set of the process and its children) and,
for the other tools, the ratio against Gazette's like build, as the median of the ratios of
runs taken side by side.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from edit_latency import free_port, save_to_served

REPO = Path(__file__).resolve().parent.parent
MAKE_CORPUS = REPO / "bench" / "make_corpus.py"
GAZETTE = [sys.executable, str(REPO / "build.py")]
sys.path.insert(0, str(REPO))

Timing = tuple[float, int]  # wall seconds, peak resident MB


def timed(command: list[str], cwd: Path) -> Timing:
    """Wall seconds and peak resident memory (MB) of a command and its children."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
    return seconds, usage.ru_maxrss // 1024


def compile_bytecode(checkout: Path) -> None:
    """Compile a checkout's modules, as installing it does, before any process is timed: where
    PYTHONDONTWRITEBYTECODE is set, Python never keeps them, and each timed process would compile
    every module it imports (0.1 s of a 0.5 s build), the more so for a checkout never run."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(checkout / "gazette")], check=True,
                   stdout=subprocess.DEVNULL)


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


def without_search(project: Path) -> Path:
    """A project beside `project` reading its content, with `search = false` and no Search in the menu."""
    other = project.with_name(project.name + "-nosearch")
    shutil.rmtree(other, ignore_errors=True)
    other.mkdir()
    for name in ("templates", "static"):
        shutil.copytree(project / name, other / name)
    (other / "site.toml").write_text(no_search_config((project / "site.toml").read_text(encoding="utf-8")),
                                     encoding="utf-8")
    return other


def no_search_config(toml: str) -> str:
    """A site.toml's text with `search = false` (as its first key, before any table) and without
    the shipped menu's Search item, which would lead nowhere."""
    menu_search = '[[menu]]\ntitle = "Search"\nurl = "/search/"\n'
    return "search = false\n" + toml.replace(menu_search, "")


@dataclass
class Contender:
    """One cold build, timed once per run in turn with the others."""

    tool: str
    build: str
    command: list[str]
    cwd: Path
    fresh: Callable[[], None]  # remove what an earlier run left (output, cache)


def gazette_cold(project: Path, jobs: int | None) -> list[Contender]:
    command = GAZETTE + ["build", "--no-cache"] + (["--jobs", str(jobs)] if jobs else [])
    no_search = without_search(project)
    return [
        Contender("Gazette", "cold", command, project, lambda: remove(project / "public", project / ".public.staging")),
        Contender("Gazette", "cold, no search", command + ["--content", str(project / "content")], no_search,
                  lambda: remove(no_search / "public", no_search / ".public.staging")),
    ]


def remove(*paths: Path) -> None:
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)


def bench_gazette(project: Path, n: int, runs: int, jobs: int | None) -> dict[str, list[Timing]]:
    """The cached builds, one after the other, as an editor makes them."""
    command = GAZETTE + ["build"] + (["--jobs", str(jobs)] if jobs else [])
    results: dict[str, list[Timing]] = {"no-change": [], "first-edit": [], "one-edit": [], "headline": [], "add/delete": [],
                                        "deploy": []}
    shutil.rmtree(project / ".cache", ignore_errors=True)
    timed(command, project)  # fill the cache
    victim = sorted((project / "content").rglob("*.md"))[n // 2]
    original = victim.read_text(encoding="utf-8")
    for run in range(runs):
        results["no-change"].append(timed(command, project))
        victim.write_text(original + f"\nAn edited closing line, take {run}.\n", encoding="utf-8")
        results["first-edit"].append(timed(command, project))
        victim.write_text(original + f"\nAn edited closing line, take {run}, again.\n", encoding="utf-8")
        results["one-edit"].append(timed(command, project))
        victim.write_text(original.replace("title: ", f"title: Take {run} of ", 1), encoding="utf-8")
        results["headline"].append(timed(command, project))
        extra = project / "content" / "2024" / "bench-extra.md"
        extra.write_text(original.replace("title: ", "title: Extra ", 1).replace("slug: ", "slug: extra-", 1), encoding="utf-8")
        added = timed(command, project)
        extra.unlink()
        deleted = timed(command, project)
        results["add/delete"].append((max(added[0], deleted[0]), max(added[1], deleted[1])))
    for run in range(runs):  # last: a deploy leaves no spare output folder for the next build
        victim.write_text(original + f"\nA closing line edited before deploy {run}.\n", encoding="utf-8")
        remove(project / "public", project / ".public.staging")
        results["deploy"].append(timed(command, project))
    victim.write_text(original, encoding="utf-8")
    timed(command, project)
    return results


def gazette_serve_edit(project: Path, n: int, runs: int) -> dict[str, list[Timing]]:
    """`gazette serve`: from a save to the new text served (by the fast render), and to the
    complete build written to public/ (the cache is warm)."""
    victim = sorted((project / "content").rglob("*.md"))[n // 3]
    page = next((project / "public").glob(f"*/*/{victim.stem}/index.html"))
    route = page.parent.relative_to(project / "public").as_posix()
    port = free_port()
    seconds = save_to_served(GAZETTE + ["serve", "--port", str(port)], project, f"http://localhost:{port}/{route}/",
                             victim, runs, written=page)
    return {"serve: save to served": [(served, 0) for served, _ in seconds],
            "serve: save to complete build": [(written, 0) for _, written in seconds]}


def median(values: list[Timing]) -> Timing:
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


def pelican_cold(n: int, work: Path) -> list[Contender]:
    if shutil.which("pelican") is None:
        return []
    project = make_project(n, work, "pelican")
    (project / "pelicanconf.py").write_text(PELICAN_CONF)
    command = ["pelican", "content", "-o", "output", "-s", "pelicanconf.py", "-q"]
    return [Contender("Pelican", "cold", command, project, lambda: remove(project / "output", project / "cache"))]


HUGO_CONF = """baseURL = "https://example.org/"
title = "bench"
[taxonomies]
topic = "topics"
tag = "tags"
"""


def hugo_project(n: int, work: Path) -> Path:
    project = make_project(n, work, "hugo")
    (project / "hugo.toml").write_text(HUGO_CONF)
    layouts = project / "layouts" / "_default"
    layouts.mkdir(parents=True, exist_ok=True)
    # Pagefind indexes only the marked story, as Gazette marks its article pages.
    (layouts / "single.html").write_text(
        '<html lang="en"><body><main data-pagefind-body><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>')
    (layouts / "list.html").write_text("<html><body>{{ range .Paginator.Pages }}<a href='{{ .RelPermalink }}'>{{ .Title }}</a>{{ end }}</body></html>")
    return project


def hugo_cold(n: int, work: Path) -> list[Contender]:
    if shutil.which("hugo") is None:
        return []
    from gazette.search.index import pagefind_binary  # the Pagefind Gazette itself runs

    project = hugo_project(n, work)
    hugo = ["hugo", "--quiet", "--ignoreCache"]
    contenders = [Contender("Hugo", "cold", hugo, project, lambda: remove(project / "public"))]
    pagefind = pagefind_binary()
    if pagefind is not None:
        contenders.append(Contender(
            "Hugo + Pagefind", "cold", ["sh", "-c", f"{' '.join(hugo)} && '{pagefind}' --site public --quiet"], project,
            lambda: remove(project / "public")))
    return contenders


def hugo_serve_edit(n: int, work: Path, runs: int) -> list[Timing]:
    """`hugo server` (as its users run it: in memory, fast render): from a save to the new text served."""
    project = hugo_project(n, work)
    victim = sorted((project / "content" / "posts").glob("*.md"))[n // 3]
    port = free_port()
    seconds = save_to_served(["hugo", "server", "--port", str(port), "--bind", "127.0.0.1"], project,
                             f"http://localhost:{port}/posts/{victim.stem}/", victim, runs)
    return [(served, 0) for served, _ in seconds]


# Which of Gazette's builds each other one is compared with: the one making the same things.
LIKE_BUILD = {
    ("Pelican", "cold"): "cold, no search",
    ("Hugo", "cold"): "cold, no search",
    ("Hugo + Pagefind", "cold"): "cold",
    ("Hugo", "serve: save to served"): "serve: save to served",
}


def pairwise_ratio(theirs: list[Timing], ours: list[Timing]) -> float:
    """The median of their time over ours, run by run (each pair taken side by side)."""
    return statistics.median(t[0] / o[0] for t, o in zip(theirs, ours))


def bench_size(n: int, work: Path, runs: int, jobs: int | None, gazette_only: bool, cold_only: bool = False,
               edits_only: bool = False) -> list[str]:
    project = gazette_project(n, work)
    contenders = [] if edits_only else gazette_cold(project, jobs)
    if not gazette_only and not edits_only:
        contenders += pelican_cold(n, work) + hugo_cold(n, work)
    results: dict[tuple[str, str], list[Timing]] = {(c.tool, c.build): [] for c in contenders}
    for _ in range(runs):
        for contender in contenders:
            contender.fresh()
            results[(contender.tool, contender.build)].append(timed(contender.command, contender.cwd))
    if not cold_only:
        for name, timings in bench_gazette(project, n, runs, jobs).items():
            results[("Gazette", name)] = timings
        for name, timings in gazette_serve_edit(project, n, max(runs, 5)).items():
            results[("Gazette", name)] = timings
        if not gazette_only and shutil.which("hugo"):
            results[("Hugo", "serve: save to served")] = hugo_serve_edit(n, work, max(runs, 5))

    lines = []
    for (tool, build), timings in results.items():
        seconds, peak = median(timings)
        like = LIKE_BUILD.get((tool, build))
        versus = ""
        if like and ("Gazette", like) in results:
            ratio = pairwise_ratio(timings, results[("Gazette", like)])
            versus = f"Gazette ({like}) is {ratio:.2f}x {'faster' if ratio >= 1 else 'slower'}"
        lines.append(f"| {n} | {tool} | {build} | {seconds:.2f} | {peak or ''} | {versus} |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--gazette-only", action="store_true", help="skip Pelican and Hugo")
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument("--cold-only", action="store_true", help="only the cold builds (more runs of them in the time)")
    kind.add_argument("--edits-only", action="store_true", help="only the cached builds and the servers")
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "gazette-bench")
    args = parser.parse_args()
    compile_bytecode(REPO)
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"cores: {os.cpu_count()}, runs: {args.runs} (medians), python {sys.version.split()[0]}")
    print("| articles | tool | build | median s | peak MB | side by side |")
    print("| ---: | --- | --- | ---: | ---: | --- |")
    for n in args.n:
        for line in bench_size(n, args.work, args.runs, args.jobs, args.gazette_only, args.cold_only, args.edits_only):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
