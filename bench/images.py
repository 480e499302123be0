#!/usr/bin/env python3
"""What images cost a build: an archive of N articles of which K show a camera's photo.

    python bench/images.py --n 10000 --images 1000 [--runs 3] [--cold-runs 1] [--size 3000x2000]

Times, as separate processes (medians):
  cold        `build --no-cache`: every photo is resized into its variants
  no-change   a cached rebuild with nothing changed
  one-edit    a cached rebuild after one article's body is edited, side by side with the same
              archive without photos (ratio: what the image stage adds to an edit)
  deploy      output folders removed, .cache/ kept (as the GitHub Pages job restores it)
and counts the variants encoded by every build after the first: it must be 0.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import compile_bytecode, gazette_project, timed  # noqa: E402 - the corpus and timer the other benchmarks use

REPO = Path(__file__).resolve().parent.parent


def camera_photo(path: Path, width: int, height: int, seed: int) -> None:
    """A photo-like JPEG: sharp shapes, texture at several scales and a little grain (flat colour
    would compress to nothing, and so would understate what variants cost and weigh)."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    image = Image.new("RGB", (width, height), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(300):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(width // 100, width // 6)
        points = [(x + rng.randint(-r, r), y + rng.randint(-r, r)) for _ in range(rng.randint(3, 7))]
        draw.polygon(points, fill=tuple(rng.randrange(256) for _ in range(3)))
    image = image.filter(ImageFilter.GaussianBlur(width / 1500))
    texture = Image.effect_noise((width // 6, height // 6), 60).resize((width, height), Image.BICUBIC).convert("RGB")
    grain = Image.effect_noise((width, height), 30).convert("RGB")
    Image.blend(Image.blend(image, texture, 0.25), grain, 0.06).save(path, "JPEG", quality=90)


def add_photos(project: Path, count: int, size: tuple[int, int]) -> None:
    """Give every (N/count)th article a lead photo of its own, with an alt text."""
    articles = sorted((project / "content").rglob("*.md"))
    articles = [a for a in articles if "pages" not in a.parts]
    folder = project / "static" / "images"
    folder.mkdir(parents=True, exist_ok=True)
    step = max(1, len(articles) // count)
    for number, article in enumerate(articles[::step][:count]):
        name = f"photo-{number:05d}.jpg"
        camera_photo(folder / name, *size, seed=number)
        text = article.read_text(encoding="utf-8")
        text = text.replace("\ntitle: ", f"\nimage: images/{name}\nimage_alt: A photo, number {number}\ntitle: ", 1)
        article.write_text(text, encoding="utf-8")


def encoded_since(project: Path, mark: float) -> int:
    folder = project / ".cache" / "images"
    return sum(1 for p in folder.iterdir() if p.stat().st_mtime > mark) if folder.is_dir() else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--size", default="3000x2000", help="each photo's pixels, WIDTHxHEIGHT")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cold-runs", type=int, default=1, help="cold builds resize every photo: minutes each")
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "gazette-bench-images")
    args = parser.parse_args()
    compile_bytecode(REPO)
    size = tuple(int(v) for v in args.size.split("x"))
    args.work.mkdir(parents=True, exist_ok=True)
    plain = gazette_project(args.n, args.work)
    photos = args.work / f"photos-{args.n}-{args.images}-{args.size}"
    if not (photos / "content").is_dir():
        shutil.rmtree(photos, ignore_errors=True)
        shutil.copytree(plain, photos, ignore=shutil.ignore_patterns(".cache", "public", ".public.staging"))
        started = time.perf_counter()
        add_photos(photos, args.images, size)
        print(f"made {args.images} photos of {args.size} in {time.perf_counter() - started:.0f} s")
    build = [sys.executable, str(REPO / "build.py"), "build"]
    results: dict[str, list[tuple[float, int]]] = {"cold": [], "no-change": [], "one-edit": [],
                                                   "one-edit, no photos": [], "deploy": []}
    for _ in range(args.cold_runs):
        for output in ("public", ".public.staging"):
            shutil.rmtree(photos / output, ignore_errors=True)
        results["cold"].append(timed(build + ["--no-cache"], photos))
    shutil.rmtree(photos / ".cache", ignore_errors=True)
    timed(build, photos)  # fill the cache
    timed(build, plain)
    mark = time.time()
    victims = {project: sorted((project / "content").rglob("*.md"))[args.n // 2 + 1] for project in (photos, plain)}
    originals = {project: victim.read_text(encoding="utf-8") for project, victim in victims.items()}
    ratios = []
    for run in range(args.runs):
        results["no-change"].append(timed(build, photos))
        for project, key in ((photos, "one-edit"), (plain, "one-edit, no photos")):
            victims[project].write_text(originals[project] + f"\nAn edited closing line, take {run}.\n", encoding="utf-8")
            results[key].append(timed(build, project))
        ratios.append(results["one-edit"][-1][0] / results["one-edit, no photos"][-1][0])
    # Last: a deploy leaves no spare output folder, so the build after it would make one afresh.
    for _ in range(args.runs):
        for output in ("public", ".public.staging"):
            shutil.rmtree(photos / output, ignore_errors=True)
        results["deploy"].append(timed(build, photos))
    for project, victim in victims.items():
        victim.write_text(originals[project], encoding="utf-8")
    encoded = encoded_since(photos, mark)
    print(f"cores: {os.cpu_count()}, runs: {args.runs} (cold: {args.cold_runs}; medians); "
          f"{args.n} articles, {args.images} photos of {args.size}")
    print("| build | median s | peak MB |")
    print("| --- | ---: | ---: |")
    for name, values in results.items():
        if values:  # no cold row with --cold-runs 0
            print(f"| {name} | {statistics.median(v[0] for v in values):.2f} | {max(v[1] for v in values)} |")
    print(f"one-edit with photos / without, pair by pair: median {statistics.median(ratios):.2f}")
    print(f"variants encoded by the {3 * args.runs} builds with photos after the cache was filled: {encoded}")
    return 1 if encoded else 0


if __name__ == "__main__":
    sys.exit(main())
