"""Shared helpers for the reader-facing tests (HTML validity, accessibility, journeys).

Finds the tools (Chromium, the Nu HTML validator, axe-core), serves a built site over HTTP
under a sub-path, and builds the sites to check. A missing tool skips the test with the
reason, except in CI (`CI` set), where it fails: there everything must be installed.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from gazette.build.pipeline import BuildOptions, build
from gazette.project import Project

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("GAZETTE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
NO_SEARCH = "the site has no /search/ page yet (search comes with Pagefind in a later issue)"
PREFIX = "/news/"  # sites are served under a sub-path, as on a GitHub Pages project site
BASE_URL = "https://example.org/news/"
# A phone as browser tests see one: 375 CSS px wide, at twice that in device pixels.
PHONE_CONTEXT = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def require(ok: object, reason: str) -> None:
    """Skip (fail in CI) unless `ok`: tools may be missing on a laptop, never in CI."""
    if not ok:
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)", pytrace=False)
        pytest.skip(reason)


def vnu_command() -> list[str]:
    require(shutil.which("java"), "Java is not installed; the Nu HTML validator needs it")
    require(VNU_JAR.is_file(), f"{VNU_JAR} is missing; run `npm install --no-save vnu-jar`")
    return ["java", "-jar", str(VNU_JAR)]


@functools.cache
def axe_source() -> str:
    require(AXE_JS.is_file(), f"{AXE_JS} is missing; run `npm install --no-save axe-core`")
    return AXE_JS.read_text(encoding="utf-8")


@contextmanager
def chromium() -> Iterator[object]:
    """A headless Chromium (a Playwright Browser); one per test module is plenty."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "the Python package playwright is not installed (pip install -e '.[test]')")
    require(CHROMIUM.is_file(), f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        except Exception as exc:  # noqa: BLE001 - any launch failure means no browser here
            require(False, f"Chromium at {CHROMIUM} could not start: {str(exc).splitlines()[0]}")
        try:
            yield browser
        finally:
            browser.close()


class _Handler(SimpleHTTPRequestHandler):
    """Serves `directory` at PREFIX, and its 404.html for anything missing (as GitHub Pages does)."""

    def translate_path(self, path: str) -> str:
        path = path.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / "no such file")
        return super().translate_path("/" + path[len(PREFIX):])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):  # quiet
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (a free port) under PREFIX; yields the site's URL."""
    handler = functools.partial(_Handler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class BuiltSite:
    public: Path
    is_shipped: bool  # False while content/ has no published article and the fixture site stands in

    def html_files(self) -> list[Path]:
        return sorted(self.public.rglob("*.html"))

    def article_routes(self) -> list[str]:
        """Routes of all article pages, YYYY/MM/slug/ (not the redirects from old addresses)."""
        return sorted(p.parent.relative_to(self.public).as_posix() + "/"
                      for p in self.public.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html")
                      if b'http-equiv="refresh"' not in p.read_bytes())

    def richest_article(self) -> str:
        """The article page that shows the most of the templates (picture, table, neighbours...)."""
        markers = ("<figure", "<table", "<blockquote", "<pre", "<h2 id=", 'rel="prev"', 'rel="next"', 'class="related"')

        def score(route: str) -> tuple[int, str]:
            html = (self.public / route / "index.html").read_text(encoding="utf-8")
            return sum(marker in html for marker in markers), route

        return max(self.article_routes(), key=score)

    def reader_pages(self) -> dict[str, str]:
        """One route of every kind a reader meets, by name; "search" only once the site has it."""
        topics = sorted((d for d in (self.public / "topics").iterdir() if (d / "index.html").is_file()),
                        key=lambda d: (not (d / "page").is_dir(), d.name))  # one with a pager, if any
        year = max(d for d in (self.public / "archive").iterdir() if d.is_dir())
        month = max(d for d in year.iterdir() if d.is_dir())
        pages = {
            "home": "",
            "article": self.richest_article(),
            "topics": "topics/",
            "topic": f"topics/{topics[0].name}/",
            "archive": "archive/",
            "archive-year": f"archive/{year.name}/",
            "archive-month": f"archive/{year.name}/{month.name}/",
            "404": "no-such-page/",
            "corrections": "corrections/",
        }
        for name, route in (("tags", "tags/"), ("authors", "authors/"), ("about", "about/")):
            if (self.public / route / "index.html").is_file():
                pages[name] = route
        for name, folder in (("tag", "tags"), ("author", "authors")):
            terms = sorted(d for d in (self.public / folder).glob("*/") if (d / "index.html").is_file()) \
                if (self.public / folder).is_dir() else []
            if terms:
                pages[name] = f"{folder}/{terms[0].name}/"
        if self.has_search:
            pages["search"] = "search/"
        return pages

    @property
    def has_search(self) -> bool:
        return (self.public / "search" / "index.html").is_file()


def _scratch(prefix: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, folder, True)
    return folder


@functools.cache
def shipped_site() -> BuiltSite:
    """The repo's own content, built under PREFIX into a temporary folder (once per session).

    While content/ has no published article, tests/fixtures/site stands in, so the templates
    are still checked; `is_shipped` tells tests that need the real site (screenshots)."""
    project = _scratch("gazette-shipped-") / "project"  # a copy: the build writes nothing in the repo
    if (REPO / "content").is_dir():
        for name in ("content", "templates", "static"):
            shutil.copytree(REPO / name, project / name)
        shutil.copy(REPO / "site.toml", project / "site.toml")
        if build(BuildOptions(Project.at(project), base_url=BASE_URL)).articles:  # else all are drafts or scheduled
            return BuiltSite(project / "public", True)
        shutil.rmtree(project)
    shutil.copytree(REPO / "tests" / "fixtures" / "site", project)
    shutil.copytree(REPO / "templates", project / "templates")
    shutil.copytree(REPO / "static", project / "static", dirs_exist_ok=True)
    build(BuildOptions(Project.at(project), base_url=BASE_URL))
    return BuiltSite(project / "public", False)


@functools.cache
def generated_site(n: int = 300) -> BuiltSite:
    """A generated archive of `n` varied articles (tests/archive_gen.py), built under PREFIX."""
    from support.archive_gen import write_archive

    project = write_archive(_scratch("gazette-archive-") / "project", n)
    build(BuildOptions(Project.at(project), base_url=BASE_URL))
    return BuiltSite(project / "public", False)


def open_and_wait_for_live_reload(page, url: str) -> None:
    """Open a page and wait until its event stream is connected, so that a save made
    next is followed by this very page (no race with the page's own start-up)."""
    page.add_init_script(
        """
        (() => {
          const Native = window.EventSource;
          window.EventSource = function (url, options) {
            const source = new Native(url, options);
            source.addEventListener("hello", () => { window.__gazetteConnected = true; });
            return source;
          };
          window.EventSource.prototype = Native.prototype;
        })();
        """
    )
    page.goto(url)
    page.wait_for_function("window.__gazetteConnected === true", timeout=10_000)
