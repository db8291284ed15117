"""``/humans.txt``: the site's authors with their article counts, and its facts."""

from __future__ import annotations

from pathlib import Path

from .support.cli import build_site

ARTICLE = """---
title: {title}
date: {date}
lang: {lang}
authors: {authors}
---

Text.
"""
FILES = {
    "site.yaml": "title: Desk\nbase_url: https://desk.example/\nlanguage: en\n",
    "content/articles/a.md": ARTICLE.format(
        title="One", date="2024-06-18", lang="en", authors="[Ana Writer, Bo Editor]"
    ),
    "content/articles/b.md": ARTICLE.format(
        title="Two", date="2024-06-19T10:00:00+07:00", lang="en", authors="[Bo Editor]"
    ),
    "content/articles/c.md": ARTICLE.format(
        title="Tiga", date="2024-06-17", lang="id", authors="[Bo Editor, Citra]"
    ),
}


def build(root: Path) -> Path:
    return build_site(root, FILES, "--no-search")


def test_humans_txt_credits_every_author_most_articles_first(tmp_path):
    text = (build(tmp_path) / "humans.txt").read_text(encoding="utf-8")
    assert text == (
        "/* TEAM */\n"
        "Author: Bo Editor\nArticles: 3\n\n"
        "Author: Ana Writer\nArticles: 1\n\n"
        "Author: Citra\nArticles: 1\n\n"
        "/* SITE */\n"
        "Name: Desk\n"
        "Last update: 2024/06/19\n"
        "Language: English / Bahasa Indonesia\n"
        "Software: Dossier\n"
    )


def test_humans_txt_is_no_page_for_search_engines(tmp_path):
    site = build(tmp_path)
    assert "humans.txt" not in (site / "sitemap.xml").read_text(encoding="utf-8")
