"""From an article's save to its new text served over HTTP, for any preview server
(`gazette serve`, `hugo server`): one measurement, so that two servers compare side by side.

Used by bench/run.py. The clock starts when the edited file is in place and stops when a GET of
the article's page returns the new text (polled every 5 ms), so it counts the server's own
debounce, rebuild and serving, and no browser.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

POLL_SECONDS = 0.005
START_TIMEOUT = 1800  # a first build of 100,000 articles takes minutes
EDIT_TIMEOUT = 120


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def wait_until(url: str, wanted: str, timeout: float, server: subprocess.Popen) -> float:
    """Seconds until `url` serves a page holding `wanted`."""
    started = time.perf_counter()
    while True:
        body = fetch(url)
        if body is not None and wanted in body:
            return time.perf_counter() - started
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (status {server.returncode}) before serving {url}")
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"{url} did not show {wanted!r} within {timeout} s")
        time.sleep(POLL_SECONDS)


def save_atomically(path: Path, text: str) -> None:
    """As editors save: a whole new file renamed over the old, so no reader sees half of it."""
    temporary = path.with_name(f".{path.name}.bench")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def wait_for_file(path: Path, wanted: str, timeout: float, server: subprocess.Popen) -> None:
    """Until the file at `path` holds `wanted` (a build wrote it)."""
    started = time.perf_counter()
    while True:
        try:
            if wanted in path.read_text(encoding="utf-8", errors="replace"):
                return
        except OSError:
            pass  # mid-swap
        if server.poll() is not None or time.perf_counter() - started > timeout:
            raise SystemExit(f"{path} did not get {wanted!r} within {timeout} s")
        time.sleep(POLL_SECONDS)


def save_to_served(command: list[str], cwd: Path, url: str, victim: Path, runs: int, settle: float = 1.5,
                   written: Path | None = None) -> list[tuple[float, float | None]]:
    """Start the server, wait for `url`, then `runs` times: append a new line to `victim`
    (the article `url` shows) and time until `url` serves it, and, given the output file
    `written`, until it is written there too (the complete build of a server that writes
    its site to disk). (served, written) seconds per run; the file is restored after."""
    original = victim.read_text(encoding="utf-8")
    server = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        wait_until(url, "<", START_TIMEOUT, server)
        times = []
        for run in range(runs):
            time.sleep(settle)  # let the watcher settle, as an editor pauses between saves
            marker = f"latency{run}marker{time.monotonic_ns()}"
            save_atomically(victim, original + f"\n{marker}\n")
            saved = time.perf_counter()
            served = wait_until(url, marker, EDIT_TIMEOUT, server)
            if written is not None:
                wait_for_file(written, marker, EDIT_TIMEOUT, server)
            times.append((served, time.perf_counter() - saved if written is not None else None))
        return times
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        save_atomically(victim, original)
