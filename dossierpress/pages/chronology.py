"""The order of a dossier's timeline: what happened, by when it happened.

A dossier's timeline holds its articles and its events (``Topic.events``). Each is
placed at the date of what it is about: an event at its date, an article at its
``about`` date, else at its publication. Dates are as precise as known (a year, a month,
a day, a time); a period sorts at its start, so "February 2024" comes before
"3 February 2024", and on one day an event comes after the day's articles, oldest first,
so that shown newest first it heads the articles of its day.

Feeds, "Latest", the archive and sitemaps keep publication order; only the timeline
(the dossier's list, its later pages and its chart) reads this one. The entries are
built from a sequence of article paths, so a caller may leave some articles out before
(one language version of a story, say) and every page, chart and page count agrees.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Literal

from dossierpress.content.model import PartialDate
from dossierpress.graph.model import TimelineEvent
from dossierpress.graph.reader import GraphReader

Precision = Literal["year", "month", "day", "time"]
ORDER_FIELDS = ("date", "date_has_time", "about")
"""What placing an article reads of it: its publication and what it is about."""
_RANK = {"year": 0, "month": 1, "day": 2, "time": 2}
"""At one start, the longer period first: "June 2024" before "1 June 2024"; a day's
articles with and without a time are one day."""


@dataclass(frozen=True)
class Happening:
    """One entry of a dossier's timeline: an article (``path``) or an event (``event``,
    its index in the topic's events), at the start of what it is about."""

    start: datetime
    """Naive, in the site's timezone: the start of the period (or the moment)."""
    precision: Precision
    path: str | None = None
    event: int | None = None


def period_start(date: PartialDate) -> datetime:
    """Where a partial date sorts: the first moment of its period."""
    return datetime(date.year, date.month or 1, date.day or 1)


def precision_of(date: PartialDate) -> Precision:
    if date.month is None:
        return "year"
    return "month" if date.day is None else "day"


def happenings(
    graph: GraphReader,
    paths: Sequence[str],
    events: Sequence[TimelineEvent],
    zone: tzinfo,
) -> tuple[Happening, ...]:
    """The articles at ``paths`` and the ``events``, oldest first by what they are
    about (see the module's docstring); ties by publication, then source path, and
    events in the editor's order."""
    keyed: list[tuple[tuple[object, ...], Happening]] = []
    for path in paths:
        article = graph.fields("articles", path, ORDER_FIELDS)
        published = article.date.astimezone(zone).replace(tzinfo=None)
        if article.about is not None:
            happening = Happening(
                period_start(article.about), precision_of(article.about), path=path
            )
        else:
            precision: Precision = "time" if article.date_has_time else "day"
            happening = Happening(published, precision, path=path)
        keyed.append((_key(happening, 0, published, path), happening))
    for index, event in enumerate(events):
        happening = Happening(period_start(event.date), precision_of(event.date), event=index)
        keyed.append((_key(happening, 1, datetime.min, f"{index:09d}"), happening))
    keyed.sort(key=lambda pair: pair[0])
    return tuple(happening for _key_, happening in keyed)


def _key(h: Happening, kind: int, published: datetime, tiebreak: str) -> tuple[object, ...]:
    return (h.start.date(), _RANK[h.precision], kind, h.start, published, tiebreak)
