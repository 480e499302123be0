"""Every generated page passes the Nu HTML validator (vnu.jar) with no errors.

One validator run per site, over all of its HTML files at once: Java starts once.
"""

from __future__ import annotations

import pytest
from support.browser import BuiltSite, generated_site, shipped_site
from support.validator import validation_errors


@pytest.mark.parametrize("which", ["shipped", "generated"])
def test_every_page_is_valid_html(which):
    site = shipped_site() if which == "shipped" else generated_site()
    errors = validation_errors(site)
    assert not errors, f"{len(errors)} validator errors:\n" + "\n".join(errors[:40])


def test_the_validator_catches_an_error(tmp_path):
    """A guard on the guard: a broken page must produce errors, or the test above proves nothing."""
    (tmp_path / "index.html").write_text(
        "<!DOCTYPE html><html lang=en><title>x</title><p>a <div>b</span></div>", encoding="utf-8"
    )
    errors = validation_errors(BuiltSite(tmp_path, False))
    assert any("span" in error for error in errors), errors
