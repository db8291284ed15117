"""End-to-end: every kind of bad input gives `path:line: error:`, exit 1, and an untouched site."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .support.cli import run_cli
from .support.files import tree_bytes, write_files

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
    "date out of range": (
        {ART: article("title: x\ndate: 9999-12-31T23:00:00-14:00\n")},
        f"{ART}:3: error: 'date': date out of range '9999-12-31T23:00:00-14:00'",
    ),
    "updated out of range": (
        {ART: article(GOOD + "updated: 9999-12-31T23:00:00-14:00\n")},
        f"{ART}:4: error: 'updated': date out of range '9999-12-31T23:00:00-14:00'",
    ),
    "NUL in a quoted string": (
        {ART: article(GOOD + 'summary: "a\\0b"\n')},
        f"{ART}:4: error: text contains the control character U+0000 "
        "(remove it: it is invisible and can break pages)",
    ),
    "slug too long": (
        {ART: article(GOOD + "slug: " + "a" * 300 + "\n")},
        f"{ART}:4: error: slug '{'a' * 40}…' is too long: 300 bytes, at most 200",
    ),
    "tag too long": (
        {ART: article(GOOD + "tags: [" + "x" * 300 + "]\n")},
        f"{ART}:4: error: tag '{'x' * 40}…' is too long: its page name would be 300 bytes, "
        "at most 200 (shorten it)",
    ),
    "topic file name too long": (
        {"content/topics/" + "t" * 250 + ".md": "---\ntitle: T\n---\n"},
        "content/topics/" + "t" * 250 + f".md:1: error: topic file name '{'t' * 40}…' is too long",
    ),
    "alias with a query": (
        {ART: article(GOOD + "aliases: ['/old?id=3/']\n")},
        f"{ART}:4: error: alias '/old?id=3/' contains '?', which a URL path cannot hold",
    ),
    "alias part too long": (
        {ART: article(GOOD + "aliases: [/" + "a" * 250 + "/]\n")},
        f"{ART}:4: error: alias '/{'a' * 39}…' has a part of 250 bytes, at most 200",
    ),
    "file over max_file_size": (
        {"site.yaml": "title: x\nmax_file_size: 1 kB\n", ART: article(GOOD, "x" * 2000)},
        f"{ART}:1: error: file is 2.0 kB, over the 1 kB limit (max_file_size in site.yaml)",
    ),
    "invalid max_file_size": (
        {"site.yaml": "title: x\nmax_file_size: huge\n"},
        "site.yaml:2: error: max_file_size must be a number of bytes or a size such as '2 MB' "
        "or '500 kB', got 'huge'",
    ),
    "base_url that urlsplit refuses": (
        {"site.yaml": 'base_url: "http://[::1/"\n'},
        "site.yaml:1: error: base_url is not a valid URL: 'http://[::1/' (Invalid IPv6 URL)",
    ),
    "base_url with credentials": (
        {"site.yaml": "base_url: https://u:p@example.org/\n"},
        "site.yaml:1: error: base_url must not contain a user name or password",
    ),
    "timezone that is not an IANA name": (
        {"site.yaml": "timezone: localtime\n"},
        "site.yaml:1: error: unknown timezone 'localtime'",
    ),
    "control character in site.yaml": (
        {"site.yaml": 'title: "x\\x1b[2J"\n'},
        "site.yaml:1: error: text contains the control character U+001B",
    ),
    "broken Plural-Forms": (
        {
            "layouts/i18n/id.po": 'msgid ""\nmsgstr ""\n'
            '"Content-Type: text/plain; charset=UTF-8\\n"\n'
            '"Plural-Forms: nplurals=1; plural=(n/0);\\n"\n'
        },
        "layouts/i18n/id.po:4: error: invalid Plural-Forms: plural=(n/0) divides by zero for n = 0",
    ),
    "translation with a placeholder its message lacks": (
        {
            "layouts/i18n/id.po": 'msgid ""\nmsgstr ""\n'
            '"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            'msgid "Topics"\nmsgstr "Topik %(x)s"\n'
        },
        "layouts/i18n/id.po:5: error: translation of 'Topics' uses %(x)s, which its message "
        "does not provide (the message has no placeholders)",
    ),
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


def test_a_site_yaml_folder_is_an_error(built):
    source, before = built
    (source / "site.yaml").unlink()
    (source / "site.yaml").mkdir()
    result = run_cli("--source", source)
    assert result.code == 1
    assert result.error_lines == ["site.yaml:1: error: site.yaml is a folder, not a settings file"]
    assert "Traceback" not in result.err
    assert tree_bytes(source / "site") == before


def test_tags_differing_only_by_invisible_characters_are_one_tag(built):
    source, _ = built
    tags_before = sorted((source / "site/tags").iterdir())
    write_files(source, {ART: article(GOOD + 'tags: ["Au\\u00adrus", "Kim\\u200b Jong-un"]\n')})
    assert run_cli("--source", source, "-q").code == 0
    assert sorted((source / "site/tags").iterdir()) == tags_before, "no look-alike tag pages"
    page = (source / "site/tags/aurus/index.html").read_text(encoding="utf-8")
    assert "Bad" in page, "the new article is on the one Aurus page"


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
    assert result.code == 1
    assert result.err == (
        f"error: output folder '{source}' contains the source folder; choose another folder\n"
    )
    assert (source / "content").is_dir()


def test_a_value_cannot_split_a_message_or_forge_another_line(built):
    source, before = built
    forged = "x\\nfake.md:1: error: forged\\u2028more\\u202eend"
    write_files(source, {ART: article(GOOD + f'topics: ["{forged}"]\n')})
    result = run_cli("--source", source)
    assert result.code == 1
    assert result.err.splitlines() == [
        f"{ART}:4: error: unknown topic 'x\\nfake.md:1: error: forged\\u2028more\\u202eend'",
        "build failed: 1 error",
    ]
    assert tree_bytes(source / "site") == before


def test_a_file_name_with_a_newline_is_one_line_too(built):
    source, _ = built
    write_files(source, {"content/articles/2024/a\nfake.md": "no front matter\n"})
    result = run_cli("--source", source)
    assert result.err.splitlines()[0].startswith(
        "content/articles/2024/a\\nfake.md:1: error: no front matter found"
    )


def test_a_level_one_heading_in_a_body_is_a_warning_and_shown_as_h2(built):
    source, _ = built
    write_files(source, {ART: article(GOOD, "Intro.\n\n# A section\n\n## Below it\n")})
    result = run_cli("--source", source, "-q")
    assert result.code == 0
    assert result.err == (
        f"{ART}:8: warning: level-1 heading in the body, shown as a level-2 heading: the "
        "headline is the page's one level-1 heading (start sections with ##)\n"
    )
    page = (source / "site/2024/06/bad/index.html").read_text(encoding="utf-8")
    assert page.count("<h1") == 1
    assert '<h2 id="a-section">A section</h2>' in page
    assert '<h3 id="below-it">Below it</h3>' in page


def test_a_wiki_link_inside_a_link_keeps_the_outer_link(built):
    source, _ = built
    body = "Read [the [[Gamma]] brief](https://example.org/brief).\n"
    write_files(source, {ART: article(GOOD, body)})
    assert run_cli("--source", source, "-q").code == 0
    page = (source / "site/2024/06/bad/index.html").read_text(encoding="utf-8")
    assert '<a href="https://example.org/brief">the Gamma brief</a>' in page
