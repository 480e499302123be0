"""Which `Host` a request to the preview may name. Pure.

A web page the editor visits can point a DNS name of its own at 127.0.0.1 (DNS rebinding)
and then read the preview and its event stream as if they were its own: the browser sends
that name as `Host`. Refusing every name but the ones the preview is known by closes that
hole. An IP literal cannot be rebound, so it is safe wherever the preview can be reached by it.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

_NAME = re.compile(r"[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?")  # a DNS name, lower case
_PORT = re.compile(r"[0-9]{1,5}")
_WILDCARDS = {"0.0.0.0": 4, "::": 6}  # listening on every address: any literal of that family


@dataclass(frozen=True)
class Listening:
    """Where the preview listens: the host it was asked for (--host), the address that
    became, and the port."""

    host: str  # "127.0.0.1", "localhost", "::1", "0.0.0.0", "::" or a name
    address: str  # the bound address, e.g. "127.0.0.1" or "::1"
    port: int

    def url(self) -> str:
        shown = f"[{self.address}]" if ":" in self.address else self.address
        return f"http://{shown}:{self.port}/"


@dataclass(frozen=True)
class HostPort:
    host: str  # lower case; an IPv6 address without its brackets
    port: int | None  # None when the header names no port (the default, 80)


def split_host(value: str) -> HostPort | None:
    """`Host` header (or the authority of an absolute URL) as host and port; None if it is
    not a plain name or IP literal with an optional port."""
    value = value.strip().lower()
    if value.startswith("["):
        inside, bracket, rest = value[1:].partition("]")
        if not bracket or _ip(inside, version=6) is None:
            return None
        host = inside
    else:
        host, colon, port = value.partition(":")
        rest = colon + port
        if not _NAME.fullmatch(host):
            return None
    if rest == "":
        return HostPort(host, None)
    if not rest.startswith(":") or not _PORT.fullmatch(rest[1:]) or int(rest[1:]) > 65535:
        return None
    return HostPort(host, int(rest[1:]))


def _ip(text: str, version: int | None = None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    return address if version is None or address.version == version else None


def accepted_host(header: str | None, listening: Listening) -> bool:
    """May a request with this `Host` be answered? Yes for `localhost`, the host the preview
    was started with and the address it listens on, each with its port (none only for 80);
    and when it listens on every address (0.0.0.0, ::), any IP literal that can reach it."""
    if header is None:
        return False
    named = split_host(header)
    if named is None or (named.port or 80) != listening.port:
        return False
    if named.host in ("localhost", listening.host.lower().strip("[]")):
        return True
    address = _ip(named.host)
    if address is None:
        return False
    bound = _ip(listening.address)
    if bound is not None and address == bound and not bound.is_unspecified:
        return True
    wildcard = _WILDCARDS.get(str(bound) if bound is not None else "")
    # Linux's "::" takes IPv4 too (mapped addresses), so it accepts both families.
    return wildcard is not None and (wildcard == 6 or address.version == 4)
