"""The build record: `.gazette-build.json` in the output, written by every build.

It says which Gazette built the folder and with which options (base URL, drafts), so that
`check` judges the site against the base URL it was really built for, and it marks the
folder as Gazette's own: a build replaces only a folder that is empty, absent, or has this
record (see `output.claim_output_dir`). It holds no time or path, so the same sources give
the same bytes on every machine.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

RECORD_NAME = ".gazette-build.json"
GENERATOR = "Gazette"


@dataclass(frozen=True)
class BuildRecord:
    version: str
    base_url: str
    drafts: bool

    def to_bytes(self) -> bytes:
        return (json.dumps({"generator": GENERATOR, **asdict(self)}, indent=2, sort_keys=True) + "\n").encode()


def read_record(output: Path) -> BuildRecord | None:
    """The record of the build that made `output`; None if it has none (or an unreadable one:
    a build killed before it finished, or a folder from an older Gazette)."""
    try:
        data = json.loads((output / RECORD_NAME).read_bytes())
        return BuildRecord(str(data["version"]), str(data["base_url"]), bool(data["drafts"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
