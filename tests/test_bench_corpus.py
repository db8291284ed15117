"""The benchmark corpus builds cleanly, so benchmarks keep measuring a valid site.

When the content format changes, a corpus the generator no longer understands would make
every benchmark figure meaningless (a build that stops at the first validation error is
fast); this catches that early, on a corpus small enough to build in a second.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dossierpress.engine.build import BuildRequest, Engine

from .support.corpus import load_generator
from .support.files import tree_bytes

ARTICLES = 30


generate_corpus = load_generator().generate_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    generate_corpus(root, ARTICLES, seed=1)
    return root


@pytest.fixture(scope="module")
def site(corpus):
    return Engine(BuildRequest(source=corpus)).build()


def test_generated_corpus_builds_without_errors(site):
    assert len(site.graph.articles) == ARTICLES
    assert len(site.graph.topics) == 5
    outputs = set(site.pages)
    for path, article in site.graph.articles.items():
        local = article.date.astimezone(site.config.zone)
        assert f"{local:%Y/%m}/{article.slug}/index.html" in outputs, path


def test_generated_corpus_uses_the_whole_content_format(site):
    graph = site.graph
    articles = graph.articles.values()

    assert any(a.lang == "id" for a in articles)
    assert any(a.updated is not None for a in articles)
    assert any(a.aliases for a in articles)
    assert any(c.target for cites in graph.related.values() for c in cites)
    assert any(c.archive for cites in graph.related.values() for c in cites)
    assert any(graph.wikilinks[path] for path in graph.articles)
    assert any(graph.pinned.values())
    assert any(t.aliases and t.key_facts for t in graph.topics.values())
    assert len({len(members) for members in graph.topic_articles.values()}) > 1
    bodies = "\n".join(a.body for a in articles)
    for feature in ("\n## ", "\n- ", "| --- |", "[^1]: "):
        assert feature in bodies, feature


def test_same_seed_gives_the_same_corpus(tmp_path):
    generate_corpus(tmp_path / "a", 12, seed=3)
    generate_corpus(tmp_path / "b", 12, seed=3)
    generate_corpus(tmp_path / "c", 12, seed=4)

    assert tree_bytes(tmp_path / "a") == tree_bytes(tmp_path / "b")
    assert tree_bytes(tmp_path / "a") != tree_bytes(tmp_path / "c")


def test_refuses_to_mix_with_an_existing_corpus(corpus):
    with pytest.raises(FileExistsError):
        generate_corpus(corpus, 5)
