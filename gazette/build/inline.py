"""Python-Markdown's inline pass, trying each inline pattern only on text that could match it.

The stock pass tries all fifteen inline patterns (code, escapes, footnotes, links, images,
autolinks, line breaks, raw HTML, entities, emphasis) on every run of text, and tries them
again after each match: most runs of a news story hold no backtick, bracket, "<" or "&", and
the tries that could not match were a quarter of Markdown's time. Here a pattern is skipped
on a text that lacks what its expression cannot match without, which is exactly what the
stock pass concludes after trying it (`tests/build/test_extensions.py` proves the HTML the
same, byte for byte).

The rules are keyed by the patterns' expressions, as this version of Python-Markdown writes
them: a pattern that reads otherwise (another version, an extension's) is tried everywhere, as
the stock pass does.

The link and image patterns find where a link's text closes (`LinkInlineProcessor.getText`)
by walking every character of the paragraph in Python, once for each link, since each link
found makes the paragraph a new text: half of the time of a news story with links. Here the
same answer is read off the paragraph's brackets alone (`closing_brackets`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown import Markdown, util
from markdown.inlinepatterns import LinkInlineProcessor
from markdown.treeprocessors import InlineProcessor

INLINE_PRIORITY = 20  # the stock inline pass's place among the tree processors

# A pattern's expression in Python-Markdown 3.x -> the texts one of which any match holds.
NEEDS: dict[str, tuple[str, ...]] = {
    r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)": ("`",),  # backtick: `code`
    r"\\(.)": ("\\",),  # escape
    r"\[\^([^\]]*)\]": ("[^",),  # footnote
    r"(?<!\!)\[": ("[",),  # reference, link, short_reference
    r"\!\[": ("![",),  # image_link, image_reference, short_image_ref
    r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>": ("<",),  # autolink
    r"<([^<> !]+@[^@<> ]+)>": ("<",),  # automail
    r"  \n": ("  \n",),  # linebreak
    r"""(<(\/?+[a-zA-Z][^\s"'<>@]*+(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>]++))?+)*+\s*+/?"""
    r"""|!--(?:(?!<!--|-->).)*--|[?](?:(?!<[?]|[?]>).)*[?]|!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\])>)""": ("<",),  # html
    r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)": ("&",),  # entity
    r"\*|_": ("*", "_"),  # em_strong
}


_BRACKET = re.compile(r"[\[\]]")


def use_selective_inline(md: Markdown) -> Markdown:
    """Put the selective inline pass in place of `md`'s stock one, and give its link and image
    patterns `LinkText`; returns `md`."""
    md.treeprocessors.register(SelectiveInlineProcessor(md), "inline", INLINE_PRIORITY)
    # The stock `getText` this stands for reads the closing brackets `_findBracketEnds` finds.
    if hasattr(LinkInlineProcessor, "_findBracketEnds"):
        for pattern in md.inlinePatterns:
            if isinstance(pattern, LinkInlineProcessor) and type(pattern).getText is LinkInlineProcessor.getText:
                pattern.getText = LinkText(pattern.getText)
    return md


def closing_brackets(data: str) -> dict[int, int | None]:
    """For the index just past each "[" of `data`, the index just past the "]" that closes it
    (None: none does): what the stock `_findBracketEnds` gives at those indexes, found from the
    brackets alone instead of every character."""
    ends: dict[int, int | None] = {}
    opened: list[int] = []
    for bracket in _BRACKET.finditer(data):
        at = bracket.start()
        if data[at] == "[":
            opened.append(at + 1)
            ends[at + 1] = None
        elif opened:  # a "]" that closes nothing changes nothing after it
            ends[opened.pop()] = at + 1
    return ends


class LinkText:
    """A link pattern's `getText(data, index)`: the text between the "[" just before `index`
    and the "]" that closes it, where the next character is, and whether it closes, as the
    stock method answers (`stock`, which answers any other index)."""

    def __init__(self, stock: Callable[[str, int], tuple[str, int, bool]]) -> None:
        self._stock = stock
        self._data: str | None = None
        self._ends: dict[int, int | None] = {}

    def __call__(self, data: str, index: int) -> tuple[str, int, bool]:
        if self._data is not data:
            self._data, self._ends = data, closing_brackets(data)
        if index not in self._ends:
            return self._stock(data, index)
        end = self._ends[index]
        if end is None:
            return data[index:], len(data), False
        return data[index:end - 1], end, True


class SelectiveInlineProcessor(InlineProcessor):
    """The stock inline pass, with its loop over the patterns taught to skip a pattern whose
    needs a text lacks (what the stock `__applyPattern` would return for it: no match, and
    the next pattern starts from the text's beginning)."""

    def run(self, tree, ancestors=None):
        # Read at each run, as the stock pass reads the registry: extensions may add patterns.
        self._patterns = list(self.inlinePatterns)
        self._needs = [NEEDS.get(pattern.compiled_re.pattern) for pattern in self._patterns]
        return super().run(tree, ancestors)

    # The stock pass calls this (name-mangled) method for every text, and for the text of each match.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        if isinstance(data, util.AtomicString):
            return data
        patterns, needs = self._patterns, self._needs
        apply = self._InlineProcessor__applyPattern
        start = 0
        while patternIndex < len(patterns):
            need = needs[patternIndex]
            if need is not None:
                for text in need:  # a loop, not any(): this runs for every text and pattern
                    if text in data:
                        break
                else:
                    patternIndex += 1
                    start = 0
                    continue
            data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data
