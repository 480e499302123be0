"""Render planned pages through the Jinja2 templates in `templates/`."""

from __future__ import annotations

import json
import re
import traceback
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin

import jinja2
import markupsafe

from gazette.build.pages import Page
from gazette.errors import GazetteError, Problem
from gazette.model.site import Site
from gazette.model.urls import (
    Urls,
    archive_route,
    feed_route,
    search_route,
    topic_feed_route,
    topics_route,
)

NAV = (
    ("Latest", ""),
    ("Topics", topics_route()),
    ("Archive", archive_route()),
    ("Search", search_route()),
)


def long_date(value: datetime) -> str:
    return f"{value.day} {value:%B %Y}"


_LINK_ATTRIBUTE = re.compile(r'\b(href|src)="([^"]*)"')


def absolute_links(html: str, page_url: str) -> str:
    """Resolve every link in a fragment against its page, for feed readers that cannot."""
    return _LINK_ATTRIBUTE.sub(lambda m: f'{m.group(1)}="{urljoin(page_url, m.group(2))}"', html)


_ROOT_RELATIVE = re.compile(r'\b(href|src)="/(?!/)')


def rebase_links(html: str, base_path: str) -> str:
    """Links an editor writes from the site root ("/images/x.jpg", "/2021/03/story/") point
    under the base path, so they keep working when the site lives in a sub-folder."""
    if base_path == "/":
        return html
    return _ROOT_RELATIVE.sub(lambda m: f'{m.group(1)}="{base_path}', html)


def rebase_link(url: str, base_path: str) -> str:
    """One link as `rebase_links` writes it on the page."""
    return base_path + url[1:] if base_path != "/" and url.startswith("/") and not url.startswith("//") else url


def json_for_script(data: object) -> markupsafe.Markup:
    """JSON that cannot end its <script> element early, whatever the content holds."""
    text = json.dumps(data, ensure_ascii=False, indent=None, sort_keys=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return markupsafe.Markup(text)


def template_problem(exc: Exception, templates_dir: Path) -> Problem:
    """Point at the template file and line, whatever kind of Jinja error it is."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return Problem(exc.filename or exc.name or templates_dir, f"template error: {exc.message}", exc.lineno)
    if isinstance(exc, jinja2.TemplateNotFound):
        return Problem(templates_dir / exc.name, "template not found")
    # Jinja rewrites tracebacks so template frames carry the template's file and line.
    frames = [
        frame for frame in traceback.extract_tb(exc.__traceback__)
        if Path(frame.filename).resolve().is_relative_to(templates_dir.resolve())
    ]
    if frames:
        return Problem(frames[-1].filename, f"template error: {exc}", frames[-1].lineno)
    return Problem(templates_dir, f"template error: {exc}")


class PageRenderer:
    def __init__(self, templates_dir: Path, site: Site, urls: Urls, routes: set[str], bytecode_dir: Path | None = None):
        self.templates_dir = templates_dir
        bytecode_cache = None
        if bytecode_dir is not None:
            # Compiled templates, keyed by a hash of their source: compiling is most of a small rebuild.
            bytecode_dir.mkdir(parents=True, exist_ok=True)
            bytecode_cache = jinja2.FileSystemBytecodeCache(str(bytecode_dir))
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(templates_dir),
            bytecode_cache=bytecode_cache,
            # Everything from content is escaped in HTML and XML; robots.txt is plain text.
            autoescape=jinja2.select_autoescape(enabled_extensions=("html", "xml"), default=False),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["long_date"] = long_date
        self.env.filters["absolute_links"] = absolute_links
        # Returns plain text: the article template marks it safe, the feed escapes it.
        self.env.filters["rebase_links"] = lambda html: rebase_links(str(html), urls.base_path)
        self.env.filters["json_for_script"] = json_for_script
        self.env.globals.update(
            site=site.config,
            url=urls.href,
            absolute_url=urls.absolute,
            topics_route=topics_route,
            feed_route=feed_route,
            topic_feed_route=topic_feed_route,
            archive_route=archive_route,
            # Only sections this build has: a nav link never leads to a missing page.
            nav=[
                (label, route)
                for label, route in NAV
                if route in routes
            ],
        )

    def preload(self, names: set[str]) -> None:
        """Compile templates once, before worker processes fork and share them."""
        for name in sorted(names):
            try:
                self.env.get_template(name)
            except Exception as exc:  # noqa: BLE001 - reported with its file and line
                raise GazetteError(template_problem(exc, self.templates_dir)) from exc

    def render(self, page: Page) -> str:
        try:
            template = self.env.get_template(page.template)
            return template.render(page=page, **page.context)
        except Exception as exc:  # noqa: BLE001 - any template fault is reported, located
            raise GazetteError(template_problem(exc, self.templates_dir)) from exc
