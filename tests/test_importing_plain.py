"""Pasted reports: which line is the headline, the dek, another story's headline, the
story, or noise, for each shape browsers and scrapers copy."""

from __future__ import annotations

import pytest

from dossierpress.importing.plain import clean_line, read_plain_report, split_lines, words
from dossierpress.importing.report import ImportFailed


def read(text: str):
    report = read_plain_report(text, "r.txt")
    return {
        "headline": report.headline.text,
        "dek": report.dek.text if report.dek else None,
        "related": [r.title for r in report.related],
        "body": [("- " if p.item else "") + p.line.text for p in report.paragraphs],
        "dropped": [(d.line.number, d.why) for d in report.dropped],
    }


def test_the_full_shape_headline_dek_twice_box_headline_again_story():
    assert read(
        "Headline here\nThe dek.\nThe dek.\n- Other one\n- Other two\nHeadline here\n"
        "First paragraph.\nSecond paragraph.\n"
    ) == {
        "headline": "Headline here",
        "dek": "The dek.",
        "related": ["Other one", "Other two"],
        "body": ["First paragraph.", "Second paragraph."],
        "dropped": [(3, "the dek again"), (6, "the headline again")],
    }


def test_a_report_without_dek_starts_its_story_on_the_second_line():
    report = read("Headline here\nFirst paragraph, and a long one.\nSecond paragraph.\n")
    assert (report["dek"], report["body"]) == (
        None,
        ["First paragraph, and a long one.", "Second paragraph."],
    )


def test_a_dek_followed_by_the_related_box_is_a_dek():
    report = read("Headline\nThe dek.\n- Other one\nFirst paragraph.\n")
    assert (report["dek"], report["related"], report["body"]) == (
        "The dek.",
        ["Other one"],
        ["First paragraph."],
    )


def test_a_related_box_straight_under_the_headline():
    report = read("Headline\n- Other one\n- Other two\nFirst paragraph.\n")
    assert (report["dek"], report["related"]) == (None, ["Other one", "Other two"])


def test_bylines_and_time_stamps_above_the_story_are_dropped_but_listed():
    report = read_plain_report(
        "Headline\nThe dek, long enough to be a dek rather than a byline or stamp.\n"
        "By A. Writer\nRabu, 19 Juni 2024 10:30 WIB\nHeadline\nStory.\n",
        "r.txt",
    )
    assert [(d.line.number, d.why, d.above_story) for d in report.dropped] == [
        (3, "above the story", True),
        (4, "above the story", True),
        (5, "the headline again", False),
    ]
    assert report.lines_stating_a_date()[:2] == ["By A. Writer", "Rabu, 19 Juni 2024 10:30 WIB"]


@pytest.mark.parametrize(
    "story",
    [
        ["A paragraph of the story, far longer than any byline or time stamp would be. " * 2] * 2,
        ["He declined to comment.", "The vote is on Friday."],
    ],
)
def test_the_headline_repeated_after_the_story_began_is_a_repeat_not_a_header(story):
    story = [f"{text.strip()[:-1]} ({number})." for number, text in enumerate(story)]
    report = read("Headline\n" + "\n".join(story) + "\nHeadline\nLast paragraph.\n")
    assert report["body"] == [*story, "Last paragraph."]
    assert report["dropped"] == [(4, "the headline again")]


def test_a_line_opening_a_list_is_no_dek():
    report = read("Headline\nThe plan has three parts:\n- a tram\n- two stops\n")
    assert (report["dek"], report["related"]) == (None, [])


def test_repeats_are_found_whatever_the_case_quotes_and_spacing():
    report = read(
        "Headline\n\"It's done,\" she said.\nOther.\n“IT’S   done,” she said\n"
    )  # fmt: skip
    assert report["body"] == ['"It\'s done," she said.', "Other."]
    assert report["dropped"] == [(4, "a repeat of line 2")]


def test_the_end_of_a_paragraph_repeated_is_dropped_only_right_after_it():
    report = read(
        "Headline\nThe council voted for the plan on Tuesday.\non Tuesday.\n"
        "Another paragraph.\nthe plan on Tuesday.\n"
    )
    assert report["body"] == [
        "The council voted for the plan on Tuesday.",
        "Another paragraph.",
        "the plan on Tuesday.",
    ]
    assert report["dropped"] == [(3, "the end of line 2 again")]


def test_a_tail_is_whole_words():
    report = read("Headline\nCritics prefer buses.\nuses.\n")
    assert report["body"] == ["Critics prefer buses.", "uses."]


def test_a_read_also_line_moves_its_headline_to_related():
    report = read(
        "Headline\nFirst paragraph.\nBaca juga: Warga mulai pindah\nRead also: Bus fares rise\n"
        "Second paragraph.\n"
    )
    assert report["related"] == ["Warga mulai pindah", "Bus fares rise"]
    assert report["body"] == ["First paragraph.", "Second paragraph."]
    assert report["dropped"] == []


def test_a_box_label_on_its_own_takes_the_items_or_the_headline_under_it():
    report = read(
        "Headline\nFirst paragraph.\nBaca juga:\n- One story\n- Two story\nSecond paragraph.\n"
        "Related stories\nA third story\nThird paragraph.\nRead more\nNot a headline, a sentence.\n"
    )
    assert report["related"] == ["One story", "Two story", "A third story"]
    assert report["body"] == [
        "First paragraph.",
        "Second paragraph.",
        "Third paragraph.",
        "Not a headline, a sentence.",
    ]
    assert [why for _, why in report["dropped"]] == ["the label of a related-stories box"] * 3


def test_a_list_in_the_story_stays_a_list():
    report = read("Headline\nThe plan has three parts:\n- a tram\n- two stops\n- a depot\n")
    assert report["body"] == ["The plan has three parts:", "- a tram", "- two stops", "- a depot"]


def test_each_related_headline_once_and_never_the_story_itself():
    report = read("Headline\n- Other one\n- OTHER ONE\n- Headline\nHeadline\nStory.\n")
    assert report["related"] == ["Other one"]
    assert report["dropped"] == [
        (3, "a related headline again"),
        (4, "the story's own headline, in a related box"),
        (5, "the headline again"),
    ]


def test_lines_are_cleaned_and_numbered_as_editors_count_them():
    lines = split_lines("\ufeffOne\r\n\r\n  Two\t\tthree \x1b[31m\rFour\u2028five\n")
    assert [(line.number, line.text) for line in lines] == [
        (1, "One"),
        (3, "Two three [31m"),
        (4, "Four five"),
    ]
    assert clean_line("\u00a0 a\u00a0b ") == "a b"


def test_words_ignore_case_punctuation_apostrophes_and_dashes():
    assert words("Flood-barrier test passes, ahead of winter storms!") == words(
        "flood barrier TEST passes ahead of winter storms"
    )
    assert words("Kim’s") == words("Kims")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "the report is empty"),
        ("\n\n- Other\nHeadline\n", 3, "no headline: the report starts with a list"),
        ("Baca juga: Other\nHeadline\n", 1, "no headline: the report starts with a list"),
        ("...\nStory.\n", 1, "no headline: the first line has no words"),
        ("\nHeadline\nThe dek.\nThe dek.\n", 2, "the report has no story after its headline"),
    ],
)
def test_what_is_no_report_is_a_located_problem(text, line, message):
    with pytest.raises(ImportFailed) as failed:
        read_plain_report(text, "r.txt")
    (problem,) = failed.value.problems
    assert str(problem).startswith(f"r.txt:{line}: error: {message}")
