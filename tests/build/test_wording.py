"""The site speaks its `language`: every fixed string comes from the catalog, every language has
every message, and a German or French site has no English left on any page kind."""

import re
import shutil
from datetime import datetime, timezone
from html.parser import HTMLParser

import jinja2
import pytest
from support import REPO
from support.messages import all_messages, template_messages

from gazette.build.catalog import CATALOGS
from gazette.build.pipeline import BuildOptions, build
from gazette.build.wording import Wording
from gazette.project import Project

FIXTURE = REPO / "tests" / "fixtures" / "site"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def msgid(message) -> str:
    return message if isinstance(message, str) else message[0]


@pytest.mark.parametrize("language", sorted(CATALOGS))
def test_every_message_is_translated_with_the_same_placeholders(language):
    catalog = CATALOGS[language]
    messages = all_messages()
    assert len(messages) > 40
    missing = sorted(msgid(m) for m in messages if msgid(m) not in catalog)
    assert missing == []
    for message in messages:
        translation = catalog[msgid(message)]
        if isinstance(message, tuple):  # a plural: every form the language has
            assert isinstance(translation, dict), msgid(message)
            assert set(translation) >= {"one", "other"}, msgid(message)
            forms = translation.values()
        else:
            assert isinstance(translation, str), message
            forms = [translation]
        for form in forms:
            assert sorted(PLACEHOLDER.findall(form)) == sorted(PLACEHOLDER.findall(msgid(message))), (message, form)
    unused = sorted(set(catalog) - {msgid(m) for m in messages})
    assert unused == [], "translations of messages nothing shows any more"


def test_templates_hold_no_text_outside_the_catalog():
    """Literal words in a template (outside {{ }} and tags) or in an attribute a reader meets
    (aria-label, title, alt, placeholder) would stay English on every site."""
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    found = []
    for path in sorted((REPO / "templates").iterdir()):
        if path.name == "robots.txt":  # a protocol file, read by crawlers
            continue
        source = re.sub(r"{% block main_class %}.*?{% endblock %}", "", path.read_text(encoding="utf-8"))  # class names
        literal = "".join(value if kind == "data" else "\x00" for _line, kind, value in env.lex(source))
        for name, value in re.findall(r'\b(aria-label|title|alt|placeholder)="([^"\x00]*)"', literal):
            if re.search(r"[^\W\d_]", value):
                found.append(f"{path.name}: {name}={value!r}")
        text = re.sub(r"<[^>]*>", " ", literal)
        for word in re.findall(r"[^\W\d_]{2,}", text):
            if word != "Gazette":  # the feeds' generator is a name
                found.append(f"{path.name}: {word!r}")
    assert found == []
    assert template_messages()  # and the scan saw the messages


def test_plural_rules_and_dates_follow_the_language():
    when = datetime(2021, 3, 4, tzinfo=timezone.utc)
    english, german, french = Wording("en"), Wording("de"), Wording("fr")
    assert english.ngettext("%(num)d article", "%(num)d articles", 0) == "%(num)d articles"
    assert french.ngettext("%(num)d article", "%(num)d articles", 0) == "%(num)d article"  # French: 0 is singular
    assert french.ngettext("%(num)d article", "%(num)d articles", 2) == "%(num)d articles"
    assert (english.long_date(when), german.long_date(when), french.long_date(when)) == (
        "March 4, 2021", "4. März 2021", "4 mars 2021")
    assert german.month_year(when) == "März 2021" and german.join(["A", "B", "C"]) == "A, B und C"
    assert Wording("de-CH").gettext("Topics") == "Themen"
    assert not Wording("es").translated and Wording("es").gettext("Topics") == "Topics"


class _Reader(HTMLParser):
    """The text a reader meets on a page: text nodes and the attributes read aloud or shown."""

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self.lang = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag in ("script", "style"):
            self._skip += 1
        self.texts += [attrs[name] for name in ("aria-label", "title", "alt", "placeholder") if attrs.get(name)]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(data)


def english_fragments(language: str) -> set[str]:
    """The fixed parts of every message whose translation differs from its English, and the
    English month names."""
    catalog = CATALOGS[language]
    fragments = set()
    for message in all_messages():
        english = [msgid(message)] if isinstance(message, str) else list(message)
        translated = catalog[msgid(message)]
        translated = [translated] if isinstance(translated, str) else list(translated.values())
        for text in english:
            for part in PLACEHOLDER.split(text):
                part = part.strip(" ,.:→←“”")
                if len(part) > 3 and not any(part in form for form in translated):
                    fragments.add(part)
    return fragments | {"January", "March"}


@pytest.mark.parametrize("language", ["de", "fr"])
def test_no_english_string_is_left_on_any_page_kind(tmp_path, language):
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    shutil.copytree(REPO / "templates", project / "templates")
    shutil.copytree(REPO / "static", project / "static", dirs_exist_ok=True)
    config = project / "site.toml"
    config.write_text(config.read_text().replace('language = "en"', f'language = "{language}"'))
    # The menu is the site's own words: left out, the default one in the site's language is shown.
    config.write_text(config.read_text().split("[[menu]]")[0])
    # A URL retired on purpose: its page is one more kind.
    (project / "published-urls.txt").write_text("/2020/01/retracted/  content/2020/retracted.md  gone:Retracted.\n")
    build(BuildOptions(Project.at(project), now=datetime(2026, 6, 1, tzinfo=timezone.utc)))
    public = project / "public"
    content_words = "Fixture Wire|Bitcoin|Batteries|Energy|Crypto|Artificial|Researchers|After 1,500"
    fragments = english_fragments(language)
    pages = sorted(public.rglob("*.html"))
    kinds = {p.relative_to(public).parts[0] for p in pages}
    assert {"tags", "authors", "corrections", "topics", "archive", "about", "search", "2020", "2021", "404.html"} <= kinds
    leftovers = []
    for path in pages:
        reader = _Reader()
        reader.feed(path.read_text(encoding="utf-8"))
        assert reader.lang == language, path
        text = " ".join(reader.texts)
        text = re.sub(content_words, " ", text)
        leftovers += [f"{path.relative_to(public)}: {fragment!r}" for fragment in sorted(fragments)
                      if re.search(rf"\b{re.escape(fragment)}\b", text)]
    assert leftovers == []
