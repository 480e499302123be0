"""Code blocks highlighted at build time with Pygments (through Python-Markdown's `codehilite`):
CSS classes only, no inline styles and no JavaScript, a language label above each block, and
the one stylesheet (`css/highlight.css`) with a light and a dark palette, both chosen for
WCAG AA contrast (axe's color-contrast rule) on their own backgrounds."""

from __future__ import annotations

import html
import re

from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

STYLESHEET = "css/highlight.css"  # written by the build unless the site's static/ has its own
LIGHT_STYLE = "xcode"  # every token colour at least 5:1 on its white background
DARK_STYLE = "lightbulb"  # every token colour at least 4.5:1 on its dark background
CODE_CLASS = "highlight"


def language_name(alias: str) -> str:
    """ "py" -> "Python"; "" for plain text and for a language Pygments does not know."""
    if not alias or alias == "text":
        return ""
    try:
        return get_lexer_by_name(alias).name
    except ClassNotFound:
        return ""


class LabelledFormatter(HtmlFormatter):
    """Pygments' HTML, with the block's language named above it."""

    def __init__(self, **options):
        self.label = language_name(options.pop("lang_str", "").removeprefix("language-"))
        super().__init__(**options)

    def wrap(self, source):
        if self.label:
            yield 0, f'<span class="code-language">{html.escape(self.label)}</span>'
        yield from super().wrap(source)


CODEHILITE = {
    "css_class": CODE_CLASS,
    "guess_lang": False,  # an unknown or unnamed language stays plain text, never an error
    "use_pygments": True,
    "pygments_formatter": LabelledFormatter,
    "wrapcode": True,
}


def stylesheet() -> bytes:
    """The highlighting colours, light by default and dark when the reader's system is."""
    def rules(style: str) -> str:
        formatter = HtmlFormatter(style=style)
        scope = f".{CODE_CLASS}"
        # Only what is scoped to code blocks (Pygments' full set also styles every `pre`), and
        # token classes that look alike in one rule: a quarter of the bytes, on every page with code.
        lines = [*formatter.get_background_style_defs(scope), *formatter.get_token_style_defs(scope)]
        grouped: dict[str, list[str]] = {}
        for line in lines:
            rule = re.match(r"\s*([^{]+?)\s*\{\s*([^}]*?)\s*\}", line)
            if rule:
                grouped.setdefault(rule.group(2).rstrip(";").replace(" ", ""), []).append(rule.group(1).replace(scope + " ", ""))
        base = next((d for d, selectors in grouped.items() if selectors == [scope]), "")
        plain = {"color:#000", "color:#000000", *re.findall(r"color:#\w+", base)}  # the text's own colour
        return "\n".join(f"{scope} :is({','.join(selectors)}){{{declarations}}}" if selectors != [scope] else f"{scope}{{{declarations}}}"
                         for declarations, selectors in grouped.items()
                         if selectors == [scope] or declarations not in plain and selectors != [".hll"])

    dark = "\n".join("  " + line for line in rules(DARK_STYLE).splitlines())
    return (f"/* Pygments' {LIGHT_STYLE}; {DARK_STYLE} when dark */\n"
            f"{rules(LIGHT_STYLE)}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n").encode("utf-8")
