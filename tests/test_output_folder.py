"""End to end: the output folder belongs to the user, as `python build.py` and `serve` see it.

Each case once deleted or replaced an editor's files; each now gives one error line and
exit 1 with every file byte-identical, or builds while leaving the user's files alone.
Interrupted and concurrent builds run as real processes.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from dossierpress import output
from dossierpress.output import LOCK, MANIFEST, STAGING_PREFIX, OutputFolder

from .support.cli import run_cli
from .support.files import REPO, tree_bytes, write_files

ARTICLE = "content/articles/2024/second-meeting.md"


def digest(root: Path) -> dict[str, str]:
    """Every file under ``root`` (hidden ones too) by path, as a hash: big files stay cheap."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def staging_debris(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(STAGING_PREFIX))


def build_process(source: Path, out: Path, *extra: str) -> subprocess.Popen[str]:
    command = [
        sys.executable,
        str(REPO / "build.py"),
        "--source",
        str(source),
        "--output",
        str(out),
    ]
    return subprocess.Popen(
        [*command, *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def basic(site_copy) -> Path:
    return site_copy("basic")


def change_the_article(source: Path) -> None:
    """An edit that makes the next build write new bytes for one page."""
    article = source / ARTICLE
    article.write_text(article.read_text().replace("Details.", "Details, revised."))


# -- the user's files -----------------------------------------------------------------------


def test_a_folder_of_the_users_own_files_is_refused_and_left_byte_identical(basic, tmp_path):
    www = tmp_path / "www"
    (www / "Documents").mkdir(parents=True)
    (www / "notes.txt").write_text("call the desk\n")
    (www / "Documents" / "plan.odt").write_bytes(b"PK\x03\x04")
    before = tree_bytes(www)
    result = run_cli("--source", basic, "--output", www)
    assert result.code == 1
    assert result.err == (
        f"error: output folder '{www}' holds files this tool did not write "
        "(Documents/…, notes.txt); choose an empty folder or pass --clean\n"
    )
    assert tree_bytes(www) == before


def test_clean_replaces_a_folder_of_foreign_files_but_keeps_hidden_ones(basic, tmp_path):
    www = tmp_path / "www"
    (www / ".git").mkdir(parents=True)
    (www / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (www / "old-page.html").write_text("<p>from another generator</p>")
    result = run_cli("--source", basic, "--output", www, "--clean", "-q")
    assert (result.code, result.err) == (0, "")
    assert not (www / "old-page.html").exists()
    assert (www / ".git" / "HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    assert (www / "index.html").is_file()


def test_a_gh_pages_checkout_keeps_its_git_cname_and_nojekyll_across_builds(basic):
    site = basic / "site"
    assert run_cli("--source", basic, "-q").code == 0
    checkout = {
        ".git/HEAD": b"ref: refs/heads/gh-pages\n",
        ".git/config": b"[core]\n\tbare = false\n",
        "CNAME": b"dossier.example.org\n",
        ".nojekyll": b"",
    }
    write_files(site, checkout)
    (basic / ARTICLE).write_text((basic / ARTICLE).read_text().replace("Details.", "Revised."))
    (basic / "content/articles/2024/pertemuan.md").unlink()
    result = run_cli("--source", basic, "-q")
    assert (result.code, result.err) == (0, "")
    for rel, data in checkout.items():
        assert (site / rel).read_bytes() == data, rel
    assert b"Revised." in (site / "2024/06/second-meeting/index.html").read_bytes()
    assert not any("pertemuan" in rel for rel in tree_bytes(site))


def test_a_cname_published_from_content_is_the_builds_own(basic):
    (basic / "content" / "CNAME").write_text("dossier.example.org\n")
    assert run_cli("--source", basic, "-q").code == 0
    assert (basic / "site" / "CNAME").read_text() == "dossier.example.org\n"


@pytest.mark.parametrize("name", ["notes.txt", "site.yaml"])
def test_an_output_that_is_a_file_is_refused_and_the_file_kept(basic, name):
    target = basic / name
    target.write_text("title: Basic Test Site\n" if name == "site.yaml" else "my notes\n")
    before = target.read_bytes()
    for flags in ((), ("--clean",)):
        result = run_cli("--source", basic, "--output", target, *flags)
        assert result.code == 1
        assert result.err == f"error: output '{target}' is a file, not a folder; choose a folder\n"
        assert target.read_bytes() == before


def test_the_parent_of_a_symlinked_content_folder_is_refused(basic, tmp_path):
    elsewhere = tmp_path / "drive"
    elsewhere.mkdir()
    (basic / "content").rename(elsewhere / "content")
    (basic / "content").symlink_to(elsewhere / "content", target_is_directory=True)
    before = digest(elsewhere)
    for flags in ((), ("--clean",)):
        result = run_cli("--source", basic, "--output", elsewhere, *flags)
        assert result.code == 1
        assert result.err == (
            f"error: output folder '{elsewhere}' contains content/; choose another folder\n"
        )
    assert digest(elsewhere) == before


def test_serve_follows_the_same_rules_for_its_output(basic, tmp_path):
    www = tmp_path / "www"
    www.mkdir()
    (www / "notes.txt").write_text("mine\n")
    result = run_cli("serve", "--source", basic, "--output", www, "--port", "0")
    assert result.code == 1
    assert result.err.startswith(f"error: output folder '{www}' holds files this tool did not")
    assert (www / "notes.txt").read_text() == "mine\n"
    result = run_cli("serve", "--source", basic, "--output", basic / "content", "--port", "0")
    assert (result.code, result.err.split(";")[0]) == (
        1,
        f"error: output folder '{basic / 'content'}' contains content/",
    )


# -- interrupted and concurrent builds ------------------------------------------------------


# A signal sent from outside lands wherever the build happens to be, and a small site is
# written in a blink: the build below sends the signal to itself from inside the write, a
# real signal through the real handlers, at a point the test knows.
SIGNAL_WHILE_WRITING = """
import os, sys
from dossierpress import cli, output

write_file = output._write_file

def write_then_signal(dest, content):
    write_file(dest, content)
    if dest.name == "index.html" and dest.parent.name == "second-meeting":
        os.kill(os.getpid(), {signum})

output._write_file = write_then_signal
sys.exit(cli.main(sys.argv[1:]))
"""


def build_signalled_while_writing(
    source: Path, signum: int
) -> tuple[Path, dict[str, str], subprocess.CompletedProcess[str]]:
    """Build once, edit, then build again with ``signum`` arriving once the edited page is
    written into the staging folder, before anything in the output has changed; returned
    with the output folder's digest from before."""
    out = source / "site"
    assert run_cli("--source", source, "-q").code == 0
    before = digest(out)
    change_the_article(source)
    code = SIGNAL_WHILE_WRITING.format(signum=int(signum))
    process = subprocess.run(
        [sys.executable, "-c", code, "-q", "--source", str(source)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    return out, before, process


def test_a_build_killed_while_writing_leaves_the_previous_site_and_no_debris(basic):
    out, before, process = build_signalled_while_writing(basic, signal.SIGKILL)
    assert process.returncode == -signal.SIGKILL
    assert staging_debris(out) != []  # SIGKILL leaves no time to clean up
    left = {rel: h for rel, h in digest(out).items() if not rel.startswith((STAGING_PREFIX, LOCK))}
    assert left == before
    result = run_cli("--source", basic, "-q")
    assert (result.code, result.err) == (0, "")
    assert staging_debris(out) == [] and not (out / LOCK).exists()
    assert b"Details, revised." in (out / "2024/06/second-meeting/index.html").read_bytes()


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_and_sigterm_say_the_site_is_unchanged_and_exit_128_plus_n(basic, signum, status):
    out, before, process = build_signalled_while_writing(basic, signum)
    assert (process.returncode, process.stdout, process.stderr) == (
        status,
        "",
        f"interrupted; {out}/ unchanged\n",
    )
    assert digest(out) == before
    assert staging_debris(out) == []


def test_a_second_build_waits_for_the_lock_then_says_so(basic, monkeypatch):
    out = basic / "site"
    assert run_cli("--source", basic, "-q").code == 0
    before = tree_bytes(out)
    article = basic / ARTICLE  # an edit, so the second build has something to write
    article.write_text(article.read_text().replace("Details.", "Details, again."))
    monkeypatch.setattr(output, "LOCK_WAIT_SECONDS", 0.2)
    with OutputFolder(out).locked():
        result = run_cli("--source", basic, "-q")
    assert result.code == 1
    assert result.err == f"error: output folder '{out}' is being written by another build\n"
    assert {k: v for k, v in tree_bytes(out).items() if k != LOCK} == before


def test_two_builds_at_once_into_one_folder_both_finish_cleanly(basic, tmp_path):
    reference = tmp_path / "reference"
    assert run_cli("--source", basic, "--output", reference, "-q").code == 0
    out = tmp_path / "shared"
    processes = [build_process(basic, out, "-q") for _ in range(3)]
    results = [(*p.communicate(timeout=120), p.returncode) for p in processes]
    assert results == [("", "", 0)] * 3
    assert tree_bytes(out) == tree_bytes(reference)
    assert sorted(os.listdir(out)) == sorted(os.listdir(reference))
    assert MANIFEST in os.listdir(out)
