"""Finding the date a report states, in English, Indonesian or the site's language.

Reports date themselves in their text: an explicit date ("19 June 2024", "19 Juni 2024",
"June 19, 2024", "2024-06-19", "19/6/2024"), or, in Indonesian wire style, a weekday with
a day and month and no year: "Rabu (19/6)", "Wednesday (19/6)", "Wednesday, 19 June".
A weekday date means the most recent such day: the latest date on or before the day of
the import on which 19 June is a Wednesday (imported on 2026-12-02, that is 2024-06-19).
Dates after the day of the import are never the report's (they announce something), and
neither are year-less dates without a weekday ("on 19 June"), which name other days as
often as the report's own.

Month and weekday names come from Babel's locale data, so a site in another language
finds dates in its own language too. Numeric dates are day first, as in Indonesian and
British usage.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.dates import get_day_names, get_month_names

ALWAYS = ("en", "en_GB", "id")
"""The locales whose names are always understood (``en_GB`` adds "Sept")."""
_EXTRA_WEEKDAYS = {"jum'at": 4, "jum’at": 4}
"""Spellings the locale data lacks but Indonesian papers use."""
GREGORIAN_CYCLE = 400
"""Years after which the calendar repeats: a weekday date that exists at all falls on its
weekday within this many years."""


@dataclass(frozen=True)
class StatedDate:
    """A date found in a text, with the words that state it."""

    day: date
    phrase: str
    """As written: "Rabu (19/6)"."""
    from_weekday: bool = False
    """Resolved from a weekday, a day and a month (no year)."""


@dataclass(frozen=True)
class DateNames:
    """Month and weekday names (casefolded) of some locales, and the patterns using them."""

    months: dict[str, int]
    weekdays: dict[str, int]
    """Monday is 0, as ``date.weekday`` counts."""
    patterns: tuple[re.Pattern[str], ...]


def find_date(texts: Iterable[str], today: date, names: DateNames) -> StatedDate | None:
    """The first date ``texts`` state, in order, that is not after ``today``."""
    for text in texts:
        for match in _matches(text, names):
            found = _stated(match, today, names)
            if found is not None:
                return found
    return None


def latest_on_weekday(weekday: int, day: int, month: int, on_or_before: date) -> date | None:
    """The latest date on or before ``on_or_before`` that is ``day``/``month`` and falls on
    ``weekday`` (Monday 0), or None when no year has one (31/2)."""
    for year in range(on_or_before.year, max(on_or_before.year - GREGORIAN_CYCLE, 0), -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= on_or_before and candidate.weekday() == weekday:
            return candidate
    return None


def date_names(languages: Iterable[str] = ()) -> DateNames:
    """The names of ``ALWAYS`` and of ``languages`` (BCP 47 tags Babel may know)."""
    locales = dict.fromkeys([*ALWAYS, *(tag.replace("-", "_") for tag in languages)])
    return _names_of(tuple(locales))


@cache
def _names_of(locales: tuple[str, ...]) -> DateNames:
    """Memoised: the patterns are compiled once per set of locales."""
    months: dict[str, int] = {}
    weekdays: dict[str, int] = dict(_EXTRA_WEEKDAYS)
    for name in locales:
        try:
            locale = Locale.parse(name)
        except (UnknownLocaleError, ValueError):
            continue
        for width in ("wide", "abbreviated"):
            for number, month in get_month_names(width, locale=locale).items():
                months.setdefault(month.casefold().rstrip("."), number)
        for number, weekday in get_day_names("wide", locale=locale).items():
            weekdays.setdefault(weekday.casefold(), number)
    return DateNames(months, weekdays, _patterns(months, weekdays))


def _alternatives(names: Iterable[str]) -> str:
    """A regex alternation of ``names``, longest first so "Maret" wins over "Mar"."""
    return "|".join(re.escape(name) for name in sorted(names, key=lambda n: (-len(n), n)))


def _patterns(months: dict[str, int], weekdays: dict[str, int]) -> tuple[re.Pattern[str], ...]:
    weekday = rf"(?P<weekday>\b(?:{_alternatives(weekdays)})\b)"
    month = rf"(?P<month_name>\b(?:{_alternatives(months)})\b)\.?"
    day = r"(?<!\d)(?P<day>\d{1,2})(?!\d)"
    year = r"(?<!\d)(?P<year>\d{4})(?!\d)"
    number = r"(?P<month>\d{1,2})(?!\d)"
    ordinal = r"(?:st|nd|rd|th)?"
    sources = (
        # Rabu (19/6), Rabu (19/6/2024), Wednesday (19/6)
        rf"{weekday}\s*,?\s*\(\s*{day}\s*/\s*{number}(?:\s*/\s*{year})?\s*\)",
        # 19 June 2024, 19 Juni 2024, Wednesday 19 June, Rabu, 19 Juni 2024
        rf"(?:{weekday}\s*,?\s+)?{day}{ordinal}\.?\s+{month}(?:\s*,?\s+{year})?",
        # June 19, 2024, Wednesday, June 19
        rf"(?:{weekday}\s*,?\s+)?{month}\s+{day}{ordinal}\b(?:\s*,\s*{year})?",
        # 2024-06-19
        rf"(?<![\d/.-]){year}-{number}-{day}(?![\d-])",
        # 19/6/2024, 19-06-2024
        rf"(?<![\d/.-]){day}[/-]{number}[/-]{year}(?![\d/-])",
    )
    return tuple(re.compile(source, re.IGNORECASE) for source in sources)


def _matches(text: str, names: DateNames) -> list[re.Match[str]]:
    """Every date-like phrase of ``text``, in reading order (the longest first at a place,
    so "Rabu (19/6/2024)" is read whole before "19/6/2024")."""
    found = [match for pattern in names.patterns for match in pattern.finditer(text)]
    return sorted(found, key=lambda m: (m.start(), -m.end()))


def _stated(match: re.Match[str], today: date, names: DateNames) -> StatedDate | None:
    """The date a phrase states, if it states a real one no later than ``today``."""
    groups = match.groupdict()
    day = int(groups["day"])
    if groups.get("month_name"):
        month = names.months[groups["month_name"].casefold()]
    else:
        month = int(groups["month"])
    phrase = match.group().strip()
    if groups.get("year"):
        try:
            found = date(int(groups["year"]), month, day)
        except ValueError:
            return None
        return StatedDate(found, phrase) if found <= today else None
    if not groups.get("weekday"):
        return None
    weekday = names.weekdays[groups["weekday"].casefold()]
    resolved = latest_on_weekday(weekday, day, month, today)
    return StatedDate(resolved, phrase, from_weekday=True) if resolved else None
