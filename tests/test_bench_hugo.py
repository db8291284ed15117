"""The Hugo version of a benchmark corpus (``bench/hugo.py``) is the same site in Hugo's form.

``bench/run.py`` quotes Dossier's build times as ratios to Hugo building the converted
corpus; a conversion that lost pages, put them elsewhere or left Hugo failing would make
those ratios meaningless (a build that stops at an error is fast).
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml

from dossierpress.content.slugs import tag_key
from dossierpress.engine.build import BuildRequest, Engine

from .support.corpus import load_bench, load_generator

ARTICLES = 30
NEEDED = {"title", "date", "slug", "tags", "topics", "related"}
"""What the Hugo layouts read (bench/hugo-site/)."""

generate_corpus = load_generator().generate_corpus
hugo = load_bench("hugo")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    generate_corpus(root, ARTICLES, seed=1)
    return root


@pytest.fixture(scope="module")
def converted(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("hugo")
    assert hugo.convert(corpus, out) == ARTICLES
    return out


def read_page(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    matter, _, body = text[4:].partition("\n---\n")
    return yaml.safe_load(matter), body


def articles(out: Path) -> dict[Path, tuple[dict, str]]:
    return {p: read_page(p) for p in sorted((out / "content" / "articles").rglob("*.md"))}


def test_articles_have_the_front_matter_hugo_needs(converted):
    topics = {p.name for p in (converted / "content" / "topics").iterdir()}
    pages = articles(converted)

    assert len(pages) == ARTICLES
    for path, (front, body) in pages.items():
        assert front.keys() >= NEEDED, path
        date = datetime.fromisoformat(front["date"])
        assert date.utcoffset() == timedelta(hours=7)  # the corpus's Asia/Jakarta
        assert front["url"] == f"/{date:%Y}/{date:%m}/{front['slug']}/"
        assert front["topics"] and set(front["topics"]) <= topics
        assert front["tags"]
        for link in front["related"]:
            assert set(link) == {"title", "url"} and link["title"], path
            assert link["url"].startswith(("/", "https://")), path
        assert "[[" not in body, path
    assert any(f"](/{year}/" in body for year in range(2019, 2025) for _, body in pages.values())


def test_every_topic_has_its_introduction(corpus, converted):
    for source in (corpus / "content" / "topics").glob("*.md"):
        front, body = read_page(converted / "content" / "topics" / source.stem / "_index.md")
        assert front == {"title": read_page(source)[0]["title"]}
        assert body.strip() and "[[" not in body


def test_pages_are_where_dossier_puts_them(corpus, converted):
    site = Engine(BuildRequest(source=corpus)).build()
    ours = {o.removesuffix("index.html") for o in site.pages if o.endswith("/index.html")}
    pages = articles(converted).values()

    for front, _body in pages:
        assert front["url"].lstrip("/") in ours
        for alias in front.get("aliases", ()):
            assert alias.lstrip("/") in ours
    assert {tag_key(t) for front, _ in pages for t in front["tags"]} == set(site.graph.tags)
    assert {t for front, _ in pages for t in front["topics"]} <= set(site.graph.topics)


def test_refuses_a_folder_it_did_not_make(corpus, tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")

    with pytest.raises(FileExistsError):
        hugo.convert(corpus, tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.skipif(shutil.which("hugo") is None, reason="no hugo on PATH (apt-get install hugo)")
def test_hugo_builds_it_without_errors(converted, tmp_path):
    site = tmp_path / "site"
    command = ["hugo", "--source", str(converted), "--destination", str(site)]
    done = subprocess.run(
        [*command, "--quiet", "--cacheDir", str(tmp_path / "cache")],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0 and not done.stderr.strip(), done.stderr
    for front, _body in articles(converted).values():
        assert (site / front["url"].strip("/") / "index.html").is_file()
    assert (site / "index.html").is_file() and (site / "tags" / "index.html").is_file()
