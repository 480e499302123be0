"""The preview's Host check, as a pure function: the names it is known by pass, every other
name (a DNS-rebinding page's) and anything malformed is refused."""

from __future__ import annotations

import pytest

from gazette.preview.hosts import HostPort, Listening, accepted_host, split_host

LOOPBACK = Listening("127.0.0.1", "127.0.0.1", 8000)
LOOPBACK6 = Listening("::1", "::1", 8000)
LOCALHOST = Listening("localhost", "127.0.0.1", 8000)
EVERY_IPV4 = Listening("0.0.0.0", "0.0.0.0", 8000)
EVERY_ADDRESS = Listening("::", "::", 8000)
NAMED = Listening("devbox.lan", "192.168.1.20", 8000)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("localhost:8000", HostPort("localhost", 8000)),
        ("LocalHost:8000", HostPort("localhost", 8000)),
        ("127.0.0.1", HostPort("127.0.0.1", None)),
        ("[::1]:8000", HostPort("::1", 8000)),
        ("[::1]", HostPort("::1", None)),
        ("example.org:65535", HostPort("example.org", 65535)),
        ("", None),
        (":8000", None),
        ("localhost:", None),
        ("localhost:80:80", None),
        ("localhost:65536", None),
        ("localhost:+80", None),
        ("localhost:８０００", None),  # full-width digits
        ("::1:8000", None),  # IPv6 without brackets
        ("[127.0.0.1]:8000", None),
        ("[::1", None),
        ("[::1]x", None),
        ("local host:8000", None),
        ("localhost\x00.evil:8000", None),
        ("user@localhost:8000", None),
        ("localhost.:8000", None),
        ("-localhost:8000", None),
        ("l%6fcalhost:8000", None),
        ("locаlhost:8000", None),  # a Cyrillic "а"
        ("a" * 300 + ":8000", None),
    ],
)
def test_split_host(value, expected):
    assert split_host(value) == expected


@pytest.mark.parametrize(
    "listening, header",
    [
        (LOOPBACK, "127.0.0.1:8000"),
        (LOOPBACK, "localhost:8000"),
        (LOOPBACK, "LOCALHOST:8000"),
        (LOOPBACK6, "[::1]:8000"),
        (LOOPBACK6, "[0:0:0:0:0:0:0:1]:8000"),
        (LOOPBACK6, "localhost:8000"),
        (LOCALHOST, "localhost:8000"),
        (LOCALHOST, "127.0.0.1:8000"),
        (EVERY_IPV4, "192.168.1.20:8000"),
        (EVERY_IPV4, "127.0.0.1:8000"),
        (EVERY_IPV4, "0.0.0.0:8000"),
        (EVERY_IPV4, "localhost:8000"),
        (EVERY_ADDRESS, "[fe80::1]:8000"),
        (EVERY_ADDRESS, "10.0.0.5:8000"),
        (NAMED, "devbox.lan:8000"),
        (NAMED, "192.168.1.20:8000"),
        (Listening("127.0.0.1", "127.0.0.1", 80), "127.0.0.1"),  # browsers leave out port 80
        (Listening("127.0.0.1", "127.0.0.1", 80), "localhost:80"),
    ],
)
def test_the_names_the_preview_is_known_by_are_accepted(listening, header):
    assert accepted_host(header, listening)


@pytest.mark.parametrize(
    "listening, header",
    [
        (LOOPBACK, None),  # no Host at all
        (LOOPBACK, ""),
        (LOOPBACK, "evil.example:8000"),  # DNS rebinding: the attacker's name, our address
        (LOOPBACK, "evil.example"),
        (LOOPBACK, "localhost.evil.example:8000"),
        (LOOPBACK, "127.0.0.1.evil.example:8000"),
        (LOOPBACK, "sub.localhost:8000"),
        (LOOPBACK, "127.0.0.1:8001"),  # another port: another server's origin
        (LOOPBACK, "127.0.0.1"),  # port 80 implied
        (LOOPBACK, "localhost"),
        (LOOPBACK, "[::1]:8000"),  # not listening there
        (LOOPBACK, "127.0.0.2:8000"),
        (LOOPBACK, "0.0.0.0:8000"),
        (LOOPBACK, "2130706433:8000"),  # 127.0.0.1 as one number
        (LOOPBACK, "127.0.0.1:8000, evil.example"),
        (LOOPBACK6, "127.0.0.1:8000"),
        (EVERY_IPV4, "evil.example:8000"),
        (EVERY_IPV4, "[::1]:8000"),  # 0.0.0.0 is IPv4 only
        (EVERY_IPV4, "192.168.1.20:9000"),
        (EVERY_ADDRESS, "evil.example:8000"),
        (NAMED, "evil.example:8000"),
        (NAMED, "127.0.0.1:8000"),
    ],
)
def test_every_other_name_is_refused(listening, header):
    assert not accepted_host(header, listening)


def test_the_url_to_use_instead():
    assert LOOPBACK.url() == "http://127.0.0.1:8000/"
    assert LOOPBACK6.url() == "http://[::1]:8000/"
