"""Writing the site into the user's folder: only what the build wrote is ever replaced or
removed, foreign files are refused or kept, the lock, and two sources for one path."""

from __future__ import annotations

import json
import os
import signal
import unicodedata
from pathlib import Path

import pytest

from dossierpress import output
from dossierpress.content.walk import SourceFile
from dossierpress.interrupt import Interrupted, signals_raise_interrupted
from dossierpress.output import (
    CLOSED_FOLDERS,
    LOCK,
    MANIFEST,
    OutputClaims,
    OutputFolder,
    OutputProblem,
    protected_paths,
    refuse_unsafe_target,
)

from .support.files import tree_bytes, write_files


def write(folder: Path, files: dict[str, bytes | Path], **options) -> output.WriteReport:
    return OutputFolder(folder, **options).replace_all(files.items())


def recorded(folder: Path) -> list[str]:
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]


def visible(folder: Path) -> dict[str, bytes]:
    """The folder as a reader of the site sees it: without our record."""
    return {rel: data for rel, data in tree_bytes(folder).items() if rel != MANIFEST}


def user_files(root: Path) -> dict[str, bytes]:
    """A gh-pages checkout's own files and a user's notes."""
    files = {
        ".git/HEAD": b"ref: refs/heads/gh-pages\n",
        ".git/objects/ab/cdef": b"\x78\x01blob",
        "CNAME": b"dossier.example.org\n",
        ".nojekyll": b"",
        "notes.txt": b"my notes\n",
        "Documents/plan.md": b"# plan\n",
    }
    write_files(root, files)
    return files


def test_a_first_build_creates_the_folder_and_records_what_it_wrote(tmp_path):
    asset = tmp_path / "map.svg"
    asset.write_bytes(b"<svg/>")
    target = tmp_path / "out" / "site"
    report = write(target, {"index.html": b"home", "img/map.svg": SourceFile(asset, tmp_path)})
    assert (report.written, report.unchanged, report.removed) == (2, 0, 0)
    assert visible(target) == {"index.html": b"home", "img/map.svg": b"<svg/>"}
    assert recorded(target) == ["img/map.svg", "index.html"]
    assert sorted(p.name for p in target.iterdir()) == [MANIFEST, "img", "index.html"]


def test_a_build_replaces_its_own_files_and_removes_those_no_longer_produced(tmp_path):
    target = tmp_path / "site"
    write(target, {"index.html": b"v1", "2024/06/gone/index.html": b"old"})
    report = write(target, {"index.html": b"v2", "topics/x/index.html": b"new"})
    assert visible(target) == {"index.html": b"v2", "topics/x/index.html": b"new"}
    assert not (target / "2024").exists()
    assert report.removed == 1


def test_files_the_user_added_after_a_build_are_left_exactly_as_they_were(tmp_path):
    target = tmp_path / "site"
    write(target, {"index.html": b"v1", "about/index.html": b"a"})
    mine = user_files(target)
    write(target, {"index.html": b"v2"})
    assert tree_bytes(target) == {
        **mine,
        "index.html": b"v2",
        MANIFEST: (target / MANIFEST).read_bytes(),
    }


def test_a_folder_of_foreign_files_is_refused_and_left_untouched(tmp_path):
    target = tmp_path / "www"
    target.mkdir()
    user_files(target)
    before = tree_bytes(target)
    with pytest.raises(OutputProblem) as problem:
        write(target, {"index.html": b"home"})
    assert str(problem.value) == (
        f"output folder '{target}' holds files this tool did not write "
        "(CNAME, Documents/…, notes.txt); choose an empty folder or pass --clean"
    )
    assert tree_bytes(target) == before


def test_check_refuses_before_anything_is_built(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(OutputProblem, match="holds files this tool did not write"):
        OutputFolder(tmp_path).check()
    OutputFolder(tmp_path, clean=True).check()


def test_a_folder_holding_only_hidden_entries_is_accepted_and_they_are_kept(tmp_path):
    target = tmp_path / "site"
    (target / ".git").mkdir(parents=True)
    (target / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    write(target, {"index.html": b"home"})
    assert (target / ".git" / "HEAD").read_text() == "ref: refs/heads/gh-pages\n"


def test_clean_removes_foreign_files_but_keeps_hidden_ones(tmp_path):
    target = tmp_path / "site"
    target.mkdir()
    user_files(target)
    report = write(target, {"index.html": b"home"}, clean=True)
    assert sorted(tree_bytes(target)) == sorted(
        [".git/HEAD", ".git/objects/ab/cdef", MANIFEST, ".nojekyll", "index.html"]
    )
    assert report.removed == 3


def test_clean_replaces_foreign_files_standing_where_the_site_goes(tmp_path):
    target = tmp_path / "site"
    (target / "about").mkdir(parents=True)
    (target / "index.html").write_bytes(b"another generator's home")
    (target / "about" / "index.html").write_bytes(b"theirs")
    (target / "feed").write_bytes(b"a file where a folder goes")
    files = {"index.html": b"ours", "feed/index.xml": b"<feed/>", "a/index.html": b"a"}
    write(target, files, clean=True)
    assert visible(target) == files
    assert recorded(target) == sorted(files)


def test_clean_starts_afresh_from_a_damaged_record(tmp_path):
    target = tmp_path / "site"
    write(target, {"index.html": b"v1", "old/index.html": b"old"})
    (target / MANIFEST).write_text("{not json")
    write(target, {"index.html": b"v2"}, clean=True)
    assert visible(target) == {"index.html": b"v2"}


def test_a_foreign_file_where_the_site_goes_is_never_overwritten(tmp_path):
    target = tmp_path / "site"
    write(target, {"index.html": b"v1"})
    (target / "about").mkdir()
    (target / "about" / "index.html").write_bytes(b"the user's page")
    (target / "feed").write_bytes(b"a file where a folder goes")
    before = tree_bytes(target)
    with pytest.raises(OutputProblem) as problem:
        write(target, {"index.html": b"v2", "about/index.html": b"ours", "feed/index.xml": b"x"})
    assert str(problem.value) == (
        f"output folder '{target}' holds files this tool did not write where the site goes "
        "(about/index.html, feed); move them away or pass --clean"
    )
    assert tree_bytes(target) == before


def test_a_symbolic_link_in_the_folder_is_never_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    target = tmp_path / "site"
    write(target, {"index.html": b"v1", "static/style.css": b"a"})
    for rel in recorded(target):
        if rel.startswith("static/"):
            (target / rel).unlink()
    (target / "static").rmdir()
    (target / "static").symlink_to(outside, target_is_directory=True)
    with pytest.raises(OutputProblem, match=r"where the site goes \(static\)"):
        write(target, {"index.html": b"v2", "static/style.css": b"b"})
    assert list(outside.iterdir()) == []


def test_files_whose_bytes_did_not_change_are_not_touched(tmp_path):
    asset = tmp_path / "map.svg"
    asset.write_bytes(b"<svg/>")
    target = tmp_path / "site"
    asset = SourceFile(asset, tmp_path)
    write(target, {"index.html": b"v1", "a/index.html": b"same", "img/map.svg": asset})
    before = {rel: os.stat(target / rel) for rel in ("a/index.html", "img/map.svg")}
    report = write(target, {"index.html": b"v2", "a/index.html": b"same", "img/map.svg": asset})
    assert (report.written, report.unchanged) == (1, 2)
    for rel, info in before.items():
        now = os.stat(target / rel)
        assert (now.st_ino, now.st_mtime_ns) == (info.st_ino, info.st_mtime_ns)


def test_a_write_failing_midway_leaves_the_folder_untouched(tmp_path):
    target = tmp_path / "site"
    write(target, {"index.html": b"v1", "a/index.html": b"a1"})
    before = tree_bytes(target)

    def files():
        yield "index.html", b"v2"
        yield "b/index.html", b"b2"
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        OutputFolder(target).replace_all(files())
    assert tree_bytes(target) == before


def test_a_missing_file_to_copy_fails_the_write_and_keeps_the_old_files(tmp_path):
    target = tmp_path / "site"
    write(target, {"index.html": b"v1"})
    before = tree_bytes(target)
    with pytest.raises(FileNotFoundError):
        write(
            target, {"index.html": b"v2", "img/x.png": SourceFile(tmp_path / "gone.png", tmp_path)}
        )
    assert tree_bytes(target) == before


def test_staging_debris_of_a_killed_build_is_removed_by_the_next_one(tmp_path):
    target = tmp_path / "site"
    write(target, {"index.html": b"v1"})
    (target / ".dossier-staging-abc123" / "x").mkdir(parents=True)
    (target / ".dossier-staging-abc123" / "x" / "index.html").write_bytes(b"half")
    (tmp_path / ".site.new-k2j3").mkdir()  # what earlier versions left beside the output
    (tmp_path / ".site.old-9fz1").mkdir()
    write(target, {"index.html": b"v2"})
    assert sorted(p.name for p in target.iterdir()) == [MANIFEST, "index.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_record_naming_paths_outside_the_folder_is_not_acted_on(tmp_path):
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    target = tmp_path / "site"
    write(target, {"index.html": b"v1"})
    record = {"files": ["index.html", "../precious.txt", "/etc/hostname", ".git/HEAD"]}
    (target / MANIFEST).write_text(json.dumps(record))
    write(target, {"index.html": b"v2"})
    assert precious.read_text() == "keep me"
    assert recorded(target) == ["index.html"]


def test_a_damaged_record_is_a_clear_problem(tmp_path):
    target = tmp_path / "site"
    write(target, {"index.html": b"v1"})
    (target / MANIFEST).write_text("{not json")
    with pytest.raises(OutputProblem, match=r"unreadable record of its files \(\.dossier-manifest"):
        write(target, {"index.html": b"v2"})
    assert (target / "index.html").read_bytes() == b"v1"


def test_update_writes_the_changed_files_and_removes_the_named_ones(tmp_path):
    target = tmp_path / "site"
    write(target, {"index.html": b"v1", "a/index.html": b"a", "b/index.html": b"b"})
    (target / "notes.txt").write_text("mine")
    OutputFolder(target).update({"a/index.html": b"a2", "c/index.html": b"c"}, ["b/index.html"])
    assert visible(target) == {
        "index.html": b"v1",
        "a/index.html": b"a2",
        "c/index.html": b"c",
        "notes.txt": b"mine",
    }
    assert recorded(target) == ["a/index.html", "c/index.html", "index.html"]


def test_a_second_writer_waits_then_gives_up_with_a_clear_message(tmp_path):
    target = tmp_path / "site"
    write(target, {"index.html": b"v1"})
    first = OutputFolder(target)
    with first.locked(), pytest.raises(OutputProblem) as problem:
        write(target, {"index.html": b"v2"}, lock_wait=0.2)
    assert str(problem.value) == f"output folder '{target}' is being written by another build"
    assert (target / "index.html").read_bytes() == b"v1"
    assert not (target / LOCK).exists()
    write(target, {"index.html": b"v2"}, lock_wait=0.2)  # free again
    assert (target / "index.html").read_bytes() == b"v2"


def test_a_signal_during_the_commit_is_delivered_after_it(tmp_path, monkeypatch):
    target = tmp_path / "site"
    write(target, {"index.html": b"v1"})
    real_replace = os.replace

    def replace_and_signal(src, dst):
        real_replace(src, dst)
        if Path(dst).name == "index.html":
            os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(output.os, "replace", replace_and_signal)
    with signals_raise_interrupted(), pytest.raises(Interrupted) as stopped:
        write(target, {"index.html": b"v2", "a/index.html": b"a"})
    assert stopped.value.output_changed and stopped.value.exit_status == 143
    assert visible(target) == {"index.html": b"v2", "a/index.html": b"a"}
    assert recorded(target) == ["a/index.html", "index.html"]


# -- what may never be an output folder -----------------------------------------------------


@pytest.fixture
def project(tmp_path):
    source = tmp_path / "project"
    (source / "content" / "articles").mkdir(parents=True)
    (source / "layouts").mkdir()
    (source / "site.yaml").write_text("title: x\n")
    (source / "notes.txt").write_text("x")
    return source


def refuse(out: Path, source: Path, clean: bool = False) -> None:
    refuse_unsafe_target(out, protected_paths(source), CLOSED_FOLDERS, clean)


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("notes.txt", "output 'OUT' is a file, not a folder; choose a folder"),
        ("site.yaml", "output 'OUT' is a file, not a folder; choose a folder"),
        (".", "output folder 'OUT' contains the source folder; choose another folder"),
        ("..", "output folder 'OUT' contains the source folder; choose another folder"),
        ("content", "output folder 'OUT' contains content/; choose another folder"),
        ("content/articles", "output folder 'OUT' lies inside content/; choose another"),
        ("layouts/site", "output folder 'OUT' lies inside layouts/; choose another"),
    ],
)
def test_unsafe_outputs_are_refused_whatever_the_flags(project, where, message):
    out = project / where
    for clean in (False, True):
        with pytest.raises(OutputProblem) as problem:
            refuse(out, project, clean)
        assert str(problem.value) == message.replace("OUT", str(out))


def test_the_parent_of_a_symlinked_content_folder_is_refused(tmp_path):
    real = tmp_path / "elsewhere" / "content"
    (real / "articles").mkdir(parents=True)
    source = tmp_path / "project"
    source.mkdir()
    (source / "content").symlink_to(real, target_is_directory=True)
    out = tmp_path / "elsewhere"
    with pytest.raises(OutputProblem, match="contains content/"):
        refuse(out, source)


def test_clean_is_refused_for_the_home_folder(tmp_path, monkeypatch, project):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    with pytest.raises(OutputProblem, match="--clean"):
        refuse(home, project, clean=True)
    refuse(home, project)  # without --clean: the usual rules


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
