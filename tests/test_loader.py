"""Loading ``content/``: what is an article, a topic or an asset; what is skipped or refused."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from dossierpress.config import SiteConfig
from dossierpress.content.loader import load_content
from dossierpress.content.model import Asset
from dossierpress.content.walk import is_temp_file

from .support.files import write_files

CONFIG = SiteConfig()


def story(title: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\ndate: 2024-06-19\n{extra}---\nBody.\n"


SITE = {
    "content/articles/2024/06/summit.md": story("Summit"),
    "content/articles/2023/visit.md": story("Visit"),
    "content/articles/loose.md": story("Loose"),
    "content/articles/2024/06/photo.jpg": b"\xff\xd8jpeg",
    "content/topics/sanctions.md": "---\ntitle: Sanctions\n---\nIntro.\n",
    "content/img/map.svg": "<svg/>",
    "content/files/report 2024.pdf": b"%PDF",
    "content/about.md": "Not an article.\n",
}


def load(root: Path, *, drafts: bool = False):
    return load_content(root, CONFIG, drafts=drafts)


def errors_of(root: Path) -> list[str]:
    return [str(e) for e in load(root).errors]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    write_files(tmp_path, SITE)
    return tmp_path


def test_articles_topics_and_assets(site):
    result = load(site)
    assert result.errors == []
    assert [a.path for a in result.articles] == [
        "content/articles/2023/visit.md",
        "content/articles/2024/06/summit.md",
        "content/articles/loose.md",
    ]
    assert [(t.path, t.slug) for t in result.topics] == [
        ("content/topics/sanctions.md", "sanctions")
    ]
    assert result.assets == (
        Asset("content/about.md", "about.md"),
        Asset("content/articles/2024/06/photo.jpg", "articles/2024/06/photo.jpg"),
        Asset("content/files/report 2024.pdf", "files/report 2024.pdf"),
        Asset("content/img/map.svg", "img/map.svg"),
    )
    assert result.inputs == tuple(sorted(SITE))


def test_loading_is_deterministic(site):
    assert load(site) == load(site)


TEMP_FILES = [
    ".summit.md.swp",
    "summit.md.swp",
    "summit.md.swx",
    "summit.md~",
    ".#summit.md",
    "#summit.md#",
    "4913",
    ".DS_Store",
    "draft.tmp",
    "DRAFT.TMP",
    ".hidden.md",
]


@pytest.mark.parametrize("name", TEMP_FILES)
def test_is_temp_file(name):
    assert is_temp_file(name)


@pytest.mark.parametrize("name", ["summit.md", "map.svg", "4914", "#hashtag.md", "#", "notes~.md"])
def test_is_not_temp_file(name):
    assert not is_temp_file(name)


def test_editor_temp_files_and_dot_folders_are_skipped(site):
    broken = b"\xff not even text"
    write_files(site, {f"content/articles/2024/{name}": broken for name in TEMP_FILES})
    write_files(site, {".git/HEAD": "ref", "content/.obsidian/x.md": broken})
    result = load(site)
    assert result.errors == []
    assert result.inputs == tuple(sorted(SITE))


def test_drafts_are_left_out_unless_asked_for(site):
    write_files(site, {"content/articles/wip.md": story("WIP", "draft: true\n")})
    assert "content/articles/wip.md" not in [a.path for a in load(site).articles]
    drafts = [a for a in load(site, drafts=True).articles if a.draft]
    assert [a.path for a in drafts] == ["content/articles/wip.md"]
    assert "content/articles/wip.md" in load(site).inputs


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"", "1: error: file is empty"),
        (b"\n  \n", "1: error: file is empty"),
        (b"\xef\xbb\xbf", "1: error: file is empty"),
        (b"---\ntitle: x\n---\n\nok\n\xff\xfe\n", "6: error: not valid UTF-8"),
        (b"---\ntitle: caf\xe9\n---\n", "2: error: not valid UTF-8 (save the file with UTF-8"),
        (b"Just text.\n", "1: error: no front matter found"),
        (b"---\ntitle: x\ndate: 2024-02-30\n---\n", "3: error: 'date': impossible date"),
    ],
    ids=[
        "empty",
        "blank",
        "only a BOM",
        "bad byte in body",
        "bad byte in YAML",
        "no front",
        "date",
    ],
)
def test_unreadable_articles_are_reported_at_their_line(site, content, expected):
    path = "content/articles/2024/bad.md"
    write_files(site, {path: content})
    errors = errors_of(site)
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"{path}:{expected}")
    assert path in load(site).inputs


def test_a_byte_order_mark_is_tolerated(site):
    write_files(site, {"content/articles/bom.md": b"\xef\xbb\xbf" + story("Bom").encode()})
    result = load(site)
    assert result.errors == []
    [bom] = [a for a in result.articles if a.slug == "bom"]
    assert (bom.title, bom.title_line, bom.body_line) == ("Bom", 2, 5)


def test_topics_are_checked_and_must_sit_directly_in_topics(site):
    write_files(
        site,
        {
            "content/topics/Arms Trade.md": "---\ntitle: Arms\n---\n",
            "content/topics/old/sanctions.md": "---\ntitle: Old\n---\n",
            "content/topics/emblem.png": b"png",
        },
    )
    result = load(site)
    assert [str(e) for e in result.errors] == [
        "content/topics/Arms Trade.md:1: error: topic file name 'Arms Trade' is not a valid slug "
        "(rename it to 'arms-trade.md')",
        "content/topics/old/sanctions.md:1: error: topic files must be directly in content/topics/",
    ]
    assert Asset("content/topics/emblem.png", "topics/emblem.png") in result.assets


def test_authors_are_read_and_must_sit_directly_in_authors(site):
    write_files(
        site,
        {
            "content/authors/ana-writer.md": "---\nname: Ana Writer\n---\n\nLonger bio.\n",
            "content/authors/staff/bo.md": "---\nname: Bo\n---\n",
            "content/authors/ana.jpg": b"jpg",
        },
    )
    result = load(site)
    assert [str(e) for e in result.errors] == [
        "content/authors/staff/bo.md:1: error: author files must be directly in content/authors/"
    ]
    assert [(a.slug, a.title) for a in result.authors] == [("ana-writer", "Ana Writer")]
    assert "content/authors/ana-writer.md" in result.parsed
    assert Asset("content/authors/ana.jpg", "authors/ana.jpg") in result.assets


def test_every_problem_of_every_file_is_collected(site):
    write_files(
        site,
        {
            "content/articles/a.md": "---\ndate: 2024-06-19\n---\n",
            "content/articles/b.md": story("B", "tags: {x: y}\n"),
            "content/topics/c.md": "---\ntitle: [\n---\n",
        },
    )
    assert [e.split(" error: ")[0] for e in errors_of(site)] == [
        "content/articles/a.md:1:",
        "content/articles/b.md:4:",
        "content/topics/c.md:2:",
    ]


def test_no_content_folder(tmp_path):
    result = load(tmp_path)
    assert [str(e) for e in result.errors] == [
        "content:1: error: no content/ folder found "
        "(run from the folder that holds content/, or pass --source)"
    ]


needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")


@needs_symlinks
def test_a_symlink_out_of_content_is_refused_and_not_followed(site, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.txt").write_text("secret")
    (outside / "more").mkdir()
    (outside / "more" / "x.md").write_text(story("Leak"))
    (site / "content/img/leak.txt").symlink_to(outside / "secret.txt")
    (site / "content/articles/leaks").symlink_to(outside / "more", target_is_directory=True)
    (site / "content/img/up.svg").symlink_to("../../content/../../etc/hostname")
    result = load(site)
    assert [str(e) for e in result.errors] == [
        f"{path}:1: error: symbolic link points outside content/; it is not followed"
        for path in ("content/articles/leaks", "content/img/leak.txt", "content/img/up.svg")
    ]
    assert result.inputs == tuple(sorted(SITE))
    assert "Leak" not in [a.title for a in result.articles]


@needs_symlinks
def test_a_symlink_inside_content_is_followed(site):
    (site / "content/img/map-copy.svg").symlink_to("map.svg")
    (site / "content/articles/archive").symlink_to("2023", target_is_directory=True)
    result = load(site)
    assert result.errors == []
    assert Asset("content/img/map-copy.svg", "img/map-copy.svg") in result.assets
    assert "content/articles/archive/visit.md" in [a.path for a in result.articles]


@needs_symlinks
def test_symlink_loops_and_broken_links_are_reported(site):
    (site / "content/articles/2023/again").symlink_to("..", target_is_directory=True)
    (site / "content/img/self.svg").symlink_to("self.svg")
    (site / "content/img/gone.svg").symlink_to("nothing-here.svg")
    assert errors_of(site) == [
        "content/articles/2023/again:1: error: symbolic link loop: leads back to a parent folder",
        "content/img/gone.svg:1: error: broken symbolic link: its target does not exist",
        "content/img/self.svg:1: error: symbolic link loop: it points back at itself",
    ]


@pytest.mark.skipif(os.name != "posix", reason="needs byte file names")
def test_a_file_name_that_is_not_utf8_is_reported(site):
    try:
        (site / "content/img").joinpath(os.fsdecode(b"caf\xe9.svg")).write_text("<svg/>")
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses such names")
    result = load(site)
    assert [str(e) for e in result.errors] == [
        "content/img/caf\ufffd.svg:1: error: file name is not valid UTF-8; rename it"
    ]
    assert result.inputs == tuple(sorted(SITE))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_not_read(site):
    os.mkfifo(site / "content/articles/pipe.md")
    assert errors_of(site) == ["content/articles/pipe.md:1: error: not a regular file or folder"]


def test_a_file_over_max_file_size_is_refused_without_being_read(site):
    path = site / "content/articles/pasted.md"
    with path.open("wb") as fp:
        fp.write(story("Pasted").encode())
        fp.truncate(21_000_000)  # sparse: the blob costs nothing to make, and is never read
    started = time.perf_counter()
    errors = errors_of(site)
    assert time.perf_counter() - started < 2
    assert errors == [
        "content/articles/pasted.md:1: error: file is 21.0 MB, over the 2 MB limit "
        "(max_file_size in site.yaml)"
    ]


def test_a_file_just_over_the_limit_is_shown_in_bytes(site):
    write_files(site, {"content/articles/edge.md": story("Edge").ljust(2_000_001, "x")})
    assert errors_of(site) == [
        "content/articles/edge.md:1: error: file is 2,000,001 bytes, over the 2 MB limit "
        "(max_file_size in site.yaml)"
    ]


def test_a_file_at_the_limit_is_fine(site):
    write_files(site, {"content/articles/edge.md": story("Edge").ljust(2_000_000, "x")})
    assert errors_of(site) == []


def test_max_file_size_applies_to_topics_but_not_to_assets(site):
    write_files(
        site,
        {
            "content/topics/long.md": "---\ntitle: Long\n---\n" + "x" * 600,
            "content/img/photo.jpg": b"\xff" * 5000,
        },
    )
    result = load_content(site, SiteConfig(max_file_size=500), drafts=False)
    assert [str(e) for e in result.errors] == [
        "content/topics/long.md:1: error: file is 620 B, over the 500 B limit "
        "(max_file_size in site.yaml)"
    ]
    assert Asset("content/img/photo.jpg", "img/photo.jpg") in result.assets
