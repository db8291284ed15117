"""Writing the site: atomic replacement, pruning, and refusing two sources for one path."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from dossierpress.output import OutputClaims, write_tree

from .conftest import tree_bytes


def leftovers(parent: Path) -> list[str]:
    """Staging or retired trees a write left beside the target."""
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def test_write_tree_creates_the_target_and_copies_files(tmp_path):
    asset = tmp_path / "map.svg"
    asset.write_bytes(b"<svg/>")
    target = tmp_path / "out" / "site"
    count = write_tree(target, [("index.html", b"home"), ("img/map.svg", asset)])
    assert count == 2
    assert tree_bytes(target) == {"index.html": b"home", "img/map.svg": b"<svg/>"}
    assert leftovers(target.parent) == []


def test_write_tree_replaces_the_tree_and_prunes_what_is_no_longer_produced(tmp_path):
    target = tmp_path / "site"
    write_tree(target, [("index.html", b"v1"), ("2024/06/gone/index.html", b"old")])
    write_tree(target, [("index.html", b"v2"), ("topics/x/index.html", b"new")])
    assert tree_bytes(target) == {"index.html": b"v2", "topics/x/index.html": b"new"}
    assert not (target / "2024").exists()
    assert leftovers(tmp_path) == []


def test_files_the_editor_put_into_the_output_do_not_survive_a_build(tmp_path):
    target = tmp_path / "site"
    write_tree(target, [("index.html", b"v1")])
    (target / "stray.txt").write_text("x")
    write_tree(target, [("index.html", b"v2")])
    assert tree_bytes(target) == {"index.html": b"v2"}


def test_a_write_failing_midway_leaves_the_previous_tree_untouched(tmp_path):
    target = tmp_path / "site"
    write_tree(target, [("index.html", b"v1"), ("a/index.html", b"a1")])
    before = tree_bytes(target)

    def files():
        yield "index.html", b"v2"
        yield "b/index.html", b"b2"
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        write_tree(target, files())
    assert tree_bytes(target) == before
    assert leftovers(tmp_path) == []


def test_a_failing_first_build_leaves_no_output_and_no_staging(tmp_path):
    target = tmp_path / "site"

    def files():
        yield "index.html", b"v1"
        raise OSError("no space left")

    with pytest.raises(OSError):
        write_tree(target, files())
    assert not target.exists()
    assert leftovers(tmp_path) == []


def test_a_missing_file_to_copy_fails_the_write_and_keeps_the_old_tree(tmp_path):
    target = tmp_path / "site"
    write_tree(target, [("index.html", b"v1")])
    with pytest.raises(FileNotFoundError):
        write_tree(target, [("index.html", b"v2"), ("img/x.png", tmp_path / "missing.png")])
    assert tree_bytes(target) == {"index.html": b"v1"}
    assert leftovers(tmp_path) == []


# -- claims ---------------------------------------------------------------------------------


def test_first_claim_wins_and_a_second_one_names_both_sources():
    claims = OutputClaims()
    assert claims.claim("2024/06/x/index.html", "content/articles/a.md", 2)
    assert not claims.claim("2024/06/x/index.html", "content/articles/b.md", 3)
    assert [str(e) for e in claims.problems] == [
        "content/articles/b.md:3: error: page would be written to '2024/06/x/index.html', "
        "already used by content/articles/a.md:2"
    ]


def test_distinct_paths_are_all_accepted():
    claims = OutputClaims()
    assert claims.claim("a/index.html", "content/articles/a.md", 2)
    assert claims.claim("b/index.html", "content/articles/b.md", 2)
    assert claims.problems == []


def test_paths_differing_only_by_case_clash_and_name_both_sources():
    claims = OutputClaims()
    claims.claim("img/map.svg", "content/img/map.svg", 1, what="file")
    assert not claims.claim("img/MAP.svg", "content/img/MAP.svg", 1, what="file")
    (error,) = claims.problems
    assert error.path == "content/img/MAP.svg"
    assert "content/img/map.svg" in error.message
    assert "'img/MAP.svg'" in error.message and "'img/map.svg'" in error.message
    assert "letter case" in error.message


def test_paths_differing_only_by_unicode_normalisation_clash():
    composed = unicodedata.normalize("NFC", "café/index.html")
    decomposed = unicodedata.normalize("NFD", "café/index.html")
    assert composed != decomposed
    claims = OutputClaims()
    claims.claim(composed, "content/articles/a.md", 4)
    assert not claims.claim(decomposed, "content/articles/b.md", 5)
    (error,) = claims.problems
    assert str(error).startswith("content/articles/b.md:5: error: page ")
    assert "content/articles/a.md:4" in error.message


def test_a_source_clashing_with_a_generated_page_gets_the_error():
    claims = OutputClaims()
    claims.claim("tags/index.html", "", 1)
    assert not claims.claim("tags/index.html", "content/articles/a.md", 6)
    (error,) = claims.problems
    assert str(error).startswith("content/articles/a.md:6: error: ")
    assert "a generated page" in error.message


def test_a_generated_page_clashing_with_a_source_points_at_the_source():
    claims = OutputClaims()
    claims.claim("archive/index.html", "content/articles/a.md", 7)
    assert not claims.claim("archive/index.html", "", 1)
    (error,) = claims.problems
    assert str(error).startswith("content/articles/a.md:7: error: ")
