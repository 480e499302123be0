"""Every message the site shows, found where it is written: the `_()` and `ngettext()` calls of
the templates (Jinja's own extractor) and the `gettext`, `ngettext` and `forms` calls of the
package's Python code, plus the default menu's titles."""

from __future__ import annotations

import ast

import jinja2

from support import REPO

PYTHON_CALLS = {"gettext", "ngettext", "forms"}


def template_messages() -> set[str | tuple[str, str]]:
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    found: set = set()
    for path in sorted((REPO / "templates").iterdir()):
        for _line, _function, message in env.extract_translations(path.read_text(encoding="utf-8")):
            texts = (message,) if isinstance(message, str) else tuple(m for m in message if m is not None)
            found.add(texts[0] if len(texts) == 1 else texts[:2])
    return found


def python_messages() -> set[str | tuple[str, str]]:
    from gazette.build.embeds import LOAD_LABEL, PRIVACY_NOTE
    from gazette.build.headings import ANCHOR_LABEL, CONTENTS_LABEL
    from gazette.build.markup import BACKLINK_TITLE, CODE_LABEL, TABLE_LABEL
    from gazette.build.render import DEFAULT_MENU

    found: set = {title for title, _route in DEFAULT_MENU} | {TABLE_LABEL, BACKLINK_TITLE, CODE_LABEL,
                                                              CONTENTS_LABEL, ANCHOR_LABEL, LOAD_LABEL, PRIVACY_NOTE}
    for path in sorted((REPO / "gazette").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) in PYTHON_CALLS:
                texts = [arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
                if node.func.attr == "gettext" and texts:
                    found.add(texts[0])
                elif len(texts) >= 2:
                    found.add((texts[0], texts[1]))
    return found


def all_messages() -> set[str | tuple[str, str]]:
    return template_messages() | python_messages()
