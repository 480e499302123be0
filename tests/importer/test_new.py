import subprocess
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from support import REPO

from gazette.errors import GazetteError
from gazette.importer.new import create_article
from gazette.model.article import read_article
from gazette.model.config import SiteConfig, TopicConfig

CONFIG = SiteConfig("T", "/", timezone=ZoneInfo("Asia/Tokyo"), fallback_topic="tech",
                    topics=(TopicConfig("tech", "Tech"),))


def test_new_article_parses_with_its_title_topics_and_date(tmp_path):
    now = datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=ZoneInfo("UTC"))
    path = create_article('Robots: "Take" #1 [over]?', ["AI", "Space"], tmp_path, CONFIG, now)
    assert path == tmp_path / "2026" / "robots-take-1-over.md"
    article, warnings = read_article(path, path.read_bytes(), CONFIG)
    assert article.title == 'Robots: "Take" #1 [over]?'
    assert [t.title for t in article.topics] == ["AI", "Space"]
    assert article.date == now.replace(microsecond=0) and article.date.tzinfo == ZoneInfo("Asia/Tokyo")
    assert warnings == []


def test_without_topics_the_fallback_topic_is_used(tmp_path):
    path = create_article("Plain", [], tmp_path, CONFIG)
    article, _ = read_article(path, path.read_bytes(), CONFIG)
    assert [t.slug for t in article.topics] == ["tech"]


def test_refuses_to_overwrite(tmp_path):
    now = datetime(2026, 1, 2, tzinfo=ZoneInfo("UTC"))
    path = create_article("Same", [], tmp_path, CONFIG, now)
    path.write_text("edited by hand")
    with pytest.raises(GazetteError, match="already exists"):
        create_article("Same", [], tmp_path, CONFIG, now)
    assert path.read_text() == "edited by hand"


def test_new_from_the_command_line_prints_the_path_and_builds(site):
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "new", "Fresh Story", "--topic", "Energy"],
                            cwd=site.root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    path = site.root / result.stdout.strip()
    assert path.is_file() and path.parent.parent.name == "content"
    built = subprocess.run([sys.executable, str(REPO / "build.py")], cwd=site.root, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    assert list(site.public.glob("*/*/fresh-story/index.html"))
