"""A small project folder on disk with the repository's templates and static files, and
articles written from a few fields."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from support import REPO

SITE_TOML = """\
title = "Test Wire"
description = "A test site."
base_url = "{base_url}"
language = "en"
timezone = "Europe/Zurich"
page_size = {page_size}

[[topics]]
title = "AI"
slug = "ai"
description = "Artificial intelligence."
keywords = ["ai"]

[[topics]]
title = "Energy"
slug = "energy"
description = "Batteries and grids."
keywords = ["battery"]
"""


def article(title="A Story", date="2021-03-04", topics="[AI]", body="Body text.", **fields) -> str:
    lines = ["---", f"title: {title}", f"date: {date}", f"topics: {topics}"]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    lines += ["---", textwrap.dedent(body).strip(), ""]
    return "\n".join(lines)


class SiteDir:
    """A project folder with the repo's templates and static files and given articles."""

    def __init__(self, root: Path, base_url: str = "https://example.org/", page_size: int = 20):
        self.root = root
        shutil.copytree(REPO / "templates", root / "templates")
        shutil.copytree(REPO / "static", root / "static")
        (root / "content").mkdir()
        self.write_config(base_url=base_url, page_size=page_size)

    def write_config(self, **values) -> None:
        values = {"base_url": "https://example.org/", "page_size": 20} | values
        (self.root / "site.toml").write_text(SITE_TOML.format(**values), encoding="utf-8")

    def add(self, name: str, text: str | bytes) -> Path:
        path = self.root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    @property
    def public(self) -> Path:
        return self.root / "public"

    def page(self, route: str) -> str:
        target = self.public / route
        if route == "" or route.endswith("/"):
            target = target / "index.html"
        return target.read_text(encoding="utf-8")
