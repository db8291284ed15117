"""UI strings, dates and lists in one language, for the pages written in that language.

A site can mix languages (an Indonesian article on an English site), so the renderer
holds one ``Localizer`` per language and hands each page the one for its language. UI
strings come from gettext catalogues read at build time with Babel from
``layouts/i18n/<lang>.po`` (no compiled ``.mo`` files to keep in sync); a project's own
catalogue overrides the default theme's entry by entry. The message ids are the English
texts, so a language without a catalogue shows English UI strings, while its dates are
still formatted by Babel in that language.

A ``Localizer`` is a frozen dataclass of plain data (picklable for worker processes) and
is itself the ``_`` templates call::

    {{ _("Topics") }}
    {{ _("%(num)d article", "%(num)d articles", page.article_count) }}
    {{ _("By %(names)s", names=_.join(links)) }}

where ``links`` are pieces of HTML a macro made (``Markup``): a message or list filled
with HTML is HTML itself, its own words escaped and the pieces kept as they are.
"""

from __future__ import annotations

import functools
import gettext as stdlib_gettext
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import (
    format_date,
    format_skeleton,
    format_time,
    get_datetime_format,
    get_month_names,
)
from babel.lists import format_list
from babel.messages.catalog import Catalog, Message
from babel.messages.plurals import get_plural
from babel.messages.pofile import PoFileError, read_po
from markupsafe import Markup, escape

from dossierpress.content.model import PartialDate
from dossierpress.content.walk import SourceFile
from dossierpress.errors import ErrorList
from dossierpress.values import DateView
from dossierpress.yamlsafe import shorten

FALLBACK_LOCALE = "en"
CATALOG_DIR = "i18n"

PYTHON_MESSAGES: tuple[tuple[str, str], ...] = (
    ("shared topic %(names)s", "shared topics %(names)s"),
    ("tag %(names)s", "tags %(names)s"),
    ("%(period)s: %(num)d article", "%(period)s: %(num)d articles"),
    ("%(period)s: %(num)d event", "%(period)s: %(num)d events"),
)
"""Plural message ids used from Python (``Localizer.reasons``), not from templates."""

OWN_NAME = "English"
"""The message whose translation in a language's catalogue is that language's own name
("Bahasa Indonesia"), shown beside links to pages in it; without one, Babel's."""
READ_IN = "Read in %(language)s"
"""The link from an article to its version in another language, worded in that language."""
BARS_LABEL = "Articles per month, the most in %(month)s (%(count)d)"
"""The accessible name of a dossier's bar chart (``pages.timeline``)."""
EVENT_LABEL = "Event, %(date)s: %(title)s"
"""The accessible name of an event's point in a dossier's chart (``pages.timeline``)."""
PYTHON_TEXTS: tuple[str, ...] = (OWN_NAME, READ_IN, BARS_LABEL, EVENT_LABEL)
"""Singular message ids used from Python."""

_PLURAL_FORMS_HEADER = re.compile(r'^"Plural-Forms:', re.MULTILINE)
_NPLURALS = re.compile(r'nplurals\s*=\s*([^;"\\]*)')
_PLACEHOLDER = re.compile(r"%\((\w+)\)")
_PLURAL_SAMPLE = (*range(1001), 10**4, 10**5, 10**6, 10**9)
"""The counts a plural expression is tried with when its catalogue is read: every count a
page is likely to show, and a few large ones (rules often differ by the last two digits)."""


@dataclass(frozen=True)
class Localizer:
    """UI strings and Babel formatting for one language; templates call it as ``_``."""

    lang: str
    """The language as the content names it (BCP 47: ``id``, ``en-GB``)."""
    locale: str = FALLBACK_LOCALE
    """The Babel locale used for dates and lists (``en`` when Babel does not know ``lang``)."""
    messages: Mapping[str, str] = field(default_factory=dict, hash=False, repr=False)
    plurals: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False, repr=False)
    """Plural translations keyed by the singular message id."""
    plural_expr: str = "(n != 1)"
    """The catalogue's gettext plural expression (a C expression in ``n``)."""

    def __call__(
        self,
        message: str,
        plural: str | None = None,
        n: int | None = None,
        /,
        **variables: object,
    ) -> str:
        """Translate, pick the plural form for ``n`` and fill ``%(name)s`` placeholders.

        ``n`` is also available to the text as ``%(num)d``, as in Jinja's i18n extension.
        Filled with HTML (a ``Markup`` value, such as links a macro made), the message is
        HTML: its own text is escaped, the value kept, so a template can put links into
        a translated sentence without writing HTML in the catalogue.
        """
        if plural is not None and n is not None:
            text = self.ngettext(message, plural, n)
            variables.setdefault("num", n)
        else:
            text = self.gettext(message)
        if any(isinstance(value, Markup) for value in variables.values()):
            return escape(text) % variables
        return text % variables if variables else text

    def gettext(self, message: str) -> str:
        return self.messages.get(message) or message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        forms = self.plurals.get(singular)
        if not forms:
            return singular if n == 1 else plural
        index = _plural_function(self.plural_expr)(n)
        return forms[min(index, len(forms) - 1)]

    def date(self, value: datetime, has_time: bool) -> DateView:
        """A publication date: "19 Juni 2024", or with its time and zone when one was given."""
        if not has_time:
            day = value.date()
            return DateView(day.isoformat(), format_date(day, "long", locale=self.locale))
        return DateView(value.isoformat(), self._datetime_text(value))

    def partial_date(self, value: PartialDate) -> DateView:
        """A citation date as precise as the source gave it: "2024", "Juni 2024", "19 Juni 2024"."""
        if value.month is None:
            text = format_skeleton("y", date(value.year, 1, 1), locale=self.locale)
        elif value.day is None:
            text = self.month_label(value.year, value.month)
        else:
            text = format_date(date(value.year, value.month, value.day), "long", locale=self.locale)
        return DateView(value.iso, text)

    def month_name(self, month: int) -> str:
        """The standalone month name ("Juni"), for a month heading under its year."""
        return get_month_names("wide", "stand-alone", locale=self.locale)[month]

    def month_abbreviation(self, month: int) -> str:
        """The short standalone month name ("Jun", "Agu"), for a chart's axis."""
        return get_month_names("abbreviated", "stand-alone", locale=self.locale)[month]

    def own_name(self) -> str:
        """This language's name as its readers write it: "English", "Bahasa Indonesia".

        A catalogue names its language by translating ``OWN_NAME``; otherwise Babel's
        name of the language (without its region: an en-GB page is "English") is used.
        """
        found = self.messages.get(OWN_NAME)
        if found:
            return found
        try:
            language = Locale.parse(self.lang.replace("-", "_")).language
            name = Locale.parse(language).get_display_name(language) or language
        except (UnknownLocaleError, ValueError, TypeError):
            return self.lang
        return name[:1].upper() + name[1:]

    def month_label(self, year: int, month: int) -> str:
        """Month and year as the language writes them on their own ("June 2024", "Juni 2024")."""
        return format_skeleton("yMMMM", date(year, month, 1), locale=self.locale)

    def join(self, items: Iterable[str]) -> str:
        """A readable list: "A, B, and C" / "A, B, dan C".

        A list of pieces of HTML (``Markup``: links a macro made) is HTML: the list's own
        words are escaped and the pieces kept as they are.
        """
        items = list(items)
        if not items:
            return ""
        if not any(isinstance(item, Markup) for item in items):
            return format_list(items, locale=self.locale)
        marks = [f"\x00{i}\x00" for i in range(len(items))]
        words = str(escape(format_list(marks, locale=self.locale))).split("\x00")
        # Even parts are the list's words, odd ones the index of the piece between them.
        pieces = (part if k % 2 == 0 else escape(items[int(part)]) for k, part in enumerate(words))
        return Markup("".join(pieces))

    def reasons(self, topics: Sequence[str], tags: Sequence[str]) -> str:
        """Why an article is suggested: "shared topic Sanctions, tag Aurus"."""
        parts = []
        if topics:
            parts.append(self(*PYTHON_MESSAGES[0], len(topics), names=self.join(topics)))
        if tags:
            parts.append(self(*PYTHON_MESSAGES[1], len(tags), names=self.join(tags)))
        return ", ".join(parts)

    def _datetime_text(self, value: datetime) -> str:
        # Babel's "long" time carries seconds, which no reader needs: combine the long
        # date with the short time and the zone the way the locale combines them. A naive
        # time is shown as it is (Babel would otherwise convert it to the machine's zone).
        # The zone is its UTC offset, written the same in every language: Babel names
        # some zones in some locales only ("WIB" in Indonesian, "+0700" in English).
        zone = value.tzinfo or UTC
        time_text = format_time(value, "short", tzinfo=zone, locale=self.locale)
        if value.tzinfo is not None:
            time_text += " " + utc_offset(value)
        pattern = str(get_datetime_format("long", locale=self.locale)).replace("'", "")
        date_text = format_date(value.date(), "long", locale=self.locale)
        return pattern.replace("{0}", time_text).replace("{1}", date_text)


def utc_offset(value: datetime) -> str:
    """A time's zone as its offset from UTC: "UTC", "UTC+7", "UTC−5", "UTC+5:30"."""
    offset = value.utcoffset()
    if not offset:
        return "UTC"
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes > 0 else "−"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def babel_locale(lang: str) -> str:
    """The Babel locale for a BCP 47 language, or English when Babel does not know it."""
    try:
        return str(Locale.parse(lang.replace("-", "_")))
    except (UnknownLocaleError, ValueError, TypeError):
        return FALLBACK_LOCALE


def load_localizers(
    layout_dirs: Sequence[Path], languages: Iterable[str], site_lang: str | None = None
) -> dict[str, Localizer]:
    """One Localizer per language, from the catalogues of the layout folders.

    ``layout_dirs`` are ordered as the theme uses them: the project's own ``layouts/``
    first, the default theme last; earlier folders override later ones entry by entry.
    A language named without a region on a site whose language has one (``en`` on an
    ``en-GB`` site) formats dates as the site does ("19 June 2024").
    Every problem in a catalogue is collected and raised together as a ``BuildError``.
    """
    errors = ErrorList()
    result = {
        lang: _load_localizer(lang, layout_dirs, errors, _site_variant(lang, site_lang))
        for lang in sorted(set(languages))
    }
    errors.raise_if_any()
    return result


@dataclass(frozen=True)
class _CatalogData:
    messages: dict[str, str]
    plurals: dict[str, tuple[str, ...]]
    plural_expr: str | None
    """Only when the file declares ``Plural-Forms``; otherwise the locale's default applies."""


def _site_variant(lang: str, site_lang: str | None) -> str:
    """The language whose dates ``lang`` shows: the site's, when ``lang`` is the site's
    language without the site's region (``en`` on an ``en-GB`` site); else ``lang``."""
    if site_lang is None or "-" in lang or "_" in lang:
        return lang
    if site_lang.replace("_", "-").split("-")[0].casefold() == lang.casefold():
        return site_lang
    return lang


def _load_localizer(
    lang: str, layout_dirs: Sequence[Path], errors: ErrorList, dates_lang: str | None = None
) -> Localizer:
    locale = babel_locale(dates_lang or lang)
    messages: dict[str, str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    plural_expr = get_plural(locale).plural_expr
    for layout_dir in reversed(layout_dirs):
        for name in _catalog_names(lang):
            path = layout_dir / CATALOG_DIR / f"{name}.po"
            if not path.is_file():
                continue
            label = f"layouts/{CATALOG_DIR}/{name}.po"
            data = _read_catalog(SourceFile(path, layout_dir), label, errors)
            if data is None:
                continue
            messages.update(data.messages)
            plurals.update(data.plurals)
            plural_expr = data.plural_expr or plural_expr
    return Localizer(lang, locale, messages, plurals, plural_expr)


def catalog_digest(layout_dirs: Sequence[Path], lang: str) -> str:
    """A digest of the catalogues a language's ``Localizer`` is made from: which pages a
    translation edit affects (those in that language)."""
    digest = hashlib.blake2b(digest_size=16)
    for layout_dir in reversed(layout_dirs):
        for name in _catalog_names(lang):
            path = layout_dir / CATALOG_DIR / f"{name}.po"
            if path.is_file():
                digest.update(f"{layout_dir}/{name}\0".encode())
                try:
                    digest.update(SourceFile(path, layout_dir).read())
                except OSError:
                    digest.update(b"\0unreadable")
    return digest.hexdigest()


def _catalog_names(lang: str) -> list[str]:
    """Catalogue file names for a language, most general first: ``pt``, ``pt_BR``, ``pt-BR``."""
    names = [lang.split("-")[0].split("_")[0], lang.replace("-", "_"), lang]
    return list(dict.fromkeys(names))


def _read_catalog(file: SourceFile, label: str, errors: ErrorList) -> _CatalogData | None:
    try:
        raw = file.read()  # never through a symbolic link out of the layout folder
    except OSError as exc:
        errors.add(label, 1, f"cannot read this file: {exc.strerror or exc}")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        errors.add(label, raw[: exc.start].count(b"\n") + 1, "not valid UTF-8")
        return None
    header = _PLURAL_FORMS_HEADER.search(text)
    header_line = text.count("\n", 0, header.start()) + 1 if header else 1
    if header and (problem := _nplurals_problem(text, header.start())):
        errors.add(label, header_line, f"invalid Plural-Forms: {problem}")
        return None  # Babel cannot read the catalogue at all
    try:
        catalog = read_po(io.StringIO(text), abort_invalid=True)
    except PoFileError as exc:
        message = str(exc).rsplit(" on ", 1)[0]
        errors.add(label, exc.lineno + 1, f"invalid PO file: {message}")
        return None
    except ValueError as exc:
        errors.add(label, 1, f"invalid PO file: {exc}")
        return None
    plural_expr = catalog.plural_expr if header else None
    if plural_expr and (problem := plural_forms_problem(catalog.num_plurals, plural_expr)):
        errors.add(label, header_line, f"invalid Plural-Forms: {problem}")
        plural_expr = None  # the build fails; every other problem of the file is still told
    messages, plurals = _translations(catalog, label, errors)
    return _CatalogData(messages, plurals, plural_expr)


def _nplurals_problem(text: str, header_start: int) -> str | None:
    """Why ``nplurals`` is not a count, which Babel reports only as a bare ``int()`` error."""
    line_end = text.find("\n", header_start)
    nplurals = _NPLURALS.search(text, header_start, line_end if line_end >= 0 else len(text))
    if nplurals is None or nplurals[1].strip().isdigit():
        return None
    return f"nplurals must be a whole number, got '{shorten(nplurals[1].strip())}'"


def plural_forms_problem(nplurals: int, expr: str) -> str | None:
    """Why a catalogue's plural rule would fail on some page, or None when it works.

    The rule is a C expression run for every count a page shows; one that divides by
    zero or picks a form the catalogue does not have would fail in the middle of a build
    (or stop the live preview), so it is tried on many counts when the file is read.
    """
    if nplurals < 1:
        return "nplurals must be at least 1"
    try:
        choose = stdlib_gettext.c2py(expr)
    except (ValueError, RecursionError, SyntaxError) as exc:
        return f"cannot read plural={shorten(expr)} ({exc})"
    allowed = f"0 to {nplurals - 1}" if nplurals > 1 else "only 0"
    for n in _PLURAL_SAMPLE:
        try:
            form = choose(n)
        except ZeroDivisionError:
            return f"plural={shorten(expr)} divides by zero for n = {n}"
        if not 0 <= form < nplurals:
            return (
                f"plural={shorten(expr)} gives {form} for n = {n}, "
                f"but nplurals={nplurals} allows {allowed}"
            )
    return None


def _translations(
    catalog: Catalog, label: str, errors: ErrorList
) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """The usable entries: translated, not fuzzy, and with placeholders that will fill."""
    messages: dict[str, str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    for message in catalog:
        # read_po gives a plural message tuples of ids and forms, any other strings
        ids, string = message.id, message.string
        if not ids or message.fuzzy:
            continue
        if isinstance(ids, tuple) and isinstance(string, tuple):
            if all(string) and _placeholders_fit(message, ids, string, label, errors):
                plurals[ids[0]] = string
        elif (
            isinstance(ids, str)
            and isinstance(string, str)
            and string
            and _placeholders_fit(message, (ids,), (string,), label, errors)
        ):
            messages[ids] = string
    return messages, plurals


def _placeholders_fit(
    message: Message, ids: Sequence[str], forms: Sequence[str], label: str, errors: ErrorList
) -> bool:
    """A translation may only use the ``%(name)s`` values its message id provides.

    Checked when the catalogue is read, so a translator's typo is reported at its line
    instead of failing in the middle of rendering some page, or showing a raw ``%(x)s``
    (a message without placeholders is shown as it is, never filled in).
    """
    names = [name for text in ids for name in _PLACEHOLDER.findall(text)]
    if len(ids) > 1:
        names.append("num")  # a plural message always gets its count
    names = list(dict.fromkeys(names))
    allowed = ", ".join(f"%({name})s" for name in names)
    hint = f"it may use {allowed}" if names else "the message has no placeholders"
    where = f"translation of '{shorten(ids[0])}'"
    for form in forms:
        unknown = [name for name in _PLACEHOLDER.findall(form) if name not in names]
        problem = _format_problem(form, names) if names else None
        if unknown:
            used = ", ".join(f"%({name})s" for name in dict.fromkeys(unknown))
            problem = f"uses {used}, which its message does not provide"
        if problem is not None:
            errors.add(label, message.lineno or 1, f"{where} {problem}", hint=hint)
            return False
    return True


def _format_problem(form: str, names: Sequence[str]) -> str | None:
    """Why ``%`` formatting of ``form`` fails (``%(num)x``, a lone ``%``), or None."""
    try:
        form % dict.fromkeys(names, 1)
    except (KeyError, ValueError, TypeError) as exc:
        return f"does not fit its placeholders ({exc!r})"
    return None


@functools.cache
def _plural_function(expr: str) -> Callable[[int], int]:
    """Compile a gettext plural expression once per distinct expression (a pure memo)."""
    return stdlib_gettext.c2py(expr)
