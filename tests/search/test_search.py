"""Search (/search/): Pagefind indexes the article pages at build time, and the search page
finds them in a real browser, on a site served under a sub-path as on GitHub Pages."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.browser import BASE_URL, PREFIX, axe_source, chromium, serve
from support.search_index import records_in, searchable_records
from support.site import SiteDir, article

from gazette.build.pipeline import BuildOptions, build
from gazette.errors import GazetteError
from gazette.project import Project
from gazette.search.index import (
    INDEX_FOLDER,
    MANIFEST_FILE,
    PAGES_FOLDER,
    RECENT_FOLDER,
    Shard,
    index_site,
    month_of,
    pages_per_month,
    plan_shards,
)
from gazette.search.stories import same_story

# Words the site shows only in its navigation, footer and story furniture, never in an article.
NAVIGATION_WORDS = ["archive", "topics", "latest", "filed", "previous", "related", "wire"]
SHOW_MORE_COUNT = 12  # articles sharing one word: more than one screen of results (10)
ARTICLES = {
    "2021/vanadium.md": article(
        "Flow Batteries Get Cheaper", "2021-03-04T09:00:00+01:00", "[Energy]",
        body="Vanadium flow cells store power for hours. Utilities like their long life."),
    "2021/chips.md": article(
        "Chip Makers Add Capacity", "2021-05-10", "[AI]",
        body="Every semiconductor plant now runs flat out to feed the model trainers."),
    "2021/solar.md": article(
        "Solar Fabs Want Chips Too", "2021-06-01", "[Energy, AI]",
        body="A semiconductor shortage slows inverter deliveries to solar farms."),
    "2021/markup.md": article(
        "Angle Brackets & Ampersands", "2021-07-01", "[AI]",
        body="The page shows `<b>zanzibar</b>` as code, never as bold text."),
    **{
        f"2020/soup-{n:02d}.md": article(f"Soup Report {n}", f"2020-01-{n:02d}", "[AI]",
                                         body=f"Gazpacho number {n} is served cold.")
        for n in range(1, SHOW_MORE_COUNT + 1)
    },
}


@pytest.fixture(scope="module")
def search_site(tmp_path_factory) -> SiteDir:
    site = SiteDir(tmp_path_factory.mktemp("search") / "site", base_url=BASE_URL)
    for name, text in ARTICLES.items():
        site.add(name, text)
    # Tiny shards, so that the search page merges several, as on a big archive.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("gazette.search.index.SHARD_PAGES", 2)
        build(BuildOptions(Project.at(site.root)))
    assert manifest_of(site.public)["indexes"] == ["2021-07-09", "2021-04-06", "2021-01-03", "2020-01"]
    return site


def fragments(public: Path) -> list[dict]:
    """Every page record a search can return."""
    return searchable_records(public)


def article_routes(public: Path) -> set[str]:
    return {"/" + p.parent.relative_to(public).as_posix() + "/"
            for p in public.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html")}


# ---- the index, on disk -------------------------------------------------------------------

def test_index_holds_every_article_and_nothing_else(search_site):
    records = fragments(search_site.public)
    assert {r["url"] for r in records} == article_routes(search_site.public)
    assert len(records) == len(ARTICLES)
    shards = manifest_of(search_site.public)["indexes"]
    entries = [json.loads((search_site.public / INDEX_FOLDER / name / "pagefind-entry.json").read_text()) for name in shards]
    assert sum(language["page_count"] for entry in entries for language in entry["languages"].values()) == len(ARTICLES)


def test_only_the_first_index_carries_pagefinds_runtime(search_site):
    """The search page loads Pagefind's script and worker from the first index of the
    manifest only, and each index's wasm for its pages' language; the browser tests below
    search across every shard. No index keeps Pagefind's ready-made interfaces."""
    index = search_site.public / INDEX_FOLDER
    names = manifest_of(search_site.public)["indexes"]
    assert sorted(folder.name for folder in index.iterdir() if folder.is_dir()) == sorted(names)
    for position, name in enumerate(names):
        runtime = sorted(p.name for p in (index / name).iterdir() if p.suffix in {".js", ".pagefind"})
        expected = ["pagefind-worker.js", "pagefind.js"] if position == 0 else []
        assert runtime == expected + ["wasm.en.pagefind"], name


def months(year: int, *numbers: int) -> tuple[str, ...]:
    return tuple(f"{year}/{n:02d}" for n in numbers)


def test_a_small_year_is_one_shard_and_shards_come_newest_first(monkeypatch):
    monkeypatch.setattr("gazette.search.index.SHARD_PAGES", 10)
    assert plan_shards({"2020/01": 4, "2021/03": 5, "2021/11": 5}) == [
        Shard("2021", months(2021, *range(1, 13))), Shard("2020", months(2020, *range(1, 13)))]
    assert Shard("2021", months(2021, *range(1, 13))).glob() == "2021/**/*.html"


def test_a_big_year_splits_into_the_fewest_runs_of_months_that_fit(monkeypatch):
    monkeypatch.setattr("gazette.search.index.SHARD_PAGES", 10)
    halves = {f"2021/{n:02d}": 1 for n in range(1, 13)} | {"2021/01": 5}  # 10 then 6
    assert plan_shards(halves) == [Shard("2021-07-12", months(2021, *range(7, 13))),
                                   Shard("2021-01-06", months(2021, *range(1, 7)))]
    assert plan_shards(halves)[0].glob() == "2021/{07,08,09,10,11,12}/**/*.html"
    # Four months hold 11 > 10, three months fit; runs with no pages get no shard.
    quarters = {"2021/01": 6, "2021/04": 5, "2021/05": 5}
    assert [s.name for s in plan_shards(quarters)] == ["2021-04-06", "2021-01-03"]
    # A month over the limit alone is a shard of its own all the same.
    assert [s.name for s in plan_shards({"2021/02": 50, "2021/03": 1})] == ["2021-03", "2021-02"]


def test_only_article_text_is_indexed_with_its_headline_date_and_topics(search_site):
    records = {r["url"]: r for r in fragments(search_site.public)}
    for record in records.values():
        words = set(re.findall(r"[a-z]+", record["content"].lower()))
        assert not words & set(NAVIGATION_WORDS), f"{record['url']} indexes navigation: {words & set(NAVIGATION_WORDS)}"
    solar = next(r for url, r in records.items() if url.endswith("/solar/"))
    assert solar["meta"]["title"] == "Solar Fabs Want Chips Too"
    assert solar["meta"]["date"].startswith("2021-06-01T00:00:00")
    assert solar["meta"]["topic"] == "Energy"  # the primary topic
    assert sorted(solar["filters"]["topic"]) == ["AI", "Energy"]
    assert "semiconductor shortage" in solar["content"]


def article_pages(site_dir: Path) -> list[str]:
    """The article pages of a built site, as the build's OutputPlan lists them."""
    return sorted(p.relative_to(site_dir).as_posix() for p in site_dir.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"))


def test_reindexing_replaces_the_index_without_touching_hard_linked_copies(tmp_path):
    """The build indexes its staging folder, whose files may be hard links into the live site."""
    site = SiteDir(tmp_path / "site")
    site.add("2021/one.md", article("One", body="First words."))
    build(BuildOptions(Project.at(site.root)))
    index_site(site.public, pages_per_month(article_pages(site.public)))
    index = site.public / INDEX_FOLDER / "2021"
    live_copy = tmp_path / "live-entry.json"
    os.link(index / "pagefind-entry.json", live_copy)
    before = live_copy.read_bytes()
    (index / "fragment" / "left-over.pf_fragment").write_bytes(b"stale")

    site.add("2021/two.md", article("Two", date="2021-03-05", body="Second words."))
    build(BuildOptions(Project.at(site.root)))
    index_site(site.public, pages_per_month(article_pages(site.public)))

    assert live_copy.read_bytes() == before, "re-indexing wrote into a file shared with another folder"
    assert not (index / "fragment" / "left-over.pf_fragment").exists()
    assert len(fragments(site.public)) == 2


def test_a_site_without_articles_gets_no_index_and_its_search_page_says_so(tmp_path):
    """With no page marked for the index, Pagefind would index every page, navigation and all."""
    site = SiteDir(tmp_path / "site")
    site.add("2021/draft.md", article("Draft", draft="true"))
    build(BuildOptions(Project.at(site.root)))
    (site.public / INDEX_FOLDER).mkdir()  # an index from when there were articles
    index_site(site.public, pages_per_month(article_pages(site.public)))
    assert not (site.public / INDEX_FOLDER).exists()
    assert "There are no articles to search yet." in site.page("search/")
    assert "<form" not in site.page("search/")


def test_article_pages_that_mark_nothing_get_no_index(tmp_path):
    """Given no marked page, Pagefind would index every page, navigation and all."""
    site = SiteDir(tmp_path / "site")
    template = site.root / "templates/article.html"
    template.write_text(template.read_text().replace(" data-pagefind-body", ""))
    site.add("2021/one.md", article("One", body="First words."))
    build(BuildOptions(Project.at(site.root)))
    assert (site.public / "2021/03/one/index.html").is_file()
    assert not (site.public / INDEX_FOLDER).exists()


def no_binary() -> Path:
    raise FileNotFoundError("pagefind_bin/pagefind")


@pytest.mark.parametrize("how", ["no binary", "no package", "a named file that is not there"])
def test_missing_pagefind_is_reported_plainly(tmp_path, monkeypatch, how):
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    if how == "no binary":
        monkeypatch.setattr("pagefind_bin.get_executable", no_binary)
    elif how == "no package":
        for package in ("pagefind_bin", "pagefind_bin_extended"):
            monkeypatch.setitem(sys.modules, package, None)  # import fails
        monkeypatch.setenv("PATH", str(tmp_path))  # and no pagefind on PATH either
    else:
        monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "nowhere/pagefind"))
    (tmp_path / "2021/05/story").mkdir(parents=True)
    (tmp_path / "2021/05/story/index.html").write_text("<html><body><article data-pagefind-body>Words</article></body></html>")
    with pytest.raises(GazetteError) as raised:
        index_site(tmp_path, {"2021/05": 1})
    assert "Pagefind is not installed" in str(raised.value)
    assert "pip install" in str(raised.value)


def test_a_failing_pagefind_is_reported_with_its_message(tmp_path, monkeypatch):
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'Error: the disk is on fire' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))  # as Pagefind's own package honours it
    (tmp_path / "site/2021/05/story").mkdir(parents=True)
    (tmp_path / "site/2021/05/story/index.html").write_text("<html><body><article data-pagefind-body>Words</article></body></html>")
    with pytest.raises(GazetteError) as raised:
        index_site(tmp_path / "site", {"2021/05": 1})
    assert "Pagefind failed" in str(raised.value)
    assert "the disk is on fire" in str(raised.value)


# ---- the search page, in a browser --------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def site_url(search_site):
    with serve(search_site.public) as url:
        yield url


@pytest.fixture
def page(browser):
    with browser.new_context(viewport={"width": 1280, "height": 800}) as context:
        yield context.new_page()


def search_for(page, site_url: str, words: str):
    """Type `words` into the search page; wait for the outcome; return the result items."""
    from playwright.sync_api import expect

    if not page.url.startswith(site_url + "search/"):
        page.goto(site_url + "search/")
    page.get_by_label("Words to find in articles").fill(words)
    expect(page.locator("#search-status")).to_contain_text(f"for “{words}”", timeout=10_000)
    return page.locator("#search-results > li")


def test_a_word_from_one_body_finds_that_article(page, site_url):
    results = search_for(page, site_url, "vanadium")
    assert results.count() == 1
    result = results.first
    headline = result.locator("h2 a")
    assert headline.inner_text() == "Flow Batteries Get Cheaper"
    assert headline.get_attribute("href") == f"{PREFIX}2021/03/vanadium/"  # the file is 2021/vanadium.md
    assert result.locator("time").inner_text() == "March 4, 2021"  # as the article page shows it
    assert result.locator("time").get_attribute("datetime").startswith("2021-03-04T09:00:00")
    topic = result.locator(".kicker a")
    assert topic.text_content() == "Energy"
    assert topic.get_attribute("href") == f"{PREFIX}topics/energy/"
    assert result.locator(".search-excerpt mark").first.inner_text().lower() == "vanadium"
    assert "store power for hours" in result.locator(".search-excerpt").inner_text()
    assert page.locator("#search-status").inner_text() == "1 result for “vanadium”"
    headline.click()
    page.wait_for_url(site_url + "2021/03/vanadium/")
    assert page.locator("main h1").inner_text() == "Flow Batteries Get Cheaper"


def test_the_topic_filter_narrows_the_results_and_the_address_keeps_them(page, site_url):
    from playwright.sync_api import expect

    results = search_for(page, site_url, "semiconductor")
    assert sorted(results.locator("h2").all_inner_texts()) == ["Chip Makers Add Capacity", "Solar Fabs Want Chips Too"]
    page.get_by_label("Topic").select_option("Energy")
    expect(page.locator("#search-status")).to_have_text("1 result for “semiconductor” in Energy")
    assert results.locator("h2").all_inner_texts() == ["Solar Fabs Want Chips Too"]
    assert urlsplit(page.url).query == "q=semiconductor&topic=Energy"

    page.reload()  # a shared or bookmarked search opens with its results
    expect(page.locator("#search-status")).to_have_text("1 result for “semiconductor” in Energy", timeout=10_000)
    assert page.get_by_label("Words to find in articles").input_value() == "semiconductor"
    assert page.get_by_label("Topic").input_value() == "Energy"


def test_navigation_words_find_nothing(page, site_url):
    for word in NAVIGATION_WORDS:
        results = search_for(page, site_url, word)
        assert page.locator("#search-status").inner_text() == f"No results for “{word}”"
        assert results.count() == 0
    # And Pagefind itself, asked for the exact word in every index, has no page with any of them.
    found = page.evaluate("""async words => {
      const root = new URL(document.querySelector("form[data-index]").dataset.index, location.href);
      const manifest = await (await fetch(new URL("manifest.json", root))).json();
      const [primary, ...others] = manifest.indexes.map((name) => new URL(`${name}/`, root));
      const pagefind = await import(new URL("pagefind.js", primary).href);
      await pagefind.options({ basePath: primary.pathname });
      for (const index of others) await pagefind.mergeIndex(index.pathname);
      const counts = {};
      for (const word of words) counts[word] = (await pagefind.search(`"${word}"`)).results.length;
      return counts;
    }""", NAVIGATION_WORDS)
    assert found == {word: 0 for word in NAVIGATION_WORDS}


def test_article_text_that_looks_like_markup_stays_text(page, site_url):
    results = search_for(page, site_url, "zanzibar")
    excerpt = results.first.locator(".search-excerpt")
    assert "<b>zanzibar</b>" in excerpt.inner_text()
    assert excerpt.locator("b").count() == 0
    assert results.first.locator("h2").inner_text() == "Angle Brackets & Ampersands"


def test_show_more_adds_the_next_results_and_moves_focus_to_them(page, site_url):
    from playwright.sync_api import expect

    results = search_for(page, site_url, "gazpacho")
    assert page.locator("#search-status").inner_text() == f"{SHOW_MORE_COUNT} results for “gazpacho”"
    assert results.count() == 10
    page.get_by_role("button", name="Show more results").click()
    expect(results).to_have_count(SHOW_MORE_COUNT)
    assert page.evaluate("document.activeElement.textContent") == results.nth(10).locator("h2 a").inner_text()
    assert not page.get_by_role("button", name="Show more results").is_visible()


def test_a_missing_index_is_explained(browser, site_url):
    from playwright.sync_api import expect

    with browser.new_context() as context:
        context.route(f"**{PREFIX}{INDEX_FOLDER}/**", lambda route: route.abort())
        page = context.new_page()
        page.goto(site_url + "search/?q=vanadium")
        expect(page.locator("#search-status")).to_contain_text("Search is not available", timeout=10_000)


def test_without_javascript_search_says_so_and_offers_browsing(browser, site_url):
    with browser.new_context(java_script_enabled=False) as context:
        page = context.new_page()
        page.goto(site_url + "search/")
        main = page.locator("main")
        assert "Search needs JavaScript" in main.inner_text()
        assert main.get_by_role("link", name="by topic").get_attribute("href") == f"{PREFIX}topics/"
        assert main.get_by_role("link", name="by date").get_attribute("href") == f"{PREFIX}archive/"
        assert not page.locator("form.search-form").is_visible(), "a form that cannot work is shown"


def test_searching_asks_nothing_of_other_hosts_and_nothing_fails(browser, site_url):
    requests, problems = [], []
    with browser.new_context() as context:
        context.on("request", lambda request: requests.append(request.url))
        context.on("requestfailed", lambda request: problems.append(f"{request.url} failed"))
        context.on("response", lambda response: response.status >= 400 and problems.append(
            f"{response.status} {response.url}"))
        page = context.new_page()
        search_for(page, site_url, "semiconductor")
        page.wait_for_load_state("networkidle")
    assert any(f"{PREFIX}{INDEX_FOLDER}/" in url for url in requests), "the index was not fetched"
    problems += [f"request to another host: {url}" for url in requests
                 if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).hostname != "127.0.0.1"]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_with_results_shown(browser, site_url, scheme):
    with browser.new_context(color_scheme=scheme, bypass_csp=True) as context:
        page = context.new_page()
        search_for(page, site_url, "semiconductor")
        page.add_script_tag(content=axe_source())
        result = page.evaluate("""() => axe.run(document, {runOnly: {type: "tag",
            values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})""")
    violations = [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes'][:3]]}" for v in result["violations"]]
    assert not violations, "\n".join(violations)


# ---- after an edit: the year indexes stay, the changed pages are indexed in recent/ ---------

def manifest_of(public: Path) -> dict:
    return json.loads((public / INDEX_FOLDER / MANIFEST_FILE).read_text())


def entry_inode(public: Path, year: str) -> int:
    return (public / INDEX_FOLDER / year / "pagefind-entry.json").stat().st_ino


@pytest.fixture
def two_years(tmp_path) -> SiteDir:
    site = SiteDir(tmp_path / "site")
    site.add("2020/old.md", article("Old", date="2020-05-01", body="Ancient words."))
    site.add("2021/new.md", article("New", date="2021-05-01", body="Recent words."))
    site.add("2021/other.md", article("Other", date="2021-06-01", body="Other words."))
    build(BuildOptions(Project.at(site.root)))
    assert sorted(p.name for p in (site.public / INDEX_FOLDER).iterdir()) == ["2020", "2021", MANIFEST_FILE]
    manifest = manifest_of(site.public)
    assert (manifest["indexes"], manifest["hidden"], manifest["edited"]) == (["2021", "2020"], {}, {})
    return site


def test_an_edit_is_indexed_in_recent_and_hides_its_old_record(two_years):
    site = two_years
    inodes = {year: entry_inode(site.public, year) for year in ("2020", "2021")}
    old_id = next(i for i, r in records_in(site.public / INDEX_FOLDER / "2021") if r["url"] == "/2021/05/new/")
    site.add("2021/new.md", article("New", date="2021-05-01", body="Recent words, edited."))
    build(BuildOptions(Project.at(site.root)))

    assert {year: entry_inode(site.public, year) for year in ("2020", "2021")} == inodes, "a year was indexed again"
    recent = records_in(site.public / INDEX_FOLDER / RECENT_FOLDER)
    assert [r["url"] for _, r in recent] == ["/2021/05/new/"]
    manifest = manifest_of(site.public)
    assert manifest["indexes"] == ["2021", "2020", RECENT_FOLDER]
    assert manifest["hidden"] == {old_id: "/2021/05/new/"}
    assert manifest["edited"] == {"2021/05/new/index.html": old_id}
    contents = {r["url"]: r["content"] for r in fragments(site.public)}
    assert "edited" in contents["/2021/05/new/"] and len(contents) == 3


def test_an_added_page_is_in_recent_and_a_deleted_one_stays_hidden(two_years):
    site = two_years
    old_id = next(i for i, r in records_in(site.public / INDEX_FOLDER / "2021") if r["url"] == "/2021/06/other/")
    site.add("2021/added.md", article("Added", date="2021-07-01", body="Fresh words."))
    (site.root / "content/2021/other.md").unlink()
    build(BuildOptions(Project.at(site.root)))
    edits = manifest_of(site.public)
    assert edits["edited"] == {"2021/06/other/index.html": old_id, "2021/07/added/index.html": None}
    assert edits["hidden"] == {old_id: "/2021/06/other/"}
    assert [r["url"] for r in fragments(site.public)] == ["/2020/05/old/", "/2021/05/new/", "/2021/07/added/"]

    # Deleting the added page again leaves nothing of it to hide; the deleted one stays hidden.
    (site.root / "content/2021/added.md").unlink()
    build(BuildOptions(Project.at(site.root)))
    edits = manifest_of(site.public)
    assert edits["hidden"] == {old_id: "/2021/06/other/"}
    assert edits["edited"] == {"2021/06/other/index.html": old_id}
    assert [r["url"] for r in fragments(site.public)] == ["/2020/05/old/", "/2021/05/new/"]


def test_a_page_whose_text_did_not_change_leaves_the_edits(two_years):
    """A new story changes its neighbours' "next story" links, not their text."""
    site = two_years
    site.add("2021/later.md", article("Later", date="2021-08-01", body="Later words."))
    build(BuildOptions(Project.at(site.root)))
    assert manifest_of(site.public)["edited"] == {"2021/08/later/index.html": None}
    assert len(fragments(site.public)) == 4


def test_a_page_changed_outside_its_story_is_not_indexed_again(two_years):
    """A new headline changes its neighbours' pages (their "previous story" links) but not
    their story: Pagefind indexes only the edited one."""
    site = two_years
    site.add("2021/new.md", article("New, Renamed", date="2021-05-01", body="Recent words."))
    report = build(BuildOptions(Project.at(site.root)))
    assert "2021/06/other/index.html" in report.changed  # the next story's page, which links to it
    assert [r["url"] for _, r in records_in(site.public / INDEX_FOLDER / RECENT_FOLDER)] == ["/2021/05/new/"]
    assert {r["url"]: r["meta"]["title"] for r in fragments(site.public)}["/2021/05/new/"] == "New, Renamed"


PAGE = ('<html lang="en"><head><title>T</title><meta content="2021" data-pagefind-meta="date[content]"></head><body>'
        '<nav>Menu</nav><article class="story" data-pagefind-body><h1>Head</h1><article>Quoted</article><p>Words</p>'
        '</article><aside>Related: A</aside></body></html>')


@pytest.mark.parametrize("change, same", [
    (("Related: A", "Related: B"), True),  # outside the story
    (("<nav>Menu", "<nav>Other menu"), True),
    (("<p>Words", "<p>Other words"), False),  # in the story
    (("</article><p>Words", "</article><p>Words, after the quote"), False),  # past a nested article of the story
    (('content="2021"', 'content="2022"'), False),  # a record's metadata, outside the story
    (("<title>T", "<title>U"), False),
    (('lang="en"', 'lang="de"'), False),
    (("data-pagefind-body", "data-other"), False),  # nothing marked: not sure
])
def test_a_page_makes_the_same_record_when_all_pagefind_reads_of_it_is_the_same(tmp_path, change, same):
    before, after = tmp_path / "before.html", tmp_path / "after.html"
    before.write_text(PAGE, encoding="utf-8")
    after.write_text(PAGE.replace(*change), encoding="utf-8")
    assert PAGE.replace(*change) != PAGE
    assert same_story(before, after) is same


def test_past_the_limit_the_changed_years_are_indexed_again(two_years, monkeypatch):
    site = two_years
    monkeypatch.setattr("gazette.search.index.MAX_RECENT_PAGES", 1)
    before = {year: entry_inode(site.public, year) for year in ("2020", "2021")}
    site.add("2021/new.md", article("New", date="2021-05-01", body="Recent words, edited."))
    site.add("2021/other.md", article("Other", date="2021-06-01", body="Other words, edited."))
    build(BuildOptions(Project.at(site.root)))
    manifest = manifest_of(site.public)
    assert (manifest["indexes"], manifest["hidden"], manifest["edited"]) == (["2021", "2020"], {}, {})
    assert entry_inode(site.public, "2020") == before["2020"]
    assert entry_inode(site.public, "2021") != before["2021"]
    assert sum("edited" in r["content"] for r in fragments(site.public)) == 2


def test_when_a_year_splits_differently_its_new_shards_are_indexed_afresh(tmp_path, monkeypatch):
    monkeypatch.setattr("gazette.search.index.SHARD_PAGES", 4)
    site = SiteDir(tmp_path / "site")
    for name, date in [("a", "2021-01-05"), ("b", "2021-01-06"), ("c", "2021-04-05"), ("d", "2021-04-06"),
                       ("e", "2021-07-01"), ("f", "2020-03-01")]:
        # A topic of its own: no other story lists A as related, so A's page never changes.
        site.add(f"{name}.md", article(name.upper(), date, "[Robotics]" if name == "a" else "[AI]", body=f"Words of {name}."))
    build(BuildOptions(Project.at(site.root)))
    assert manifest_of(site.public)["indexes"] == ["2021-07-12", "2021-01-06", "2020"]
    page_a = site.public / "2021/01/a/index.html"
    a_before = page_a.read_bytes()
    site.add("g.md", article("G", date="2021-03-01", body="Words of g."))  # January to June: 5 pages
    (site.root / "content/c.md").unlink()
    site.add("h.md", article("H", date="2021-05-01", body="Words of h."))
    build(BuildOptions(Project.at(site.root)))
    assert page_a.read_bytes() == a_before, "A changed: the test would not show that its new shard holds it"
    shards = [name for name in manifest_of(site.public)["indexes"] if name != RECENT_FOLDER]
    assert shards == ["2021-05-08", "2021-01-04", "2020"]  # January to April: 4 pages
    cold = tmp_path / "cold"
    build(BuildOptions(Project.at(site.root, output=cold), use_cache=False))
    assert fragments(site.public) == fragments(cold)
    assert sorted(r["meta"]["title"] for r in fragments(site.public)) == ["A", "B", "D", "E", "F", "G", "H"]


def test_a_site_without_a_manifest_is_indexed_in_full(two_years):
    """A site whose index has no manifest (an older build, a damaged one) cannot be built on."""
    site = two_years
    before = entry_inode(site.public, "2020")
    (site.public / INDEX_FOLDER / MANIFEST_FILE).unlink()
    site.add("2021/new.md", article("New", date="2021-05-01", body="Recent words, edited."))
    build(BuildOptions(Project.at(site.root)))
    assert entry_inode(site.public, "2020") != before
    assert manifest_of(site.public)["edited"] == {}


def test_the_search_page_finds_edited_words_and_not_replaced_ones(browser, tmp_path):
    site = SiteDir(tmp_path / "site", base_url=BASE_URL)
    for name in ("2021/vanadium.md", "2021/chips.md", "2021/solar.md"):
        site.add(name, ARTICLES[name])
    build(BuildOptions(Project.at(site.root)))
    site.add("2021/vanadium.md", ARTICLES["2021/vanadium.md"].replace("Vanadium", "Zirconium"))
    (site.root / "content/2021/chips.md").unlink()
    site.add("2021/later.md", article("Later", date="2021-08-01", body="A semiconductor later."))
    build(BuildOptions(Project.at(site.root)))
    assert manifest_of(site.public)["hidden"], "nothing to hide: the test would prove nothing"

    with serve(site.public) as url, browser.new_context() as context:
        page = context.new_page()
        assert search_for(page, url, "vanadium").count() == 0
        assert search_for(page, url, "zirconium").count() == 1
        titles = search_for(page, url, "semiconductor").locator("h2 a").all_inner_texts()
        assert sorted(titles) == ["Later", "Solar Fabs Want Chips Too"]


# ---- plain pages (content/pages/) -----------------------------------------------------------

def test_a_plain_page_is_found_by_its_words_and_indexed_again_only_when_it_changes(two_years):
    site = two_years
    site.add("pages/about.md", "---\ntitle: About Us\n---\nWe archive quokka stories.\n")
    build(BuildOptions(Project.at(site.root)))
    manifest = manifest_of(site.public)
    assert manifest["indexes"][:2] == ["2021", "2020"] and manifest["indexes"][-1] == PAGES_FOLDER
    contents = {r["url"]: r["content"] for r in fragments(site.public)}
    assert "quokka" in contents["/about/"] and len(contents) == 4
    pages_entry = site.public / INDEX_FOLDER / PAGES_FOLDER / "pagefind-entry.json"
    before = pages_entry.stat().st_ino

    site.add("2021/new.md", article("New", date="2021-05-01", body="Recent words, edited."))
    build(BuildOptions(Project.at(site.root)))
    assert pages_entry.stat().st_ino == before, "the pages were indexed again though none changed"

    site.add("pages/about.md", "---\ntitle: About Us\n---\nWe archive wombat stories.\n")
    build(BuildOptions(Project.at(site.root)))
    contents = {r["url"]: r["content"] for r in fragments(site.public)}
    assert "wombat" in contents["/about/"] and "quokka" not in contents["/about/"]


def test_a_german_search_page_speaks_german(browser, tmp_path):
    """The script's messages and dates come from the page: the site's language, not English."""
    from playwright.sync_api import expect

    site = SiteDir(tmp_path / "site", base_url=BASE_URL)
    (site.root / "site.toml").write_text((site.root / "site.toml").read_text().replace('language = "en"', 'language = "de"'))
    site.add("2021/vanadium.md", ARTICLES["2021/vanadium.md"])
    build(BuildOptions(Project.at(site.root)))
    with serve(site.public) as url, browser.new_context() as context:
        page = context.new_page()
        page.goto(url + "search/")
        page.get_by_label("Wörter, die in Artikeln vorkommen").fill("vanadium")
        expect(page.locator("#search-status")).to_have_text("1 Treffer für „vanadium“", timeout=10_000)
        assert page.locator("#search-results time").inner_text() == "4. März 2021"
        page.get_by_label("Wörter, die in Artikeln vorkommen").fill("zzzqqq")
        expect(page.locator("#search-status")).to_have_text("Keine Treffer für „zzzqqq“", timeout=10_000)


# ---- a site without search ---------------------------------------------------------------

def test_search_false_builds_no_search_page_and_no_index_and_turning_it_on_brings_both(tmp_path):
    site = SiteDir(tmp_path / "site")
    for name in ("2021/vanadium.md", "2021/chips.md"):
        site.add(name, ARTICLES[name])
    toml = site.root / "site.toml"
    with_search = toml.read_text(encoding="utf-8")
    build(BuildOptions(Project.at(site.root)))
    assert (site.public / INDEX_FOLDER / MANIFEST_FILE).is_file()

    toml.write_text(with_search.replace('language = "en"', 'language = "en"\nsearch = false'), encoding="utf-8")
    build(BuildOptions(Project.at(site.root)))
    assert not (site.public / "search").exists()
    assert not (site.public / INDEX_FOLDER).exists()
    home = site.page("")
    assert "/search/" not in home  # the default menu offers only pages the site has
    assert "/search/" not in (site.public / "sitemap.xml").read_text(encoding="utf-8")

    toml.write_text(with_search, encoding="utf-8")
    build(BuildOptions(Project.at(site.root)))
    assert "Flow Batteries" in json.dumps(fragments(site.public))
    assert 'href="/search/"' in site.page("")


def test_search_must_be_true_or_false(tmp_path):
    site = SiteDir(tmp_path / "site")
    site.add("2021/chips.md", ARTICLES["2021/chips.md"])
    toml = site.root / "site.toml"
    toml.write_text('search = "no"\n' + toml.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(GazetteError) as error:
        build(BuildOptions(Project.at(site.root)))
    assert "site.toml:1" in str(error.value) and "true or false" in str(error.value)


@given(st.lists(st.from_regex(r"([0-9]{4}|[0-9]{2}|[a-z]{1,3})(/([0-9]{4}|[0-9]{2}|[a-z]{1,3}))*/?(index\.html)?", fullmatch=True)))
def test_pages_per_month_counts_the_months_of_the_pages_month_of_places(names):
    def month_folder(name: str) -> str | None:  # "YYYY/MM/..." spelled out part by part
        parts = name.split("/")
        if len(parts) >= 3 and len(parts[0]) == 4 and parts[0].isdigit() and len(parts[1]) == 2 and parts[1].isdigit():
            return f"{parts[0]}/{parts[1]}"
        return None

    assert [month_of(name) for name in names] == [month_folder(name) for name in names]
    months = [month for month in map(month_folder, names) if month is not None]
    assert pages_per_month(names) == {month: months.count(month) for month in sorted(set(months))}
