"""Helpers the tests share: a site folder (`site`), generated archives (`archive_gen`), a real
browser and the shipped site served (`browser`), a running preview (`preview`), the ways
editors save files (`editor_saves`), the search index read back (`search_index`), and the
deploy workflow run step by step (`workflow`)."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TESTS = REPO / "tests"
