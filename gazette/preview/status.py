"""The state open pages follow, and what the preview adds to every HTML page it sends.

Browsers follow the site over Server-Sent Events at EVENTS_PATH: a successful build reloads
them, a failed one shows its problems in an overlay over the last good page. The overlay is
also sent as static, escaped HTML, so it is there before (or without) the script.
"""

from __future__ import annotations

import functools
import html
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources

from gazette.build.pages import SEARCH_INDEX_FOLDER
from gazette.build.render import json_for_script
from gazette.errors import Problem
from gazette.model.urls import route_of

EVENTS_PATH = "/__gazette__/events"  # outside any base path, so it never shadows a page
STATUS_PATH = "/__gazette__/status"  # the same state as JSON, for scripts and tests
# --- the state browsers follow ------------------------------------------------------------


@dataclass(frozen=True)
class SiteStatus:
    """What the output folder holds and whether the latest build failed."""

    server: str  # random per process: a page from an earlier run always reloads
    generation: int = 0  # successful builds so far; a page carries the one it was served from
    problems: tuple[Problem, ...] = ()  # why the latest build failed; () after a success
    base_path: str = "/"
    notices: tuple[str, ...] = ()  # what the latest successful build wants the editor to know (moved URLs)
    # The pages this generation changed, as URL paths ("/archive/2021/03/story/"): only they
    # reload. None: every page reloads (the first build, a moved site, too many to list, a script).
    changed: tuple[str, ...] | None = None
    # The style sheets this generation changed, as URL paths ("/css/site.css"): open pages that
    # link them load them again in place, keeping the reader's scroll (as Hugo's live reload does).
    styles: tuple[str, ...] = ()

    def as_json(self, with_changed: bool = True) -> dict:
        state = {
            "server": self.server,
            "generation": self.generation,
            "base_path": self.base_path,
            "problems": [
                {"path": str(p.path), "line": p.line, "message": p.message, "text": str(p)} for p in self.problems
            ],
            "notices": list(self.notices),
        }
        if with_changed:
            state["changed"] = None if self.changed is None else list(self.changed)
            state["styles"] = list(self.styles)
        return state


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
        self.update(lambda _: status)

    def update(self, change: Callable[[SiteStatus], SiteStatus]) -> SiteStatus:
        """Publish `change(current status)`, at once: two threads each counting a generation
        up from the current one never publish the same number."""
        with self._changed:
            self._status = change(self._status)
            self._version += 1
            self._changed.notify_all()
            return self._status

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


MAX_LISTED_CHANGES = 500  # a build that changes more pages reloads every open page instead of listing them


def changed_pages(names: Iterable[str], base_path: str) -> tuple[str, ...] | None:
    """The URL paths of the HTML output files `names`, for a live reload of just those
    pages; None (every page) past MAX_LISTED_CHANGES, or where a script changed: which pages
    run it is not known, and a script cannot be loaded again in place."""
    names = list(names)
    if any(name.endswith(SCRIPT_SUFFIXES) for name in _assets(names)):
        return None
    paths = tuple(sorted(base_path + route_of(name) for name in names if name.endswith(".html")))
    return None if len(paths) > MAX_LISTED_CHANGES else paths


SCRIPT_SUFFIXES = (".js", ".mjs")


def changed_styles(names: Iterable[str], base_path: str) -> tuple[str, ...]:
    """The URL paths of the style sheets among the output files `names` (see `SiteStatus.styles`)."""
    return tuple(sorted(base_path + name for name in _assets(names) if name.endswith(".css")))


def _assets(names: Iterable[str]) -> list[str]:
    """Of the output files `names`, those pages load: not the search index's, which the search
    page fetches as it searches (and which every edit of an article writes again)."""
    return [name for name in names if not name.startswith(f"{SEARCH_INDEX_FOLDER}/")]


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


_NOTICE_STYLE = (
    "position:fixed;z-index:2147483646;left:12px;bottom:12px;max-width:calc(100% - 24px);margin:0;padding:8px 12px;"
    "background:#0b2b14;color:#d7ffe0;border-left:4px solid #4fd27a;border-radius:4px;"
    "font:13px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 2px 12px rgba(0,0,0,.4)"
)


def notice_html(notices: Iterable[str]) -> str:
    """What the latest build wants the editor to know (an edit moved a URL), as a small box
    in a corner of the page: static, escaped HTML, gone with the next build."""
    items = "".join(f"<div>{html.escape(notice)}</div>" for notice in notices)
    return f'<div id="gazette-notice" role="status" style="{_NOTICE_STYLE}">{items}</div>' if items else ""


def live_reload_snippet(status: SiteStatus, missing: bool = False) -> str:
    """The live reload script with the page's state. `missing`: the page is a "not found"
    answer, which reloads after every build (the build may have made the page)."""
    config = {
        "state": status.as_json(with_changed=False),
        "missing": missing,
        "events_path": EVENTS_PATH,
        "overlay_style": _OVERLAY_STYLE,
        "heading_style": _HEADING_STYLE,
        "problem_style": _PROBLEM_STYLE,
        "heading": _OVERLAY_HEADING,
    }
    script = f"{client_script()}({json_for_script(config)});"
    return f'{overlay_html(status.problems)}{notice_html(status.notices)}<script data-gazette="live-reload">{script}</script>'


# The built pages' security policy refuses inline scripts and styles, which the preview's own
# snippet is: the preview serves its pages without it (the policy is tested on the built site).
_SECURITY_POLICY = re.compile(rb'<meta http-equiv="Content-Security-Policy" content="[^"]*">\n?')


def inject_snippet(page: bytes, snippet: str) -> bytes:
    """Put the snippet just before the last </body>, or at the end of a page without one."""
    encoded = snippet.encode("utf-8")
    page = _SECURITY_POLICY.sub(b"", page, count=1)
    at = page.lower().rfind(b"</body>")
    return page + encoded if at < 0 else page[:at] + encoded + page[at:]





@functools.cache
def client_script() -> str:
    """livereload.js, read once from the package."""
    return resources.files("gazette.preview").joinpath("livereload.js").read_text(encoding="utf-8").strip()

