"""`gazette serve`: build, serve the output folder, rebuild on every save, reload open browsers.

- Pages are served from the output folder as it is at request time (a build swaps the
  folder in whole), with the live-reload script added to HTML on the way out: nothing
  preview-only is ever written into the output folder.
- Browsers follow the site over Server-Sent Events at EVENTS_PATH: a successful build
  reloads them, a failed one shows its problems in an overlay over the last good page.
- Only files inside the output folder are served, under the base URL's path (as GitHub
  Pages serves a project site under /<repo>/).
"""

from __future__ import annotations

import errno
import html
import json
import mimetypes
import secrets
import signal
import socket
import socketserver
import sys
import threading
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TextIO
from urllib.parse import quote, unquote, urlsplit

from gazette.config import load_config
from gazette.errors import GazetteError, Problem
from gazette.pipeline import BuildOptions, build, guard_output
from gazette.render import json_for_script
from gazette.urls import Urls
from gazette.watch import RebuildLoop, SiteWatcher, WatchScope

EVENTS_PATH = "/__gazette__/events"  # outside any base path, so it never shadows a page
STATUS_PATH = "/__gazette__/status"  # the same state as JSON, for scripts and tests
HEARTBEAT_SECONDS = 15.0  # an idle event stream writes a comment this often to notice closed tabs
SWAP_RETRY_SECONDS = 0.02  # a request that lands in the instant of the output swap tries once more

_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".map": "application/json",
}


@dataclass(frozen=True)
class ServeOptions:
    build: BuildOptions = BuildOptions()  # what to build; `jobs` is ignored (see build_options)
    host: str = "127.0.0.1"
    port: int = 8000  # 0 picks a free port
    poll: bool = False  # watchdog's polling observer, for network drives and containers

    def build_options(self) -> BuildOptions:
        # One process: forking workers from a process that runs server and watcher
        # threads can deadlock a child on a lock one of them held.
        return replace(self.build, jobs=1)


# --- the state browsers follow ------------------------------------------------------------


@dataclass(frozen=True)
class SiteStatus:
    """What the output folder holds and whether the latest build failed."""

    server: str  # random per process: a page from an earlier run always reloads
    generation: int = 0  # successful builds so far; a page carries the one it was served from
    problems: tuple[Problem, ...] = ()  # why the latest build failed; () after a success
    base_path: str = "/"

    def as_json(self) -> dict:
        return {
            "server": self.server,
            "generation": self.generation,
            "base_path": self.base_path,
            "problems": [
                {"path": str(p.path), "line": p.line, "message": p.message, "text": str(p)} for p in self.problems
            ],
        }


class StatusBoard:
    """The latest SiteStatus, and a way for event streams to wait for the next one."""

    def __init__(self, status: SiteStatus) -> None:
        self._changed = threading.Condition()
        self._status = status
        self._version = 0  # bumped on every publish, failed builds included
        self._closed = False

    def current(self) -> tuple[int, SiteStatus]:
        with self._changed:
            return self._version, self._status

    def publish(self, status: SiteStatus) -> None:
        with self._changed:
            self._status = status
            self._version += 1
            self._changed.notify_all()

    def wait_newer(self, version: int, timeout: float) -> tuple[int, SiteStatus] | None:
        """The status once newer than `version` (or the same one after `timeout`); None once closed."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self._version != version, timeout)
            return None if self._closed else (self._version, self._status)

    def close(self) -> None:
        """Wake every waiting event stream so that its thread ends (shutdown)."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()


# --- what gets added to HTML pages -------------------------------------------------------

# Plain ES5 on purpose: it runs in any browser an editor may use, with no build step.
_CLIENT_SCRIPT = """
(function (state) {
  var OVERLAY_ID = "gazette-overlay";
  function showProblems(problems) {
    var old = document.getElementById(OVERLAY_ID);
    if (old) { old.parentNode.removeChild(old); }
    if (!problems.length) { return; }
    var box = document.createElement("div");
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alert");
    box.setAttribute("style", "%(overlay_style)s");
    var heading = document.createElement("div");
    heading.setAttribute("style", "%(heading_style)s");
    heading.textContent = "%(heading)s";
    box.appendChild(heading);
    problems.forEach(function (problem) {
      var item = document.createElement("pre");
      item.className = "gazette-problem";
      item.setAttribute("style", "%(problem_style)s");
      item.textContent = problem.text;  /* text, never markup: messages quote user input */
      box.appendChild(item);
    });
    document.body.appendChild(box);
  }
  function follow(next) {
    if (next.server !== state.server || next.generation !== state.generation) {
      var path = window.location.pathname;
      if (path.slice(0, next.base_path.length) !== next.base_path) {
        window.location.href = next.base_path;  /* site.toml moved the site */
      } else {
        window.location.reload();
      }
      return;
    }
    showProblems(next.problems);
  }
  if (!window.EventSource) { return; }
  var source = new EventSource("%(events_path)s");
  ["hello", "reload", "error"].forEach(function (name) {
    source.addEventListener(name, function (event) { follow(JSON.parse(event.data)); });
  });
  window.addEventListener("pagehide", function () { source.close(); });
})(%(state)s);
"""

_OVERLAY_STYLE = (
    "position:fixed;z-index:2147483647;left:0;right:0;top:0;max-height:80vh;overflow:auto;"
    "margin:0;padding:16px 20px;background:#2b0b0b;color:#ffd7d7;border-bottom:4px solid #ff5c5c;"
    "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 4px 24px rgba(0,0,0,.5)"
)
_HEADING_STYLE = "font-weight:bold;color:#ff9c9c;margin-bottom:8px"
_PROBLEM_STYLE = "margin:4px 0;white-space:pre-wrap;color:inherit;background:none;font:inherit"
_OVERLAY_HEADING = "Gazette: the build failed. This page is from the last good build; save a fix to rebuild."


def overlay_html(problems: Iterable[Problem]) -> str:
    """The error overlay as static, escaped HTML: it is there even before the script runs."""
    items = "".join(
        f'<pre class="gazette-problem" style="{_PROBLEM_STYLE}">{html.escape(str(p))}</pre>' for p in problems
    )
    if not items:
        return ""
    return (
        f'<div id="gazette-overlay" role="alert" style="{_OVERLAY_STYLE}">'
        f'<div style="{_HEADING_STYLE}">{html.escape(_OVERLAY_HEADING)}</div>{items}</div>'
    )


def live_reload_snippet(status: SiteStatus) -> str:
    script = _CLIENT_SCRIPT % {
        "overlay_style": _OVERLAY_STYLE,
        "heading_style": _HEADING_STYLE,
        "problem_style": _PROBLEM_STYLE,
        "heading": _OVERLAY_HEADING,
        "events_path": EVENTS_PATH,
        "state": str(json_for_script(status.as_json())),
    }
    return f'{overlay_html(status.problems)}<script data-gazette="live-reload">{script}</script>'


def inject_snippet(page: bytes, snippet: str) -> bytes:
    """Put the snippet just before the last </body>, or at the end of a page without one."""
    encoded = snippet.encode("utf-8")
    at = page.lower().rfind(b"</body>")
    return page + encoded if at < 0 else page[:at] + encoded + page[at:]


_NOT_FOUND_PAGE = b"<!doctype html><html><head><title>Not found</title></head><body><h1>Not found</h1></body></html>"


# --- which file a request means (pure) -------------------------------------------------------


@dataclass(frozen=True)
class SitePath:
    """A request for something under the base path, as clean path segments."""

    segments: tuple[str, ...]  # decoded, never empty, ".", ".." or holding a slash
    folder: bool  # the URL ended with "/"
    query: str = ""

    def as_folder_url(self, base_path: str) -> str:
        url = base_path + "".join(quote(segment) + "/" for segment in self.segments)
        return url + ("?" + self.query if self.query else "")


@dataclass(frozen=True)
class Redirect:
    location: str


@dataclass(frozen=True)
class Refused:
    status: HTTPStatus
    reason: str


@dataclass(frozen=True)
class Special:
    """One of the server's own endpoints (EVENTS_PATH, STATUS_PATH)."""

    path: str


RequestTarget = SitePath | Redirect | Refused | Special


def _has_control_characters(text: str) -> bool:
    return any(ord(c) < 0x20 or ord(c) == 0x7F for c in text)


def route_request(target: str, base_path: str) -> RequestTarget:
    """Map a raw HTTP request target to what to serve. Pure, and strict: anything that could
    name a file outside the site (.., %2e%2e, %2f, backslashes, NUL) is refused, not cleaned."""
    if _has_control_characters(target):
        return Refused(HTTPStatus.BAD_REQUEST, "control characters in the request")
    if target.startswith(("http://", "https://")):  # absolute-form, allowed by HTTP/1.1
        parts = urlsplit(target)
        path, query = parts.path or "/", parts.query
    else:
        path, _, query = target.partition("#")[0].partition("?")  # browsers never send a fragment; be lenient
    if not path.startswith("/") or "\\" in path:
        return Refused(HTTPStatus.BAD_REQUEST, "malformed path")
    try:
        segments = [unquote(segment, errors="strict") for segment in path.split("/")[1:]]
    except UnicodeDecodeError:
        return Refused(HTTPStatus.BAD_REQUEST, "path is not UTF-8")
    for segment in segments:
        if segment in (".", "..") or "/" in segment or "\\" in segment or _has_control_characters(segment):
            return Refused(HTTPStatus.BAD_REQUEST, "path leaves its folder")
    decoded = "/" + "/".join(segments)
    if decoded in (EVENTS_PATH, STATUS_PATH):
        return Special(decoded)
    site_root = unquote(base_path)  # "/" or "/archive/"
    if site_root != "/" and decoded in ("/", site_root.rstrip("/")):
        return Redirect(base_path + ("?" + query if query else ""))
    if not decoded.startswith(site_root):
        return Refused(HTTPStatus.NOT_FOUND, "outside the site's base path")
    rest = decoded[len(site_root) :]
    return SitePath(tuple(s for s in rest.split("/") if s), folder=decoded.endswith("/"), query=query)


# --- reading the output folder -----------------------------------------------------------------


@dataclass(frozen=True)
class FoundFile:
    path: Path
    data: bytes


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def find_file(output_dir: Path, request: SitePath) -> Path | SitePath | None:
    """The file to serve, a SitePath to redirect to (a folder asked without its slash), or None.
    Symlinks are followed only as far as they stay inside the output folder."""
    root = output_dir.resolve()
    real = root.joinpath(*request.segments).resolve()
    if not _inside(real, root):
        return None
    if real.is_dir():
        if not request.folder:
            return replace(request, folder=True)
        real = (real / "index.html").resolve()
        if not _inside(real, root):
            return None
    elif request.folder:
        return None  # "feed.xml/" is not a folder
    return real if real.is_file() else None


def read_site_file(output_dir: Path, request: SitePath) -> FoundFile | SitePath | None:
    # A build swaps the whole output folder in; where the swap is not atomic there is an
    # instant with no folder at all. A request that finds nothing looks once more: at once
    # when the folder is there (it may have just come back), after a moment when it is not.
    # A page that is really missing then costs no wait.
    for attempt in (1, 2):
        try:
            found = find_file(output_dir, request)
            if isinstance(found, Path):
                return FoundFile(found, found.read_bytes())
            if found is not None:
                return found  # a folder asked without its slash
        except (OSError, RuntimeError):  # gone mid-read, unreadable, or a symlink loop
            pass
        if attempt == 1 and not output_dir.is_dir():
            time.sleep(SWAP_RETRY_SECONDS)
    return None


def content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in _CONTENT_TYPES:
        return _CONTENT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


# --- the HTTP server ---------------------------------------------------------------------------


class PreviewHTTPServer(ThreadingHTTPServer):
    daemon_threads = True  # event streams must never hold up shutdown
    block_on_close = False

    def __init__(self, address: tuple[str, int], output_dir: Path, board: StatusBoard) -> None:
        self.address_family = _address_family(address[0])
        self.output_dir = output_dir
        self.board = board
        super().__init__(address, PreviewRequestHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind asks DNS for our own name (getfqdn); a preview has no use for it.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), int(self.server_address[1])

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the browser went away mid-response: routine
        super().handle_error(request, client_address)


def _address_family(host: str) -> socket.AddressFamily:
    try:
        return socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)[0][0]
    except (socket.gaierror, IndexError):
        return socket.AF_INET


class PreviewRequestHandler(BaseHTTPRequestHandler):
    server: PreviewHTTPServer
    server_version = "GazettePreview"
    protocol_version = "HTTP/1.0"  # one request per connection: no idle keep-alive threads
    timeout = 60  # a client that connects and says nothing does not hold a thread forever

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib's name
        pass  # the terminal is for build results, not for every request

    def do_HEAD(self) -> None:
        self.do_GET(send_body=False)

    def do_GET(self, send_body: bool = True) -> None:
        try:
            self._respond(send_body)
        except ConnectionError:
            pass  # the browser went away

    def _respond(self, send_body: bool) -> None:
        # Read the status before any file: a build publishes after its swap, so a page
        # never carries a newer generation than its content (which would skip a reload).
        _, status = self.server.board.current()
        target = route_request(self.path, status.base_path)
        if isinstance(target, Special):
            if target.path == EVENTS_PATH:
                self._stream_events()
            else:
                self._send(HTTPStatus.OK, json.dumps(status.as_json()).encode(), "application/json", send_body)
        elif isinstance(target, Redirect):
            self._redirect(target.location)
        elif isinstance(target, Refused) and target.status == HTTPStatus.BAD_REQUEST:
            self._send(target.status, f"{target.reason}\n".encode(), "text/plain; charset=utf-8", send_body)
        elif isinstance(target, Refused):
            self._send_not_found(status, send_body)
        else:
            found = read_site_file(self.server.output_dir, target)
            if isinstance(found, SitePath):
                self._redirect(found.as_folder_url(status.base_path))
            elif found is None:
                self._send_not_found(status, send_body)
            else:
                self._send_page(HTTPStatus.OK, found.data, content_type(found.path), status, send_body)

    def _send_not_found(self, status: SiteStatus, send_body: bool) -> None:
        # The site's own 404 page, as GitHub Pages would show it; it reloads too, so a page
        # asked for before its article was saved appears as soon as the build is done.
        page = read_site_file(self.server.output_dir, SitePath(("404.html",), folder=False))
        data = page.data if isinstance(page, FoundFile) else _NOT_FOUND_PAGE
        self._send_page(HTTPStatus.NOT_FOUND, data, "text/html; charset=utf-8", status, send_body)

    def _send_page(self, code: HTTPStatus, data: bytes, kind: str, status: SiteStatus, send_body: bool) -> None:
        if kind.startswith("text/html"):
            data = inject_snippet(data, live_reload_snippet(status))
        self._send(code, data, kind, send_body)

    def _send(self, code: HTTPStatus, data: bytes, kind: str, send_body: bool = True) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if send_body:
            self.wfile.write(data)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.FOUND)  # not 301: browsers would remember it past this preview
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()

    def _stream_events(self) -> None:
        board = self.server.board
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        version, status = board.current()
        self.wfile.write(b"retry: 500\n\n")
        self._write_event("hello", status)
        while (update := board.wait_newer(version, HEARTBEAT_SECONDS)) is not None:
            if update[0] == version:
                self.wfile.write(b": still here\n\n")  # raises once the tab is gone
                continue
            version, status = update
            self._write_event("error" if status.problems else "reload", status)

    def _write_event(self, name: str, status: SiteStatus) -> None:
        self.wfile.write(f"event: {name}\ndata: {json.dumps(status.as_json())}\n\n".encode())
        self.wfile.flush()


# --- the whole preview: build, watch, serve ------------------------------------------------------


def _describe_changes(paths: Iterable[Path], root: Path) -> str:
    names = []
    for path in sorted(paths):
        try:
            names.append(path.relative_to(root).as_posix())
        except ValueError:
            names.append(str(path))
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return f"{shown} changed" if shown else "first build"


def _base_path(options: ServeOptions, fallback: str) -> str:
    try:
        return Urls(load_config(options.build.root / "site.toml", options.build.base_url).base_url).base_path
    except GazetteError:
        return fallback


def _display_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


class PreviewServer:
    """Build, serve and watch one site. `start()` returns once the site is being served;
    `stop()` ends everything it started. Usable as a context manager (tests do)."""

    def __init__(self, options: ServeOptions, stdout: TextIO | None = None, stderr: TextIO | None = None) -> None:
        self.options = options
        self._stdout = stdout
        self._stderr = stderr
        self._root = options.build.root.resolve()
        build_options = options.build_options()
        self._output_dir = build_options.output.resolve()
        self._board = StatusBoard(SiteStatus(server=secrets.token_hex(6)))
        self._loop = RebuildLoop(self._rebuild)
        self._watcher = SiteWatcher(
            WatchScope.for_site(self._root, build_options.content, self._output_dir),
            self._loop.notify,
            poll=options.poll,
        )
        self._httpd: PreviewHTTPServer | None = None
        self._http_thread: threading.Thread | None = None
        self._stopped = threading.Event()
        self._last_warnings: list[str] = []

    # -- life cycle

    def start(self) -> None:
        try:
            self._httpd = PreviewHTTPServer((self.options.host, self.options.port), self._output_dir, self._board)
        except OSError as exc:
            where = f"{self.options.host}:{self.options.port}"
            hint = " (is another `serve` running? try --port 0 for any free port)" if exc.errno == errno.EADDRINUSE else ""
            raise GazetteError(Problem(where, f"cannot listen: {exc.strerror or exc}{hint}")) from exc
        try:
            # Watch first, so that a save during the first build is not missed; the loop
            # starts after it, so the two never build at once.
            self._watcher.start()
            self._rebuild(frozenset())
            self._loop.start()
            self._http_thread = threading.Thread(
                target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1}, name="gazette-http", daemon=True
            )
            self._http_thread.start()
        except BaseException:
            self.stop()
            raise
        self._say(f"Serving at {self.url}  (Ctrl-C to stop)")

    def stop(self) -> None:
        """Stop watching, finish the build in progress, close every connection. Idempotent."""
        if self._stopped.is_set():
            return
        self._stopped.set()
        self._watcher.stop()
        self._loop.stop()
        self._board.close()  # ends the event streams
        if self._httpd is not None:
            if self._http_thread is not None:
                self._httpd.shutdown()
                self._http_thread.join(5)
            self._httpd.server_close()

    def wait(self) -> None:
        """Block until stop() (from another thread); Ctrl-C raises KeyboardInterrupt here."""
        while not self._stopped.wait(0.5):
            pass

    def __enter__(self) -> PreviewServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "start() first"
        return self._httpd.server_port

    @property
    def origin(self) -> str:
        return f"http://{_display_host(self.options.host)}:{self.port}"

    @property
    def url(self) -> str:
        return self.origin + self.status.base_path

    @property
    def status(self) -> SiteStatus:
        return self._board.current()[1]

    @property
    def output_dir(self) -> Path:
        return self._output_dir

    # -- building

    def _rebuild(self, changed: frozenset[Path]) -> None:
        # A folder made or replaced since the last build gets watched before the build reads it.
        for problem in self._watcher.refresh():
            self._say(f"warning: {problem}", error=True)
        stamp = datetime.now().strftime("%H:%M:%S")
        cause = _describe_changes(changed, self._root)
        _, previous = self._board.current()
        try:
            report = build(self.options.build_options())
        except GazetteError as exc:
            self._fail(previous, tuple(exc.problems), stamp, cause)
            return
        except Exception as exc:  # noqa: BLE001 - a bug or a race must not stop the preview
            self._say(traceback.format_exc(), error=True)
            self._fail(previous, (Problem("(build)", f"{type(exc).__name__}: {exc}"),), stamp, cause)
            return
        warnings = [str(w) for w in report.warnings]
        if warnings != self._last_warnings:
            for warning in warnings:
                self._say(warning, error=True)
            self._last_warnings = warnings
        self._board.publish(
            replace(
                previous,
                generation=previous.generation + 1,
                problems=(),
                base_path=_base_path(self.options, previous.base_path),
            )
        )
        self._say(f"[{stamp}] {cause}: {report.summary()}")

    def _fail(self, previous: SiteStatus, problems: tuple[Problem, ...], stamp: str, cause: str) -> None:
        if previous.generation == 0:  # no build yet in this run: the base path may still be unknown
            previous = replace(previous, base_path=_base_path(self.options, previous.base_path))
        for problem in problems:
            self._say(str(problem), error=True)
        kept = "serving the last good site" if self._output_dir.is_dir() else "nothing to serve yet"
        self._say(f"[{stamp}] {cause}: build failed ({kept}); save a fix to rebuild", error=True)
        self._board.publish(replace(previous, problems=problems))

    def _say(self, message: str, error: bool = False) -> None:
        stream = (self._stderr or sys.stderr) if error else (self._stdout or sys.stdout)
        print(message, file=stream, flush=True)


def serve(options: ServeOptions) -> None:
    """Run the preview until Ctrl-C (SIGINT) or SIGTERM, then stop cleanly and return.
    Raises GazetteError when the address cannot be listened on or the output folder is not
    one a build may replace: unlike a broken article, no edit in the browser can fix that."""
    guard_output(options.build)
    preview = PreviewServer(options)
    restore_sigterm = _sigterm_as_interrupt()
    try:
        preview.start()
        preview.wait()
    except KeyboardInterrupt:
        print("\nstopping…", file=sys.stderr, flush=True)
    finally:
        try:
            preview.stop()
        except KeyboardInterrupt:
            pass  # a second Ctrl-C: leave now; the remaining threads are daemons and end with us
        finally:
            restore_sigterm()


def run_serve(options: ServeOptions) -> int:
    """serve() with the CLI's exit status: 0 after Ctrl-C; GazetteError propagates (status 1)."""
    serve(options)
    return 0


def _sigterm_as_interrupt():
    """Let `kill` stop the preview as cleanly as Ctrl-C does; returns a function undoing it."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    return lambda: signal.signal(signal.SIGTERM, previous)
