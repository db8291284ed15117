"""What lets readers trust an article: its corrections log, archived copies of what it cites,
and related headlines shown even before they are linked. End to end: front matter in,
exact errors or the page out."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from dossierpress.pages.builder import readable_url

from .support.cli import run_cli
from .support.files import write_files

ARTICLE = "content/articles/2024/story.md"
BERITA = "content/articles/2024/berita.md"
SITE = {
    "site.yaml": "title: Trust\ntimezone: Asia/Jakarta\n",
    "content/topics/sanctions.md": "---\ntitle: Sanctions\n---\n\nIntro.\n",
    ARTICLE: """---
title: The story
date: 2024-06-19T09:00:00+07:00
topics: [sanctions]
sources:
  - {title: Treaty text, url: "https://kcna.example/t", source: KCNA,
     archive: "https://archive.example/t"}
  - {source: Tass, archive: "https://archive.example/tass"}
related:
  - {title: A headline not linked yet, source: Wire, date: 2024-06}
  - {title: Analysis, url: "https://analysis.example/a", archive: "https://archive.example/a"}
corrections:
  - date: 2024-06-21
    text: "An earlier version misnamed the *minister*; see [[sanctions|the dossier]]."
  - {date: 2024-06-19T10:00:00+07:00, text: A typo in the headline was fixed.}
---

The body.
""",
    BERITA: """---
title: Berita
date: 2024-06-20
lang: id
sources:
  - {title: Teks, url: "https://kcna.example/t", archive: "https://archive.example/t"}
corrections:
  - {date: 2024-06-21, text: Nama menteri diperbaiki.}
---

Isi.
""",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("trust")
    write_files(root, SITE)
    result = run_cli("--source", root, "--output", root / "site", "--no-cache", "-q")
    assert result.code == 0, result.err
    return root / "site"


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html5lib")


def text(element) -> str:
    return " ".join(element.get_text(" ").split())


# -- corrections -------------------------------------------------------------------------


def test_the_corrections_log_ends_the_article_oldest_first(built):
    soup = page(built, "2024/06/story")
    article = soup.select_one("main article")
    last = article.find_all(recursive=False)[-1]
    assert last.name == "section" and "corrections" in last["class"]
    assert text(last.h2) == "Corrections"
    items = last.select("li")
    assert [li.time["datetime"] for li in items] == ["2024-06-19T10:00:00+07:00", "2024-06-21"]
    assert text(items[0]) == "June 19, 2024, 10:00 AM UTC+7 : A typo in the headline was fixed."
    assert items[1].em.get_text() == "minister"
    assert items[1].a["href"] == "/topics/sanctions/" and items[1].a.get_text() == "the dossier"


def test_the_corrections_log_is_in_the_articles_language(built):
    soup = page(built, "2024/06/berita")
    log = soup.select_one("section.corrections")
    assert text(log.h2) == "Ralat"
    assert text(log.li) == "21 Juni 2024 : Nama menteri diperbaiki."


def test_an_article_without_corrections_has_no_log(built, tmp_path):
    write_files(tmp_path, {"content/articles/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\n"})
    assert run_cli("--source", tmp_path, "--output", tmp_path / "site", "-q").code == 0
    assert page(tmp_path / "site", "2024/01/a").select_one("section.corrections") is None


def test_a_correction_mentions_what_its_text_links_to(built):
    topic = page(built, "topics/sanctions")
    assert topic.find("a", href="/2024/06/story/") is not None


def test_corrections_problems_are_reported_at_their_lines(tmp_path):
    write_files(
        tmp_path,
        {
            "content/topics/sanctions.md": "---\ntitle: Sanctions\n---\n",
            "content/articles/a.md": """---
title: A
date: 2024-06-19
corrections:
  - date: 2024-06-20
  - text: No date.
  - {date: 2024-06-20, txt: Misspelt.}
  - {date: 2024-06-20, text: ''}
  - Just text.
  - {date: 2024-06-31, text: Impossible.}
---
""",
            "content/articles/b.md": """---
title: B
date: 2024-06-19T09:00:00+07:00
corrections:
  - {date: 2024-06-19T08:00:00+07:00, text: An hour early.}
  - {date: 2024-06-19, text: The same day.}
  - text: The day before.
    date: 2024-06-18
---
""",
        },
    )
    result = run_cli("--source", tmp_path, "--output", tmp_path / "site", "-q")
    assert result.code == 1
    assert result.error_lines == [
        "content/articles/a.md:5: error: entry of 'corrections' needs 'text'",
        "content/articles/a.md:6: error: entry of 'corrections' needs 'date'",
        "content/articles/a.md:7: error: unknown key 'txt' in 'corrections' (did you mean 'text'?)",
        "content/articles/a.md:8: error: 'corrections.text' is empty",
        "content/articles/a.md:9: error: entry of 'corrections' must be a mapping with "
        "'date' and 'text', found 'Just text.' "
        "(e.g. - {date: 2024-06-20, text: An earlier version misstated the date.})",
        "content/articles/a.md:10: error: 'corrections.date': impossible date '2024-06-31' "
        "(day is out of range for month)",
        "content/articles/b.md:5: error: correction dated 2024-06-19T08:00:00+07:00 is "
        "before 'date' (2024-06-19T09:00:00+07:00)",
        "content/articles/b.md:8: error: correction dated 2024-06-18 is before 'date' "
        "(2024-06-19T09:00:00+07:00)",
    ]


def test_a_wiki_link_in_a_correction_is_checked_at_its_line(tmp_path):
    write_files(
        tmp_path,
        {
            "content/articles/c.md": """---
title: C
date: 2024-06-19
corrections:
  - date: 2024-06-20
    text: See [[Nowhere]].
---
""",
        },
    )
    result = run_cli("--source", tmp_path, "--output", tmp_path / "site", "-q")
    assert result.error_lines == [
        "content/articles/c.md:6: error: unknown wiki-link target 'Nowhere'"
    ]


# -- archived copies and related headlines -------------------------------------------------


def test_an_archived_copy_shows_beside_the_original(built):
    soup = page(built, "2024/06/story")
    sources = soup.select("section.sources li")
    first = sources[0]
    assert first.cite.a["href"] == "https://kcna.example/t"
    archived = first.select_one(".archived a")
    assert archived["href"] == "https://archive.example/t" and archived["rel"] == ["external"]
    assert archived.get_text() == "archived copy"
    assert archived["aria-label"] == "archived copy of Treaty text"
    assert text(first) == "KCNA : Treaty text ( archived copy )"
    tass = sources[1].select_one(".archived a")
    assert tass["href"] == "https://archive.example/tass"
    assert tass["aria-label"] == "archived copy of Tass"
    analysis = soup.select_one('section.related a[href="https://analysis.example/a"]')
    assert analysis.find_parent("li").select_one(".archived a")["href"] == (
        "https://archive.example/a"
    )


def test_an_archived_copy_is_named_in_the_pages_language(built):
    archived = page(built, "2024/06/berita").select_one(".archived a")
    assert archived.get_text() == "salinan arsip"
    assert archived["aria-label"] == "salinan arsip dari Teks"


def test_a_related_headline_without_a_link_is_plain_text(built):
    soup = page(built, "2024/06/story")
    (item,) = [li for li in soup.select("section.related li") if "not linked" in text(li)]
    assert item.find("a") is None
    assert text(item) == "Wire : A headline not linked yet , June 2024"


@pytest.mark.parametrize(
    ("url", "reads"),
    [
        (
            "https://en.wikipedia.org/wiki/North_Korea%E2%80%93Russia_relations",
            "en.wikipedia.org/wiki/North_Korea–Russia_relations",
        ),
        ("https://example.org/", "example.org"),
        ("https://example.org/a/?q=kim%20jong-un", "example.org/a?q=kim jong-un"),
        ("mailto:desk@example.org", "mailto:desk@example.org"),
    ],
)
def test_a_bare_url_reads_as_a_person_types_it(url, reads):
    assert readable_url(url) == reads


def test_a_related_entry_needs_something_to_show(tmp_path):
    write_files(
        tmp_path,
        {
            "content/articles/a.md": """---
title: A
date: 2024-06-19
related:
  - {source: Wire}
  - A headline in quotes
  - {title: Not on this site, ref: Not on this site}
---
""",
        },
    )
    result = run_cli("--source", tmp_path, "--output", tmp_path / "site", "-q")
    assert result.error_lines == [
        "content/articles/a.md:5: error: entry of 'related' needs 'url' (a web page), "
        "'ref' (one of ours) or 'title' (a headline not linked yet)",
        "content/articles/a.md:6: error: entry of 'related' must be a full URL starting with "
        "https://, got 'A headline in quotes' (for an article or topic, use 'ref'; "
        "for a headline not linked yet, 'title')",
    ]
    (tmp_path / "content/articles/a.md").write_text(
        "---\ntitle: A\ndate: 2024-06-19\nrelated:\n  - {title: Not here, ref: Not here}\n---\n"
    )
    result = run_cli("--source", tmp_path, "--output", tmp_path / "site", "-q")
    assert result.error_lines == [
        "content/articles/a.md:5: error: unknown ref 'Not here' (for a headline that has no "
        "page here yet, give 'title' without 'ref')"
    ]
