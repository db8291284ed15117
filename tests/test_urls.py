"""URLs and output paths: the path prefix, the site timezone, safe alias paths, Unicode slugs."""

from __future__ import annotations

import pytest

from dossierpress.config import SiteConfig
from dossierpress.content.slugs import alias_problem, safe_relative_path, slugify, tag_key
from dossierpress.pages.urls import Urls, output_of, url_of

from .support.documents import article

PREFIXED = Urls(SiteConfig(base_url="https://example.org/dossiers/"))
ROOT = Urls(SiteConfig(base_url="https://example.org/"))


def test_every_page_url_carries_the_path_prefix():
    assert PREFIXED.home() == "/dossiers/"
    assert PREFIXED.topic("sanctions") == "/dossiers/topics/sanctions/"
    assert PREFIXED.tag("kim-jong-un") == "/dossiers/tags/kim-jong-un/"
    assert PREFIXED.topics_index() == "/dossiers/topics/"
    assert PREFIXED.tags_index() == "/dossiers/tags/"
    assert PREFIXED.archive() == "/dossiers/archive/"
    assert PREFIXED.not_found() == "/dossiers/404.html"
    assert PREFIXED.static("style.css") == "/dossiers/static/style.css"
    assert (
        PREFIXED.article(article("summit", date="2024-06-19T09:00:00+00:00"))
        == "/dossiers/2024/06/summit/"
    )


def test_without_a_prefix_urls_start_at_the_root():
    assert ROOT.home() == "/"
    assert ROOT.topic("sanctions") == "/topics/sanctions/"
    assert ROOT.article(article("summit", date="2024-01-05T00:00:00+00:00")) == "/2024/01/summit/"


def test_root_relative_paths_written_by_editors_get_the_prefix():
    assert PREFIXED.site_path("/img/map.png") == "/dossiers/img/map.png"
    assert ROOT.site_path("/img/map.png") == "/img/map.png"


def test_absolute_urls_keep_host_and_prefix_and_encode_unicode():
    assert PREFIXED.absolute("/dossiers/topics/x/") == "https://example.org/dossiers/topics/x/"
    assert PREFIXED.absolute("/dossiers/img/peta ü.png") == (
        "https://example.org/dossiers/img/peta%20%C3%BC.png"
    )


@pytest.mark.parametrize(
    ("timezone", "month"),
    [("Asia/Jakarta", "2024/07"), ("UTC", "2024/07"), ("America/New_York", "2024/06")],
)
def test_article_month_is_the_month_in_the_site_timezone(timezone, month):
    urls = Urls(SiteConfig(timezone=timezone))
    assert urls.article(article("summit", date="2024-06-30T20:00:00-05:00")) == f"/{month}/summit/"


def test_new_year_eve_article_moves_to_january_in_an_eastern_timezone():
    urls = Urls(SiteConfig(timezone="Asia/Tokyo"))
    assert urls.article(article("summit", date="2023-12-31T18:00:00+00:00")) == "/2024/01/summit/"


@pytest.mark.parametrize(
    ("url", "output"),
    [
        ("/dossiers/", "index.html"),
        ("/dossiers/topics/sanctions/", "topics/sanctions/index.html"),
        ("/dossiers/2024/06/summit/", "2024/06/summit/index.html"),
        ("/dossiers/404.html", "404.html"),
        ("/dossiers/static/style.css", "static/style.css"),
    ],
)
def test_output_path_of_a_url(url, output):
    assert PREFIXED.output_path(url) == output


def test_output_path_refuses_a_url_outside_the_prefix():
    with pytest.raises(ValueError, match="outside the site root"):
        PREFIXED.output_path("/elsewhere/x/")


@pytest.mark.parametrize(
    ("url", "output"),
    [
        ("/", "index.html"),
        ("/topics/sanctions/", "topics/sanctions/index.html"),
        ("/404.html", "404.html"),
        ("/static/style.css", "static/style.css"),
        ("/files/index.html.bak", "files/index.html.bak"),
    ],
)
def test_output_of_and_url_of_are_inverses(url, output):
    assert output_of(url) == output
    assert url_of(output) == url
    assert url_of(output, "/dossiers/") == "/dossiers" + url
    assert output_of("/dossiers" + url, "/dossiers/") == output


@pytest.mark.parametrize(
    ("alias", "normal"),
    [
        ("/old/story/", "old/story/"),
        ("old/story", "old/story/"),
        ("/2019/05/kim-visit/", "2019/05/kim-visit/"),
        ("/files/report.html", "files/report.html"),
        ("/berita/pertemuan-ketiga", "berita/pertemuan-ketiga/"),
        ("/новости/саммит/", "новости/саммит/"),
        ("/a~b_c.d/", "a~b_c.d/"),
        ("/" + "é" * 100 + "/", "é" * 100 + "/"),
    ],
)
def test_safe_relative_path_normalises_alias_paths(alias, normal):
    assert safe_relative_path(alias) == normal


@pytest.mark.parametrize(
    "alias",
    [
        "",
        "/",
        "..",
        "../x",
        "/a/../../etc/passwd",
        "a/../b",
        "./x",
        "a//b",
        "old\\story",
        "..\\..\\x",
        "old\x00story",
        "javascript:alert(1)",
        "https://evil.example/x",
        "file:///etc/passwd",
        "C:/Windows/x",
        "//[x",
        "/old/story?id=3/",
        "/old/#x/",
        "/a<b>/",
        "/a b/",
        "/.git/x/",
        "/a\u200bb/",
        "/" + "a" * 201 + "/",
        "/" + "/".join(["a" * 100] * 10) + "/",
    ],
)
def test_safe_relative_path_refuses_anything_that_could_leave_the_output(alias):
    assert safe_relative_path(alias) is None


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Russia–North Korea", "russia-north-korea"),
        ("Russia—North Korea", "russia-north-korea"),
        ("Kim Jong-un", "kim-jong-un"),
        ("  Café   Crème ", "cafe-creme"),
        ("Россия и КНДР", "rossiia-i-kndr"),
        ("北朝鮮", "bei-zhao-xian"),
        ("Hubungan Rusia–Korea Utara", "hubungan-rusia-korea-utara"),
    ],
)
def test_slugify_transliterates_any_unicode(text, slug):
    assert slugify(text) == slug


def test_tags_differing_in_case_or_dash_share_a_key():
    assert tag_key("Kim Jong-un") == tag_key("kim jong-un") == tag_key("KIM JONG–UN")
    assert tag_key("Aurus") != tag_key("Arms")


def test_tags_differing_only_by_invisible_characters_share_a_key():
    assert tag_key("Kim\u200bJong-un") == tag_key("KimJong-un") == "kimjong-un"
    assert tag_key("Au\u00adrus") == tag_key("\ufeffAurus\u2060") == "aurus"
    assert tag_key("Ｋｉｍ") == tag_key("Kim")


@pytest.mark.parametrize(
    ("alias", "problem"),
    [
        ("/old/story/", None),
        ("../x", "would escape the output folder"),
        ("/a/../b/", "would escape the output folder"),
        ("..\\x", "would escape the output folder"),
        ("/a?b/", "contains '?', which a URL path cannot hold"),
        ("/a\x00b/", "contains U+0000, which a URL path cannot hold"),
        ("mailto:x", "is a full URL"),
        ("/a/./b/", "has a part starting with '.'"),
    ],
)
def test_alias_problem_says_what_is_wrong(alias, problem):
    found = alias_problem(alias)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found.message
