"""Shared test helpers: fixture sites, running the CLI in-process, reading a built site."""

from __future__ import annotations

import contextlib
import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from dossierpress.cli import main

TESTS = Path(__file__).parent
SITES = TESTS / "sites"
REPO = TESTS.parent


@dataclass(frozen=True)
class CliResult:
    code: int
    out: str
    err: str

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if ": error: " in line]


def run_cli(*args: str | Path) -> CliResult:
    """Run ``dossier`` in-process and capture what it prints."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return CliResult(code, out.getvalue(), err.getvalue())


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


@pytest.fixture(autouse=True)
def cache_key(monkeypatch):
    """Builds sign their cache with a key of the tests', not the user's own."""
    monkeypatch.setenv("DOSSIER_CACHE_KEY", "the tests' key")


@pytest.fixture
def site_copy(tmp_path: Path):
    """Copy a fixture site from tests/sites/ into a temporary folder and return its path."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        ignore = shutil.ignore_patterns(".dossier-cache", "site")
        shutil.copytree(SITES / name, target, symlinks=True, ignore=ignore)
        return target

    return copy


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by relative POSIX path, to compare whole builds."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }
