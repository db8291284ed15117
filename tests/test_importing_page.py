"""Saved web pages: metadata from where publishers state it, in order of trust; the story
from trafilatura; related boxes with their links; the page's own encoding."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from dossierpress.importing.page import decode_page, read_page
from dossierpress.importing.report import ImportFailed

STORY = "".join(
    f"<p>Paragraph {n} of the story, long enough for an extractor to keep it as text of the "
    f"article rather than as navigation or boilerplate around it.</p>"
    for n in (1, 2, 3)
)


def page(head: str = "", body: str = STORY, json_ld: object | None = None) -> str:
    script = f'<script type="application/ld+json">{json.dumps(json_ld)}</script>' if json_ld else ""
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8">{head}{script}</head>'
        f"<body><nav><a href='/'>Home</a></nav><article>{body}</article>"
        "<footer>© Example Daily</footer></body></html>"
    )


def og(**properties: str) -> str:
    return "".join(
        f'<meta property="{name.replace("_", ":", 1)}" content="{value}">'
        for name, value in properties.items()
    )


NEWS = {
    "@type": "NewsArticle",
    "headline": "The JSON-LD headline",
    "description": "The JSON-LD dek.",
    "datePublished": "2024-06-20T08:15:00Z",
    "author": [{"@type": "Person", "name": "Ada Lindqvist"}, "https://example.org/staff/tv"],
    "publisher": {"@type": "Organization", "name": "Example Daily"},
    "mainEntityOfPage": "https://example.org/news/a",
}


def test_json_ld_comes_before_open_graph():
    head = og(
        og_title="The OG title",
        og_description="The OG dek.",
        og_site_name="Other Name",
        og_url="https://example.org/og",
        article_published_time="2024-06-01T00:00:00Z",
    )
    report = read_page(page(head, json_ld={"@context": "https://schema.org", **NEWS}), "p.html")
    assert report.headline.text == "The JSON-LD headline"
    assert report.dek is not None and report.dek.text == "The JSON-LD dek."
    meta = report.page
    assert meta is not None
    assert meta.published == datetime(2024, 6, 20, 8, 15, tzinfo=UTC)
    assert meta.published_from == "datePublished in its JSON-LD"
    assert meta.authors == ("Ada Lindqvist",)  # a profile address is no name
    assert (meta.outlet, meta.url) == ("Example Daily", "https://example.org/news/a")


def test_the_story_object_is_found_in_a_graph_and_by_any_of_its_types():
    graph = {
        "@graph": [{"@type": "WebSite", "name": "Site"}, {**NEWS, "@type": ["Thing", "Article"]}]
    }
    broken = '<script type="application/ld+json">{not json</script>'
    report = read_page(page(broken, json_ld=graph), "p.html")
    assert report.headline.text == "The JSON-LD headline"


def test_escaped_json_ld_is_unescaped():
    report = read_page(page(json_ld={**NEWS, "headline": "Kim &amp; Putin"}), "p.html")
    assert report.headline.text == "Kim & Putin"


def test_open_graph_stands_in_for_missing_json_ld():
    head = (
        og(
            og_title="Night buses start in July",
            og_description="Six routes, every 30 minutes.",
            og_site_name="Example Daily",
            og_url="https://example.org/news/b",
            article_published_time="2024-06-20T08:15:00+01:00",
        )
        + '<meta name="author" content="Ada Lindqvist">'
    )
    report = read_page(page(head), "p.html")
    meta = report.page
    assert meta is not None
    assert report.headline.text == "Night buses start in July"
    assert meta.published == datetime(2024, 6, 20, 8, 15, tzinfo=timezone(timedelta(hours=1)))
    assert meta.published_from == "article:published_time"
    assert (meta.authors, meta.outlet, meta.url) == (
        ("Ada Lindqvist",),
        "Example Daily",
        "https://example.org/news/b",
    )


def test_the_title_tag_loses_the_outlets_name():
    head = "<title>Night buses start in July | Example Daily</title>" + og(
        og_site_name="Example Daily"
    )
    report = read_page(page(head), "p.html")
    assert report.headline.text == "Night buses start in July"


def test_a_date_only_page_date_stays_a_day():
    report = read_page(page(json_ld={**NEWS, "datePublished": "2024-06-20"}), "p.html")
    assert report.page is not None and report.page.published == date(2024, 6, 20)


def test_related_boxes_give_headlines_and_absolute_links():
    body = (
        STORY + '<aside><h2>Read more</h2><ul><li><a href="/news/2024/05/flood">Flood barrier'
        " test passes</a></li><li><a href='/more'>More</a></li>"
        '<li><a href="javascript:alert(1)">A link that is no page</a></li></ul></aside>'
    )
    outside = (
        '<div class="related-articles"><a href="https://example.org/c">Bus fares rise</a></div>'
    )
    html = page(body=body, json_ld=NEWS).replace("<footer>", outside + "<footer>")
    report = read_page(html, "p.html")
    assert [(r.title, r.url) for r in report.related] == [
        ("Flood barrier test passes", "https://example.org/news/2024/05/flood"),
        ("A link that is no page", None),
        ("Bus fares rise", "https://example.org/c"),
    ]


def test_the_page_is_read_in_the_encoding_it_declares():
    html = page("<title>Café owners protest</title>").replace("utf-8", "windows-1252")
    assert "<title>Café owners protest</title>" in decode_page(html.encode("cp1252"), "p.html")
    assert decode_page("\ufeffé".encode("utf-16-le"), "p.html") == "é"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (
            b'<meta charset="klingon"><p>x',
            "p.html:1: error: the page declares an unknown encoding 'klingon'",
        ),
        (b"<html>\n<p>caf\xe9", "p.html:2: error: not valid UTF-8 (save the page again, as UTF-8)"),
    ],
)
def test_a_page_in_no_encoding_it_could_be_read_in_is_refused(data, error):
    with pytest.raises(ImportFailed) as failed:
        decode_page(data, "p.html")
    assert [str(p) for p in failed.value.problems] == [error]


# -- the lead picture ----------------------------------------------------------------------


def meta(**properties: str) -> str:
    """``og_image_alt="…"`` → ``<meta property="og:image:alt" content="…">``."""
    return "".join(
        f'<meta property="{name.replace("_", ":")}" content="{value}">'
        for name, value in properties.items()
    )


def picture_of(html: str):
    meta = read_page(html.replace("<head>", "<head><title>A headline</title>"), "p.html").page
    assert meta is not None
    return meta.picture


def test_the_picture_of_the_json_ld_comes_first_with_what_it_says_of_it():
    image = {
        "@type": "ImageObject",
        "contentUrl": "/img/ferry.jpg",
        "description": "A ferry leaves the harbour at dawn",
        "caption": "The first crossing left at six.",
        "creditText": "Photo: Ana Rivas",
        "license": "https://example.org/licence",
    }
    head = meta(og_image="https://example.org/img/other.jpg", og_image_alt="Not this one")
    picture = picture_of(page(head, json_ld={**NEWS, "image": [image, "/img/second.jpg"]}))
    assert picture is not None
    assert picture.url == "https://example.org/img/ferry.jpg"  # against the page's address
    assert (picture.stated_in, picture.alt, picture.alt_from_caption) == (
        "its JSON-LD",
        "A ferry leaves the harbour at dawn",
        False,
    )
    assert (picture.caption, picture.credit) == (
        "The first crossing left at six.",
        "Photo: Ana Rivas",
    )
    assert picture.licence == "https://example.org/licence"


def test_a_json_ld_reference_to_a_picture_elsewhere_in_the_graph_is_followed():
    graph = {
        "@graph": [
            {**NEWS, "image": {"@id": "https://example.org/#primaryimage"}},
            {
                "@type": "ImageObject",
                "@id": "https://example.org/#primaryimage",
                "url": "https://cdn.example.org/ferry.jpg",
                "caption": "Kim &amp; the ferry",
                "copyrightHolder": {"@type": "Organization", "name": "Example Agency"},
            },
        ]
    }
    picture = picture_of(page(json_ld=graph))
    assert picture is not None
    assert picture.url == "https://cdn.example.org/ferry.jpg"
    assert (picture.caption, picture.credit) == ("Kim & the ferry", "Example Agency")
    # A caption is all the page says: it stands in for the alt text, for the editor to check.
    assert (picture.alt, picture.alt_from_caption) == ("Kim & the ferry", True)


def test_og_image_alt_of_the_same_picture_fills_in_the_json_lds_alt():
    head = meta(og_image="https://example.org/img/600/ferry.jpg", og_image_alt="A ferry at dawn")
    image = {"url": "https://example.org/img/1200/ferry.jpg", "author": {"name": "Ana Rivas"}}
    picture = picture_of(page(head, json_ld={**NEWS, "image": image}))
    assert picture is not None
    assert (picture.alt, picture.credit) == ("A ferry at dawn", "Ana Rivas")


def test_without_json_ld_og_image_then_twitter_image():
    head = meta(og_image="https://example.org/og.jpg", og_image_alt="What it shows")
    twitter = '<meta name="twitter:image" content="https://example.org/tw.jpg">'
    picture = picture_of(page(head + twitter))
    assert picture is not None
    assert (picture.url, picture.stated_in, picture.alt) == (
        "https://example.org/og.jpg",
        "og:image",
        "What it shows",
    )
    assert (picture.caption, picture.credit) == (None, None)  # og:image:alt is no caption
    picture = picture_of(page(twitter))
    assert picture is not None
    assert (picture.url, picture.stated_in, picture.alt) == (
        "https://example.org/tw.jpg",
        "twitter:image",
        None,
    )


@pytest.mark.parametrize("url", ["data:image/png;base64,AAAA", "javascript:alert(1)", " "])
def test_an_address_that_is_no_picture_to_fetch_is_not_taken(url):
    assert picture_of(page(meta(og_image=url))) is None
    assert picture_of(page()) is None
