"""Author pages, as a reader and a feed reader see them: who the author is, their articles
newest first on pages of 50, their feed, bylines linking to them, and what machines read
(JSON-LD, sitemap)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from .support.authors_site import (
    ANA_URL,
    BASE_URL,
    BO_NAME,
    BO_URL,
    SHARED_URL,
    STRANGER_URL,
    ana_url,
    build_authors_site,
)
from .support.cli import run_cli
from .support.files import write_files


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_authors_site(tmp_path_factory.mktemp("authors"))


def page(site: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel).read_text(encoding="utf-8"), "html5lib")


def card_links(soup: BeautifulSoup) -> list[str]:
    return [a["href"] for a in soup.select(".cards .card-title a")]


def json_ld(soup: BeautifulSoup) -> dict:
    return json.loads(soup.select_one('script[type="application/ld+json"]').string)


def local(url: str) -> str:
    return url.removeprefix("https://news.example.org")


def test_an_author_page_says_who_they_are(site):
    soup = page(site, "authors/ana-writer/index.html")
    assert soup.h1.get_text() == "Ana Writer"
    assert soup.select_one(".author-role").get_text() == "Correspondent in Seoul"
    assert soup.select_one(".dek").get_text() == "Ana covers the peninsula."
    bio = soup.select_one(".author-bio")
    assert "reported from Seoul since 2019" in bio.get_text()
    assert bio.select_one("a")["href"] == "/desk/topics/talks/"  # a wiki link in the body
    links = [(a.get_text(), a["href"]) for a in soup.select(".author-links a")]
    assert links == [
        ("social.example/@ana", "https://social.example/@ana"),
        ("Profile at Example News", "https://example.org/staff/ana"),
    ]
    assert soup.title.get_text().startswith("Ana Writer")


def test_an_author_page_lists_their_articles_newest_first_fifty_a_page(site):
    first = page(site, "authors/ana-writer/index.html")
    second = page(site, "authors/ana-writer/page/2/index.html")
    newest = [STRANGER_URL, SHARED_URL, *(ana_url(i) for i in range(49, 1, -1))]
    assert card_links(first) == [local(url) for url in newest]
    assert card_links(second) == [local(ana_url(1)), local(ana_url(0))]
    assert "52 articles" in first.select_one(".topic-stats").get_text()
    assert first.select_one('link[rel="next"]')["href"] == "/desk/authors/ana-writer/page/2/"
    # A later page lists older articles only, with a way back.
    assert second.select_one(".author-bio, .author-links, .dek") is None
    assert second.select_one(".back-link a")["href"] == "/desk/authors/ana-writer/"
    assert not (site / "authors/ana-writer/page/3").exists()


def test_an_author_page_lists_only_that_authors_articles(site):
    soup = page(site, "authors/bo-editor/index.html")
    assert soup.h1.get_text() == BO_NAME
    assert card_links(soup) == [local(SHARED_URL)]
    assert soup.select_one(".author-role, .author-links, .pagination") is None


def test_bylines_link_known_authors_and_keep_unknown_ones_as_text(site):
    shared = page(site, "2024/06/shared/index.html").select_one(".authors")
    assert shared.get_text() == f"By Ana Writer and {BO_NAME}"
    assert [(a.get_text(), a["href"]) for a in shared.select("a")] == [
        ("Ana Writer", "/desk/authors/ana-writer/"),
        (BO_NAME, "/desk/authors/bo-editor/"),
    ]
    stranger = page(site, "2024/06/stranger/index.html").select_one(".authors")
    assert stranger.get_text() == "By Ana Writer and Ana Writter"
    assert [a.get_text() for a in stranger.select("a")] == ["Ana Writer"]


def test_an_authors_feed_holds_their_articles_and_is_linked_from_their_page(site):
    data = (site / "authors/ana-writer/feed.xml").read_bytes()
    ET.fromstring(data)
    feed = feedparser.parse(data)
    assert not feed.bozo and feed.version == "atom10"
    assert feed.feed.title == "Ana Writer · Desk"
    assert feed.feed.subtitle == "Ana covers the peninsula."
    assert [e.link for e in feed.entries] == [
        STRANGER_URL,
        SHARED_URL,
        *(ana_url(i) for i in range(49, 1, -1)),
    ]
    soup = page(site, "authors/ana-writer/page/2/index.html")
    alternate = soup.select('link[rel="alternate"][type="application/atom+xml"]')
    assert alternate[0]["href"] == f"{ANA_URL}feed.xml"
    assert page(site, "authors/ana-writer/index.html").select_one(".follow a")["href"] == (
        "/desk/authors/ana-writer/feed.xml"
    )
    bo = feedparser.parse((site / "authors/bo-editor/feed.xml").read_bytes())
    assert [e.link for e in bo.entries] == [SHARED_URL]


def test_feed_entries_give_known_authors_their_page(site):
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    stranger = next(e for e in feed.entries if e.link == STRANGER_URL)
    assert [(a.get("name"), a.get("href")) for a in stranger.authors] == [
        ("Ana Writer", ANA_URL),
        ("Ana Writter", None),
    ]


def test_an_articles_json_ld_names_its_authors_as_persons_with_their_pages(site):
    data = json_ld(page(site, "2024/06/stranger/index.html"))
    assert data["author"] == [
        {"@type": "Person", "name": "Ana Writer", "url": ANA_URL},
        {"@type": "Person", "name": "Ana Writter"},
    ]


def test_an_author_page_is_a_profile_page_of_a_person(site):
    data = json_ld(page(site, "authors/ana-writer/index.html"))
    assert (data["@type"], data["url"]) == ("ProfilePage", ANA_URL)
    assert data["mainEntity"] == {
        "@type": "Person",
        "name": "Ana Writer",
        "url": ANA_URL,
        "jobTitle": "Correspondent in Seoul",
        "sameAs": ["https://social.example/@ana", "https://example.org/staff/ana"],
    }
    bo = json_ld(page(site, "authors/bo-editor/index.html"))["mainEntity"]
    assert bo == {"@type": "Person", "name": BO_NAME, "url": BO_URL}


def test_the_sitemap_lists_every_page_of_every_author(site):
    root = ET.fromstring((site / "sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = [loc.text for loc in root.findall("s:url/s:loc", ns)]
    assert {ANA_URL, f"{ANA_URL}page/2/", BO_URL} <= set(urls)
    assert not [url for url in urls if url.endswith("feed.xml")]
    assert BASE_URL in urls


def test_two_author_files_answering_to_one_name_are_an_error(tmp_path):
    write_files(
        tmp_path,
        {
            "content/authors/ana.md": "---\nname: Ana Writer\n---\n",
            "content/authors/ana-w.md": "---\nrole: Editor\nname: ana  writer\n---\n",
        },
    )
    result = run_cli("build", "--source", tmp_path, "--no-cache", "--no-search", "-q")
    assert result.code == 1
    assert result.error_lines == [
        "content/authors/ana.md:2: error: author 'Ana Writer' answers to the same name as "
        "content/authors/ana-w.md (give each person one file, or tell the names apart)"
    ]
