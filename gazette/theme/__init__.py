"""The bundled theme: the templates and static files a site uses where it has none of its own.

In a checkout of Gazette, `templates/` and `static/` here are links to the repository's
top-level folders (one copy); a wheel carries them as files. A site's own `templates/` and
`static/` override the theme file by file (as MkDocs' `custom_dir`), through `Layers`."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path


def theme_folder(name: str) -> Path:
    """The bundled theme's `templates` or `static` folder."""
    return Path(str(resources.files(__package__) / name))


@dataclass(frozen=True)
class Layers:
    """Folders searched in order for a file: the site's own, then the theme's."""

    folders: tuple[Path, ...]

    @classmethod
    def of(cls, site_folder: Path, theme_name: str) -> Layers:
        return cls((site_folder, theme_folder(theme_name)))

    @property
    def existing(self) -> list[Path]:
        return [folder for folder in self.folders if folder.is_dir()]

    def find(self, name: str) -> Path:
        """Where `name` comes from: the first folder that has it (else where the site would put it)."""
        for folder in self.existing:
            if (folder / name).is_file():
                return folder / name
        return self.folders[0] / name

    def is_theme_file(self, name: str) -> bool:
        """Whether the site uses the theme's `name`: its own file, or a copy of it byte for byte."""
        used, theme = self.find(name), self.folders[-1] / name
        return used == theme or (used.is_file() and theme.is_file() and used.read_bytes() == theme.read_bytes())

    def files(self) -> dict[str, Path]:
        """Every file by its name within the folders ("css/site.css"), the site's own first."""
        found: dict[str, Path] = {}
        for folder in self.existing:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    found.setdefault(path.relative_to(folder).as_posix(), path)
        return dict(sorted(found.items()))
