"""Parse a scraped news dump (its text, already decoded) into stories. Pure: text in, stories out.

A dump holds several stories. The seed dump (sources/tech-news-dump-01.txt) shows the shape:

    Headline                          <- the story starts

    Caption ... REUTERS/Name          <- the photo caption, often twice,
    Caption ... REUTERS/Name
    TT                                <- and a stray marker line

    Headline                          <- the headline again

    Caption ... REUTERS/Name          <- and the caption again
    Caption ... REUTERS/Name

    First paragraph.                  <- the body: paragraphs separated by one blank line,

    ALL-CAPS SUBHEADING               <- sometimes a subheading

    Last paragraph.

                                      <- two or more blank lines before the next story
    Next headline
    ...

Other sources vary: a caption given once or not at all, no marker, the headline given once,
stray spaces, CRLF line endings, a byte-order mark. So a story's start is recognised by what
is most reliable, in this order:

1. The headline *repeat*: a short line that comes back within a few lines, with only caption
   and marker lines between. With a marker, a repeated caption line or a recognisable photo
   credit between the two, this alone starts a story (even if the dump put only one blank line
   between stories); a bare repeat (headline, blank, headline) needs the wider gap as well.
2. The wider gap: more blank lines than the dump usually puts between paragraphs, followed by a
   line that reads like a headline (short, not ending like a sentence, not an ALL-CAPS
   subheading), alone in its block, with text after it.

A line drawn between stories ("-----", "* * *") counts as the wider gap and is dropped; inside
a story the same line is a section break and stays.

Within a story the headline repeat, the caption lines (and their repeats) and the marker are
dropped; what follows is the body, one paragraph per block of lines (the lines of a block are
joined with a space), ALL-CAPS lines becoming subheadings. Text is normalised as
`gazette.importer.escape.normalize_text` says (stray spaces, tabs and line breaks) and otherwise kept
exactly. Anything that cannot be a story (no headline at the start, a headline with no text
after it, text glued to a headline given once, binary data) raises a `DumpError` naming the line.

Known blind spot: stories that give their headline once *and* are separated by a single blank
line cannot be told from paragraphs; they come out as one story.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from enum import Enum

from gazette.errors import LocatedError
from gazette.importer.credits import split_credit
from gazette.importer.escape import normalize_text

MAX_HEADLINE_CHARS = 200
MAX_HEADLINE_WORDS = 30
REPEAT_WINDOW = 8  # lines after a headline in which its repeat is looked for
MAX_CAPTION_LINES = 2  # distinct caption lines (a caption wrapped onto two lines)
MAX_SUBHEADING_WORDS = 12

# A stray marker line such as "TT": one to three capital letters alone on a line.
_MARKER = re.compile(r"[A-Z]{1,3}")
# A line drawn between stories (or, inside a story, a section break): "---", "* * *", "=====".
_SEPARATOR = re.compile(r"(?:[-=*_~#+.·•—–][ ]?){3,}")
# Control characters that never occur in text (tab, line breaks and form feed are whitespace).
_BINARY = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# A line holding only these is blank: a stray byte-order mark, zero-width spaces and joiners.
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"


class DumpError(LocatedError):
    """The dump is not what the importer can read."""


class BlockKind(Enum):
    PARAGRAPH = "paragraph"
    HEADING = "heading"


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str  # normalised: one line, single spaces (see gazette.importer.escape.normalize_text)
    line: int


@dataclass(frozen=True)
class Story:
    position: int  # 1-based, in the dump's order; with the dump's name it identifies the story
    line: int  # where the headline is
    headline: str
    caption: str | None
    caption_line: int | None
    blocks: tuple[Block, ...]

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(b.text for b in self.blocks if b.kind is BlockKind.PARAGRAPH)


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based line in the file
    text: str  # normalised
    block: int  # index of the block of consecutive non-blank lines it belongs to
    gap: int  # blank lines before its block (for the first line of a block)


@dataclass(frozen=True)
class _Header:
    headline: _Line
    captions: tuple[_Line, ...]
    markers: frozenset[str]
    body_start: int  # index of the first line after the header


# -- the pieces of a story ------------------------------------------------------------------


def is_marker(text: str) -> bool:
    return bool(_MARKER.fullmatch(text))


def is_separator(text: str) -> bool:
    """A rule such as '---', '* * *' or '=====': no letters or digits, at least three marks."""
    return bool(_SEPARATOR.fullmatch(text))


def is_subheading(text: str) -> bool:
    """An ALL-CAPS line such as 'MIND THE INVESTMENT GAP' (not a marker, not a sentence)."""
    letters = [c for c in text if c.isalpha()]
    return (
        len(letters) >= 4
        and all(c.isupper() for c in letters if c.isupper() or c.islower())
        and any(c.isupper() for c in letters)
        and len(text.split()) <= MAX_SUBHEADING_WORDS
        and not text.endswith((".", ",", ";"))
    )


def _is_headline_shaped(text: str) -> bool:
    """Short enough for a headline and with some letters in it."""
    return (
        len(text) <= MAX_HEADLINE_CHARS
        and len(text.split()) <= MAX_HEADLINE_WORDS
        and any(c.isalpha() for c in text)
    )


def _reads_like_headline(text: str) -> bool:
    """A headline on its own: also it does not end like a sentence or a clause."""
    return _is_headline_shaped(text) and not text.rstrip("\"'”’»)").endswith((".", ",", ";", ":"))


def _has_credit(text: str) -> bool:
    return split_credit(text).credit is not None


# -- lines and blocks -----------------------------------------------------------------------


def _read_lines(text: str) -> list[_Line]:
    """The non-blank lines, normalised, with their line numbers, blocks and the gaps between."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.rstrip("\x1a")  # an old DOS end-of-file mark
    lines: list[_Line] = []
    block, gap = -1, 0
    previous_blank = True
    for number, raw in enumerate(_LINE_BREAK.split(text), start=1):
        binary = _BINARY.search(raw)
        if binary:
            raise DumpError(
                f"control character U+{ord(binary.group()):04X} in the text: this is not a text dump"
                " (a binary file, or UTF-16? save it as UTF-8)",
                number,
            )
        normalised = normalize_text(raw)
        if not normalised.strip(_INVISIBLE):
            gap += 1
            previous_blank = True
            continue
        separator = is_separator(normalised)
        if previous_blank or separator:
            block += 1
        lines.append(_Line(number, normalised, block, gap if previous_blank else 0))
        gap, previous_blank = 0, separator  # a separator line is a block of its own
    return lines


def _paragraph_gap(lines: list[_Line]) -> int:
    """How many blank lines this dump usually puts between paragraphs (most often 1)."""
    gaps = Counter(line.gap for i, line in enumerate(lines) if i and line.gap)
    return gaps.most_common(1)[0][0] if gaps else 1


def _block_end(lines: list[_Line], index: int) -> int:
    end = index
    while end < len(lines) and lines[end].block == lines[index].block:
        end += 1
    return end


def _starts_block(lines: list[_Line], index: int) -> bool:
    return index == 0 or lines[index - 1].block != lines[index].block


# -- finding stories ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Repeat:
    index: int  # of the headline's repeat
    strong: bool  # caption evidence between the two: a marker, a repeated line or a credit


def _find_repeat(lines: list[_Line], start: int, paragraph_gap: int) -> _Repeat | None:
    """The headline's repeat within a few lines, with only caption or marker lines between
    (and no gap as wide as the one between stories: that would be a next story's headline)."""
    headline = lines[start].text
    between: list[str] = []
    for index in range(start + 1, min(len(lines), start + 1 + REPEAT_WINDOW)):
        line = lines[index]
        if line.gap > paragraph_gap:
            return None
        if line.text == headline and line.block != lines[start].block:
            captions = [t for t in between if not is_marker(t)]
            if len(set(captions)) > MAX_CAPTION_LINES:
                return None
            strong = bool(between) and (
                len(captions) < len(between)  # a marker
                or len(set(captions)) < len(captions)  # a caption line repeated
                or any(_has_credit(t) for t in captions)
            )
            return _Repeat(index, strong)
        between.append(line.text)
    return None


def _starts_story(lines: list[_Line], index: int, paragraph_gap: int) -> bool:
    """Whether a new story starts at this line (which must start a block)."""
    line = lines[index]
    if not _starts_block(lines, index) or not _reads_like_headline(line.text):
        return False
    after_separator = index > 0 and is_separator(lines[index - 1].text)
    wide_gap = line.gap > paragraph_gap or after_separator
    repeat = _find_repeat(lines, index, paragraph_gap)
    if repeat is not None and (repeat.strong or wide_gap):
        return True
    return (
        wide_gap
        and not is_subheading(line.text)
        and _block_end(lines, index) == index + 1  # alone in its block
        and index + 1 < len(lines)  # with text after it
    )


def _caption_lines(lines: list[_Line], index: int, known: set[str]) -> int | None:
    """If the lines from `index` to the end of their block are a caption (and markers), the
    index after them."""
    end = _block_end(lines, index)
    texts = [line.text for line in lines[index:end]]
    captions = [t for t in texts if not is_marker(t)]
    if all(t in known for t in captions):
        return end  # repeats of a caption already seen, and markers
    if len(known) >= MAX_CAPTION_LINES:
        return None
    if len(set(captions)) == 1 and (len(captions) > 1 or len(captions) < len(texts)):
        return end  # one caption line given twice, or with a marker
    if len(texts) == 1 and _has_credit(texts[0]) and not known and end < len(lines):
        return end  # a single line ending with a photo credit, right after the headline
    return None


def _read_header(lines: list[_Line], start: int, paragraph_gap: int) -> _Header:
    """The headline, its repeat, the caption lines and markers at the start of a story."""
    headline = lines[start]
    captions: list[_Line] = []
    markers: set[str] = set()
    index = start + 1
    repeat = _find_repeat(lines, start, paragraph_gap)
    if repeat is not None:
        for line in lines[index : repeat.index]:
            if is_marker(line.text):
                markers.add(line.text)
            elif line.text not in {c.text for c in captions}:
                captions.append(line)
        index = repeat.index + 1

    # After the headline (or its repeat): repeats of both, caption lines, markers.
    while index < len(lines):
        line = lines[index]
        known = {c.text for c in captions}
        if line.text == headline.text:
            index += 1
        elif is_marker(line.text):
            markers.add(line.text)
            index += 1
        elif end := _caption_lines(lines, index, known):
            for caption_line in lines[index:end]:
                if is_marker(caption_line.text):
                    markers.add(caption_line.text)
                elif caption_line.text not in {c.text for c in captions}:
                    captions.append(caption_line)
            index = end
        else:
            break

    if repeat is None and index < len(lines) and not _starts_block(lines, index):
        raise DumpError(
            f"this block is not a story: expected a blank line after the headline {headline.text!r}"
            " (a story starts with its headline on a line of its own)",
            lines[index].number,
        )
    return _Header(headline, tuple(captions), frozenset(markers), index)


def _caption_text(captions: tuple[_Line, ...]) -> str | None:
    """One caption from its lines: a line contained in another is a truncated copy."""
    texts = [c.text for c in captions]
    kept = [t for t in texts if not any(t != other and t in other for other in texts)]
    return " ".join(kept) or None


def _body(lines: list[_Line], markers: frozenset[str]) -> tuple[Block, ...]:
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        end = _block_end(lines, index)
        text = " ".join(line.text for line in lines[index:end])
        number = lines[index].number
        if text in markers or text == "TT":
            pass  # the stray marker
        elif end == index + 1 and is_subheading(text):
            blocks.append(Block(BlockKind.HEADING, text, number))
        else:
            blocks.append(Block(BlockKind.PARAGRAPH, text, number))
        index = end
    return tuple(blocks)


def parse_dump(text: str) -> list[Story]:
    """Every story in a dump, in order. Raises DumpError for anything that is not a story."""
    lines = _read_lines(text)
    if not lines:
        raise DumpError("the dump is empty: no stories to import", 1)
    paragraph_gap = _paragraph_gap(lines)
    stories: list[Story] = []
    index = 0
    while index < len(lines):
        first = lines[index]
        if is_separator(first.text):
            index += 1  # a line drawn before the first story
            continue
        if not _is_headline_shaped(first.text):
            words = len(first.text.split())
            found = f"this line has {words} words" if any(c.isalpha() for c in first.text) else "this line has no letters"
            raise DumpError(
                f"this block is not a story: a story starts with its headline, a short line of its own; {found}",
                first.number,
            )
        header = _read_header(lines, index, paragraph_gap)
        end = header.body_start
        while end < len(lines) and not _starts_story(lines, end, paragraph_gap):
            end += 1
        blocks = _body(lines[header.body_start : end], header.markers)
        while blocks and is_separator(blocks[-1].text):
            blocks = blocks[:-1]  # the line drawn before the next story
        if not any(b.kind is BlockKind.PARAGRAPH for b in blocks):
            raise DumpError(
                f"this block is not a story: the headline {first.text!r} has no paragraphs after it",
                first.number,
            )
        stories.append(
            Story(
                position=len(stories) + 1,
                line=first.number,
                headline=first.text,
                caption=_caption_text(header.captions),
                caption_line=header.captions[0].number if header.captions else None,
                blocks=blocks,
            )
        )
        index = end
    return stories
