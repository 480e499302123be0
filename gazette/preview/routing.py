"""Which file of the output folder a request means: pure parsing of the request target, then
a lookup that never leaves the output folder (as GitHub Pages serves a project site only
under /<repo>/)."""

from __future__ import annotations

import mimetypes
import time
from dataclasses import dataclass, replace
from http import HTTPStatus
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from gazette.preview.status import EVENTS_PATH, STATUS_PATH

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


# --- which file a request means (pure) -------------------------------------------------------


@dataclass(frozen=True)
class SitePath:
    """A request for something under the base path, as clean path segments."""

    segments: tuple[str, ...]  # decoded, never empty, ".", ".." or holding a slash
    folder: bool  # the URL ended with "/"
    query: str = ""

    @property
    def output_name(self) -> str:
        """The output file a folder URL or file URL names: "2021/03/story/index.html"."""
        return "/".join((*self.segments, "index.html") if self.folder else self.segments)

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

