"""The content model: what an editor wrote, validated and typed, before anything is resolved.

These are frozen, picklable dataclasses with no behaviour beyond small accessors, so a
persistent cache or a worker process can hold them. References to other documents stay
as the editor wrote them (``Ref``) and keep their line, because the content graph resolves
them later and must be able to point at the line when a target does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Ref:
    """A string an editor wrote in front matter (a slug, a title, a tag, a path), with its line."""

    text: str
    line: int


@dataclass(frozen=True)
class PartialDate:
    """A date only as precise as the source: ``2024``, ``2024-06`` or ``2024-06-19``."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
            if self.day is not None:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)


@dataclass(frozen=True)
class LinkSpec:
    """One entry of ``related`` or ``sources``, unresolved.

    Exactly one of ``url`` (external) and ``ref`` (an article or topic, by slug or title)
    is set for related links; a citation in ``sources`` may have neither.
    """

    line: int
    title: str | None = None
    url: str | None = None
    ref: Ref | None = None
    source: str | None = None
    date: PartialDate | None = None
    archive: str | None = None


GENRES = ("news", "analysis", "opinion", "explainer", "background")
"""The kinds of work an article may be, as the Trust Project asks them labelled; news
first, the default."""


@dataclass(frozen=True)
class ImageSpec:
    """A picture as an editor placed it: a front matter ``image`` (the lead picture) or a
    Markdown image in a body. ``src`` is kept as written; the build finds the file (or
    takes the URL as it is) and reports a problem at ``line``."""

    src: str
    line: int
    """Line of ``src`` (the ``image`` key's for front matter, the image's in a body)."""
    alt: str
    """The text that replaces the picture for who cannot see it; "" declares it
    decorative."""
    caption: str | None = None
    credit: str | None = None
    """Who made the picture (agency, photographer), shown with it."""
    licence: str | None = None
    focus: tuple[float, float] | None = None
    """Where the subject is, as fractions of width and height from the top left: crops
    (share cards) keep it in frame. None: the centre."""
    key_line: int = 0
    """Line of the ``image`` key itself (front matter; 0 in a body)."""


@dataclass(frozen=True)
class Correction:
    """One entry of an article's ``corrections`` log: when the article was corrected and how.

    ``text`` is inline Markdown (wiki links allowed), rendered when the article is shown.
    """

    date: datetime
    """Timezone-aware, like the article's own dates (naive input is in the site timezone)."""
    date_has_time: bool
    text: str
    text_line: int
    date_line: int
    """File lines of the two values, for problems found later (wiki links, dates)."""


@dataclass(frozen=True)
class Event:
    """One entry of a topic's ``events``: something that happened, as precisely dated as
    known, told in a line of inline Markdown (wiki links allowed), with the articles
    that report it.

    An event is the dossier's own chronology, not an article: the timeline orders it
    among the articles by its date, and the refs stay unresolved here (``Ref``, with
    their lines) until the content graph resolves them like ``pinned``.
    """

    date: PartialDate
    text: str
    refs: tuple[Ref, ...]
    line: int
    """The line of the entry itself (its ``- ``), for problems about the whole entry."""
    text_line: int
    """The line of ``text``, where its wiki links are reported."""


@dataclass(frozen=True)
class Document:
    """What articles and topics share: where they come from and their Markdown body."""

    path: str
    """Source path relative to the source root, POSIX separators (``content/topics/x.md``)."""
    slug: str
    title: str
    body: str
    body_line: int
    """File line (1-based) of the body's first line, to map Markdown token lines to the file."""
    title_line: int
    lang: str | None
    """BCP 47 language when the editor set one; None means the site language."""
    summary: str | None
    summary_line: int | None


@dataclass(frozen=True)
class Article(Document):
    date: datetime
    """Publication time, timezone-aware (naive input is read in the site timezone)."""
    date_has_time: bool
    date_line: int
    updated: datetime | None = None
    updated_has_time: bool = False
    image: ImageSpec | None = None
    """The lead picture: shown first, and made into the page's share card."""
    genre: str = "news"
    """The kind of work (``GENRES``): news, analysis, opinion, explainer or background,
    labelled for readers and in structured data."""
    topics: tuple[Ref, ...] = ()
    tags: tuple[Ref, ...] = ()
    related: tuple[LinkSpec, ...] = ()
    sources: tuple[LinkSpec, ...] = ()
    authors: tuple[str, ...] = ()
    """The names in ``authors``, as written; the graph links those that name an author
    file (``Author``) to its page."""
    author_lines: tuple[int, ...] = ()
    """The file line of each of ``authors``, for a warning about one of them."""
    draft: bool = False
    aliases: tuple[Ref, ...] = ()
    """Old URL paths (``/old/path/``) that get a redirect page to this article."""
    translation_of: Ref | None = None
    """The article this one translates (or is translated by), by slug or title: the two
    pages link each other and declare each other as ``hreflang`` alternates."""
    corrections: tuple[Correction, ...] = ()
    """The corrections log, oldest first; see ``modified``."""
    about: PartialDate | None = None
    """When what the article reports happened, as precisely as known (``about:
    2024-02``), when that is not its publication: the dossier's timeline places it
    there. None: at its publication date."""
    about_line: int = 0
    """The file line of ``about`` (0 without one), for a warning about it."""
    scheduled: bool = False
    """Dated after the build's time and shown all the same (``--future``, the preview),
    marked as such. Set by the build (``publication``), never read from front matter."""

    @property
    def modified(self) -> datetime:
        """When the article last changed: its newest correction or ``updated``, else ``date``.

        What feeds, sitemaps and structured data call its modification time, so a
        corrected article moves up in feeds.
        """
        return max((self.date, self.updated or self.date, *(c.date for c in self.corrections)))


@dataclass(frozen=True)
class Topic(Document):
    image: ImageSpec | None = None
    """The dossier's picture: on its page, its cards and its share card."""
    related_topics: tuple[Ref, ...] = ()
    aliases: tuple[Ref, ...] = ()
    """Alternative names (an Indonesian title, an abbreviation), usable in wiki links."""
    key_facts: tuple[Ref, ...] = ()
    """Short Markdown strings for the "key facts" box."""
    pinned: tuple[Ref, ...] = ()
    """Articles the editor puts first as essential reading (slugs or titles)."""
    title_translations: tuple[tuple[str, str], ...] = ()
    """(language, title) pairs, by language: the topic's name on pages in that language."""
    weight: int | None = None
    """Where the topic goes on the home page: topics with a weight first, lowest first."""
    events: tuple[Event, ...] = ()
    """What happened, in the editor's order: the dossier's timeline shows each at its
    date among the articles."""


@dataclass(frozen=True)
class Author(Document):
    """A person who writes for the site: ``content/authors/<slug>.md``.

    Shared with articles and topics: ``title`` is the author's ``name``, ``summary`` the
    short ``bio`` (plain text, as a summary is), ``body`` the longer biography. An
    article's ``authors`` names one by name or slug."""

    role: str | None = None
    """What the person does for the site ("Correspondent in Seoul"), shown with the name."""
    links: tuple[LinkSpec, ...] = ()
    """Pages about the person elsewhere (a profile, a personal site): ``url``, maybe
    ``title``."""
    image: ImageSpec | None = None
    """The author's picture, on their page and its share card."""


@dataclass(frozen=True)
class Asset:
    """A file under ``content/`` that is copied to the output unchanged."""

    path: str
    """Source path relative to the source root (``content/img/map.png``)."""
    output: str
    """Output path relative to the output root (``img/map.png``)."""
