"""End-to-end: build fixture sites and read them as a reader would."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from dossierpress.config import load_config

from .sitecrawl import anchors_resolve, broken_links, read_pages
from .support.cli import run_cli
from .support.files import REPO, tree_bytes

BASE = "/dossiers/"
HOST = "example.org"


@pytest.fixture(scope="module")
def basic_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("basic") / "site"
    result = run_cli("build", "--source", REPO / "tests/sites/basic", "--output", out, "--no-cache")
    assert result.code == 0, result.err
    return out


@pytest.fixture(scope="module")
def pages(basic_site):
    return read_pages(basic_site, BASE)


def text_of(page) -> str:
    return " ".join(page.soup.get_text(" ").split())


def test_every_internal_link_and_asset_resolves_under_the_path_prefix(basic_site):
    assert broken_links(basic_site, BASE, HOST) == []
    assert anchors_resolve(basic_site, BASE, HOST) == []


def test_every_page_is_a_complete_html_document(pages):
    assert len(pages) >= 10
    for url, page in pages.items():
        soup = page.soup
        assert soup.html.get("lang"), url
        assert soup.title and soup.title.get_text(strip=True), url
        if page.path.endswith("index.html") and "old/" not in page.path:
            assert len(soup.find_all("h1")) == 1, url
            canonical = soup.find("link", rel="canonical")
            assert canonical["href"] == f"https://{HOST}{url}", url


def test_pages_produced(basic_site):
    produced = {p.relative_to(basic_site).as_posix() for p in basic_site.rglob("*") if p.is_file()}
    for expected in [
        "index.html",
        "404.html",
        "archive/index.html",
        "topics/index.html",
        "tags/index.html",
        "topics/alpha-beta/index.html",
        "tags/kim-jong-un/index.html",
        "2024/03/first-meeting/index.html",
        "2024/06/second-meeting/index.html",
        "old/second/index.html",
        "img/map.svg",
        "static/style.css",
    ]:
        assert expected in produced
    assert not any("unfinished" in p for p in produced), "drafts are left out"
    assert not any("/page/" in p for p in produced), "lists that fit on one page make no more"


def test_root_relative_markdown_image_gets_the_prefix(pages):
    img = pages[BASE + "2024/03/first-meeting/"].soup.find("main").find("img")
    assert img["src"] == "/dossiers/img/map.svg"


def test_wiki_links_become_links_to_the_target(pages):
    article = pages[BASE + "2024/03/first-meeting/"].soup
    link = article.find("a", string="the dossier")
    assert link["href"] == "/dossiers/topics/alpha-beta/"
    topic = pages[BASE + "topics/alpha-beta/"].soup
    assert topic.find(
        "a", string=re.compile("First meeting"), href="/dossiers/2024/03/first-meeting/"
    )


def test_tags_are_normalised_and_keep_the_common_spelling(pages):
    tag = pages[BASE + "tags/kim-jong-un/"]
    assert tag.soup.h1.get_text(" ", strip=True).endswith("Kim Jong-un")
    linked = {a["href"] for a in tag.soup.find("main").find_all("a", href=True)}
    for article in ("2024/03/first-meeting/", "2024/06/second-meeting/", "2024/06/pertemuan/"):
        assert BASE + article in linked


def test_related_links_internal_and_external(pages):
    page = pages[BASE + "2024/06/second-meeting/"]
    soup = page.soup
    internal = soup.find(
        "a", href="/dossiers/2024/03/first-meeting/", string=re.compile("First meeting")
    )
    assert internal is not None
    external = soup.find("a", href="https://example.com/background")
    assert external is not None and "Background" in external.get_text()
    assert soup.find("a", href="https://archive.example.com/background") is not None
    assert "Example Wire" in text_of(page)


def test_more_on_this_says_why_only_when_it_is_specific(pages):
    soup = pages[BASE + "2024/03/first-meeting/"].soup
    assert soup.select(".more .card"), "suggestions are there"
    # They share only its main topic and a tag every article of that topic has.
    assert soup.select(".more .why") == []


def test_mentioned_in_lists_pages_that_link_here_and_are_not_linked_already(site_copy):
    source = site_copy("basic")
    delta = source / "content/topics/delta.md"
    delta.write_text(delta.read_text() + "\nLihat [[first meeting]].\n", encoding="utf-8")
    out = source / "site"
    assert run_cli("--source", source, "--output", out, "-q", "--no-search").code == 0
    soup = BeautifulSoup((out / "2024/03/first-meeting/index.html").read_bytes(), "html.parser")
    mentioned = soup.find(id="mentioned-heading").find_parent("section")
    # The topics' introductions both link here; its own topic is linked as such above.
    assert [a["href"] for a in mentioned.select("a")] == ["/dossiers/topics/delta/"]
    assert mentioned.select_one(".lang-mark").get_text() == "Bahasa Indonesia"


def test_topic_timeline_groups_by_year_and_month_newest_first(pages):
    soup = pages[BASE + "topics/alpha-beta/"].soup
    text = " ".join(h.get_text() for h in soup.select(".month-heading"))
    assert text.index("June 2024") < text.index("March 2024")
    order = [a["href"] for a in soup.select("section.timeline .card-title a")]
    assert order.index("/dossiers/2024/06/pertemuan/") < order.index(
        "/dossiers/2024/03/first-meeting/"
    )
    assert "Two" in text_of(pages[BASE + "topics/alpha-beta/"])  # key facts from Markdown


def test_related_topics_explicit_and_by_shared_articles(pages):
    soup = pages[BASE + "topics/alpha-beta/"].soup
    hrefs = {a["href"] for a in soup.find_all("a", href=True)}
    assert "/dossiers/topics/gamma/" in hrefs  # explicit
    assert "/dossiers/topics/delta/" in hrefs  # shares an article


def test_indonesian_article_has_indonesian_lang_and_dates(pages):
    page = pages[BASE + "2024/06/pertemuan/"]
    assert page.soup.html["lang"] == "id"
    assert "19 Juni 2024" in text_of(page)


def test_alias_redirects_to_the_article(pages):
    redirect = pages[BASE + "old/second/"].soup
    refresh = redirect.find("meta", attrs={"http-equiv": "refresh"})
    assert "/dossiers/2024/06/second-meeting/" in refresh["content"]


def test_two_builds_are_byte_identical(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        source = REPO / "tests/sites/basic"
        assert run_cli("--source", source, "--output", out, "-q", "--no-cache").code == 0
    assert tree_bytes(first) == tree_bytes(second)


def test_drafts_flag_includes_drafts(tmp_path):
    out = tmp_path / "site"
    source = REPO / "tests/sites/basic"
    assert run_cli("--source", source, "--output", out, "--drafts", "--no-cache").code == 0
    assert (out / "2024/06/unfinished/index.html").is_file()


def test_removed_file_disappears_on_next_build(site_copy):
    source = site_copy("basic")
    assert run_cli("--source", source, "-q").code == 0
    assert (source / "site/2024/06/pertemuan/index.html").is_file()
    (source / "content/articles/2024/pertemuan.md").unlink()
    assert run_cli("--source", source, "-q").code == 0
    assert not (source / "site/2024/06/pertemuan").exists()


def test_sample_dossier_builds_and_every_link_resolves(tmp_path):
    out = tmp_path / "site"
    result = run_cli("--source", REPO, "--output", out, "--no-cache")
    assert result.code == 0, result.err
    assert re.match(r"Built \d+ pages and copied \d+ files into .* in [\d.]+ s", result.out)
    config, problems = load_config(REPO)
    assert problems == []
    parts = urlsplit(config.base_url)
    assert broken_links(out, config.base_path, parts.netloc) == []
    assert anchors_resolve(out, config.base_path, parts.netloc) == []
    pages = read_pages(out, config.base_path)
    langs = {page.soup.html["lang"] for page in pages.values()}
    assert {"en-GB", "id"} <= langs
