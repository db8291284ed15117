"""Writing the site: claim every output path first, then write atomically.

Two sources must never be written to one path, and on case-insensitive or
normalising file systems (macOS, Windows) ``Putin`` and ``putin``, or a composed and a
decomposed ``é``, are one path too; ``OutputClaims`` refuses those up front and names both
sources. ``write_tree`` builds the whole site in a temporary folder beside the target and
swaps it in only when complete, so a failed build leaves the previous site untouched and
files no longer produced disappear.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError, ErrorList


@dataclass
class OutputClaims:
    """The owner (source path and line) of each output path, and the clashes found."""

    owners: dict[str, tuple[str, str, int]] = field(default_factory=dict)
    errors: ErrorList = field(default_factory=ErrorList)

    def claim(self, output: str, source: str, line: int, what: str = "page") -> bool:
        key = unicodedata.normalize("NFC", output).casefold()
        if key not in self.owners:
            self.owners[key] = (output, source, line)
            return True
        first_output, first_source, first_line = self.owners[key]
        where = f"{first_source}:{first_line}" if first_source else "a generated page"
        if first_output == output:
            message = f"{what} would be written to '{output}', already used by {where}"
        else:
            message = (
                f"{what} '{output}' differs from '{first_output}' (from {where}) only by "
                "letter case or Unicode normalisation; file systems may treat them as one"
            )
        if source:
            self.errors.add(source, line, message)
        else:
            self.errors.add(first_source or output, first_line if first_source else 1, message)
        return False

    @property
    def problems(self) -> list[ContentError]:
        return self.errors.errors


def write_tree(target: Path, files: Iterable[tuple[str, bytes | Path]]) -> int:
    """Write ``files`` (output path → bytes, or a file to copy) as the new ``target`` tree.

    Returns the number of files written. The previous tree is replaced only after every
    file was written.
    """
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    count = 0
    try:
        for rel, content in files:
            _write_file(staging / rel, content)
            count += 1
        _swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count


def _swap_in(staging: Path, target: Path) -> None:
    os.chmod(staging, 0o755)
    if not target.exists():
        staging.rename(target)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    retired.rmdir()
    target.rename(retired)
    try:
        staging.rename(target)
    except BaseException:
        retired.rename(target)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def sync_tree(target: Path, changed: Mapping[str, bytes | Path], removed: Iterable[str]) -> None:
    """Bring an existing tree up to date in place: write ``changed``, delete ``removed``.

    For the live preview's mirror folder, where a few files change at a time and nobody
    depends on the tree being swapped atomically (the server serves from memory).
    """
    for rel, content in changed.items():
        _write_file(target / rel, content)
    for rel in removed:
        path = target / rel
        path.unlink(missing_ok=True)
        for parent in path.parents:
            if parent == target or not parent.is_dir() or any(parent.iterdir()):
                break
            parent.rmdir()


def _write_file(dest: Path, content: bytes | Path) -> None:
    """Write one output file: rendered bytes, or a copy of a source file."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        dest.write_bytes(content)
    else:
        shutil.copyfile(content, dest)
