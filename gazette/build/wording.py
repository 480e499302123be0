"""The site's own words in the language it speaks (`language` in site.toml): every fixed string
a page shows (menus, labels, page titles, "min read") and its dates, formatted for the locale
with Babel. The English text is the message id; `gazette.build.catalog` holds the translations.
Templates call `_()` and `ngettext()`; Python code that titles pages calls the same methods."""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING

from gazette.build.catalog import CATALOGS

if TYPE_CHECKING:
    from babel import Locale

# Babel is imported where it is first used, not with this module: a build with nothing to do
# (the no-change shortcut) never formats a date, and importing Babel is a tenth of its time.


class Wording:
    def __init__(self, language: str):
        self.language = language
        self.catalog = self._catalog(language)

    @staticmethod
    def _catalog(language: str) -> dict[str, str | dict[str, str]]:
        """The translations for a tag ("de", "de-CH": German), or none for English."""
        base = language.split("-")[0].lower()
        return CATALOGS.get(language.lower(), CATALOGS.get(base, {}))

    @property
    def translated(self) -> bool:
        """Whether the site's fixed strings are in its language (always so for English)."""
        return bool(self.catalog) or self.language.split("-")[0].lower() == "en"

    @cached_property
    def locale(self) -> Locale:
        from babel import Locale, UnknownLocaleError

        try:
            return Locale.parse(self.language.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            return Locale.parse("en")

    def gettext(self, message: str) -> str:
        translated = self.catalog.get(message, message)
        return translated if isinstance(translated, str) else translated.get("one", message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """The form for `count` (Babel knows each language's plural rule: French says
        "0 article", English "0 articles")."""
        forms = self.catalog.get(singular)
        if isinstance(forms, dict):
            form = self.locale.plural_form(count)
            return forms.get(form, forms.get("other", plural))
        return singular if count == 1 else plural  # English

    def long_date(self, value: datetime) -> str:
        """March 4, 2021 (en), 4 March 2021 (en-GB), 4. März 2021, 4 mars 2021."""
        from babel.dates import format_date

        return format_date(value, format="long", locale=self.locale)

    def month_year(self, value: datetime) -> str:
        """March 2021, März 2021, mars 2021: the standalone month name with its year."""
        from babel.dates import format_date

        return format_date(value, format="LLLL y", locale=self.locale)

    def month(self, value: datetime) -> str:
        from babel.dates import format_date

        return format_date(value, format="LLLL", locale=self.locale)

    def join(self, items: list[str]) -> str:
        """"A and B", "A, B und C", "A, B et C"."""
        from babel.lists import format_list

        return format_list(list(items), locale=self.locale) if items else ""

    def forms(self, singular: str, plural: str) -> dict[str, str]:
        """Every plural form of a message, for the browser to choose from (Intl.PluralRules)."""
        entry = self.catalog.get(singular)
        return dict(entry) if isinstance(entry, dict) else {"one": singular, "other": plural}

    def search_words(self) -> dict[str, object]:
        """The words the search page's script shows (static/js/search.js `say`)."""
        return {
            "none": self.gettext("No results for “%(term)s”"),
            "results": self.forms("%(count)s result for “%(term)s”", "%(count)s results for “%(term)s”"),
            "in_topic": self.gettext("%(what)s in %(topic)s"),
            "searching": self.gettext("Searching…"),
            "unavailable": self.gettext("Search is not available right now: its index could not be loaded. "
                                        "You can still browse by topic or by date."),
        }
