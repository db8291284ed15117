"""End to end: every page in one language, and one story whatever its languages. The
site's own strings are translated, a card shows one version of what it lists, a link to a
page in another language says so, and lists, counts and recommendations count stories."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest

from .sitecrawl import read_pages
from .support.cli import run_cli
from .support.dossier import ARTICLES, BASE, write_dossier_site
from .support.files import replace_once
from .support.quiet_build import build_site, page_soup

OPENING, PEMBUKAAN = f"{BASE}2024/06/opening-round/", f"{BASE}2024/06/pembukaan/"
FINAL, KICKOFF = f"{BASE}2024/06/final-round/", f"{BASE}2024/03/kickoff/"
SIDE_NOTE = f"{BASE}2024/04/side-note/"

INDONESIAN_SITE = """\
footer: Published by the test desk.
translations:
  id:
    title: Situs Uji Dasar
    description: Situs kecil yang dibangun pengujian.
"""


@pytest.fixture
def basic(site_copy) -> Path:
    return site_copy("basic")


build, soup = build_site, page_soup


def indonesian_article(out: Path) -> str:
    (found,) = out.glob("2024/*/pertemuan/index.html")
    return found.relative_to(out).as_posix()


def test_the_sites_title_description_and_footer_are_in_the_pages_language(basic):
    with (basic / "site.yaml").open("a", encoding="utf-8") as settings:
        settings.write(INDONESIAN_SITE)
    out = build(basic)
    page = soup(out, indonesian_article(out))
    assert page.title.get_text() == "Pertemuan ketiga · Situs Uji Dasar"
    assert page.select_one(".site-title").get_text() == "Situs Uji Dasar"
    assert page.select_one('meta[property="og:site_name"]')["content"] == "Situs Uji Dasar"
    footer = [p.get_text() for p in page.select(".site-footer p")]
    assert footer == [
        "Situs Uji Dasar — Situs kecil yang dibangun pengujian.",
        "Published by the test desk.",  # not translated: the site's own, as a fallback
    ]
    english = soup(out, "2024/06/second-meeting/index.html")
    assert english.title.get_text() == "Second meeting · Basic Test Site"
    assert [p.get_text() for p in english.select(".site-footer p")] == [
        "Basic Test Site — A small site the tests build.",
        "Published by the test desk.",
    ]
    feed = feedparser.parse((out / "topics/delta/feed.xml").read_bytes())
    assert feed.feed.title == "Delta · Situs Uji Dasar"


def test_without_translations_every_page_has_the_sites_own_strings(basic):
    out = build(basic)
    page = soup(out, indonesian_article(out))
    assert page.select_one(".site-title").get_text() == "Basic Test Site"


def test_a_card_of_a_dossier_in_another_language_shows_that_version_and_says_so(basic):
    replace_once(
        basic / "content/topics/delta.md",
        "lang: id\n",
        "lang: id\nsummary: Ringkasan topik Delta.\ntitle_translations: {en: Delta in English}\n",
    )
    out = build(basic)
    (card,) = [c for c in soup(out, "topics/index.html").select(".topic-card") if "Delta" in c.text]
    assert card["lang"] == "id"
    title = card.select_one(".card-title a")
    assert (title.get_text(), title["hreflang"]) == ("Delta", "id")
    assert card.select_one(".card-title .lang-mark").get_text() == "Bahasa Indonesia"
    assert card.select_one(".card-summary").get_text() == "Ringkasan topik Delta."
    assert card.select_one(".card-meta")["lang"] == "en"


def test_the_sites_sections_are_declared_in_the_sites_language_from_other_pages(basic):
    out = build(basic)
    page = soup(out, indonesian_article(out))
    nav = [a.get("hreflang") for a in page.select(".site-header a")]
    assert nav and set(nav) == {"en"}
    # Readers are told once, after the sections: "Topik Tag Arsip English".
    marks = page.select(".site-nav .lang-mark")
    assert [(m.get_text(), m["lang"]) for m in marks] == [("English", "en")]
    home = soup(out, "index.html")
    assert [a for a in home.select(".site-header a, .site-footer a") if a.get("hreflang")] == []
    assert home.select(".site-nav .lang-mark") == []


# -- one story, whatever its languages ---------------------------------------------------


@pytest.fixture(scope="module")
def dossier(tmp_path_factory) -> dict:
    root = write_dossier_site(tmp_path_factory.mktemp("dossier") / "source")
    out = root / "site"
    assert run_cli("--source", root, "--output", out, "-q", "--no-search").code == 0
    return {url: page.soup for url, page in read_pages(out, BASE).items()}


def headlines(soup, selector: str = "main", *, timeline: bool = True) -> list[str]:
    """The articles a page lists (headline links, not the "Also in" ones); without the
    dossier's timeline, the complete record that follows its first screen."""
    return [
        a["href"]
        for a in soup.select(f"{selector} :is(.card-title, .lead-title, .headline-title) a")
        if "/topics/" not in a["href"] and (timeline or not a.find_parent(class_="timeline"))
    ]


@pytest.mark.parametrize(
    "page", [f"{BASE}", f"{BASE}topics/alpha-talks/", f"{BASE}archive/", f"{BASE}tags/venue/"]
)
def test_an_english_list_shows_a_story_once_in_english_with_its_other_version(dossier, page):
    listed = headlines(dossier[page], timeline=False)
    assert PEMBUKAAN not in listed + headlines(dossier[page])
    assert len(listed) == len(set(listed)), "each story once, lead and lists together"
    in_timeline = headlines(dossier[page], ".timeline")
    assert len(in_timeline) == len(set(in_timeline)), "and once in the timeline"
    card = next(
        a.find_parent(["article", "li"])
        for a in dossier[page].select(
            f'main :is(.card-title, .lead-title, .headline-title) a[href="{OPENING}"]'
        )
    )
    also = card.select_one(".versions a")
    assert (also["href"], also["hreflang"], also.get_text()) == (
        PEMBUKAAN,
        "id",
        "Bahasa Indonesia",
    )
    assert card.select_one(".versions").get_text(" ", strip=True) == "Also in Bahasa Indonesia"


def test_an_indonesian_list_shows_the_indonesian_version_with_a_link_to_the_english(dossier):
    page = dossier[f"{BASE}topics/topik-bahasa/"]
    assert headlines(page, ".timeline") == [PEMBUKAAN]
    also = page.select_one(".timeline .versions")
    assert also.get_text(" ", strip=True) == "Juga dalam English"
    assert also.a["href"] == OPENING


def test_counts_count_stories(dossier):
    def stats(url: str) -> str:
        return dossier[url].select_one(".topic-stats .count").get_text()

    assert stats(f"{BASE}topics/alpha-talks/") == "3 articles"  # four, one in two languages
    card = next(
        c for c in dossier[BASE].select(".topic-card") if "Alpha talks" in c.select_one("h3").text
    )
    assert card.select_one(".count").get_text() == "3 articles"
    venue = dossier[f"{BASE}tags/venue/"]
    assert venue.select_one("main .count").get_text() == "1 article"


def test_recommendations_offer_no_version_of_a_story_already_on_the_page(dossier):
    # The opening round links its translation as such; "more on this" does not offer it.
    opening = dossier[OPENING]
    assert opening.select_one(".translation a")["href"] == PEMBUKAAN
    assert PEMBUKAAN not in headlines(opening, ".more")
    # The final round links the kickoff (the editor's related reading) and the opening
    # round (the way through the dossier): neither, in either language, is suggested again.
    final = dossier[FINAL]
    assert final.select_one(".related a")["href"] == KICKOFF
    assert [a["href"] for a in final.select(".neighbours li a")] == [OPENING]
    assert headlines(final, ".more") == [SIDE_NOTE]


def test_the_way_through_a_dossier_takes_each_story_once_in_the_pages_language(dossier):
    kickoff = dossier[KICKOFF]
    assert [a["href"] for a in kickoff.select(".neighbours li a")] == [OPENING]
    pembukaan = dossier[PEMBUKAAN]
    assert [a["href"] for a in pembukaan.select(".neighbours li a")] == [KICKOFF, FINAL]


def test_a_byline_to_an_authors_page_in_another_language_says_so(basic):
    (basic / "content/authors").mkdir()
    (basic / "content/authors/desk.md").write_text("---\nname: Desk\n---\n", encoding="utf-8")
    replace_once(
        basic / "content/articles/2024/pertemuan.md", "lang: id\n", "lang: id\nauthors: [desk]\n"
    )
    out = build(basic)
    byline = soup(out, indonesian_article(out)).select_one(".byline .authors")
    assert byline.get_text(" ", strip=True) == "Oleh Desk English"
    assert byline.a["hreflang"] == "en"
    english = soup(out, "2024/03/first-meeting/index.html").select_one(".byline .authors")
    assert (english.get_text(" ", strip=True), english.a.get("hreflang")) == ("By Desk", None)


def test_more_on_this_leaves_out_a_story_the_text_links_already(basic):
    out = build(basic)
    first = soup(out, "2024/03/first-meeting/index.html")
    assert [a["href"] for a in first.select(".more .card-title a")] == [
        "/dossiers/2024/06/pertemuan/"
    ]
    assert first.select_one(".more .card-summary") is None, "headlines beside the story"
    replace_once(
        basic / "content/articles/2024/first-meeting.md",
        "The leaders met for the first time.",
        "The leaders met for the first time, and [[pertemuan|again in June]].",
    )
    out = build(basic)
    first = soup(out, "2024/03/first-meeting/index.html")
    assert first.select(".more") == []


def test_structured_data_says_which_version_translates_which(dossier):
    def data(url: str) -> dict:
        return json.loads(dossier[url].select_one('script[type="application/ld+json"]').string)

    host = "https://example.org"
    assert data(OPENING)["workTranslation"] == [{"@id": host + PEMBUKAAN, "inLanguage": "id"}]
    assert data(PEMBUKAAN)["translationOfWork"] == [{"@id": host + OPENING, "inLanguage": "en"}]
    assert "workTranslation" not in data(FINAL) and "translationOfWork" not in data(FINAL)


def test_a_related_dossier_counts_the_stories_it_shares(tmp_path):
    opening = ARTICLES["content/articles/opening-round.md"].replace(
        "topics: [alpha-talks]", "topics: [alpha-talks, topik-bahasa]"
    )
    root = write_dossier_site(tmp_path / "source", opening_round=opening)
    out = root / "site"
    assert run_cli("--source", root, "--output", out, "-q", "--no-search").code == 0
    aside = soup(out, "topics/alpha-talks/index.html").select(
        ".topic-aside [aria-labelledby=related-topics-heading] li"
    )
    shared = {li.a.get_text(): li.select_one(".count").get_text() for li in aside if li.a}
    # The opening round, in English and in Indonesian, is one story both dossiers hold.
    assert shared["Language matters"] == "1 shared article"
