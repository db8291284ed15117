"""Atom feeds, read by a feed reader (feedparser) and a strict XML parser: the site's, a
topic's and a tag's, newest first by their last change, 50 entries, absolute links."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest

from .sitecrawl import read_pages, resolve_target
from .support.cli import run_cli
from .support.files import write_files
from .support.news_site import (
    BASE,
    BASE_URL,
    BERITA_URL,
    BULK,
    CORRECTED_URL,
    ORIGIN,
    PACT_TITLE,
    PACT_URL,
    SCRIPT_TITLE,
    SCRIPT_URL,
    SITE_TITLE,
    TOPIC_TITLE,
    build_news_site,
    bulk_url,
)

FEEDS = ("feed.xml", "topics/sanctions/feed.xml", "topics/kosong/feed.xml", "tags/bulk/feed.xml")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_news_site(tmp_path_factory.mktemp("feeds"))


def parse(site: Path, rel: str) -> feedparser.FeedParserDict:
    data = (site / rel).read_bytes()
    ET.fromstring(data)  # well-formed XML, or this raises
    feed = feedparser.parse(data)
    assert not feed.bozo, (rel, feed.get("bozo_exception"))
    assert feed.version == "atom10"
    return feed


def test_the_site_feed_has_the_50_articles_that_changed_last_newest_first(site):
    feed = parse(site, "feed.xml")
    links = [entry.link for entry in feed.entries]
    # The old story's correction (1 July) is the site's latest change; then the Indonesian
    # article (corrected 22 June), the two published on 20 and 19 June, then the bulk.
    assert links[:4] == [CORRECTED_URL, BERITA_URL, SCRIPT_URL, PACT_URL]
    assert links[4:] == [bulk_url(i) for i in range(BULK - 1, BULK - 47, -1)]
    assert len(links) == 50 and len(set(links)) == 50


def test_the_feed_describes_the_site_with_absolute_links_and_its_language(site):
    feed = parse(site, "feed.xml")
    assert feed.feed.title == SITE_TITLE
    assert feed.feed.subtitle == "Followed & <checked>"
    assert feed.feed.id == f"{BASE_URL}feed.xml"
    assert feed.feed.title_detail.language == "en"
    links = {link.rel: link.href for link in feed.feed.links}
    assert links == {"self": f"{BASE_URL}feed.xml", "alternate": BASE_URL}
    assert feed.feed.updated == "2024-07-01T10:00:00+07:00"
    assert feed.feed.author == SITE_TITLE


def test_an_entry_carries_title_dates_authors_categories_summary_and_content(site):
    feed = parse(site, "feed.xml")
    pact = next(e for e in feed.entries if e.link == PACT_URL)
    assert pact.title == PACT_TITLE  # &, < and the en dash intact
    assert pact.id == PACT_URL
    assert (pact.published, pact.updated) == ("2024-06-19T09:00:00+07:00",) * 2
    assert [a.name for a in pact.authors] == ["A. Writer", "B. Editor"]
    assert [(t.term, t.scheme) for t in pact.tags] == [
        (TOPIC_TITLE, f"{BASE_URL}topics/"),
        ("Kim Jong-un", f"{BASE_URL}tags/"),
        ("Aurus", f"{BASE_URL}tags/"),
    ]
    assert pact.summary == "A pact & more <b>"
    assert pact.summary_detail.type == "text/plain"
    (content,) = pact.content
    assert content.type == "text/html" and content.base == PACT_URL
    assert content.language == "en"
    assert 'They signed it, says <a class="wikilink" href="' in content.value


def test_every_link_in_the_content_is_absolute_under_the_base_url(site):
    feed = parse(site, "feed.xml")
    pact = next(e for e in feed.entries if e.link == PACT_URL).content[0].value
    urls = re.findall(r'(?:href|src)="([^"]*)"', pact)
    assert f"{BASE_URL}topics/sanctions/" in urls  # the wiki link
    assert f"{BASE_URL}archive/" in urls  # a root-relative Markdown link
    assert f"{BASE_URL}img/map.svg" in urls  # an image
    assert all(url.startswith(ORIGIN + BASE) for url in urls), urls
    for entry in feed.entries:
        for url in re.findall(r'(?:href|src)="([^"]*)"', entry.content[0].value):
            assert url.startswith(ORIGIN + BASE), (entry.link, url)
            assert resolve_target(site, BASE, url.removeprefix(ORIGIN).split("#")[0])
    # As written (before a reader resolves anything against xml:base): no root-relative
    # link is left, and links within the page (footnotes) are relative to the article.
    raw = (site / "feed.xml").read_text(encoding="utf-8")
    assert not re.search(r"(?:href|src)=&#34;/", raw)
    assert "href=&#34;#fn:1&#34;" in raw


def test_each_entry_is_in_its_articles_language(site):
    feed = parse(site, "feed.xml")
    berita = next(e for e in feed.entries if e.link == BERITA_URL)
    assert berita.title_detail.language == "id"
    assert berita.content[0].language == "id"
    assert "<h2>Ralat</h2>" in berita.content[0].value  # its corrections, in Indonesian


def test_a_corrected_article_moves_up_and_shows_its_corrections(site):
    feed = parse(site, "feed.xml")
    corrected = feed.entries[0]
    assert corrected.link == CORRECTED_URL
    assert corrected.published == "2024-01-15T00:00:00+07:00"
    assert corrected.updated == "2024-07-01T10:00:00+07:00"
    content = corrected.content[0].value
    assert "<h2>Corrections</h2>" in content
    assert "An earlier version gave the wrong <em>date</em>; see " in content
    assert f'href="{PACT_URL}"' in content


def test_a_title_that_looks_like_markup_stays_text(site):
    feed = parse(site, "feed.xml")
    entry = next(e for e in feed.entries if e.link == SCRIPT_URL)
    assert entry.title == SCRIPT_TITLE


def test_a_topic_feed_holds_the_topic_in_the_topic_language(site):
    feed = parse(site, "topics/sanctions/feed.xml")
    assert feed.feed.title == f"{TOPIC_TITLE} · {SITE_TITLE}"
    assert feed.feed.subtitle == "Who sanctions whom."
    assert {link.rel: link.href for link in feed.feed.links}["alternate"] == (
        f"{BASE_URL}topics/sanctions/"
    )
    assert len(feed.entries) == 50
    assert feed.entries[0].link == CORRECTED_URL
    empty = parse(site, "topics/kosong/feed.xml")
    assert empty.entries == [] and empty.feed.title_detail.language == "id"
    assert empty.feed.updated == "1970-01-01T00:00:00+00:00"


def test_a_tag_feed_holds_the_tagged_articles_only(site):
    feed = parse(site, "tags/bulk/feed.xml")
    assert feed.feed.title == f"Tag: Bulk · {SITE_TITLE}"
    assert [e.link for e in feed.entries] == [bulk_url(i) for i in range(BULK - 1, BULK - 51, -1)]
    aurus = parse(site, "tags/aurus/feed.xml")
    assert [e.link for e in aurus.entries] == [PACT_URL]


def test_every_feed_parses(site):
    for path in sorted(site.rglob("feed.xml")):
        parse(site, path.relative_to(site).as_posix())
    assert {p.relative_to(site).as_posix() for p in site.rglob("feed.xml")} >= set(FEEDS)


def test_pages_with_a_feed_advertise_it_and_topics_offer_to_follow_it(site):
    pages = read_pages(site, BASE)

    def alternates(url: str) -> list[tuple[str, str]]:
        head = pages[url].soup.head
        found = head.find_all("link", rel="alternate", type="application/atom+xml")
        return [(link["title"], link["href"]) for link in found]

    site_feed = (SITE_TITLE, f"{BASE_URL}feed.xml")
    topic_feed = (f"{TOPIC_TITLE} · {SITE_TITLE}", f"{BASE_URL}topics/sanctions/feed.xml")
    assert alternates(BASE) == [site_feed]
    assert alternates(f"{BASE}2024/06/pact/") == [site_feed]
    assert alternates(f"{BASE}topics/sanctions/") == [topic_feed, site_feed]
    assert alternates(f"{BASE}topics/sanctions/page/2/") == [topic_feed, site_feed]
    assert alternates(f"{BASE}tags/bulk/") == [
        (f"Tag: Bulk · {SITE_TITLE}", f"{BASE_URL}tags/bulk/feed.xml"),
        site_feed,
    ]
    follow = pages[f"{BASE}topics/sanctions/"].soup.select_one(".follow a")
    assert follow.get_text(strip=True) == "Follow this dossier"
    assert follow["href"] == f"{BASE}topics/sanctions/feed.xml"
    kosong = pages[f"{BASE}topics/kosong/"].soup.select_one(".follow a")
    assert kosong.get_text(strip=True) == "Ikuti liputan khusus ini"
    assert pages[BASE].soup.select_one(".follow") is None


def test_a_body_with_characters_xml_cannot_hold_still_makes_a_feed(tmp_path):
    write_files(
        tmp_path,
        {"content/articles/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\n\nForm\x0cfeed \x01.\n"},
    )
    assert run_cli("--source", tmp_path, "--output", tmp_path / "site", "-q").code == 0
    feed = parse(tmp_path / "site", "feed.xml")
    assert "Form\ufffdfeed \ufffd." in feed.entries[0].content[0].value
