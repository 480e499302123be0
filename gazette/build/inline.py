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
"""

from __future__ import annotations

from markdown import Markdown, util
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


def use_selective_inline(md: Markdown) -> Markdown:
    """Put the selective inline pass in place of `md`'s stock one; returns `md`."""
    md.treeprocessors.register(SelectiveInlineProcessor(md), "inline", INLINE_PRIORITY)
    return md


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
            if need is not None and not any(text in data for text in need):
                patternIndex += 1
                start = 0
                continue
            data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data
