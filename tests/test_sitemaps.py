"""The sitemaps and robots.txt, read as a crawler would: every URL is a page of the build,
every page to index is listed, with when it last changed; the news sitemap holds the last
two days before the newest article."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from .sitecrawl import read_pages, resolve_target
from .support.cli import run_cli
from .support.news_site import (
    BASE,
    BASE_URL,
    BERITA_URL,
    CORRECTED_URL,
    ORIGIN,
    PACT_TITLE,
    PACT_URL,
    SCRIPT_TITLE,
    SCRIPT_URL,
    SITE_TITLE,
    build_news_site,
    bulk_url,
)

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_news_site(tmp_path_factory.mktemp("sitemaps"))


def sitemap(site: Path) -> dict[str, str | None]:
    root = ET.parse(site / "sitemap.xml").getroot()
    assert root.tag == f"{{{NS['sm']}}}urlset"
    entries = {}
    for url in root.findall("sm:url", NS):
        loc = url.findtext("sm:loc", namespaces=NS)
        assert loc is not None and loc not in entries
        entries[loc] = url.findtext("sm:lastmod", namespaces=NS)
    return entries


def test_every_sitemap_url_is_a_page_of_the_build(site):
    for loc in sitemap(site):
        assert loc.startswith(BASE_URL), loc
        target = resolve_target(site, BASE, loc.removeprefix(ORIGIN))
        assert target is not None and target.name == "index.html", loc


def test_every_page_to_index_is_in_the_sitemap_with_its_later_pages(site):
    listed = set(sitemap(site))
    pages = read_pages(site, BASE)
    indexable = {
        ORIGIN + url
        for url, page in pages.items()
        if not page.soup.find("meta", attrs={"name": "robots", "content": "noindex"})
        and page.path != "404.html"
    }
    assert indexable == listed
    assert {
        f"{BASE_URL}topics/sanctions/page/2/",
        f"{BASE_URL}tags/bulk/page/2/",
        f"{BASE_URL}topics/kosong/",
    } <= listed


def test_lastmod_is_when_a_page_last_changed(site):
    entries = sitemap(site)
    assert entries[CORRECTED_URL] == "2024-07-01T10:00:00+07:00"  # its correction
    assert entries[BERITA_URL] == "2024-06-22T00:00:00+07:00"
    assert entries[PACT_URL] == "2024-06-19T09:00:00+07:00"
    for site_wide in ("", "archive/", "topics/", "tags/", "topics/sanctions/"):
        assert entries[BASE_URL + site_wide] == "2024-07-01T10:00:00+07:00", site_wide
    # Page 2 of the topic lists its oldest articles: bulk 0 to 8 (1 to 9 January)…
    assert entries[f"{BASE_URL}topics/sanctions/page/2/"] == "2024-01-09T00:00:00+07:00"
    assert entries[f"{BASE_URL}tags/bulk/page/2/"] == "2024-01-05T00:00:00+07:00"
    assert entries[f"{BASE_URL}topics/kosong/"] is None  # lists nothing


def test_the_news_sitemap_lists_the_two_days_before_the_newest_article(site):
    root = ET.parse(site / "news-sitemap.xml").getroot()
    found = []
    for url in root.findall("sm:url", NS):
        news = url.find("news:news", NS)
        assert news is not None
        found.append(
            (
                url.findtext("sm:loc", namespaces=NS),
                news.findtext("news:publication/news:name", namespaces=NS),
                news.findtext("news:publication/news:language", namespaces=NS),
                news.findtext("news:publication_date", namespaces=NS),
                news.findtext("news:title", namespaces=NS),
            )
        )
    title = "Berita dalam bahasa Indonesia"
    assert found == [
        (BERITA_URL, SITE_TITLE, "id", "2024-06-21T00:00:00+07:00", title),
        (SCRIPT_URL, SITE_TITLE, "en", "2024-06-20T00:00:00+07:00", SCRIPT_TITLE),
        (PACT_URL, SITE_TITLE, "en", "2024-06-19T09:00:00+07:00", PACT_TITLE),
    ]
    assert bulk_url(54) not in {loc for loc, *_ in found}


def test_robots_txt_names_the_sitemaps(site):
    assert (site / "robots.txt").read_text(encoding="utf-8") == (
        "User-agent: *\n"
        "Disallow:\n"
        "\n"
        f"Sitemap: {BASE_URL}sitemap.xml\n"
        f"Sitemap: {BASE_URL}news-sitemap.xml\n"
    )


def test_a_site_without_articles_has_sitemaps_still(tmp_path):
    (tmp_path / "content").mkdir()
    assert run_cli("--source", tmp_path, "--output", tmp_path / "site", "-q").code == 0
    entries = sitemap(tmp_path / "site")
    root = "http://localhost:8000/"
    assert {root, f"{root}archive/", f"{root}topics/", f"{root}tags/"} <= set(entries)
    assert set(entries.values()) == {None}  # no article: no date to give
    news = ET.parse(tmp_path / "site" / "news-sitemap.xml").getroot()
    assert news.findall("sm:url", NS) == []
