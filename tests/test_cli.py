"""The command line as an editor uses it: output, exit codes, themes, language, drafts."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from dossierpress.theme.templates import default_layouts_dir

from .support.cli import run_cli
from .support.files import REPO, tree_bytes, write_files

SUMMIT = "content/articles/2024/summit.md"
SITE = {
    SUMMIT: (
        "---\ntitle: The summit\ndate: 2024-06-19\ntopics: [sanctions]\ntags: [Aurus]\n---\n\n"
        "The leaders met; see [[Sanctions]].\n"
    ),
    "content/articles/2024/unfinished.md": (
        "---\ntitle: Unfinished\ndate: 2024-06-21\ndraft: true\n---\n\nNot ready.\n"
    ),
    "content/topics/sanctions.md": "---\ntitle: Sanctions\n---\n\nWhat was imposed, and why.\n",
}
HTML_PAGES = 9
"""home, archive, topic index, tag index, 404, search, the article, its topic and its tag."""
PAGES = HTML_PAGES + 7
"""And the feeds of the site, the topic and the tag, humans.txt, the two sitemaps and
robots.txt."""
STATIC = len(list((default_layouts_dir() / "static").iterdir()))
SUMMARY = re.compile(r"Built (\d+) pages and copied (\d+) files into (.+) in \d+\.\d\d s\n")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    source = tmp_path / "project"
    write_files(source, SITE)
    return source


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")


def html_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


# -- commands and what they print -----------------------------------------------------------


def test_without_a_command_it_builds(project, tmp_path):
    implicit, explicit = tmp_path / "implicit", tmp_path / "explicit"
    assert run_cli("--source", project, "--output", implicit, "-q").code == 0
    assert run_cli("build", "--source", project, "--output", explicit, "-q").code == 0
    assert (implicit / "2024/06/summit/index.html").is_file()
    assert tree_bytes(implicit) == tree_bytes(explicit)


def test_output_defaults_to_site_inside_the_source(project):
    assert run_cli("--source", project, "-q").code == 0
    assert (project / "site/index.html").is_file()


def test_summary_line_counts_pages_and_copied_files(project, tmp_path):
    out = tmp_path / "out"
    result = run_cli("--source", project, "--output", out)
    assert result.code == 0 and result.err == ""
    match = SUMMARY.fullmatch(result.out)
    assert match, result.out
    assert int(match[1]) == PAGES and len(html_files(out)) == HTML_PAGES
    assert int(match[2]) == STATIC
    assert match[3] == str(out)


def test_summary_names_a_relative_output_folder_as_given(project, monkeypatch):
    monkeypatch.chdir(project.parent)
    result = run_cli("--source", "project")
    match = SUMMARY.fullmatch(result.out)
    assert match, result.out
    assert match[3] == str(Path("project/site"))


def test_quiet_prints_nothing_on_success(project):
    result = run_cli("--source", project, "--quiet")
    assert (result.code, result.out, result.err) == (0, "", "")


def test_verbose_prints_the_time_of_every_stage(project):
    result = run_cli("--source", project, "--verbose")
    assert result.code == 0
    lines = result.out.splitlines()
    assert SUMMARY.fullmatch(lines[0] + "\n")
    assert re.fullmatch(
        rf"  {PAGES} pages rendered, 0 reused; \d+ files written, 0 unchanged, 0 removed",
        lines[1],
    )
    stages = [re.fullmatch(r"  (\w+) +\d+\.\d ms", line) for line in lines[2:]]
    assert all(stages), lines
    assert [m[1] for m in stages if m] == [
        "check", "settings", "theme", "sources", "parse", "pictures", "resolve", "plan", "render",
        "search", "write",
    ]  # fmt: skip


def test_content_errors_go_to_stderr_with_a_count_and_exit_1(project):
    write_files(
        project,
        {
            "content/articles/2024/a.md": "---\ndate: 2024-06-01\n---\nx\n",
            "content/articles/2024/b.md": (
                "---\ntitle: B\ndate: 2024-06-01\ntopics: [sanction]\n---\n"
            ),
        },
    )
    result = run_cli("--source", project)
    assert result.code == 1
    assert result.out == ""
    lines = result.err.splitlines()
    assert lines[0].startswith("content/articles/2024/a.md:1: error: ")
    assert lines[1] == (
        "content/articles/2024/b.md:4: error: unknown topic 'sanction' (did you mean 'sanctions'?)"
    )
    assert lines[2:] == ["build failed: 2 errors"]
    assert not (project / "site").exists()


def test_a_single_error_is_counted_in_the_singular(project):
    write_files(project, {"content/articles/2024/a.md": "---\ndate: 2024-06-01\n---\nx\n"})
    result = run_cli("--source", project, "--quiet")
    assert result.code == 1
    assert result.err.splitlines()[-1] == "build failed: 1 error"


def test_a_source_without_content_exits_2(tmp_path):
    result = run_cli("--source", tmp_path)
    assert result.code == 2
    assert result.err.startswith("error: no content/ folder in ")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where", ["parent", "source", "content", "layouts"])
def test_an_output_folder_that_would_replace_the_editors_files_exits_1(project, where):
    (project / "layouts").mkdir()
    output = {
        "parent": project.parent,
        "source": project,
        "content": project / "content" / "site",
        "layouts": project / "layouts",
    }[where]
    result = run_cli("--source", project, "--output", output)
    assert result.code == 1
    assert result.err.startswith("error: output folder ")
    assert (project / SUMMIT).is_file()
    assert not (project / "content" / "site").exists()


# -- entry points ---------------------------------------------------------------------------


def test_build_py_help_works_from_any_folder(tmp_path):
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(REPO / "build.py"), *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )

    top = run("--help")
    assert top.returncode == 0, top.stderr
    assert top.stdout.startswith("usage: dossier")
    assert "build" in top.stdout
    build = run("build", "--help")
    assert build.returncode == 0, build.stderr
    for option in ("--source", "--output", "--drafts", "--quiet", "--verbose"):
        assert option in build.stdout


@pytest.mark.skipif(shutil.which("dossier") is None, reason="package not installed")
@pytest.mark.smoke
def test_the_dossier_console_script_builds(project):
    result = subprocess.run(
        ["dossier", "--source", str(project), "--quiet"], capture_output=True, text=True
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert (project / "site/2024/06/summit/index.html").is_file()


# -- themes ---------------------------------------------------------------------------------


def test_a_project_without_layouts_uses_the_default_theme(project):
    assert not (project / "layouts").exists()
    assert run_cli("--source", project, "-q").code == 0
    default = default_layouts_dir() / "static" / "style.css"
    assert (project / "site/static/style.css").read_bytes() == default.read_bytes()
    page = soup_of(project / "site/2024/06/summit/index.html")
    assert page.find("link", rel="stylesheet")["href"] == "/static/style.css"
    assert page.find("article", class_="article").h1.get_text() == "The summit"


def test_a_project_template_overrides_only_that_template(project):
    write_files(
        project,
        {
            "layouts/article.html": (
                '{% extends "base.html" %}\n{% block main %}\n'
                '<h1 class="own">Own: {{ page.title }}</h1>\n{% endblock %}\n'
            )
        },
    )
    assert run_cli("--source", project, "-q").code == 0
    article = soup_of(project / "site/2024/06/summit/index.html")
    assert article.find("h1", class_="own").get_text() == "Own: The summit"
    assert article.find("nav", class_="site-nav") is not None  # base.html still the default's
    topic = soup_of(project / "site/topics/sanctions/index.html")
    assert topic.find(class_="own") is None
    assert topic.find("article", class_="topic") is not None


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (
            '{% extends "base.html" %}\n{% block main %}\n{{ page.no_such_field }}\n'
            "{% endblock %}\n",
            "layouts/article.html:3: error: ",
        ),
        (
            '{% extends "base.html" %}\n{% block main %}\n{% endblok %}\n',
            "layouts/article.html:3: error: template syntax error",
        ),
    ],
    ids=["undefined", "syntax"],
)
def test_an_error_in_a_project_template_names_its_file_and_line(project, template, expected):
    assert run_cli("--source", project, "-q").code == 0
    before = tree_bytes(project / "site")
    write_files(project, {"layouts/article.html": template})
    result = run_cli("--source", project)
    assert result.code == 1
    assert result.err.startswith(expected), result.err
    assert "Traceback" not in result.err
    assert tree_bytes(project / "site") == before


# -- language and drafts --------------------------------------------------------------------


def test_an_indonesian_site_is_indonesian_on_every_page(project):
    write_files(project, {"site.yaml": "title: Berkas\nlanguage: id\n"})
    assert run_cli("--source", project, "-q").code == 0
    site = project / "site"
    for page in html_files(site):
        soup = soup_of(page)
        assert soup.html["lang"] == "id", page
        nav = soup.find("nav", class_="site-nav").get_text(" ", strip=True)
        assert nav.split() == ["Topik", "Tag", "Arsip"], page
    article = " ".join(soup_of(site / "2024/06/summit/index.html").get_text(" ").split())
    assert "Terbit 19 Juni 2024" in article
    assert "June" not in article
    topic = " ".join(soup_of(site / "topics/sanctions/index.html").get_text(" ").split())
    assert "Juni 2024" in topic


def test_drafts_are_left_out_unless_asked_for(project, tmp_path):
    plain, drafts = tmp_path / "plain", tmp_path / "drafts"
    assert run_cli("--source", project, "--output", plain, "-q").code == 0
    assert not (plain / "2024/06/unfinished").exists()
    assert run_cli("--source", project, "--output", drafts, "--drafts", "-q").code == 0
    draft = soup_of(drafts / "2024/06/unfinished/index.html")
    assert draft.find(class_="draft-marker") is not None
    assert len(html_files(drafts)) == len(html_files(plain)) + 1


@pytest.mark.parametrize("command", [[], ["check"]])
def test_a_build_loads_no_other_commands_libraries(tmp_path, command):
    """Start-up is most of a build that finds nothing changed: a build (or a check, on
    every commit) must not import the live preview (watchdog, the server), the importer
    (trafilatura, lxml) or the link check's HTTP client (httpx)."""
    write_files(tmp_path, {"content/articles/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\n\nA.\n"})
    probe = (
        "import runpy, sys\n"
        f"sys.argv = ['build.py', *{command!r}, '--source', {str(tmp_path)!r}, '-q']\n"
        "try:\n"
        f"    runpy.run_path({str(REPO / 'build.py')!r}, run_name='__main__')\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in "
        "('watchdog', 'trafilatura', 'lxml', 'httpx') or m.startswith('dossierpress.preview')]\n"
        "print(loaded)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout.strip()) == (0, "[]"), done.stderr
    assert (tmp_path / "site/index.html").is_file() == (command == [])
