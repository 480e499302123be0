"""One site's project: where its files are, its configuration, and the code that builds it.

Made once, by the command line, from its folder and options, and handed to every command
(build, serve, check, import, new), so that the layout is known in one place.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

from gazette import __version__
from gazette.model.config import SiteConfig, load_config
from gazette.model.published import RECORD_FILE
from gazette.theme import Layers

CACHE_FILE = "gazette.sqlite"


@dataclass(frozen=True)
class Project:
    root: Path
    content: Path
    output: Path
    cache_dir: Path

    @classmethod
    def at(cls, root: Path = Path("."), content: Path | None = None, output: Path | None = None,
           cache_dir: Path | None = None) -> Project:
        """The project in `root`, with the usual folders unless given."""
        return cls(root, content or root / "content", output or root / "public", cache_dir or root / ".cache")

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def static(self) -> Path:
        return self.root / "static"

    @property
    def template_layers(self) -> Layers:
        """The site's templates/, then the bundled theme's: a site overrides it file by file."""
        return Layers.of(self.templates, "templates")

    @property
    def static_layers(self) -> Layers:
        return Layers.of(self.static, "static")

    @property
    def sources(self) -> Path:
        """Raw dumps that were imported, kept beside the content."""
        return self.root / "sources"

    @property
    def config_file(self) -> Path:
        return self.root / "site.toml"

    @property
    def published_file(self) -> Path:
        """The record of every URL the site has published (see `model.published`)."""
        return self.root / RECORD_FILE

    @property
    def cache_file(self) -> Path:
        return self.cache_dir / CACHE_FILE

    def config(self, base_url: str | None = None) -> SiteConfig:
        return load_config(self.config_file, base_url)

    @property
    def editor_paths(self) -> list[Path]:
        """What a build never writes to, and the output may neither hold nor sit inside."""
        return [self.content, self.templates, self.static, self.config_file, self.published_file, self.sources,
                self.cache_dir]

    @cached_property
    def code_digest(self) -> str:
        """A digest of Gazette's own code: a build made by other code (an edited filter, a
        new release, the same version number) must not reuse what this one cached."""
        return gazette_code_digest()


def gazette_code_digest() -> str:
    """The version and every source file of the package, by its name within the package."""
    digest = hashlib.sha1(__version__.encode())
    for name, file in sorted(_code_files(resources.files("gazette"), "")):
        digest.update(name.encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


# The bundled theme is an input of the build, fingerprinted file by file, not Gazette's code.
THEME_FOLDERS = ("theme/templates", "theme/static")


def _code_files(folder, prefix: str):
    for entry in folder.iterdir():
        if entry.is_dir() and entry.name != "__pycache__" and f"{prefix}{entry.name}" not in THEME_FOLDERS:
            yield from _code_files(entry, f"{prefix}{entry.name}/")
        elif entry.name.endswith((".py", ".js")):
            yield f"{prefix}{entry.name}", entry
