"""Rendered bodies as an editor wrote them: without the link the build adds to each heading
(tests of what a heading says compare its text, not the link beside it)."""

import re

_HEADING_LINK = re.compile(r' <a class="heading-link" href="#[^"]*" aria-label="[^"]*">#</a>(?=</h[2-4]>)')


def without_heading_links(body_html: str) -> str:
    found = _HEADING_LINK.findall(body_html)
    assert len(found) == len(re.findall(r"<h[2-4] id=", body_html)), "every heading with an id has its link"
    return _HEADING_LINK.sub("", body_html)
