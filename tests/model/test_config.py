import os
import re
from pathlib import Path

import pytest
from support import REPO

from gazette.errors import GazetteError
from gazette.model.config import (
    SETTINGS,
    SiteConfig,
    load_config,
    normalize_base_url,
    parse_config,
)

PATH = Path("site.toml")
MINIMAL = {"title": "T", "base_url": "https://example.org/"}


def test_base_url_always_ends_with_one_slash():
    assert normalize_base_url("https://x.org/archive") == "https://x.org/archive/"
    assert normalize_base_url("https://x.org//") == "https://x.org/"
    assert normalize_base_url("") == "/"


def test_topics_are_keyed_by_slug_and_keywords_lowercased():
    config = parse_config(MINIMAL | {"topics": [{"title": "Artificial Intelligence", "keywords": ["OpenAI"]}]}, PATH)
    assert config.topic("artificial-intelligence").keywords == ("openai",)
    assert config.topic("missing") is None


def test_base_url_override_wins():
    config = parse_config({"title": "T", "base_url": "https://a.org/"}, PATH, "https://b.org/sub")
    assert config.base_url == "https://b.org/sub/"


@pytest.mark.parametrize(
    "raw, message",
    [
        ({"title": None}, "'title' is required"),  # None: the key is left out
        ({"base_url": None}, "'base_url' is required"),
        ({"timezone": "Mars/Olympus"}, "unknown timezone 'Mars/Olympus'"),
        ({"page_size": 0}, "'page_size' must be at least 1"),
        ({"page_size": True}, "'page_size' must be a whole number, not 'true'"),
        ({"topics": [{"title": "A"}, {"title": "a"}]}, "defined twice"),
        ({"topics": [{"slug": "x"}]}, "needs a title"),
        ({"topics": [{"title": "Five", "slug": 5}]}, "topic #1: 'slug' must be text, not '5'"),
        ({"topics": [{"title": "!!!"}]}, "topic #1: '!!!' has no letters or digits"),
        ({"topics": "ai"}, "'topics' must be"),
        ({"topics": [{"title": "t" * 300}]}, "is too long to make a URL from"),
        ({"base_url": "example.org/news/"}, "is not a web address"),
        ({"base_url": "/news/"}, "is not a web address"),
        ({"base_url": "javascript:alert(1)//"}, "is not a web address"),
        ({"base_url": "ftp://example.org/"}, "is not a web address"),
        ({"base_url": "https://example.org/?utm=1"}, "may not have a query"),
        ({"base_url": "https://example.org/#top"}, "may not have a query"),
        ({"base_url": "https://user:pw@example.org/"}, "is not a web address"),
        ({"base_url": "https://example.org/a b/"}, "percent-encode"),
        ({"base_url": "https://example.org:http/"}, "port"),
        ({"language": "en us"}, "'language' 'en us' is not a language tag"),
        ({"language": "english!"}, "is not a language tag"),
        ({"language": ""}, "is not a language tag"),
        ({"cname": "nachrichten.bücher.de"}, "write it as nachrichten.xn--bcher-kva.de"),
        ({"cname": "https://news.example.org/"}, "is not a host name"),
        ({"cname": "localhost"}, "is not a host name"),
        ({"title": "A\x1b[31mred"}, "'title' may not hold control characters"),
        ({"markdown_time_limit": 0}, "'markdown_time_limit' must be at least 0.1"),
        ({"markdown_time_limit": "5s"}, "'markdown_time_limit' must be a whole number or a number"),
        ({"fallback_topic": 3}, "'fallback_topic' must be text"),
    ],
)
def test_bad_configuration_is_reported(raw, message):
    with pytest.raises(GazetteError, match=re.escape(message)):
        parse_config({k: v for k, v in (MINIMAL | raw).items() if v is not None}, PATH)


def test_every_problem_is_reported_at_once_with_its_line(tmp_path):
    path = tmp_path / "site.toml"
    path.write_text('title = "T"\nbase_url = "example.org"\nlanguage = "en us"\n\n[[topics]]\ntitle = "A"\n\n[[topics]]\ntitle = 7\n')
    with pytest.raises(GazetteError) as raised:
        load_config(path)
    assert [(p.line, p.message.split(" ")[0]) for p in raised.value.problems] == [
        (2, "'base_url'"), (3, "'language'"), (8, "topic")]


def test_unknown_keys_are_warnings_naming_the_line_and_the_likely_key(tmp_path):
    path = tmp_path / "site.toml"
    path.write_text('title = "T"\nbase_url = "https://example.org/"\npagesize = 5\ncolour = "red"\n\n'
                    '[[topics]]\ntitle = "A"\n\n[[topics]]\ntitle = "B"\nkeyword = ["b"]\n')
    config = load_config(path)
    assert [str(w) for w in config.warnings] == [
        f"{path}:3: warning: unknown key 'pagesize' (did you mean 'page_size'?)",
        f"{path}:4: warning: unknown key 'colour'",
        f"{path}:9: warning: unknown [[topics]] key 'keyword' (did you mean 'keywords'?)",
    ]
    assert config.page_size == 20


def test_an_override_of_the_base_url_is_checked_and_named():
    with pytest.raises(GazetteError, match="--base-url 'javascript:x' is not a web address"):
        parse_config(MINIMAL, PATH, "javascript:x")


def test_every_setting_has_a_field_and_the_dataclass_default():
    defaults = SiteConfig("T", "https://example.org/")
    for setting in SETTINGS:
        assert hasattr(defaults, setting.name)
    assert parse_config(MINIMAL, PATH) == defaults


def test_a_folder_as_site_toml_is_reported(tmp_path):
    (tmp_path / "site.toml").mkdir()
    with pytest.raises(GazetteError, match="is a folder"):
        load_config(tmp_path / "site.toml")


def test_missing_and_malformed_files_are_reported(tmp_path):
    with pytest.raises(GazetteError, match="not found"):
        load_config(tmp_path / "site.toml")
    (tmp_path / "site.toml").write_text("title = \n")
    with pytest.raises(GazetteError, match="not valid TOML"):
        load_config(tmp_path / "site.toml")


def test_the_shipped_configuration_loads():
    config = load_config(REPO / "site.toml")
    assert config.topic(config.fallback_topic) is not None


def test_a_named_pipe_as_site_toml_is_refused_without_waiting(tmp_path):
    os.mkfifo(tmp_path / "site.toml")
    with pytest.raises(GazetteError, match="is a named pipe"):
        load_config(tmp_path / "site.toml")
