"""The README's screenshots of the shipped site, made here so they stay current.

Writes .github/screenshots/home.png and article.png (1280x800, light scheme) from the shipped
site, rewriting a file only when the picture's bytes differ; commit them when they change.
"""

from __future__ import annotations

import struct

import pytest
from support.browser import REPO, chromium, serve, shipped_site

SHOTS = REPO / ".github" / "screenshots"
SIZE = {"width": 1280, "height": 800}



pytestmark = pytest.mark.browser  # it drives Chromium itself

def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_readme_screenshots_are_current():
    site = shipped_site()
    if not site.is_shipped:
        pytest.skip("content/ has no articles yet: no screenshots of a stand-in site")
    shots = {"home": "", "article": site.richest_article()}
    with chromium() as browser, serve(site.public) as url:
        with browser.new_context(viewport=SIZE, color_scheme="light", device_scale_factor=1) as context:
            page = context.new_page()
            for name, route in shots.items():
                assert page.goto(url + route).ok, f"{url + route} did not load"
                assert page.locator("main h1").is_visible()
                picture = page.screenshot(animations="disabled", caret="hide")
                assert png_size(picture) == (SIZE["width"], SIZE["height"])
                target = SHOTS / f"{name}.png"
                if not target.is_file() or target.read_bytes() != picture:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(picture)
