"""What the importer reads out of a report before it becomes a draft: the story's parts,
what was dropped on the way (so the draft can list it), and the problems that stop an
import."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from dossierpress.errors import ContentError, printable


@dataclass(frozen=True)
class Line:
    """One line of the report, cleaned of control characters and runs of spaces."""

    text: str
    number: int | None = None
    """1-based line in the input; None for text extracted from a web page, whose lines
    are not the file's."""


@dataclass(frozen=True)
class Paragraph:
    """A line of the story's body: a paragraph, or an item of a bulleted list."""

    line: Line
    item: bool = False


@dataclass(frozen=True)
class Dropped:
    """A line left out of the draft, and why, so the editor can restore a wrong guess."""

    line: Line
    why: str
    """What the line was taken for: "the dek again", "a repeat of line 9"…"""
    above_story: bool = False
    """Whether it stood between the headline and the story (a byline, a time stamp):
    such lines are still read for the date."""


@dataclass(frozen=True)
class Related:
    """The headline of another story, from a "related" or "read also" box."""

    title: str
    url: str | None = None
    """Where a saved page's box linked it."""


@dataclass(frozen=True)
class LeadPicture:
    """The picture a saved page puts at the top of its story, as the page states it."""

    url: str
    """Its address, made absolute against the page's when the page has one."""
    stated_in: str
    """Where the page states it, for the draft's comment: "its JSON-LD", "og:image"."""
    alt: str | None = None
    """What it shows, for readers who cannot see it."""
    alt_from_caption: bool = False
    """The page gives no description, and ``alt`` is its caption: the editor checks it."""
    caption: str | None = None
    credit: str | None = None
    licence: str | None = None


@dataclass(frozen=True)
class PageMetadata:
    """What a saved page says about itself (JSON-LD, Open Graph, ``<meta>``)."""

    published: datetime | date | None = None
    """A naive date-time is in the site's timezone, as in front matter."""
    published_from: str = ""
    """Where ``published`` was read, for the draft's comment: "datePublished in its
    JSON-LD"."""
    authors: tuple[str, ...] = ()
    outlet: str | None = None
    url: str | None = None
    picture: LeadPicture | None = None


@dataclass(frozen=True)
class Report:
    """A news report, read: the story's parts and what was dropped on the way."""

    headline: Line
    dek: Line | None
    related: tuple[Related, ...]
    paragraphs: tuple[Paragraph, ...]
    dropped: tuple[Dropped, ...]
    page: PageMetadata | None = None
    """Set when the report was a saved web page."""
    warnings: tuple[ContentError, ...] = ()
    """What was skipped while reading it (an unreadable JSON-LD block); the import goes on."""

    def lines_stating_a_date(self) -> list[str]:
        """The text a date is looked for in, most trusted first: what stood above the
        story (a time stamp under the headline), then the headline, the dek and the body.
        Related headlines are left out: their dates are other stories'."""
        above = [d.line.text for d in self.dropped if d.above_story]
        return [*above, *self._story_lines()]

    def story_text(self) -> str:
        """Headline, dek and body as one text, to guess its language from."""
        return "\n".join(self._story_lines())

    def _story_lines(self) -> list[str]:
        lead = [self.headline.text, *([self.dek.text] if self.dek else [])]
        return [*lead, *(p.line.text for p in self.paragraphs)]


@dataclass(frozen=True)
class Problem:
    """A problem with no place in a file (a ``--topic`` value): ``error: message``."""

    message: str
    hint: str | None = None

    def __str__(self) -> str:
        text = f"error: {self.message}" + (f" ({self.hint})" if self.hint else "")
        return printable(text)


class ImportFailed(Exception):
    """Raised with every problem found, so the editor can fix them in one go."""

    def __init__(self, problems: Iterable[ContentError | Problem]) -> None:
        self.problems: list[ContentError | Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
