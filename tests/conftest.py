"""Shared fixtures: small sites on disk, built through the real pipeline."""

from __future__ import annotations

import pytest
from support.site import SiteDir


def pytest_addoption(parser):
    parser.addoption(
        "--regen-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current output instead of comparing against it",
    )


def pytest_collection_modifyitems(items):
    """Every test that drives Chromium (through a `browser` fixture, the modules' way of
    sharing one launched Chromium) is a `browser` test: `-m "not browser"` skips them."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def site(tmp_path) -> SiteDir:
    return SiteDir(tmp_path / "site")
