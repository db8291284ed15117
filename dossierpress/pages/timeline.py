"""The layout of a dossier's timeline chart: its articles as points on a time axis, with a
bar of articles per month, as plain numbers the topic template draws as SVG.

The chart takes the width of its column, whatever that is: horizontal positions are
fractions of the width (percentages in the SVG), vertical ones pixels, and text keeps its
size in pixels, so labels stay 12 px on a phone instead of shrinking with a scaled
drawing. What must not overlap is therefore laid out for the narrowest chart
(``NARROW``, a 320 px phone), where everything is closest; labels that fit only on a
wide chart (``WIDE`` and more, decided by a container query) are marked so.

The axis adapts to the span: days for a dossier of a month or less, months up to two
years, years beyond. Each article is a point while they fit in a few rows; when they are
too many or too close, a point stands for the articles of one day, month or year (its
size grows with their number) and links to where the list below shows them.

Entries are placed at the date of what they are about (``chronology``), as precisely as
it is known: a day's point at its noon, a month's or year's in its middle. The dossier's
events are a lane of their own above the articles (rings, not dots), grouped by the same
rules on their own: a dossier of a thousand articles grouped by month still shows each of
its few events.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import MAXYEAR, date, datetime, time, timedelta

from dossierpress.content.model import PartialDate
from dossierpress.pages import views as v
from dossierpress.theme.i18n import BARS_LABEL, EVENT_LABEL, Localizer

NARROW = 288.0
"""The chart's width in px on a 320 px screen (the column less its padding)."""
WIDE = 560.0
"""From this width (``35rem``) the chart shows the labels marked "wide"."""
LEFT, RIGHT = 0.05, 0.95
"""Where the time axis starts and ends, as fractions of the width (room for labels)."""
FONT, MAJOR_FONT = 12, 13
"""Label sizes in px (months and days; years): the stylesheet sets the same."""
CHAR, MAJOR_CHAR = 0.62, 0.68
"""Width of one character as a fraction of the font size (an estimate on the wide side)."""
LABEL_GAP = 6.0
"""The least room between two labels of one row, in px."""
MAX_ARTICLE_POINTS = 60
"""More articles than this are never drawn one by one."""
MAX_ROWS = 4
"""Rows of points before they are grouped by day, month or year instead."""
ARTICLE_RADIUS = 5
GROUP_RADII = (4, 9)
"""The smallest and largest point of a group of articles (by the square root of its size)."""
POINT_GAP = 3.0
BAR_HEIGHT = 36
BAR_FILL = 0.7
"""How much of its month a bar covers."""
MAX_BAR = 28
"""The widest bar in px: a dossier of one month has one bar, not a block."""
DAY_SPAN = 31
"""A dossier whose first and last articles are at most this many days apart gets an axis
of days; one of up to ``MONTH_SPAN`` months an axis of months; a longer one of years."""
MONTH_SPAN = 24

Label = v.ChartLabel


@dataclass(frozen=True)
class Entry:
    """One article or event of the dossier, as the chart needs it."""

    when: datetime
    """In the site's timezone; the start of its period when ``precision`` is coarser than
    a day."""
    has_time: bool
    url: str
    title: str
    page: int
    """The page of the list below that shows it (1: the dossier itself)."""
    precision: str = "day"
    """How precisely ``when`` is known: "year", "month" or "day" (with ``has_time``, to
    the minute)."""
    event: bool = False
    """An event of the dossier rather than an article."""

    @property
    def end(self) -> datetime:
        """Where its period ends (a day's end for a moment)."""
        if self.precision == "year":
            return _month_start((self.when.year + 1, 1))
        if self.precision == "month":
            return _month_start(_next_month((self.when.year, self.when.month)))
        return _next_day(self.when.date())

    @property
    def middle(self) -> datetime:
        """Where its point goes: its moment, or the middle of its day, month or year."""
        if self.has_time:
            return self.when
        start = datetime.combine(self.when.date(), time())
        return start + (self.end - start) / 2

    def date_text(self, loc: Localizer) -> str:
        """Its date as precisely as known ("September 2023", "19 June 2024")."""
        if self.precision == "year":
            return loc.partial_date(PartialDate(self.when.year)).text
        if self.precision == "month":
            return loc.month_label(self.when.year, self.when.month)
        return loc.date(self.when, has_time=False).text


@dataclass(frozen=True)
class _Point:
    at: float
    """Fraction of the width."""
    r: int
    url: str
    label: str
    count: int
    event: bool = False


def layout(
    entries: Sequence[Entry], loc: Localizer, page_url: Callable[[int], str]
) -> v.TimelineChart | None:
    """The chart of ``entries`` (oldest first), or None when there are none.

    ``page_url(n)`` is the URL of page ``n`` of the dossier's list, which groups by year
    (``#y-2024``) and month (``#m-2024-06``): grouped points link there."""
    if not entries:
        return None
    first = min(e.when for e in entries)
    newest = max(entries, key=lambda e: (e.end, e.when))
    last = newest.end - timedelta(microseconds=1)
    months = _months(first.date(), last.date())
    span = (last.date() - first.date()).days
    if span <= DAY_SPAN:
        unit = "day"
        start = datetime.combine(first.date(), time())
        end = _next_day(last.date())
    else:
        unit = "month" if len(months) <= MONTH_SPAN else "year"
        start, end = _month_start(months[0]), _month_start(_next_month(months[-1]))

    def at(moment: datetime) -> float:
        return LEFT + (moment - start) / (end - start) * (RIGHT - LEFT)

    articles = [e for e in entries if not e.event]
    events = [e for e in entries if e.event]
    grouping, points = _points(articles, unit, at, loc, page_url, start, end)
    event_grouping, event_points = _points(events, unit, at, loc, page_url, start, end)
    chart_points, bottom = _lanes([event_points, points])
    counts = _month_counts(articles, months)
    month_at = at if unit != "day" else _month_scale(months)
    if unit == "day":
        axis = round(bottom + 8)
        labels = _day_labels(start.date(), (end - start).days, at, axis, loc)
        ticks = _ticks([at(start + timedelta(days=n)) for n in range((end - start).days + 1)], axis)
        bar_top = axis + 44
        bar_axis = bar_top + BAR_HEIGHT
        labels += _month_labels(months, month_at, bar_axis, loc, own_axis=True)
        edges = [*months, _next_month(months[-1])]
        ticks += _ticks([month_at(_month_start(m)) for m in edges], bar_axis)
        axes: tuple[int, ...] = (axis, bar_axis)
        height = bar_axis + 24
    else:
        bar_top = round(bottom + 8)
        bar_axis = axis = bar_top + BAR_HEIGHT
        labels = _month_labels(months, at, axis, loc, own_axis=False)
        edges = [*months, _next_month(months[-1])]
        if unit == "year":  # a tick a year, and at both ends
            edges = [m for i, m in enumerate(edges) if m[1] == 1 or i in (0, len(edges) - 1)]
        ticks = _ticks([at(_month_start(m)) for m in edges], axis)
        axes = (axis,)
        height = axis + 42
    bars = _bars(months, counts, month_at, bar_top, loc)
    busiest = max(range(len(months)), key=lambda i: (counts[i], i))
    bars_label = loc(BARS_LABEL, month=loc.month_label(*months[busiest]), count=counts[busiest])
    return v.TimelineChart(
        height=height,
        points=chart_points,
        grouping=grouping if articles else "",
        axes=axes,
        left=_pct(LEFT),
        right=_pct(RIGHT),
        ticks=ticks,
        labels=tuple(labels),
        bars=bars,
        bars_label=bars_label if articles else "",
        first=v.DateView(first.date().isoformat(), _oldest(entries).date_text(loc)),
        last=v.DateView(last.date().isoformat(), newest.date_text(loc)),
        event_grouping=event_grouping if events else "",
    )


def _oldest(entries: Sequence[Entry]) -> Entry:
    return min(entries, key=lambda e: (e.when, e.end))


def _lanes(lanes: Sequence[Sequence[_Point]]) -> tuple[tuple[v.ChartPoint, ...], float]:
    """The points of each lane (events, then articles), each lane's rows stacked under
    the one before; and where the last row's points end."""
    top = 4.0
    placed_points: list[v.ChartPoint] = []
    for lane in lanes:
        if not lane:
            continue
        rows, placed = _rows(lane)
        r_max = max(p.r for p in lane)
        step = 2 * r_max + POINT_GAP
        placed_points += [
            v.ChartPoint(
                _pct(p.at),
                round(top + r_max + (rows - 1 - row) * step),
                p.r,
                p.url,
                p.label,
                p.count,
                p.event,
            )
            for p, row in placed
        ]
        top += (rows - 1) * step + 2 * r_max + POINT_GAP
    return tuple(placed_points), top - POINT_GAP


# -- points ------------------------------------------------------------------------------


def _points(
    entries: Sequence[Entry],
    unit: str,
    at: Callable[[datetime], float],
    loc: Localizer,
    page_url: Callable[[int], str],
    start: datetime,
    end: datetime,
) -> tuple[str, list[_Point]]:
    """The finest grouping whose points fit in ``MAX_ROWS`` rows: each entry, then each
    day (on an axis of days), month, year; the years whatever it takes."""
    if not entries:
        return "article", []
    groupings = ["day", "month", "year"] if unit == "day" else ["month", "year"]
    if unit == "year":
        groupings = ["year"]
    if len(entries) <= MAX_ARTICLE_POINTS:
        groupings.insert(0, "article")
    for grouping in groupings:
        points = _group(entries, grouping, at, loc, page_url, start, end)
        if grouping == groupings[-1] or _rows(points)[0] <= MAX_ROWS:
            return grouping, points
    raise AssertionError("unreachable")


_DEPTH = {"year": 1, "month": 2, "day": 3}
"""How many parts of a date (year, month, day) a grouping, or a precision, has."""


def _group(
    entries: Sequence[Entry],
    grouping: str,
    at: Callable[[datetime], float],
    loc: Localizer,
    page_url: Callable[[int], str],
    start: datetime,
    end: datetime,
) -> list[_Point]:
    if grouping == "article":
        return [
            _Point(
                at(e.middle),
                ARTICLE_RADIUS,
                e.url,
                loc(EVENT_LABEL, date=e.date_text(loc), title=e.title)
                if e.event
                else f"{e.date_text(loc)}: {e.title}",
                1,
                e.event,
            )
            for e in entries
        ]
    # An entry known less precisely than the grouping goes in its own, longer period:
    # "2023" is not in January 2023.
    buckets: dict[tuple[int, ...], list[Entry]] = {}
    for e in entries:
        day = e.when.date()
        depth = min(_DEPTH[grouping], _DEPTH.get(e.precision, 3))
        buckets.setdefault((day.year, day.month, day.day)[:depth], []).append(e)
    largest = max(len(members) for members in buckets.values())
    points = []
    for key, members in buckets.items():
        lo, hi = _bucket_span(key, start, end)
        newest = members[-1]
        anchor = f"#y-{key[0]:04d}" if len(key) == 1 else f"#m-{key[0]:04d}-{key[1]:02d}"
        if len(key) == 3:
            period = loc.date(datetime(key[0], key[1], key[2]), has_time=False).text
        elif len(key) == 2:
            period = loc.month_label(key[0], key[1])
        else:
            period = str(key[0])
        small, big = GROUP_RADII
        event = members[0].event
        singular, plural = (
            ("%(period)s: %(num)d event", "%(period)s: %(num)d events")
            if event
            else ("%(period)s: %(num)d article", "%(period)s: %(num)d articles")
        )
        points.append(
            _Point(
                (at(lo) + at(hi)) / 2,
                round(small + (big - small) * math.sqrt(len(members) / largest)),
                page_url(newest.page) + anchor,
                loc(singular, plural, len(members), period=period),
                len(members),
                event,
            )
        )
    return points


def _bucket_span(key: tuple[int, ...], start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """The part of the axis a day, month or year covers."""
    if len(key) == 3:
        lo = datetime(key[0], key[1], key[2])
        hi = _next_day(lo.date())
    elif len(key) == 2:
        lo, hi = _month_start((key[0], key[1])), _month_start(_next_month((key[0], key[1])))
    else:
        lo, hi = datetime(key[0], 1, 1), _month_start((key[0] + 1, 1))
    return max(lo, start), min(hi, end)


def _rows(points: Sequence[_Point]) -> tuple[int, list[tuple[_Point, int]]]:
    """Stack points that would touch on the narrowest chart: each goes in the lowest row
    where it is clear of the points already there (a "beeswarm" kept to rows)."""
    rows: list[list[_Point]] = []
    placed = []
    for point in sorted(points, key=lambda p: p.at):
        for index, row in enumerate(rows):
            if all(_apart(point, other) for other in row[-3:]):
                row.append(point)
                placed.append((point, index))
                break
        else:
            rows.append([point])
            placed.append((point, len(rows) - 1))
    return max(1, len(rows)), placed


def _apart(a: _Point, b: _Point) -> bool:
    return abs(a.at - b.at) * NARROW >= a.r + b.r + POINT_GAP


# -- axis labels --------------------------------------------------------------------------


def _day_labels(
    first: date, days: int, at: Callable[[datetime], float], axis: int, loc: Localizer
) -> list[Label]:
    """Day numbers under each day (every second, third… day where they would crowd), and
    each month's name and year at its first day on the axis."""
    dates = [first + timedelta(days=n) for n in range(days)]
    minor = [(n, at(datetime.combine(d, time(12))), str(d.day)) for n, d in enumerate(dates)]
    labels = _thinned(minor, axis + 19, False, "middle", (1, 2, 3, 7, 14))
    months = [
        (at(datetime.combine(d, time())), loc.month_label(d.year, d.month))
        for n, d in enumerate(dates)
        if n == 0 or d.day == 1
    ]
    return labels + _thinned(_starts(months), axis + 36, True, "start", (1, 2, 3, 6, 12))


def _month_labels(
    months: Sequence[tuple[int, int]],
    at: Callable[[datetime], float],
    axis: int,
    loc: Localizer,
    *,
    own_axis: bool,
) -> list[Label]:
    """Month names in their month (every third or sixth where they would crowd), and
    years from their January (or the first month); ``own_axis``: the bars of a short
    dossier, under which each month is named with its year."""

    def middle(month: tuple[int, int]) -> float:
        return (at(_month_start(month)) + at(_month_start(_next_month(month)))) / 2

    if own_axis:
        named = [(i, middle(m), loc.month_label(*m)) for i, m in enumerate(months)]
        return _thinned(named, axis + 19, False, "middle", (1, 2, 3, 6, 12))
    minor = [
        (y * 12 + mo - 1, middle((y, mo)), loc.month_abbreviation(mo))
        for y, mo in months
        if mo != 1 or len(months) <= 12
    ]
    labels = _thinned(minor, axis + 19, False, "middle", (1, 2, 3, 6, 12))
    years = [(at(_month_start(m)), str(m[0])) for i, m in enumerate(months) if i == 0 or m[1] == 1]
    steps = (1, 2, 5, 10, 20, 50, 100)
    return labels + _thinned(_starts(years, by_year=True), axis + 36, True, "start", steps)


def _starts(
    labels: Sequence[tuple[float, str]], *, by_year: bool = False
) -> list[tuple[int, float, str]]:
    """Labels of the periods (months, years) that start on the axis, keyed for thinning
    (by year, or in order); the first, for a period the axis begins halfway through, is
    left out when it would run into the next one on the narrowest chart."""
    keyed = [(int(text) if by_year else i, at, text) for i, (at, text) in enumerate(labels)]
    if len(keyed) > 1:
        first_end = label_extent(keyed[0][1], keyed[0][2], "start", True, NARROW)[1]
        if keyed[1][1] * NARROW - first_end < LABEL_GAP:
            keyed = keyed[1:]
    # Likewise the last, for a period the axis ends just after it began.
    if (
        len(keyed) > 1
        and label_extent(keyed[-1][1], keyed[-1][2], "start", True, NARROW)[1] > NARROW
    ):
        keyed = keyed[:-1]
    return keyed


def _thinned(
    candidates: Sequence[tuple[int, float, str]],
    y: int,
    major: bool,
    anchor: str,
    steps: Iterable[int],
) -> list[Label]:
    """The labels of one row, every ``step``-th by key for the smallest step at which none
    overlap: one choice for the narrowest chart and one for a wide one."""
    steps = tuple(steps)
    narrow = _choose(candidates, major, anchor, steps, NARROW)
    wide = _choose(candidates, major, anchor, steps, WIDE)
    labels = []
    for key, at, text in candidates:
        shown = (key in narrow, key in wide)
        if any(shown):
            where = {(True, True): "always", (True, False): "narrow", (False, True): "wide"}
            labels.append(Label(_pct(at), y, text, anchor, major, where[shown]))
    return labels


def _choose(
    candidates: Sequence[tuple[int, float, str]],
    major: bool,
    anchor: str,
    steps: tuple[int, ...],
    width: float,
) -> set[int]:
    for step in steps:
        chosen = [c for c in candidates if c[0] % step == 0]
        if not chosen and step != steps[0]:
            continue
        if _fit(chosen, major, anchor, width):
            return {c[0] for c in chosen}
    return set()


def _fit(chosen: Sequence[tuple[int, float, str]], major: bool, anchor: str, width: float) -> bool:
    """Whether these labels of one row stay inside the chart and clear of each other."""
    extents = sorted(label_extent(at, text, anchor, major, width) for _, at, text in chosen)
    if extents and (extents[0][0] < 0 or extents[-1][1] > width):
        return False
    return all(b[0] - a[1] >= LABEL_GAP for a, b in itertools.pairwise(extents))


def label_extent(
    at: float, text: str, anchor: str, major: bool, width: float
) -> tuple[float, float]:
    """Where a label spans, in px, on a chart ``width`` px wide (its width estimated)."""
    size = (MAJOR_FONT * MAJOR_CHAR) if major else (FONT * CHAR)
    w = len(text) * size
    x = at * width
    if anchor == "start":
        return x, x + w
    if anchor == "end":
        return x - w, x
    return x - w / 2, x + w / 2


# -- bars and ticks -----------------------------------------------------------------------


def _bars(
    months: Sequence[tuple[int, int]],
    counts: Sequence[int],
    at: Callable[[datetime], float],
    top: int,
    loc: Localizer,
) -> tuple[v.ChartBar, ...]:
    most = max(counts) or 1
    bars = []
    for month, count in zip(months, counts, strict=True):
        if not count:
            continue
        lo, hi = at(_month_start(month)), at(_month_start(_next_month(month)))
        height = max(2, round(count / most * BAR_HEIGHT))
        y = top + BAR_HEIGHT - height
        label = loc(
            "%(period)s: %(num)d article",
            "%(period)s: %(num)d articles",
            count,
            period=loc.month_label(*month),
        )
        if (hi - lo) * NARROW * BAR_FILL >= MAX_BAR:  # few months: bars of a fixed width
            x, width, shift = _pct((lo + hi) / 2), str(MAX_BAR), -MAX_BAR // 2
        else:
            x, width, shift = (
                _pct(lo + (hi - lo) * (1 - BAR_FILL) / 2),
                _pct((hi - lo) * BAR_FILL),
                0,
            )
        bars.append(v.ChartBar(x, width, shift, y, height, label))
    return tuple(bars)


def _ticks(positions: Iterable[float], axis: int) -> tuple[v.ChartTick, ...]:
    return tuple(v.ChartTick(_pct(at), axis, axis + 5) for at in positions)


def _month_counts(entries: Sequence[Entry], months: Sequence[tuple[int, int]]) -> list[int]:
    index = {m: i for i, m in enumerate(months)}
    counts = [0] * len(months)
    for e in entries:
        counts[index[(e.when.year, e.when.month)]] += 1
    return counts


def _month_scale(months: Sequence[tuple[int, int]]) -> Callable[[datetime], float]:
    """A time axis from the first month's start to the last one's end (the bars' own,
    under an axis of days)."""
    start, end = _month_start(months[0]), _month_start(_next_month(months[-1]))
    return lambda moment: LEFT + (moment - start) / (end - start) * (RIGHT - LEFT)


def _months(first: date, last: date) -> list[tuple[int, int]]:
    months = [(first.year, first.month)]
    while months[-1] != (last.year, last.month):
        months.append(_next_month(months[-1]))
    return months


def _next_month(month: tuple[int, int]) -> tuple[int, int]:
    year, number = month
    return (year + 1, 1) if number == 12 else (year, number + 1)


def _month_start(month: tuple[int, int]) -> datetime:
    """The first moment of ``month``; the end of time after December 9999 (an ``about``
    or event dated to the last year there is still has a period that ends)."""
    return datetime(month[0], month[1], 1) if month[0] <= MAXYEAR else datetime.max


def _next_day(day: date) -> datetime:
    """Midnight after ``day``, or the end of time after the last day there is."""
    return datetime.combine(day + timedelta(days=1), time()) if day < date.max else datetime.max


def _pct(fraction: float) -> str:
    return f"{fraction * 100:.3f}%"
