"""What pages tell machines: JSON-LD that survives any title, Open Graph and Twitter card
tags with absolute URLs on every page, and the theme's share image."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

from dossierpress.pages.metadata import json_ld, og_locale

from .sitecrawl import read_pages
from .support.news_site import (
    BASE,
    BASE_URL,
    CORRECTED_URL,
    ORIGIN,
    PACT_TITLE,
    SCRIPT_TITLE,
    SITE_TITLE,
    TOPIC_TITLE,
    build_news_site,
    bulk_url,
)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_news_site(tmp_path_factory.mktemp("metadata"))


@pytest.fixture(scope="module")
def pages(site):
    return read_pages(site, BASE)


def structured(page) -> list[dict]:
    return [
        json.loads(script.string)
        for script in page.soup.find_all("script", type="application/ld+json")
    ]


def meta(page, name: str) -> list[str]:
    found = page.soup.head.find_all("meta", attrs={"property": name})
    found += page.soup.head.find_all("meta", attrs={"name": name})
    return [tag["content"] for tag in found]


def test_every_json_ld_block_parses(pages):
    kinds = {}
    for url, page in pages.items():
        for data in structured(page):
            assert data["@context"] == "https://schema.org", url
            kinds[url] = data["@type"]
    assert kinds[f"{BASE}2024/06/pact/"] == "NewsArticle"
    assert kinds[f"{BASE}topics/sanctions/"] == "CollectionPage"
    assert kinds[f"{BASE}topics/sanctions/page/2/"] == "CollectionPage"


def test_a_title_that_would_end_the_script_survives(pages):
    page = pages[f"{BASE}2024/06/script/"]
    (data,) = structured(page)
    assert data["headline"] == SCRIPT_TITLE
    # The page around it is intact: the script did not swallow the rest of the head.
    assert page.soup.h1.get_text() == SCRIPT_TITLE
    assert page.soup.head.find("link", rel="stylesheet") is not None
    raw = page.soup.find("script", type="application/ld+json").string
    assert "</" not in raw and "<!--" not in raw and "\u2028" not in raw


def test_json_ld_escapes_what_could_end_or_break_a_script():
    text = str(json_ld({"a": "</script><!-- & \u2028\u2029 >"}))
    assert text == '{"a":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029 \\u003e"}'
    assert json.loads(text) == {"a": "</script><!-- & \u2028\u2029 >"}


def test_an_article_is_a_news_article(pages):
    (data,) = structured(pages[f"{BASE}2024/06/pact/"])
    url = f"{BASE_URL}2024/06/pact/"
    assert data["headline"] == PACT_TITLE
    assert data["description"] == "A pact & more <b>"
    assert (data["datePublished"], data["dateModified"]) == ("2024-06-19T09:00:00+07:00",) * 2
    assert data["author"] == [
        {"@type": "Person", "name": "A. Writer"},
        {"@type": "Person", "name": "B. Editor"},
    ]
    assert data["inLanguage"] == "en"
    assert data["about"] == [
        {"@type": "Thing", "name": TOPIC_TITLE, "url": f"{BASE_URL}topics/sanctions/"}
    ]
    assert data["keywords"] == ["Kim Jong-un", "Aurus"]
    assert data["citation"] == [
        {
            "@type": "CreativeWork",
            "name": "Treaty text",
            "url": "https://kcna.example/treaty",
            "publisher": {"@type": "Organization", "name": "KCNA"},
            "datePublished": "2024-06-19",
            "archivedAt": "https://archive.example/treaty",
        },
        {
            "@type": "CreativeWork",
            "name": "Tass",
            "publisher": {"@type": "Organization", "name": "Tass"},
            "datePublished": "2024-06",
        },
    ]
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["url"] == url
    assert data["isAccessibleForFree"] is True
    assert data["publisher"]["name"] == SITE_TITLE
    assert "correction" not in data


def test_corrections_are_correction_comments_and_date_the_modification(pages):
    (data,) = structured(pages[f"{BASE}2024/01/corrected/"])
    assert data["datePublished"] == "2024-01-15T00:00:00+07:00"
    assert data["dateModified"] == "2024-07-01T10:00:00+07:00"
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "A name was misspelt.",
            "datePublished": "2024-01-16T00:00:00+07:00",
        },
        {
            "@type": "CorrectionComment",
            "text": "An earlier version gave the wrong date; see pact.",
            "datePublished": "2024-07-01T10:00:00+07:00",
        },
    ]


def test_a_topic_page_is_a_collection_of_the_articles_it_lists(pages):
    for url in (f"{BASE}topics/sanctions/", f"{BASE}topics/sanctions/page/2/"):
        page = pages[url]
        (data,) = structured(page)
        assert data["url"] == ORIGIN + url
        items = data["mainEntity"]["itemListElement"]
        assert data["mainEntity"]["numberOfItems"] == len(items)
        assert [item["position"] for item in items] == list(range(1, len(items) + 1))
        timeline = page.soup.select_one("section.timeline")
        shown = [a["href"] for a in timeline.select(".card-title a")]
        assert [item["url"].removeprefix(ORIGIN) for item in items] == shown
    (first,) = structured(pages[f"{BASE}topics/sanctions/"])
    assert first["name"] == TOPIC_TITLE and first["description"] == "Who sanctions whom."
    assert len(first["mainEntity"]["itemListElement"]) == 50
    (second,) = structured(pages[f"{BASE}topics/sanctions/page/2/"])
    assert second["mainEntity"]["itemListElement"][-1] == {
        "@type": "ListItem",
        "position": 9,
        "url": bulk_url(0),
        "name": "Bulk 0",
    }


def test_every_page_has_open_graph_and_twitter_tags_with_absolute_urls(site, pages):
    for url, page in pages.items():
        canonical = page.soup.head.find("link", rel="canonical")["href"]
        assert meta(page, "og:url") == [canonical], url
        assert meta(page, "og:site_name") == [SITE_TITLE], url
        assert len(meta(page, "og:title")) == 1 and meta(page, "og:title")[0], url
        assert meta(page, "og:description"), url
        if "/search/" in url:  # never indexed, and light: no card of its own
            assert meta(page, "og:image") == meta(page, "twitter:card") == [], url
            continue
        assert meta(page, "og:type") == (["article"] if "/2024/" in url else ["website"]), url
        (image,) = meta(page, "og:image")
        assert image == f"{BASE_URL}static/share.png"
        assert (site / image.removeprefix(BASE_URL)).is_file()
        assert meta(page, "twitter:card") == ["summary_large_image"], url
        assert meta(page, "twitter:image") == [image], url
        for name in ("og:url", "og:image", "twitter:image"):
            assert all(value.startswith(BASE_URL) for value in meta(page, name)), (url, name)


def test_article_tags_say_when_and_by_whom(pages):
    page = pages[f"{BASE}2024/06/pact/"]
    assert meta(page, "og:title") == [PACT_TITLE]
    assert meta(page, "og:locale") == ["en_US"]
    assert meta(page, "article:published_time") == ["2024-06-19T09:00:00+07:00"]
    assert meta(page, "article:modified_time") == []  # never changed
    assert meta(page, "article:author") == ["A. Writer", "B. Editor"]
    assert meta(page, "article:section") == [TOPIC_TITLE]
    assert meta(page, "article:tag") == ["Kim Jong-un", "Aurus"]
    corrected = pages[CORRECTED_URL.removeprefix(ORIGIN)]
    assert meta(corrected, "article:modified_time") == ["2024-07-01T10:00:00+07:00"]
    berita = pages[f"{BASE}2024/06/berita/"]
    assert meta(berita, "og:locale") == ["id_ID"]
    assert meta(pages[BASE], "og:title") == [SITE_TITLE]


def test_open_graph_locales():
    assert [og_locale(lang) for lang in ("en", "id", "en-GB", "pt", "zh-Hant", "tlh")] == [
        "en_US",
        "id_ID",
        "en_GB",
        "pt_BR",
        "zh_TW",
        "tlh",
    ]


def test_the_share_image_is_a_1200_by_630_png():
    data = (Path(__file__).parent.parent / "layouts/static/share.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    assert struct.unpack(">II", data[16:24]) == (1200, 630)
