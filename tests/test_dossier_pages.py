"""Dossier, article and home pages as a reader finds them, in two languages.

End-to-end: the small bilingual site of ``support/dossier.py`` is built with the CLI and
read with BeautifulSoup. What a dossier shows first (when it last changed, its newest
article, key facts, essential reading), its timeline chart, the side column, the way from
an article to the next and to its translation, links that lead to another language, the
home page's order, the new front-matter keys and their errors, English dates as the site
spells them, print, and what a page weighs.
"""

from __future__ import annotations

import itertools
import re
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from dossierpress.config import load_config
from dossierpress.pages import timeline
from dossierpress.pictures.model import PICTURES_DIR
from dossierpress.theme.i18n import PYTHON_TEXTS, load_localizers
from dossierpress.theme.templates import default_layouts_dir

from .sitecrawl import Page, anchors_resolve, broken_links, read_pages
from .support.cli import run_cli
from .support.dossier import ARTICLES, BASE, HOST, write_dossier_site
from .support.files import REPO, write_files

TOPIC = f"{BASE}topics/alpha-talks/"
OPENING = f"{BASE}2024/06/opening-round/"
PEMBUKAAN = f"{BASE}2024/06/pembukaan/"
FINAL = f"{BASE}2024/06/final-round/"
KICKOFF = f"{BASE}2024/03/kickoff/"
SIDE_NOTE = f"{BASE}2024/04/side-note/"
LOCALIZERS = load_localizers([default_layouts_dir()], ["en", "id"])


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = write_dossier_site(tmp_path_factory.mktemp("dossier") / "source")
    result = run_cli("build", "--source", root, "--output", root.parent / "site", "--no-cache")
    assert result.code == 0, result.err
    return root.parent / "site"


@pytest.fixture(scope="module")
def pages(built) -> dict[str, Page]:
    return read_pages(built, BASE)


def text(element) -> str:
    return " ".join(element.get_text(" ").split())


def texts(soup, selector: str) -> list[str]:
    return [text(el) for el in soup.select(selector)]


def build_errors(tmp_path: Path, extra: dict[str, str] | None = None, **replace: str) -> list[str]:
    root = write_dossier_site(tmp_path / "source", **replace)
    write_files(root, extra or {})
    result = run_cli("build", "--source", root, "--output", tmp_path / "site", "--no-cache")
    assert result.code == 1
    return result.error_lines


def test_every_link_and_anchor_resolves(built):
    assert broken_links(built, BASE, HOST) == []
    assert anchors_resolve(built, BASE, HOST) == []


# -- the dossier --------------------------------------------------------------------------


def test_a_dossier_opens_with_its_last_change_its_newest_article_reading_and_facts(pages):
    soup = pages[TOPIC].soup
    main = soup.find("main")
    # The correction of 2 July is the dossier's latest change, after every date and update.
    # Four articles, three stories: the opening round is also in Indonesian.
    assert texts(main, ".topic-stats") == ["3 articles · Updated July 2, 2024"]
    order = [el.get("id") for el in main.select("h1, h2") if el.get("id")]
    assert order[:3] == ["lead-heading", "pinned-heading", "facts-heading"]  # what to read first
    assert [a["href"] for a in main.select(".topic-lead .lead-title a")] == [FINAL]
    assert texts(main, ".topic-lead .lead-summary") == [
        "A last try, after The opening round ends without a deal."
    ]
    assert main.select_one(".topic-lead time")["datetime"] == "2024-06-20"
    # Essential reading leaves out the lead, shown right above it.
    assert [a["href"] for a in main.select(".pinned .headline-title a")] == [OPENING, KICKOFF]
    assert main.select_one(".topic-header .follow a"), "room for following the dossier"


def test_the_chronological_list_keeps_times_where_articles_have_them(pages):
    soup = pages[TOPIC].soup
    times = {a.find_parent("article").select_one("time").get_text() for a in soup.select(
        ".timeline .card-title a"
    )}  # fmt: skip
    assert "June 19, 2024, 9:00\u202fAM UTC+7" in times
    assert "June 20, 2024" in times, "an article without a time shows none"
    assert texts(soup, ".month-heading") == ["June 2024", "March 2024"]


def test_the_timeline_chart_links_each_article_with_a_name_and_counts_months(pages):
    chart = pages[TOPIC].soup.select_one("section.timeline figure.tl-chart svg.tl")
    assert chart["role"] == "group" and chart["aria-label"].startswith("Timeline of the dossier")
    points = chart.select(".tl-points a")
    assert [a["href"] for a in points] == [KICKOFF, OPENING, FINAL], "a story once"
    assert points[0]["aria-label"] == "March 1, 2024: The talks are announced"
    assert points[0].title.get_text() == points[0]["aria-label"]
    bars = chart.select_one(".tl-bars")
    assert bars["role"] == "img"
    assert bars["aria-label"] == "Articles per month, the most in June 2024 (2)"
    assert [t.get_text() for t in bars.select("title")] == [
        "March 2024: 1 article",
        "June 2024: 2 articles",  # the opening round's two languages are one story
    ]
    labels = [t.get_text() for t in chart.select("text")]
    assert {"Mar", "Jun", "2024"} <= set(labels)
    # Colours come from the stylesheet (light and dark), never from the drawing.
    assert not chart.select("[fill], [stroke], [style]")
    assert (
        pages[TOPIC]
        .soup.select_one("figure.tl-chart figcaption")
        .get_text()
        .startswith("Each point is an article")
    )


def test_the_side_column_lists_related_topics_then_tags_that_tell_articles_apart(pages):
    aside = pages[TOPIC].soup.select_one(".topic-aside")
    headings = texts(aside, "h2")
    assert headings[:2] == ["Related topics", "Tags"]
    assert texts(aside, "section:first-child li")[0] == "Side story 2 shared articles"
    tags = texts(aside, ".chips li")
    # Three stories (the opening round is in two languages): Alpha is on all three and
    # Rare on two, more than half: left out. Venue is on one story, in both its versions.
    assert tags == ["Venue 1 article"]


def test_mentioned_in_leaves_out_what_the_page_lists_already(pages):
    soup = pages[TOPIC].soup
    # Linked from side-note (not listed) and final-round (the lead, in the list).
    assert [a["href"] for a in soup.select(".topic-aside .links a")][-1:] == [
        f"{BASE}2024/04/side-note/"
    ]
    mentioned = soup.select_one("#mentioned-heading").find_parent("section")
    assert [a["href"] for a in mentioned.select("a")] == [f"{BASE}2024/04/side-note/"]


# -- articles -----------------------------------------------------------------------------


def test_an_article_shows_the_editors_related_list_before_more_on_this(pages):
    aside = pages[FINAL].soup.select_one(".article-aside")
    assert [el["id"] for el in aside.select("h2")][:2] == ["related-heading", "more-heading"]
    assert aside.select_one(".related a")["href"] == KICKOFF


def test_previous_and_next_come_once_per_article(pages):
    soup = pages[FINAL].soup
    pagers = soup.select(".neighbours .pager")
    assert len(pagers) == 1, "its main topic only, not once per topic"
    assert texts(pagers[0], "h3") == ["Alpha talks"]
    # Opening round's own translation is not its neighbour: the next is the final round.
    opening = pages[OPENING].soup.select(".neighbours .pager")
    assert [a["href"] for a in opening[0].select("li a")] == [KICKOFF, FINAL]


def test_why_says_something_specific_or_nothing(pages):
    for url, page in pages.items():
        for why in texts(page.soup, ".more .why"):
            assert "Alpha talks" not in why and "tag Alpha" not in why, url
    final = pages[FINAL].soup
    reasons = {
        a["href"]: text(a.find_parent("li").select_one(".why") or a)
        for a in final.select(".more .card-title a")
    }
    assert reasons == {SIDE_NOTE: "Why: shared topic Side story"}
    opening = pages[OPENING].soup
    reasons = {
        a["href"]: text(a.find_parent("li").select_one(".why") or a)
        for a in opening.select(".more .card-title a")
    }
    assert reasons == {SIDE_NOTE: "A note from the side"}, "only Alpha, on every one: no why"


def test_translations_link_each_other_in_their_own_language(pages):
    english, indonesian = pages[OPENING].soup, pages[PEMBUKAAN].soup
    to_id = english.select_one(".translation a")
    assert (to_id["href"], to_id["hreflang"], to_id["lang"]) == (PEMBUKAAN, "id", "id")
    assert text(to_id) == "Baca dalam Bahasa Indonesia →"
    to_en = indonesian.select_one(".translation a")
    assert (to_en["href"], to_en["hreflang"], text(to_en)) == (OPENING, "en", "Read in English →")
    for soup in (english, indonesian):
        alternates = {
            link["hreflang"]: link["href"]
            for link in soup.select('head link[rel="alternate"][hreflang]')
        }
        assert alternates == {"en": f"https://{HOST}{OPENING}", "id": f"https://{HOST}{PEMBUKAAN}"}
    assert not pages[FINAL].soup.select('link[rel="alternate"][hreflang]')
    assert not [a for a in english.select(".more a") if a["href"] == PEMBUKAAN]


def test_a_link_to_a_page_in_another_language_says_so(pages):
    indonesian = pages[PEMBUKAAN].soup
    card = next(a for a in indonesian.select(".more .card-title a") if a["href"] == SIDE_NOTE)
    assert card["hreflang"] == "en" and card.find_parent("article")["lang"] == "en"
    mark = card.find_parent("article").select_one(".card-meta > .lang-mark")
    assert (mark["lang"], mark.get_text()) == ("en", "English")
    # A wiki link in a body, and a topic page in Indonesian.
    kickoff = pages[KICKOFF].soup
    wikilink = kickoff.select_one(f'.prose a[href="{PEMBUKAAN}"]')
    assert wikilink["hreflang"] == "id" and not wikilink.has_attr("lang"), "the label is English"
    assert wikilink.find_next_sibling("span", class_="lang-mark").get_text() == "Bahasa Indonesia"
    # On the Indonesian page, links to English pages are marked "English".
    indonesian = pages[PEMBUKAAN].soup
    body_link = indonesian.select_one(f'.prose a[href="{KICKOFF}"]')
    assert (body_link["hreflang"], body_link["lang"]) == ("en", "en")
    assert body_link.find_next_sibling("span", class_="lang-mark").get_text() == "English"
    # Links within one language carry nothing of the kind.
    assert not pages[TOPIC].soup.select(f'a[href="{FINAL}"][hreflang]')


def test_topics_are_named_in_the_language_of_the_page(pages):
    indonesian = pages[PEMBUKAAN].soup
    assert texts(indonesian, ".kicker li a") == ["Perundingan Alpha", "Topik Bahasa"]
    assert not indonesian.select_one(".kicker li a").has_attr("lang"), "the name is Indonesian"
    english = pages[TOPIC].soup
    assert "Language matters" in texts(english, ".topic-aside .links a")
    assert pages[f"{BASE}topics/topik-bahasa/"].soup.h1.get_text() == "Topik Bahasa"


# -- home ---------------------------------------------------------------------------------


def test_home_leads_with_the_newest_article_and_orders_dossiers_by_weight_then_update(pages):
    soup = pages[BASE].soup
    h1 = soup.find_all("h1")
    assert len(h1) == 1 and h1[0].find_parent("header", class_="site-header")
    assert soup.find("main").find("h1") is None, "the site title is not repeated"
    assert soup.select_one(".home-lead .lead-title a")["href"] == FINAL
    assert [el["id"] for el in soup.main.select("h2")] == [
        "home-latest-heading",
        "home-topics-heading",  # the dossiers right after the lead, on a phone too
        "home-earlier-heading",
    ]
    assert FINAL not in [a["href"] for a in soup.select(".home-latest .cards .card-title a")]
    dossiers = texts(soup, ".home-topics .card-title")
    # Side story changed last (10 July), but Alpha talks has a weight.
    # The Indonesian dossier's card is its own title over its own summary, marked.
    assert dossiers == ["Alpha talks", "Side story", "Topik Bahasa Bahasa Indonesia"]
    assert texts(soup, ".home-topics .card-meta")[1] == "3 articles · updated July 10, 2024"


def test_without_weights_dossiers_follow_their_last_change(tmp_path):
    topic = (REPO / "tests/sites/basic/content/topics/gamma.md").read_text(encoding="utf-8")
    root = write_dossier_site(
        tmp_path / "source",
        alpha_talks="---\ntitle: Alpha talks\n---\n\nNo weight.\n",
    )
    write_files(root, {"content/topics/gamma.md": topic})
    assert run_cli("--source", root, "--output", tmp_path / "site", "-q", "--no-cache").code == 0
    soup = read_pages(tmp_path / "site", BASE)[BASE].soup
    assert texts(soup, ".home-topics .card-title") == [
        "Side story",
        "Alpha talks",
        "Topik Bahasa Bahasa Indonesia",
        "Gamma",  # no articles: last
    ]


# -- the new keys and their errors -------------------------------------------------------


def test_translation_of_is_resolved_like_a_ref_with_located_errors(tmp_path):
    pembukaan = ARTICLES["content/articles/pembukaan.md"]
    errors = build_errors(
        tmp_path,
        pembukaan=pembukaan.replace(
            "translation_of: opening-round", "translation_of: openin-round"
        ),
        final_round=ARTICLES["content/articles/final-round.md"].replace(
            "topics:", "translation_of: kickoff\ntopics:"
        ),
        side_note=ARTICLES["content/articles/side-note.md"].replace(
            "topics:", "translation_of: Alpha talks\ntopics:"
        ),
        kickoff=ARTICLES["content/articles/kickoff.md"].replace(
            "topics:", "translation_of: kickoff\ntopics:"
        ),
    )
    assert errors == [
        "content/articles/final-round.md:4: error: 'translation_of': the versions of 'kickoff' "
        "already include content/articles/kickoff.md, in the same language (en) "
        "(set 'lang' on the translation: each language has one version)",
        "content/articles/kickoff.md:4: error: 'translation_of' names the article itself",
        "content/articles/pembukaan.md:5: error: unknown article 'openin-round' "
        "(did you mean 'opening-round'?)",
        "content/articles/side-note.md:5: error: 'translation_of' names the topic 'Alpha talks' "
        "(it takes an article's slug or title)",
    ]


def test_title_translations_and_weight_are_checked_at_their_lines(tmp_path):
    errors = build_errors(
        tmp_path,
        {
            "content/topics/one.md": "---\ntitle: One\nweight: first\n"
            "title_translations: {id: Satu, xx-1: X, fr: ''}\n---\n",
            "content/topics/two.md": "---\ntitle: Two\nweight: 1.5\n"
            "title_translations: [id]\n---\n",
            "content/topics/three.md": "---\ntitle: Three\ntitle_translations:\n"
            "  id: Tiga\n  ID: Tiga lagi\n---\n",
        },
    )
    assert errors == [
        "content/topics/one.md:3: error: 'weight' must be a whole number, e.g. 1, got 'first'",
        "content/topics/one.md:4: error: 'title_translations.fr' is empty",
        "content/topics/one.md:4: error: unknown language 'xx-1' in 'title_translations' "
        "(e.g. en or id)",
        "content/topics/three.md:5: error: 'title_translations' names the language 'ID' twice "
        "(keep one of them)",
        "content/topics/two.md:3: error: 'weight' must be a whole number, e.g. 1, got '1.5'",
        "content/topics/two.md:4: error: 'title_translations' must be a mapping of language "
        "to title (e.g. title_translations: {id: Hubungan Rusia–Korea Utara})",
    ]


# -- dates --------------------------------------------------------------------------------


def test_english_dates_follow_the_site_language_exactly(tmp_path):
    site = (REPO / "tests/sites/basic/site.yaml").read_text(encoding="utf-8")
    root = write_dossier_site(
        tmp_path / "source",
        site=f"{site}language: en-GB\n",
        final_round=ARTICLES["content/articles/final-round.md"].replace("date:", "lang: en\ndate:"),
    )
    assert run_cli("--source", root, "--output", tmp_path / "site", "-q", "--no-cache").code == 0
    pages = read_pages(tmp_path / "site", "/dossiers/")
    final = pages["/dossiers/2024/06/final-round/"].soup
    assert final.html["lang"] == "en", "as the article says"
    assert texts(final, ".dates span")[0] == "Published 20 June 2024", "but dated as en-GB"
    opening = pages["/dossiers/2024/06/opening-round/"].soup
    assert opening.html["lang"] == "en-GB"
    assert texts(opening, ".dates span")[0] == "Published 19 June 2024, 09:00 UTC+7"
    indonesian = pages["/dossiers/2024/06/pembukaan/"].soup
    assert texts(indonesian, ".dates span")[0] == "Terbit 19 Juni 2024 11.30 UTC+7"


def test_the_strings_made_in_python_are_translated() -> None:
    english, indonesian = LOCALIZERS["en"], LOCALIZERS["id"]
    assert [indonesian.messages.get(m) for m in PYTHON_TEXTS] == [
        "Bahasa Indonesia",
        "Baca dalam %(language)s",
        "Artikel per bulan, terbanyak pada %(month)s (%(count)d)",
        "Peristiwa, %(date)s: %(title)s",
    ]
    assert (english.own_name(), indonesian.own_name()) == ("English", "Bahasa Indonesia")
    assert load_localizers([default_layouts_dir()], ["fr"])["fr"].own_name() == "Français"


# -- the chart's layout, from 1 article to 1,000 -------------------------------------------


def corpus_entries(count: int, days: int, seed: int = 3) -> list[timeline.Entry]:
    """``count`` articles spread over ``days``, clustered as news is (a busy week now and
    then), oldest first."""
    import random

    rng = random.Random(seed)
    start = datetime(2019, 3, 10, 9)
    moments = sorted(
        start + timedelta(minutes=rng.randrange(max(1, days * 1440))) if rng.random() < 0.7
        else start + timedelta(days=days // 3, minutes=rng.randrange(7 * 1440))
        for _ in range(count)
    )  # fmt: skip
    return [
        timeline.Entry(m, True, f"/a/{i}/", f"Article {i}", (count - 1 - i) // 50 + 1)
        for i, m in enumerate(moments)
    ]


def shown_at(label, width: float) -> bool:
    return label.shown == "always" or label.shown == (
        "wide" if width >= timeline.WIDE else "narrow"
    )


@pytest.mark.parametrize(
    ("count", "days"), [(1, 1), (2, 0), (7, 2), (40, 25), (60, 300), (300, 700), (1000, 2190)]
)
@pytest.mark.parametrize("width", [timeline.NARROW, 358.0, timeline.WIDE, 784.0])
def test_the_chart_stays_in_its_box_and_no_labels_or_points_overlap(count, days, width):
    chart = timeline.layout(corpus_entries(count, days), LOCALIZERS["en"], lambda n: f"/t/{n}/")
    assert chart is not None
    assert len(chart.points) <= 100, "a thousand articles are grouped"
    assert sum(p.count for p in chart.points) == count
    rows: dict[int, list[tuple[float, float]]] = {}
    for label in chart.labels:
        if shown_at(label, width):
            at = float(label.x.rstrip("%")) / 100
            lo, hi = timeline.label_extent(at, label.text, label.anchor, label.major, width)
            assert lo >= 0 and hi <= width, (label, width)
            assert 0 < label.y <= chart.height
            rows.setdefault(label.y, []).append((lo, hi))
    for spans in rows.values():
        spans.sort()
        assert all(b[0] - a[1] >= timeline.LABEL_GAP for a, b in itertools.pairwise(spans)), spans
    assert any(label.major and shown_at(label, width) for label in chart.labels), "a year"
    points = [(float(p.x.rstrip("%")) / 100 * width, p.y, p.r) for p in chart.points]
    for x, y, r in points:
        assert r <= x <= width - r and r <= y <= chart.axes[0] - r
    for (x1, y1, r1), (x2, y2, r2) in itertools.pairwise(points):
        if y1 == y2:
            assert abs(x1 - x2) >= r1 + r2, "points of one row do not touch"
    if count <= 7:
        assert chart.grouping == "article"
    if count == 1000:
        assert chart.grouping == "year"


def test_a_grouped_point_links_to_its_month_on_the_page_of_the_list_showing_it():
    chart = timeline.layout(corpus_entries(300, 700), LOCALIZERS["en"], lambda n: f"/t/{n}/")
    assert chart is not None and chart.grouping == "month"
    first = chart.points[0]
    assert re.fullmatch(r"/t/\d+/#m-2019-03", first.url)
    assert re.fullmatch(r"March 2019: \d+ articles?", first.label)
    assert first.url.startswith("/t/6/"), "the oldest month is on the last page"


def test_a_chart_in_indonesian() -> None:
    entries = corpus_entries(300, 700)
    chart = timeline.layout(entries, LOCALIZERS["id"], lambda n: f"/t/{n}/")
    assert chart is not None
    assert re.fullmatch(r"Maret 2019: \d+ artikel", chart.points[0].label)
    assert chart.bars_label.startswith("Artikel per bulan, terbanyak pada ")


# -- print and weight ---------------------------------------------------------------------


def test_printing_is_light_without_navigation_and_writes_out_external_links():
    css = (REPO / "layouts/static/style.css").read_text(encoding="utf-8")
    printed = css[css.index("@media print") :]
    assert "color-scheme: light" in printed and "--bg: #fff" in printed
    hidden = printed[printed.index(".site-nav") : printed.index("{ display: none; }")]
    for selector in (".site-nav", ".article-aside >", ".topic-aside", ".pagination", ".year-nav"):
        assert selector in hidden
    assert 'a[rel~="external"]::after' in printed and 'content: " (" attr(href) ")"' in printed


def transferred(site: Path, page: Path, base_path: str) -> int:
    """Bytes a browser fetches for ``page`` with an empty cache before its pictures: the
    HTML and every stylesheet, script, icon and drawing it loads from the site (the
    processed pictures, whose width the browser picks, are weighed in bench/pictures.py)."""
    soup = BeautifulSoup(page.read_bytes(), "html5lib")
    loaded = {page}
    for element in soup.select('link[rel~="stylesheet"], link[rel~="icon"], script[src], img[src]'):
        url = urlsplit(element.get("href") or element.get("src"))
        if url.netloc or not url.path.startswith(base_path):
            continue
        if url.path.startswith(f"{base_path}{PICTURES_DIR}/"):
            continue
        loaded.add(site / url.path[len(base_path) :])
    return sum(path.stat().st_size for path in loaded)


def test_article_and_topic_pages_weigh_under_50_kb_before_pictures_and_read_without_js(
    tmp_path, built
):
    sample = tmp_path / "sample"
    assert run_cli("--source", REPO, "--output", sample, "-q", "--no-cache").code == 0
    base_path = load_config(REPO)[0].base_path
    sites = [(sample, base_path), (built, BASE)]
    weighed = 0
    for site, prefix in sites:
        for page in site.rglob("index.html"):
            rel = page.relative_to(site).as_posix()
            if not (rel.startswith(("topics/", "20")) and rel.count("/") >= 2):
                continue
            soup = BeautifulSoup(page.read_bytes(), "html5lib")
            if soup.select_one('meta[http-equiv="refresh"]'):
                continue  # an old address of an article
            weighed += 1
            assert transferred(site, page, prefix) < 50_000, rel
            # Readable with JavaScript off: the text is in the HTML itself.
            assert soup.main.find("h1") and len(text(soup.main)) > 200, rel
    assert weighed >= 12
