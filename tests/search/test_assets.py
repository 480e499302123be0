"""What of Pagefind's output a site publishes (gazette/search/assets.py): Pagefind's script
and worker once, in the index the search page loads first, whichever index that is after
an edit."""

from __future__ import annotations

import json

import pytest
from support.browser import BASE_URL, chromium, serve
from support.site import SiteDir, article

from gazette.build.pipeline import BuildOptions, build
from gazette.project import Project
from gazette.search import assets
from gazette.search.assets import RUNTIME, trim_assets
from gazette.search.index import INDEX_FOLDER, MANIFEST_FILE


def indexes(site: SiteDir) -> list[str]:
    return json.loads((site.public / INDEX_FOLDER / MANIFEST_FILE).read_text())["indexes"]


def runtime_in(site: SiteDir) -> dict[str, list[str]]:
    """Index -> the runtime files it holds, in the manifest's order."""
    root = site.public / INDEX_FOLDER
    return {name: sorted(f for f in RUNTIME if (root / name / f).is_file()) for name in indexes(site)}


@pytest.fixture
def two_years(tmp_path) -> SiteDir:
    site = SiteDir(tmp_path / "site", base_url=BASE_URL)
    site.add("2020/old.md", article("Old", date="2020-05-01", body="Ancient zeppelin words."))
    site.add("2021/new.md", article("New", date="2021-05-01", body="Recent words."))
    build(BuildOptions(Project.at(site.root)))
    assert runtime_in(site) == {"2021": sorted(RUNTIME), "2020": []}
    return site


def test_when_the_first_index_goes_the_next_one_gets_the_runtime(two_years):
    """Deleting the newest year's stories makes a reused index, made when it came second,
    the first: it gets the runtime, and search still works."""
    site = two_years
    (site.root / "content/2021/new.md").unlink()
    build(BuildOptions(Project.at(site.root)))
    assert runtime_in(site) == {"2020": sorted(RUNTIME)}  # Old's "next story" went, its story stays: no recent/

    with chromium() as browser, serve(site.public) as url, browser.new_context() as context:
        from playwright.sync_api import expect

        page = context.new_page()
        page.goto(url + "search/")
        page.get_by_label("Words to find in articles").fill("zeppelin")
        expect(page.locator("#search-status")).to_contain_text("for “zeppelin”", timeout=10_000)
        assert page.locator("#search-results > li h2 a").all_inner_texts() == ["Old"]


def test_a_new_first_index_keeps_its_own_runtime_and_the_old_first_loses_it(two_years):
    site = two_years
    site.add("2022/newer.md", article("Newer", date="2022-02-01", body="Newer words."))
    build(BuildOptions(Project.at(site.root)))
    assert runtime_in(site) == {"2022": sorted(RUNTIME), "2021": [], "2020": []}


def test_with_no_index_made_anew_the_runtime_comes_from_the_live_sites_first_index(tmp_path):
    live, staging = tmp_path / "live", tmp_path / "staging"
    for root, names in ((live, ["a", "b"]), (staging, ["b"])):
        for name in names:
            (root / name).mkdir(parents=True)
            (root / name / "wasm.en.pagefind").write_bytes(b"wasm")
    for name in RUNTIME:
        (live / "a" / name).write_text(f"{name} of Pagefind")
    (live / MANIFEST_FILE).write_text(json.dumps({"indexes": ["a", "b"]}))
    trim_assets(staging, ["b"], live)
    assert {name: (staging / "b" / name).read_text() for name in RUNTIME} == {name: f"{name} of Pagefind" for name in RUNTIME}
    assert (staging / "b" / "wasm.en.pagefind").is_file()


def test_an_index_reused_as_it_was_is_not_trimmed_again(two_years, monkeypatch):
    """An edit indexes its page into recent/ and reuses both years' indexes: only recent/
    is looked through for what Pagefind wrote that the site does not publish."""
    site = two_years
    looked_through = []
    monkeypatch.setattr(assets, "unneeded_wasm", lambda folder: looked_through.append(folder.name) or [])
    site.add("2020/old.md", article("Old", date="2020-05-01", body="Ancient zeppelin words, corrected."))
    build(BuildOptions(Project.at(site.root)))
    assert looked_through == ["recent"]
    assert runtime_in(site) == {"2021": sorted(RUNTIME), "2020": [], "recent": []}
