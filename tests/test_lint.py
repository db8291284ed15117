"""The warnings of ``dossier check`` (``graph.lint``): each at its line, with its hint.

Each case is one article file added to a clean site (a topic, and an article in it) and
the one line ``check`` prints about it; the clean site itself has no problems.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .support.cli import run_cli
from .support.files import write_files

STORY = "content/articles/2024/story.md"
CLEAN = {
    "content/topics/sanctions.md": "---\ntitle: Sanctions\n---\n\nWho sanctions whom.\n",
    "content/articles/2024/summit.md": (
        "---\ntitle: The summit\ndate: 2024-06-18\ntopics: [sanctions]\n---\n\nThey met.\n"
    ),
}


def story(front: str = "", body: str = "Text.\n", *, topics: str = "topics: [sanctions]\n") -> str:
    """An article: title on line 2, date on 3, ``topics`` on 4, then ``front`` from line 5
    (or 4 without topics); the body starts two lines after the closing ``---``."""
    return f"---\ntitle: Story\ndate: 2024-06-19\n{topics}{front}---\n\n{body}"


LONG = "A" * 301
CASES: dict[str, tuple[dict[str, str], str]] = {
    "article in no topic": (
        {STORY: story(topics="")},
        f"{STORY}:1: warning: article is in no topic: no dossier lists it "
        "(add 'topics: [slug]' naming the dossier it belongs to)",
    ),
    "topic without articles": (
        {"content/topics/empty.md": "---\ntitle: Empty\n---\n\nNothing yet.\n"},
        "content/topics/empty.md:1: warning: topic has no published articles: its page is an "
        "empty dossier (name it in an article's 'topics' (empty), or remove the file)",
    ),
    "unknown author, close to one": (
        {
            "content/authors/ana-writer.md": "---\nname: Ana Writer\n---\n",
            STORY: story("authors:\n  - Ana Writer\n  - Ana Writter\n"),
        },
        f"{STORY}:7: warning: unknown author 'Ana Writter' (no content/authors/ana-writter.md) "
        "(did you mean 'Ana Writer'?)",
    ),
    "unknown author, close to none": (
        {STORY: story("authors: [Dossier desk]\n")},
        f"{STORY}:5: warning: unknown author 'Dossier desk' (no content/authors/dossier-desk.md) "
        '(start one with: dossier new author "Dossier desk")',
    ),
    "image without alt text in an author's biography": (
        {"content/authors/ana.md": "---\nname: Ana\n---\n\n![](/img/map.svg)\n"},
        "content/authors/ana.md:5: warning: image without alt text: readers who cannot see it "
        "are told nothing (describe it between the brackets, e.g. ![Map of the route](map.png))",
    ),
    "related headline not linked": (
        {STORY: story("related:\n  - url: https://example.org/a\n  - title: Next week's talks\n")},
        f"{STORY}:7: warning: related headline 'Next week's talks' is not linked "
        "(once it is online, give its 'url', or 'ref' for a page of this site)",
    ),
    "source without url or title": (
        {STORY: story("sources:\n  - {source: KCNA, date: 2024-06-19}\n")},
        f"{STORY}:6: warning: source has neither 'url' nor 'title': readers cannot find what "
        "was cited (add the cited piece's 'title', and its 'url' if it is online)",
    ),
    "long summary": (
        {STORY: story(f"summary: {LONG}\n")},
        f"{STORY}:5: warning: summary is 301 characters, over 300: cards, feeds and link "
        "previews cut it (keep it to one or two sentences; the body says the rest)",
    ),
    "image without alt text": (
        {STORY: story(body="Intro.\n\nThe route:\n![](/img/map.svg)\n")},
        f"{STORY}:10: warning: image without alt text: readers who cannot see it are told "
        "nothing (describe it between the brackets, e.g. ![Map of the route](map.png))",
    ),
    "level-1 heading": (
        {STORY: story(body="Intro.\n\n# Background\n")},
        f"{STORY}:9: warning: level-1 heading in the body, shown as a level-2 heading: the "
        "headline is the page's one level-1 heading (start sections with ##)",
    ),
    "http link in the body": (
        {STORY: story(body="Intro.\n\nSee\n[the report](http://example.org/report).\n")},
        f"{STORY}:10: warning: link to 'http://example.org/report' is not encrypted "
        "(use https:// if the site offers it)",
    ),
    "http related url": (
        {STORY: story("related:\n  - http://example.org/analysis\n")},
        f"{STORY}:6: warning: 'related' entry 'http://example.org/analysis' is not encrypted "
        "(use https:// if the site offers it)",
    ),
    "http source archive": (
        {
            STORY: story(
                "sources:\n  - title: Treaty text\n    url: https://kcna.example/t\n"
                "    archive: http://archive.example/t\n"
            )
        },
        f"{STORY}:6: warning: 'sources' entry 'http://archive.example/t' is not encrypted "
        "(use https:// if the site offers it)",
    ),
    "updated older than a correction": (
        {
            STORY: story(
                "updated: 2024-06-20\ncorrections:\n"
                "  - {date: 2024-06-20T10:00:00+07:00, text: A name was misspelt.}\n"
                "  - {date: 2024-06-21, text: The date was wrong.}\n"
            )
        },
        f"{STORY}:8: warning: 'updated' is older than this correction (2024-06-21) "
        "(set 'updated' to the newest correction's time, or leave 'updated' out)",
    ),
    "about after the publication": (
        {STORY: story("about: 2024-07\n")},
        f"{STORY}:5: warning: 'about' (2024-07) is after the article's publication "
        "(2024-06-19) ('about' is when what it reports happened; a preview of what is to "
        "come may leave it so)",
    ),
}
QUIET = {
    "image with alt text": story(body="![Map of the route](/img/map.svg)\n"),
    "https everywhere": story(
        "related:\n  - https://example.org/a\n  - {ref: summit, title: The summit}\n",
        body="[report](https://example.org/r) and [mail](mailto:desk@example.org)\n",
    ),
    "updated after its corrections": story(
        "updated: 2024-06-21\ncorrections:\n  - {date: 2024-06-21, text: A name was misspelt.}\n"
    ),
    "summary of 300 characters": story(f"summary: {'A' * 300}\n"),
    "about earlier than the publication": story("about: 2023-09\n"),
    "about the day of publication": story("about: 2024-06-19\n"),
    "about the month of publication": story("about: 2024-06\n"),
    "source with a title only": story("sources:\n  - {title: The treaty, source: KCNA}\n"),
}


MAP = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="2"/>\n'
"""The picture the bodies above show (a missing one is an error, not a warning)."""


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    root = tmp_path / "desk"
    write_files(root, {**CLEAN, "content/img/map.svg": MAP})
    return root


def problems(source: Path) -> list[str]:
    result = run_cli("check", "--source", source, "--no-cache", "--jobs", "1")
    return [
        line for line in result.err.splitlines() if ": warning: " in line or ": error: " in line
    ]


def test_the_clean_site_has_no_problems(clean):
    result = run_cli("check", "--source", clean, "--no-cache")
    assert (result.code, result.out, result.err) == (0, "no problems in 2 files\n", "")


@pytest.mark.parametrize(("files", "expected"), CASES.values(), ids=CASES.keys())
def test_each_warning_is_at_its_line_with_a_hint(clean, files, expected):
    write_files(clean, files)
    assert problems(clean) == [expected]


@pytest.mark.parametrize("text", QUIET.values(), ids=QUIET.keys())
def test_what_is_fine_is_not_warned_about(clean, text):
    write_files(clean, {STORY: text})
    assert problems(clean) == []


def test_an_author_named_by_name_or_slug_in_any_case_and_spacing_is_known(clean):
    write_files(
        clean,
        {
            "content/authors/ana-writer.md": "---\nname: Ana Writer\n---\n",
            STORY: story("authors: [ana  WRITER, ana-writer]\n"),
        },
    )
    assert problems(clean) == []


def test_a_build_keeps_these_warnings_to_itself(clean):
    write_files(clean, {STORY: story(topics="", body="![](/img/map.svg)\n")})
    result = run_cli("build", "--source", clean, "--no-search", "-q")
    assert (result.code, result.err) == (0, "")


def test_a_build_still_warns_about_a_level_one_heading(clean):
    write_files(clean, {STORY: story(body="# Background\n")})
    result = run_cli("build", "--source", clean, "--no-search", "-q")
    assert result.code == 0
    assert result.err.startswith(f"{STORY}:7: warning: level-1 heading in the body")
