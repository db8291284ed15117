"""Robust Links: a cited source with an archived copy says so in attributes machines read.

Per robustlinks.mementoweb.org/spec, the link to the source carries ``data-versionurl``
(its archived copy) and ``data-versiondate`` (the copy's day); the link to the copy
carries ``data-originalurl`` (the source) and the same day.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .support.cli import build_site

WAYBACK = "http://web.archive.org/web/20240619081500/https://news.example/summit"
ARTICLE = """\
---
title: Summit
date: 2024-06-20T09:00:00+07:00
summary: They met.
related:
  - {title: Background, url: "https://wire.example/background", date: 2024-06, archive: "https://archive.example/background"}
sources:
  - {title: Summit report, url: "https://news.example/summit", date: 2024-06-18, archive: "WAYBACK"}
  - {title: Day one, url: "https://news.example/day-one", date: 2024-06-17, archive: "https://archive.example/AbC?a=1&b=2"}
  - {title: Live blog, url: "https://news.example/live"}
  - {source: Tass, date: 2024-06-19}
---

They met.
""".replace("WAYBACK", WAYBACK)


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> BeautifulSoup:
    root = tmp_path_factory.mktemp("robust")
    out = build_site(root, {"content/articles/summit.md": ARTICLE})
    html = (out / "2024/06/summit/index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html5lib")


def link(page: BeautifulSoup, href: str):
    (found,) = page.find_all("a", href=href)
    return found


def test_the_source_link_names_its_archived_copy_and_the_day_it_was_taken(page):
    source = link(page, "https://news.example/summit")
    assert source["data-versionurl"] == WAYBACK
    assert source["data-versiondate"] == "2024-06-19"  # the copy's own, not the citation's


def test_the_archived_copy_link_names_the_source(page):
    copy = link(page, WAYBACK)
    assert copy.get_text() == "archived copy"
    assert copy["data-originalurl"] == "https://news.example/summit"
    assert copy["data-versiondate"] == "2024-06-19"


def test_a_copy_whose_url_tells_no_day_takes_the_citations_date(page):
    source = link(page, "https://news.example/day-one")
    assert source["data-versionurl"] == "https://archive.example/AbC?a=1&b=2"
    assert source["data-versiondate"] == "2024-06-17"
    copy = link(page, "https://archive.example/AbC?a=1&b=2")
    assert copy["data-originalurl"] == "https://news.example/day-one"


def test_a_citation_dated_only_by_month_gives_no_version_date(page):
    related = link(page, "https://wire.example/background")
    assert related["data-versionurl"] == "https://archive.example/background"
    assert not related.has_attr("data-versiondate")
    assert not link(page, "https://archive.example/background").has_attr("data-versiondate")


def test_a_source_without_a_copy_has_no_robust_link_attributes(page):
    live = link(page, "https://news.example/live")
    assert not [name for name in live.attrs if name.startswith("data-version")]


def test_the_page_carries_no_unescaped_attribute(tmp_path: Path):
    quoted = ARTICLE.replace(WAYBACK, 'https://archive.example/x\\"onmouseover=\\"alert(1)')
    out = build_site(tmp_path, {"content/articles/summit.md": quoted})
    html = (out / "2024/06/summit/index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html5lib")
    assert not soup.find_all(attrs={"onmouseover": True})
    source = link(soup, "https://news.example/summit")
    assert source["data-versionurl"] == 'https://archive.example/x"onmouseover="alert(1)'
