#!/usr/bin/env python3
"""A day of news: stories dated one after another, each saved and built in turn, as an editor
adds the day's news; the time and peak memory of each `build`, with one or two checkouts of
Gazette side by side (each on its own copy of the archive, in turns, story by story).

    python bench/news_day.py CHECKOUT [OTHER_CHECKOUT] --corpus DIR [--stories 40] [--from-cold]
                             [--fixes headline|body]

DIR is a site as `bench/ab_edit.py` takes it (`bench/make_corpus.py --format ours` with a
`site.toml`). Each side first builds its copy twice (a cold build, then a body edit, which
keeps the plan; with `--from-cold`, the cold build alone, as after a template edit or a
deploy, when no plan is kept), then adds `--stories` new articles, each dated a minute after
the last and built alone. Most are built in place from the kept plan; every so often a build
plans the whole site again (see `max_edited` and `carried_too_long` in
gazette/build/plan_edits.py), and that build is the day's slowest. With `--fixes`, each build
fixes another article instead (a new headline, or a closing line added to the body), the
articles spread over the archive: a day of corrections. Prints each side's builds in order,
then their median, 90th percentile, slowest and total, and, with two checkouts, the median
of the stories' ratios (other over first).
"""

from __future__ import annotations

import statistics
import tempfile
from datetime import timedelta
from pathlib import Path

from ab_edit import (
    build,
    checkouts_of,
    copy_site,
    corpus_articles,
    date_of,
    redated,
    side_by_side_parser,
)
from run import compile_bytecode


def main() -> None:
    parser = side_by_side_parser(__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=40)
    parser.add_argument("--from-cold", action="store_true", help="start right after a cold build, with no plan kept")
    parser.add_argument("--fixes", choices=["headline", "body"], help="fix another article each build, rather than add one")
    args = parser.parse_args()
    checkouts = checkouts_of(parser, args)
    for checkout in checkouts:
        compile_bytecode(checkout)
    articles = corpus_articles(args.corpus)
    victim = articles[len(articles) // 2].relative_to(args.corpus)
    original = (args.corpus / victim).read_text(encoding="utf-8")
    newest = max(filter(None, map(date_of, articles)))
    with tempfile.TemporaryDirectory(prefix="gazette-news-day-") as scratch:
        projects = []
        for number, checkout in enumerate(checkouts):
            project = Path(scratch, f"side-{number}")
            copy_site(args.corpus, checkout, project)
            build(checkout, project)
            if not args.from_cold:
                (project / victim).write_text(original + "\nA first edit.\n", encoding="utf-8")
                build(checkout, project)
            projects.append(project)
        runs: list[list[tuple[float, int]]] = [[] for _ in checkouts]
        fixed = [article.relative_to(args.corpus) for article in articles[::max(1, len(articles) // args.stories)]
                 if article.relative_to(args.corpus) != victim]
        for n in range(args.stories):
            if args.fixes:
                name = fixed[n % len(fixed)]
                text = (args.corpus / name).read_text(encoding="utf-8")
                text = (text.replace("title: ", f"title: Fixed {n}, ", 1) if args.fixes == "headline"
                        else text + f"\nA correction, {n}.\n")
            else:
                # Its own file, slug, headline and text: a story told word for word as another takes on its address.
                name = victim.with_name(f"news-day-{n}.md")
                text = redated(original.replace("title: ", f"title: Story {n} of the day, ", 1).replace(
                    "slug: ", f"slug: news-day-{n}-", 1), newest + timedelta(minutes=n + 1)) + f"\nThe day's story {n}.\n"
            for checkout, project, taken in zip(checkouts, projects, runs):
                (project / name).write_text(text, encoding="utf-8")
                taken.append(build(checkout, project))
    for checkout, taken in zip(checkouts, runs):
        seconds = [s for s, _ in taken]
        print(f"{checkout}: " + " ".join(f"{s:.2f}" for s in seconds))
        print(f"  median {statistics.median(seconds):.2f} s, 90th percentile {_percentile(seconds, 0.9):.2f} s, "
              f"slowest {max(seconds):.2f} s, total {sum(seconds):.1f} s for {len(seconds)} stories, "
              f"peak {max(m for _, m in taken)} MB")
    if len(runs) == 2:
        ratio = statistics.median(b / a for (a, _), (b, _) in zip(*runs))
        total = sum(s for s, _ in runs[1]) / sum(s for s, _ in runs[0])
        print(f"second/first: median of the stories' ratios {ratio:.2f}, of the totals {total:.2f}")


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


if __name__ == "__main__":
    main()
