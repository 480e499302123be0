"""`gazette serve`: build, serve the output folder, rebuild on every save, reload open pages.
Nothing preview-only is ever written into the output folder."""

from __future__ import annotations

import errno
import secrets
import signal
import sys
import threading
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TextIO

from gazette.build.built import BuiltNews, BuiltSite
from gazette.build.pipeline import BuildOptions, build, guard_output
from gazette.errors import GazetteError, Problem
from gazette.model.urls import Urls, route_of
from gazette.preview.fast import FastRender, ShownPages
from gazette.preview.http import PreviewHTTPServer, ServerLimits
from gazette.preview.status import SiteStatus, StatusBoard, changed_pages, changed_styles
from gazette.preview.watch import RebuildLoop, SiteWatcher, WatchScope


@dataclass(frozen=True)
class ServeOptions:
    build: BuildOptions = BuildOptions()  # what to build; `jobs` is ignored (see build_options)
    host: str = "127.0.0.1"
    port: int = 8000  # 0 picks a free port
    poll: bool = False  # watchdog's polling observer, for network drives and containers
    fast_render: bool = True  # show a saved article on open pages before the complete build (gazette.preview.fast)
    limits: ServerLimits = ServerLimits()

    def build_options(self) -> BuildOptions:
        # One process: forking workers from a process that runs server and watcher
        # threads can deadlock a child on a lock one of them held.
        return replace(self.build, jobs=1)


# --- the whole preview: build, watch, serve ------------------------------------------------------


def _describe_changes(paths: Iterable[Path], root: Path) -> str:
    names = []
    for path in sorted(paths):
        try:
            names.append(path.relative_to(root).as_posix())
        except ValueError:
            names.append(str(path))
    return f"{_first_few(names)} changed" if names else "first build"


def _describe_pages(changed: tuple[str, ...]) -> str:
    """The pages a build changed, as the editor knows them: "; pages changed: 2021/03/x/, ..."."""
    pages = [route_of(name) or "/" for name in changed if name.endswith(".html")]
    return f"; pages changed: {_first_few(pages)}" if pages else ""


def _first_few(names: list[str]) -> str:
    """"a, b, c and 4 more": a terminal line stays one line however much changed."""
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _base_path(options: ServeOptions, fallback: str) -> str:
    try:
        return Urls(options.build.project.config(options.build.base_url).base_url).base_path
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
        self._root = options.build.project.root.resolve()
        build_options = options.build_options()
        self._output_dir = build_options.project.output.resolve()
        self._board = StatusBoard(SiteStatus(server=secrets.token_hex(6)))
        self._loop = RebuildLoop(self._rebuild)
        self._shown = ShownPages()  # pages browsers asked for, and those a fast render made
        self._fast = FastRender(self._board, self._shown, self._output_dir)
        self._watcher = SiteWatcher(WatchScope.for_project(build_options.project), self._notify, poll=options.poll)
        self._httpd: PreviewHTTPServer | None = None
        self._http_thread: threading.Thread | None = None
        self._stopped = threading.Event()
        self._last_warnings: list[str] = []

    # -- life cycle

    def start(self) -> None:
        try:
            self._httpd = PreviewHTTPServer(
                (self.options.host, self.options.port),
                self._output_dir,
                self._board,
                self.options.limits,
                report=lambda line: self._say(line, error=True),
                shown=self._shown,
            )
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
            self._fast.start()
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
        self._fast.stop()
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

    def _notify(self, paths: Iterable[Path]) -> None:
        paths = tuple(paths)
        if self.options.fast_render:
            self._fast.notify(paths)  # first: a complete build that starts next counts this burst as held
        self._loop.notify(paths)

    def _rebuild(self, changed: frozenset[Path]) -> None:
        # A folder made or replaced since the last build gets watched before the build reads it.
        for problem in self._watcher.refresh():
            self._say(f"warning: {problem}", error=True)
        stamp = datetime.now().strftime("%H:%M:%S")
        cause = _describe_changes(changed, self._root)
        saves = self._fast.saves  # this build reads every file as saved up to here, at least
        built: list[BuiltSite | BuiltNews] = []
        try:
            report = build(self.options.build_options(), keep=built.append if self.options.fast_render else None,
                           in_place=self._fast.holds_site or not self.options.fast_render)
        except GazetteError as exc:
            self._fail(saves, tuple(exc.problems), stamp, cause)
            return
        except Exception as exc:  # noqa: BLE001 - a bug or a race must not stop the preview
            self._say(traceback.format_exc(), error=True)
            self._fail(saves, (Problem("(build)", f"{type(exc).__name__}: {exc}"),), stamp, cause)
            return
        warnings = [str(w) for w in report.warnings]
        if warnings != self._last_warnings:
            for warning in warnings:
                self._say(warning, error=True)
            self._last_warnings = warnings
        base_path = _base_path(self.options, self.status.base_path)

        def published(previous: SiteStatus) -> SiteStatus:
            same_site = previous.generation > 0 and base_path == previous.base_path and not report.moved
            return replace(previous, generation=previous.generation + 1, problems=(),
                           notices=tuple(report.moved_lines()), base_path=base_path,
                           changed=changed_pages(served, base_path) if same_site else None,
                           styles=changed_styles(served, base_path) if same_site else ())

        with self._fast.lock:  # the fast pages and the status change together
            # No whole plan from an edit in place: the fast render keeps the last one, and the saves since.
            site = next((kept for kept in built if isinstance(kept, BuiltSite)), None)
            news = next((kept for kept in built if isinstance(kept, BuiltNews)), None)
            served = (self._fast.build_done(site, saves, report.changed) if site is not None
                      else self._fast.edits_built(saves, report.changed, news))
            self._board.update(published)
        for line in report.moved_lines():
            self._say(f"[{stamp}] {line}")
        self._say(f"[{stamp}] {cause}: {report.summary()}{_describe_pages(report.changed)}")

    def _fail(self, saves: int, problems: tuple[Problem, ...], stamp: str, cause: str) -> None:
        first = self.status.generation == 0  # no build yet in this run: the base path may still be unknown
        base_path = _base_path(self.options, self.status.base_path) if first else self.status.base_path

        def failed(previous: SiteStatus) -> SiteStatus:
            if previous.generation == 0:
                previous = replace(previous, base_path=base_path)
            if served:  # pages that showed the edit go back to the last good site, with the problems
                previous = replace(previous, generation=previous.generation + 1,
                                   changed=changed_pages(served, previous.base_path))
            return replace(previous, problems=problems)

        for problem in problems:
            self._say(str(problem), error=True)
        kept = "serving the last good site" if self._output_dir.is_dir() else "nothing to serve yet"
        self._say(f"[{stamp}] {cause}: build failed ({kept}); save a fix to rebuild", error=True)
        with self._fast.lock:
            served = self._fast.build_done(None, saves, ())
            self._board.update(failed)

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

