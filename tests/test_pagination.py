"""Long lists take several pages: the archive, tag pages and topic timelines.

End-to-end: a site of 230 articles is built with the real page sizes and read as a reader
(and a search engine) would: which pages exist, which articles each lists, where its
links lead. Smaller sites lower the page sizes (they are read when pages are planned) to
check the Indonesian interface and what the preview's rebuilds do when a list grows or
shrinks by a page.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from dossierpress.pages import paging

from .sitecrawl import Page, anchors_resolve, broken_links, read_pages
from .support.builds import Rebuilder, full_build, preview_request, record_renders, snapshot
from .support.cli import run_cli
from .support.edits import EditSequences, run_edit_sequences
from .support.files import tree_bytes, write_files

BASE = "/dossiers/"
HOST = "example.org"
ARTICLES = 230
"""Three archive pages of 100, 100 and 30 articles."""
START = date(2022, 11, 1)


def site_files(count: int, *, language: str = "en") -> dict[str, str]:
    """``count`` articles three days apart (so the order is the dates'), over three years.

    Every other article is in the topic ``big`` and the others carry the tag ``Common``;
    the first 50 carry ``Exact`` (one full page, no second), one carries ``Rare``.
    """
    files = {
        "site.yaml": (
            f"title: Paged\nbase_url: https://{HOST}{BASE}\nlanguage: {language}\ntimezone: UTC\n"
        ),
        "content/topics/big.md": (
            "---\ntitle: Big dossier\nsummary: A subject with a long timeline.\n"
            'key_facts: ["**Many** articles"]\npinned: [a001]\n---\n\nThe introduction.\n'
        ),
        "content/topics/small.md": "---\ntitle: Small dossier\n---\n\nA short one.\n",
    }
    for i in range(count):
        topics = ["big"] if i % 2 == 0 else ["small"] if i < 6 else []
        tags = ["Common"] if i % 2 else []
        tags += ["Exact"] if i < 50 else []
        tags += ["Rare"] if i == 7 else []
        files[f"content/articles/a{i:03d}.md"] = (
            f"---\ntitle: Article {i:03d}\ndate: {article_date(i).isoformat()}\n"
            f"topics: {topics}\ntags: {tags}\n---\n\nSummary of article {i:03d}.\n"
        )
    return files


def article_date(i: int) -> date:
    return START + timedelta(days=3 * i)


def article_url(i: int) -> str:
    day = article_date(i)
    return f"{BASE}{day.year:04d}/{day.month:02d}/a{i:03d}/"


def newest_first(indexes) -> list[str]:
    return [article_url(i) for i in sorted(indexes, reverse=True)]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("paged")
    write_files(root / "source", site_files(ARTICLES))
    result = run_cli("build", "--source", root / "source", "--output", root / "site", "-q")
    assert result.code == 0, result.err
    return root / "site"


@pytest.fixture(scope="module")
def pages(built) -> dict[str, Page]:
    return read_pages(built, BASE)


def outputs(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*.html")}


def walk(pages: dict[str, Page], first: str) -> Iterator[Page]:
    """A list's pages in order, following ``<link rel="next">`` from its first page."""
    url: str | None = first
    while url is not None:
        page = pages[url]
        yield page
        following = page.soup.find("link", rel="next")
        url = following["href"] if following else None


def listed(page: Page, selector: str) -> list[str]:
    return [a["href"] for a in page.soup.select(f"{selector} .card-title a")]


def text(element) -> str:
    return " ".join(element.get_text(" ").split())


LISTS = {
    # first page, what one page lists, the articles it lists (newest first), page count
    "archive": (f"{BASE}archive/", ".timeline", newest_first(range(ARTICLES)), 3),
    "tag": (
        f"{BASE}tags/common/",
        "section[aria-labelledby=tag-articles-heading]",
        newest_first(range(1, ARTICLES, 2)),
        3,
    ),
    "topic": (f"{BASE}topics/big/", "section.timeline", newest_first(range(0, ARTICLES, 2)), 3),
}


# -- which pages there are -------------------------------------------------------------------


def test_the_page_sizes_are_those_a_reader_expects():
    sizes = (paging.ARCHIVE_PAGE_SIZE, paging.TAG_PAGE_SIZE, paging.TIMELINE_PAGE_SIZE)
    assert sizes == (100, 50, 50)


def test_a_list_gets_a_page_for_every_page_size_of_articles_and_no_more(built):
    produced = outputs(built)
    assert {p for p in produced if p.startswith("archive/")} == {
        "archive/index.html",
        "archive/page/2/index.html",
        "archive/page/3/index.html",
    }
    assert {p for p in produced if p.startswith("tags/common/")} == {
        "tags/common/index.html",
        "tags/common/page/2/index.html",
        "tags/common/page/3/index.html",
    }
    assert {p for p in produced if p.startswith("topics/big/")} == {
        "topics/big/index.html",
        "topics/big/page/2/index.html",
        "topics/big/page/3/index.html",
    }
    for fits in ("tags/exact/", "tags/rare/", "topics/small/"):
        assert {p for p in produced if p.startswith(fits)} == {fits + "index.html"}, fits
    assert not [p for p in produced if "/page/1/" in p], "page 1 is the list's own URL"


def test_a_list_that_fits_on_one_page_has_no_pagination(pages):
    for url in (f"{BASE}tags/exact/", f"{BASE}tags/rare/", f"{BASE}topics/small/"):
        soup = pages[url].soup
        assert soup.select("nav.pagination, link[rel=prev], link[rel=next]") == [], url
        assert "Page 1" not in text(soup.body), url
    assert len(listed(pages[f"{BASE}tags/exact/"], "section")) == 50


def test_every_link_and_anchor_of_every_page_resolves(built):
    assert broken_links(built, BASE, HOST) == []
    assert anchors_resolve(built, BASE, HOST) == []


# -- what each page lists --------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(LISTS))
def test_every_article_is_on_exactly_one_page_of_its_list_newest_first(pages, name):
    first, selector, expected, count = LISTS[name]
    walked = list(walk(pages, first))
    assert [p.url for p in walked] == [first] + [f"{first}page/{n}/" for n in range(2, count + 1)]
    per_page = [listed(p, selector) for p in walked]
    assert [url for urls in per_page for url in urls] == expected
    size = len(per_page[0])
    assert size == {"archive": 100, "tag": 50, "topic": 50}[name]
    assert all(len(urls) == size for urls in per_page[:-1]) and 0 < len(per_page[-1]) <= size


def test_archive_pages_group_their_articles_by_year_and_month(pages):
    soups = [p.soup for p in walk(pages, f"{BASE}archive/")]
    years = [[text(h) for h in soup.select(".year-heading")] for soup in soups]
    assert years == [["2024", "2023"], ["2023"], ["2023", "2022"]]
    assert [len(soup.select(".year-nav a")) for soup in soups] == [2, 0, 2]
    # November 2023 is cut by the page boundary (articles 130 and 129): on both pages.
    months = [[text(h) for h in soup.select(".month-heading")] for soup in soups]
    assert months[0][-1] == months[1][0] == "November 2023"
    assert months[0][0] == "September 2024" and months[2][-1] == "November 2022"


def test_the_count_is_the_whole_list_on_every_page(pages):
    for first, _selector, expected, count in LISTS.values():
        for n, page in enumerate(walk(pages, first), start=1):
            stats = text(page.soup.select_one(".topic-stats"))
            assert stats.startswith(f"{len(expected)} articles"), page.url
            if first.endswith("/archive/") or "/tags/" in first or n > 1:
                assert stats.endswith(f"Page {n} of {count}"), page.url


# -- titles, canonical URLs, prev and next ---------------------------------------------------


@pytest.mark.parametrize("name", sorted(LISTS))
def test_every_page_has_its_own_title_and_canonical_url_and_is_indexable(pages, name):
    first, _selector, _expected, count = LISTS[name]
    walked = list(walk(pages, first))
    titles = [p.soup.title.get_text() for p in walked]
    assert len(set(titles)) == count
    base_title = titles[0].removesuffix(" · Paged")
    assert titles[1:] == [f"{base_title} — page {n} · Paged" for n in range(2, count + 1)]
    for page in walked:
        assert page.soup.find("link", rel="canonical")["href"] == f"https://{HOST}{page.url}"
        assert "noindex" not in page.soup.find("meta", attrs={"name": "robots"})["content"]
        assert len(page.soup.find_all("h1")) == 1
    expected = {
        "archive": ["Archive · Paged", "Archive — page 2 · Paged"],
        "tag": ["Tag: Common · Paged", "Tag: Common — page 2 · Paged"],
        "topic": ["Big dossier · Paged", "Big dossier — page 2 · Paged"],
    }
    assert titles[:2] == expected[name]


@pytest.mark.parametrize("name", sorted(LISTS))
def test_prev_next_and_the_pagination_nav_lead_to_the_neighbouring_pages(pages, name):
    first, _selector, _expected, count = LISTS[name]
    urls = [first] + [f"{first}page/{n}/" for n in range(2, count + 1)]
    for n, url in enumerate(urls, start=1):
        soup = pages[url].soup
        newer = urls[n - 2] if n > 1 else None
        older = urls[n] if n < count else None
        head_prev = soup.find("link", rel="prev")
        head_next = soup.find("link", rel="next")
        assert (head_prev and head_prev["href"]) == newer
        assert (head_next and head_next["href"]) == older
        nav = soup.select("nav.pagination")
        assert len(nav) == 1 and nav[0]["aria-label"] == "Pages"
        links = {text(a): a["href"] for a in nav[0].find_all("a")}
        assert links == {
            **({"← Newer": newer} if newer else {}),
            **({"Older →": older} if older else {}),
        }
        assert text(nav[0].select_one(".pagination-status")) == f"Page {n} of {count}"
        assert all(href in pages for href in links.values())
        assert nav[0].find_parent("main") is not None
        following = nav[0].find_all_next(class_="card")
        assert following == [], "the nav comes after the list"


def test_later_topic_pages_show_the_title_a_way_back_and_their_timeline_only(pages):
    first = pages[f"{BASE}topics/big/"].soup
    assert first.select(".key-facts, .prose, .pinned, .topic-aside")
    assert first.select_one(".back-link") is None
    later = pages[f"{BASE}topics/big/page/2/"].soup
    assert text(later.h1) == "Big dossier"
    back = later.select_one(".back-link a")
    assert back["href"] == f"{BASE}topics/big/" and text(back) == "← Back to the dossier"
    assert later.select(".key-facts, .prose, .pinned, .topic-aside, .dek") == []
    assert text(later.select_one(".timeline h2")) == "Timeline"


def test_the_main_navigation_marks_the_archive_as_current_on_every_page(pages):
    for url, current in ((f"{BASE}archive/", "page"), (f"{BASE}archive/page/2/", None)):
        link = pages[url].soup.select_one(f'.site-nav a[href="{BASE}archive/"]')
        assert link.get("aria-current") == current, url
        assert current or link["class"] == ["current"]


def test_two_builds_are_byte_identical(built, tmp_path):
    again = tmp_path / "again"
    result = run_cli("build", "--source", built.parent / "source", "--output", again, "-q")
    assert result.code == 0, result.err
    assert tree_bytes(again) == tree_bytes(built)


# -- small page sizes: the Indonesian interface, rebuilds ----------------------------------


@pytest.fixture
def small_pages(monkeypatch):
    """Two articles an archive page or a timeline page, one a tag page: set after import,
    read when the pages are planned."""
    monkeypatch.setattr(paging, "ARCHIVE_PAGE_SIZE", 2)
    monkeypatch.setattr(paging, "TAG_PAGE_SIZE", 1)
    monkeypatch.setattr(paging, "TIMELINE_PAGE_SIZE", 2)


def test_an_indonesian_site_says_it_all_in_indonesian(tmp_path, small_pages):
    write_files(tmp_path, site_files(6, language="id"))
    assert run_cli("build", "--source", tmp_path, "--output", tmp_path / "site", "-q").code == 0
    pages = read_pages(tmp_path / "site", BASE)
    archive = pages[f"{BASE}archive/page/2/"].soup
    assert archive.title.get_text() == "Arsip — halaman 2 · Paged"
    nav = archive.select_one("nav.pagination")
    assert nav["aria-label"] == "Halaman"
    assert [text(a) for a in nav.find_all("a")] == ["← Lebih baru", "Lebih lama →"]
    assert text(nav.select_one(".pagination-status")) == "Halaman 2 dari 3"
    assert text(archive.select_one(".topic-stats")) == "6 artikel · Halaman 2 dari 3"
    tag = pages[f"{BASE}tags/common/page/3/"].soup
    assert tag.title.get_text() == "Tag: Common — halaman 3 · Paged"
    assert [text(a) for a in tag.select("nav.pagination a")] == ["← Lebih baru"]
    topic = pages[f"{BASE}topics/big/page/2/"].soup
    assert text(topic.select_one(".back-link")) == "← Kembali ke liputan khusus"
    assert topic.title.get_text() == "Big dossier — halaman 2 · Paged"


def test_the_page_sizes_are_read_when_pages_are_planned(tmp_path, small_pages):
    write_files(tmp_path, site_files(5))
    assert run_cli("build", "--source", tmp_path, "--output", tmp_path / "site", "-q").code == 0
    produced = outputs(tmp_path / "site")
    assert {"archive/page/3/index.html", "tags/common/page/2/index.html"} <= produced
    assert "archive/page/4/index.html" not in produced
    assert "topics/big/page/2/index.html" in produced  # articles 0, 2, 4


@pytest.fixture
def preview(tmp_path, small_pages, monkeypatch):
    write_files(tmp_path, site_files(6))
    rendered = record_renders(monkeypatch)
    builder = Rebuilder(preview_request(tmp_path))
    assert builder.build().errors == ()
    rendered.clear()
    return tmp_path, builder, rendered


def test_a_list_grows_a_page_when_an_article_is_added(preview):
    source, builder, _rendered = preview
    write_files(source, {"content/articles/a006.md": site_files(7)["content/articles/a006.md"]})
    outcome = builder.build(["content/articles/a006.md"])
    assert outcome.errors == ()
    assert {"archive/page/4/index.html", "topics/big/page/2/index.html"} <= set(outcome.changed)
    assert snapshot(outcome.files) == full_build(builder.request)


def test_a_reader_of_a_page_that_went_is_sent_to_the_last_page_of_its_list(preview):
    source, builder, _rendered = preview
    (source / "content/articles/a005.md").unlink()
    (source / "content/articles/a004.md").unlink()
    outcome = builder.build(["content/articles/a005.md", "content/articles/a004.md"])
    assert outcome.errors == ()
    assert outcome.removed == {
        "archive/page/3/index.html": "archive/page/2/index.html",
        "tags/common/page/3/index.html": "tags/common/page/2/index.html",
        "tags/exact/page/5/index.html": "tags/exact/page/4/index.html",
        "tags/exact/page/6/index.html": "tags/exact/page/4/index.html",
        "topics/big/page/2/index.html": "topics/big/index.html",
        "topics/small/page/2/index.html": "topics/small/index.html",
        "2022/11/a004/index.html": "topics/big/index.html",
        "2022/11/a005/index.html": "topics/small/index.html",
    }
    assert snapshot(outcome.files) == full_build(builder.request)


def test_an_edited_title_rerenders_only_the_page_of_a_list_that_shows_it(preview):
    source, builder, rendered = preview
    path = source / "content/articles/a000.md"
    path.write_text(path.read_text().replace("Article 000", "Article zero"))
    outcome = builder.build(["content/articles/a000.md"])
    archive = {out for out in rendered if out.startswith("archive/")}
    assert archive == {"archive/page/3/index.html"}, "the oldest article is on the last page"
    assert {out for out in rendered if out.startswith("topics/big/")} == {
        "topics/big/page/2/index.html",
        "topics/big/index.html",  # its timeline chart names each article of a small dossier
        "topics/big/feed.xml",  # a feed shows the 50 articles that changed last
    }
    assert snapshot(outcome.files) == full_build(builder.request)


def test_incremental_builds_equal_a_full_build_with_lists_of_several_pages(small_pages):
    """The engine's property test, with page sizes that give its small site several pages
    per list: adding, dating, tagging and deleting articles moves them between pages."""
    run_edit_sequences(EditSequences, max_examples=12, stateful_step_count=20)
