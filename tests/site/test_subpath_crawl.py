"""Served under a sub-path on 127.0.0.1, as a GitHub Pages project site is, every internal
href and src reachable from the home page must load."""

import re
from html import unescape
from urllib.error import HTTPError
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.request import urlopen

import pytest
from support.browser import PREFIX, generated_site, serve, shipped_site

LINK = re.compile(r'\b(?:href|src)="([^"]+)"')


def crawl(start: str) -> tuple[set[str], list[tuple[str, str, int]]]:
    """Every internal URL reachable from `start`; broken ones as (page, link, status)."""
    origin = urlsplit(start)
    seen, queue, broken = {start}, [start], []
    while queue:
        page = queue.pop()
        try:
            with urlopen(page, timeout=10) as response:
                body = response.read()
                kind = response.headers.get_content_type()
        except HTTPError as error:
            broken.append(("?", page, error.code))
            continue
        if kind != "text/html":
            continue
        for raw in LINK.findall(body.decode("utf-8")):
            target, _ = urldefrag(urljoin(page, unescape(raw)))
            parts = urlsplit(target)
            if parts.netloc != origin.netloc or parts.scheme not in ("http", "https"):
                continue  # another host: not ours to check
            if not parts.path.startswith(PREFIX):
                broken.append((page, raw, 0))  # leaves the project sub-path: 404 on GitHub Pages
                continue
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen, broken


@pytest.mark.parametrize("make_site", [shipped_site, generated_site], ids=["shipped", "generated-300"])
def test_every_internal_link_from_home_loads_under_a_sub_path(make_site):
    site = make_site()
    with serve(site.public) as home:
        seen, broken = crawl(home)
    assert broken == []
    # Old addresses (`aliases:`) are redirect pages nothing links to; they are tested in tests/build/test_aliases.py.
    pages = {p.parent.relative_to(site.public).as_posix() for p in site.public.rglob("index.html")
             if b'http-equiv="refresh"' not in p.read_bytes()}
    reached = {urlsplit(url).path[len(PREFIX):].rstrip("/") for url in seen}
    # Every page of the site is reachable by following links from the home page.
    assert {p if p != "." else "" for p in pages} <= reached | {""}
