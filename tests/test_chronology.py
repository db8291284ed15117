"""A dossier's timeline of what happened: articles at their ``about`` date, events among
them, in the list, its later pages and the chart, and kept exact by incremental builds.

The order itself is tested on in-memory documents (``pages.chronology``), the chart's
layout with events from one entry to a thousand (``pages.timeline``), and the whole on
the small site of ``support/events_site.py`` built with the CLI and read as a reader
would.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dossierpress.content.loader import parse_document_body
from dossierpress.content.markdown import make_markdown
from dossierpress.content.model import Event, PartialDate
from dossierpress.graph.model import ContentGraph
from dossierpress.graph.reader import GraphReader
from dossierpress.graph.resolve import build_graph
from dossierpress.pages import chronology, paging, timeline
from dossierpress.theme.i18n import load_localizers
from dossierpress.theme.templates import default_layouts_dir

from .sitecrawl import Page, anchors_resolve, broken_links, read_pages
from .support.builds import Rebuilder, full_build, preview_request, record_renders, snapshot
from .support.cli import run_cli
from .support.documents import article, topic
from .support.events_site import BASE, HOST, TOPIC, write_events_site
from .support.files import replace_once

LOCALIZERS = load_localizers([default_layouts_dir()], ["en", "id"])
ARRIVAL, WELCOME = f"{BASE}2024/06/arrival/", f"{BASE}2024/06/welcome/"
AURUS, VOSTOCHNY = f"{BASE}2024/06/aurus-gift/", f"{BASE}2024/06/vostochny-flashback/"
PREVIEW = f"{BASE}2024/06/preview/"
JUNE = "2024-06-19T00:00:00+00:00"


# -- the order ----------------------------------------------------------------------------


def ok_graph(articles, topics) -> ContentGraph:
    md = make_markdown(html=False)
    parsed = {doc.path: parse_document_body(md, doc) for doc in (*articles, *topics)}
    graph, errors = build_graph(articles, topics, parsed)
    assert errors == []
    return graph


def order(articles, events=()) -> list[str]:
    """The timeline of a topic gathering ``articles``, oldest first, by slug or event text."""
    graph = ok_graph(articles, [topic("t", events=tuple(events))])
    reader = GraphReader(graph)
    found = chronology.happenings(reader, graph.topic_articles["t"], graph.events["t"], UTC)
    return [
        graph.events["t"][h.event].text if h.event is not None else graph.articles[h.path].slug
        for h in found
        if h.path is not None or h.event is not None
    ]


def event(date: PartialDate, text: str) -> Event:
    return Event(date, text, (), 5, 5)


def test_articles_are_placed_at_what_they_are_about_else_at_their_publication():
    june = "2024-06-19T09:00:00+00:00"
    articles = [
        article("flashback", date=june, topics=["t"], about=PartialDate(2023, 9)),
        article("arrival", date=june, topics=["t"]),
        article("early-preview", date="2024-06-10T00:00:00+00:00", topics=["t"]),
        article("gift", date=june, topics=["t"], about=PartialDate(2024, 2, 10)),
    ]
    assert order(articles) == ["flashback", "gift", "early-preview", "arrival"]


def test_a_period_sorts_at_its_start_before_the_days_in_it():
    articles = [
        article("first-of-feb", date="2024-02-01T00:00:00+00:00", topics=["t"], has_time=False),
        article("february", date=JUNE, topics=["t"], about=PartialDate(2024, 2)),
        article("in-2024", date=JUNE, topics=["t"], about=PartialDate(2024)),
    ]
    assert order(articles) == ["in-2024", "february", "first-of-feb"]


def test_an_event_follows_the_articles_of_its_period_so_that_newest_first_it_heads_them():
    articles = [
        article("late-in-the-day", date="2024-06-19T22:00:00+00:00", topics=["t"]),
        article("that-day", date="2024-06-19T00:00:00+00:00", topics=["t"], has_time=False),
        article("next-day", date="2024-06-20T00:00:00+00:00", topics=["t"], has_time=False),
    ]
    events = [event(PartialDate(2024, 6, 19), "Visit"), event(PartialDate(2024, 6), "June")]
    assert order(articles, events) == ["June", "that-day", "late-in-the-day", "Visit", "next-day"]


def test_articles_about_one_period_follow_their_publication_and_events_the_editors_order():
    articles = [
        article("second", date="2024-06-20T00:00:00+00:00", topics=["t"], about=PartialDate(2023)),
        article("first", date=JUNE, topics=["t"], about=PartialDate(2023)),
    ]
    events = [event(PartialDate(2023), "One"), event(PartialDate(2023), "Two")]
    assert order(articles, events) == ["first", "second", "One", "Two"]


def test_the_order_is_built_from_the_paths_given_so_a_filter_applies_before_it():
    graph = ok_graph(
        [article("a", topics=["t"]), article("b", topics=["t"])],
        [topic("t", events=(event(PartialDate(2024), "Year"),))],
    )
    reader = GraphReader(graph)
    kept = chronology.happenings(reader, ("content/articles/b.md",), graph.events["t"], UTC)
    assert [(h.path, h.event) for h in kept] == [(None, 0), ("content/articles/b.md", None)]


# -- the chart, from one entry to a thousand ---------------------------------------------------


def entries(articles: int, events: int, days: int) -> list[timeline.Entry]:
    """``articles`` spread evenly over ``days``, and ``events`` dated to months, days and
    years among them, oldest first as the topic page gives them."""
    start = datetime(2020, 1, 5, 9)
    step = timedelta(days=days) / max(1, articles)
    found = [
        (start + i * step, timeline.Entry(start + i * step, True, f"/a/{i}/", f"A{i}", 1))
        for i in range(articles)
    ]
    precisions = ("month", "day", "year")
    for i in range(events):
        moment = start + timedelta(days=days) * (i / max(1, events))
        precision = precisions[i % 3]
        if precision == "month":
            moment = datetime(moment.year, moment.month, 1)
        elif precision == "year":
            moment = datetime(moment.year, 1, 1)
        else:
            moment = datetime(moment.year, moment.month, moment.day)
        e = timeline.Entry(moment, False, f"/t/#event-{i + 1}", f"E{i}", 1, precision, True)
        found.append((moment, e))
    return [e for _, e in sorted(found, key=lambda pair: pair[0])]


def check_box(chart, width: float) -> None:
    """Every point inside the chart, above its axis, and no two points of one row touch."""
    points = [(float(p.x.rstrip("%")) / 100 * width, p.y, p.r) for p in chart.points]
    for x, y, r in points:
        assert r <= x <= width - r and r <= y <= chart.axes[0] - r
    by_row = sorted(points, key=lambda p: (p[1], p[0]))
    for (x1, y1, r1), (x2, y2, r2) in itertools.pairwise(by_row):
        if y1 == y2:
            assert abs(x1 - x2) >= r1 + r2, "points of one row do not touch"


@pytest.mark.parametrize(
    ("articles", "events", "days"),
    [(0, 1, 0), (1, 0, 0), (1, 1, 0), (4, 3, 400), (40, 6, 25), (1000, 8, 2190), (0, 200, 700)],
)
@pytest.mark.parametrize("width", [timeline.NARROW, timeline.WIDE])
def test_events_are_rings_above_the_articles_and_everything_stays_legible(
    articles, events, days, width
):
    chart = timeline.layout(entries(articles, events, days), LOCALIZERS["en"], lambda n: "/t/")
    assert chart is not None
    rings = [p for p in chart.points if p.event]
    dots = [p for p in chart.points if not p.event]
    assert sum(p.count for p in rings) == events and sum(p.count for p in dots) == articles
    assert len(chart.points) <= 100, "many entries are grouped"
    check_box(chart, width)
    if rings and dots:
        assert max(p.y + p.r for p in rings) < min(p.y - p.r for p in dots), "a lane apart"
    if 0 < events <= 8:
        assert chart.event_grouping == "article", "a dossier's few events stay one by one"
    if articles == 1000:
        assert chart.grouping == "year"
    assert chart.grouping == ("" if not articles else chart.grouping)
    assert bool(chart.bars) == bool(articles)


def test_an_events_point_is_named_and_placed_in_the_middle_of_its_period():
    march = timeline.Entry(datetime(2024, 3, 1), False, "/t/#event-1", "Talks", 1, "month", True)
    june = timeline.Entry(datetime(2024, 6, 19, 9), True, "/a/", "Visit", 1)
    chart = timeline.layout([march, june], LOCALIZERS["en"], lambda n: "/t/")
    assert chart is not None
    ring, dot = chart.points
    assert (ring.label, ring.url, ring.event) == ("Event, March 2024: Talks", "/t/#event-1", True)
    assert dot.label == "June 19, 2024: Visit" and not dot.event
    assert chart.first.text == "March 2024" and chart.last.text == "June 19, 2024"
    # The axis runs from March to June: mid-March is a ninth of the way along.
    at = (float(ring.x.rstrip("%")) / 100 - timeline.LEFT) / (timeline.RIGHT - timeline.LEFT)
    assert abs(at - 15.5 / 122) < 0.01


def test_grouped_events_are_counted_and_link_to_their_period_in_the_list():
    many = entries(0, 200, 700)
    chart = timeline.layout(many, LOCALIZERS["id"], lambda n: f"/t/{n}/")
    assert chart is not None and chart.event_grouping in ("month", "year")
    labels = [p.label for p in chart.points]
    assert all(" peristiwa" in label for label in labels), labels
    assert all("#y-" in p.url or "#m-" in p.url for p in chart.points)


# -- the dossier as a reader finds it --------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = write_events_site(tmp_path_factory.mktemp("events") / "source")
    result = run_cli("build", "--source", root, "--output", root.parent / "site", "--no-cache")
    assert result.code == 0, result.err
    return root.parent / "site"


@pytest.fixture(scope="module")
def pages(built) -> dict[str, Page]:
    return read_pages(built, BASE)


def text(element) -> str:
    return " ".join(element.get_text(" ").split())


def listed(page: Page) -> list[str]:
    """The timeline's entries in reading order: "event: <text>" or an article's address."""
    found = []
    for li in page.soup.select("section.timeline ol.tl-entries > li"):
        if "tl-event" in li.get("class", []):
            found.append("event: " + text(li.select_one(".tl-what")))
        else:
            found.append(li.select_one(".card-title a")["href"])
    return found


def test_the_list_reads_in_the_order_things_happened_newest_first(pages):
    page = pages[TOPIC]
    assert listed(page) == [
        "event: Putin arrives in Pyongyang; see the report",
        ARRIVAL,
        WELCOME,
        PREVIEW,
        "event: Putin gives Kim an Aurus",
        AURUS,
        "event: Kim visits the Vostochny cosmodrome",
        VOSTOCHNY,
    ]
    headings = [text(h) for h in page.soup.select("section.timeline .month-heading")]
    assert headings == ["June 2024", "February 2024", "September 2023"]
    assert text(page.soup.select_one(".topic-stats")).startswith("5 articles"), "articles only"


def test_an_event_shows_its_date_its_text_and_the_articles_that_report_it(pages):
    events = pages[TOPIC].soup.select("li.tl-event")
    arrival = events[0]
    assert arrival["id"] == "event-1"
    assert arrival.select_one("time")["datetime"] == "2024-06-19"
    assert text(arrival.select_one("time")) == "June 19, 2024"
    assert arrival.select_one(".tl-what a")["href"] == ARRIVAL, "a wiki link"
    reports = arrival.select(".tl-refs a")
    assert [(a["href"], text(a)) for a in reports] == [
        (ARRIVAL, "Putin arrives"),
        (WELCOME, "Welcome ceremony"),
    ]
    vostochny = events[2]
    assert (vostochny["id"], vostochny.select_one("time")["datetime"]) == ("event-2", "2023-09")
    assert text(vostochny.select_one("time")) == "September 2023"
    assert vostochny.select_one(".tl-what strong").get_text() == "Vostochny"


def test_an_article_shows_what_it_is_about_and_its_publication_only_where_they_differ(pages):
    cards = {
        li.select_one(".card-title a")["href"]: li
        for li in pages[TOPIC].soup.select("ol.tl-entries > li:not(.tl-event)")
    }
    meta = {url: cards[url].select_one(".card-meta") for url in cards}
    assert text(meta[AURUS].select_one("time")) == "February 2024"
    assert text(meta[AURUS].select_one(".published")) == "Published June 19, 2024"
    assert text(meta[VOSTOCHNY].select_one(".published")) == "Published June 19, 2024"
    assert meta[VOSTOCHNY].select_one("time")["datetime"] == "2023-09"
    for same in (ARRIVAL, WELCOME, PREVIEW):
        assert meta[same].select_one(".published") is None, same
    assert "9:00" in text(meta[ARRIVAL].select_one("time")), "a time where the article has one"


def test_the_chart_shows_the_same_order_with_events_told_apart_by_name_and_shape(pages):
    chart = pages[TOPIC].soup.select_one("figure.tl-chart svg.tl")
    points = chart.select(".tl-points a")
    rings = [a for a in points if "tl-ring" in a.select("circle")[1]["class"]]
    dots = [a for a in points if a not in rings]
    assert [a["aria-label"] for a in rings] == [  # in time's order, as the axis runs
        "Event, September 2023: Kim visits the Vostochny cosmodrome",
        "Event, February 2024: Putin gives Kim an Aurus",
        "Event, June 19, 2024: Putin arrives in Pyongyang; see the report",
    ]
    # Each links to its entry in the list (on this page), named after its place in the
    # editor's list.
    assert [a["href"] for a in rings] == [f"#event-{n}" for n in (2, 3, 1)]
    assert all(pages[TOPIC].soup.find(id=a["href"][1:]) for a in rings)
    assert sorted(a["aria-label"] for a in dots) == [
        "February 2024: The Aurus gift",
        "June 10, 2024: What to expect",
        "June 19, 2024: Putin arrives",
        "June 19, 2024: Welcome ceremony",
        "September 2023: Looking back at Vostochny",
    ]
    xs = {a["aria-label"]: float(a.circle["cx"].rstrip("%")) for a in points}
    assert xs["September 2023: Looking back at Vostochny"] < xs["February 2024: The Aurus gift"]
    caption = text(pages[TOPIC].soup.select_one("figure.tl-chart figcaption"))
    assert caption.endswith("Each ring above them is an event.")
    assert chart["aria-label"] == "Timeline of the dossier, September 2023 to June 19, 2024"


def test_every_link_and_anchor_resolves(built):
    assert broken_links(built, BASE, HOST) == []
    assert anchors_resolve(built, BASE, HOST) == []


def test_an_article_about_an_earlier_time_says_so_to_machines(pages):
    import json

    data = json.loads(pages[AURUS].soup.select_one('script[type="application/ld+json"]').string)
    assert data["contentReferenceTime"] == "2024-02"
    data = json.loads(pages[ARRIVAL].soup.select_one('script[type="application/ld+json"]').string)
    assert "contentReferenceTime" not in data


def test_later_pages_and_the_page_count_follow_the_new_order(tmp_path, monkeypatch):
    """Eight entries three a page: three pages (five articles would make two), the oldest
    event and its article on the last."""
    monkeypatch.setattr(paging, "TIMELINE_PAGE_SIZE", 3)
    root = write_events_site(tmp_path / "source")
    out = tmp_path / "site"
    assert run_cli("build", "--source", root, "--output", out, "--no-cache", "-q").code == 0
    pages = read_pages(out, BASE)
    assert f"{TOPIC}page/3/" in pages and f"{TOPIC}page/4/" not in pages
    assert listed(pages[f"{TOPIC}page/2/"]) == [PREVIEW, "event: Putin gives Kim an Aurus", AURUS]
    assert listed(pages[f"{TOPIC}page/3/"]) == [
        "event: Kim visits the Vostochny cosmodrome",
        VOSTOCHNY,
    ]
    chart = pages[TOPIC].soup.select_one("figure.tl-chart")
    vostochny = [a for a in chart.select("a") if "Vostochny cosmodrome" in a["aria-label"]]
    assert vostochny[0]["href"] == f"{TOPIC}page/3/#event-2"
    assert anchors_resolve(out, BASE, HOST) == []


# -- incremental builds ------------------------------------------------------------------------


@pytest.fixture
def preview(tmp_path, monkeypatch):
    source = write_events_site(tmp_path / "source")
    rendered = record_renders(monkeypatch)
    builder = Rebuilder(preview_request(source))
    first = builder.build()
    assert first.errors == ()
    rendered.clear()
    return source, builder, rendered


def dossier(outcome) -> str:
    return snapshot(outcome.files)["topics/summit/index.html"].decode()


def test_editing_about_moves_the_article_and_equals_a_cold_build(preview):
    source, builder, rendered = preview
    before = dossier(builder.build())
    replace_once(source / "content/articles/aurus-gift.md", "about: 2024-02", "about: 2023-12")
    outcome = builder.build(["content/articles/aurus-gift.md"])
    assert outcome.errors == ()
    assert "topics/summit/index.html" in outcome.changed
    after = dossier(outcome)
    assert after != before and "December 2023" in after
    # The article (its structured data) and the dossier change; lists by publication do not.
    assert set(outcome.changed) == {"2024/06/aurus-gift/index.html", "topics/summit/index.html"}
    assert not {"index.html", "archive/index.html", "tags/index.html"} & set(rendered)
    assert snapshot(outcome.files) == full_build(builder.request)


def test_editing_events_rerenders_the_pages_showing_them_and_equals_a_cold_build(preview):
    source, builder, rendered = preview
    replace_once(
        source / "content/topics/summit.md",
        "text: Putin gives Kim an Aurus",
        "text: Putin gives Kim a car",
    )
    outcome = builder.build(["content/topics/summit.md"])
    assert outcome.errors == ()
    assert "Putin gives Kim a car" in dossier(outcome)
    assert set(outcome.changed) == {"topics/summit/index.html"}
    assert set(rendered) <= {"topics/summit/index.html", "topics/summit/feed.xml"}
    assert snapshot(outcome.files) == full_build(builder.request)


@pytest.mark.parametrize("precision", ["year", "month", "day"])
def test_what_is_dated_to_the_last_year_there_is_still_has_a_place(precision):
    """``about: 9999`` (a slip, which check warns of) is drawn, not a crash of the build."""
    last = timeline.Entry(datetime(9999, 12, 31), False, "/a/", "Far", 1, precision)
    for shown in ([last], [timeline.Entry(datetime(1, 1, 1), False, "/b/", "Near", 1), last]):
        chart = timeline.layout(shown, LOCALIZERS["en"], lambda n: "/t/")
        assert chart is not None and sum(p.count for p in chart.points) == len(shown)
