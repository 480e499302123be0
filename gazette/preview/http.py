"""The preview's HTTP server: pages from the output folder as it is at request time (a build
swaps the folder in whole), HTML with the live-reload snippet added on the way out, the event
stream and the status JSON."""

from __future__ import annotations

import json
import selectors
import socket
import socketserver
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from gazette.preview.fast import ShownPages
from gazette.preview.hosts import Listening, accepted_host
from gazette.preview.routing import (
    FoundFile,
    Redirect,
    Refused,
    SitePath,
    Special,
    content_type,
    read_site_file,
    route_request,
)
from gazette.preview.status import (
    EVENTS_PATH,
    SiteStatus,
    StatusBoard,
    inject_snippet,
    live_reload_snippet,
)

HEARTBEAT_SECONDS = 15.0  # an idle event stream writes a comment this often to notice lost connections
# How often a waiting event stream looks whether its tab has closed. Every reload closes one;
# without a look, its thread and socket would wait for the next write to fail (up to 30 s).
HANGUP_CHECK_SECONDS = 0.5
ALLOWED_METHODS = ("GET", "HEAD")


@dataclass(frozen=True)
class ServerLimits:
    # A client that connects and says nothing, or stops reading, holds only its own thread,
    # and only this long per read or write; a browser sends its request at once.
    request_timeout: float = 20.0
    # Connections the system queues before they are accepted: a page with many images, or
    # many tabs reloading at once, must not see refused or retried connections (default 5).
    listen_backlog: int = 128

# --- the HTTP server ---------------------------------------------------------------------------

_NOT_FOUND_PAGE = b"<!doctype html><html><head><title>Not found</title></head><body><h1>Not found</h1></body></html>"


class PreviewHTTPServer(ThreadingHTTPServer):
    daemon_threads = True  # event streams must never hold up shutdown
    block_on_close = False

    def __init__(
        self,
        address: tuple[str, int],
        output_dir: Path,
        board: StatusBoard,
        limits: ServerLimits = ServerLimits(),
        report: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True),
        shown: ShownPages | None = None,
    ) -> None:
        self.address_family = _address_family(address[0])
        self.output_dir = output_dir
        self.board = board
        self.shown = shown or ShownPages()
        self.limits = limits
        self.request_queue_size = limits.listen_backlog
        self.report = report
        super().__init__(address, PreviewRequestHandler)
        self.listening = Listening(address[0], str(self.server_address[0]), self.server_port)

    def server_bind(self) -> None:
        # HTTPServer.server_bind asks DNS for our own name (getfqdn); a preview has no use for it.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), int(self.server_address[1])

    def handle_error(self, request: object, client_address: object) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return  # the browser went away or stopped reading mid-response: routine
        # One line, not a traceback: the terminal is the editor's, and the request is answered.
        self.report(f"error serving a request: {type(error).__name__}: {error}")


def _address_family(host: str) -> socket.AddressFamily:
    try:
        return socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)[0][0]
    except (socket.gaierror, IndexError):
        return socket.AF_INET


class PreviewRequestHandler(BaseHTTPRequestHandler):
    server: PreviewHTTPServer
    server_version = "GazettePreview"
    protocol_version = "HTTP/1.0"  # one request per connection: no idle keep-alive threads
    # The standard library's own refusals (414, 431) as short plain text, like ours.
    error_message_format = "%(code)d %(message)s\n"
    error_content_type = "text/plain; charset=utf-8"

    def setup(self) -> None:
        self.timeout = self.server.limits.request_timeout
        super().setup()

    def parse_request(self) -> bool:
        # Only "METHOD target HTTP/1.x": the standard library would answer HTTP/0.9 without
        # a status line, and an unknown version with a 505.
        words = self.raw_requestline.split()
        if len(words) != 3 or words[2] not in (b"HTTP/1.0", b"HTTP/1.1"):
            self.command, self.request_version, self.requestline = None, "HTTP/1.0", ""
            self._refuse(HTTPStatus.BAD_REQUEST, "malformed request line")
            return False
        if not super().parse_request():
            return False
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1:
            self._refuse(HTTPStatus.BAD_REQUEST, "the request must name one Host")
            return False
        authority = urlsplit(self.path).netloc if self.path.startswith(("http://", "https://")) else None
        listening = self.server.listening
        if not accepted_host(hosts[0], listening) or (authority is not None and not accepted_host(authority, listening)):
            # A name other than the preview's own: a page using DNS rebinding, or a proxy.
            self._refuse(HTTPStatus.MISDIRECTED_REQUEST, f"this preview answers only at {listening.url()}")
            return False
        if self.command not in ALLOWED_METHODS:
            self._refuse(HTTPStatus.METHOD_NOT_ALLOWED, "the preview only serves pages", allow=", ".join(ALLOWED_METHODS))
            return False
        return True

    def _refuse(self, code: HTTPStatus, reason: str, allow: str | None = None) -> None:
        body = f"{code.value} {code.phrase}: {reason}\n".encode()
        self.close_connection = True
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        if allow is not None:
            self.send_header("Allow", allow)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

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
                self._stream_events(send_body)
            else:
                self._send(HTTPStatus.OK, json.dumps(status.as_json()).encode(), "application/json", send_body)
        elif isinstance(target, Redirect):
            self._redirect(target.location)
        elif isinstance(target, Refused) and target.status == HTTPStatus.BAD_REQUEST:
            self._send(target.status, f"{target.reason}\n".encode(), "text/plain; charset=utf-8", send_body)
        elif isinstance(target, Refused):
            self._send_not_found(status, send_body)
        else:
            self._send_site_file(target, status, send_body)

    def _send_site_file(self, target: SitePath, status: SiteStatus, send_body: bool) -> None:
        shown = self.server.shown
        fast = shown.fast_page(target.output_name)  # a fast render's page, until the complete build
        if fast is not None:
            shown.visited(target.output_name)
            self._send_page(HTTPStatus.OK, fast, "text/html; charset=utf-8", status, send_body)
            return
        found = read_site_file(self.server.output_dir, target)
        if isinstance(found, SitePath):
            self._redirect(found.as_folder_url(status.base_path))
        elif found is None:
            self._send_not_found(status, send_body)
        else:
            kind = content_type(found.path)
            if kind.startswith("text/html"):
                shown.visited(target.output_name)
            self._send_page(HTTPStatus.OK, found.data, kind, status, send_body)

    def _send_not_found(self, status: SiteStatus, send_body: bool) -> None:
        # The site's own 404 page, as GitHub Pages would show it; it reloads too, so a page
        # asked for before its article was saved appears as soon as the build is done.
        page = read_site_file(self.server.output_dir, SitePath(("404.html",), folder=False))
        data = page.data if isinstance(page, FoundFile) else _NOT_FOUND_PAGE
        self._send_page(HTTPStatus.NOT_FOUND, data, "text/html; charset=utf-8", status, send_body)

    def _send_page(self, code: HTTPStatus, data: bytes, kind: str, status: SiteStatus, send_body: bool) -> None:
        if kind.startswith("text/html"):
            data = inject_snippet(data, live_reload_snippet(status, missing=code == HTTPStatus.NOT_FOUND))
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

    def _stream_events(self, send_body: bool) -> None:
        board = self.server.board
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not send_body:
            return  # HEAD: a stream has no length, so no Content-Length either
        version, status = board.current()
        self.wfile.write(b"retry: 500\n\n")
        self._write_event("hello", status)
        quiet_since = time.monotonic()
        with selectors.DefaultSelector() as incoming:
            incoming.register(self.connection, selectors.EVENT_READ)
            while (update := board.wait_newer(version, HANGUP_CHECK_SECONDS)) is not None:
                if update[0] != version:
                    version, status = update
                    self._write_event("error" if status.problems else "reload", status)
                    quiet_since = time.monotonic()
                elif self._client_hung_up(incoming):
                    return
                elif time.monotonic() - quiet_since >= HEARTBEAT_SECONDS:
                    self.wfile.write(b": still here\n\n")  # raises if the connection was lost unseen
                    self.wfile.flush()
                    quiet_since = time.monotonic()

    def _client_hung_up(self, incoming: selectors.BaseSelector) -> bool:
        # A stream's client sends nothing after its request, so readable means closed (or
        # something to ignore: it is read and dropped, so that it cannot keep us looking).
        try:
            return bool(incoming.select(0)) and self.connection.recv(4096) == b""
        except OSError:
            return True

    def _write_event(self, name: str, status: SiteStatus) -> None:
        self.wfile.write(f"event: {name}\ndata: {json.dumps(status.as_json())}\n\n".encode())
        self.wfile.flush()


