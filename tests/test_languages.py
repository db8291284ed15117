"""End to end: every page in one language. The site's own strings are translated, a card
shows one version of what it lists, and a link to a page in another language says so."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from .support.cli import run_cli
from .support.files import replace_once

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


def build(source: Path) -> Path:
    out = source / "site"
    result = run_cli("--source", source, "--output", out, "-q", "--no-search")
    assert (result.code, result.err) == (0, "")
    return out


def soup(out: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((out / page).read_text(encoding="utf-8"), "html.parser")


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
    home = soup(out, "index.html")
    assert [a for a in home.select(".site-header a, .site-footer a") if a.get("hreflang")] == []
