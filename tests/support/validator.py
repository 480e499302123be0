"""The Nu HTML validator (vnu.jar) over a built site: one run for all of its files, Java starting once."""

from __future__ import annotations

import json
import subprocess

from support.browser import BuiltSite, vnu_command


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
