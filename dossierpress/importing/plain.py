"""Reading a report pasted as plain text, as a browser or a scraper copies it.

Such a text typically reads: the headline; the dek (standfirst), often twice; a block of
``- `` lines that are headlines of *other* stories (a "related" box); the headline again;
then the body, one paragraph a line, with page noise: a paragraph repeated, the end of a
paragraph repeated as a line of its own (a pull quote), "Baca juga: …" / "Read also: …"
boxes. ``read_plain_report`` takes the headline and dek once and sorts every other line
into the body, a related headline, or a dropped line with the reason, so that nothing is
lost without the editor being told. ``clean_body`` is the part a saved web page's text
goes through as well (``page``).

Lines are compared as words (``words``): case, punctuation, apostrophes and spacing do
not count, so a repeat copied with other quotes or a stray space is still a repeat.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from dossierpress.content.names import clean_line, comparable
from dossierpress.errors import ContentError
from dossierpress.importing.report import (
    Dropped,
    ImportFailed,
    Line,
    Paragraph,
    Related,
    Report,
)

HEADER_REACH = 15
"""How far down the headline's repeat is looked for: it closes the page's header (dek,
related box, byline), which is never longer than this."""
SHORT_LINE = 80
"""A line this long or shorter, not ending a sentence, between the headline and its
repeat is header furniture (a byline, a time stamp, "Share"), not story."""
HEADLINE_LENGTH = 150
"""The longest line taken for a headline under a lone "Read also" label."""

_LIST_ITEM = re.compile(r"[-•*]\s+(?P<text>\S.*)")
_INLINE_LABEL = re.compile(r"(?P<label>[^:：]{2,40}?)\s*[:：]\s*(?P<text>\S.*)")
_APOSTROPHES = re.compile("['’ʼ‘`´]")
_WORD = re.compile(r"\w+")
_SENTENCE_END = (".", "!", "?", '"', "”", "’", "»")


def words(text: str) -> tuple[str, ...]:
    """The words of ``text`` as lines are compared: "Kim's" is "kims", "Flood-barrier"
    is "flood barrier", whatever the case, quotes, dashes or spacing."""
    folded = _APOSTROPHES.sub("", comparable(text).casefold())
    return tuple(_WORD.findall(folded))


_RELATED_LABELS = frozenset(
    words(label)
    for label in (
        "baca juga",
        "baca pula",
        "simak juga",
        "lihat juga",
        "artikel terkait",
        "berita terkait",
        "related",
        "related stories",
        "related articles",
        "read also",
        "also read",
        "read more",
        "see also",
        "more on this story",
    )
)
"""The labels outlets put over a box of other stories' headlines, in English and
Indonesian."""


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of ``text``, cleaned, each with its line number (counted as
    editors count them: ``\\n``, ``\\r\\n`` or ``\\r`` end a line)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = (Line(clean_line(raw), number) for number, raw in enumerate(text.split("\n"), 1))
    return [line for line in lines if line.text]


def list_item(line: Line) -> str | None:
    """The text of a ``- item`` (or ``• item``) line, else None."""
    match = _LIST_ITEM.fullmatch(line.text)
    return match["text"] if match else None


def is_related_label(line: Line) -> bool:
    """Whether the line is only a label such as "Baca juga:" or "Related stories"."""
    return words(line.text) in _RELATED_LABELS


def labelled_headline(line: Line) -> str | None:
    """The headline of a "Baca juga: Headline" line, else None."""
    match = _INLINE_LABEL.fullmatch(line.text)
    if match is None or words(match["label"]) not in _RELATED_LABELS:
        return None
    return match["text"]


def read_plain_report(text: str, origin: str) -> Report:
    """A pasted report, read (see the module docstring); ``origin`` names it in problems.

    Raises ``ImportFailed`` when there is no text, no headline or no story.
    """
    lines = split_lines(text)
    if not lines:
        raise ImportFailed([ContentError(origin, 1, "the report is empty")])
    headline = lines[0]
    _check_headline(headline, origin)
    rest = lines[1:]
    header_length = _header_length(headline, rest)
    sorting = _Sorting(headline)
    _sort_header(sorting, rest[:header_length])
    _sort_body(sorting, rest[header_length:])
    if not sorting.paragraphs:
        message = "the report has no story after its headline"
        raise ImportFailed([ContentError(origin, headline.number or 1, message)])
    return Report(
        headline=headline,
        dek=sorting.dek,
        related=tuple(sorting.related),
        paragraphs=tuple(sorting.paragraphs),
        dropped=tuple(sorting.dropped),
    )


@dataclass(frozen=True)
class Body:
    """A body sorted out: what stays, what moves to ``related``, what is dropped."""

    paragraphs: tuple[Paragraph, ...]
    related: tuple[Related, ...]
    dropped: tuple[Dropped, ...]


def clean_body(
    lines: Sequence[Line], *, headline: Line, dek: Line | None, related: Sequence[Related] = ()
) -> Body:
    """The story's lines in order, with repeats, echoed tails and related boxes taken out.

    A line equal to an earlier one (the headline, the dek, a paragraph) is dropped, and so
    is a line that is the end of the paragraph just before it. A related box inside the
    body ("Baca juga:" and its items, or "Baca juga: Headline") moves to ``related``,
    after the headlines already known (``related``), each headline once.
    """
    sorting = _Sorting(headline, dek)
    for entry in related:
        sorting.relate(entry)
    _sort_body(sorting, lines)
    return Body(tuple(sorting.paragraphs), tuple(sorting.related), tuple(sorting.dropped))


def _check_headline(headline: Line, origin: str) -> None:
    """The first line must read as a headline, not as the related box or a label."""
    if _is_box_line(headline):
        message = "no headline: the report starts with a list of other stories' headlines"
        hint = "put the story's headline on the first line"
        raise ImportFailed([ContentError(origin, headline.number or 1, message, hint=hint)])
    if not words(headline.text):
        message = "no headline: the first line has no words"
        raise ImportFailed([ContentError(origin, headline.number or 1, message)])


def _is_box_line(line: Line) -> bool:
    """A line of a related box: an item, a label alone, or "Label: headline"."""
    return (
        list_item(line) is not None or is_related_label(line) or labelled_headline(line) is not None
    )


def _same(a: Line, b: Line) -> bool:
    return words(a.text) == words(b.text)


def _header_length(headline: Line, rest: Sequence[Line]) -> int:
    """How many lines after the headline belong to the page's header, not the story.

    When the headline comes again, the header ends there. Otherwise the second line is
    the dek only when the page's shape shows it (it is repeated, or a related box follows
    it); a report with neither starts its story on the second line.
    """
    again = _headline_again(headline, rest)
    if again is not None:
        return again + 1
    length = 0
    if rest and _may_be_a_dek(rest[0]):
        dek = rest[0]
        length = 1
        while length < len(rest) and (_same(rest[length], dek) or list_item(rest[length])):
            length += 1
        return length if length > 1 else 0
    while length < len(rest) and _is_box_line(rest[length]):
        length += 1
    return length


def _may_be_a_dek(line: Line) -> bool:
    """Not a box line, and not the opening of a list (a line ending in ":")."""
    return not _is_box_line(line) and not line.text.endswith((":", "："))


def _headline_again(headline: Line, rest: Sequence[Line]) -> int | None:
    """Where the headline is repeated to close the header, if it is.

    Only what a header holds may come between: one dek (and its repeats), related boxes
    and furniture (bylines, time stamps: short, and no sentence); a repeat further down,
    after the story began, is a repeat like any other.
    """
    dek: Line | None = None
    for index, line in enumerate(rest[:HEADER_REACH]):
        if _same(line, headline):
            return index
        if _is_box_line(line) or _reads_like_furniture(line):
            continue
        if dek is None:
            dek = line
        elif not _same(line, dek):
            return None
    return None


@dataclass
class _Sorting:
    """Where each line of a report went, as the report is read top to bottom."""

    headline: Line
    dek: Line | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    related: list[Related] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    seen: dict[tuple[str, ...], str] = field(default_factory=dict)
    """The words of every line kept so far → what a repeat of it is called."""
    related_seen: set[tuple[str, ...]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.seen[words(self.headline.text)] = "the headline again"
        self.related_seen.add(words(self.headline.text))  # some boxes list the story itself
        if self.dek is not None:
            self.take_dek(self.dek)

    def take_dek(self, line: Line) -> None:
        self.dek = line
        self.seen.setdefault(words(line.text), "the dek again")

    def drop(self, line: Line, why: str, *, above_story: bool = False) -> None:
        self.dropped.append(Dropped(line, why, above_story))

    def relate(self, entry: Related, line: Line | None = None) -> None:
        """Add another story's headline, once; a repeat (or this story's own headline,
        which some boxes list) is dropped when it was a line of the report."""
        key = words(entry.title)
        if key and key not in self.related_seen:
            self.related_seen.add(key)
            self.related.append(entry)
        elif line is not None:
            why = (
                "the story's own headline, in a related box"
                if key == words(self.headline.text)
                else "a related headline again"
            )
            self.drop(line, why)

    def keep(self, line: Line) -> None:
        """Keep a line of the story, unless it repeats what came before."""
        key = words(line.text)
        if not key:
            self.drop(line, "no words")
        elif key in self.seen:
            self.drop(line, self.seen[key])
        elif self.paragraphs and _is_tail_of(key, self.paragraphs[-1].line):
            self.drop(line, _tail_of(self.paragraphs[-1].line))
        else:
            item = list_item(line)
            paragraph = Paragraph(Line(item, line.number), item=True) if item else Paragraph(line)
            self.paragraphs.append(paragraph)
            self.seen[key] = _repeat_of(line)


def _sort_header(sorting: _Sorting, lines: Sequence[Line]) -> None:
    """The dek, the related box and what else stood between the headline and the story."""
    for line in lines:
        item = list_item(line) or labelled_headline(line)
        if item is not None:
            sorting.relate(Related(item), line)
        elif _same(line, sorting.headline):
            sorting.drop(line, "the headline again")
        elif is_related_label(line):
            sorting.drop(line, "the label of a related-stories box")
        elif sorting.dek is None:
            sorting.take_dek(line)
        elif _same(line, sorting.dek):
            sorting.drop(line, "the dek again")
        else:
            sorting.drop(line, "above the story", above_story=True)


def _sort_body(sorting: _Sorting, lines: Sequence[Line]) -> None:
    index = 0
    while index < len(lines):
        line = lines[index]
        if is_related_label(line):
            sorting.drop(line, "the label of a related-stories box")
            index = _take_box(sorting, lines, index + 1)
            continue
        headline = labelled_headline(line)
        if headline is not None:
            sorting.relate(Related(headline), line)
        else:
            sorting.keep(line)
        index += 1


def _take_box(sorting: _Sorting, lines: Sequence[Line], start: int) -> int:
    """Move the headlines under a related-box label to ``related``; return the index of
    the first line after the box. With no ``- `` items, the one line after the label is
    the headline when it reads like one (short, no full stop)."""
    index = start
    while index < len(lines) and (item := list_item(lines[index])) is not None:
        sorting.relate(Related(item), lines[index])
        index += 1
    if index == start and index < len(lines) and _reads_like_a_headline(lines[index]):
        sorting.relate(Related(lines[index].text), lines[index])
        index += 1
    return index


def _reads_like_a_headline(line: Line) -> bool:
    return len(line.text) <= HEADLINE_LENGTH and not line.text.endswith(_SENTENCE_END)


def _reads_like_furniture(line: Line) -> bool:
    return len(line.text) <= SHORT_LINE and not line.text.endswith(_SENTENCE_END)


def _is_tail_of(tail: tuple[str, ...], paragraph: Line) -> bool:
    """Whether ``tail`` is the last words of ``paragraph``, repeated (a pull quote)."""
    whole = words(paragraph.text)
    return 0 < len(tail) < len(whole) and whole[-len(tail) :] == tail


def _repeat_of(line: Line) -> str:
    """What a later copy of ``line`` is called in the draft's list of dropped lines."""
    return f"a repeat of line {line.number}" if line.number else "a repeat of an earlier paragraph"


def _tail_of(line: Line) -> str:
    if line.number:
        return f"the end of line {line.number} again"
    return "the end of the paragraph before it, again"
