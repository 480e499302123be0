"""The Content-Security-Policy every page carries in a `<meta>` tag: only the site's own scripts,
styles, fonts and data; images also from other https hosts (an editor may show one); frames
only from the providers of the embeds on that page, which load when the reader asks.

A site with `trusted_html` carries none: its bodies may hold scripts and styles of any origin,
which the site has chosen to trust."""

from __future__ import annotations

import re

_EMBED_SOURCE = re.compile(r'<figure class="embed [^"]*" data-embed-src="(https://[^"/]+)/')


def content_security_policy(frames: tuple[str, ...] = (), wasm: bool = False) -> str:
    """The policy of one page: `frames`, the origins its embeds load from once asked;
    `wasm`, for the search page (Pagefind searches with WebAssembly)."""
    # Scripts, styles, fonts and data fall back on default-src: the site's own only.
    return "; ".join([
        "default-src 'self'",
        *(["script-src 'self' 'wasm-unsafe-eval'"] if wasm else []),
        "img-src 'self' https:",
        "frame-src " + (" ".join(sorted(set(frames))) if frames else "'none'"),
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def embed_origins(body_html: str) -> tuple[str, ...]:
    """The origins the embed cards of a body load their frames from (see `embeds`)."""
    return tuple(dict.fromkeys(_EMBED_SOURCE.findall(body_html)))
