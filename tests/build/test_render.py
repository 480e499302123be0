from datetime import datetime, timedelta, timezone
from pathlib import Path

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gazette.build.pages import Page, SitemapUrl
from gazette.build.render import PageRenderer, sitemap_urls, xml_cdata
from gazette.errors import GazetteError
from gazette.model.config import SiteConfig
from gazette.model.site import Site
from gazette.model.urls import Urls
from gazette.theme import Layers


def renderer(templates: Path, base_url: str = "https://example.org/sub/") -> PageRenderer:
    site = Site(SiteConfig("Site & Co", base_url), (), ())
    return PageRenderer(Layers((templates,)), site.config, site.plain_pages, Urls(base_url), {"", "topics/"})


def test_content_is_escaped_and_links_carry_the_base_path(tmp_path):
    (tmp_path / "p.html").write_text("{{ site.title }}|{{ url('topics/') }}|{{ title }}|{% for link in menu %}{{ link.href }};{% endfor %}")
    html = renderer(tmp_path).render(Page("x/", "p.html", "X", {"title": "<script>"}))
    assert html == "Site &amp; Co|/sub/topics/|&lt;script&gt;|/sub/;/sub/topics/;"


def test_template_syntax_errors_name_the_file_and_line(tmp_path):
    (tmp_path / "p.html").write_text("line one\n{% if %}\n")
    with pytest.raises(GazetteError) as caught:
        renderer(tmp_path).render(Page("x/", "p.html", "X"))
    problem = caught.value.problems[0]
    assert Path(problem.path).name == "p.html" and problem.line == 2


def test_template_runtime_errors_name_the_file_and_line(tmp_path):
    (tmp_path / "base.html").write_text("<html>\n{% block b %}{% endblock %}\n</html>\n")
    (tmp_path / "p.html").write_text('{% extends "base.html" %}\n{% block b %}\n\n{{ missing.attribute }}\n{% endblock %}\n')
    with pytest.raises(GazetteError) as caught:
        renderer(tmp_path).render(Page("x/", "p.html", "X"))
    problem = caught.value.problems[0]
    assert Path(problem.path).name == "p.html" and problem.line == 4
    assert "missing" in problem.message


def test_missing_template_is_named(tmp_path):
    with pytest.raises(GazetteError, match="nope.html: template not found"):
        renderer(tmp_path).render(Page("x/", "nope.html", "X"))


@pytest.mark.parametrize("text", ["<p>a &amp; b</p>", "x]]>y", "]]>]]>", "", "]]", "<code>]]&gt;</code>"])
def test_xml_cdata_holds_any_text_exactly(text):
    import xml.etree.ElementTree as ET

    assert (ET.fromstring(f"<content>{xml_cdata(text)}</content>").text or "") == text


# A sitemap's lines as the bundled template wrote them with a loop, before `sitemap_urls`.
SITEMAP_LOOP = """{% for listed in pages %}
  <url><loc>{{ listed.route|absolute }}</loc>{% if listed.lastmod %}<lastmod>{{ listed.lastmod }}</lastmod>{% endif %}</url>
{% endfor %}"""


@given(st.text(max_size=12), st.lists(st.tuples(
    st.text(max_size=12), st.none() | st.integers(0, 10**9), st.integers(-14, 14)), max_size=5))
def test_a_sitemaps_lines_are_those_its_templates_loop_wrote(base, listed):
    env = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["absolute"] = absolute = (lambda route: f"https://{base}/{route}")
    urls = [SitemapUrl(route, None if seconds is None else datetime(2001, 1, 1, tzinfo=timezone(timedelta(hours=hours)))
                       + timedelta(seconds=seconds)) for route, seconds, hours in listed]
    assert sitemap_urls(urls, absolute) == env.from_string(SITEMAP_LOOP).render(pages=urls)
