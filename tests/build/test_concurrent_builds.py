"""Two `build`s and a `serve` on one project at once, as real processes: they take turns (the
later ones say they wait), the output is a complete site at every moment, and nothing is lost:
the site and the record of published URLs end as a cold build of the final sources makes them."""

from __future__ import annotations

import http.client
import queue
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

from support import REPO
from support.fault_sites import cold_build, edit, small_site
from support.faults import run_gazette, snapshot
from support.search_index import comparable_site

from gazette.build.output import output_lock

# Files every version of the site has: a reader must find each of them whenever it looks.
ALWAYS_THERE = ["index.html", "feed.xml", "sitemap.xml", ".gazette-build.json", "2020/01/story-0/index.html",
                "about/index.html", "pagefind/manifest.json", "search/index.html"]
HANG_GUARD = 120  # seconds: only for a test that would otherwise hang, never a measure of speed


class Lines:
    """The lines a child process writes to one stream, read as they come."""

    def __init__(self, stream) -> None:
        self.seen: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            self._queue.put(line)

    def wait_for(self, pattern: str) -> re.Match:
        while True:
            for line in self.seen:
                found = re.search(pattern, line)
                if found:
                    return found
            self.seen.append(self._queue.get(timeout=HANG_GUARD))


def start(root: Path, *args: str) -> tuple[subprocess.Popen, Lines, Lines]:
    child = subprocess.Popen([sys.executable, str(REPO / "build.py"), *args], cwd=root, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return child, Lines(child.stdout), Lines(child.stderr)


class Watcher(threading.Thread):
    """Reads the files every site has, over and over, until told to stop; counts the looks
    and keeps what was missing."""

    def __init__(self, public: Path) -> None:
        super().__init__(daemon=True)
        self.public, self.looks, self.missing = public, 0, []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            for name in ALWAYS_THERE:
                try:
                    if not (self.public / name).read_bytes():
                        self.missing.append(f"{name} (empty)")
                except OSError as exc:
                    self.missing.append(f"{name}: {exc.strerror}")
            self.looks += 1


def test_two_builds_and_a_serve_take_turns_and_lose_nothing(tmp_path):
    site = small_site(tmp_path / "site")
    assert run_gazette(site.root, "build").returncode == 0
    serve, serve_out, serve_err = start(site.root, "serve", "--port", "0")
    builds = []
    try:
        port = int(serve_out.wait_for(r"Serving at http://127\.0\.0\.1:(\d+)/").group(1))
        before = snapshot(site.public)
        watcher = Watcher(site.public)
        watcher.start()
        with output_lock(site.public):  # a build of this output is under way (this test's)
            edit(site, 1)
            edit(site, 2)
            expected_site, expected_record = cold_build(site, tmp_path / "cold")
            builds = [start(site.root, "build"), start(site.root, "build")]
            # One waits for the output folder, the other for the cache the first holds.
            builds[0][2].wait_for("another build is using it; waiting")
            builds[1][2].wait_for("another build is using it; waiting")
            serve_err.wait_for("waiting")  # the preview saw the edits; its build waits too
            assert snapshot(site.public) == before
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=HANG_GUARD)
            connection.request("GET", "/2020/01/story-0/")
            assert connection.getresponse().status == 200  # the preview serves the last site meanwhile
            connection.close()
        for child, out, err in builds:
            assert child.wait(timeout=HANG_GUARD) == 0, child.stderr.read()
        serve.send_signal(signal.SIGINT)  # it finishes the build it is making, then stops
        assert serve.wait(timeout=HANG_GUARD) == 0
        watcher.done.set()
        watcher.join()
    finally:
        for child in [serve, *(build[0] for build in builds)]:
            if child.poll() is None:
                child.kill()
                child.wait()
    assert watcher.looks > 0 and watcher.missing == []
    assert comparable_site(site.public) == expected_site
    assert (site.root / "published-urls.txt").read_text() == expected_record
    again = run_gazette(site.root, "build")  # and the cache they shared is sound
    assert again.returncode == 0 and " 0 files written" in again.stdout, again.stdout + again.stderr
