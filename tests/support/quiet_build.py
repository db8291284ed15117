"""Building a fixture site into ``<source>/site`` as a reader's copy, and reading its pages."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from .cli import run_cli


def build_site(source: Path, *options: str) -> Path:
    """``source`` built into ``source/site`` without search, quietly and without a problem."""
    out = source / "site"
    result = run_cli("--source", source, "--output", out, "-q", "--no-search", *options)
    assert (result.code, result.err) == (0, "")
    return out


def page_soup(out: Path, page: str) -> BeautifulSoup:
    """A built page (``2024/06/x/index.html``), parsed."""
    return BeautifulSoup((out / page).read_text(encoding="utf-8"), "html.parser")
