"""``dossier import``: turn a news report into a draft article for the editor to curate.

The report is a text file, a saved web page, or standard input (``-``, to paste). All
input is read and every problem collected (an unknown ``--topic``, an unreadable file,
no headline) before anything is written; the draft is then written to
``content/articles/<yyyy>/<mm>/<slug>.md``, never over an existing file, and its path
printed, so that ``$EDITOR "$(dossier import -q report.txt)"`` opens it. A page saved with
its files (``Page.html`` and ``Page_files/``) brings its lead picture: copied beside the
draft first, and removed again if the draft cannot be written, so both are or neither.
"""

from __future__ import annotations

import argparse
import codecs
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dossierpress.commands import Command, add_common, require_content
from dossierpress.config import SiteConfig, format_size
from dossierpress.console import NOTICE, get_logger
from dossierpress.content.fields import DateProblem, parse_date
from dossierpress.content.slugs import name_too_long, tag_key
from dossierpress.content.writer import write_new
from dossierpress.editing.catalog import read_catalog
from dossierpress.errors import ContentError, printable
from dossierpress.importing.draft import Draft, DraftOptions, ImportMoment, make_draft
from dossierpress.importing.picture import copy_new, saved_folder
from dossierpress.importing.plain import read_plain_report
from dossierpress.importing.report import ImportFailed, Problem, Report
from dossierpress.importing.site import SiteIndex
from dossierpress.interrupt import Interrupted
from dossierpress.output import describe

log = get_logger("import")

STDIN = "-"
STDIN_SHOWN = "<stdin>"
PAGE_SUFFIXES = (".html", ".htm", ".xhtml")
MAX_PAGE_SIZE = 20_000_000
"""The largest saved page read (20 MB): pages carry scripts, styles and inlined images
around a few kB of story; a pasted text report is held to ``max_file_size`` instead."""

DESCRIPTION = """\
Turn a news report into a draft article (draft: true) for you to curate, in
content/articles/<yyyy>/<mm>/<slug>.md, and print its path.

The report is text as a browser or scraper copies it (headline on the first line, then
the dek, then the story, one paragraph a line), or a saved web page (.html, .htm), or
- to read standard input (paste, then Ctrl-D on a line of its own).

The headline becomes the title and the dek the summary; repeats and page noise (the
headline and dek printed twice, a paragraph repeated, the end of a paragraph repeated
as a line of its own) are dropped and listed in a comment at the top of the draft; the
"related stories" box becomes related links, pointing at this site's articles and
topics where their titles match. The date is the page's published date, else the one
the text states ("19 June 2024", "Rabu (19/6)": the latest 19 June on a Wednesday),
else the time of the import. The language is guessed from the text; lang is written
when it is not the site's.

A page saved with "Save page, complete" (page.html and its page_files/ folder) brings
its lead picture: the file the browser saved is copied beside the draft and written as
image:, with the alt text, caption and credit the page states; what it does not state
is marked for you to fill in. Nothing is downloaded: a picture not saved with the page
is named in the draft, commented out.
"""

EPILOG = """\
examples:
  dossier import report.txt --topic sanctions --tag "Kim Jong-un"
  dossier import saved-page.html --topic "North Korea" --topic Russia
  dossier import - --date 2024-06-20          paste a report dated from 20 June 2024
  $EDITOR "$(dossier import -q report.txt)"   import, then open the draft
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTION
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument(
        "file",
        metavar="FILE",
        help="the report: a text file, a saved web page (.html, .htm), or - for standard input",
    )
    parser.add_argument(
        "--topic",
        action="append",
        default=[],
        metavar="T",
        help="a topic of the site the article belongs to, by slug, title or alias; repeat "
        "for several",
    )
    parser.add_argument(
        "--tag", action="append", default=[], metavar="X", help="a tag; repeat for several"
    )
    parser.add_argument(
        "--date",
        metavar="D",
        help="the day of the import (2024-06-20, or 2024-06-20T10:30 in the site timezone), "
        "default today: weekday dates count back from it, and it is the date of a report "
        "that states none",
    )
    add_common(parser)


def run(args: argparse.Namespace) -> int:
    source: Path = args.source
    require_content(source)
    try:
        draft = prepare(args)
        written = write(source, draft)
    except ImportFailed as exc:
        for problem in exc.problems:
            is_warning = isinstance(problem, ContentError) and problem.is_warning
            (log.warning if is_warning else log.error)(str(problem))
        return 1
    except Interrupted as exc:  # Ctrl-C while a report is pasted: nothing was written
        log.error("interrupted; nothing written")
        return exc.exit_status
    for warning in draft.warnings:
        log.warning(str(warning))
    log.log(NOTICE, describe(written))
    if draft.picture is not None:
        copied = describe(source / draft.picture.path)
        log.info(f"{copied}: the page's picture, copied from {describe(draft.picture.saved)}")
    elif draft.picture_not_saved is not None:
        shown = printable(draft.picture_not_saved)
        log.info(f"the page's picture {shown} was not saved with it: see 'image' in the draft")
    return 0


def prepare(args: argparse.Namespace) -> Draft:
    """Read the settings, the site and the report, check the options, and make the draft;
    every problem found is raised at once (``ImportFailed``)."""
    source: Path = args.source
    catalog, problems = read_catalog(source)
    if catalog is None:
        raise ImportFailed(problems)
    site = SiteIndex.of(catalog)
    config = catalog.config
    collected: list[ContentError | Problem] = []
    topics = _topics(site, args.topic, collected)
    tags = _tags(args.tag, collected)
    moment = _moment(args.date, config, collected)
    report: Report | None = None
    try:
        report = read_report(args.file, config)
    except ImportFailed as exc:
        collected.extend(exc.problems)
    if collected or report is None or moment is None:
        raise ImportFailed(collected)
    options = DraftOptions(
        _origin(args.file),
        moment,
        topics,
        tags,
        saved_files=None if args.file == STDIN else saved_folder(Path(args.file)),
        exists=lambda path: (source / path).exists() or (source / path).is_symlink(),
    )
    draft = make_draft(report, site, options)
    _check_destination(draft, site, source)
    return draft


def write(source: Path, draft: Draft) -> Path:
    """Write the page's picture, then the draft, never over a file (one may appear after
    the check), and never leave half of either, nor the picture without its draft."""
    picture = _copy_picture(source, draft)
    path = source / draft.path
    try:
        write_new(path, draft.text)
    except FileExistsError:
        _remove(picture)
        raise ImportFailed([_exists(draft)]) from None
    except (OSError, Interrupted) as exc:
        path.unlink(missing_ok=True)  # a half-written draft: ours, since open("x") made it
        _remove(picture)
        if isinstance(exc, Interrupted):
            raise
        raise ImportFailed([Problem(f"cannot write {draft.path}: {exc.strerror or exc}")]) from None
    return path


def _copy_picture(source: Path, draft: Draft) -> Path | None:
    """Copy the page's picture beside where the draft goes; nothing written on failure."""
    if draft.picture is None:
        return None
    path = source / draft.picture.path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        copy_new(draft.picture.saved, path)
    except FileExistsError:
        message = f"{draft.picture.path} exists already; nothing written"
        hint = "import again: the picture gets another name"
        raise ImportFailed([Problem(message, hint)]) from None
    except OSError as exc:
        saved = describe(draft.picture.saved)
        message = f"cannot copy the page's picture {saved}: {exc.strerror or exc}; nothing written"
        raise ImportFailed([Problem(message)]) from None
    return path


def _remove(picture: Path | None) -> None:
    """Take back the picture copied for a draft that could not be written."""
    if picture is not None:
        picture.unlink(missing_ok=True)


@dataclass(frozen=True)
class Input:
    """The report's bytes, how problems name it, and whether it is a saved web page."""

    data: bytes
    shown: str
    is_page: bool


def read_report(name: str, config: SiteConfig) -> Report:
    """The report ``name`` names (``-``: standard input), read as a saved page or as text."""
    given = _read_input(name, config)
    if given.is_page:
        from dossierpress.importing import page  # only now: trafilatura is slow to import

        return page.read_page(page.decode_page(given.data, given.shown), given.shown)
    return read_plain_report(_decode_text(given.data, given.shown), given.shown)


def _read_input(name: str, config: SiteConfig) -> Input:
    """The report's bytes, read up to the largest size taken (a bigger one is refused
    without being read whole), and whether it is a web page."""
    if name == STDIN:
        shown = STDIN_SHOWN
        data = _read_stdin()
    else:
        shown = describe(Path(name))
        data = _read_file(Path(name), shown)
    is_page = name.lower().endswith(PAGE_SUFFIXES) or _looks_like_a_page(data)
    limit = MAX_PAGE_SIZE if is_page else config.max_file_size
    if len(data) > limit:
        raise ImportFailed([_too_big(shown, limit, is_page)])
    return Input(data, shown, is_page)


def _read_stdin() -> bytes:
    if sys.stdin is None:  # started without one (pythonw, a service)
        raise ImportFailed([ContentError(STDIN_SHOWN, 1, "there is no standard input to read")])
    if sys.stdin.isatty():  # a prompt for the person at the terminal, not a message
        sys.stderr.write("Paste the report, then press Ctrl-D on a line of its own.\n")
    stream = getattr(sys.stdin, "buffer", None)
    try:
        return stream.read(MAX_PAGE_SIZE + 1) if stream else sys.stdin.read().encode("utf-8")
    except OSError as exc:
        message = f"cannot read standard input: {exc.strerror or exc}"
        raise ImportFailed([ContentError(STDIN_SHOWN, 1, message)]) from None


def _read_file(path: Path, shown: str) -> bytes:
    try:
        with open(path, "rb") as file:
            return file.read(MAX_PAGE_SIZE + 1)
    except IsADirectoryError:
        problem = ContentError(shown, 1, "cannot read this file: it is a folder")
    except OSError as exc:
        problem = ContentError(shown, 1, f"cannot read this file: {exc.strerror or exc}")
    raise ImportFailed([problem])


def _looks_like_a_page(data: bytes) -> bool:
    """Whether a report without an ``.html`` name is a web page all the same (a page
    piped from ``curl``, or saved as ``.txt``)."""
    start = data.removeprefix(codecs.BOM_UTF8).lstrip()[:15].lower()
    return start.startswith((b"<!doctype html", b"<html"))


def _too_big(shown: str, limit: int, is_page: bool) -> ContentError:
    what = "a saved page" if is_page else "a report"
    hint = None if is_page else "max_file_size in site.yaml"
    message = f"{what} of more than {format_size(limit)} is not imported"
    return ContentError(shown, 1, message, hint=hint)


def _decode_text(data: bytes, shown: str) -> str:
    """A text report as UTF-8 (a byte order mark tolerated), as content files are."""
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        hint = "save the report with UTF-8 encoding"
        raise ImportFailed([ContentError(shown, line, "not valid UTF-8", hint=hint)]) from None


def _origin(name: str) -> str:
    """The input as the draft's comment names it."""
    return "standard input" if name == STDIN else describe(Path(name))


def _topics(
    site: SiteIndex, given: list[str], problems: list[ContentError | Problem]
) -> tuple[str, ...]:
    """The slugs of the topics given, each once: a slug stays right when a title changes."""
    slugs = []
    for text in given:
        found = site.topic_slug(text)
        if isinstance(found, Problem):
            problems.append(found)
        elif found not in slugs:
            slugs.append(found)
    return tuple(slugs)


def _tags(given: list[str], problems: list[ContentError | Problem]) -> tuple[str, ...]:
    """The tags as written, each once (compared as the build compares tags)."""
    tags: dict[str, str] = {}
    for text in given:
        tag = text.strip()
        key = tag_key(tag)
        if not key:
            problems.append(Problem(f"tag '{text}' given with --tag has no letters or digits"))
        elif too_long := name_too_long(key):
            problems.append(Problem(f"tag given with --tag is too long: {too_long}", "shorten it"))
        else:
            tags.setdefault(key, tag)
    return tuple(tags.values())


def _moment(
    given: str | None, config: SiteConfig, problems: list[ContentError | Problem]
) -> ImportMoment | None:
    """When the import happens: ``--date``, else now, in the site timezone, to the minute."""
    if given is None:
        return ImportMoment(datetime.now(config.zone).replace(second=0, microsecond=0))
    try:
        when, has_time = parse_date(given, config.zone)
    except DateProblem as exc:
        problems.append(Problem(f"--date: {exc.message}", exc.hint))
        return None
    when = when.astimezone(config.zone).replace(second=0, microsecond=0)
    return ImportMoment(when, given=True, has_time=has_time)


def _check_destination(draft: Draft, site: SiteIndex, source: Path) -> None:
    """Refuse to write over a file, to take another article's address, to write outside
    ``content/`` (through a link) or to write a file the build would refuse as too big."""
    if (source / draft.path).exists() or (source / draft.path).is_symlink():
        raise ImportFailed([_exists(draft)])
    other = site.article_at(draft.slug, draft.month)
    if other is not None:
        address = f"{draft.month[0]:04d}/{draft.month[1]:02d}/{draft.slug}/"
        message = f"{other.path} has the address {address} already; nothing written"
        raise ImportFailed([Problem(message, "edit that article, or change the headline")])
    content = (source / "content").resolve()
    if not (source / draft.path).resolve().is_relative_to(content):
        message = f"{draft.path} would be written outside content/ (a symbolic link)"
        raise ImportFailed([Problem(message + "; nothing written")])
    size = len(draft.text.encode("utf-8"))
    if size > site.config.max_file_size:
        limit = format_size(site.config.max_file_size)
        message = f"the draft would be {format_size(size)}, over the {limit} limit of the build"
        raise ImportFailed([Problem(message, "max_file_size in site.yaml")])


def _exists(draft: Draft) -> Problem:
    return Problem(
        f"{draft.path} exists already; nothing written",
        "was this report imported before? edit that file, or move it away and import again",
    )


COMMAND = Command("import", "turn a news report into a draft article", add_arguments, run)
