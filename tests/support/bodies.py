"""Rendered bodies as an editor wrote them: without the aids the build adds for readers of the
page, the link on each heading and the contents (tests of what a body says compare its text)."""

import re

from gazette.build.headings import without_page_aids


def without_heading_links(body_html: str) -> str:
    links = body_html.count('<a class="heading-link" ')
    assert links == len(re.findall(r"<h[2-4] id=", body_html)), "every heading with an id has its link"
    return without_page_aids(body_html)
