"""The build in memory: what each page depended on, and what ``generate`` returns."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossierpress.engine.build import BuildOptions, GeneratedSite, Timings, generate
from dossierpress.errors import BuildError

from .conftest import write_files


def story(title: str, front: str = "", body: str = "Body.\n") -> str:
    return f"---\ntitle: {title}\ndate: 2024-06-19\n{front}---\n\n{body}"


A = "content/articles/a.md"
B = "content/articles/b.md"
C = "content/articles/c.md"
ALPHA = "content/topics/alpha.md"
BETA = "content/topics/beta.md"
GAMMA = "content/topics/gamma.md"
SITE = {
    A: story("A story", "topics: [alpha]\naliases: [/old/a/]\n", "See [[B story]].\n"),
    B: story("B story"),
    C: story("C story", "topics: [gamma]\ntags: [Solo]\n"),
    ALPHA: "---\ntitle: Alpha\n---\nIntro.\n",
    BETA: "---\ntitle: Beta\n---\nIntro.\n",
    GAMMA: "---\ntitle: Gamma\n---\nIntro.\n",
    "content/img/map.svg": "<svg/>",
}


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("pipeline")
    write_files(root, SITE)
    return root


@pytest.fixture(scope="module")
def site(source) -> GeneratedSite:
    return generate(BuildOptions(source=source, output=source / "site"))


def page(site: GeneratedSite, output: str):
    (found,) = [p for p in site.pages if p.output == output]
    return found


def test_generate_writes_nothing(site, source):
    assert not (source / "site").exists()


def test_an_article_page_depends_on_itself_its_topics_and_what_it_links_to(site):
    article = page(site, "2024/06/a/index.html")
    assert article.inputs == {A, ALPHA, B, "site.yaml"}
    assert article.templates == {"article.html", "base.html", "partials/macros.html"}


def test_a_page_depends_on_what_mentions_it(site):
    assert page(site, "2024/06/b/index.html").inputs == {B, A, "site.yaml"}


def test_a_topic_page_depends_on_its_articles(site):
    assert page(site, "topics/alpha/index.html").inputs == {ALPHA, A, "site.yaml"}
    assert page(site, "topics/beta/index.html").inputs == {BETA, "site.yaml"}
    assert "topic.html" in page(site, "topics/beta/index.html").templates


def test_index_pages_depend_on_the_articles_behind_their_counts(site):
    assert page(site, "tags/index.html").inputs == {C, "site.yaml"}
    assert page(site, "topics/index.html").inputs == {ALPHA, BETA, GAMMA, A, C, "site.yaml"}


def test_site_wide_pages_without_content_depend_only_on_the_settings(site):
    not_found = page(site, "404.html")
    assert not_found.inputs == {"site.yaml"}
    assert not_found.templates == {"404.html", "base.html"}


def test_a_redirect_page_depends_on_its_article(site):
    redirect = page(site, "old/a/index.html")
    assert redirect.inputs == {A, "site.yaml"}
    assert "redirect.html" in redirect.templates


def test_outputs_are_every_page_and_file_once_in_path_order(site):
    outputs = [path for path, _ in site.outputs()]
    assert outputs == sorted(set(outputs))
    assert {"index.html", "img/map.svg", "static/style.css", "2024/06/c/index.html"} <= set(outputs)
    assert set(site.inputs) == set(SITE)


def test_every_stage_is_timed(source):
    timings = Timings()
    generate(BuildOptions(source=source, output=source / "site"), timings)
    assert list(timings.stages) == ["load", "graph", "render"]
    assert timings.total > 0


def test_the_base_url_can_be_overridden_for_a_preview(source):
    site = generate(
        BuildOptions(source=source, output=source / "site", base_url="http://127.0.0.1:8123/pv/")
    )
    html = page(site, "2024/06/a/index.html").data.decode()
    assert 'href="/pv/2024/06/b/"' in html
    assert 'rel="canonical" href="http://127.0.0.1:8123/pv/2024/06/a/"' in html


def test_problems_of_every_stage_are_raised_together(tmp_path):
    write_files(
        tmp_path,
        {
            "site.yaml": "title: x\n",
            A: story("A", "topics: [nowhere]\n"),
            B: "---\ntitle: B\n---\n",
        },
    )
    with pytest.raises(BuildError) as caught:
        generate(BuildOptions(source=tmp_path, output=tmp_path / "site"))
    assert [f"{e.path}:{e.line}" for e in caught.value.errors] == [
        "content/articles/a.md:4",
        "content/articles/b.md:1",
    ]
