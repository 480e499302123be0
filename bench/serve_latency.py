#!/usr/bin/env python3
"""Measure `gazette serve`'s edit-to-browser latency: from an article's save to the new
page loaded in headless Chromium, which was open on it.

    python bench/serve_latency.py [--root .] [--runs 15] [--synthetic 40] [--add | --edit-news]

The site (site.toml, templates/, static/, content/) is copied from --root into a temporary
folder, so the real content is never touched; when --root has no articles, --synthetic N
made-up articles are used. Reported per run and as median / p90 / max:
- save → visible: the save to the new page's DOMContentLoaded (browser clock, same machine);
- after debounce: the same minus the 100 ms quiet period (the issue's target: < 300 ms);
- build: the complete rebuild's own time, as the preview printed it (the page may show the
  save before it is done: fast render; the next run waits for it).

With --add, each run saves a new story instead, dated a minute after the last (the day's
news), and times it to the home page, open in Chromium, listing it. An edit of another
article comes first, untimed, as an editor's work keeps the site's plan for the news.

With --edit-news, a new story is saved first (after that edit, both untimed), and each run
saves it again with more text, as an editor writing the day's story does, and times the save
to its own page, open in Chromium.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from ab_edit import date_of, redated  # noqa: E402
from support.browser import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    open_and_wait_for_live_reload,  # noqa: E402
)
from support.preview import running_preview, wait_until  # noqa: E402

from gazette.model.article import read_article  # noqa: E402
from gazette.model.config import load_config  # noqa: E402
from gazette.model.content import find_article_files  # noqa: E402
from gazette.preview.watch import QUIET_PERIOD  # noqa: E402

TOPICS = ["AI", "Chips", "Crypto", "Energy", "Policy", "Space", "Security", "Cloud"]
PARAGRAPH = (
    "The company said on Tuesday that the new system would ship to customers in the second half of the year, "
    "after regulators cleared the deal. Analysts expect the market for such products to double by 2027, "
    "driven by demand from data centres and carmakers, though supply of advanced chips remains tight."
)


def copy_site(source: Path, target: Path, synthetic: int) -> str:
    for name in ("templates", "static"):
        # A content-only site (tests/fixtures/site) borrows this repository's templates.
        origin = source / name if (source / name).is_dir() else REPO / name
        shutil.copytree(origin, target / name, dirs_exist_ok=True)
    shutil.copy2(source / "site.toml", target / "site.toml")
    content = target / "content"
    if (source / "content").is_dir() and find_article_files(source / "content"):
        shutil.copytree(source / "content", content)
        return f"the content of {source / 'content'}"
    content.mkdir()
    for index in range(synthetic):
        topics = ", ".join(TOPICS[(index + k) % len(TOPICS)] for k in range(2))
        body = "\n\n".join(f"{PARAGRAPH} (Paragraph {p} of story {index}.)" for p in range(6))
        (content / f"story-{index:03d}.md").write_text(
            f"---\ntitle: Synthetic Story Number {index}\ndate: 2021-{1 + index % 12:02d}-{1 + index % 28:02d}\n"
            f"topics: [{topics}]\ntags: [bench, story{index}]\n---\n{body}\n",
            encoding="utf-8",
        )
    return f"{synthetic} synthetic articles"


def article_route(root: Path, path: Path) -> str:
    config = load_config(root / "site.toml")
    article, _ = read_article(path, path.read_bytes(), config)
    return article.route


def save_atomically(path: Path, text: str) -> None:
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


def news_story(original: str, marker: str, when: datetime) -> str:
    """A new story made from `original`: headlined with `marker`, with a slug and a text of its
    own (two stories told word for word alike are one story under two addresses), dated `when`."""
    text = re.sub(r"(?m)^title: .*$", f"title: {marker}", original, count=1)
    text = re.sub(r"(?m)^slug: .*$", f"slug: {re.sub(r'[^a-z0-9]+', '-', marker.lower())}", text, count=1)
    return redated(text, when).rstrip("\n") + f"\n\nThe story of {marker}.\n"


def build_seconds(terminal_text: str) -> list[float]:
    return [float(s) for s in re.findall(r"in (\d+\.\d+) s", terminal_text)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=REPO, help="the site to copy (default: this repository)")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--synthetic", type=int, default=40, help="articles to make up when --root has none")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--add", action="store_true", help="time new stories to the home page, not edits")
    mode.add_argument("--edit-news", action="store_true", help="time edits of a new story to its page")
    args = parser.parse_args()
    if not CHROMIUM.is_file():
        print(f"cannot measure: no Chromium at {CHROMIUM}", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "site"
        root.mkdir()
        described = copy_site(args.root, root, args.synthetic)
        articles = [Path(p) for p in find_article_files(root / "content")]
        target = articles[len(articles) // 2]
        original = target.read_text(encoding="utf-8")
        with running_preview(root) as preview, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page()
            first_build = build_seconds(preview.stdout.text)
            print(f"site: {described}, {len(articles)} articles; first build {first_build[0]:.3f} s")
            newest = max(filter(None, map(date_of, articles)))
            if args.add or args.edit_news:  # an edit first, untimed: it keeps the plan the news is built from
                builds_before = len(build_seconds(preview.stdout.text))
                save_atomically(target, original.rstrip("\n") + "\n\nAn edit before the news.\n")
                wait_until(lambda: len(build_seconds(preview.stdout.text)) > builds_before, 600, "the edit's build")
            if args.edit_news:  # the story the runs edit, new since that plan
                builds_before = len(build_seconds(preview.stdout.text))
                target = target.with_name("latency-story-edited.md")
                original = news_story(original, f"The day's story {time.time_ns()}", newest + timedelta(minutes=1))
                save_atomically(target, original)
                wait_until(lambda: len(build_seconds(preview.stdout.text)) > builds_before, 600, "the story's build")
            url = preview.server.url + ("" if args.add else article_route(root, target))
            print(f"editing {target.relative_to(root)} -> {url}")
            open_and_wait_for_live_reload(page, url)
            totals, builds, reload_starts = [], [], []
            for run in range(args.runs):
                marker = f"latency marker {run} {time.time_ns()}"
                builds_before = len(build_seconds(preview.stdout.text))
                saved_ms = time.time() * 1000
                if args.add:
                    save_atomically(target.with_name(f"latency-story-{run}.md"),
                                    news_story(original, marker, newest + timedelta(minutes=run + 1)))
                else:
                    save_atomically(target, original.rstrip("\n") + f"\n\n{marker}\n")
                page.wait_for_function(f"document.body.innerText.includes({marker!r})", timeout=10_000)
                visible_ms, navigation_ms = page.evaluate(
                    """() => {
                      const nav = performance.getEntriesByType("navigation")[0];
                      return [performance.timeOrigin + nav.domContentLoadedEventEnd, performance.timeOrigin];
                    }"""
                )
                page.wait_for_function("window.__gazetteConnected === true", timeout=10_000)
                # The page may show the save before the complete build is done (fast render):
                # wait for that build, whose time is reported, so that runs do not overlap.
                wait_until(lambda: len(build_seconds(preview.stdout.text)) > builds_before, 600, "the complete build")
                totals.append(visible_ms - saved_ms)
                reload_starts.append(navigation_ms - saved_ms)
                builds.append(build_seconds(preview.stdout.text)[-1] * 1000)
                print(
                    f"run {run + 1:2d}: save -> visible {totals[-1]:6.1f} ms "
                    f"(reload began at {reload_starts[-1]:6.1f} ms, build {builds[-1]:5.1f} ms)"
                )
                time.sleep(0.3)  # let the page settle: runs must not overlap
            browser.close()

    quiet_ms = QUIET_PERIOD * 1000
    after = [t - quiet_ms for t in totals]

    def summary(values: list[float]) -> str:
        ordered = sorted(values)
        p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
        return f"median {statistics.median(values):6.1f}  p90 {p90:6.1f}  max {max(values):6.1f} ms"

    print()
    print(f"save -> visible         {summary(totals)}")
    print(f"after the {quiet_ms:.0f} ms debounce {summary(after)}   (target < 300 ms)")
    print(f"build alone             {summary(builds)}")
    return 0 if max(after) < 300 else 1


if __name__ == "__main__":
    sys.exit(main())
