"""``dossier check``: a build that writes nothing, its problems in three formats.

What it validates is what a build does (``test_build_errors.py``) plus the warnings of
``test_lint.py``; these tests hold it to its command line: exit codes, where each line
goes, the formats, the cache, ``--strict``, scheduled articles, and the pre-commit hook.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dossierpress.commands.check import github_data, github_property

from .support.cli import run_cli
from .support.files import REPO, tree_bytes, write_files
from .support.scheduled_site import AT, BEFORE, FILES, SCHEDULED

TOPIC = "content/topics/sanctions.md"
SUMMIT = "content/articles/2024/summit.md"
LONELY = "content/articles/2024/lonely.md"
BROKEN = "content/articles/2024/broken.md"
SITE = {
    TOPIC: "---\ntitle: Sanctions\n---\n\nWho sanctions whom.\n",
    SUMMIT: "---\ntitle: The summit\ndate: 2024-06-18\ntopics: [sanctions]\n---\n\nThey met.\n",
}
LONELY_TEXT = "---\ntitle: Lonely\ndate: 2024-06-19\n---\n\nIn no dossier.\n"
LONELY_WARNING = (
    f"{LONELY}:1: warning: article is in no topic: no dossier lists it "
    "(add 'topics: [slug]' naming the dossier it belongs to)"
)
BROKEN_TEXT = "---\ntitle: Broken\ndate: 2024-06-19\ntopics: [sanction]\n---\n\nText.\n"
BROKEN_ERROR = f"{BROKEN}:4: error: unknown topic 'sanction' (did you mean 'sanctions'?)"


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    root = tmp_path / "desk"
    write_files(root, SITE)
    return root


def check(source: Path, *options: str):
    return run_cli("check", "--source", source, "--jobs", "1", *options)


# -- exit codes and where each line goes ------------------------------------------------


@pytest.mark.smoke
def test_a_clean_site_passes_and_says_so_on_stdout(desk):
    result = check(desk)
    assert (result.code, result.out, result.err) == (0, "no problems in 2 files\n", "")


def test_warnings_pass_errors_fail_with_a_count_on_stderr(desk):
    write_files(desk, {LONELY: LONELY_TEXT})
    passed = check(desk)
    assert (passed.code, passed.out) == (0, "1 warning in 3 files\n")
    assert passed.err == LONELY_WARNING + "\n"
    write_files(desk, {BROKEN: BROKEN_TEXT})
    failed = check(desk)
    assert (failed.code, failed.out) == (1, "")
    assert failed.err.splitlines() == [
        BROKEN_ERROR,
        LONELY_WARNING,
        "1 error, 1 warning in 4 files",
    ]


def test_strict_makes_a_warning_fail(desk):
    write_files(desk, {LONELY: LONELY_TEXT})
    result = check(desk, "--strict")
    assert result.code == 1
    assert result.err.splitlines() == [
        LONELY_WARNING,
        "1 warning in 3 files (--strict: warnings count as errors)",
    ]


def test_quiet_prints_only_the_problems(desk):
    quiet = check(desk, "-q")
    assert (quiet.code, quiet.out, quiet.err) == (0, "", "")
    write_files(desk, {BROKEN: BROKEN_TEXT})
    result = check(desk, "-q")
    assert result.code == 1
    assert result.err.splitlines() == [BROKEN_ERROR, "1 error in 3 files"]


def test_a_source_without_content_exits_2(tmp_path):
    result = check(tmp_path)
    assert result.code == 2
    assert result.err.startswith("error: no content/ folder in ")


def test_help_names_every_option():
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "check", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    for option in ("--source", "--strict", "--format", "--drafts", "--future", "--now"):
        assert option in result.stdout
    for option in ("--cache-dir", "--no-cache", "--jobs"):
        assert option in result.stdout


# -- what it checks, and what it writes -------------------------------------------------


def test_it_renders_every_page_so_template_errors_are_found(desk):
    write_files(
        desk,
        {
            "layouts/article.html": (
                '{% extends "base.html" %}\n{% block main %}\n{{ page.no_such.field }}\n'
                "{% endblock %}\n"
            )
        },
    )
    result = check(desk)
    assert result.code == 1
    assert result.err.startswith("layouts/article.html:3: error: ")
    assert "Traceback" not in result.err


def test_two_pages_at_one_url_are_found(desk):
    write_files(
        desk,
        {
            "content/articles/2024/copy.md": SITE[SUMMIT].replace(
                "---\n\n", "slug: summit\n---\n\n", 1
            )
        },
    )
    result = check(desk)
    assert result.code == 1
    assert "error: " in result.err and "2024/06/summit/index.html" in result.err


def test_it_writes_no_site(desk):
    assert check(desk).code == 0
    assert not (desk / "site").exists()
    assert sorted(p.name for p in desk.iterdir()) == [".dossier-cache", "content"]


def test_no_cache_leaves_no_cache_folder(desk):
    assert check(desk, "--no-cache").code == 0
    assert sorted(p.name for p in desk.iterdir()) == ["content"]


def test_a_second_check_from_the_cache_tells_the_same(desk):
    write_files(desk, {LONELY: LONELY_TEXT})
    first, second = check(desk), check(desk)
    assert (second.code, second.out, second.err) == (first.code, first.out, first.err)
    write_files(desk, {BROKEN: BROKEN_TEXT})
    third, fourth = check(desk), check(desk)
    assert third.code == fourth.code == 1
    assert third.err == fourth.err and BROKEN_ERROR in third.err


def test_a_check_never_makes_a_build_skip_its_work(desk, tmp_path):
    """A check renders pages it does not write: the build after it must still write them."""
    assert run_cli("build", "--source", desk, "--no-search", "-q").code == 0
    write_files(desk, {SUMMIT: SITE[SUMMIT].replace("They met.", "They met again.")})
    assert check(desk).code == 0
    built = run_cli("build", "--source", desk, "--no-search")
    assert "nothing changed" not in built.out
    assert "They met again." in (desk / "site/2024/06/summit/index.html").read_text("utf-8")
    cold = tmp_path / "cold"
    assert (
        run_cli("build", "--source", desk, "--no-search", "--no-cache", "--output", cold).code == 0
    )
    assert tree_bytes(desk / "site") == tree_bytes(cold)


# -- scheduled articles -----------------------------------------------------------------

SCHEDULED_NOTE = f"{SCHEDULED}:3: info: scheduled for 20 June 2024 08:00 UTC+7"


@pytest.fixture
def scheduled(tmp_path: Path) -> Path:
    root = tmp_path / "scheduled"
    write_files(root, FILES)
    return root


def test_a_scheduled_article_is_an_info_line(scheduled):
    result = check(scheduled, "--now", BEFORE)
    assert result.code == 0
    assert result.out.splitlines() == [
        f"{SCHEDULED_NOTE} (left out until a build runs at that time or later; --future shows it)",
        "no problems in 3 files",
    ]
    assert result.err == ""


def test_with_future_the_info_line_says_it_is_shown(scheduled):
    result = check(scheduled, "--now", BEFORE, "--future")
    assert result.out.splitlines()[0] == (
        f"{SCHEDULED_NOTE} (shown because of --future, marked Scheduled)"
    )


def test_at_its_time_it_is_no_longer_told(scheduled):
    check(scheduled, "--now", BEFORE)
    result = check(scheduled, "--now", AT)  # the cache's summary must not repeat the note
    assert result.out == "no problems in 3 files\n"


def test_quiet_hides_the_info_lines(scheduled):
    result = check(scheduled, "--now", BEFORE, "-q")
    assert (result.code, result.out, result.err) == (0, "", "")


# -- formats ----------------------------------------------------------------------------


def test_github_format_prints_workflow_commands_on_stdout(desk, scheduled):
    write_files(desk, {LONELY: LONELY_TEXT, BROKEN: BROKEN_TEXT})
    result = check(desk, "--format", "github")
    assert result.code == 1
    assert result.err == ""
    assert result.out.splitlines() == [
        f"::error file={BROKEN},line=4,title=dossier check%3A error::unknown topic 'sanction' "
        "(did you mean 'sanctions'?)",
        f"::warning file={LONELY},line=1,title=dossier check%3A warning::article is in no "
        "topic: no dossier lists it (add 'topics: [slug]' naming the dossier it belongs to)",
    ]
    notes = check(scheduled, "--format", "github", "--now", BEFORE).out.splitlines()
    assert notes == [
        f"::notice file={SCHEDULED},line=3,title=dossier check%3A info::scheduled for 20 June "
        "2024 08:00 UTC+7 (left out until a build runs at that time or later; --future shows it)"
    ]


def test_github_format_escapes_what_would_end_a_command(desk):
    odd = "content/articles/2024/q1,q2: review.md"
    text = (
        "---\ntitle: Review\ndate: 2024-06-19\ntopics: [sanctions]\n"
        'related:\n  - title: "100% sure\\nor not"\n---\n\nText.\n'
    )
    write_files(desk, {odd: text})
    [line] = check(desk, "--format", "github").out.splitlines()
    assert line == (
        "::warning file=content/articles/2024/q1%2Cq2%3A review.md,line=6,"
        "title=dossier check%3A warning::related headline '100%25 sure%0Aor not' is not "
        "linked (once it is online, give its 'url', or 'ref' for a page of this site)"
    )


def test_github_escaping_follows_the_runner():
    assert github_data("50% a\r\nb: c, d") == "50%25 a%0D%0Ab: c, d"
    assert github_property("50% a\r\nb: c, d") == "50%25 a%0D%0Ab%3A c%2C d"


def test_json_format_is_one_object_per_line(desk, scheduled):
    write_files(desk, {LONELY: LONELY_TEXT, BROKEN: BROKEN_TEXT})
    result = check(desk, "--format", "json", "-q")  # machine output is not noise
    assert (result.code, result.err) == (1, "")
    objects = [json.loads(line) for line in result.out.splitlines()]
    assert objects == [
        {
            "path": BROKEN,
            "line": 4,
            "column": None,
            "severity": "error",
            "message": "unknown topic 'sanction'",
            "hint": "did you mean 'sanctions'?",
        },
        {
            "path": LONELY,
            "line": 1,
            "column": None,
            "severity": "warning",
            "message": "article is in no topic: no dossier lists it",
            "hint": "add 'topics: [slug]' naming the dossier it belongs to",
        },
    ]
    [note] = [
        json.loads(line)
        for line in check(scheduled, "--format", "json", "--now", BEFORE).out.splitlines()
    ]
    assert (note["severity"], note["line"]) == ("info", 3)


# -- pre-commit ---------------------------------------------------------------------------


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def snapshot_of_this_repository(target: Path) -> Path:
    """This working tree as a repository of one commit: ``try-repo`` installs committed
    files only, and files not committed yet are part of what is tested."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=60,
    ).stdout.decode()
    for rel in filter(None, listed.split("\0")):
        source = REPO / rel
        if source.is_file() and not rel.startswith(("tests/", "bench/", "content/")):
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / rel)
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "x")
    return target


@pytest.mark.skipif(
    shutil.which("pre-commit") is None,
    reason="pre-commit is not installed (pip install -e '.[test]'); the hook test needs it "
    "and PyPI, as 'pre-commit try-repo' installs this repository into an environment of its own",
)
def test_the_pre_commit_hook_checks_a_dossier_repository(tmp_path):
    hooks = snapshot_of_this_repository(tmp_path / "dossier-tool")
    site = tmp_path / "site-repo"
    write_files(site, {**SITE, LONELY: LONELY_TEXT, BROKEN: BROKEN_TEXT})
    git(site, "init", "-q")
    git(site, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    result = subprocess.run(
        ["pre-commit", "try-repo", str(hooks), "dossier-check", "--all-files"],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=1200,
        env=env,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert BROKEN_ERROR in result.stdout
    assert LONELY_WARNING in result.stdout
    assert "1 error, 1 warning in 4 files" in result.stdout
