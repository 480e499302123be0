"""What Pagefind reads of the built pages: whether the article pages mark a story for the
index at all, and whether two versions of a page make the same search record."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

BODY_MARKER = b"data-pagefind-body"  # what templates/article.html puts on the story


def articles_are_marked(site_dir: Path, months: Iterable[str]) -> bool:
    """Whether the article pages mark their story for the index. They share one template,
    so the first one found tells (reading pages until a marked one turned up took 30 ms)."""
    for month in months:
        for entry in os.scandir(site_dir / month):
            page = Path(entry.path, "index.html")
            if page.is_file():
                return BODY_MARKER in page.read_bytes()
    return False


# What Pagefind reads of a page: the element marked for the index (found by its opening tag, then
# its closing tag by counting those of its name), the tags that give the record its metadata and
# filters wherever they are, and what it may fall back on: the page's language, its <title>, its
# first heading and its first image.
_MARKED = re.compile(rb"<([a-zA-Z][\w-]*)\b[^>]*\s" + BODY_MARKER + rb"[\s>=/]")
_READ_ANYWHERE = re.compile(rb"<html\b[^>]*>|<title\b.*?</title>|<h1\b.*?</h1>|<img\b[^>]*>|<[^>]*\sdata-pagefind-[^>]*>",
                            re.S | re.I)


def same_story(before: Path, after: Path) -> bool:
    """Whether two versions of a page make the same search record: equal in all that Pagefind
    reads of them (a page whose links to other stories changed, say). False when unsure."""
    try:
        old, new = before.read_bytes(), after.read_bytes()
    except OSError:
        return False
    if old == new:
        return True
    old_story, new_story = _story(old), _story(new)
    return old_story is not None and old_story == new_story and _READ_ANYWHERE.findall(old) == _READ_ANYWHERE.findall(new)


def _story(page: bytes) -> bytes | None:
    """The element marked `data-pagefind-body`, whole; None if there is none or it does not close."""
    found = _MARKED.search(page)
    if found is None:
        return None
    tag = re.compile(rb"<(/?)" + re.escape(found.group(1)) + rb"[\s>/]", re.I)
    depth = 1
    for match in tag.finditer(page, found.end()):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return page[found.start():match.end()]
    return None
