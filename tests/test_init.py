"""``dossier init``: a new repository that builds at once, with its git, pre-commit and
GitHub Pages files; an existing folder's files are never touched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from dossierpress.config import load_config

from .support.cli import run_cli
from .support.requirements import installable_lines

FILES = {
    "site.yaml",
    "content/topics/example-dossier.md",
    ".gitignore",
    ".pre-commit-config.yaml",
    ".github/workflows/dossier.yml",
    "requirements.txt",
}


def files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_a_new_repository_has_its_settings_content_and_tooling(tmp_path):
    target = tmp_path / "my-dossier"
    result = run_cli(
        "init", target,
        "--title", "Russia–North Korea & more",
        "--base-url", "https://example.github.io/my-dossier/",
        "--timezone", "Asia/Jakarta",
    )  # fmt: skip
    assert result.code == 0
    # An editable checkout's only warning is the one about requirements.txt (below).
    assert [line for line in result.err.splitlines() if "requirements.txt" not in line] == []
    made = files_under(target)
    assert made >= FILES
    (article,) = [f for f in made if f.startswith("content/articles/")]
    assert article.endswith("/how-to-write-an-article.md")
    config, problems = load_config(target)
    assert problems == []
    assert config.title == "Russia–North Korea & more"
    assert config.base_url == "https://example.github.io/my-dossier/"
    assert (config.language, config.timezone) == ("en", "Asia/Jakarta")
    assert (target / ".gitignore").read_text("utf-8").splitlines()[1:] == [
        "/site/",
        ".dossier-cache/",
    ]


@pytest.mark.smoke
def test_it_builds_at_once_and_its_pages_link_up(tmp_path):
    target = tmp_path / "d"
    assert run_cli("init", target, "-q").code == 0
    built = run_cli("--source", target, "--no-search", "-q")
    assert (built.code, built.err) == (0, "")
    topic = BeautifulSoup(
        (target / "site/topics/example-dossier/index.html").read_text("utf-8"), "html5lib"
    )
    assert topic.h1.get_text() == "Example dossier"
    assert topic.find("a", href="/" + "/".join(_article_url(target)))


def _article_url(target: Path) -> list[str]:
    (path,) = (target / "content/articles").rglob("*.md")
    year, month = path.parent.parent.name, path.parent.name
    return [year, month, path.stem, ""]


def test_an_indonesian_repository_speaks_indonesian(tmp_path):
    target = tmp_path / "berkas"
    assert run_cli("init", target, "--language", "id", "-q").code == 0
    assert (target / "content/topics/contoh-liputan-khusus.md").is_file()
    assert run_cli("--source", target, "--no-search", "-q").code == 0
    page = BeautifulSoup((target / "site/index.html").read_text("utf-8"), "html5lib")
    assert page.html["lang"] == "id"


def test_the_workflow_checks_builds_and_deploys_with_the_official_pages_actions(tmp_path):
    assert run_cli("init", tmp_path / "d", "-q").code == 0
    workflow = yaml.safe_load((tmp_path / "d/.github/workflows/dossier.yml").read_text("utf-8"))
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    uses = [step.get("uses", "") for step in build["steps"]]
    runs = [step.get("run", "") for step in build["steps"]]
    assert "actions/upload-pages-artifact@v3" in uses
    assert any(u.startswith("actions/checkout@") for u in uses)
    assert "python -m pip install -r requirements.txt" in runs
    assert "dossier check --format github" in runs
    assert any(r.startswith("dossier build") for r in runs)
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages"))
    assert upload["with"]["path"] == "site"
    assert [s["uses"] for s in deploy["steps"]] == ["actions/deploy-pages@v4"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


def test_the_workflow_builds_warm_from_the_last_runs_cache_and_site(tmp_path):
    assert run_cli("init", tmp_path / "d", "-q").code == 0
    workflow = yaml.safe_load((tmp_path / "d/.github/workflows/dossier.yml").read_text("utf-8"))
    build = workflow["jobs"]["build"]
    assert build["env"] == {"DOSSIER_CACHE_KEY": "${{ secrets.DOSSIER_CACHE_KEY }}"}
    names = [step.get("name") or step.get("uses") for step in build["steps"]]
    restore = build["steps"][names.index("Restore the last build")]
    assert names.index("Restore the last build") < names.index("Check") < names.index("Build")
    assert restore["uses"].startswith("actions/cache@")
    assert restore["if"] == "env.DOSSIER_CACHE_KEY != ''"  # no key: no cache to trust
    assert restore["with"]["path"].split() == [".dossier-cache", "site"]
    key, restore_keys = restore["with"]["key"], restore["with"]["restore-keys"]
    assert key.endswith("${{ github.sha }}") and key.startswith(restore_keys)
    build_step = build["steps"][names.index("Build")]
    assert build_step["run"] == "dossier build"


def test_requirements_never_name_a_dossier_pip_cannot_install(tmp_path):
    # The suite runs from an editable checkout: pip on a site's CI could not repeat that.
    result = run_cli("init", tmp_path / "d", "-q")
    assert result.code == 0
    text = (tmp_path / "d/requirements.txt").read_text("utf-8")
    assert installable_lines(text) == []
    assert "an editable install from file://" in text
    assert result.err == (
        f"{tmp_path}/d/requirements.txt:1: warning: requirements.txt names no Dossier yet: "
        "this one is a local install (see the comment in the file before the site's CI runs)\n"
    )


def test_a_link_to_nothing_is_refused_and_left_as_it_is(tmp_path):
    (tmp_path / "d").symlink_to(tmp_path / "gone")
    result = run_cli("init", tmp_path / "d")
    assert result.code == 1
    assert result.err == f"error: {tmp_path}/d is a link to nothing; init makes a new folder\n"
    assert (tmp_path / "d").is_symlink() and not (tmp_path / "gone").exists()


def test_the_pre_commit_hook_runs_check_on_content_changes(tmp_path):
    assert run_cli("init", tmp_path / "d", "-q").code == 0
    config = yaml.safe_load((tmp_path / "d/.pre-commit-config.yaml").read_text("utf-8"))
    (hook,) = config["repos"][0]["hooks"]
    assert hook["id"] == "dossier-check" and hook["entry"] == "dossier check"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    assert files.search("content/articles/a.md") and files.search("site.yaml")
    assert not files.search("README.md")


@pytest.mark.parametrize("existing", ["notes.txt", ".git/HEAD"])
def test_a_folder_with_anything_in_it_is_refused_and_left_alone(tmp_path, existing):
    (tmp_path / existing).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / existing).write_text("mine\n", encoding="utf-8")
    result = run_cli("init", tmp_path)
    assert result.code == 1
    assert "is not an empty folder" in result.err
    assert files_under(tmp_path) == {existing}


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--language", "klingon-xx-yy", "--language: unknown language"),
        ("--base-url", "ftp://example.org/", "--base-url:"),
        ("--timezone", "Mars/Olympus", "--timezone: unknown timezone"),
    ],
)
def test_bad_settings_are_refused_before_anything_is_written(tmp_path, option, value, message):
    result = run_cli("init", tmp_path / "d", option, value)
    assert result.code == 2
    assert message in result.err
    assert not (tmp_path / "d").exists()


def test_a_weekly_job_checks_the_cited_links_and_keeps_what_it_learnt(tmp_path):
    assert run_cli("init", tmp_path / "d", "-q").code == 0
    workflow = yaml.safe_load((tmp_path / "d/.github/workflows/dossier.yml").read_text("utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    (schedule,) = triggers["schedule"]
    _minute, _hour, day, month, weekday = schedule["cron"].split()
    assert (day, month) == ("*", "*") and weekday.isdigit()  # once a week
    assert "workflow_dispatch" in triggers
    links = workflow["jobs"]["links"]
    assert links["if"] == (
        "github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'"
    )
    assert links["permissions"] == {"contents": "read"}
    runs = [step.get("run", "") for step in links["steps"]]
    assert "python -m pip install -r requirements.txt" in runs
    assert runs[-1] == "dossier check --links --format github"
    (cache,) = [s for s in links["steps"] if s.get("uses", "").startswith("actions/cache@")]
    assert cache["with"]["path"] == ".dossier-cache"
    assert cache["with"]["key"].startswith(cache["with"]["restore-keys"])
    assert cache["with"]["key"] != cache["with"]["restore-keys"]  # each run saves anew
    assert links["steps"].index(cache) < runs.index("dossier check --links --format github")


def test_the_weekly_run_neither_builds_nor_publishes(tmp_path):
    assert run_cli("init", tmp_path / "d", "-q").code == 0
    workflow = yaml.safe_load((tmp_path / "d/.github/workflows/dossier.yml").read_text("utf-8"))
    assert workflow["jobs"]["build"]["if"] == "github.event_name != 'schedule'"
    assert workflow["jobs"]["deploy"]["needs"] == "build"  # skipped with it
