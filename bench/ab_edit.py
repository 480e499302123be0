#!/usr/bin/env python3
"""One edit at a time, two checkouts of Gazette side by side: the time and peak memory of
`build` after an edit, each checkout building its own copy of the same archive, in turns
(A B A B...), so that both see the same moments of a shared, noisy machine.

    python bench/ab_edit.py OLD_CHECKOUT NEW_CHECKOUT --corpus DIR [--pairs 7]
        [--kinds body headline date correction tag month month-undo page style attachment add newest newest-page newest-tag newest-edit newest-photo
                 newest-draft newest-warned newest-unpublished retract-newest news-and-retraction after-plan]

DIR is a site: an archive made by `bench/make_corpus.py --format ours` with a `site.toml`, as
`bench/run.py` makes them (its `--work` folder's `ours-N`, with the shipped site.toml, templates
and static files); its `public/` and `.cache/` are not copied. Each side first builds its copy
twice (a cold build, then an edit, which keeps the plan), then takes, for each kind of edit
(an added closing line of a body; a new headline; the time of its day fixed, which moves the
story past the others of its day; kind `correction`, a correction dated the day after it, its
text another each time; kind `tag`, a tag no other story has, another each time, so that the
last one is left empty, as a misspelt tag fixed is), one warm-up pair and `--pairs` timed pairs,
each a whole process; then (kind `month`) a story's date moved to another month, which gives it
another address (`moved_to_other_months`); then (kind `month-undo`) the same move, then undone
(a date typo fixed: the story goes back to its address, and the one it had redirects), each
timed; then (kind `page`) a closing line added to the
About page's text (`content/pages/about.md`), another each time; then (kind `style`) a rule
added to the style sheet (`static/css/site.css`), another each time; then (kind `attachment`) a
new file in static/ (`static/files/`), another each time, and its deletion, each timed; then (kind `add`) a new article, each time another, dated in the middle
of the archive, and its deletion; then (kind `newest`) the same with a new article dated just
after the newest, as the day's news is; then (kind `newest-page`) the same after enough new
articles that each added one gives the home page a numbered page; then (kind `newest-tag`)
as `newest`, with a tag no other article has; then (kind `newest-edit`) as `newest`, with an
edit of the new article's body between its add and its deletion, timed too (the day's story
written on, its first edit since it was added); then (kind `newest-photo`) as `newest`, with
its own camera photo (2400x1600, `bench/images.py`'s) added to static/ beside it and shown as
its lead picture (with its `image_alt`), both deleted after; then (kind `newest-draft`) as
`newest`, first saved as a draft (`draft: true`), then written on as a draft, each timed, before
it is published (its add); then (kind `newest-warned`) as `newest`, with a field misspelt (a
warning), then fixed, timed too; then (kind `newest-unpublished`) as `newest`, taken back as a
draft (`draft: true`) after its add, timed too, before its file is deleted; then (kind
`retract-newest`) the newest story deleted, then the next newest, each timed (see
`newest_retracted`); then (kind `news-and-retraction`) a day's
story and a retraction of a recent story, each built with the other carried (see
`news_beside_retractions`); then (kind `after-plan`) a story from the middle of the archive
deleted right after a plan of the whole site, then restored, each timed (see
`deleted_after_a_plan`). Each side's copy has its checkout's templates and
static files, which ship with its code. Prints each side's median and peak, and the median of
the pairs' ratios (new over old).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from images import camera_photo
from run import compile_bytecode

EDITS = {
    "body": lambda text, n: text + f"\nAn edited closing line, take {n}.\n",
    "headline": lambda text, n: text.replace("title: ", f"title: Take {n} of ", 1),
    "date": lambda text, n: moved_in_its_day(text, n),
    "correction": lambda text, n: corrected(text, n),
    # A tag only this story has, another each time: the last one is left empty (a misspelt tag fixed).
    "tag": lambda text, n: text.replace("\ntags: [", f'\ntags: ["bench-tag-{n}", ', 1),
}


def build(checkout: Path, project: Path, *arguments: str) -> tuple[float, int]:
    """Wall seconds and peak MB of one `build` (with `arguments`) in `project` by `checkout`'s Gazette."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(checkout / "build.py"), "build", *arguments], cwd=project,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"{checkout}: the build failed: {process.stderr.read().decode(errors='replace')[-2000:]}")
    return seconds, usage.ru_maxrss // 1024


def corpus_articles(corpus: Path) -> list[Path]:
    """The article files of `corpus`'s content/, sorted; exits where it has none."""
    articles = sorted((corpus / "content").rglob("*.md"))
    if not articles:
        raise SystemExit(f"{corpus}: no articles in content/")
    return articles


def side_by_side_parser(description: str) -> argparse.ArgumentParser:
    """The arguments of a bench that runs one checkout, or two side by side, on a corpus;
    `checkouts_of` reads the checkouts."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("checkouts", type=Path, nargs="+", metavar="CHECKOUT")
    parser.add_argument("--corpus", type=Path, required=True)
    return parser


def checkouts_of(parser: argparse.ArgumentParser, args: argparse.Namespace) -> list[Path]:
    if len(args.checkouts) > 2:
        parser.error("one checkout, or two to compare")
    return [checkout.resolve() for checkout in args.checkouts]


def copy_site(corpus: Path, checkout: Path, project: Path) -> None:
    """`corpus` copied to `project` without its output or cache, with `checkout`'s templates and
    static files, which ship with its code."""
    shutil.copytree(corpus, project, ignore=shutil.ignore_patterns("public", ".cache", ".public*"))
    for folder in ("templates", "static"):
        shutil.rmtree(project / folder, ignore_errors=True)
        shutil.copytree(checkout / folder, project / folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--pairs", type=int, default=7)
    parser.add_argument("--kinds", nargs="+", choices=[*EDITS, MONTH, MONTH_UNDO, *OTHER_FILES, ATTACHMENT, *ADDS,
                                                       RETRACT_NEWEST, BESIDE, AFTER_PLAN],
                        default=[*EDITS, MONTH, MONTH_UNDO, *OTHER_FILES, ATTACHMENT, *ADDS, RETRACT_NEWEST, BESIDE,
                                 AFTER_PLAN],
                        help="which edits to time (add, newest: a new article, then its deletion)")
    args = parser.parse_args()
    for checkout in (args.old, args.new):
        compile_bytecode(checkout.resolve())
    articles = corpus_articles(args.corpus)
    victim = articles[len(articles) // 2].relative_to(args.corpus)
    with tempfile.TemporaryDirectory(prefix="gazette-ab-") as scratch:
        sides = {}
        for name, checkout in (("old", args.old.resolve()), ("new", args.new.resolve())):
            project = Path(scratch, name)
            copy_site(args.corpus, checkout, project)
            sides[name] = (checkout, project)
        original = (args.corpus / victim).read_text(encoding="utf-8")
        for checkout, project in sides.values():  # the cache for this code, then an edit that keeps the plan
            build(checkout, project)
            (project / victim).write_text(original + "\nA first edit.\n", encoding="utf-8")
            build(checkout, project)
        for kind, edit in EDITS.items():
            if kind not in args.kinds:
                continue
            runs: dict[str, list[tuple[float, int]]] = {name: [] for name in sides}
            for n in range(args.pairs + 1):
                for name, (checkout, project) in sides.items():
                    (project / victim).write_text(edit(original, n), encoding="utf-8")
                    result = build(checkout, project)
                    if n:  # the first pair warms up
                        runs[name].append(result)
            report(f"one edit of a {kind}", runs)
        dated = [article for article in articles if date_of(article)]
        if MONTH in args.kinds:
            moved_to_other_months(sides, args.corpus, dated, args.pairs)
        if MONTH_UNDO in args.kinds:
            moved_to_other_months(sides, args.corpus, dated[len(dated) // 2:], args.pairs, undone=True)
        for kind, (path, line) in OTHER_FILES.items():
            if kind in args.kinds:
                other_file_edited(sides, kind, Path(path), line, args.pairs)
        if ATTACHMENT in args.kinds:
            attachment_added(sides, args.pairs)
        newest = max(filter(None, map(date_of, articles)))
        for kind, dated in ADDS.items():
            if kind not in args.kinds:
                continue
            if kind == "newest-page":  # first the stories that leave the home page one short of a new page
                count, size = sum(1 for article in articles if date_of(article)), page_size(args.corpus)
                fillers = (size - 1 - count) % size
                for n in range(fillers):
                    filler = dated(original.replace("title: ", f"title: Filler {n}, ", 1).replace(
                        "slug: ", f"slug: filler-{n}-", 1), newest + timedelta(minutes=n + 1)) + f"\nThe filler {n}.\n"
                    for checkout, project in sides.values():
                        (project / victim.with_name(f"bench-filler-{n}.md")).write_text(filler, encoding="utf-8")
                for checkout, project in sides.values():
                    build(checkout, project)
                newest += timedelta(minutes=fillers)
            # A new story each time (its own file, slug, headline and text, so its pages are new),
            # then deleted. Not one file name or text again: a story in a file that another story
            # had, or telling it word for word, takes on that story's published address too, and
            # that is another edit; nor one address or text of another kind's.
            runs = {name: [] for name in sides}
            removed: dict[str, list[tuple[float, int]]] = {name: [] for name in sides}
            edited: dict[str, list[tuple[float, int]]] = {name: [] for name in sides}
            drafted: dict[str, list[tuple[float, int]]] = {name: [] for name in sides}
            drafted_again: dict[str, list[tuple[float, int]]] = {name: [] for name in sides}
            for n in range(args.pairs + 1):
                extra = victim.with_name(f"bench-added-{kind}-{n}.md")
                text = dated(original.replace("title: ", f"title: Added {n}, ", 1).replace("slug: ", f"slug: added-{kind}-{n}-", 1),
                             newest + timedelta(minutes=n + 1)) + f"\nThe added story {n} of {kind}.\n"
                if kind == "newest-tag":  # a tag no other story has
                    text = text.replace("\ntags: [", f'\ntags: ["bench-new-{n}", ', 1)
                picture = Path("static/images/bench", f"{kind}-{n}.jpg")
                if kind == "newest-photo":
                    text = text.replace("\ntitle: ", f"\nimage: {picture.relative_to('static').as_posix()}\n"
                                                      "image_alt: A photo taken for the bench\ntitle: ", 1)
                for name, (checkout, project) in sides.items():
                    if kind == "newest-photo":
                        (project / picture).parent.mkdir(parents=True, exist_ok=True)
                        camera_photo(project / picture, 2400, 1600, seed=n)
                    if kind == "newest-draft":
                        draft = text.replace("\ntitle: ", "\ndraft: true\ntitle: ", 1)
                        (project / extra).write_text(draft, encoding="utf-8")
                        saved = build(checkout, project)
                        (project / extra).write_text(draft + f"\nWritten on as a draft, take {n}.\n", encoding="utf-8")
                        saved_again = build(checkout, project)
                    # "newest-warned": first with `tags:` misspelt (a warning), then fixed.
                    first = text.replace("\ntags: ", "\ntag: ", 1) if kind == "newest-warned" else text
                    (project / extra).write_text(first, encoding="utf-8")
                    added = build(checkout, project)
                    if kind == "newest-edit":
                        (project / extra).write_text(text + f"\nWritten on, take {n}.\n", encoding="utf-8")
                        written_on = build(checkout, project)
                    if kind == "newest-warned":
                        (project / extra).write_text(text, encoding="utf-8")
                        written_on = build(checkout, project)
                    if kind == "newest-unpublished":  # taken back as a draft
                        (project / extra).write_text(text.replace("\ntitle: ", "\ndraft: true\ntitle: ", 1), encoding="utf-8")
                        written_on = build(checkout, project)
                    (project / extra).unlink()
                    (project / picture).unlink(missing_ok=True)
                    deleted = build(checkout, project)
                    if n:
                        runs[name].append(added)
                        removed[name].append(deleted)
                        if kind in ("newest-edit", "newest-warned", "newest-unpublished"):
                            edited[name].append(written_on)
                        if kind == "newest-draft":
                            drafted[name].append(saved)
                            drafted_again[name].append(saved_again)
            if kind == "newest-draft":
                report("the draft saved (newest-draft)", drafted)
                report("the draft written on (newest-draft)", drafted_again)
            report(f"new article ({kind})", runs)
            if kind == "newest-edit":
                report("its first body edit (newest-edit)", edited)
            if kind == "newest-warned":
                report("its field fixed (newest-warned)", edited)
            if kind == "newest-unpublished":
                report("taken back as a draft (newest-unpublished)", edited)
            report(f"deleted article ({kind})", removed)
        if RETRACT_NEWEST in args.kinds:
            newest_retracted(sides, articles, args.corpus, args.pairs)
        if AFTER_PLAN in args.kinds:
            deleted_after_a_plan(sides, [article.relative_to(args.corpus) for article in articles if date_of(article)],
                                 args.pairs)
        if BESIDE in args.kinds:
            news_beside_retractions(sides, articles, args.corpus, original, victim,
                                    newest + timedelta(hours=1), args.pairs)


def moved_to_other_months(sides: dict[str, tuple[Path, Path]], corpus: Path, stories: list[Path], pairs: int,
                          undone: bool = False) -> None:
    """Kind `month`: a story's date moved 40 days back, to another month, so that its address
    changes and its old one redirects; another story from the middle of the archive each time
    (one story moved again is another edit), the earlier moves carried. `undone` (kind
    `month-undo`): each move is then undone, and that build timed too."""
    runs: dict[str, list[tuple[float, int]]] = {name: [] for name in sides}
    undos: dict[str, list[tuple[float, int]]] = {name: [] for name in sides}
    for n in range(pairs + 1):
        story = stories[len(stories) // 3 + n]
        original = story.read_text(encoding="utf-8")
        text = redated(original, date_of(story) - timedelta(days=40))
        for name, (checkout, project) in sides.items():
            (project / story.relative_to(corpus)).write_text(text, encoding="utf-8")
            result = build(checkout, project)
            if undone:
                (project / story.relative_to(corpus)).write_text(original, encoding="utf-8")
                undo = build(checkout, project)
            if n:  # the first pair warms up
                runs[name].append(result)
                if undone:
                    undos[name].append(undo)
    kind = MONTH_UNDO if undone else MONTH
    report(f"a story's date moved to another month ({kind})", runs)
    if undone:
        report(f"the move undone ({kind})", undos)


def other_file_edited(sides: dict[str, tuple[Path, Path]], kind: str, path: Path, line: str, pairs: int) -> None:
    """Kinds `page` and `style`: a line added to a file that is not an article (`OTHER_FILES`),
    another each time."""
    runs: dict[str, list[tuple[float, int]]] = {name: [] for name in sides}
    originals = {name: (project / path).read_text(encoding="utf-8") for name, (_, project) in sides.items()}
    for n in range(pairs + 1):
        for name, (checkout, project) in sides.items():
            (project / path).write_text(originals[name] + "\n" + line.format(n=n) + "\n", encoding="utf-8")
            result = build(checkout, project)
            if n:  # the first pair warms up
                runs[name].append(result)
    report(f"{path} edited ({kind})", runs)


def attachment_added(sides: dict[str, tuple[Path, Path]], pairs: int) -> None:
    """Kind `attachment`: a new file in static/files/, another each time, then deleted."""
    runs: dict[str, list[tuple[float, int]]] = {name: [] for name in sides}
    removed: dict[str, list[tuple[float, int]]] = {name: [] for name in sides}
    for n in range(pairs + 1):
        for name, (checkout, project) in sides.items():
            attachment = project / "static/files" / f"bench-{n}.txt"
            attachment.parent.mkdir(parents=True, exist_ok=True)
            attachment.write_text(f"An attachment, take {n}.\n", encoding="utf-8")
            added = build(checkout, project)
            attachment.unlink()
            deleted = build(checkout, project)
            if n:  # the first pair warms up
                runs[name].append(added)
                removed[name].append(deleted)
    report("a file added to static/ (attachment)", runs)
    report("its deletion (attachment)", removed)


def newest_retracted(sides: dict[str, tuple[Path, Path]], articles: list[Path], corpus: Path, pairs: int) -> None:
    """Kind `retract-newest`: the newest story deleted, then the newest left, and so on (a day's
    stories taken back one by one), each build timed, each deletion carried; the stories are
    restored after, a build not timed. The newest dates the site: each deletion dates it anew."""
    newest = sorted(((when, article) for article in articles if (when := date_of(article))), reverse=True)
    retracted = [article.relative_to(corpus) for _, article in newest[:pairs + 1]]
    runs: dict[str, list[tuple[float, int]]] = {name: [] for name in sides}
    for n, story in enumerate(retracted):
        for name, (checkout, project) in sides.items():
            (project / story).unlink()
            result = build(checkout, project)
            if n:  # the first pair warms up
                runs[name].append(result)
    for checkout, project in sides.values():
        for story in retracted:
            (project / story).write_text((corpus / story).read_text(encoding="utf-8"), encoding="utf-8")
        build(checkout, project)
    report("the newest story deleted, then the next (retract-newest)", runs)


def deleted_after_a_plan(sides: dict[str, tuple[Path, Path]], stories: list[Path], pairs: int) -> None:
    """Kind `after-plan`: a story from the middle of the archive deleted right after a plan of the
    whole site, then restored, each build timed. The plan comes of an old address listed for
    another story (`aliases:`, one more each time), a build not timed. The builds in place before
    the first plan (the same deletion and its restoring, not timed) made the cards its deletion
    shifts: the first build in place after a plan shows them as kept, where they outlive it."""
    deleted, listed = stories[len(stories) // 2 + 3], stories[len(stories) // 3]
    texts = {name: ((project / deleted).read_text(encoding="utf-8"), (project / listed).read_text(encoding="utf-8"))
             for name, (_, project) in sides.items()}
    for name, (checkout, project) in sides.items():
        (project / deleted).unlink()
        build(checkout, project)
        (project / deleted).write_text(texts[name][0], encoding="utf-8")
        build(checkout, project)
    runs: dict[str, list[tuple[float, int]]] = {name: [] for name in sides}
    restored: dict[str, list[tuple[float, int]]] = {name: [] for name in sides}
    for n in range(pairs + 1):
        aliases = ", ".join(f"/bench/old-address-{number}/" for number in range(n + 1))
        for name, (checkout, project) in sides.items():
            (project / listed).write_text(texts[name][1].replace("\ntitle: ", f"\naliases: [{aliases}]\ntitle: ", 1),
                                          encoding="utf-8")
            build(checkout, project)  # plans the whole site
            (project / deleted).unlink()
            removal = build(checkout, project)
            (project / deleted).write_text(texts[name][0], encoding="utf-8")
            restoring = build(checkout, project)
            if n:  # the first pair warms up
                runs[name].append(removal)
                restored[name].append(restoring)
    report("a story deleted right after a plan (after-plan)", runs)
    report("restored (after-plan)", restored)


def news_beside_retractions(sides: dict[str, tuple[Path, Path]], articles: list[Path], corpus: Path, original: str,
                            victim: Path, after: datetime, pairs: int) -> None:
    """Kind `news-and-retraction`: a recent story of the archive deleted, then a new story dated
    after every other; and a new story, then a recent story deleted; each build timed. Each
    round ends by restoring the deleted story and deleting the new one, which is not timed."""
    # Retracted: recent stories (not the newest, which dates the site), each once.
    recent = sorted(((when, article) for article in articles if (when := date_of(article))), reverse=True)
    retracted = [article.relative_to(corpus) for _, article in recent[10:10 + 2 * (pairs + 1)]]
    runs: dict[str, dict[str, list[tuple[float, int]]]] = {
        what: {name: [] for name in sides} for what in ("news", "retraction", "news alone", "retraction alone")}
    for n in range(pairs + 1):
        stories = [victim.with_name(f"bench-beside-{n}-{which}.md") for which in ("a", "b")]
        texts = [redated(original.replace("title: ", f"title: Beside {n}{which}, ", 1).replace(
            "slug: ", f"slug: beside-{n}-{which}-", 1), after + timedelta(minutes=2 * n + number))
            + f"\nThe story {which} beside retraction {n}.\n" for number, which in enumerate("ab")]
        for name, (checkout, project) in sides.items():
            for story, text, gone, timed in ((stories[0], texts[0], retracted[2 * n], "news"),
                                             (stories[1], texts[1], retracted[2 * n + 1], "retraction")):
                kept = (project / gone).read_text(encoding="utf-8")
                if timed == "news":  # the retraction first, then the story
                    (project / gone).unlink()
                    first = build(checkout, project)
                    (project / story).write_text(text, encoding="utf-8")
                else:  # the story first, then the retraction
                    (project / story).write_text(text, encoding="utf-8")
                    first = build(checkout, project)
                    (project / gone).unlink()
                result = build(checkout, project)
                if n:  # the first pair warms up
                    runs[timed][name].append(result)
                    runs["retraction alone" if timed == "news" else "news alone"][name].append(first)
                (project / gone).write_text(kept, encoding="utf-8")
                (project / story).unlink()
                build(checkout, project)
    report("a recent story deleted, alone (news-and-retraction)", runs["retraction alone"])
    report("then a new article, with that retraction carried (news-and-retraction)", runs["news"])
    report("a new article, alone (news-and-retraction)", runs["news alone"])
    report("then a recent story deleted, with that article carried (news-and-retraction)", runs["retraction"])


def date_of(article: Path) -> datetime | None:
    """The `date:` of an article `make_corpus.py` wrote (a full ISO date and time with its
    offset); None for a plain page, which has none."""
    with article.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("date: "):
                return datetime.fromisoformat(line[6:].strip().strip('"'))
    return None


def moved_in_its_day(text: str, n: int) -> str:
    """The story with its time fixed, past the other stories of its day: to its first minutes,
    then to its last, in turns (its address, which names its month, stays)."""
    date = datetime.fromisoformat(text[text.index("\ndate: ") + 7:].split("\n", 1)[0].strip().strip('"'))
    day = date.replace(hour=0, minute=0, second=0, microsecond=0)
    return redated(text, day + timedelta(minutes=n) if n % 2 else day + timedelta(hours=23, minutes=59 - n))


def corrected(text: str, n: int) -> str:
    """The story with a correction dated the day after it, its text another each time."""
    start = text.index("\ndate: ") + 7
    end = text.index("\n", start)
    date = datetime.fromisoformat(text[start:end].strip().strip('"'))
    notice = f"{{date: {(date + timedelta(days=1)):%Y-%m-%d}, text: A name was misspelt (take {n}).}}"
    return text[:end] + f"\ncorrections: [{notice}]" + text[end:]


def redated(text: str, when: datetime) -> str:
    start = text.index("\ndate: ") + 7
    return text[:start] + when.isoformat() + text[text.index("\n", start):]


def page_size(corpus: Path) -> int:
    """The site's `page_size` (site.toml), else Gazette's default."""
    found = re.search(r"(?m)^page_size\s*=\s*(\d+)", (corpus / "site.toml").read_text(encoding="utf-8"))
    return int(found.group(1)) if found else 20


# How an added story is dated: as the story it copies (the middle of the archive), or just after
# the newest; "newest-page" as "newest", each add giving the home page a numbered page;
# "newest-tag" as "newest", with a tag of its own; "newest-edit" as "newest", then written on;
# "newest-draft" as "newest", first saved and written on as a draft; "newest-warned" as
# "newest", first with a field misspelt.
ADDS = {"add": lambda text, after_newest: text, "newest": redated, "newest-page": redated, "newest-tag": redated,
        "newest-edit": redated, "newest-photo": redated, "newest-draft": redated, "newest-warned": redated,
        "newest-unpublished": redated}
BESIDE = "news-and-retraction"  # see `news_beside_retractions`
RETRACT_NEWEST = "retract-newest"  # see `newest_retracted`
AFTER_PLAN = "after-plan"  # see `deleted_after_a_plan`
MONTH = "month"  # see `moved_to_other_months`
MONTH_UNDO = "month-undo"
ATTACHMENT = "attachment"  # see `attachment_added`
# Files that are not articles, edited (see `other_file_edited`): the About page's text, the style sheet.
OTHER_FILES = {"page": ("content/pages/about.md", "A closing line, take {n}."),
               "style": ("static/css/site.css", ".bench-{n} {{ color: red; }}")}


def report(what: str, runs: dict[str, list[tuple[float, int]]]) -> None:
    old, new = runs["old"], runs["new"]
    ratio = statistics.median(b / a for (a, _), (b, _) in zip(old, new))
    print(f"{what}: old {statistics.median(s for s, _ in old):.2f} s, "
          f"{max(m for _, m in old)} MB; new {statistics.median(s for s, _ in new):.2f} s, "
          f"{max(m for _, m in new)} MB; new/old {ratio:.2f} (median of {len(old)} pairs)", flush=True)


if __name__ == "__main__":
    main()
