"""Hostile requests to `gazette serve`, over a raw socket: a web page that points its own
DNS name at the preview (DNS rebinding) is refused, no response invites other origins in,
and malformed, oversized or oddly encoded requests get a short 4xx with a status line,
never a traceback, a 5xx or a file from outside the site."""

from __future__ import annotations

import pytest
from support.preview import EventStream, parse_response, raw_exchange, running_preview
from support.site import SiteDir, article

from gazette.preview.status import EVENTS_PATH, STATUS_PATH

SECRET = "TOP-SECRET-VALUE"
FIRST = "/2021/03/first-story/"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """One preview for the whole module: every test here only reads."""
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.txt").write_text(SECRET)
    root = outside.parent / "site"
    root.mkdir()
    site = SiteDir(root)
    site.add("first-story.md", article(title="First Story", date="2021-03-04", topics="[AI]", body="Version one."))
    with running_preview(site.root) as running:
        (site.public / "loop").symlink_to(site.public / "loop")
        (site.public / "passwd").symlink_to("/etc/passwd")
        (site.public / "outside").symlink_to(outside, target_is_directory=True)
        yield running


@pytest.fixture
def preview(served, capsys):
    told = len(served.stderr.text)
    yield served
    # Whatever the request was, the server said nothing about it: no traceback, no error line.
    printed = capsys.readouterr()
    for text in (printed.err, printed.out, served.stderr.text[told:]):
        assert "Traceback" not in text and "Exception" not in text and "error serving" not in text, text


def request(port: int, data: bytes) -> bytes:
    return raw_exchange(port, data, timeout=20)


def get(port: int, target: str, host: str | None, method: str = "GET", extra: str = "") -> bytes:
    host_line = "" if host is None else f"Host: {host}\r\n"
    return request(port, f"{method} {target} HTTP/1.1\r\n{host_line}{extra}Connection: close\r\n\r\n".encode())


# --- Host: DNS rebinding ----------------------------------------------------------------------

FOREIGN_HOSTS = [
    "evil.example:{port}",  # the rebinding page's own name, with our port
    "evil.example",
    "localhost.evil.example:{port}",
    "127.0.0.1.nip.io:{port}",
    "localhost:{other_port}",
    "127.0.0.1",
    "[::1]:{port}",  # the preview listens on 127.0.0.1 only
    "localhost:{port}\x00.evil.example",
    "",
]


@pytest.mark.parametrize("host", FOREIGN_HOSTS)
@pytest.mark.parametrize("target", [FIRST, "/", "/css/site.css", STATUS_PATH, EVENTS_PATH, "/no/such/page/"])
def test_a_foreign_host_is_refused_with_a_short_plain_answer(preview, host, target):
    host = host.format(port=preview.port, other_port=preview.port + 1)
    response = parse_response(get(preview.port, target, host))  # read to the end: the stream is not held open
    assert response.status == 421
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert "access-control-allow-origin" not in response.headers
    assert len(response.body) < 300
    assert b"First Story" not in response.body and b"generation" not in response.body
    assert f"http://127.0.0.1:{preview.port}/".encode() in response.body  # where to go instead


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_the_preview_answers_to_its_own_names(preview, method):
    for host in (f"127.0.0.1:{preview.port}", f"localhost:{preview.port}", f"LOCALHOST:{preview.port}"):
        response = parse_response(get(preview.port, FIRST, host, method))
        assert response.status == 200, host
        assert (b"First Story" in response.body) == (method == "GET")


def test_a_request_without_one_host_is_refused(preview):
    assert parse_response(get(preview.port, FIRST, None)).status == 400
    twice = f"Host: evil.example:{preview.port}\r\n"
    assert parse_response(get(preview.port, FIRST, f"127.0.0.1:{preview.port}", extra=twice)).status == 400
    http10 = request(preview.port, f"GET {FIRST} HTTP/1.0\r\n\r\n".encode())
    assert parse_response(http10).status == 400


def test_an_absolute_url_naming_another_host_is_refused(preview):
    own = f"127.0.0.1:{preview.port}"
    assert parse_response(get(preview.port, f"http://evil.example:{preview.port}{FIRST}", own)).status == 421
    assert parse_response(get(preview.port, f"http://{own}{FIRST}", own)).status == 200


def test_the_event_stream_follows_only_its_own_host(preview):
    stream = EventStream(preview.port)  # Host: 127.0.0.1:port
    try:
        assert stream.next_named("hello")["generation"] == preview.generation()
        assert "access-control-allow-origin" not in stream.headers
    finally:
        stream.close()
    refused = parse_response(get(preview.port, EVENTS_PATH, f"evil.example:{preview.port}", extra="Accept: text/event-stream\r\n"))
    assert refused.status == 421 and b"event:" not in refused.body


@pytest.mark.parametrize("target", [FIRST, "/css/site.css", STATUS_PATH, "/no/such/page/"])
def test_no_response_allows_other_origins(preview, target):
    origin = "Origin: http://evil.example\r\n"
    response = parse_response(get(preview.port, target, f"127.0.0.1:{preview.port}", extra=origin))
    assert response.status in (200, 404)
    assert not any(name.startswith("access-control-") for name in response.headers)


# --- malformed, oversized, oddly encoded --------------------------------------------------------

HOST = b"Host: 127.0.0.1:{port}\r\n"

MALFORMED = {
    "garbage request line": b"\x00\x01\x02 garbage\r\n\r\n",
    "one word": b"GET\r\n\r\n",
    "HTTP/0.9 request": b"GET /\r\n\r\n",
    "four words": b"GET / / HTTP/1.1\r\n{host}\r\n",
    "unknown version": b"GET / HTTP/9.9\r\n{host}\r\n",
    "HTTP/2 on plain text": b"GET / HTTP/2.0\r\n{host}\r\n",
    "not a version": b"GET / SPDY/3\r\n{host}\r\n",
    "request line too long": b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n{host}\r\n",
    "header line too long": b"GET / HTTP/1.1\r\n{host}X-Long: " + b"a" * 70_000 + b"\r\n\r\n",
    "too many headers": b"GET / HTTP/1.1\r\n{host}" + b"".join(b"X-%d: y\r\n" % i for i in range(200)) + b"\r\n",
    "POST": b"POST / HTTP/1.1\r\n{host}Content-Length: 5\r\n\r\nhello",
    "PUT": b"PUT /index.html HTTP/1.1\r\n{host}Content-Length: 0\r\n\r\n",
    "DELETE": b"DELETE /index.html HTTP/1.1\r\n{host}\r\n",
    "OPTIONS *": b"OPTIONS * HTTP/1.1\r\n{host}\r\n",
    "lower-case get": b"get / HTTP/1.1\r\n{host}\r\n",
    "CONNECT": b"CONNECT evil.example:443 HTTP/1.1\r\n{host}\r\n",
    "NUL in the path": b"GET /a\x00b HTTP/1.1\r\n{host}\r\n",
    "encoded NUL": b"GET /index.html%00.txt HTTP/1.1\r\n{host}\r\n",
    "CR LF in the path": b"GET /a%0d%0aSet-Cookie:x HTTP/1.1\r\n{host}\r\n",
    "NUL in the Host": b"GET / HTTP/1.1\r\nHost: 127.0.0.1\x00:{port}\r\n\r\n",
    "overlong name": b"GET /" + b"n" * 300 + b".html HTTP/1.1\r\n{host}\r\n",
    "overlong path": b"GET " + b"/" + b"/".join([b"d" * 250] * 40) + b"/ HTTP/1.1\r\n{host}\r\n",
    "percent without hex": b"GET /%zz/%4 HTTP/1.1\r\n{host}\r\n",
    "overlong UTF-8 dots": b"GET /%c0%ae%c0%ae/secret.txt HTTP/1.1\r\n{host}\r\n",
    "UTF-8 surrogate": b"GET /%ed%a0%80 HTTP/1.1\r\n{host}\r\n",
    "not UTF-8": b"GET /%ff%fe HTTP/1.1\r\n{host}\r\n",
    "raw Latin-1 byte": b"GET /caf\xe9/ HTTP/1.1\r\n{host}\r\n",
    "double-encoded dots": b"GET /%252e%252e/secret.txt HTTP/1.1\r\n{host}\r\n",
    "backslashes": b"GET /..\\..\\secret.txt HTTP/1.1\r\n{host}\r\n",
    "folded header": b"GET / HTTP/1.1\r\n{host}X-A: a\r\n  folded\r\nHost: evil.example\r\n\r\n",
    "symlink loop": b"GET /loop/ HTTP/1.1\r\n{host}\r\n",
    "symlink to an absolute path": b"GET /passwd HTTP/1.1\r\n{host}\r\n",
    "symlink to a folder outside": b"GET /outside/secret.txt HTTP/1.1\r\n{host}\r\n",
    "HEAD of a symlink outside": b"HEAD /outside/secret.txt HTTP/1.1\r\n{host}\r\n",
}


@pytest.mark.parametrize("raw", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_request_gets_a_short_4xx(preview, raw):
    port = str(preview.port).encode()
    data = raw.replace(b"{host}", HOST.replace(b"{port}", port)).replace(b"{port}", port)
    response = parse_response(request(preview.port, data))
    assert 400 <= response.status < 500, response.status
    assert SECRET.encode() not in response.body and b"root:" not in response.body
    assert b"Traceback" not in response.body
    assert len(response.body) < 8_000  # at most the site's own 404 page


def test_head_of_the_event_stream_sends_only_headers(preview):
    # A HEAD must not hold the connection open as a stream (request() reads until close).
    response = parse_response(get(preview.port, EVENTS_PATH, f"127.0.0.1:{preview.port}", "HEAD"))
    assert response.status == 200 and response.body == b""
    assert response.headers["content-type"].startswith("text/event-stream")


def test_an_unknown_method_is_told_what_is_allowed(preview):
    response = parse_response(get(preview.port, FIRST, f"127.0.0.1:{preview.port}", "POST"))
    assert response.status == 405 and response.headers["allow"] == "GET, HEAD"
