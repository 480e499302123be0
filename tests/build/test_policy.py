"""The security policy each page carries: only the site's own scripts and styles, frames only
from the providers of that page's embeds, none at all where the site trusts its HTML."""

import re
from datetime import datetime, timezone

from support.site import SiteDir, article

from gazette.build.markup import MarkdownRenderer
from gazette.build.pipeline import BuildOptions, build
from gazette.build.policy import content_security_policy, embed_origins
from gazette.project import Project

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


def directives(policy: str) -> dict[str, str]:
    return dict(part.split(" ", 1) for part in policy.split("; "))


def test_the_policy_allows_the_sites_own_scripts_and_only_the_frames_it_names():
    plain = directives(content_security_policy())
    assert plain["default-src"] == "'self'" and plain["frame-src"] == "'none'"
    assert "script-src" not in plain and "style-src" not in plain, "the site's own only, as default-src says"
    assert plain["object-src"] == "'none'" and plain["base-uri"] == "'self'"
    framed = directives(content_security_policy(("https://player.vimeo.com", "https://embed.bsky.app")))
    assert framed["frame-src"] == "https://embed.bsky.app https://player.vimeo.com"
    assert directives(content_security_policy(wasm=True))["script-src"] == "'self' 'wasm-unsafe-eval'"


def test_a_bodys_embeds_name_the_frames_its_page_allows():
    html = MarkdownRenderer().render("https://vimeo.com/76979871\n\nhttps://vimeo.com/1\n\n[t](https://x.com/a/status/2)").html
    assert embed_origins(html) == ("https://player.vimeo.com", "https://platform.twitter.com")
    assert embed_origins("<p>No embeds.</p>") == ()


def test_table_alignment_is_a_class_not_a_style_attribute():
    html = MarkdownRenderer().render("| a | b |\n|:--|--:|\n| 1 | 2 |\n").html
    assert 'class="align-left"' in html and 'class="align-right"' in html and "style=" not in html


def test_every_page_carries_its_policy_and_a_site_that_trusts_its_html_none(tmp_path):
    site = SiteDir(tmp_path / "site")
    site.add("2021/a.md", article("A", body="Intro.\n\nhttps://youtu.be/dQw4w9WgXcQ"))
    site.add("2021/b.md", article("B", "2021-03-05", body="No embeds."))
    build(BuildOptions(Project.at(site.root), now=NOW))
    pages = {p.relative_to(site.public).as_posix(): p.read_text() for p in site.public.rglob("*.html")}
    assert len(pages) > 10
    for name, html in pages.items():
        [policy] = POLICY.findall(html)
        assert '<meta name="referrer" content="strict-origin-when-cross-origin">' in html, name
        frames = directives(policy)["frame-src"]
        assert frames == ("https://www.youtube-nocookie.com" if name == "2021/03/a/index.html" else "'none'"), name
        assert ("wasm-unsafe-eval" in policy) == (name == "search/index.html"), name
        assert not re.search(r"\son[a-z]+\s*=", html), f"{name} has an inline event handler"
    (site.root / "site.toml").write_text("trusted_html = true\n" + (site.root / "site.toml").read_text())
    build(BuildOptions(Project.at(site.root), now=NOW))
    assert not any(POLICY.search(p.read_text()) for p in site.public.rglob("*.html"))
