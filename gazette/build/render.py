"""Render planned pages through the Jinja2 templates in `templates/`."""

from __future__ import annotations

import functools
import hashlib
import json
import re
import traceback
import unicodedata
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from html import escape as html_escape
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin

import jinja2
import jinja2.meta
import markupsafe

from gazette.build.cache_file import CacheCorrupt
from gazette.build.embeds import cards_as_links
from gazette.build.headings import without_page_aids
from gazette.build.pages import Page, SitemapUrl
from gazette.build.policy import content_security_policy, embed_origins
from gazette.build.wording import Wording
from gazette.errors import DiskError, GazetteError, Problem, writing
from gazette.images.markup import picture_html, responsive_body
from gazette.model.config import MenuItem, SiteConfig
from gazette.model.site import PlainPageEntry, Teaser
from gazette.model.urls import (
    Urls,
    archive_route,
    authors_route,
    corrections_feed_route,
    corrections_route,
    feed_route,
    search_route,
    tags_route,
    topic_feed_route,
    topics_route,
)
from gazette.theme import Layers

if TYPE_CHECKING:
    from gazette.build.fragments import KeptFragments

# The menu of a site.toml without [[menu]]: each item only where the build has its page.
DEFAULT_MENU = (
    ("Latest", ""),
    ("Topics", topics_route()),
    ("Archive", archive_route()),
    ("Search", search_route()),
)


@dataclass(frozen=True)
class MenuLink:
    title: str
    href: str
    route: str | None  # the site page it leads to, which it marks as current; None: another site


def menu_routes(routes: Collection[str]) -> frozenset[str]:
    """Of a site's page routes, those the default menu may link to (see `site_menu`)."""
    return frozenset(route for _, route in DEFAULT_MENU if route in routes)


def site_menu(config: SiteConfig, words: Wording, urls: Urls, routes: Collection[str]) -> list[MenuLink]:
    """The menu every page shows: site.toml's [[menu]], or the default one in the site's
    language, less what this build has no page for."""
    items = config.menu if config.menu is not None else [
        MenuItem(words.gettext(title), route) for title, route in DEFAULT_MENU if route in routes]
    return [MenuLink(item.title, item.url, None) if item.external else MenuLink(item.title, urls.href(item.url), item.url)
            for item in items]


def is_current(link: MenuLink, route: str) -> bool:
    """Whether a menu link is the page's own or its section's ("Topics" on a topic's page);
    the home link is current on the home page and its numbered pages only."""
    if link.route is None:
        return False
    target = link.route.split("#")[0]
    if target == "":
        return route == "" or route.startswith("page/")
    return route == target or route.startswith(target) and target.endswith("/")


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
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))  # no spaces: it is on every page
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return markupsafe.Markup(text)


def xml_cdata(text: str) -> markupsafe.Markup:
    """`text` as one XML CDATA section: HTML in a feed as it is, where escaping each <, > and &
    made a feed of full stories 7% longer. A "]]>" in the text is split across two sections."""
    return markupsafe.Markup("<![CDATA[" + str(text).replace("]]>", "]]]]><![CDATA[>") + "]]>")


def sitemap_urls(urls: Sequence[SitemapUrl], absolute: Callable[[str], str]) -> markupsafe.Markup:
    """A sitemap's `<url>` elements, a line each, as the loop of a template would write them:
    written here, since through a template's loop its 30,000 addresses at 100,000 articles took
    0.1 s of each new article. The addresses are escaped as one string: each alone, as a
    template does, took most of that time again."""
    locs = str(markupsafe.escape("\0".join(absolute(url.route) for url in urls))).split("\0")
    if len(locs) != len(urls):  # a NUL in an address: not one a site has, but each is escaped then
        locs = [str(markupsafe.escape(absolute(url.route))) for url in urls]
    return markupsafe.Markup("".join(
        f"  <url><loc>{loc}</loc><lastmod>{url.lastmod}</lastmod></url>\n" if url.lastmod else f"  <url><loc>{loc}</loc></url>\n"
        for loc, url in zip(locs, urls)))


def group_by_initial(indexes) -> list[tuple[str, list]]:
    """Terms (sorted by title) under their first letter, accents set aside ("Émile" under E);
    those that start with no letter under "#"."""
    groups: dict[str, list] = {}
    for index in indexes:
        first = unicodedata.normalize("NFKD", index.term.title[:1])[:1].upper()
        groups.setdefault(first if first.isalpha() else "#", []).append(index)
    return sorted(groups.items(), key=lambda group: (group[0] != "#", group[0]))


def person_ld(author, urls: Urls) -> dict:
    person = {"@type": "Person", "name": author.name, "url": urls.absolute(author.route)}
    if author.url:
        person["sameAs"] = author.url
    return person


def correction_ld(correction) -> dict:
    return {"@type": "CorrectionComment", "text": correction.text, "datePublished": correction.date.isoformat()}


def template_problem(exc: Exception, templates: Layers) -> Problem:
    """Point at the template file (the site's or the theme's) and line, whatever kind of
    Jinja error it is."""
    site_folder = templates.folders[0]
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return Problem(exc.filename or exc.name or site_folder, f"template error: {exc.message}", exc.lineno)
    if isinstance(exc, jinja2.TemplateNotFound):
        return Problem(site_folder / exc.name, "template not found")
    # Jinja rewrites tracebacks so template frames carry the template's file and line.
    folders = [folder.resolve() for folder in templates.existing]
    frames = [
        frame for frame in traceback.extract_tb(exc.__traceback__)
        if any(Path(frame.filename).resolve().is_relative_to(folder) for folder in folders)
    ]
    if frames:
        return Problem(frames[-1].filename, f"template error: {exc}", frames[-1].lineno)
    return Problem(site_folder, f"template error: {exc}")


class BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates in the build cache's folder. A disk that cannot hold them fails the
    build, named: Jinja's own error would name no file, and the page would take the blame."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            with writing(self.directory):
                super().dump_bytecode(bucket)
        except OSError as exc:
            raise DiskError.of(exc) from exc


MACROS = "_macros.html"


class PageRenderer:
    def __init__(self, templates: Layers, config: SiteConfig, plain_pages: Sequence[PlainPageEntry], urls: Urls,
                 routes: Collection[str], bytecode_dir: Path | None = None, fragments: KeptFragments | None = None):
        """`routes`: of the site's pages, for the default menu (at least those `menu_routes` keeps).
        `fragments`: what `once` made in earlier builds from the same plan (a build in place)."""
        self.templates = templates
        self.fragments = fragments
        bytecode_cache = None
        if bytecode_dir is not None:
            # Compiled templates, keyed by a hash of their source: compiling is most of a small rebuild.
            bytecode_dir.mkdir(parents=True, exist_ok=True)
            bytecode_cache = BytecodeCache(str(bytecode_dir))
        words = Wording(config.language)
        self.env = jinja2.Environment(
            extensions=["jinja2.ext.i18n"],
            # The site's own templates first, then the bundled theme's: overrides file by file.
            loader=jinja2.FileSystemLoader([str(folder) for folder in templates.existing]),
            bytecode_cache=bytecode_cache,
            # Everything from content is escaped in HTML and XML; robots.txt is plain text.
            autoescape=jinja2.select_autoescape(enabled_extensions=("html", "xml"), default=False),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.install_gettext_callables(words.gettext, words.ngettext, newstyle=True)
        self.env.filters["long_date"] = words.long_date
        self.env.filters["month_name"] = words.month
        self.env.filters["month_year"] = words.month_year
        self.env.filters["absolute_links"] = absolute_links
        # As `absolute_url`, for a site's own sitemap template that loops over its addresses (the
        # bundled one uses `sitemap_urls`): a filter is called directly, a global function
        # through the template's context (twice the time of the whole line).
        self.env.filters["absolute"] = urls.absolute
        self.env.filters["sitemap_urls"] = functools.partial(sitemap_urls, absolute=urls.absolute)
        self.env.filters["for_feeds"] = lambda html: cards_as_links(without_page_aids(str(html)))
        self.env.filters["xml_cdata"] = xml_cdata
        # What feeds used before xml_cdata: a site's own copy of _macros.html may still call it.
        self.env.filters["xml_text"] = lambda text: markupsafe.Markup(html_escape(str(text), quote=False))
        # Returns plain text: the article template marks it safe, the feed escapes it.
        self.env.filters["rebase_links"] = lambda html: rebase_links(str(html), urls.base_path)
        self.env.filters["responsive_images"] = lambda html, pictures: responsive_body(
            str(html), pictures.by_name() if pictures else {}, urls.href)
        self.env.filters["json_for_script"] = json_for_script
        self.env.filters["embed_origins"] = embed_origins
        self.env.filters["join_names"] = lambda items: markupsafe.Markup(words.join([str(markupsafe.escape(i)) for i in items]))
        self.env.filters["groupby_initial"] = group_by_initial
        self.env.filters["person_ld"] = lambda author: person_ld(author, urls)
        self.env.filters["correction_ld"] = correction_ld
        self.env.globals.update(
            site=config,
            url=urls.href,
            absolute_url=urls.absolute,
            topics_route=topics_route,
            feed_route=feed_route,
            topic_feed_route=topic_feed_route,
            archive_route=archive_route,
            tags_route=tags_route,
            authors_route=authors_route,
            corrections_route=corrections_route,
            corrections_feed_route=corrections_feed_route,
            menu=site_menu(config, words, urls, routes),
            # Every plain page (About...) is linked from the footer, whatever the menu holds.
            footer_pages=[(plain.page.title, plain.page.route) for plain in plain_pages],
            is_current=is_current,
            # Its quotes stay as they are (it goes in a double-quoted attribute): a third of its bytes.
            csp=lambda *args, **kwargs: markupsafe.Markup(
                str(markupsafe.escape(content_security_policy(*args, **kwargs))).replace("&#39;", "'")),
            picture=lambda image, alt, lead=False: markupsafe.Markup(picture_html(image, alt, urls.href, lead=lead)),
            search_words=words.search_words(),
            once=self._once,
        )
        self._made_once: dict[tuple, tuple[object, markupsafe.Markup]] = {}

    def _once(self, macro: str, entry: object, *args: object) -> markupsafe.Markup:
        """What the macro `macro` of _macros.html makes for `entry` (and `args`), made once a
        build (once a worker): an article's card shows on about nine lists (home, its topics,
        tags and month) and its feed entry in as many feeds. A template that calls it depends
        on _macros.html (see `template_digests`), so editing the macros renders its pages again."""
        kept = entry.entry if isinstance(entry, Teaser) else entry  # a list's teaser is made anew, its entry is not
        key = (macro, id(kept), *args)
        known = self._made_once.get(key)
        if known is None:
            lasting = self.fragments.key(macro, entry, args) if self.fragments is not None else None
            made = self.fragments.get(lasting) if lasting is not None else None
            if made is None:
                made = getattr(self.env.get_template(MACROS).module, macro)(entry, *args)
                if lasting is not None:
                    self.fragments.add(lasting, made)
            known = self._made_once[key] = (kept, markupsafe.Markup(made))  # kept, it keeps its id
        return known[1]

    def keep_fragments(self) -> None:
        """Keep what `once` made in this process for the next build in place (see gazette.build.fragments)."""
        if self.fragments is not None:
            self.fragments.keep()

    def preload(self, names: set[str]) -> None:
        """Compile templates once, before worker processes fork and share them."""
        for name in sorted(names):
            try:
                self.env.get_template(name)
            except (GazetteError, CacheCorrupt):  # a disk fault or a damaged cache: not the template's
                raise
            except Exception as exc:  # noqa: BLE001 - reported with its file and line
                raise GazetteError(template_problem(exc, self.templates)) from exc

    def template_digests(self, names: set[str], references: dict[str, tuple] | None = None) -> dict[str, str]:
        """Each template's digest, over its own bytes and those of every template it
        extends, includes or imports, wherever each comes from (site or theme). A template
        that names another only at run time depends on all of them.

        `references` maps a digest of a template's text to the templates it names (None for
        one named at run time), as parsing found them: a build parses only the templates whose
        text it has not seen. It is left holding the texts of this call only."""
        references = {} if references is None else references
        sources: dict[str, tuple[str, str]] = {}

        def source(name: str) -> tuple[str, str]:
            if name not in sources:
                text, filename, _ = self.env.loader.get_source(self.env, name)
                sources[name] = (text, filename)
            return sources[name]

        seen_keys: set[str] = set()
        parser_kind = f"{jinja2.__version__}\x1f{sorted(self.env.extensions)}\x1f"

        def referenced(name: str) -> tuple:
            text = source(name)[0]
            key = hashlib.sha1((parser_kind + text).encode("utf-8", "surrogatepass")).hexdigest()
            seen_keys.add(key)
            if key not in references:
                references[key] = tuple(jinja2.meta.find_referenced_templates(self.env.parse(text)))
            return references[key]

        def closure(name: str) -> set[str] | None:
            seen, todo = set(), [name]
            while todo:
                current = todo.pop()
                if current in seen:
                    continue
                seen.add(current)
                try:
                    names_used = referenced(current)
                except (jinja2.TemplateError, OSError):
                    return None  # reported when it is rendered
                if None in names_used:
                    return None
                todo += names_used
                if "once(" in source(current)[0]:  # what `once` makes comes from the macros' file
                    todo.append(MACROS)
            return seen

        everything = sorted(self.env.list_templates())
        digests = {}
        for name in sorted(names):
            uses = closure(name)
            parts = []
            for used in sorted(uses) if uses is not None else everything:
                try:
                    text, filename = source(used)
                except (jinja2.TemplateError, OSError):
                    continue
                parts += [used, filename, text]
            digests[name] = hashlib.sha1("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
        for key in set(references) - seen_keys:  # templates edited since: their old texts
            del references[key]
        return digests

    def render(self, page: Page) -> str:
        try:
            template = self.env.get_template(page.template)
            return template.render(page=page, **page.context)
        except (GazetteError, CacheCorrupt):  # a disk fault or a damaged cache: not the template's
            raise
        except Exception as exc:  # noqa: BLE001 - any template fault is reported, located
            raise GazetteError(template_problem(exc, self.templates)) from exc
