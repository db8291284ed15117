"""``dossier init DIR``: a new dossier repository, ready to build, check and publish.

It writes the settings, one topic and one article (which explain how to write the next
ones, so nothing in them passes for news), the files git and pre-commit read, and a
GitHub Actions workflow that checks, builds and publishes the site to GitHub Pages with
the official ``upload-pages-artifact`` and ``deploy-pages`` actions. A folder that holds
anything already is refused: nothing of an editor's is overwritten or mixed in.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from dossierpress.commands import Command, UsageError, add_noise
from dossierpress.config import base_url_problem, normalise_language
from dossierpress.console import get_logger
from dossierpress.content.writer import Entry, document, scalar, write_new
from dossierpress.installation import installed_requirement
from dossierpress.output import describe

log = get_logger("init")

DESCRIPTION = """\
Create a new dossier repository in DIR (which must be empty or not exist yet).

examples:
  python build.py init my-dossier --title "Russia–North Korea" --base-url https://example.github.io/my-dossier/
  python build.py init berkas --language id --timezone Asia/Jakarta
  python build.py --source my-dossier          # build it at once
"""

GITIGNORE = """\
# The built site and the build's cache: both are made again from content/.
/site/
.dossier-cache/
"""

PRE_COMMIT = """\
# Checks the dossier before every commit (pip install pre-commit && pre-commit install).
# Uses the dossier command of the environment you commit from (requirements.txt).
repos:
  - repo: local
    hooks:
      - id: dossier-check
        name: dossier check
        entry: dossier check
        language: system
        pass_filenames: false
        files: ^(content/|layouts/|site\\.yaml$)
"""

WORKFLOW = """\
# Checks and builds the dossier on every push and pull request, and publishes main to
# GitHub Pages. In the repository's Settings → Pages, set "Source" to "GitHub Actions".
# Once a week (and when run by hand) it also checks every link the articles cite: sources
# die or move long after they were checked by an editor.
name: dossier

on:
  push:
    branches: [main]
  pull_request:
  workflow_dispatch:
  schedule:
    - cron: "23 4 * * 1"  # Mondays 04:23 UTC

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    if: github.event_name != 'schedule'
    runs-on: ubuntu-latest
    env:
      # Signs the build cache, so a run trusts only what runs of this repository made.
      # Add a long random secret DOSSIER_CACHE_KEY under Settings → Secrets and variables
      # → Actions: then each run starts from the last one's cache and site, and a push
      # that changes one article costs what that article changes. Without it, every run
      # builds from nothing.
      DOSSIER_CACHE_KEY: ${{ secrets.DOSSIER_CACHE_KEY }}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: python -m pip install -r requirements.txt
      - name: Restore the last build
        if: env.DOSSIER_CACHE_KEY != ''
        uses: actions/cache@v4
        with:
          path: |
            .dossier-cache
            site
          key: dossier-${{ hashFiles('requirements.txt') }}-${{ github.sha }}
          restore-keys: dossier-${{ hashFiles('requirements.txt') }}-
      - name: Check
        run: dossier check --format github
      - name: Build
        run: dossier build
      - uses: actions/upload-pages-artifact@v3
        with:
          path: site

  deploy:
    if: github.event_name != 'pull_request' && github.ref == 'refs/heads/main'
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4

  links:
    if: github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: python -m pip install -r requirements.txt
      - name: Restore the last link check
        # What each link answered last time, so a week's run asks again only what is due
        # (a cache entry cannot be overwritten: each run saves its own, the newest is read).
        uses: actions/cache@v4
        with:
          path: .dossier-cache
          key: dossier-links-${{ github.run_id }}
          restore-keys: dossier-links-
      - name: Check links
        run: dossier check --links --format github
"""

TEXTS = {
    "en": {
        "topic": "Example dossier",
        "topic_summary": "A topic page: the introduction, the key facts and every article on it.",
        "topic_body": (
            "This is a topic's introduction, written in Markdown in"
            " `content/topics/example-dossier.md`. Describe what the dossier follows and"
            " link its essential articles with wiki links such as"
            " [[how-to-write-an-article]]. Rename or delete this file when you start your"
            ' own dossier (`python build.py new topic "Title"`).'
        ),
        "fact": "**One** example article so far",
        "article": "How to write an article",
        "article_summary": "What an article file holds, and the commands that help.",
        "article_body": (
            "Every article is a Markdown file under `content/articles/` with front matter"
            " between two `---` lines: a title, a date, its topics and tags, its sources.\n\n"
            'Start the next one with `python build.py new article "Headline" --topic'
            ' "Example dossier"`, or turn a report you copied into a draft with'
            " `python build.py import report.txt`. Write with the live preview open"
            " (`python build.py serve`), and run `python build.py check` before you commit.\n\n"
            "Delete this file once the dossier has articles of its own."
        ),
    },
    "id": {
        "topic": "Contoh liputan khusus",
        "topic_summary": "Halaman topik: pengantar, fakta kunci, dan semua artikelnya.",
        "topic_body": (
            "Ini pengantar sebuah topik, ditulis dalam Markdown di"
            " `content/topics/contoh-liputan-khusus.md`. Jelaskan apa yang diikuti liputan"
            " ini dan tautkan artikel pentingnya dengan tautan wiki seperti"
            " [[cara-menulis-artikel]]. Ganti nama atau hapus berkas ini saat Anda memulai"
            ' liputan sendiri (`python build.py new topic "Judul"`).'
        ),
        "fact": "**Satu** contoh artikel sejauh ini",
        "article": "Cara menulis artikel",
        "article_summary": "Isi sebuah berkas artikel, dan perintah yang membantu.",
        "article_body": (
            "Setiap artikel adalah berkas Markdown di `content/articles/` dengan front matter"
            " di antara dua baris `---`: judul, tanggal, topik dan tag, serta sumbernya.\n\n"
            'Mulai artikel berikutnya dengan `python build.py new article "Judul" --topic'
            ' "Contoh liputan khusus"`, atau ubah laporan yang Anda salin menjadi draf dengan'
            " `python build.py import laporan.txt`. Menulislah sambil membuka pratinjau"
            " langsung (`python build.py serve`), dan jalankan `python build.py check`"
            " sebelum commit.\n\n"
            "Hapus berkas ini setelah liputan memiliki artikelnya sendiri."
        ),
    },
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTION
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("dir", type=Path, help="the folder to create (empty or new)")
    parser.add_argument("--title", default="Dossier", help="the site's title (default: Dossier)")
    parser.add_argument(
        "--language", default="en", help="the site's language, BCP 47 (default: en; e.g. id)"
    )
    parser.add_argument(
        "--base-url",
        default="http://localhost:8000/",
        help="where the site will be published, e.g. https://you.github.io/repo/",
    )
    parser.add_argument(
        "--timezone",
        default="UTC",
        help="IANA timezone for dates (default: UTC; e.g. Asia/Jakarta)",
    )
    add_noise(parser)


def run(args: argparse.Namespace) -> int:
    problem = settings_problem(args)
    if problem:
        raise UsageError(problem)
    target: Path = args.dir
    if target.is_symlink() and not target.exists():
        log.error(f"error: {describe(target)} is a link to nothing; init makes a new folder")
        return 1
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        log.error(f"error: {describe(target)} is not an empty folder; init makes a new one")
        return 1
    language = normalise_language(args.language) or "en"
    requirement = installed_requirement()
    files = repository_files(args.title, language, args.base_url, args.timezone)
    files["requirements.txt"] = requirement.text
    try:
        target.mkdir(parents=True, exist_ok=True)
        for rel, text in files.items():
            write_new(target / rel, text)
    except OSError as exc:
        log.error(f"error: cannot write into {describe(target)}: {exc.strerror or exc}")
        return 1
    if requirement.problem:
        log.warning(f"{describe(target / 'requirements.txt')}:1: warning: {requirement.problem}")
    if not args.quiet:
        print(f"Created a dossier in {describe(target)}:")
        for rel in files:
            print(f"  {rel}")
        print(f"Build it with: python build.py --source {describe(target)}")
    return 0


def settings_problem(args: argparse.Namespace) -> str | None:
    if normalise_language(args.language) is None:
        return f"--language: unknown language '{args.language}' (a BCP 47 code such as en or id)"
    problem = base_url_problem(args.base_url)
    if problem:
        return f"--base-url: {problem}"
    try:
        ZoneInfo(args.timezone)
    except (ValueError, KeyError, OSError):
        return f"--timezone: unknown timezone '{args.timezone}' (e.g. Asia/Jakarta)"
    if not args.title.strip():
        return "--title: empty"
    return None


def repository_files(title: str, language: str, base_url: str, zone: str) -> dict[str, str]:
    """Every file of a new dossier repository, by path, but for ``requirements.txt``
    (which depends on how this Dossier was installed, not on the arguments)."""
    texts = TEXTS.get(language.split("-")[0], TEXTS["en"])
    today = datetime.now(ZoneInfo(zone)).date()
    topic_slug = "example-dossier" if texts is TEXTS["en"] else "contoh-liputan-khusus"
    article_slug = "how-to-write-an-article" if texts is TEXTS["en"] else "cara-menulis-artikel"
    topic = document(
        [
            Entry("title", texts["topic"]),
            Entry("summary", texts["topic_summary"]),
            Entry("key_facts", [texts["fact"]]),
            Entry("pinned", [article_slug]),
        ],
        texts["topic_body"],
    )
    article = document(
        [
            Entry("title", texts["article"]),
            Entry("date", today),
            Entry("summary", texts["article_summary"]),
            Entry("topics", [topic_slug]),
            Entry("tags", []),
            Entry("sources", []),
        ],
        texts["article_body"],
    )
    settings = "\n".join(
        f"{key}: {scalar(value)}"
        for key, value in (
            ("title", title.strip()),
            ("base_url", base_url),
            ("language", language),
            ("timezone", zone),
        )
    )
    return {
        "site.yaml": settings + "\n",
        f"content/topics/{topic_slug}.md": topic,
        f"content/articles/{today:%Y}/{today:%m}/{article_slug}.md": article,
        ".gitignore": GITIGNORE,
        ".pre-commit-config.yaml": PRE_COMMIT,
        ".github/workflows/dossier.yml": WORKFLOW,
    }


COMMAND = Command("init", "create a new dossier repository", add_arguments, run)
