"""Parsing dumps into stories (gazette.importer.dump) and captions into caption and credit (gazette.importer.credits)."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from support import REPO

from gazette.importer.credits import CaptionParts, split_credit
from gazette.importer.dump import BlockKind, DumpError, Story, is_subheading, parse_dump

SEED = REPO / "sources" / "tech-news-dump-01.txt"

CAPTION = "A robot on display at a fair in Beijing on January 9, 2026. (AFP)"


def dump(*lines: str, newline: str = "\n") -> str:
    return newline.join(lines) + newline


def summary(stories: list[Story]) -> list[tuple]:
    """What a test compares: headline, caption and the blocks of every story."""
    return [
        (s.headline, s.caption, [(b.kind.value, b.text) for b in s.blocks])
        for s in stories
    ]


# -- the seed dump ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_stories() -> list[Story]:
    return parse_dump(SEED.read_text(encoding="utf-8"))


def test_seed_has_four_stories_in_order(seed_stories):
    assert [(s.position, s.line, s.headline) for s in seed_stories] == [
        (1, 1, "Bitcoin Mania Triggers Fundraising Rush by Chinese Players"),
        (2, 58, "New Process for Stable, Long-Lasting Batteries"),
        (3, 112, "Meta Urges Australia to Change Teen Social Media Ban"),
        (4, 152, "China Is Closing in on US Technology Lead Despite Constraints, AI Researchers Say"),
    ]


def test_seed_captions_are_taken_once_without_stray_spaces(seed_stories):
    assert [(s.caption_line, s.caption) for s in seed_stories] == [
        (3, "FILE PHOTO: A collection of bitcoin (virtual currency) tokens are displayed in this picture"
            " illustration taken Dec. 8, 2017. REUTERS/Benoit Tessier/Illustration/File Photo"),
        (60, "The image shows a test cell used to fabricate and test the all-solid-state battery developed"
             " at PSI. (Paul Scherrer Institute PSI/Mahir Dzambegovic)"),  # the trailing no-break space is gone
        (114, "Meta has called for Australia's social media for under-16s to target app stores. Saeed KHAN / AFP"),
        (154, "Visitors look at robots on display at robotics company Unitree's first retail store in Beijing"
              " in January 9, 2026. (AFP)"),  # the leading space is gone
    ]


def test_seed_bodies_drop_the_repeats_and_the_marker(seed_stories):
    for story in seed_stories:
        texts = [b.text for b in story.blocks]
        assert "TT" not in texts
        assert story.headline not in texts
        assert not any(story.caption and (t in story.caption or story.caption in t) for t in texts)
    assert [len(s.paragraphs) for s in seed_stories] == [22, 21, 14, 11]
    first = seed_stories[0]
    assert first.paragraphs[0].startswith("Bitcoin mania has fuelled a surge")
    assert first.paragraphs[-1] == (
        "“If people don’t point figure at (Tesla founder) Elon Musk for endorsing bitcoin,"
        " what’s wrong with Chinese companies embracing it?”"
    )
    # The last paragraph of the dump has no line break after it.
    assert seed_stories[3].paragraphs[-1].endswith("something our government and the country can help improve,\" said Tang.")


def test_seed_subheading_becomes_a_heading(seed_stories):
    headings = [(s.position, b.text, b.line) for s in seed_stories for b in s.blocks if b.kind is BlockKind.HEADING]
    assert headings == [(4, "MIND THE INVESTMENT GAP", 173)]


def test_seed_survives_crlf_bom_and_stray_spaces(seed_stories):
    text = SEED.read_text(encoding="utf-8")
    messy = "\ufeff" + "\r\n".join("  " + line + " \t" if line else "   " for line in text.split("\n"))
    assert summary(parse_dump(messy)) == summary(seed_stories)


def test_seed_survives_old_mac_line_endings(seed_stories):
    text = SEED.read_text(encoding="utf-8").replace("\n", "\r")
    assert summary(parse_dump(text)) == summary(seed_stories)


# -- variations ------------------------------------------------------------------------------


def test_caption_given_once_before_the_repeat():
    text = dump(
        "Robots Are Coming", "", CAPTION, "TT", "", "Robots Are Coming", "", "First paragraph.", "", "Second paragraph."
    )
    assert summary(parse_dump(text)) == [
        ("Robots Are Coming", CAPTION, [("paragraph", "First paragraph."), ("paragraph", "Second paragraph.")])
    ]


def test_caption_given_once_on_each_side():
    text = dump("Robots Are Coming", "", CAPTION, "TT", "", "Robots Are Coming", "", CAPTION, "", "First paragraph.")
    assert summary(parse_dump(text)) == [("Robots Are Coming", CAPTION, [("paragraph", "First paragraph.")])]


def test_story_without_caption_with_marker():
    text = dump("Robots Are Coming", "", "TT", "", "Robots Are Coming", "", "First paragraph.")
    [story] = parse_dump(text)
    assert (story.caption, story.caption_line, story.paragraphs) == (None, None, ("First paragraph.",))


def test_story_without_caption_or_marker():
    text = dump("Robots Are Coming", "", "Robots Are Coming", "", "First paragraph.")
    assert summary(parse_dump(text)) == [("Robots Are Coming", None, [("paragraph", "First paragraph.")])]


def test_story_without_the_marker():
    text = dump("Robots Are Coming", "", CAPTION, CAPTION, "", "Robots Are Coming", "", CAPTION, CAPTION, "", "Body.")
    assert summary(parse_dump(text)) == [("Robots Are Coming", CAPTION, [("paragraph", "Body.")])]


def test_headline_given_once_stories_split_by_the_wider_gap():
    text = dump(
        "Robots Are Coming", "", "First paragraph.", "", "Second paragraph.", "", "",
        "Chips Are Scarce", "", "Another story.",
    )
    assert summary(parse_dump(text)) == [
        ("Robots Are Coming", None, [("paragraph", "First paragraph."), ("paragraph", "Second paragraph.")]),
        ("Chips Are Scarce", None, [("paragraph", "Another story.")]),
    ]


def test_headline_given_once_with_a_caption():
    twice = dump("Robots Are Coming", "", CAPTION, CAPTION, "TT", "", "Body.")
    once_with_credit = dump("Robots Are Coming", "", CAPTION, "", "Body.")
    for text in (twice, once_with_credit):
        assert summary(parse_dump(text)) == [("Robots Are Coming", CAPTION, [("paragraph", "Body.")])]


def test_caption_wrapped_onto_two_lines_and_repeated():
    first, second = "A robot on display at a fair", "in Beijing on January 9, 2026. (AFP)"
    text = dump(
        "Robots Are Coming", "", first, second, first, second, "TT", "", "Robots Are Coming", "", first, second, first, second,
        "", "Body.",
    )
    assert summary(parse_dump(text)) == [("Robots Are Coming", f"{first} {second}", [("paragraph", "Body.")])]


def test_caption_right_under_the_headline_without_a_blank_line():
    text = dump("Robots Are Coming", CAPTION, "TT", "", "Body.")
    assert summary(parse_dump(text)) == [("Robots Are Coming", CAPTION, [("paragraph", "Body.")])]


def test_stories_separated_by_a_single_blank_line_are_found_by_the_repeat():
    text = dump(
        "Robots Are Coming", "", CAPTION, CAPTION, "TT", "", "Robots Are Coming", "", CAPTION, CAPTION, "", "Body one.",
        "", "Chips Are Scarce", "", "TT", "", "Chips Are Scarce", "", "Body two.",
    )
    assert [(s.headline, s.paragraphs) for s in parse_dump(text)] == [
        ("Robots Are Coming", ("Body one.",)),
        ("Chips Are Scarce", ("Body two.",)),
    ]


def test_double_spaced_dump_keeps_paragraphs_in_their_story():
    text = dump(
        "Robots Are Coming", "", "", "TT", "", "", "Robots Are Coming", "", "", "One.", "", "", "Two.", "", "", "",
        "Chips Are Scarce", "", "", "TT", "", "", "Chips Are Scarce", "", "", "Three.",
    )
    assert [(s.headline, s.paragraphs) for s in parse_dump(text)] == [
        ("Robots Are Coming", ("One.", "Two.")),
        ("Chips Are Scarce", ("Three.",)),
    ]


def test_two_stories_with_one_headline_stay_two_stories():
    story = ["Robots Are Coming", "", "TT", "", "Robots Are Coming", ""]
    text = dump(*story, "First.", "", "", *story, "Second.")
    assert [(s.position, s.headline, s.paragraphs) for s in parse_dump(text)] == [
        (1, "Robots Are Coming", ("First.",)),
        (2, "Robots Are Coming", ("Second.",)),
    ]


def test_subheading_after_a_wide_gap_stays_in_the_story():
    text = dump("Robots Are Coming", "", "TT", "", "Robots Are Coming", "", "First.", "", "", "WHAT COMES NEXT", "", "More.")
    assert summary(parse_dump(text)) == [
        ("Robots Are Coming", None, [("paragraph", "First."), ("heading", "WHAT COMES NEXT"), ("paragraph", "More.")])
    ]


def test_lines_of_a_paragraph_are_joined_and_spaces_collapsed():
    text = dump("Robots Are Coming", "", "TT", "", "Robots Are Coming", "", "  A paragraph\t wrapped", "onto two lines.  ")
    assert parse_dump(text)[0].paragraphs == ("A paragraph wrapped onto two lines.",)


def test_markdown_lookalikes_are_kept_verbatim_by_the_parser():
    body = ["2028. was a year", "#Hashtag", "- dash", "> quote", "+ plus", "*stars* and snake_case_words", "`ticks` <b>&amp;"]
    text = dump("Robots Are Coming", "", "TT", "", "Robots Are Coming", "", *"\n\n".join(body).split("\n"))
    assert parse_dump(text)[0].paragraphs == tuple(body)


def test_stray_marker_in_the_body_is_dropped():
    text = dump("Robots Are Coming", "", "TT", "", "Robots Are Coming", "", "First.", "", "TT", "", "Second.")
    assert parse_dump(text)[0].paragraphs == ("First.", "Second.")


def test_no_break_space_inside_a_paragraph_is_kept():
    text = dump("Robots Are Coming", "", "TT", "", "Robots Are Coming", "", "It is 10\u00a0km long.\u00a0")
    assert parse_dump(text)[0].paragraphs == ("It is 10\u00a0km long.",)


def test_lines_drawn_between_stories_are_dropped_but_section_breaks_kept():
    text = dump(
        "-----", "", "Robots Are Coming", "", "TT", "", "Robots Are Coming", "", "First.", "", "* * *", "", "Second.",
        "", "-----", "Chips Are Scarce", "", "Body.", "", "=====",
    )
    assert [(s.headline, s.paragraphs) for s in parse_dump(text)] == [
        ("Robots Are Coming", ("First.", "* * *", "Second.")),
        ("Chips Are Scarce", ("Body.",)),
    ]


# -- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("", 1, "empty"),
        ("\ufeff \r\n\t\n\n", 1, "empty"),
        ("word " * 300, 1, "300 words"),
        ("\n\n" + "A long paragraph with many words. " * 20 + "\n\nAnother.\n", 3, "not a story"),
        ("Hello There\n", 1, "no paragraphs"),
        ("Robots Are Coming\n\nTT\n\nRobots Are Coming\n", 1, "no paragraphs"),
        ("Tech News of the Day\n\n\nRobots Are Coming\n\nTT\n\nRobots Are Coming\n\nBody.\n", 1, "no paragraphs"),
        ("Some text that is wrapped\nonto the next line and more.\n\nAnd a paragraph.\n", 2, "blank line after the headline"),
        ("Robots Are Coming\n\nBody.\n\x00\x01\x02", 4, "U+0000"),
        ("12345 67890\n\nBody.", 1, "no letters"),
    ],
)
def test_what_is_not_a_story_is_a_located_error(text, line, words):
    with pytest.raises(DumpError) as caught:
        parse_dump(text)
    assert caught.value.line == line
    assert words in caught.value.message


def test_an_error_names_the_block_in_a_later_story():
    text = dump("Robots Are Coming", "", "TT", "", "Robots Are Coming", "", "Body.", "", "", "Chips Are Scarce", "", "TT", "", "Chips Are Scarce")
    with pytest.raises(DumpError) as caught:
        parse_dump(text)
    assert caught.value.line == 10
    assert "Chips Are Scarce" in caught.value.message


# -- subheadings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("MIND THE INVESTMENT GAP", True),
        ("WHAT COMES NEXT?", True),
        ("A 2026 OUTLOOK", True),
        ("TT", False),  # a marker
        ("AI", False),
        ("Mind the investment gap", False),
        ("THE END.", False),
        ("MIND THE GAP, AND MORE", True),
        ("ONE TWO THREE FOUR FIVE SIX SEVEN EIGHT NINE TEN ELEVEN TWELVE THIRTEEN", False),
    ],
)
def test_subheading_shape(text, expected):
    assert is_subheading(text) is expected


# -- a property: any story set written in any of the known styles parses back ----------------

_words = st.sampled_from("robots chips market grows lithium bank shares falls rises users data court".split())
_headline = st.lists(_words, min_size=2, max_size=8).map(lambda ws: " ".join(w.capitalize() for w in ws))
_sentence = st.lists(
    st.one_of(_words, st.sampled_from(["2028", "#tag", "*x*", "snake_case", "<b>", "&", "“quoted”", "(AFP)"])),
    min_size=3, max_size=20,
).map(lambda ws: (" ".join(ws)[:1].upper() + " ".join(ws)[1:]) + ".")
_paragraph = st.lists(_sentence, min_size=1, max_size=3).map(" ".join)
_caption = st.tuples(st.lists(_words, min_size=3, max_size=10), st.sampled_from(["(AFP)", "REUTERS/Jane Doe", "Saeed KHAN / AFP"])).map(
    lambda parts: " ".join(parts[0]).capitalize() + ". " + parts[1]
)
_story = st.tuples(_headline, st.one_of(st.none(), _caption), st.lists(_paragraph, min_size=1, max_size=4))


@st.composite
def _styled_dump(draw):
    stories = draw(st.lists(_story, min_size=1, max_size=4))
    style = draw(
        st.fixed_dictionaries(
            {
                "repeat": st.booleans(),
                "captions": st.sampled_from([1, 2]),
                "marker": st.booleans(),
                "newline": st.sampled_from(["\n", "\r\n"]),
                "story_gap": st.sampled_from([2, 3]),
                "bom": st.booleans(),
                "pad": st.sampled_from(["", " ", "\u00a0"]),
            }
        )
    )
    # A dump whose stories give the headline once, with no marker, relies on the wider gap.
    lines: list[str] = []
    for number, (headline, caption, paragraphs) in enumerate(stories):
        if number:
            lines += [""] * style["story_gap"]
        caption_lines = [style["pad"] + caption + style["pad"]] * style["captions"] if caption else []
        blocks = [[headline], caption_lines + (["TT"] if style["marker"] else [])]
        if style["repeat"]:
            blocks += [[headline], caption_lines]
        blocks += [[paragraph] for paragraph in paragraphs]
        lines += "\n\n".join("\n".join(block) for block in blocks if block).split("\n")
    text = ("\ufeff" if style["bom"] else "") + style["newline"].join(lines) + style["newline"]
    return text, stories


@settings(max_examples=80, deadline=None)
@given(_styled_dump())
def test_dumps_in_any_known_style_parse_back_to_their_stories(case):
    text, stories = case
    parsed = parse_dump(text)
    assert [(s.headline, s.caption, list(s.paragraphs)) for s in parsed] == [
        (headline, caption, paragraphs) for headline, caption, paragraphs in stories
    ]
    assert [s.position for s in parsed] == list(range(1, len(stories) + 1))


# -- credits ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, caption, credit",
    [
        # the styles in the seed dump
        ("A collection of bitcoin tokens taken Dec. 8, 2017. REUTERS/Benoit Tessier/Illustration/File Photo",
         "A collection of bitcoin tokens taken Dec. 8, 2017.", "REUTERS/Benoit Tessier/Illustration/File Photo"),
        ("A test cell developed at PSI. (Paul Scherrer Institute PSI/Mahir Dzambegovic)",
         "A test cell developed at PSI.", "Paul Scherrer Institute PSI/Mahir Dzambegovic"),
        ("Meta has called for app stores to check ages. Saeed KHAN / AFP",
         "Meta has called for app stores to check ages.", "Saeed KHAN / AFP"),
        ("Visitors look at robots in Beijing in January 9, 2026. (AFP)", "Visitors look at robots in Beijing in January 9, 2026.", "AFP"),
        # other common styles
        ("A rally in Paris. Photo: Jane Doe", "A rally in Paris.", "Photo: Jane Doe"),
        ("Screens show the logo - Photo by John Smith/Reuters", "Screens show the logo", "Photo by John Smith/Reuters"),
        ("Paris, France. Credit: NASA", "Paris, France.", "Credit: NASA"),
        ("Workers at a plant on Monday. Getty Images", "Workers at a plant on Monday.", "Getty Images"),
        ("Protesters outside the court. AFP via Getty Images", "Protesters outside the court.", "AFP via Getty Images"),
        ("A phone on a desk (AP Photo/Jeff Chiu)", "A phone on a desk", "AP Photo/Jeff Chiu"),
        ("A logo is seen REUTERS/Dado Ruvic", "A logo is seen", "REUTERS/Dado Ruvic"),
        ("A man walks past a logo Saeed KHAN / AFP", "A man walks past a logo", "Saeed KHAN / AFP"),
        ("The Mars rover. NASA/JPL-Caltech", "The Mars rover.", "NASA/JPL-Caltech"),
        ("“We will win,” he said. (EPA-EFE)", "“We will win,” he said.", "EPA-EFE"),
        ("(AFP)", None, "AFP"),
        # no credit to be found: the caption stays whole
        ("Sam Altman (left) and Satya Nadella (right)", "Sam Altman (left) and Satya Nadella (right)", None),
        ("A robot (2nd L) at the fair", "A robot (2nd L) at the fair", None),
        ("US/China trade talks in Geneva.", "US/China trade talks in Geneva.", None),
        ("Talks between the US / EU", "Talks between the US / EU", None),
        ("Something happened. Then more happened", "Something happened. Then more happened", None),
        ("The CEO speaks. “We will win.”", "The CEO speaks. “We will win.”", None),
    ],
)
def test_split_credit_styles(text, caption, credit):
    assert split_credit(text) == CaptionParts(caption, credit)


def test_split_credit_of_nothing():
    assert split_credit("  ") == CaptionParts(None, None)


_WORD = re.compile(r"\w+")
_caption_piece = st.one_of(
    _words,
    st.sampled_from(["REUTERS/Jane", "(AFP)", "/", "AFP", "Photo:", "Credit:", "Getty", "Images", "(left)", "Dec.", "2017.",
                     "KHAN", "via", "-", "|", "(Paul", "PSI/Mahir", "Dzambegovic)", "“Quote.”", "AP", "Photo/Jeff"]),
    st.text(max_size=6),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_caption_piece, min_size=1, max_size=20).map(" ".join))
def test_split_credit_keeps_every_word_in_order(text):
    text = " ".join(text.split())
    assume(text)
    parts = split_credit(text)
    assert parts.caption or parts.credit
    kept = _WORD.findall(parts.caption or "") + _WORD.findall(parts.credit or "")
    assert kept == _WORD.findall(text)
    for part in (parts.caption, parts.credit):
        assert part is None or part == part.strip()
