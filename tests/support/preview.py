"""Helpers for the preview-server tests and bench/serve_latency.py: a running preview,
HTTP that sends paths exactly as written, an event-stream reader, and polling waits."""

from __future__ import annotations

import http.client
import io
import json
import queue
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from gazette.build.pipeline import BuildOptions
from gazette.preview.http import ServerLimits
from gazette.preview.server import PreviewServer, ServeOptions
from gazette.preview.status import EVENTS_PATH, STATUS_PATH
from gazette.project import Project
from support.site import SiteDir, article

T = TypeVar("T")


def wait_until(condition: Callable[[], T], timeout: float = 10.0, what: str = "the condition") -> T:
    """Poll until `condition()` is truthy and return it; fail with `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.01)


class Terminal(io.TextIOBase):
    """A thread-safe stand-in for stdout/stderr that keeps what the preview printed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._parts: list[str] = []

    def write(self, text: str) -> int:
        with self._lock:
            self._parts.append(text)
        return len(text)

    @property
    def text(self) -> str:
        with self._lock:
            return "".join(self._parts)


@dataclass
class Preview:
    server: PreviewServer
    stdout: Terminal
    stderr: Terminal

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def base_path(self) -> str:
        return self.server.status.base_path

    def get(self, route: str = "", method: str = "GET") -> Response:
        """GET a route of the site (relative to its base path)."""
        return http_get(self.port, self.base_path + route, method=method)

    def generation(self) -> int:
        return self.server.status.generation

    def wait_for_generation(self, above: int, timeout: float = 10.0) -> int:
        return wait_until(lambda: self.generation() > above and self.generation(), timeout, f"a build after #{above}")

    def wait_for_problems(self, timeout: float = 10.0) -> list[dict]:
        return wait_until(lambda: status_json(self.port)["problems"], timeout, "a failed build")

    def wait_for_page(
        self, route: str, contains: str, timeout: float = 10.0, status: int = 200, lacks: str | None = None
    ) -> Response:
        def ready() -> Response | None:
            response = self.get(route)
            if response.status != status or contains not in response.text:
                return None
            return None if lacks is not None and lacks in response.text else response

        return wait_until(ready, timeout, f"/{route} ({status}) to contain {contains!r}" + (f" and not {lacks!r}" if lacks else ""))


@contextmanager
def running_preview(
    root: Path, poll: bool = False, content: Path | None = None, limits: ServerLimits = ServerLimits(),
    fast_render: bool = True, **build_options
) -> Iterator[Preview]:
    stdout, stderr = Terminal(), Terminal()
    project = Project.at(root, content=content)
    options = ServeOptions(BuildOptions(project, **build_options), port=0, poll=poll, limits=limits, fast_render=fast_render)
    server = PreviewServer(options, stdout=stdout, stderr=stderr)
    server.start()
    try:
        yield Preview(server, stdout, stderr)
    finally:
        server.stop()


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def http_get(port: int, target: str, method: str = "GET", host: str = "127.0.0.1") -> Response:
    """One request with the target sent verbatim (http.client does not normalise paths)."""
    connection = http.client.HTTPConnection(host, port, timeout=10)
    try:
        connection.putrequest(method, target, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        return Response(response.status, {k.lower(): v for k, v in response.getheaders()}, body)
    finally:
        connection.close()


def raw_request(port: int, request_line: bytes, host: str = "127.0.0.1") -> Response:
    """Send bytes as the request line, over a bare socket: nothing is checked or encoded."""
    return parse_response(raw_exchange(port, request_line + f"\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n".encode(), host))


def raw_exchange(port: int, data: bytes, host: str = "127.0.0.1", timeout: float = 10.0) -> bytes:
    """Send `data` exactly as given and read until the server closes the connection."""
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(data)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


def parse_response(data: bytes) -> Response:
    """An HTTP/1.x response; fails on anything else (a body without a status line included)."""
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    version, _, rest = lines[0].partition(" ")
    assert version in ("HTTP/1.0", "HTTP/1.1") and rest[:3].isdigit(), f"not an HTTP response: {data[:80]!r}"
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Response(int(rest[:3]), headers, body)


def status_json(port: int) -> dict:
    return json.loads(http_get(port, STATUS_PATH).body)


class EventStream:
    """Reads the preview's Server-Sent Events on a thread; `next()` returns (event, data)."""

    def __init__(self, port: int, host: str = "127.0.0.1") -> None:
        self._sock = socket.create_connection((host, port), timeout=10)
        self._sock.sendall(f"GET {EVENTS_PATH} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/event-stream\r\n\r\n".encode())
        self._file = self._sock.makefile("rb")
        status_line = self._file.readline()
        assert b" 200 " in status_line, status_line
        self.headers: dict[str, str] = {}
        while (line := self._file.readline().strip()) != b"":
            name, _, value = line.decode("latin-1").partition(":")
            self.headers[name.strip().lower()] = value.strip()
        self._sock.settimeout(None)
        self._events: queue.Queue[tuple[str, dict] | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        name, data = "message", []
        try:
            for raw in self._file:
                line = raw.decode("utf-8").rstrip("\r\n")
                if line == "":
                    if data:
                        self._events.put((name, json.loads("\n".join(data))))
                    name, data = "message", []
                elif line.startswith("event:"):
                    name = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].strip())
        except (OSError, ValueError):
            pass
        self._events.put(None)  # the server closed the stream

    def next(self, timeout: float = 10.0) -> tuple[str, dict] | None:
        """The next event, or None if the server closed the stream."""
        try:
            return self._events.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no server-sent event within {timeout} s") from None

    def next_named(self, name: str, timeout: float = 10.0) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            event = self.next(max(0.01, deadline - time.monotonic()))
            assert event is not None, f"the stream closed before a {name!r} event"
            if event[0] == name:
                return event[1]

    def close(self) -> None:
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()
        self._file.close()  # the socket's descriptor is released only when its file is closed too


FIRST = "2021/03/first-story/"
SECOND = "2021/04/second-story/"


def make_site(root: Path, base_url: str = "https://example.org/") -> SiteDir:
    """Two stories, a month apart: the site most preview tests edit."""
    root.mkdir(parents=True, exist_ok=True)
    site = SiteDir(root, base_url=base_url)
    site.add("first-story.md", article(title="First Story", date="2021-03-04", topics="[AI]", body="Version one of the first."))
    site.add("second-story.md", article(title="Second Story", date="2021-04-01", topics="[Energy]", body="The second."))
    return site
