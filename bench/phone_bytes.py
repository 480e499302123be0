#!/usr/bin/env python3
"""What a phone downloads to read one article with a camera's photo as its lead image.

    python bench/phone_bytes.py [--size 4000x3000]

Builds a one-article site with a photo of that size (with the Gazette that Python imports),
serves it on 127.0.0.1 and opens the article in headless Chromium as a phone (375 CSS px wide,
2x), then prints the bytes of every response by type. Needs Playwright and Chromium
(/usr/bin/chromium, or GAZETTE_CHROMIUM).
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import tempfile
import threading
from datetime import datetime, timezone
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from images import camera_photo  # noqa: E402 - the photo maker of the image benchmark

REPO = Path(__file__).resolve().parent.parent
SITE_TOML = 'title = "Phone"\ndescription = "A test."\nbase_url = "https://example.org/"\nlanguage = "en"\ntimezone = "UTC"\n'
ARTICLE = """---
title: A Story With a Photo
date: 2021-03-04
topics: [AI]
image: images/photo.jpg
image_alt: A photo
image_caption: The photo's caption.
---
{body}
"""
PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def build_site(root: Path, size: tuple[int, int]) -> Path:
    import shutil

    from gazette.build.pipeline import BuildOptions, build
    from gazette.project import Project

    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "static", root / "static")
    (root / "static" / "images").mkdir(exist_ok=True)
    camera_photo(root / "static" / "images" / "photo.jpg", *size, seed=4)
    (root / "site.toml").write_text(SITE_TOML)
    (root / "content" / "2021").mkdir(parents=True)
    body = "\n\n".join(f"Paragraph {n} of the story, with a few words in it." for n in range(12))
    (root / "content" / "2021" / "story.md").write_text(ARTICLE.format(body=body))
    build(BuildOptions(Project.at(root), now=datetime(2026, 1, 1, tzinfo=timezone.utc)))
    return root / "public"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="4000x3000")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        public = build_site(Path(scratch) / "site", size)
        handler = functools.partial(QuietHandler, directory=str(public))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        chromium = os.environ.get("GAZETTE_CHROMIUM", "/usr/bin/chromium")
        received: dict[str, int] = {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-background-networking"])
            page = browser.new_context(**PHONE).new_page()
            page.on("response", lambda response: received.setdefault(response.url, len(response.body())))
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/2021/03/story/", wait_until="networkidle")
            browser.close()
        server.shutdown()
    print(f"a phone (375 CSS px, 2x) opening an article whose lead photo is {args.size}:")
    for url, size_bytes in sorted(received.items(), key=lambda item: -item[1]):
        print(f"  {size_bytes:>9,} B  {url.split('/', 3)[-1]}")
    print(f"  {sum(received.values()):>9,} B  in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
