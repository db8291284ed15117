"""Search as a reader uses it: a small bilingual site built with its index, served, and
searched in headless Chromium, in English and Indonesian, with the topic filter, on a
desktop and a phone, light and dark, checked by axe-core (installed beside the tests:
``npm install --prefix tests --no-save axe-core@4``; those tests skip without it)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from dossierpress.engine import search
from dossierpress.output import MANIFEST

from .support.browser import chromium, serve, show_as
from .support.cli import run_cli
from .support.dossier import write_dossier_site
from .support.files import tree_bytes, write_files

pytestmark = pytest.mark.skipif(
    not search.pagefind_available(), reason="needs Pagefind (pip install 'pagefind[bin]')"
)


EARLIER = """---
title: A year before the talks
date: 2023-11-02
genre: analysis
topics: [side-story]
---

A quokka crossed the border bridge.
"""


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_dossier_site(tmp_path_factory.mktemp("search-source"))
    write_files(root, {"content/articles/earlier.md": EARLIER})  # a shard of its own
    return root


SMALL_SHARDS = 4
"""Shards of at most four pages: the site's nine searchable pages in four of them (the
topics, the article of 2023, the first and the second quarter of 2024), as a large
archive's are."""


@pytest.fixture(scope="module")
def built(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("search") / "d"  # served at /d/, its base_url's path
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(search, "SHARD_PAGES", SMALL_SHARDS)
        result = run_cli("--source", source, "--output", out, "--no-cache", "-q")
    assert (result.code, result.err) == (0, "")
    return out


@pytest.fixture(scope="module")
def served(built: Path) -> Iterator[str]:
    with serve(built.parent) as origin:
        yield origin


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    yield from chromium(tmp_path_factory.mktemp("profile"))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")


def indexed_words(site: Path) -> set[str]:
    """Every word the search index finds pages by (stemmed and lower-cased, as Pagefind
    matches what a reader types)."""
    return {
        entry[0]
        for chunk in (site / search.SEARCH_DIR).glob("*/index/*.pf_index")
        for entry in search._read(chunk)[0]
    }


def test_the_index_is_written_as_the_builds_own_files(built):
    assert (built / search.ENTRY).is_file()
    recorded = (built / MANIFEST).read_text(encoding="utf-8")
    assert '"pagefind/pagefind.js"' in recorded
    filters = [p.name for p in (built / "pagefind").glob("*/filter/*")]
    assert any(name.startswith("en_") for name in filters)
    assert any(name.startswith("id_") for name in filters)


@pytest.mark.smoke
def test_two_builds_write_the_same_index(source, built, tmp_path, monkeypatch):
    monkeypatch.setattr(search, "SHARD_PAGES", SMALL_SHARDS)
    again = tmp_path / "again"
    assert run_cli("--source", source, "--output", again, "--no-cache", "-q").code == 0
    assert tree_bytes(again) == tree_bytes(built)


def test_only_articles_and_topics_are_indexed_and_search_assets_only_load_on_search(built):
    article = soup(built / "2024/06/opening-round/index.html")
    assert article.find("main").has_attr("data-pagefind-body")
    assert article.find("aside").has_attr("data-pagefind-ignore"), "other pages' headlines"
    assert not soup(built / "archive/index.html").find("main").has_attr("data-pagefind-body")
    for page in ("index.html", "2024/06/opening-round/index.html"):
        assert "pagefind" not in str(soup(built / page).find("head"))
        assert not soup(built / page).find("script", type="module")
    search_page = soup(built / "search/index.html")
    (script,) = search_page.find_all("script", type="module")  # in the page: no request
    assert "pagefind.js" in script.string and "innerHTML" not in script.string
    # The site's own rendering through Pagefind's API, not Pagefind's interface.
    assert "pagefind-ui" not in str(search_page)


def test_the_search_page_has_one_search_box_its_own(built):
    page = soup(built / "search/index.html")
    (form,) = page.find_all("form")
    assert form["role"] == "search" and form.find_parent(id="search")
    assert (form["action"], form["method"]) == ("/d/search/", "get")
    (box,) = page.find_all("input", type="search")
    assert (box["name"], box["id"]) == ("q", "search-words")
    label = page.find("label", {"for": "search-words"})  # the page's heading names it
    assert label.get_text() == "Search" and label.parent.name == "h1"
    indonesian = soup(built / "search/id/index.html")
    assert [f["action"] for f in indonesian.find_all("form")] == ["/d/search/id/"]
    assert indonesian.find("label", {"for": "search-words"}).get_text() == "Cari"
    for other in ("index.html", "archive/index.html", "2024/06/pembukaan/index.html"):
        assert len(soup(built / other).find_all("form", role="search")) == 1, other


def test_results_are_drawn_from_the_pages_templates(built):
    """What search.js shows is cloned from ``<template>`` elements, worded in the page's
    language: the status line, a result with its genre labels, and the filters."""
    page = soup(built / "search/id/index.html")
    ids = {t["id"] for t in page.find_all("template")}
    assert {"search-result", "search-filters", "search-found-other", "search-none"} <= ids
    result = page.find("template", id="search-result")
    labels = [span.get_text() for span in result.select("[data-label]")]
    assert labels == [
        "Berita",
        "Analisis",
        "Opini",
        "Penjelasan",
        "Latar belakang",
        "Liputan khusus",
    ]
    assert '<template id="search-none"><span>Tidak ada hasil untuk <q data-slot="words"></q>' in (
        built / "search/id/index.html"
    ).read_text(encoding="utf-8")
    script = page.find("script", type="module").string
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script


def test_each_indexed_page_tells_the_index_what_a_result_shows(built):
    def meta(path: str) -> dict[str, str]:
        found = soup(built / path).select("main [data-pagefind-meta]")
        return dict(span["data-pagefind-meta"].split(":", 1) for span in found)

    assert meta("2023/11/earlier/index.html") == {
        "kind": "article",
        "genre": "analysis",
        "date": "2023-11-02",
        "date_text": "November 2, 2023",  # commas and all
        "lang": "en",
        "language": "English",
    }
    indonesian = meta("2024/06/pembukaan/index.html")
    assert indonesian["date"] == "2024-06-19T11:30:00+07:00"
    assert (indonesian["lang"], indonesian["language"]) == ("id", "Bahasa Indonesia")
    assert indonesian["date_text"].startswith("19 Juni 2024")
    topic = meta("topics/side-story/index.html")
    assert (topic["kind"], topic["language"]) == ("topic", "English")
    assert "genre" not in topic and topic["date"] == "2024-07-10"
    assert meta("archive/index.html") == {}  # not indexed: nothing to show


def test_the_header_search_form_works_without_javascript(built):
    form = soup(built / "index.html").find("form", role="search")
    assert form["action"] == "/d/search/" and form["method"] == "get"
    assert form.find("input", {"name": "q"}) is not None


SHOWN = """
const status = document.getElementById("search-status");
const text = status ? status.textContent.trim() : "";
// The status line says "N results for WORDS" or "No results for WORDS" once the results
// are in the list, each with its title link.
if (!text.includes(arguments[0])) return null;
const links = Array.from(document.querySelectorAll("#search .search-results > li"))
  .map((result) => result.querySelector("h2 a[href]"));
if (links.includes(null)) return null;
return {urls: links.map((link) => link.href)};  // an object: no results is an answer too
"""


def results(browser, base: str, words: str, lang: str = "", timeout: float = 15) -> list[str]:
    """The links of the results shown for ``words``, once the search page has answered and
    every result shown has its title."""
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{base}/d/search/{lang + '/' if lang else ''}?q={words}")
    shown = WebDriverWait(browser, timeout).until(lambda b: b.execute_script(SHOWN, words))
    return shown["urls"]


@pytest.mark.browser
def test_a_search_finds_english_and_indonesian_articles(browser, served):
    english = [url.removeprefix(served) for url in results(browser, served, "deal")]
    assert english[0] == "/d/2024/06/opening-round/", english
    indonesian = results(browser, served, "kesepakatan", lang="id")
    assert [url.removeprefix(served) for url in indonesian] == ["/d/2024/06/pembukaan/"]
    # Pagefind stems the words typed by the search page's language only: "berakhir" is
    # indexed as "akhir" by the Indonesian rules, which the English page does not apply.
    stemmed = results(browser, served, "berakhir", lang="id")
    assert stemmed[0].removeprefix(served) == "/d/2024/06/pembukaan/", stemmed


def test_each_page_searches_in_its_own_language(built):
    english = soup(built / "2024/06/opening-round/index.html").find("form", role="search")
    assert english["action"] == "/d/search/"
    indonesian = soup(built / "2024/06/pembukaan/index.html").find("form", role="search")
    assert indonesian["action"] == "/d/search/id/"
    filters = {
        span["data-pagefind-filter"]
        for span in soup(built / "2024/06/pembukaan/index.html").select("[data-pagefind-filter]")
    }
    # One filter gathers a dossier's articles in every language: names and topics are
    # the site's, not the page's ("Perundingan Alpha").
    assert filters == {
        "Topic:Alpha talks",
        "Topic:Topik Bahasa",
        "Tag:Alpha",
        "Tag:Venue",
        "Language:Bahasa Indonesia",
    }
    page = soup(built / "search/id/index.html")
    assert page.find("html")["lang"] == "id"  # the index in that language leads


@pytest.mark.browser
def test_results_can_be_filtered_by_topic(browser, served):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    everything = results(browser, served, "round")
    assert {url.removeprefix(served) for url in everything} >= {
        "/d/2024/06/opening-round/",
        "/d/2024/06/final-round/",
    }
    boxes = WebDriverWait(browser, 10).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, "#search .search-filters input[type=checkbox]")
    )
    assert boxes, "the topic, tag and language filters are offered"
    legends = browser.find_elements(By.CSS_SELECTOR, "#search .search-filters legend")
    assert {legend.get_attribute("textContent") for legend in legends} == {
        "Topic",
        "Tag",
        "Language",
    }
    (side_story,) = [b for b in boxes if b.get_attribute("value") == "Side story"]
    browser.execute_script("arguments[0].click()", side_story)

    def filtered(b) -> list[str]:
        shown = b.execute_script(SHOWN, "round")
        found = [url.removeprefix(served) for url in shown["urls"]] if shown else []
        return found if len(found) < len(everything) else []

    in_side_story = WebDriverWait(browser, 10).until(filtered)
    assert sorted(in_side_story) == ["/d/2024/04/side-note/", "/d/2024/06/final-round/"]


STORIES = """
return Array.from(document.querySelectorAll("#search .search-results > li"), (item) => ({
  label: item.querySelector(".genre-label").innerText.trim(),
  title: item.querySelector("h2 a").textContent,
  lang: item.querySelector("h2 a").lang,
  date: item.querySelector("time").textContent,
  datetime: item.querySelector("time").dateTime,
  language: item.querySelector(".lang-mark").textContent,
  excerpt: item.querySelector(".card-summary").innerHTML,
  links: Array.from(item.querySelectorAll("a"), (a) => a.getAttribute("href")),
}));
"""


@pytest.mark.browser
def test_each_result_is_a_story_with_its_date_language_and_genre(browser, served):
    results(browser, served, "quokka")
    (earlier,) = browser.execute_script(STORIES)
    assert earlier == {
        "label": "ANALYSIS",  # the site's genre label, in capitals
        "title": "A year before the talks",
        "lang": "en",
        "date": "November 2, 2023",
        "datetime": "2023-11-02",
        "language": "English",
        "excerpt": earlier["excerpt"],
        "links": ["/d/2023/11/earlier/"],
    }
    # Pagefind's excerpt, its words found marked and nothing else kept as HTML.
    assert "A <mark>quokka</mark> crossed the border bridge." in earlier["excerpt"]
    assert re.sub(r"</?mark>", "", earlier["excerpt"]).count("<") == 0
    assert "Analysis" not in earlier["excerpt"], "the label is shown as such, not as text"
    results(browser, served, "kesepakatan", lang="id")
    (pembukaan,) = browser.execute_script(STORIES)
    assert pembukaan["label"] == "BERITA"
    assert pembukaan["date"].startswith("19 Juni 2024") and pembukaan["lang"] == "id"
    assert pembukaan["language"] == "Bahasa Indonesia"
    found = results(browser, served, "side")
    topic = found.index(f"{served}/d/topics/side-story/")
    assert browser.execute_script(STORIES)[topic]["label"] == "DOSSIER"
    status = browser.find_element("id", "search-status")
    assert status.get_attribute("role") == "status"  # a polite live region
    assert status.text == f"{len(found)} results for side"  # in <q>: quoted by the browser


@pytest.mark.browser
def test_a_result_is_its_page_alone_without_its_sections(browser, served):
    """ "venue" is in the kickoff's correction, under its Corrections heading: the page is
    one result, with no link to that section of it."""
    found = results(browser, served, "venue")
    assert f"{served}/d/2024/03/kickoff/" in found
    stories = browser.execute_script(STORIES)
    assert [story["links"] for story in stories] == [[url.removeprefix(served)] for url in found]
    assert not any("#" in url for url in found) and len(set(found)) == len(found)


@pytest.mark.browser
def test_the_search_page_loads_pagefinds_api_and_not_its_interface(browser, served):
    results(browser, served, "deal")
    loaded = browser.execute_script(
        "return performance.getEntriesByType('resource').map((e) => e.name)"
    )
    assert any(url.endswith("/d/pagefind/pagefind.js") for url in loaded), loaded
    assert not [url for url in loaded if "pagefind-ui" in url or "pagefind-worker" in url]
    assert browser.find_elements("css selector", "[class*=pagefind]") == []
    assert len(browser.find_elements("css selector", "input[type=search]")) == 1


@pytest.mark.browser
def test_the_box_is_filled_from_the_address_and_the_address_follows_the_box(browser, served):
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    results(browser, served, "deal")
    box = browser.find_element("id", "search-words")
    assert box.get_attribute("value") == "deal"
    box.clear()
    box.send_keys("quokka", Keys.ENTER)  # the keyboard alone
    found = WebDriverWait(browser, 10).until(lambda b: b.execute_script(SHOWN, "quokka"))
    assert found["urls"] == [f"{served}/d/2023/11/earlier/"]
    assert browser.current_url == f"{served}/d/search/?q=quokka"


FIRST_SCREEN = """
const first = document.querySelector("#search .search-results > li");
const filters = document.querySelector("#search .search-filters");
const aside = document.querySelector("#search .search-aside");
return {
  bottom: first ? first.querySelector("h2").getBoundingClientRect().bottom : null,
  screen: innerHeight,
  folded: filters ? !filters.open : null,
  aside: aside.hidden ? null : aside.getBoundingClientRect().height,
  details: filters ? filters.getBoundingClientRect().height : null,
  columns: getComputedStyle(document.querySelector("#search .search-body")).gridTemplateColumns,
};
"""


@pytest.mark.browser
def test_on_a_phone_the_results_come_first_and_the_filters_are_folded(browser, served):
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        show_as(browser, "phone")
        results(browser, served, "round")
        shown = WebDriverWait(browser, 10).until(
            lambda b: (s := b.execute_script(FIRST_SCREEN))["folded"] is not None and s
        )
        assert shown["folded"] is True
        assert shown["bottom"] < shown["screen"], shown  # the first headline in view
        assert shown["columns"] == "none"
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.mark.browser
def test_on_a_desktop_the_filters_are_open_beside_results_and_gone_without(browser, served):
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        show_as(browser, "desktop")
        results(browser, served, "round")
        shown = WebDriverWait(browser, 10).until(
            lambda b: (s := b.execute_script(FIRST_SCREEN))["folded"] is not None and s
        )
        assert shown["folded"] is False
        assert shown["columns"] != "none"  # a column beside the results
        # As tall as the filters and their margin (1rem), not as the results beside them.
        assert shown["details"] < shown["aside"] <= shown["details"] + 16
        assert results(browser, served, "zzyzx") == []
        assert browser.execute_script(FIRST_SCREEN)["aside"] is None
        assert browser.execute_script(FIRST_SCREEN)["columns"] == "none"
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.browser
@pytest.mark.parametrize(("screen", "scheme"), [("desktop", "light"), ("phone", "dark")])
def test_the_search_page_with_results_has_no_accessibility_violation(
    browser, served, screen, scheme
):
    if not AXE.is_file():
        pytest.skip("needs axe-core: npm install --prefix tests --no-save axe-core@4")
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        show_as(browser, screen, scheme)
        results(browser, served, "round")
        WebDriverWait(browser, 10).until(
            lambda b: b.execute_script("return !!document.querySelector('.search-filters')")
        )
        browser.set_script_timeout(30)
        browser.execute_script(AXE.read_text(encoding="utf-8"))
        found = browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document).then(r => done(r.violations.map(v => [v.id, v.impact, v.help,"
            " v.nodes.slice(0, 3).map(n => n.target)])), e => done([['axe failed', String(e)]]));"
        )
        assert found == []
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def shards_of(site: Path) -> list[tuple[str, list[str]]]:
    listing = json.loads((site / search.SHARDS).read_text(encoding="utf-8"))
    return [(shard["name"], shard["languages"]) for shard in listing["shards"]]


def test_a_large_index_is_in_shards_the_topics_and_the_periods_newest_first(built):
    assert shards_of(built) == [
        ("topics", ["en", "id"]),
        ("2024-q2", ["en", "id"]),
        ("2024-q1", ["en"]),
        ("2023", ["en"]),
    ]
    assert "quokka" in indexed_words(built)


def test_a_small_index_is_one_shard(source, tmp_path):
    assert shards_of(_built_cold(source, tmp_path / "site")) == [("all", ["en", "id"])]


@pytest.mark.browser
def test_a_search_finds_pages_in_every_shard(browser, served):
    found = [url.removeprefix(served) for url in results(browser, served, "quokka")]
    assert found == ["/d/2023/11/earlier/"]
    anywhere = {url.removeprefix(served) for url in results(browser, served, "side")}
    assert {"/d/topics/side-story/", "/d/2024/04/side-note/"} <= anywhere, anywhere


def test_shards_are_years_cut_into_halves_quarters_then_months_when_large(monkeypatch):
    monkeypatch.setattr(search, "SHARD_PAGES", 3)
    months = ["2021-05", "2022-02", "2022-03", "2022-04", "2022-09"]
    months += ["2023-01", "2023-02", "2023-03", "2023-04"]
    months += ["2024-01"] * 4 + ["2024-02"]
    periods = {f"page-{i:02}": month for i, month in enumerate(months)} | {"topic": None}
    assert search.shard_names(periods) == {
        "page-00": "2021",  # one page: its year
        "page-01": "2022-h1",  # four in 2022: three in its first half, one in the second
        "page-02": "2022-h1",
        "page-03": "2022-h1",
        "page-04": "2022-h2",
        "page-05": "2023-q1",  # four in the first half of 2023: by quarter
        "page-06": "2023-q1",
        "page-07": "2023-q1",
        "page-08": "2023-q2",
        "page-09": "2024-01",  # five in the first quarter of 2024: by month
        "page-10": "2024-01",
        "page-11": "2024-01",
        "page-12": "2024-01",
        "page-13": "2024-02",
        "topic": "topics",
    }
    assert set(search.shard_names(dict(list(periods.items())[:3]))) == {
        "page-00",
        "page-01",
        "page-02",
    }
    assert set(search.shard_names(dict(list(periods.items())[:3])).values()) == {"all"}


def test_an_edit_indexes_its_shard_again_and_leaves_the_others(tmp_path, monkeypatch):
    monkeypatch.setattr(search, "SHARD_PAGES", SMALL_SHARDS)
    source = write_dossier_site(tmp_path / "source")
    write_files(source, {"content/articles/earlier.md": EARLIER})
    out = source / "site"
    assert run_cli("--source", source, "-q").code == 0

    def files_of(shard: str) -> dict[str, tuple[int, int]]:
        folder = out / search.SEARCH_DIR / shard
        return {
            p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folder.rglob("*")
            if p.is_file()
        }

    earlier, later = files_of("2023"), files_of("2024-q2")
    article = source / "content/articles/opening-round.md"
    article.write_text(article.read_text().replace("No deal yet.", "No deal yet; a wombat."))
    assert run_cli("--source", source, "-q").code == 0
    assert files_of("2023") == earlier  # not written again: same files, same times
    assert files_of("2024-q2") != later
    assert "wombat" in indexed_words(out)
    assert tree_bytes(out) == tree_bytes(_built_cold(source, tmp_path / "cold"))


def _built_cold(source: Path, out: Path) -> Path:
    assert run_cli("--source", source, "--output", out, "--no-cache", "-q").code == 0
    return out


def test_the_build_after_one_that_indexed_finds_nothing_changed(tmp_path):
    source = write_dossier_site(tmp_path / "source")
    assert run_cli("--source", source, "-q").code == 0
    article = source / "content/articles/opening-round.md"
    article.write_text(article.read_text().replace("No deal yet.", "No deal yet, again."))
    edited = run_cli("--source", source, "-v")  # indexes every article and topic again
    assert edited.code == 0 and "  search " in edited.out
    again = run_cli("--source", source, "-v")
    assert (again.code, again.err) == (0, "")
    assert "(nothing changed)" in again.out, again.out


def test_a_build_whose_index_failed_leaves_the_indexing_to_the_next(tmp_path, monkeypatch):
    source = write_dossier_site(tmp_path / "source")
    out = source / "site"
    assert run_cli("--source", source, "-q").code == 0
    assert "quokka" not in indexed_words(out)
    article = source / "content/articles/opening-round.md"
    article.write_text(article.read_text() + "\nA quokka watched the talks.\n")
    with monkeypatch.context() as patched:
        patched.setattr(search, "pagefind_available", lambda: False)
        failed = run_cli("--source", source, "-q")
    assert failed.code == 0
    assert failed.err == (
        "pagefind/:1: warning: search not built: Pagefind is not installed "
        "(pip install 'pagefind[bin]'), or pass --no-search\n"
    )
    assert "quokka" in (out / "2024/06/opening-round/index.html").read_text()
    assert "quokka" not in indexed_words(out)  # the index it had, until one is made
    again = run_cli("--source", source)
    assert again.code == 0 and "(nothing changed)" not in again.out, again.out
    assert "quokka" in indexed_words(out)
    last = run_cli("--source", source)
    assert last.code == 0 and "(nothing changed)" in last.out
