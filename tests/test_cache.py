"""The persistent cache as an editor meets it: a second build is quick and identical, and a
cache that cannot be trusted is discarded with one warning, never read."""

from __future__ import annotations

import pickle
import re
import sqlite3
from pathlib import Path

import pytest

from dossierpress.engine.cache import BODIES, CACHE_DIR, FORMAT, MAGIC

from .support.cli import run_cli
from .support.files import tree_bytes

ARTICLE = "content/articles/2024/second-meeting.md"
COUNTS = re.compile(r"  (\d+) pages rendered, ")
PAGES = 17 + 11
"""17 HTML pages (the English and Indonesian search pages included); the site's, 3 topics'
and 3 tags' feeds, humans.txt, 2 sitemaps and robots.txt."""
BODY_EDIT = 5
"""Pages showing the body of ``ARTICLE``: its own, and the feeds of the site, its topic and
its two tags (which carry full text)."""


def rendered(result) -> int:
    match = COUNTS.search(result.out)
    assert match, result.out
    return int(match[1])


def cache_file(source: Path) -> Path:
    (found,) = sorted((source / CACHE_DIR).glob("build-*.bin"))
    return found


@pytest.fixture
def built(site_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("DOSSIER_CACHE_KEY", "the key of this machine")
    source = site_copy("basic")
    first = run_cli("--source", source, "-v")
    assert first.code == 0 and rendered(first) == PAGES
    return source


def edit(source: Path) -> None:
    path = source / ARTICLE
    path.write_text(path.read_text().replace("Details.", "Details, edited."))


def cold_tree(source: Path, tmp_path: Path) -> dict[str, bytes]:
    out = tmp_path / "cold"
    assert run_cli("--source", source, "--output", out, "--no-cache", "-q").code == 0
    return {k: v for k, v in tree_bytes(out).items() if not k.startswith(".")}


def site_tree(source: Path) -> dict[str, bytes]:
    return {k: v for k, v in tree_bytes(source / "site").items() if not k.startswith(".")}


def test_a_second_build_renders_nothing_and_writes_nothing(built):
    before = {p: p.stat().st_mtime_ns for p in (built / "site").rglob("*.html")}
    again = run_cli("--source", built, "-v")
    assert (again.code, again.err, rendered(again)) == (0, "", 0)
    assert {p: p.stat().st_mtime_ns for p in (built / "site").rglob("*.html")} == before


def restore_as_ci_does(folder: Path) -> None:
    """Every file under ``folder`` made again with the same bytes, as a checkout or a CI
    cache's restore makes them: a new inode and new times."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        path.unlink()
        path.write_bytes(data)


def test_a_site_and_cache_restored_elsewhere_render_nothing_again(built, tmp_path):
    """CI restores the output folder and the cache between runs (the workflow ``init``
    writes): every file is new to the file system but the same bytes, so a run with
    nothing changed renders no page, and the run after it finds nothing changed."""
    expected = site_tree(built)
    restore_as_ci_does(built / "content")
    restore_as_ci_does(built / "site")
    again = run_cli("--source", built, "-v")
    assert (again.code, again.err, rendered(again)) == (0, "", 0)
    assert site_tree(built) == expected
    last = run_cli("--source", built, "-v")
    assert last.code == 0 and "(nothing changed)" in last.out, last.out


def test_an_edit_renders_only_what_it_affects_and_matches_a_cold_build(built, tmp_path):
    path = built / ARTICLE
    path.write_text(path.read_text().replace("Details.", "Details, revised."))
    warm = run_cli("--source", built, "-v")
    assert warm.code == 0 and rendered(warm) == BODY_EDIT
    assert site_tree(built) == cold_tree(built, tmp_path)


def test_a_template_change_renders_the_pages_that_use_it(built, tmp_path):
    (built / "layouts").mkdir()
    tag = (Path(__file__).parent.parent / "layouts" / "tag.html").read_text()
    (built / "layouts" / "tag.html").write_text(tag.replace("<h1>", "<h1 data-x>"))
    warm = run_cli("--source", built, "-v")
    assert warm.code == 0 and rendered(warm) == 3  # the three tag pages
    assert site_tree(built) == cold_tree(built, tmp_path)


def test_a_settings_change_renders_everything(built, tmp_path):
    settings = built / "site.yaml"
    settings.write_text(settings.read_text().replace("Basic Test Site", "Renamed"))
    warm = run_cli("--source", built, "-v")
    assert warm.code == 0 and rendered(warm) == PAGES
    assert site_tree(built) == cold_tree(built, tmp_path)


def test_a_page_deleted_from_the_output_is_written_again(built):
    page = built / "site" / "topics" / "gamma" / "index.html"
    expected = page.read_bytes()
    page.unlink()
    again = run_cli("--source", built, "-v")
    assert again.code == 0 and rendered(again) == 1
    assert page.read_bytes() == expected


@pytest.mark.parametrize(
    ("damage", "why"),
    [
        (
            lambda data: data[: len(data) // 2],
            "it was not made here, or it is damaged (signature differs)",
        ),
        (lambda data: b"garbage", "it is not a Dossier cache file"),
        (
            lambda data: data.replace(b" %d\n" % FORMAT, b" 99\n", 1),
            "it was made by a newer version",
        ),
    ],
    ids=["truncated", "foreign", "future version"],
)
def test_a_damaged_cache_is_discarded_with_one_warning(built, tmp_path, damage, why):
    file = cache_file(built)
    file.write_bytes(damage(file.read_bytes()))
    edit(built)  # so that the build needs more than the summary beside the state
    again = run_cli("--source", built, "-v")
    shown = f"{built / CACHE_DIR}/{file.name}"
    assert again.code == 0
    assert again.err == f"{shown}:1: warning: cache discarded: {why}; building without it\n"
    assert rendered(again) == PAGES
    assert site_tree(built) == cold_tree(built, tmp_path)
    assert run_cli("--source", built, "-q").err == ""  # the new cache is fine


class _Payload:
    """Unpickling this runs a command: what a planted cache file would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "pwned"))


def test_a_cache_signed_elsewhere_is_never_unpickled(built, tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_Payload(marker))
    planted = MAGIC + b" %d\n" % FORMAT + b"0" * 64 + b"\n" + payload
    cache_file(built).write_bytes(planted)
    cache_file(built).with_suffix(".index").write_bytes(planted)
    edit(built)
    again = run_cli("--source", built, "-q")
    assert again.code == 0 and "cache discarded: it was not made here" in again.err
    assert not marker.exists()


def test_the_key_lives_outside_the_project(site_copy, tmp_path, monkeypatch):
    monkeypatch.delenv("DOSSIER_CACHE_KEY", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    source = site_copy("basic")
    assert run_cli("--source", source, "-q").code == 0
    key = tmp_path / "user-cache" / "dossier" / "cache-key"
    assert key.is_file() and key.stat().st_mode & 0o077 == 0
    assert not any(p.name == "cache-key" for p in source.rglob("*"))
    again = run_cli("--source", source, "-v")
    assert rendered(again) == 0


def test_a_damaged_summary_is_passed_over_and_the_state_read(built):
    cache_file(built).with_suffix(".index").write_bytes(b"garbage")
    again = run_cli("--source", built, "-v")
    assert (again.code, again.err, rendered(again)) == (0, "", 0)


def test_no_cache_reads_and_writes_none(site_copy, monkeypatch):
    monkeypatch.setenv("DOSSIER_CACHE_KEY", "k")
    source = site_copy("basic")
    assert run_cli("--source", source, "--no-cache", "-q").code == 0
    assert not (source / CACHE_DIR).exists()


def test_a_failed_build_keeps_what_it_read_for_the_next(built, tmp_path):
    path = built / ARTICLE
    good = path.read_text()
    path.write_text(good.replace("title:", "title: [", 1))
    assert run_cli("--source", built, "-q").code == 1
    path.write_text(good.replace("Details.", "Details, fixed."))
    fixed = run_cli("--source", built, "-v")
    assert fixed.code == 0 and rendered(fixed) == BODY_EDIT
    assert site_tree(built) == cold_tree(built, tmp_path)


def users_database(path: Path) -> Path:
    """A SQLite database of the user's own, as a symlink or a copy might bring in."""
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
        connection.execute("INSERT INTO contacts VALUES ('Mara Quill', '555 0100')")
    connection.close()
    return path


def test_a_body_store_linked_to_a_users_database_is_unlinked_and_the_database_untouched(
    site_copy, tmp_path
):
    source = site_copy("basic")
    theirs = users_database(tmp_path / "contacts.sqlite3")
    before = theirs.read_bytes()
    (source / CACHE_DIR).mkdir()
    (source / CACHE_DIR / BODIES).symlink_to(theirs)
    first = run_cli("--source", source, "-v")
    shown = f"{source / CACHE_DIR}/{BODIES}"
    assert first.code == 0 and rendered(first) == PAGES
    assert first.err == (
        f"{shown}:1: warning: cache discarded: it is a symbolic link; building without it\n"
    )
    assert theirs.read_bytes() == before
    assert not (source / CACHE_DIR / BODIES).is_symlink()
    edit(source)  # a build that reads bodies from the new store and adds one
    again = run_cli("--source", source, "-v")
    assert (again.code, again.err, rendered(again)) == (0, "", BODY_EDIT)
    assert theirs.read_bytes() == before


@pytest.mark.parametrize(
    "foreign",
    [
        lambda path: users_database(path),
        lambda path: path.write_bytes(b"my notes, not a database\n" * 100),
    ],
    ids=["another database", "not a database"],
)
def test_a_body_store_that_is_not_ours_is_replaced_without_being_written_into(
    built, tmp_path, foreign
):
    store = built / CACHE_DIR / BODIES
    store.unlink()
    foreign(store)
    before = store.read_bytes()
    with store.open("rb") as still_open:  # the file itself, wherever its name goes
        edit(built)
        again = run_cli("--source", built, "-v")
        assert still_open.read() == before  # never written into
    assert again.code == 0 and rendered(again) == BODY_EDIT
    assert again.err == (
        f"{store}:1: warning: cache discarded: it is not a Dossier cache file; "
        "building without it\n"
    )
    assert store.read_bytes() != before
    assert site_tree(built) == cold_tree(built, tmp_path)
    assert run_cli("--source", built, "-q").err == ""
