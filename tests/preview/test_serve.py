"""`gazette serve` end to end: a real server on a free port, real file edits of every kind,
the served site following them, errors reported and cleared, and nothing outside the
output folder ever served."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
from support import REPO
from support.editor_saves import EDITS, edit_atomically, edit_like_vim
from support.preview import (
    FIRST,
    SECOND,
    EventStream,
    make_site,
    http_get,
    raw_request,
    running_preview,
    status_json,
    wait_until,
)
from support.site import SiteDir, article

from gazette.build.pipeline import BuildOptions
from gazette.errors import GazetteError, Problem
from gazette.preview.routing import Redirect, Refused, SitePath, Special, route_request
from gazette.preview.server import PreviewServer, ServeOptions
from gazette.preview.status import (
    EVENTS_PATH,
    SiteStatus,
    inject_snippet,
    live_reload_snippet,
)
from gazette.project import Project

BUILD_PY = REPO / "build.py"

@pytest.fixture
def site(tmp_path) -> SiteDir:
    return make_site(tmp_path / "site")


@pytest.fixture
def preview(site):
    with running_preview(site.root) as running:
        yield running


# --- the pure parts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target, base, expected",
    [
        ("/", "/", SitePath((), folder=True)),
        ("/2021/03/story/", "/", SitePath(("2021", "03", "story"), folder=True)),
        ("/2021/03/story", "/", SitePath(("2021", "03", "story"), folder=False)),
        ("/a%20b/?q=1#x", "/", SitePath(("a b",), folder=True, query="q=1")),
        ("/archive/feed.xml", "/archive/", SitePath(("feed.xml",), folder=False)),
        ("/", "/archive/", Redirect("/archive/")),
        ("/archive", "/archive/", Redirect("/archive/")),
        ("/archive?x=1", "/archive/", Redirect("/archive/?x=1")),
        ("/feed.xml", "/archive/", Refused(404, "outside the site's base path")),
        ("/archiveX/", "/archive/", Refused(404, "outside the site's base path")),
        (EVENTS_PATH, "/archive/", Special(EVENTS_PATH)),
        ("http://127.0.0.1:8000/css/site.css", "/", SitePath(("css", "site.css"), folder=False)),
    ],
)
def test_route_request(target, base, expected):
    assert route_request(target, base) == expected


@pytest.mark.parametrize(
    "target",
    ["/../site.toml", "/%2e%2e/site.toml", "/%2E%2E/site.toml", "/css/..%2f..%2fsite.toml", "/..%2fsite.toml",
     "/%2fetc%2fpasswd", "/..\\site.toml", "/%5c..%5csite.toml", "/a/./b", "/%00", "/a%0d%0aSet-Cookie:x",
     "/%c0%ae%c0%ae/site.toml", "/%ff", "relative/path", "*", "/archive/../site.toml",
     "http://127.0.0.1/../site.toml"],
)
def test_route_request_refuses_paths_that_leave_the_site(target):
    route = route_request(target, "/archive/" if target.startswith("/archive/") else "/")
    assert isinstance(route, Refused) and route.status == 400


def test_snippet_goes_before_the_last_body_end_tag():
    page = b"<html><body><p>x</p><!-- </body> in a comment --></BODY></html>"
    injected = inject_snippet(page, "<script>S</script>")
    assert injected.endswith(b"<script>S</script></BODY></html>")
    assert inject_snippet(b"<p>fragment</p>", "<i>S</i>") == b"<p>fragment</p><i>S</i>"


def test_the_preview_leaves_out_the_security_policy_its_own_script_would_break():
    page = (b'<html><head><meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="script-src \'self\'">\n'
            b'<title>x</title></head><body></body></html>')
    injected = inject_snippet(page, "<script>S</script>")
    assert b"Content-Security-Policy" not in injected and injected.count(b"<script>S</script>") == 1


def test_snippet_escapes_problems():
    nasty = Problem("content/<b>.md", "bad value '</script><img src=x onerror=alert(1)>'", 3)
    snippet = live_reload_snippet(SiteStatus(server="s", problems=(nasty,)))
    assert "<img" not in snippet and "</script><img" not in snippet
    assert "&lt;img src=x onerror=alert(1)&gt;" in snippet  # the static overlay, escaped
    assert snippet.count("</script>") == 1  # only the script's own end tag


# --- serving ----------------------------------------------------------------------------------


def test_serves_the_built_site_with_the_reload_script_added_on_the_way_out(preview, site):
    home = preview.get("")
    assert home.status == 200
    assert home.headers["content-type"] == "text/html; charset=utf-8"
    assert home.headers["cache-control"] == "no-store"
    assert "First Story" in home.text and EVENTS_PATH in home.text
    on_disk = [p for p in site.public.rglob("*") if p.is_file()]
    assert on_disk and not any(b"__gazette__" in p.read_bytes() for p in on_disk)
    css = preview.get("css/site.css")
    assert css.status == 200 and css.headers["content-type"].startswith("text/css")
    assert EVENTS_PATH.encode() not in css.body
    assert preview.get("feed.xml").headers["content-type"].startswith("application/xml")
    head = preview.get(FIRST, method="HEAD")
    assert head.status == 200 and head.body == b"" and int(head.headers["content-length"]) > 0
    assert "Serving at http://127.0.0.1:" in preview.stdout.text


def test_listens_on_localhost_by_default(preview):
    assert ServeOptions().host == "127.0.0.1"
    assert preview.server._httpd.server_address[0] == "127.0.0.1"
    assert preview.port != 0


def test_folder_without_slash_redirects_and_missing_pages_get_the_404_page(preview, site):
    response = preview.get(FIRST.rstrip("/"))
    assert response.status == 302 and response.headers["location"] == "/" + FIRST
    with_query = preview.get("2021/03?page=2")
    assert with_query.status == 302 and with_query.headers["location"] == "/2021/03/?page=2"
    missing = preview.get("no/such/page/")
    assert missing.status == 404
    own_page = inject_snippet((site.public / "404.html").read_bytes(), "").decode()  # as the preview serves pages
    assert own_page.split("</body>")[0] in missing.text  # the site's own 404 page
    assert EVENTS_PATH in missing.text  # it reloads too, so it becomes the page once it exists
    assert preview.get("feed.xml/").status == 404  # a file is not a folder


def test_404_page_is_the_one_in_the_output_folder(preview, site):
    (site.public / "404.html").write_text("<html><body><p>custom not found</p></body></html>")
    missing = preview.get("nothing-here")
    assert missing.status == 404 and "custom not found" in missing.text and EVENTS_PATH in missing.text


def test_without_a_404_page_a_plain_one_is_served(preview, site):
    (site.public / "404.html").unlink()
    missing = preview.get("nothing-here")
    assert missing.status == 404 and "Not found" in missing.text


def test_a_sub_path_base_url_is_served_under_that_path(tmp_path):
    site = make_site(tmp_path / "site", base_url="https://user.github.io/archive/")
    with running_preview(site.root) as preview:
        assert preview.base_path == "/archive/"
        assert f"Serving at http://127.0.0.1:{preview.port}/archive/" in preview.stdout.text
        assert preview.server.url == f"http://127.0.0.1:{preview.port}/archive/"
        root = http_get(preview.port, "/")
        assert root.status == 302 and root.headers["location"] == "/archive/"
        assert http_get(preview.port, "/archive").headers["location"] == "/archive/"
        home = http_get(preview.port, "/archive/")
        assert home.status == 200 and 'href="/archive/2021/03/first-story/"' in home.text
        assert http_get(preview.port, "/archive/" + FIRST).status == 200
        assert http_get(preview.port, "/archive/archive/").status == 200  # the date archive, under the base
        assert http_get(preview.port, "/" + FIRST).status == 404  # only under the base path
        assert http_get(preview.port, "/archive/css/site.css").status == 200


def test_port_in_use_is_reported_as_a_problem(site):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        server = PreviewServer(ServeOptions(BuildOptions(Project.at(site.root)), port=taken.getsockname()[1]))
        with pytest.raises(GazetteError, match="cannot listen"):
            server.start()
        server.stop()


# --- following edits --------------------------------------------------------------------------




@pytest.mark.parametrize("edit", EDITS, ids=lambda f: f.__name__)
def test_every_kind_of_save_reaches_the_page(preview, site, edit):
    before = preview.generation()
    edit(site.root / "content" / "first-story.md", "Version one", "Version two")
    preview.wait_for_page(FIRST, "Version two of the first.")
    assert preview.generation() <= before + 2  # one burst, not one build per event


def complete_builds(preview) -> int:
    return preview.stdout.text.count(": built ")  # each complete build says so on a line


def test_a_burst_of_writes_makes_one_build(preview, site):
    before = complete_builds(preview)
    path = site.root / "content" / "first-story.md"
    for index in range(10):  # an editor's burst: all within a few milliseconds
        path.write_text(article(title="First Story", date="2021-03-04", topics="[AI]", body=f"Burst {index}."))
    preview.wait_for_page(FIRST, "Burst 9.")
    time.sleep(0.4)
    assert complete_builds(preview) == before + 1


@pytest.mark.skipif(shutil.which("vim") is None, reason="vim is not installed")
@pytest.mark.parametrize("backupcopy", ["no", "yes"])
def test_a_real_vim_save_reaches_the_page(preview, site, backupcopy):
    path = site.root / "content" / "first-story.md"
    subprocess.run(
        ["vim", "-u", "NONE", "-i", "NONE", "-N", "-es", "-c", f"set backup writebackup backupcopy={backupcopy}",
         "-c", "%s/Version one/Version vim/", "-c", "wq", str(path)],
        check=True, timeout=30, stdin=subprocess.DEVNULL,
    )
    preview.wait_for_page(FIRST, "Version vim of the first.")


def test_a_new_article_in_a_new_folder_appears(preview, site):
    folder = site.root / "content" / "2024" / "may"
    folder.mkdir(parents=True)
    (folder / "fresh-story.md").write_text(article(title="Fresh Story", date="2024-05-02", topics="[AI]", body="Fresh."))
    preview.wait_for_page("2024/05/fresh-story/", "Fresh.")
    preview.wait_for_page("", "Fresh Story")


def test_a_folder_moved_in_is_picked_up(preview, site, tmp_path):
    outside = tmp_path / "drafts" / "batch"
    outside.mkdir(parents=True)
    (outside / "moved-story.md").write_text(article(title="Moved Story", date="2022-01-05", topics="[AI]", body="Moved in."))
    os.rename(outside, site.root / "content" / "batch")
    preview.wait_for_page("2022/01/moved-story/", "Moved in.")


def test_a_deleted_article_disappears(preview, site):
    (site.root / "content" / "second-story.md").unlink()
    preview.wait_for_page(SECOND, "", status=404)
    assert "Second Story" not in preview.get("").text
    assert "Second Story" not in preview.get("topics/").text


def test_a_deleted_article_comes_back_when_recreated(preview, site):
    path = site.root / "content" / "second-story.md"
    text = path.read_text()
    path.unlink()
    preview.wait_for_page(SECOND, "", status=404)
    path.write_text(text)
    preview.wait_for_page(SECOND, "The second.")


def _html_routes(site: SiteDir) -> list[str]:
    routes = []
    for page in sorted(site.public.rglob("*.html")):
        route = page.relative_to(site.public).as_posix()
        routes.append(route.removesuffix("index.html"))
    return routes


def test_a_template_change_reaches_every_page(preview, site):
    before = preview.generation()
    edit_atomically(site.root / "templates" / "base.html", "</body>", '<p id="template-marker">marked</p></body>')
    preview.wait_for_generation(before)
    routes = _html_routes(site)
    assert len(routes) >= 10
    for route in routes:
        response = preview.get(route)
        assert '<p id="template-marker">marked</p>' in response.text, route


def test_a_static_file_change_is_served(preview, site):
    with open(site.root / "static" / "css" / "site.css", "a", encoding="utf-8") as css:
        css.write("\n/* changed-marker */\n")
    preview.wait_for_page("css/site.css", "changed-marker")


def test_a_site_toml_change_reaches_every_page(preview, site):
    before = preview.generation()
    config = site.root / "site.toml"
    config.write_text(re.sub(r'^title = ".*"$', 'title = "Renamed Wire"', config.read_text(), count=1, flags=re.M))
    preview.wait_for_generation(before)
    for route in _html_routes(site):
        assert "Renamed Wire" in preview.get(route).text, route


def test_a_base_url_change_moves_the_site(preview, site):
    site.write_config(base_url="https://user.github.io/moved/")
    wait_until(lambda: preview.base_path == "/moved/", what="the new base path")
    assert http_get(preview.port, "/moved/" + FIRST).status == 200
    assert http_get(preview.port, "/").headers["location"] == "/moved/"


def test_own_builds_and_reads_do_not_trigger_builds(preview, site):
    generation = preview.generation()
    for route in ("", FIRST, "css/site.css"):
        preview.get(route)
    time.sleep(0.6)
    assert preview.generation() == generation


def test_an_output_folder_inside_the_watched_sources_is_refused_at_start(tmp_path):
    """`--content .` would put public/ inside the articles: serve stops at once instead of
    building into the sources it watches."""
    site = make_site(tmp_path / "site")
    result = subprocess.run(
        [sys.executable, str(BUILD_PY), "serve", "--content", ".", "--port", "0"],
        cwd=site.root, capture_output=True, text=True, timeout=30,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "public: cannot be the output folder: it is inside ." in result.stderr
    assert not (site.root / "public").exists()


def test_content_outside_the_project(tmp_path):
    site = make_site(tmp_path / "site")
    elsewhere = tmp_path / "shared-drive" / "articles"
    shutil.move(site.root / "content", elsewhere)
    with running_preview(site.root, content=elsewhere) as preview:
        assert "First Story" in preview.get("").text
        edit_atomically(elsewhere / "first-story.md", "Version one", "Version two")
        preview.wait_for_page(FIRST, "Version two")


def test_polling_observer_sees_edits(tmp_path):
    site = make_site(tmp_path / "site")
    with running_preview(site.root, poll=True) as preview:
        edit_like_vim(site.root / "content" / "first-story.md", "Version one", "Version two")
        preview.wait_for_page(FIRST, "Version two")


def test_drafts_are_built_only_when_asked(tmp_path):
    site = make_site(tmp_path / "site")
    site.add("draft-story.md", article(title="Draft Story", date="2021-05-01", topics="[AI]", body="Draft.", draft="true"))
    with running_preview(site.root) as preview:
        assert preview.get("2021/05/draft-story/").status == 404
    with running_preview(site.root, drafts=True) as preview:
        assert preview.get("2021/05/draft-story/").status == 200


# --- errors ------------------------------------------------------------------------------------

BROKEN = "---\ntitle: First Story\ndate: \"<b>not a date</b>\"\ntopics: [AI]\n---\nVersion broken.\n"


def test_a_broken_article_keeps_the_last_good_site_and_reports_the_error(preview, site):
    path = site.root / "content" / "first-story.md"
    good = path.read_text()
    generation = preview.generation()
    path.write_text(BROKEN)
    [problem] = preview.wait_for_problems()
    assert problem["path"].endswith("first-story.md") and problem["line"] == 3 and "not a valid date" in problem["message"]
    assert preview.generation() == generation

    page = preview.get(FIRST)
    assert page.status == 200 and "Version one of the first." in page.text  # the last good page
    assert 'id="gazette-overlay"' in page.text
    assert "first-story.md:3: " in page.text and "not a valid date" in page.text
    assert "&lt;b&gt;not a date&lt;/b&gt;" in page.text and "<b>not a date</b>" not in page.text
    assert 'id="gazette-overlay"' in preview.get("topics/").text  # every page shows it
    wait_until(lambda: "first-story.md:3: " in preview.stderr.text, what="the problem in the terminal")
    assert "build failed" in preview.stderr.text

    builds = complete_builds(preview)
    path.write_text(good.replace("Version one", "Version fixed"))
    # The new files are in place an instant before the new status: wait for both.
    preview.wait_for_page(FIRST, "Version fixed", lacks='id="gazette-overlay"')
    assert status_json(preview.port)["problems"] == []
    assert complete_builds(preview) == builds + 1


def test_a_body_too_slow_to_render_is_stopped_while_the_server_keeps_answering(site):
    """The preview rebuilds in a thread, where no timer signal can interrupt Markdown:
    the time limit must hold there too, and pages must be served meanwhile."""
    config = site.root / "site.toml"
    config.write_text(config.read_text().replace("page_size", "markdown_time_limit = 2\npage_size"))
    with running_preview(site.root) as preview:
        generation = preview.generation()
        site.add("slow.md", article("Slow", body="<a " * 60_000))  # minutes without the limit
        answered = []
        started = time.monotonic()
        while not preview.server.status.problems and time.monotonic() - started < 30:
            began = time.monotonic()
            page = preview.get(FIRST)
            answered.append((page.status, time.monotonic() - began))
            time.sleep(0.05)
        [problem] = preview.wait_for_problems(timeout=30)
        assert problem["path"].endswith("slow.md") and "did not render within 2 s" in problem["message"]
        assert preview.generation() == generation
        assert answered and all(status == 200 for status, _ in answered)
        assert max(seconds for _, seconds in answered) < 1.5  # served during the slow render
        assert "Version one of the first." in preview.get(FIRST).text


def test_a_broken_template_is_reported_with_its_line(preview, site):
    template = site.root / "templates" / "article.html"
    good = template.read_text()
    lines = good.splitlines(keepends=True)
    lines.insert(2, "{% if %}\n")  # a syntax error on line 3
    template.write_text("".join(lines))
    [problem] = preview.wait_for_problems()
    assert problem["path"].endswith("article.html") and problem["line"] == 3
    page = preview.get(FIRST)
    assert page.status == 200 and "Version one of the first." in page.text and "gazette-overlay" in page.text
    template.write_text(good.replace("story-title", "story-title fixed-title"))
    preview.wait_for_page(FIRST, "fixed-title", lacks='id="gazette-overlay"')


def test_a_template_error_at_render_time_is_reported(preview, site):
    template = site.root / "templates" / "base.html"
    good = template.read_text()
    template.write_text(good.replace("</body>", "{{ no_such_variable.oops }}</body>"))
    [problem] = preview.wait_for_problems()
    assert problem["path"].endswith("base.html") and "no_such_variable" in problem["message"]
    template.write_text(good)
    wait_until(lambda: status_json(preview.port)["problems"] == [], what="the fix")


def test_a_site_broken_from_the_start_is_served_once_fixed(tmp_path):
    site = make_site(tmp_path / "site")
    path = site.root / "content" / "first-story.md"
    good = path.read_text()
    path.write_text(BROKEN)
    with running_preview(site.root) as preview:
        assert preview.generation() == 0
        page = preview.get(FIRST)
        assert page.status == 404 and "gazette-overlay" in page.text and "first-story.md:3" in page.text
        path.write_text(good)
        preview.wait_for_page(FIRST, "Version one of the first.")


def test_a_broken_site_toml_is_reported(preview, site):
    config = site.root / "site.toml"
    good = config.read_text()
    config.write_text(good + "\n[[[ not toml\n")
    [problem] = preview.wait_for_problems()
    assert problem["path"].endswith("site.toml")
    assert preview.get(FIRST).status == 200
    config.write_text(good)
    wait_until(lambda: status_json(preview.port)["problems"] == [], what="the fix")


# --- server-sent events -----------------------------------------------------------------------------


def test_events_announce_builds_errors_and_fixes(preview, site):
    stream = EventStream(preview.port)
    try:
        assert stream.headers["content-type"].startswith("text/event-stream")
        assert stream.headers["cache-control"] == "no-store"
        hello = stream.next_named("hello")
        assert hello["generation"] == preview.generation() and hello["problems"] == []

        path = site.root / "content" / "first-story.md"
        good = path.read_text()
        edit_atomically(path, "Version one", "Version two")
        reload = stream.next_named("reload")
        assert reload["generation"] == hello["generation"] + 1 and reload["server"] == hello["server"]

        path.write_text(BROKEN)
        error = stream.next_named("error")
        assert error["generation"] == reload["generation"]
        assert error["problems"][0]["line"] == 3 and "<b>not a date</b>" in error["problems"][0]["message"]

        path.write_text(good)
        fixed = stream.next_named("reload")
        assert fixed["problems"] == [] and fixed["generation"] == reload["generation"] + 1
    finally:
        stream.close()


# --- only the output folder ------------------------------------------------------------------------

SECRET = "TOP-SECRET-VALUE"

TRAVERSALS = [
    b"GET /../secret.txt HTTP/1.0",
    b"GET /../../secret.txt HTTP/1.0",
    b"GET /../site.toml HTTP/1.0",
    b"GET /%2e%2e/site.toml HTTP/1.0",
    b"GET /%2E%2E/%2E%2E/secret.txt HTTP/1.0",
    b"GET /..%2fsite.toml HTTP/1.0",
    b"GET /css/..%2f..%2fsite.toml HTTP/1.0",
    b"GET /css/%2e%2e/%2e%2e/site.toml HTTP/1.0",
    b"GET /%2e%2e%2f%2e%2e%2fsecret.txt HTTP/1.0",
    b"GET /..\\site.toml HTTP/1.0",
    b"GET /%5c..%5csite.toml HTTP/1.0",
    b"GET /css%5c..%5c..%5csite.toml HTTP/1.0",
    b"GET /%2fetc%2fpasswd HTTP/1.0",
    b"GET //etc/passwd HTTP/1.0",
    b"GET /etc/passwd HTTP/1.0",
    b"GET /%c0%ae%c0%ae/site.toml HTTP/1.0",
    b"GET /..%00/site.toml HTTP/1.0",
    b"GET /site.toml%00.html HTTP/1.0",
    b"GET http://127.0.0.1/../site.toml HTTP/1.0",
    b"GET ../site.toml HTTP/1.0",
    b"GET /escape/secret.txt HTTP/1.0",  # a symlinked folder pointing outside
    b"GET /leak.txt HTTP/1.0",  # a symlinked file pointing outside
    b"GET /escape/ HTTP/1.0",
]


@pytest.mark.parametrize("request_line", TRAVERSALS, ids=lambda line: line.decode("latin-1").split()[1])
def test_nothing_outside_the_output_folder_is_served(preview, site, tmp_path, request_line):
    (tmp_path / "secret.txt").write_text(SECRET)
    (site.public / "escape").symlink_to(tmp_path, target_is_directory=True)
    (site.public / "leak.txt").symlink_to(tmp_path / "secret.txt")
    response = raw_request(preview.port, request_line)
    assert response.status in (400, 404, 421), response.status  # 421: an absolute URL naming no port
    assert SECRET.encode() not in response.body
    assert b"base_url" not in response.body  # site.toml's text
    assert b"root:" not in response.body  # /etc/passwd


def test_symlinks_inside_the_output_folder_still_work(preview, site):
    (site.public / "alias.css").symlink_to(site.public / "css" / "site.css")
    assert preview.get("alias.css").status == 200


def test_a_request_during_the_swap_is_answered(preview, site):
    # Hammer a page while builds swap the output folder: never a 404 or an error.
    failures: list[int] = []
    stop = threading.Event()

    def hammer() -> None:
        while not stop.is_set():
            status = preview.get(FIRST).status
            if status != 200:
                failures.append(status)

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        path = site.root / "content" / "second-story.md"
        for index in range(4):
            generation = preview.generation()
            edit_atomically(path, "The second", f"The {index} second")
            preview.wait_for_generation(generation)
            path.write_text(path.read_text().replace(f"The {index} second", "The second"))
            preview.wait_for_generation(generation + 1)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert failures == []


# --- stopping ------------------------------------------------------------------------------------------


def test_stop_leaves_no_threads_and_frees_the_port(site):
    before = set(threading.enumerate())
    with running_preview(site.root) as preview:
        port = preview.port
        stream = EventStream(port)  # an open browser tab
        stream.next_named("hello")
        preview.get("")
    assert stream.next(timeout=5) is None  # the stream was closed, not left hanging
    stream.close()
    wait_until(lambda: not set(threading.enumerate()) - before, timeout=5,
               what=f"threads to end: {set(threading.enumerate()) - before}")
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


SERVE_SCRIPT = """
import sys
from pathlib import Path
from gazette.build.pipeline import BuildOptions
from gazette.preview.server import ServeOptions, run_serve
from gazette.project import Project
sys.exit(run_serve(ServeOptions(BuildOptions(Project.at(Path(sys.argv[1]))), port=0)))
"""


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_ctrl_c_stops_the_process_cleanly(site, stop_signal):
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE_SCRIPT, str(site.root)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        url = None
        for line in process.stdout:
            if line.startswith("Serving at "):
                url = line.split()[2]
                break
        assert url and url.startswith("http://127.0.0.1:"), url
        port = int(url.rsplit(":", 1)[1].split("/")[0])
        stream = EventStream(port)
        stream.next_named("hello")
        process.send_signal(stop_signal)
        assert process.wait(timeout=10) == 0
        assert stream.next(timeout=5) is None
        stream.close()
        stderr = process.stderr.read()
        assert "Traceback" not in stderr, stderr
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_the_terminal_names_the_pages_a_rebuild_changed(preview, site):
    generation = preview.generation()
    path = site.root / "content" / "second-story.md"
    path.write_text(path.read_text().replace("The second.", "The second, edited."))
    preview.wait_for_generation(generation)
    line = wait_until(lambda: [l for l in preview.stdout.text.splitlines() if "second-story.md changed" in l], what="the line")[0]
    assert "pages changed: 2021/04/second-story/" in line
    assert FIRST not in line  # the first story's page did not change


def test_a_moved_url_is_told_on_the_page_and_the_old_address_redirects(preview, site):
    generation = preview.generation()
    content = site.root / "content"
    (content / "second-story.md").rename(content / "second-renamed.md")
    preview.wait_for_generation(generation)
    notice = "moved: /2021/04/second-story/ -&gt; /2021/04/second-renamed/, a redirect was added"
    page = preview.wait_for_page("2021/04/second-renamed/", "The second.")
    assert 'id="gazette-notice" role="status"' in page.text and notice in page.text
    assert status_json(preview.port)["notices"] == [notice.replace("-&gt;", "->")]
    assert 'url=/2021/04/second-renamed/"' in preview.get("2021/04/second-story/").text
    generation = preview.generation()
    site.add("first-story.md", article(title="First Story", date="2021-03-04", topics="[AI]", body="Version two."))
    preview.wait_for_generation(generation)
    assert "gazette-notice" not in preview.wait_for_page(FIRST, "Version two.").text  # told once
