"""Warnings about the site as configured, found when its pages are planned: a language Gazette
has no words for, a menu item that leads to no page of the site."""

from __future__ import annotations

from pathlib import Path

from gazette.build.catalog import CATALOGS
from gazette.build.pages import Page
from gazette.build.wording import Wording
from gazette.errors import Problem
from gazette.model.config import MenuItem, SiteConfig


def language_warnings(config_file: Path, config: SiteConfig) -> list[Problem]:
    if Wording(config.language).translated:
        return []
    return [Problem(config_file, f"warning: Gazette has no translation into {config.language!r} (it has {', '.join(sorted(CATALOGS))}): "
                                 f"menus and labels stay English; dates are formatted for {config.language!r}")]


def menu_warnings(config_file: Path, config: SiteConfig, pages: list[Page]) -> list[Problem]:
    """A menu item of site.toml that links to a page this site does not have."""
    routes = {page.route for page in pages}
    return [Problem(config_file, f"warning: the menu item {item.title!r} links to /{item.url}, which this site does not have")
            for item in config.menu or () if not item.external and menu_route(item) not in routes]


def menu_route(item: MenuItem) -> str | None:
    """The route of the site's page a menu item of site.toml links to (its anchor aside); None
    for a link elsewhere."""
    return None if item.external else item.url.split("#")[0]
