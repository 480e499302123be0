from pathlib import Path

import pytest

from gazette.config import load_config, normalize_base_url, parse_config
from gazette.errors import GazetteError

PATH = Path("site.toml")


def test_base_url_always_ends_with_one_slash():
    assert normalize_base_url("https://x.org/archive") == "https://x.org/archive/"
    assert normalize_base_url("https://x.org//") == "https://x.org/"
    assert normalize_base_url("") == "/"


def test_topics_are_keyed_by_slug_and_keywords_lowercased():
    config = parse_config({"title": "T", "topics": [{"title": "Artificial Intelligence", "keywords": ["OpenAI"]}]}, PATH)
    assert config.topic("artificial-intelligence").keywords == ("openai",)
    assert config.topic("missing") is None


def test_base_url_override_wins():
    config = parse_config({"title": "T", "base_url": "https://a.org/"}, PATH, "https://b.org/sub")
    assert config.base_url == "https://b.org/sub/"


@pytest.mark.parametrize(
    "raw, message",
    [
        ({}, "'title' must be str"),
        ({"title": "T", "timezone": "Mars/Olympus"}, "unknown timezone"),
        ({"title": "T", "page_size": 0}, "page_size"),
        ({"title": "T", "page_size": True}, "page_size"),
        ({"title": "T", "topics": [{"title": "A"}, {"title": "a"}]}, "defined twice"),
        ({"title": "T", "topics": [{"slug": "x"}]}, "needs a title"),
    ],
)
def test_bad_configuration_is_reported(raw, message):
    with pytest.raises(GazetteError, match=message):
        parse_config(raw, PATH)


def test_missing_and_malformed_files_are_reported(tmp_path):
    with pytest.raises(GazetteError, match="not found"):
        load_config(tmp_path / "site.toml")
    (tmp_path / "site.toml").write_text("title = \n")
    with pytest.raises(GazetteError, match="not valid TOML"):
        load_config(tmp_path / "site.toml")


def test_the_shipped_configuration_loads():
    config = load_config(Path(__file__).parent.parent / "site.toml")
    assert config.topic(config.fallback_topic) is not None
