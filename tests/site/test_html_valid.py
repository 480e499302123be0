"""Every generated page passes the Nu HTML validator (vnu.jar) with no errors.

One validator run per site, over all of its HTML files at once: Java starts once.
"""

from __future__ import annotations

import json
import subprocess

import pytest
from support.browser import BuiltSite, generated_site, shipped_site, vnu_command


def validation_errors(site: BuiltSite) -> list[str]:
    files = site.html_files()
    assert files, f"no HTML files in {site.public}"
    result = subprocess.run(
        [*vnu_command(), "--errors-only", "--format", "json", "--skip-non-html", str(site.public)],
        capture_output=True, text=True, timeout=300,
    )
    messages = json.loads(result.stderr)["messages"] if result.stderr.strip() else []
    errors = [
        f"{m.get('url', '?').removeprefix('file:' + str(site.public))}:{m.get('lastLine', '?')}: "
        f"{m['message']}\n    {m.get('extract', '').strip()}"
        for m in messages if m["type"] != "info"  # "error" and "non-document-error" (could not read)
    ]
    if result.returncode != 0 and not errors:
        errors.append(f"vnu exited with {result.returncode}: {result.stderr[-2000:]}")
    return errors


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
