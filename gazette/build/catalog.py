"""Translations of the site's fixed strings, by language: the English text is the key; a
plural is a dict of Babel's plural forms ("one", "other"). See `gazette.build.wording`."""

CATALOGS: dict[str, dict[str, str | dict[str, str]]] = {
    "de": {},
    "fr": {},
}
