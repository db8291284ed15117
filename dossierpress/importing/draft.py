"""A report made into a draft article: its front matter, its Markdown body, its path.

Everything the importer guessed is said in the file, in comments the editor reads and
deletes: which lines it dropped (so a wrong guess costs a copy back, not a lost
paragraph), where the date came from, that the language was guessed. The front matter is
written by ``content.writer``, so every value reads back as written; the body is the
report's text with everything Markdown would read as syntax escaped, so it renders as
the words that were pasted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path, PurePosixPath

from babel.dates import format_date

from dossierpress.content.slugs import article_slug
from dossierpress.content.writer import Entry, document
from dossierpress.errors import ContentError, printable
from dossierpress.graph.resolve import primary_language
from dossierpress.importing.dates import date_names, find_date
from dossierpress.importing.language import guess_language
from dossierpress.importing.picture import (
    PictureCopy,
    clean_name,
    example_entry,
    find_saved,
    free_path,
    image_entry,
)
from dossierpress.importing.report import ImportFailed, PageMetadata, Paragraph, Report
from dossierpress.importing.site import SiteIndex
from dossierpress.yamlsafe import shorten

DROPPED_SHOWN = 80
"""How much of a dropped line its comment quotes."""

_ALWAYS_ESCAPED = re.compile(r"([\\`*_\[\]<~])")
"""Characters that are Markdown syntax wherever they stand: emphasis, code, links, wiki
links and footnotes, raw HTML and autolinks, strikethrough, and the escape itself."""
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
"""An ``&`` that would start a character reference (``&amp;``) and be read as one."""
_BLOCK_START = re.compile(r"[#>+-]|\d{1,9}(?=[.)])")
"""What makes a line a heading, quote, list item or thematic break when it starts it:
``#``, ``>``, ``+``, ``-``, and the number of a numbered list (``1.``, ``2027)``)."""


@dataclass(frozen=True)
class ImportMoment:
    """When the import happens: what weekday dates count back from, and the draft's date
    when the text states none."""

    when: datetime
    """Aware, in the site timezone, to the minute."""
    given: bool = False
    """Given with ``--date`` rather than read from the clock."""
    has_time: bool = True
    """False for ``--date 2026-12-02``: the draft's date is then a day."""

    @property
    def value(self) -> date | datetime:
        return self.when if self.has_time else self.when.date()


@dataclass(frozen=True)
class DraftOptions:
    """What the command line adds to the report."""

    origin: str
    """The input as the draft's comment names it: ``report.txt``, ``standard input``."""
    moment: ImportMoment
    topics: tuple[str, ...] = ()
    """Topic slugs, already checked (``SiteIndex.topic_slug``)."""
    tags: tuple[str, ...] = ()
    saved_files: Path | None = None
    """The folder the browser saved the page's files in (``Page_files/``), if any: where
    its lead picture is looked for."""
    exists: Callable[[str], bool] = lambda path: False
    """Whether a path relative to the site's folder is taken: the picture's copy is never
    written over a file."""


@dataclass(frozen=True)
class Draft:
    """The file to write: where (``content/articles/<yyyy>/<mm>/<slug>.md``) and what."""

    path: str
    slug: str
    month: tuple[int, int]
    text: str
    warnings: tuple[ContentError, ...] = ()
    """The report's warnings, told when the draft is written."""
    picture: PictureCopy | None = None
    """The page's lead picture, to copy beside the draft (its ``image.src``)."""
    picture_not_saved: str | None = None
    """The address of a lead picture the page states but was not saved with it."""


@dataclass(frozen=True)
class Dated:
    """The draft's date and the comment saying where it came from."""

    value: date | datetime
    note: str


def make_draft(report: Report, site: SiteIndex, options: DraftOptions) -> Draft:
    """The draft article for ``report``. Raises ``ImportFailed`` when the headline gives
    no file name."""
    zone = site.config.zone
    dated = publication_date(report, site, options.moment)
    slug = article_slug(report.headline.text)
    if not slug:
        line = report.headline.number or 1
        message = "cannot make a file name from the headline: it has no letters or digits"
        raise ImportFailed([ContentError(options.origin, line, message)])
    month = _month_of(dated.value, zone)
    path = f"content/articles/{month[0]:04d}/{month[1]:02d}/{slug}.md"
    copy = picture_copy(report, options, str(PurePosixPath(path).parent))
    entries = [
        Entry("draft", True, note=_import_note(report, options.origin)),
        Entry("title", report.headline.text),
        Entry("date", dated.value, note=dated.note),
        *optional_entries(report, site, options),
        picture_entry(report, options, copy),
    ]
    body = body_markdown(report.paragraphs)
    page = report.page
    missing = page.picture.url if page and page.picture and copy is None else None
    text = document(entries, body)
    return Draft(path, slug, month, text, report.warnings, copy, missing)


def picture_copy(report: Report, options: DraftOptions, folder: str) -> PictureCopy | None:
    """The page's lead picture as the browser saved it, and where its copy goes in
    ``folder`` (the draft's), if the page states one and it was saved with it."""
    page = report.page
    if page is None or page.picture is None or options.saved_files is None:
        return None
    saved = find_saved(page.picture.url, options.saved_files)
    if saved is None:
        return None
    return PictureCopy(saved, free_path(folder, clean_name(saved.name), options.exists))


def picture_entry(report: Report, options: DraftOptions, copy: PictureCopy | None) -> Entry:
    """``image``: the page's picture, else a commented example to fill in."""
    page = report.page
    if page is None or page.picture is None:
        return example_entry()
    return image_entry(page.picture, copy, options.saved_files)


def optional_entries(report: Report, site: SiteIndex, options: DraftOptions) -> list[Entry]:
    """The keys a report may or may not fill, in the order editors read them."""
    entries = []
    if report.dek is not None:
        entries.append(Entry("summary", report.dek.text))
    language = language_entry(report, site)
    if language is not None:
        entries.append(language)
    if options.topics:
        entries.append(Entry("topics", list(options.topics)))
    if options.tags:
        entries.append(Entry("tags", list(options.tags)))
    page = report.page
    if page is not None and page.authors:
        entries.append(Entry("authors", list(page.authors)))
    if report.related:
        note = "related: the report's related stories; 'ref' where this site has the story"
        entries.append(Entry("related", related_entries(report, site), note=note))
    source = source_entry(report, site.config.zone)
    if source is not None:
        entries.append(Entry("sources", [source]))
    return entries


def publication_date(report: Report, site: SiteIndex, moment: ImportMoment) -> Dated:
    """The page's published date, else the date the text states, else the import's."""
    zone = site.config.zone
    page = report.page
    if page is not None and page.published is not None:
        note = f"date: the page's published date ({page.published_from})"
        return Dated(_in_zone(page.published, zone), note)
    today = moment.when.date()
    stated = find_date(report.lines_stating_a_date(), today, date_names(site.languages()))
    if stated is not None:
        note = f"date: from '{stated.phrase}' in the text"
        if stated.from_weekday:
            day = format_date(stated.day, "EEEE d MMMM", locale="en")
            note += f"\n(the latest {day} on or before {today.isoformat()}, the day of the import)"
        return Dated(stated.day, note)
    if moment.given:
        return Dated(moment.value, "date: the day of the import (--date); the text gives none")
    return Dated(moment.value, "date: the time of the import; the text gives none")


def language_entry(report: Report, site: SiteIndex) -> Entry | None:
    """``lang`` when the text is, by a confident guess, in another language than the site's
    (compared by primary subtag: a site in ``en-GB`` takes English text as its own)."""
    site_language = site.config.language
    guess = guess_language(report.story_text(), site.languages())
    if guess is None or guess == primary_language(site_language):
        return None
    note = f"lang: guessed from the text; the site's language is {site_language}"
    return Entry("lang", guess, note=note)


def related_entries(report: Report, site: SiteIndex) -> list[dict[str, str]]:
    """One ``related`` entry per other story: a ``ref`` when the site has it, else the
    link the page gave, else the headline alone ("a headline not linked yet")."""
    entries = []
    for related in report.related:
        ref = site.related_ref(related.title)
        if ref is not None:
            entries.append({"ref": ref, "title": related.title})
        elif related.url is not None:
            entries.append({"title": related.title, "url": related.url})
        else:
            entries.append({"title": related.title})
    return entries


def source_entry(report: Report, zone: tzinfo) -> dict[str, str | date] | None:
    """A saved page cites itself: ``{title, url, source, date}``, as far as it says."""
    page: PageMetadata | None = report.page
    if page is None or page.url is None:
        return None
    entry: dict[str, str | date] = {"title": report.headline.text, "url": page.url}
    if page.outlet:
        entry["source"] = page.outlet
    if page.published is not None:
        entry["date"] = _day_of(_in_zone(page.published, zone), zone)
    return entry


def body_markdown(paragraphs: Sequence[Paragraph]) -> str:
    """The body: each paragraph a Markdown paragraph, consecutive items one list."""
    blocks: list[str] = []
    previous_was_item = False
    for paragraph in paragraphs:
        text = escape_markdown(paragraph.line.text)
        if paragraph.item and previous_was_item:
            blocks[-1] += f"\n- {text}"
        else:
            blocks.append(f"- {text}" if paragraph.item else text)
        previous_was_item = paragraph.item
    return "\n\n".join(blocks)


def escape_markdown(text: str) -> str:
    """``text`` as a Markdown paragraph that renders as exactly this text.

    Quotes and apostrophes are left alone (they mean nothing to Markdown), and so is
    punctuation that is syntax only at the start of a line when it stands elsewhere.
    """
    escaped = _ENTITY.sub(r"\\&", _ALWAYS_ESCAPED.sub(r"\\\1", text))
    start = _BLOCK_START.match(escaped)
    if start is None:
        return escaped
    if start.group()[0].isdigit():
        end = start.end()
        return f"{escaped[:end]}\\{escaped[end:]}"
    return "\\" + escaped


def _import_note(report: Report, origin: str) -> str:
    """The comment at the top: what this file is, and every line left out of it."""
    lines = [f"Imported from {origin}: check it against the report, then delete 'draft: true'."]
    if report.dropped:
        lines.append("Left out of it (copy back any line that belongs to the story):")
        for dropped in report.dropped:
            where = f"line {dropped.line.number}, " if dropped.line.number else ""
            lines.append(f"  {where}{dropped.why}: {shorten(dropped.line.text, DROPPED_SHOWN)}")
    return "\n".join(printable(line) for line in lines)


def _in_zone(value: date | datetime, zone: tzinfo) -> date | datetime:
    """A page's date as the draft writes it: a day as it is, a time in the site timezone
    (a naive one is taken to be there already), to the minute."""
    if not isinstance(value, datetime):
        return value
    moment = value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(zone)
    return moment.replace(second=0, microsecond=0)


def _day_of(value: date | datetime, zone: tzinfo) -> date:
    return value.astimezone(zone).date() if isinstance(value, datetime) else value


def _month_of(value: date | datetime, zone: tzinfo) -> tuple[int, int]:
    """The year and month the article's address and folder take, in the site timezone."""
    day = _day_of(value, zone)
    return day.year, day.month
