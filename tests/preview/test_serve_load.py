"""`gazette serve` under load, over real sockets on 127.0.0.1: many clients fetching pages and
many open pages following the event stream while the site is rebuilt again and again. Every
response is whole and right, every page is told to reload once per rebuild, and nothing is
left behind: threads, file descriptors, sockets and memory are back where they were.

Bounded in count and in time: the load stops by itself once the rebuilds are done."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import random
import re
import socket
import threading
import time
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field

import pytest
from support.preview import EventStream, Preview, http_get, running_preview, wait_until
from support.site import SiteDir, article

from gazette.preview.http import ServerLimits
from gazette.preview.status import EVENTS_PATH

CLIENTS = 200  # fetching pages, one request after another
PAGES = 50  # open pages following the event stream, reconnecting after each reload as a browser does
REBUILDS = 20
WARM_UP_REBUILDS = 3  # first, so that thread stacks and allocator arenas exist before memory is measured
MAX_REQUESTS_PER_CLIENT = 400
THINK_SECONDS = 0.2  # at most, between one client's requests
REQUEST_TIMEOUT = 60.0  # generous: the clients share two cores with the server and its builds
DEADLINE_SECONDS = 120.0  # a bound for a machine shared with other test runs, not a speed target
MEMORY_GROWTH_LIMIT = 32 * 1024 * 1024  # a leaked response or thread per request would be far more

EDITED = "2021/03/first-story/"


def open_files() -> list[str]:
    links = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            links.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            pass  # the descriptor listdir itself used
    return links


@dataclass(frozen=True)
class Resources:
    threads: int
    fds: int
    sockets: int

    @classmethod
    def now(cls) -> Resources:
        links = open_files()
        return cls(threading.active_count(), len(links), sum(link.startswith("socket:") for link in links))


def resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@dataclass
class Tally:
    """What the clients saw."""

    requests: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    reloads: list[int] = field(default_factory=list)


def check_response(route: str, status: int, headers: dict[str, str], body: bytes, css: bytes) -> str | None:
    """Why a response is wrong or incomplete, or None."""
    if int(headers.get("content-length", -1)) != len(body):
        return f"{route}: {len(body)} bytes, Content-Length {headers.get('content-length')}"
    if route == "no/such/page/":
        return None if status == 404 and body.rstrip().endswith(b"</html>") else f"{route}: {status}"
    if status != 200:
        return f"{route}: {status}"
    if route == "css/site.css":
        return None if body == css else f"{route}: not the stylesheet"
    if route == "feed.xml":
        ElementTree.fromstring(body)  # a cut-off feed does not parse
        return None
    if not (body[:15].lower() == b"<!doctype html>" and body.rstrip().endswith(b"</html>")):
        return f"{route}: not a whole page"
    if body.count(b'data-gazette="live-reload"') != 1:
        return f"{route}: the reload script is missing or doubled"
    if route == EDITED and len(set(re.findall(rb"Load edit \d+\.|Version one\.", body))) != 1:
        return f"{route}: not exactly one version of the article"  # a page of one build says one thing
    return None


async def exchange(port: int, target: str) -> tuple[int, dict[str, str], bytes, asyncio.StreamReader, asyncio.StreamWriter]:
    """Send a GET and read the status line and headers; the body is left in the reader."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
    status_line = await reader.readline()
    headers = {}
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, b"", reader, writer


async def fetch_pages(port: int, base: str, css: bytes, stop: asyncio.Event, tally: Tally) -> None:
    routes = ["", EDITED, "2021/04/second-story/", "topics/", "css/site.css", "feed.xml", "no/such/page/"]
    for _ in range(MAX_REQUESTS_PER_CLIENT):
        if stop.is_set():
            return
        route = random.choice(routes)
        writer = None
        try:
            async with asyncio.timeout(REQUEST_TIMEOUT):
                status, headers, _, reader, writer = await exchange(port, base + route)
                body = await reader.read()  # to the end: the server closes after each response
            problem = check_response(route, status, headers, body, css)
        except Exception as exc:  # noqa: BLE001 - every failure is a finding, reported below
            problem = f"{route}: {type(exc).__name__}: {exc}"
        finally:
            if writer is not None:
                writer.close()
        tally.requests.append(1)
        if problem:
            tally.errors.append(problem)
        await asyncio.sleep(random.uniform(0, THINK_SECONDS))  # a reader, not a flood: builds get their share


async def next_event(reader: asyncio.StreamReader) -> tuple[str, dict] | None:
    """The next Server-Sent Event (comments skipped), None when the stream ends."""
    name, data = "message", []
    while line := await reader.readline():
        line = line.decode("utf-8").rstrip("\r\n")
        if line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].strip())
        elif line == "" and data:
            return name, json.loads("\n".join(data))
    return None


async def follow_as_a_page(port: int, rebuilds: int, tally: Tally, hellos: list[int]) -> None:
    """Open the stream, wait for the reload, reconnect, as a browser tab with the page open does."""
    for _ in range(rebuilds):
        writer = None
        try:
            async with asyncio.timeout(REQUEST_TIMEOUT):
                status, _, _, reader, writer = await exchange(port, EVENTS_PATH)
                hello = await next_event(reader)
            assert status == 200 and hello is not None and hello[0] == "hello", (status, hello)
            hellos.append(hello[1]["generation"])
            event = await next_event(reader)  # as long as the next build takes
        except Exception as exc:  # noqa: BLE001
            tally.errors.append(f"page: {type(exc).__name__}: {exc}")
            return
        finally:
            if writer is not None:
                writer.close()
        if event is None or event[0] != "reload" or event[1]["generation"] != hello[1]["generation"] + 1:
            tally.errors.append(f"page after hello #{hello[1]['generation']} got {event}")
            return
        tally.reloads.append(event[1]["generation"])


async def wait_for(condition, what: str, deadline: float, tally: Tally) -> None:
    while not condition():
        assert not tally.errors, f"{what}: {tally.errors[:5]}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.02)


async def run_load(preview: Preview, site: SiteDir, rebuilds: int) -> Tally:
    """CLIENTS fetching and PAGES following while `rebuilds` builds run, one after another."""
    tally = Tally()
    stop = asyncio.Event()
    hellos: list[int] = []
    css = (site.public / "css" / "site.css").read_bytes()
    deadline = time.monotonic() + DEADLINE_SECONDS
    clients = [asyncio.create_task(fetch_pages(preview.port, preview.base_path, css, stop, tally)) for _ in range(CLIENTS)]
    pages = [asyncio.create_task(follow_as_a_page(preview.port, rebuilds, tally, hellos)) for _ in range(PAGES)]
    try:
        path = site.root / "content" / "first-story.md"
        for index in range(rebuilds):
            await wait_for(lambda: len(hellos) >= PAGES * (index + 1), "every page listening", deadline, tally)
            generation = preview.generation()
            path.write_text(article(title="First Story", date="2021-03-04", topics="[AI]", body=f"Load edit {index}."))
            await wait_for(lambda: preview.generation() > generation, f"rebuild {index + 1}", deadline, tally)
        await asyncio.wait_for(asyncio.gather(*pages), max(1.0, deadline - time.monotonic()))
    finally:
        stop.set()
        for page in pages:
            page.cancel()
        await asyncio.wait(clients + pages, timeout=max(1.0, deadline - time.monotonic()))
    assert all(task.done() for task in clients + pages), "the load did not stop by itself"
    return tally


@pytest.mark.slow
def test_under_load_every_response_is_whole_every_page_reloads_once_per_rebuild_and_nothing_leaks(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    site = SiteDir(root)
    site.add("first-story.md", article(title="First Story", date="2021-03-04", topics="[AI]", body="Version one."))
    site.add("second-story.md", article(title="Second Story", date="2021-04-01", topics="[Energy]", body="The second."))
    gc.collect()
    before = Resources.now()
    # Without fast render, each save is one build and one reload (with it, an open page
    # that shows the edit is told twice: see test_serve_fast.py).
    with running_preview(site.root, fast_render=False) as preview:
        running = Resources.now()
        warm_up = asyncio.run(run_load(preview, site, WARM_UP_REBUILDS))
        assert warm_up.errors == []
        gc.collect()
        memory_before = resident_bytes()
        first_generation = preview.generation()

        tally = asyncio.run(run_load(preview, site, REBUILDS))

        print(f"\nload: {len(tally.requests)} requests from {CLIENTS} clients, {PAGES} pages following "
              f"{REBUILDS} rebuilds ({len(tally.reloads)} reloads told), errors: {len(tally.errors)}")
        assert tally.errors == [], tally.errors[:20]
        assert len(tally.requests) >= CLIENTS
        assert preview.generation() == first_generation + REBUILDS
        assert sorted(tally.reloads) == sorted(list(range(first_generation + 1, first_generation + REBUILDS + 1)) * PAGES)
        # While it still runs, the server lets go of every connection the clients closed.
        wait_until(lambda: Resources.now() == running, timeout=10,
                   what=f"threads, fds and sockets back to {running} (now {Resources.now()}: {sorted(open_files())})")
        gc.collect()
        growth = resident_bytes() - memory_before
        assert growth < MEMORY_GROWTH_LIMIT, f"memory grew by {growth / 2**20:.1f} MB"
    wait_until(lambda: Resources.now() == before, timeout=10,
               what=f"threads, fds and sockets back to {before} (now {Resources.now()})")


# --- clients that misbehave -------------------------------------------------------------------


def small_site(tmp_path) -> SiteDir:
    root = tmp_path / "site"
    root.mkdir()
    site = SiteDir(root)
    site.add("first-story.md", article(title="First Story", date="2021-03-04", topics="[AI]", body="Version one."))
    return site


def test_a_closed_page_lets_go_of_its_event_stream_at_once(tmp_path):
    """Every reload closes a stream; its thread and socket must not wait for the next write."""
    with running_preview(small_site(tmp_path).root) as preview:
        running = Resources.now()
        streams = [EventStream(preview.port) for _ in range(5)]
        for stream in streams:
            stream.next_named("hello")
        assert Resources.now().sockets >= running.sockets + 10  # ours and the server's ends
        for stream in streams:
            stream.close()
        wait_until(lambda: Resources.now() == running, timeout=5,  # the heartbeat would take 15 to 30 s
                   what=f"the streams' threads and sockets to end ({Resources.now()}, was {running})")
        assert preview.stderr.text == ""


def test_silent_and_slow_clients_do_not_hold_up_others_and_are_let_go(tmp_path):
    site = small_site(tmp_path)
    with running_preview(site.root, limits=ServerLimits(request_timeout=2.0)) as preview:
        (site.public / "big.bin").write_bytes(b"x" * 32_000_000)  # far more than socket buffers hold
        running = Resources.now()
        silent = [socket.create_connection(("127.0.0.1", preview.port), timeout=30) for _ in range(5)]
        halfway = socket.create_connection(("127.0.0.1", preview.port), timeout=30)
        halfway.sendall(b"GET / HT")  # and nothing more
        slow_reader = socket.create_connection(("127.0.0.1", preview.port), timeout=30)
        slow_reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        slow_reader.sendall(f"GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1:{preview.port}\r\n\r\n".encode())
        try:
            page = http_get(preview.port, "/2021/03/first-story/")  # its own timeout is a generous 10 s
            assert page.status == 200 and "Version one." in page.text
            for client in silent + [halfway]:
                assert client.recv(100) == b""  # the server hung up: no request came in time
            wait_until(lambda: Resources.now().threads == running.threads, timeout=20,
                       what="the slow reader's thread to give up")
        finally:
            for client in silent + [halfway, slow_reader]:
                client.close()
        wait_until(lambda: Resources.now() == running, timeout=10, what=f"sockets back to {running}")
        assert preview.stderr.text == ""
