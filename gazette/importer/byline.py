"""A story's byline: "By Jane Doe" alone at the top of its body becomes the article's author.

Owns the recognising of bylines and the front-matter fields they become; `run.article_text`
applies it to every story. Pure: text in, names out.

Only the story's first block, after the headline and the captions (which `dump` has dropped),
can be a byline, and only a story with a paragraph after it loses it. The line must read "By"
or "BY", then 1-4 names joined the way a list of names is ("A and B", "A, B and C", "A, B, and
C", "&" for "and"), at most 80 characters in all, nothing after the last name. A name is 1-4
capitalised words: initials ("J.", "J.R."), hyphens and apostrophes ("Mary-Jane O'Brien",
"al-Assad", "d'Estaing"), particles between them ("van", "de la") and a last "Jr." or "Sr."
are allowed.

Anything less certain stays in the body as written, because a sentence lost from the body is
worse than an author missing from the front matter:

- a sentence or phrase: "By the end of the year, prices rose.", "By then", "BY THE NUMBERS",
  "By Design" (lower-case words, a final full stop, words that are never names);
- "By Jane Doe, Reuters": after a comma with no "and" there may be an agency, a place or a job,
  and taking the name alone would drop that credit from the article;
- "By: Jane Doe", "by Jane Doe", "By Jane Doe (Reuters)", and a byline anywhere further down.

Known blind spot: a byline *between* the headline and its caption lines is taken, but the
caption after it stays in the body, as it did before: `dump` looks for a caption only straight
after the headline.

Names are kept exactly as written ("BY JANE DOE" gives "JANE DOE"), as all other text is.
"""

from __future__ import annotations

import re
from dataclasses import replace

from gazette.importer.dump import BlockKind, Story

MAX_BYLINE_CHARS = 80
MAX_NAMES = 4
MAX_NAME_WORDS = 4  # capitalised words and initials; particles and suffixes come on top

_BYLINE = re.compile(r"(?:By|BY) (.+)")
# Between names: ", " and, before the last name, " and " or ", and " ("&" for "and").
_NAME_SEPARATOR = re.compile(r", (?:(?:and|AND|&) )?| (?:and|AND|&) ")
_LAST_SEPARATOR = re.compile(r"(?:and|AND|&) $")
_INITIALS = re.compile(r"(?:[^\W\d_]\.){1,3}")  # "J." or "J.R."
# One hyphen-free piece of a name: letters, apostrophes inside ("O'Brien", "N’Golo").
_NAME_PIECE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# A lower-case prefix glued to a capitalised name: "al-Assad", "el-Sisi", "d'Estaing".
_GLUED_PREFIX = re.compile(r"(?:al|el|ad|as|ash|at|az|bin|ibn|abu|d|l|dell|dall)[-'’](?=[^\W\d_])")
_PARTICLES = frozenset({
    "van", "von", "der", "den", "de", "del", "della", "la", "le", "du", "da", "das", "dos", "di", "do",
    "ter", "ten", "bin", "ibn", "y",
})
_SUFFIXES = frozenset({"Jr.", "Sr.", "Jr", "Sr"})
# Words that are no one's name, in any case: "BY THE NUMBERS", "BY ORDER OF THE COURT".
_NEVER_IN_A_NAME = frozenset({
    "the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their", "our", "my",
    "your", "all", "some", "any", "each", "every", "no", "not", "now", "then", "which", "what", "how",
    "who", "whom", "whose", "when", "where", "of", "for", "to", "in", "on", "at", "with", "from", "or",
    "but", "as", "into", "by", "popular",
})
# Words that are a name only with another: "By May" is a month, "By Theresa May" a byline.
_NOT_A_NAME_ALONE = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "today", "tomorrow", "tonight", "yesterday", "midnight", "noon", "night", "day", "far",
    "way", "means", "numbers", "default", "design", "contrast", "comparison", "definition", "extension",
    "accident", "mistake", "chance", "proxy", "hand", "phone", "email", "mail", "post", "air", "sea",
    "land", "road", "rail", "car", "foot", "law", "nature", "invitation", "appointment", "request",
    "heart", "staff",
})


def _capitalised(word: str) -> bool:
    """'Doe', 'DOE', 'McDonald', 'Mary-Jane', "O'Brien", 'al-Assad', "d'Estaing", 'Álvarez'."""
    prefix = _GLUED_PREFIX.match(word)
    pieces = word[prefix.end() if prefix else 0 :].split("-")
    return all(_NAME_PIECE.fullmatch(piece) and piece[0].isupper() for piece in pieces)


def _is_name(words: list[str]) -> bool:
    if not words or words[0] in _PARTICLES or words[-1] in _PARTICLES or words[0] in _SUFFIXES:
        return False
    counted = full = 0
    for position, word in enumerate(words):
        if word.lower() in _NEVER_IN_A_NAME:
            return False
        if word in _PARTICLES or (word in _SUFFIXES and position == len(words) - 1):
            continue
        if _INITIALS.fullmatch(word) and word.isupper():
            counted += 1
        elif _capitalised(word):
            counted += 1
            full += len(word) > 1  # "Jane B Doe" has an initial without its dot
        else:
            return False
    if len(words) == 1 and words[0].lower() in _NOT_A_NAME_ALONE:
        return False
    return 1 <= counted <= MAX_NAME_WORDS and full >= 1


def parse_byline(text: str) -> tuple[str, ...] | None:
    """The names a byline line gives ('By Jane Doe and John Roe' -> ('Jane Doe', 'John Roe')),
    or None if the line is not certainly a byline (see the module docstring)."""
    text = " ".join(text.split())
    match = _BYLINE.fullmatch(text)
    if match is None or len(text) > MAX_BYLINE_CHARS:
        return None
    rest = match.group(1)
    if not rest[-1].isalpha() and rest.rsplit(" ", 1)[-1] not in _SUFFIXES:
        return None  # "By Jane Doe." ends like a sentence; "By Jane Doe Jr." does not
    separators = _NAME_SEPARATOR.findall(rest)
    if separators and not _LAST_SEPARATOR.search(separators[-1]):
        return None  # "By Jane Doe, Reuters": a comma with no "and" is not a list of names
    names = _NAME_SEPARATOR.split(rest)
    if len(names) > MAX_NAMES or not all(_is_name(name.split(" ")) for name in names):
        return None
    return tuple(names)


def take_byline(story: Story) -> tuple[tuple[str, ...], Story]:
    """The byline's names and the story without it; no names and the story itself if its first
    block is not a byline, or if nothing but the byline would be left of the body."""
    if not story.blocks:
        return (), story
    names = parse_byline(story.blocks[0].text)
    rest = story.blocks[1:]
    if names is None or not any(block.kind is BlockKind.PARAGRAPH for block in rest):
        return (), story
    return names, replace(story, blocks=rest)


def author_fields(names: tuple[str, ...]) -> list[tuple[str, object]]:
    """`author: Jane Doe` for one name, `authors: [Jane Doe, John Roe]` for several, as
    `gazette.model.frontmatter.front_matter_text` writes them; none without names."""
    if not names:
        return []
    if len(names) == 1:
        return [("author", names[0])]
    return [("authors", list(names))]
