#!/usr/bin/env python3
"""A preview started on an archive whose last build kept its plan, as an editor starts `serve`
after building in the terminal: the time of the preview's first build, and of the complete
build of the first save after it, with one or two checkouts of Gazette side by side.

    python bench/serve_restart.py CHECKOUT [OTHER_CHECKOUT] --corpus DIR [--rounds 3] [--no-plan]

DIR is a site as `bench/ab_edit.py` takes it. Each side gets its own copy of the archive and
builds it twice (a cold build, then a body edit, which keeps the plan). Then, round by round
and side by side in turns, it starts `build.py serve` on its copy, waits for the first build,
appends a line to an article and reads the time of that save's complete build from what the
preview prints, and stops the preview. With --no-plan, each round first adds a comment to the
copy's site.toml and builds it, which keeps no plan (as after any edit of the settings or the
templates), and the preview starts after that build.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ab_edit import build, checkouts_of, copy_site, corpus_articles, side_by_side_parser
from run import compile_bytecode

FIRST_BUILD = re.compile(r"first build: .* in (\d+\.\d+) s")
SAVED = re.compile(r"changed: built .* in (\d+\.\d+) s")


def main() -> None:
    parser = side_by_side_parser(__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-plan", action="store_true", help="start each preview after a build that kept no plan")
    args = parser.parse_args()
    checkouts = checkouts_of(parser, args)
    articles = corpus_articles(args.corpus)
    edited = articles[len(articles) // 2].relative_to(args.corpus)
    with tempfile.TemporaryDirectory(prefix="gazette-serve-restart-") as scratch:
        projects = []
        for number, checkout in enumerate(checkouts):
            compile_bytecode(checkout)
            project = Path(scratch, f"side-{number}")
            copy_site(args.corpus, checkout, project)
            build(checkout, project)
            with (project / edited).open("a", encoding="utf-8") as text:
                text.write("\nA first edit.\n")
            build(checkout, project)  # keeps the plan
            projects.append(project)
        for round_number in range(args.rounds):
            for checkout, project in zip(checkouts, projects):
                if args.no_plan:
                    with (project / "site.toml").open("a", encoding="utf-8") as settings:
                        settings.write(f"# round {round_number + 1}\n")
                    build(checkout, project)
                first, saved = _first_save(checkout, project, edited, round_number, Path(scratch, "serve.log"))
                print(f"round {round_number + 1}, {checkout}: first build {first:.2f} s, "
                      f"the first save's complete build {saved:.2f} s", flush=True)


def _first_save(checkout: Path, project: Path, edited: Path, round_number: int, log: Path) -> tuple[float, float]:
    with log.open("w", encoding="utf-8") as out:
        preview = subprocess.Popen([sys.executable, str(checkout / "build.py"), "serve", "--port", "0"],
                                   cwd=project, stdout=out, stderr=subprocess.STDOUT)
    try:
        first = _wait_for(log, FIRST_BUILD)
        time.sleep(0.5)  # the watcher is up once the first build is reported; let it settle
        with (project / edited).open("a", encoding="utf-8") as text:
            text.write(f"\nA save in the preview, round {round_number + 1}.\n")
        return first, _wait_for(log, SAVED)
    finally:
        preview.send_signal(signal.SIGINT)
        preview.wait(60)


def _wait_for(log: Path, pattern: re.Pattern, timeout: float = 1800) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = pattern.search(log.read_text(encoding="utf-8"))
        if found:
            return float(found.group(1))
        time.sleep(0.05)
    raise SystemExit(f"the preview printed no line matching {pattern.pattern!r} in {timeout:.0f} s:\n{log.read_text()}")


if __name__ == "__main__":
    main()
