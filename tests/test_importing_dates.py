"""Dates a report states: explicit ones, weekday ones counted back from the import, and
the phrases that state none."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dossierpress.importing.dates import date_names, find_date, latest_on_weekday

IMPORT_DAY = date(2026, 12, 2)  # a Wednesday
MONDAY, WEDNESDAY, FRIDAY, THURSDAY = 0, 2, 4, 3


WEEKDAY_DATES = [
    ("seperti dilaporkan Harian Contoh, Rabu (19/6).", "Rabu (19/6)", date(2024, 6, 19)),
    ("reported by Example Daily, Wednesday (19/6).", "Wednesday (19/6)", date(2024, 6, 19)),
    ("pada Jumat (19/6) malam", "Jumat (19/6)", date(2026, 6, 19)),
    ("pada Jum'at (19/6) malam", "Jum'at (19/6)", date(2026, 6, 19)),
    ("pada Senin (16/11)", "Senin (16/11)", date(2026, 11, 16)),
    ("Rabu (2/12) pagi", "Rabu (2/12)", date(2026, 12, 2)),
    ("said on Wednesday, June 19", "Wednesday, June 19", date(2024, 6, 19)),
    ("Wednesday 19 June, in a statement", "Wednesday 19 June", date(2024, 6, 19)),
    ("on Friday 19th June", "Friday 19th June", date(2026, 6, 19)),
]
EXPLICIT_DATES = [
    ("Kamis, 20 Juni 2024 10:30 WIB", "Kamis, 20 Juni 2024", date(2024, 6, 20)),
    ("Rabu (19/6/2024)", "Rabu (19/6/2024)", date(2024, 6, 19)),
    ("on 19 June 2024", "19 June 2024", date(2024, 6, 19)),
    ("pada 19 Juni 2024", "19 Juni 2024", date(2024, 6, 19)),
    ("pada 17 Agustus 2024", "17 Agustus 2024", date(2024, 8, 17)),
    ("pada 3 Mei 2024", "3 Mei 2024", date(2024, 5, 3)),
    ("on 3 Sept. 2024", "3 Sept. 2024", date(2024, 9, 3)),
    ("on June 19, 2024", "June 19, 2024", date(2024, 6, 19)),
    ("published 2024-06-19 at noon", "2024-06-19", date(2024, 6, 19)),
    ("tanggal 19/6/2024", "19/6/2024", date(2024, 6, 19)),
    ("tanggal 19-06-2024", "19-06-2024", date(2024, 6, 19)),
]


@pytest.mark.parametrize(("text", "phrase", "day"), WEEKDAY_DATES)
def test_a_weekday_date_is_counted_back_from_the_import(text, phrase, day):
    found = find_date([text], IMPORT_DAY, date_names())
    assert found is not None
    assert (found.phrase, found.day, found.from_weekday) == (phrase, day, True)


@pytest.mark.parametrize(("text", "phrase", "day"), EXPLICIT_DATES)
def test_an_explicit_date_is_read_as_written(text, phrase, day):
    found = find_date([text], IMPORT_DAY, date_names())
    assert found is not None
    assert (found.phrase, found.day, found.from_weekday) == (phrase, day, False)


@pytest.mark.parametrize(
    "text",
    [
        "until 31 July",  # no year, no weekday: another day as often as the report's
        "on 19 June",
        "sejak Maret 2023",
        "since 2014",
        "on 25 December 2026, the council will vote",  # after the import: announced
        "Rabu (31/2)",  # no such day
        "on 30 February 2024",
        "version 1.2.2024",
        "pukul 10.30 WIB",
    ],
)
def test_no_date_is_read_where_none_is_stated(text):
    assert find_date([text], IMPORT_DAY, date_names()) is None


def test_the_first_date_in_reading_order_wins():
    texts = ["A headline", "Kamis (20/6) pagi", "pada 19 Juni 2024"]
    found = find_date(texts, IMPORT_DAY, date_names())
    assert found is not None and found.day == date(2024, 6, 20)


def test_a_date_after_the_import_day_gives_way_to_the_next():
    found = find_date(["Voting on 5 March 2027, after Rabu (19/6)."], IMPORT_DAY, date_names())
    assert found is not None and found.phrase == "Rabu (19/6)"


def test_the_sites_language_names_its_dates_too():
    names = date_names(["de-DE"])
    found = find_date(["am Mittwoch, 19. Juni mitgeteilt"], IMPORT_DAY, names)
    assert found is not None and found.day == date(2024, 6, 19)
    assert find_date(["am Mittwoch, 19. Juni"], IMPORT_DAY, date_names()) is None


@pytest.mark.parametrize(
    ("weekday", "day", "month", "on_or_before", "expected"),
    [
        (WEDNESDAY, 19, 6, IMPORT_DAY, date(2024, 6, 19)),
        (FRIDAY, 19, 6, IMPORT_DAY, date(2026, 6, 19)),  # this year's
        (WEDNESDAY, 2, 12, IMPORT_DAY, date(2026, 12, 2)),  # the day itself
        (THURSDAY, 3, 12, IMPORT_DAY, date(2020, 12, 3)),  # tomorrow is not yet
        (WEDNESDAY, 19, 6, date(2024, 6, 18), date(2019, 6, 19)),
        (MONDAY, 29, 2, IMPORT_DAY, date(2016, 2, 29)),  # leap days come every 28 years or so
        (MONDAY, 31, 2, IMPORT_DAY, None),
        (MONDAY, 1, 13, IMPORT_DAY, None),
    ],
)
def test_a_weekday_date_is_the_latest_one_up_to_the_import(
    weekday, day, month, on_or_before, expected
):
    assert latest_on_weekday(weekday, day, month, on_or_before) == expected


@given(st.dates(min_value=date(1900, 1, 1)), st.dates(min_value=date(1600, 1, 1)))
def test_a_weekday_date_is_never_later_nor_skips_a_match(today, day):
    found = latest_on_weekday(day.weekday(), day.day, day.month, today)
    if day <= today:
        assert found is not None and day <= found <= today
        assert (found.day, found.month, found.weekday()) == (day.day, day.month, day.weekday())
    elif found is not None:
        assert found <= today
