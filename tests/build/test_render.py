from pathlib import Path

import pytest

from gazette.build.pages import Page
from gazette.build.render import PageRenderer, xml_cdata
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
