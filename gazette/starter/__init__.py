"""`gazette init DIR`: a new archive in an empty folder (site.toml, a welcome article, an About
page, the GitHub workflows, a .gitignore and a README for its editors). It never overwrites:
in a folder that holds anything, it says what it would have written and writes nothing.

The files are in `files/`, with `$name` placeholders. The deploy workflow is the one Gazette's
own repository runs (`files/github/workflows/pages.yml` links to it), with the few lines that
install and run Gazette from a checkout replaced by their installed forms."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from string import Template

from gazette import __version__
from gazette.errors import GazetteError, Problem
from gazette.model.config import SettingError, base_url, single_line, time_zone

DISTRIBUTION = "gazette-ssg"  # Gazette's name on PyPI
# Where a file of files/ goes in the new archive (dot-files are not package data).
DESTINATIONS = {"gitignore": ".gitignore", "github": ".github"}
# The deploy workflow as Gazette's repository runs it -> as an installed archive runs it.
WORKFLOW_EDITS = (
    ("          cache: pip\n          cache-dependency-path: pyproject.toml\n", ""),
    # The cache is Gazette's: keyed by its version, and the site's own templates.
    ("gazette-${{ hashFiles('pyproject.toml', 'gazette/**', 'templates/**') }}",
     f"gazette-{__version__}-${{{{ hashFiles('site.toml', 'templates/**') }}}}"),
    ("            gazette-\n", f"            gazette-{__version__}-\n"),
    ("run: python -m pip install .", "run: python -m pip install $requirement"),
    ("python build.py build", "gazette build"),
    ("python build.py check", "gazette check"),
)


@dataclass(frozen=True)
class NewSite:
    title: str = "News Archive"
    base_url: str = "https://example.org/"
    timezone: str = "UTC"


def starter_files() -> dict[str, Path]:
    """Each file of the starter by its place in the new archive (".github/workflows/pages.yml")."""
    root = Path(str(resources.files(__package__) / "files"))
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            parts = path.relative_to(root).parts
            found["/".join((DESTINATIONS.get(parts[0], parts[0]), *parts[1:]))] = path
    return found


def adapt_workflow(text: str) -> str:
    """The repository's deploy workflow as an archive with Gazette installed from PyPI runs it."""
    for old, new in WORKFLOW_EDITS:
        if old not in text:
            raise AssertionError(f"the deploy workflow no longer has {old!r}: update gazette.starter.WORKFLOW_EDITS")
        text = text.replace(old, new)
    return text


def render_files(site: NewSite, now: datetime) -> dict[str, str]:
    """The text of every file `init` writes, by its path in the archive."""
    values = {
        # TOML basic strings take JSON's escapes.
        "title": json.dumps(site.title, ensure_ascii=False),
        "base_url": json.dumps(site.base_url),
        "timezone": json.dumps(site.timezone),
        "date": now.replace(second=0, microsecond=0).isoformat(),
        "requirement": f"'{DISTRIBUTION}=={__version__}'",
    }
    texts = {}
    for name, path in starter_files().items():
        text = path.read_text(encoding="utf-8")
        if name == ".github/workflows/pages.yml":
            text = adapt_workflow(text).replace("$requirement", values["requirement"])
        elif name == "README.md":
            text = Template(text).safe_substitute(values, title=site.title)
        else:
            text = Template(text).safe_substitute(values)
        texts[name] = text
    return texts


def checked(site: NewSite) -> NewSite:
    problems = []
    for option, value, check in (("--title", site.title, single_line), ("--base-url", site.base_url, base_url),
                                 ("--timezone", site.timezone, time_zone)):
        try:
            check(value)
        except SettingError as exc:
            problems.append(Problem(option, str(exc)))
    if problems:
        raise GazetteError(problems)
    return NewSite(site.title.strip() or NewSite.title, base_url(site.base_url), site.timezone)


def init_site(folder: Path, site: NewSite, now: datetime | None = None) -> list[Path]:
    """Write a new archive into `folder` (made if missing) and return the files written."""
    site = checked(site)
    now = now or datetime.now(time_zone(site.timezone))
    texts = render_files(site, now.astimezone(time_zone(site.timezone)))
    if folder.exists() and not folder.is_dir():
        raise GazetteError(Problem(folder, "is a file; gazette init starts an archive in a new or empty folder"))
    if folder.is_dir() and any(folder.iterdir()):
        listing = ", ".join(sorted(texts))
        raise GazetteError(Problem(folder, f"is not empty, and gazette init never overwrites a file; it would have "
                                           f"written {listing}. Run it with a new or empty folder."))
    written = []
    for name, text in texts.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8") as file:  # "x": never over a file that appeared meanwhile
            file.write(text)
        written.append(target)
    return written
