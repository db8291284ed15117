"""Scheduled publishing: an article dated after the build's time waits for its date.

It is left out as a draft is (pages, lists, feeds, sitemaps, topic counts) until a build
runs at or after its date, whatever the cache remembers; ``--future`` and the preview show
it, marked "Scheduled"; ``--now`` fixes the build's time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from dossierpress.engine.build import BuildRequest, Engine
from dossierpress.preview.session import PreviewSession

from .support.cli import run_cli
from .support.files import tree_bytes, write_files
from .support.preview import Preview, start_preview, stop_recording
from .support.scheduled_site import (
    AFTER,
    AT,
    BEFORE,
    FILES,
    SCHEDULED,
    TREATY_PAGE,
    TREATY_TITLE,
    texts,
)

TREATY_URL = "/2024/06/treaty/"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    root = tmp_path / "desk"
    write_files(root, FILES)
    return root


def build(source: Path, *options: str) -> str:
    """Build into ``source/site`` with the cache (as an editor does); what it printed."""
    result = run_cli("build", "--source", source, "--no-search", "--jobs", "1", *options)
    assert result.code == 0, result.err
    return result.out


def mentions_treaty(site: Path) -> list[str]:
    return [path for path, text in texts(site).items() if TREATY_TITLE in text]


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


# -- left out until its time ------------------------------------------------------------


def test_before_its_date_it_is_on_no_page_list_feed_or_sitemap(source):
    build(source, "--now", BEFORE)
    site = source / "site"
    assert not (site / TREATY_PAGE).exists()
    assert mentions_treaty(site) == []
    topic = " ".join(soup(site / "topics/sanctions/index.html").get_text(" ").split())
    assert "1 article" in topic
    assert "treaty" not in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_a_build_at_its_date_publishes_it_everywhere(source):
    build(source, "--now", AT)
    site = source / "site"
    assert (site / TREATY_PAGE).is_file()
    found = set(mentions_treaty(site))
    for where in ("index.html", "feed.xml", "topics/sanctions/index.html", "tags/aurus/feed.xml"):
        assert where in found
    assert "/2024/06/treaty/" in (site / "sitemap.xml").read_text(encoding="utf-8")
    topic = " ".join(soup(site / "topics/sanctions/index.html").get_text(" ").split())
    assert "2 articles" in topic
    assert soup(site / TREATY_PAGE).find(class_="scheduled-marker") is None


def test_the_cache_does_not_keep_it_hidden_once_its_time_has_come(source):
    assert "(nothing changed)" not in build(source, "--now", BEFORE)
    # No file changed and the time stays before the article's: nothing to do at all…
    assert "(nothing changed)" in build(source, "--now", "2024-06-20T07:59+07:00")
    assert not (source / "site" / TREATY_PAGE).exists()
    # …but once the time passes its date, the same source publishes it.
    assert "(nothing changed)" not in build(source, "--now", AT)
    assert (source / "site" / TREATY_PAGE).is_file()
    assert "(nothing changed)" in build(source, "--now", AFTER)
    # A build told an earlier time takes it down again.
    build(source, "--now", BEFORE)
    assert not (source / "site" / TREATY_PAGE).exists()
    assert mentions_treaty(source / "site") == []


def test_a_warm_build_is_the_same_as_a_cold_one_at_the_same_time(source, tmp_path):
    build(source, "--now", BEFORE)
    build(source, "--now", AT)
    cold = tmp_path / "cold"
    build(source, "--now", AT, "--output", cold, "--no-cache")
    assert tree_bytes(source / "site") == tree_bytes(cold)


def test_a_state_kept_in_memory_publishes_it_when_the_time_passes(source):
    """The preview's way: the state of the last build reused, no file touched."""
    first = Engine(BuildRequest(source, now=moment(BEFORE)))
    assert not any("treaty" in out for out in first.build().pages)
    later = Engine(BuildRequest(source, now=moment(AT)), first.state)
    result = later.build()
    assert not result.up_to_date
    assert TREATY_PAGE in result.pages and TREATY_PAGE in result.changed


def test_the_time_without_an_offset_is_the_sites(source):
    build(source, "--now", "2024-06-20T07:59")  # Jakarta: a minute early
    assert not (source / "site" / TREATY_PAGE).exists()
    build(source, "--now", "2024-06-20T08:00")
    assert (source / "site" / TREATY_PAGE).is_file()


def test_without_now_the_clock_decides(source):
    write_files(
        source,
        {SCHEDULED: f"---\ntitle: {TREATY_TITLE}\ndate: 2999-01-01\ntopics: [sanctions]\n---\n"},
    )
    build(source)
    assert not (source / "site/2999").exists()
    assert (source / "site/2024/06/summit/index.html").is_file()


def test_a_draft_is_left_out_whatever_its_date(source):
    text = FILES[SCHEDULED].replace("tags:", "draft: true\ntags:")
    write_files(source, {SCHEDULED: text})
    build(source, "--now", AFTER, "--future")
    assert not (source / "site" / TREATY_PAGE).exists()


# -- shown all the same: --future, the preview -------------------------------------------


def test_future_publishes_it_marked_with_its_time(source):
    build(source, "--now", BEFORE, "--future")
    site = source / "site"
    page = soup(site / TREATY_PAGE)
    marker = page.find(class_="scheduled-marker")
    assert marker is not None
    assert " ".join(marker.get_text(" ").split()).startswith("Scheduled — to be published June 20")
    assert marker.find("time")["datetime"] == "2024-06-20T08:00:00+07:00"
    topic = soup(site / "topics/sanctions/index.html")
    badges = topic.find_all(class_="badge-scheduled")  # the latest, and in the timeline
    assert badges
    assert {b.find_parent("article").find("a").get_text() for b in badges} == {TREATY_TITLE}
    assert soup(site / "2024/06/summit/index.html").find(class_="scheduled-marker") is None


def test_once_its_time_has_come_the_mark_goes(source):
    build(source, "--now", BEFORE, "--future")
    build(source, "--now", AFTER, "--future")
    assert soup(source / "site" / TREATY_PAGE).find(class_="scheduled-marker") is None
    assert "badge-scheduled" not in (source / "site/index.html").read_text(encoding="utf-8")


def test_the_mark_is_translated(source):
    write_files(source, {"site.yaml": "title: Meja\nlanguage: id\ntimezone: Asia/Jakarta\n"})
    build(source, "--now", BEFORE, "--future")
    marker = soup(source / "site" / TREATY_PAGE).find(class_="scheduled-marker")
    assert " ".join(marker.get_text(" ").split()).startswith("Terjadwal — akan terbit 20 Juni 2024")


@pytest.fixture
def preview() -> Iterator[Callable[..., Preview]]:
    sessions: list[PreviewSession] = []

    def start(source: Path, **options: object) -> Preview:
        return start_preview(source, sessions, **options)

    yield start
    for session in sessions:
        session.stop()
    stop_recording()


def test_the_preview_shows_it_marked(source, preview):
    running = preview(source, now=moment(BEFORE))
    page = running.page(TREATY_URL)
    assert 'class="scheduled-marker"' in page
    assert '<time datetime="2024-06-20T08:00:00+07:00">' in page
    assert 'class="badge badge-scheduled"' in running.page("/topics/sanctions/")


def test_the_preview_hides_it_with_no_future(source, preview):
    running = preview(source, now=moment(BEFORE), future=False)
    assert running.fetch(TREATY_URL)[0] == 404
    assert TREATY_TITLE not in running.page("/topics/sanctions/")


# -- --now on the command line ----------------------------------------------------------


@pytest.mark.parametrize("command", ["build", "check", "serve"])
def test_a_bad_now_is_one_line_and_exit_2(source, command):
    result = run_cli(command, "--source", source, "--now", "next Tuesday")
    assert result.code == 2
    assert result.err == (
        "error: --now: expected a date, got 'next Tuesday' (e.g. 2024-06-19 or 2024-06-19T10:30)\n"
    )
    assert not (source / "site").exists()


def test_an_impossible_now_says_so(source):
    result = run_cli("build", "--source", source, "--now", "2024-02-30")
    assert result.code == 2
    assert result.err.startswith("error: --now: impossible date '2024-02-30'")
