"""Running ``dossier`` in-process and reading what it printed."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

from dossierpress.cli import main

from .files import write_files


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


def build_site(root: Path, files: dict[str, str | bytes], *options: str) -> Path:
    """Write ``files`` under ``root`` and build them as ``dossier build`` does, without
    a cache; the output folder."""
    write_files(root, files)
    out = root / "site"
    result = run_cli("build", "--source", root, "--output", out, "--no-cache", "-q", *options)
    assert result.code == 0, result.err
    return out
