"""Where the tests' files are, writing a site's files, and reading a built tree back."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).parent.parent
SITES = TESTS / "sites"
REPO = TESTS.parent


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def replace_once(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a text file, as an editor's save does; ``old`` must be
    there, so a test cannot edit what it meant to and silently change nothing."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by relative POSIX path, to compare whole builds."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }
