"""Built pages in a real browser: no serious accessibility problem on any kind of page, in
light and dark, and a timeline chart that stays in its box with nothing overlapping, on a
phone and a desktop, from one article to a thousand.

axe-core (https://github.com/dequelabs/axe-core) is injected into each page; it is an npm
package, installed beside the tests (``npm install --prefix tests --no-save
axe-core@4``, as ``.ci/run`` does) and the accessibility tests skip, saying so, without
it. The chart is measured where the browser drew it (``getBoundingClientRect``), on the
small bilingual site (four articles, and a dossier of one), a generated archive of 150
articles (grouped points, a timeline of several pages) and a chart of 1,000 articles laid
out and rendered on its own, which would take seconds to build as a site.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from markupsafe import Markup

from dossierpress.pages import timeline
from dossierpress.pages import views as v
from dossierpress.theme.i18n import load_localizers
from dossierpress.theme.templates import Theme, default_layouts_dir

from .support.browser import chromium, serve, show_as
from .support.cli import run_cli
from .support.corpus import load_generator
from .support.dossier import BASE, write_dossier_site
from .support.events_site import TOPIC as EVENTS_TOPIC
from .support.events_site import write_events_site
from .support.files import REPO, TESTS

pytestmark = pytest.mark.browser

AXE = TESTS / "node_modules" / "axe-core" / "axe.min.js"
NO_AXE = "needs axe-core: npm install --prefix tests --no-save axe-core@4 (see .ci/run)"
SERIOUS = ("serious", "critical")
CORPUS_ARTICLES = 150


@pytest.fixture(scope="module")
def dossier(tmp_path_factory) -> Path:
    """The small site, built into ``<root>/d/`` (its base path)."""
    root = tmp_path_factory.mktemp("dossier")
    source = write_dossier_site(root / "source")
    result = run_cli("--source", source, "--output", root / "out" / "d", "-q", "--no-cache")
    assert result.code == 0, result.err
    # The redirect page as it is, without the refresh that would leave it at once.
    redirect = root / "out/d/old/kickoff/index.html"
    html = re.sub(r'<meta http-equiv="refresh"[^>]*>', "", redirect.read_text(encoding="utf-8"))
    (root / "out/d/old/kickoff/still.html").write_text(html, encoding="utf-8")
    # Beside it, under its own base path, a dossier with events among its articles.
    source = write_events_site(root / "events")
    result = run_cli("--source", source, "--output", root / "out" / "e", "-q", "--no-cache")
    assert result.code == 0, result.err
    return root / "out"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A generated archive, and a page showing a chart of 1,000 articles."""
    root = tmp_path_factory.mktemp("corpus")
    load_generator().generate_corpus(root / "source", CORPUS_ARTICLES, topics=3, seed=4)
    result = run_cli("--source", root / "source", "--output", root / "out", "-q", "--no-cache")
    assert result.code == 0, result.err
    page = root / "out" / "chart-1000" / "index.html"
    page.parent.mkdir()
    page.write_text(thousand_article_page(), encoding="utf-8")
    return root / "out"


@pytest.fixture(scope="module")
def big(corpus) -> str:
    """The corpus's dossier with a timeline of several pages (its chart groups points)."""
    paged = sorted(p.parent.parent.name for p in corpus.glob("topics/*/page/2"))
    assert paged
    return paged[0]


def thousand_article_page() -> str:
    """A dossier page of 1,000 articles over six years, the chart alone."""
    rng = random.Random(1000)
    start = datetime(2019, 1, 3)
    moments = sorted(start + timedelta(minutes=rng.randrange(6 * 365 * 1440)) for _ in range(1000))
    entries = [
        timeline.Entry(m, True, f"/a/{i}/", f"Article {i}", (999 - i) // 50 + 1)
        for i, m in enumerate(moments)
    ]
    loc = load_localizers([default_layouts_dir()], ["en"])["en"]
    chart = timeline.layout(entries, loc, lambda n: f"/t/{n}/")
    last = entries[-1]
    card = v.ArticleCard(last.url, last.title, "", loc.date(last.when, False), None, ())
    month = v.MonthGroup("December 2024", "2024-12", (), (v.TimelineEntry(card.date, card),))
    meta = v.PageMeta("topic", "en", "A thousand", "/chart-1000/", "http://x/", "")
    page = v.TopicPage(
        meta, "A thousand", "", Markup(""), (), (), (v.YearGroup("2024", (month,)),), (), (), (),
        1000,
    )  # fmt: skip
    site = v.SiteView("Charts", "", "en", "/", "/topics/", "/tags/", "/archive/", "/static/")
    return Theme([default_layouts_dir()]).render(
        "topic.html", site=site, page=replace(page, chart=chart), localizer=loc
    )


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    yield from chromium(tmp_path_factory.mktemp("chromium-profile"))


@pytest.fixture(scope="module")
def dossier_origin(dossier):
    with serve(dossier) as origin:
        yield origin


@pytest.fixture(scope="module")
def corpus_origin(corpus):
    with serve(corpus) as origin:
        yield origin


# -- accessibility --------------------------------------------------------------------------

PAGE_KINDS = {
    "home": "",
    "article": "2024/06/opening-round/",
    "article in Indonesian": "2024/06/pembukaan/",
    "topic": "topics/alpha-talks/",
    "topic of one article": "topics/topik-bahasa/",
    "topic index": "topics/",
    "tag": "tags/rare/",
    "tag index": "tags/",
    "archive": "archive/",
    "not found": "404.html",
    "redirect": "old/kickoff/still.html",
    "search": "search/",
}
"""A page of each kind the small site has, under its base path (the search page only
where the build made one)."""


DRAWN = "return !document.querySelector('#search') || !!document.querySelector('#search input')"


def violations(browser) -> list[str]:
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    found = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => done(r.violations), e => done([{id: 'axe failed', impact: 'critical',"
        " help: String(e), nodes: []}]));"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(json.dumps(n["target"]) for n in v["nodes"][:3])
        for v in found
        if v["impact"] in SERIOUS
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_page_kind_has_a_serious_accessibility_problem(
    browser, dossier, dossier_origin, corpus_origin, big, scheme
):
    if not AXE.is_file():
        pytest.skip(NO_AXE)
    from selenium.webdriver.support.wait import WebDriverWait

    browser.set_script_timeout(30)
    show_as(browser, "desktop", scheme)
    site = dossier / BASE.strip("/")
    kinds = [
        p
        for p in PAGE_KINDS.values()
        if (site / p).is_file() or (site / p / "index.html").is_file()
    ]
    assert len(kinds) >= len(PAGE_KINDS) - 1
    urls = [f"{dossier_origin}{BASE}{path}" for path in kinds]
    # A chart of grouped points, and a later page of a long timeline.
    urls += [f"{corpus_origin}/topics/{big}/", f"{corpus_origin}/topics/{big}/page/2/"]
    urls.append(f"{dossier_origin}{EVENTS_TOPIC}")  # events among the articles
    found = {}
    for url in urls:
        browser.get(url)
        # What scripts draw (the search box) is part of the page: wait for it.
        WebDriverWait(browser, 10).until(lambda b: b.execute_script(DRAWN))
        problems = violations(browser)
        if problems:
            found[url] = problems
    assert found == {}


# -- the timeline chart -----------------------------------------------------------------------

MEASURE = """
const svg = document.querySelector('svg.tl');
const box = svg.getBoundingClientRect();
const shown = el => getComputedStyle(el).display !== 'none';
const rect = el => { const r = el.getBoundingClientRect();
  return {x1: r.left, x2: r.right, y1: r.top, y2: r.bottom}; };
return {
  box: rect(svg),
  column: svg.closest('section').getBoundingClientRect().width,
  texts: [...svg.querySelectorAll('text')].filter(shown).map(t => ({
    text: t.textContent, size: parseFloat(getComputedStyle(t).fontSize), ...rect(t)})),
  dots: [...svg.querySelectorAll('circle.tl-dot')].map(rect),
  bars: [...svg.querySelectorAll('rect')].map(rect),
  fills: [...svg.querySelectorAll('circle.tl-dot, rect, text')].slice(0, 3).map(
    el => getComputedStyle(el).fill),
};
"""


def overlap(a: dict, b: dict) -> bool:
    return min(a["x2"], b["x2"]) - max(a["x1"], b["x1"]) > 0.5 and (
        min(a["y2"], b["y2"]) - max(a["y1"], b["y1"]) > 0.5
    )


def inside(item: dict, box: dict) -> bool:
    return (
        item["x1"] >= box["x1"] - 0.5
        and item["x2"] <= box["x2"] + 0.5
        and item["y1"] >= box["y1"] - 0.5
        and item["y2"] <= box["y2"] + 0.5
    )


CHARTS = {
    "four articles": ("dossier", f"{BASE}topics/alpha-talks/"),
    "one article": ("dossier", f"{BASE}topics/topik-bahasa/"),
    "articles and events": ("dossier", EVENTS_TOPIC),
    "150 articles, grouped": ("corpus", "/topics/{big}/"),
    "1,000 articles": ("corpus", "/chart-1000/"),
}


@pytest.mark.parametrize("screen", ["phone", "desktop"])
@pytest.mark.parametrize("chart", sorted(CHARTS))
def test_the_timeline_chart_stays_in_its_box_and_nothing_in_it_overlaps(
    browser, dossier_origin, corpus_origin, big, chart, screen
):
    site, path = CHARTS[chart]
    show_as(browser, screen, "dark")
    browser.get((dossier_origin if site == "dossier" else corpus_origin) + path.format(big=big))
    drawn = browser.execute_script(MEASURE)
    box = drawn["box"]
    assert abs((box["x2"] - box["x1"]) - drawn["column"]) < 1, "the chart takes its column's width"
    if screen == "phone":
        assert abs(drawn["column"] - 358) < 1
    assert drawn["texts"] and drawn["dots"] and drawn["bars"]
    for item in [*drawn["texts"], *drawn["dots"], *drawn["bars"]]:
        assert inside(item, box), item
    for text in drawn["texts"]:
        assert text["size"] >= 12, text
    for group in ("texts", "dots"):
        items = drawn[group]
        clashes = [(a, b) for i, a in enumerate(items) for b in items[i + 1 :] if overlap(a, b)]
        assert clashes == [], clashes[:3]
    for a in drawn["texts"]:
        assert not any(overlap(a, dot) for dot in drawn["dots"]), a
    # Dark mode: the stylesheet's colours, not black on black.
    assert all(fill != "rgb(0, 0, 0)" for fill in drawn["fills"]), drawn["fills"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_nothing_is_wider_than_a_phone(browser, dossier, dossier_origin, scheme):
    """A wide image in a body, long headlines, the chart: the page never scrolls sideways."""
    show_as(browser, "phone", scheme)
    wide = {}
    for path in [*(f"{BASE}{p}" for p in PAGE_KINDS.values()), EVENTS_TOPIC]:
        browser.get(f"{dossier_origin}{path}")
        width = browser.execute_script("return document.documentElement.scrollWidth")
        if width > 390:
            wide[path] = width
    assert wide == {}
    browser.get(f"{dossier_origin}{BASE}2024/03/kickoff/")
    image = browser.execute_script(
        "const r = document.querySelector('.prose img').getBoundingClientRect();"
        "return [r.left, r.right];"
    )
    assert image[0] >= 0 and image[1] <= 390


# -- small screens and print ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["", "2024/06/opening-round/", "2024/06/pembukaan/", "topics/alpha-talks/"]
)
def test_a_phones_header_leaves_the_first_screen_to_the_page(browser, dossier_origin, path):
    """The title on one line, sections and search on the next: under 100 px of 844."""
    show_as(browser, "phone")
    browser.get(f"{dossier_origin}{BASE}{path}")
    height = browser.execute_script(
        "return document.querySelector('.site-header').getBoundingClientRect().height"
    )
    assert height < 100


def test_print_leaves_out_tag_chips_and_the_other_languages_link(browser, dossier_origin):
    show_as(browser, "desktop", media="print")
    browser.get(f"{dossier_origin}{BASE}2024/06/opening-round/")
    shown = browser.execute_script(
        "const on = s => [...document.querySelectorAll(s)]"
        "  .some(e => getComputedStyle(e).display !== 'none' && e.getClientRects().length);"
        "return [on('.article-footer .tags'), on('.byline .translation'), on('h1')];"
    )
    assert shown == [False, False, True]
    show_as(browser, "desktop")


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_a_dossier_shows_latest_and_essential_reading_before_its_key_facts(
    browser, dossier_origin, screen
):
    """What is new and what to read come first; on a wide screen essential reading
    stands beside the latest and the facts, on a phone it comes between them."""
    show_as(browser, screen)
    browser.get(f"{dossier_origin}{BASE}topics/alpha-talks/")
    top = browser.execute_script(
        "const y = s => document.querySelector(s).getBoundingClientRect().top;"
        "return [y('.topic-lead'), y('.pinned'), y('.key-facts')];"
    )
    latest, essential, facts = top
    if screen == "phone":
        assert latest < essential < facts
    else:
        assert latest < facts and abs(essential - latest) < 40


@pytest.fixture(scope="module")
def sample_origin(tmp_path_factory):
    """The sample dossier the repository ships, built as a newcomer builds it."""
    out = tmp_path_factory.mktemp("sample") / "site"
    result = run_cli("--source", REPO, "--output", out, "-q", "--no-cache", "--no-search")
    assert result.code == 0, result.err
    with serve(out) as origin:
        yield origin


SAMPLE_ARTICLES = (
    "2024/06/putin-arrives-in-pyongyang/",
    "2024/06/pyongyang-sambut-putin/",
    "2024/06/putin-thanks-kim-for-support/",
    "2024/06/putin-kim-exchange-gifts/",
    "2024/06/two-isolated-states-draw-closer/",
    "2024/06/kilas-balik-pertemuan-vostochny/",
)


def test_an_articles_side_column_is_no_longer_than_the_story(browser, sample_origin):
    """On a wide screen the further reading beside a story ends before the story does."""
    show_as(browser, "desktop")
    for path in SAMPLE_ARTICLES:
        browser.get(f"{sample_origin}/{path}")
        story, rail = browser.execute_script(
            "const h = s => document.querySelector(s).getBoundingClientRect().height;"
            "return [h('article.article'), h('.article-aside')];"
        )
        assert rail <= story, path
