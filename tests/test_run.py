"""A command's build run reads ``site.yaml`` once, whatever it finds: a build with
``--now`` (which needs the site's timezone before anything is built), a check, and a run
that the cache shows has nothing to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossierpress.config import CONFIG_NAME

from .support.cli import run_cli


@pytest.fixture
def settings_reads(monkeypatch) -> list[Path]:
    """Every read of a ``site.yaml``, however the code gets at its bytes."""
    reads: list[Path] = []
    read_bytes = Path.read_bytes

    def counting(self: Path) -> bytes:
        if self.name == CONFIG_NAME:
            reads.append(self)
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    return reads


def run(*args: str | Path | int) -> int:
    return run_cli(*(str(arg) for arg in args)).code


def test_a_build_with_now_reads_the_settings_once(site_copy, settings_reads, tmp_path):
    source = site_copy("basic")
    out = tmp_path / "out"
    now = "2024-06-30T12:00"
    code = run("build", "--source", source, "--output", out, "--now", now, "--jobs", 1, "-q")
    assert code == 0 and (out / "index.html").is_file()
    assert len(settings_reads) == 1


@pytest.mark.parametrize("edited", [False, True], ids=["nothing to do", "after an edit"])
def test_a_build_from_the_cache_reads_the_settings_once(
    site_copy, settings_reads, tmp_path, edited
):
    source = site_copy("basic")
    out = tmp_path / "out"
    options = ("--source", source, "--output", out, "--no-search", "--jobs", 1, "-q")
    assert run("build", *options) == 0
    if edited:
        article = next((source / "content" / "articles").rglob("*.md"))
        article.write_text(article.read_text(encoding="utf-8") + "\nOne more line.\n")
    settings_reads.clear()
    assert run("build", *options) == 0
    assert len(settings_reads) == 1


def test_a_check_reads_the_settings_once(site_copy, settings_reads):
    source = site_copy("basic")
    assert run("check", "--source", source, "--now", "2024-06-30", "--jobs", 1, "-q") in (0, 1)
    assert len(settings_reads) == 1
