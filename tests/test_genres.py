"""End to end: the kind of work an article is (news, analysis, opinion, explainer,
background), as readers, search engines and the dossier's "Latest" see it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .support.cli import run_cli
from .support.files import replace_once
from .support.quiet_build import build_site, page_soup

SECOND = "content/articles/2024/second-meeting.md"
FIRST = "content/articles/2024/first-meeting.md"
PAGE = "2024/06/second-meeting/index.html"


@pytest.fixture
def basic(site_copy) -> Path:
    return site_copy("basic")


def genre(source: Path, rel: str, value: str) -> None:
    replace_once(source / rel, "\n---\n", f"\ngenre: {value}\n---\n")


build, soup = build_site, page_soup


@pytest.mark.parametrize(
    ("value", "label", "schema"),
    [
        (None, "News", "NewsArticle"),
        ("analysis", "Analysis", "AnalysisNewsArticle"),
        ("Opinion", "Opinion", "OpinionNewsArticle"),
        ("explainer", "Explainer", "BackgroundNewsArticle"),
        ("background", "Background", "BackgroundNewsArticle"),
    ],
)
def test_an_article_is_labelled_with_its_kind_of_work_and_typed_so(basic, value, label, schema):
    if value is not None:
        genre(basic, SECOND, value)
    out = build(basic)
    page = soup(out, PAGE)
    assert page.select_one(".article-header .genre-label").get_text() == label
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data["@type"] == schema
    cards = [c for c in soup(out, "archive/index.html").select(".card") if "Second" in c.text]
    shown = cards[0].select_one(".genre-label")
    assert (shown.get_text() if shown else None) == (None if value is None else label)


def test_labels_are_in_the_pages_language(basic):
    genre(basic, "content/articles/2024/pertemuan.md", "analysis")
    out = build(basic)
    (article,) = out.glob("2024/*/pertemuan/index.html")
    label = soup(out, article.relative_to(out).as_posix()).select_one(".genre-label")
    assert label.get_text() == "Analisis"


def test_an_unknown_genre_is_an_error_at_its_line_with_the_closest(basic):
    genre(basic, SECOND, "opnion")
    result = run_cli("--source", basic, "-q", "--no-search")
    line = next(
        n for n, t in enumerate((basic / SECOND).read_text().splitlines(), 1) if "genre" in t
    )
    assert result.error_lines == [
        f"{SECOND}:{line}: error: unknown genre 'opnion' (did you mean 'opinion'?)"
    ]


def test_the_dossiers_latest_is_its_newest_news(basic):
    topic = "topics/alpha-beta/index.html"
    out = build(basic)
    assert soup(out, topic).select_one(".topic-lead .lead-title").get_text() == "Pertemuan ketiga"
    genre(basic, "content/articles/2024/pertemuan.md", "background")
    out = build(basic)
    assert soup(out, topic).select_one(".topic-lead .lead-title").get_text() == "Second meeting"
    assert "Pertemuan ketiga" in soup(out, topic).text, "still in the dossier"


def test_the_home_page_leads_with_the_newest_news(basic):
    genre(basic, "content/articles/2024/pertemuan.md", "opinion")
    out = build(basic)
    home = soup(out, "index.html")
    assert home.select_one(".lead-card .lead-title").get_text() == "Second meeting"
    assert "Pertemuan ketiga" in home.select_one("main").text, "listed after the lead"
