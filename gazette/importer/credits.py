"""Split a photo caption into the caption proper and the photo credit at its end.

Scraped captions carry the credit in many styles:

    ... taken Dec. 8, 2017. REUTERS/Benoit Tessier/Illustration/File Photo
    ... developed at PSI. (Paul Scherrer Institute PSI/Mahir Dzambegovic)
    ... to target app stores. Saeed KHAN / AFP
    ... in January 9, 2026. (AFP)
    ... a rally in Paris. Photo: Jane Doe          ... on Monday. Getty Images

The split never loses a word: the caption's words followed by the credit's words are exactly
the words of the original (only brackets and separators such as " - " may go). When no credit
is recognisable the whole text stays the caption, with no credit: a wrong credit is worse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Names that mark a credit wherever they appear in it. Matched as whole words.
_CREDIT_WORDS = re.compile(
    r"(?<![\w-])(?:AFP|AP|EPA(?:-EFE)?|REUTERS|Reuters|Getty|Bloomberg|Xinhua|XINHUA|Shutterstock|Alamy"
    r"|Handout|HANDOUT|Courtesy|Kyodo|KYODO|Yonhap|YONHAP|ANSA|DPA|dpa|SIPA|Sipa|TASS|Anadolu|ANADOLU"
    r"|NurPhoto|ZUMA|Zuma|IANS|PTI|ANI|Wikimedia|Unsplash|iStock|Pool|POOL|Photo|PHOTO|Photos"
    r"|Image|Images|IMAGES|Picture|Credit|CREDIT)(?![\w-])"
)
# "Photo: Jane Doe", "Credit: NASA", "Picture by John Smith", "Courtesy of ACME".
_LABELLED = re.compile(
    r"(?:^|(?<=[\s(|]))(?:Photo(?:graph)?s?|PHOTOS?|Pictures?|Images?|Credits?|CREDITS?|Photo credit"
    r"|Courtesy)(?:\s*:|\s+(?:by|of)\b)",
)
# The end of a sentence: the credit usually follows the caption's last full stop.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')]*\s+")
# An agency or organisation in capitals glued to a name by a slash: "REUTERS/Name", "AP Photo/Name".
_AGENCY_SLASH = re.compile(r"(?<![\w/])([A-Z][A-Z&\-]+)(?:\s(?:Photo|Images))?/\S")
# "... Saeed KHAN / AFP": a name, then a slash and an agency in capitals at the very end.
_NAME_SLASH_AGENCY = re.compile(r"\s?/\s?([A-Z][A-Za-z\-]*[A-Z]|" + _CREDIT_WORDS.pattern + r")$")
# Lower-case words that still belong in a credit ("AFP via Getty Images", "Hans van der Berg").
_CREDIT_CONNECTORS = frozenset(
    "via by of for and de del della van von der den da di du la le y e photo photos images pool handout file".split()
)
_TRAILING_SEPARATOR = re.compile(r"\s+[-–—|:]$")
MAX_CREDIT_WORDS = 12


@dataclass(frozen=True)
class CaptionParts:
    caption: str | None
    credit: str | None


def _is_credit_word(word: str) -> bool:
    letters = next((c for c in word if c.isalpha()), "")
    return not letters or letters.isupper() or word.lower().strip("(),") in _CREDIT_CONNECTORS


def _reads_like_credit(text: str) -> bool:
    """A short run of names: every word capitalised or a connector such as 'via'."""
    words = [w for w in re.split(r"[\s/]+", text) if w]
    return 0 < len(words) <= MAX_CREDIT_WORDS and all(_is_credit_word(w) for w in words)


def _names_a_credit(text: str) -> bool:
    return "/" in text or bool(_CREDIT_WORDS.search(text))


def _parts(caption: str, credit: str) -> CaptionParts:
    caption = _TRAILING_SEPARATOR.sub("", caption.rstrip()).rstrip()
    return CaptionParts(caption or None, credit.strip() or None)


def _bracketed_credit(text: str) -> CaptionParts | None:
    """'... at PSI. (Paul Scherrer Institute PSI/Mahir Dzambegovic)', '... 2026. (AFP)'."""
    match = re.search(r"\(([^()]+)\)$", text)
    if not match:
        return None
    inner = match.group(1).strip()
    letters = [c for c in inner if c.isalpha()]
    in_capitals = len(letters) >= 2 and all(c.isupper() for c in letters)
    if (in_capitals or _names_a_credit(inner) or _LABELLED.match(inner)) and _reads_like_credit(inner):
        return _parts(text[: match.start()], inner)
    return None


def _labelled_credit(text: str) -> CaptionParts | None:
    """'... in Paris. Photo: Jane Doe' (the label is a word of the credit, so it stays)."""
    for match in reversed(list(_LABELLED.finditer(text))):
        credit = text[match.start() :]
        if len(credit.split()) <= MAX_CREDIT_WORDS and not _SENTENCE_END.search(credit.rstrip()):
            return _parts(text[: match.start()], credit)
    return None


def _credit_after_last_sentence(text: str) -> CaptionParts | None:
    """'... taken Dec. 8, 2017. REUTERS/Benoit Tessier/...', '... app stores. Saeed KHAN / AFP'."""
    ends = list(_SENTENCE_END.finditer(text))
    if not ends:
        return None
    tail = text[ends[-1].end() :]
    if tail[:1].isupper() and not tail.endswith(".") and _names_a_credit(tail) and _reads_like_credit(tail):
        return _parts(text[: ends[-1].start()] + ends[-1].group().rstrip(), tail)
    return None


def _agency_slash_credit(text: str) -> CaptionParts | None:
    """'... a logo REUTERS/Dado Ruvic' without a full stop before the credit."""
    for match in _AGENCY_SLASH.finditer(text):
        agency = match.group(1)
        if len(agency) < 3 and not _CREDIT_WORDS.fullmatch(agency):
            continue  # "US/China" is not a credit
        credit = text[match.start() :]
        if _reads_like_credit(credit):
            return _parts(text[: match.start()], credit)
    return None


def _name_slash_agency_credit(text: str) -> CaptionParts | None:
    """'... on a screen Saeed KHAN / AFP': walk back over the capitalised name before the slash."""
    match = _NAME_SLASH_AGENCY.search(text)
    if not match or (len(match.group(1)) < 3 and not _CREDIT_WORDS.fullmatch(match.group(1))):
        return None  # "the US / EU" is not a credit
    words = text[: match.start()].split(" ")
    name: list[str] = []
    while words and len(name) < 4 and words[-1][:1].isupper() and not words[-1].endswith((".", ",", ";", ":")):
        name.insert(0, words.pop())
    if not name:
        return None
    return _parts(" ".join(words), " ".join(name) + text[match.start() :])


_STYLES = (
    _bracketed_credit,
    _labelled_credit,
    _credit_after_last_sentence,
    _agency_slash_credit,
    _name_slash_agency_credit,
)


def split_credit(text: str) -> CaptionParts:
    """The caption and its credit; `text` is one normalised line (see gazette.importer.escape)."""
    text = text.strip()
    if not text:
        return CaptionParts(None, None)
    for style in _STYLES:
        parts = style(text)
        if parts is not None and parts.credit:
            return parts
    return CaptionParts(text, None)
