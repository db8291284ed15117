"""End-to-end: every kind of bad input gives `path:line: error:`, exit 1, and an untouched site."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import run_cli, tree_bytes, write_files

ART = "content/articles/2024/bad.md"
TOPIC = "content/topics/alpha-beta.md"


def article(front: str, body: str = "Body.\n") -> str:
    return f"---\n{front}---\n\n{body}"


GOOD = "title: Bad\ndate: 2024-06-01\n"

CASES = {
    "missing front matter": ({ART: "Just text.\n"}, f"{ART}:1: error: "),
    "unclosed front matter": (
        {ART: "---\ntitle: x\ndate: 2024-01-01\n\nBody\n"},
        f"{ART}:1: error: ",
    ),
    "invalid yaml": ({ART: article("title: [unclosed\ndate: 2024-06-01\n")}, f"{ART}:3: error: "),
    "mapping where a list belongs": (
        {ART: article(GOOD + "tags:\n  a: b\n")},
        f"{ART}:4: error: ",
    ),
    "list where text belongs": (
        {ART: article("title: [a, b]\ndate: 2024-06-01\n")},
        f"{ART}:2: error: ",
    ),
    "unknown key": ({ART: article(GOOD + "tittle: x\n")}, f"{ART}:4: error: "),
    "missing title": ({ART: article("date: 2024-06-01\n")}, f"{ART}:1: error: "),
    "missing date": ({ART: article("title: x\n")}, f"{ART}:1: error: "),
    "impossible date": ({ART: article("title: x\ndate: 2024-02-30\n")}, f"{ART}:3: error: "),
    "updated before date": (
        {ART: article(GOOD + "updated: 2024-05-01\n")},
        f"{ART}:4: error: ",
    ),
    "unknown topic": ({ART: article(GOOD + "topics: [alpha-betta]\n")}, f"{ART}:4: error: "),
    "unknown wiki link": ({ART: article(GOOD, "Intro.\n\nSee [[Gama]].\n")}, f"{ART}:8: error: "),
    "same url twice": (
        {ART: article("title: First meeting\ndate: 2024-03-02\nslug: first-meeting\n")},
        ": error: ",
    ),
    "slug escaping": ({ART: article(GOOD + "slug: ../../etc\n")}, f"{ART}:4: error: "),
    "alias escaping": (
        {ART: article(GOOD + "aliases: [../../../etc/passwd]\n")},
        f"{ART}:4: error: ",
    ),
    "javascript url": (
        {ART: article(GOOD + "related:\n  - {title: x, url: 'javascript:alert(1)'}\n")},
        f"{ART}:5: error: ",
    ),
    "data url": ({ART: article(GOOD + "sources:\n  - 'data:text/html,x'\n")}, f"{ART}:5: error: "),
    "invalid utf-8": (
        {ART: b"---\ntitle: x\ndate: 2024-06-01\n---\n\nok\n\xff\xfe\n"},
        f"{ART}:7: error: ",
    ),
    "empty file": ({ART: ""}, f"{ART}:1: error: "),
    "alias bomb": (
        {ART: article(GOOD + "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n")},
        f"{ART}:5: error: ",
    ),
    "deep nesting": (
        {ART: article(GOOD + "tags: " + "[" * 50000 + "]" * 50000 + "\n")},
        f"{ART}:4: error: ",
    ),
    "python tag": (
        {ART: article(GOOD + "summary: !!python/object/apply:os.system [ls]\n")},
        f"{ART}:4: error: ",
    ),
    "yaml 1.1 boolean": ({ART: article(GOOD + "tags: [NO]\n")}, f"{ART}:4: error: "),
    "yaml 1.1 sexagesimal": (
        {ART: article("title: 12:30\ndate: 2024-06-01\n")},
        f"{ART}:2: error: ",
    ),
    "duplicate key": ({ART: article(GOOD + "title: again\n")}, f"{ART}:4: error: "),
    "alias differing only by case": (
        {ART: article(GOOD + "aliases: [/OLD/Second/]\n")},
        f"{ART}:4",
    ),
    "topic with bad front matter": ({TOPIC: "---\ntitle: [\n---\n"}, f"{TOPIC}:2: error: "),
}


@pytest.fixture
def built(site_copy) -> tuple[Path, dict[str, bytes]]:
    source = site_copy("basic")
    assert run_cli("--source", source, "-q").code == 0
    return source, tree_bytes(source / "site")


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_reported_and_the_previous_site_stays(built, case):
    source, before = built
    files, expected = CASES[case]
    write_files(source, files)
    result = run_cli("--source", source)
    assert result.code == 1
    assert any(expected in line for line in result.error_lines), result.err
    assert "Traceback" not in result.err
    assert tree_bytes(source / "site") == before


def test_all_problems_are_reported_at_once(built):
    source, _ = built
    write_files(
        source,
        {
            "content/articles/2024/a.md": article("title: A\n"),
            "content/articles/2024/b.md": article(GOOD + "topics: [nowhere]\n"),
        },
    )
    result = run_cli("--source", source)
    assert result.code == 1
    assert "content/articles/2024/a.md:1: error: " in result.err
    assert "content/articles/2024/b.md:4: error: unknown topic 'nowhere'" in result.err
    assert result.err.rstrip().endswith("build failed: 2 errors")


def test_unknown_topic_suggests_the_closest(built):
    source, _ = built
    write_files(source, {ART: article(GOOD + "topics: [alpha-betta]\n")})
    result = run_cli("--source", source)
    assert "did you mean 'alpha-beta'?" in result.err


def test_two_articles_with_one_url_name_both_sources(built):
    source, _ = built
    write_files(source, {ART: article("title: Dup\ndate: 2024-03-09\nslug: first-meeting\n")})
    result = run_cli("--source", source)
    assert "content/articles/2024/bad.md" in result.err
    assert "content/articles/2024/first-meeting.md" in result.err


def test_case_only_difference_names_both_sources(built):
    source, _ = built
    write_files(source, {"content/img/MAP.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"})
    result = run_cli("--source", source)
    assert result.code == 1
    assert "content/img/MAP.svg" in result.err and "content/img/map.svg" in result.err


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_out_of_content_is_refused_and_not_followed(built, tmp_path):
    source, _ = built
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    (source / "content/img/leak.txt").symlink_to(secret)
    result = run_cli("--source", source)
    assert result.code == 1
    assert "content/img/leak.txt:1: error: " in result.err


def test_site_yaml_unknown_key(built):
    source, _ = built
    (source / "site.yaml").write_text("title: x\nbase_ulr: https://example.org/\n")
    result = run_cli("--source", source)
    assert result.code == 1
    assert "site.yaml:2: error: unknown setting 'base_ulr' (did you mean 'base_url'?)" in result.err


def test_output_folder_that_would_delete_the_source_is_refused(built):
    source, _ = built
    result = run_cli("--source", source, "--output", source)
    assert result.code == 2
    assert (source / "content").is_dir()
