"""The safe walk of a folder the editor gives us (``content/``, ``layouts/``), and reading
what it found.

Everything under such a folder may be published or executed as a template, so a symbolic
link is followed only when it resolves inside the folder: ``layouts/static/passwd ->
/etc/passwd`` is refused, not copied into the site. Editors' temporary files are skipped,
loops, broken links, names that are not UTF-8 and anything that is not a regular file or
folder are reported, and every problem is collected (``path:1: error: ...``) so one
build shows them all. The walk is iterative and sorted: the same tree always gives the
same list.

A file can still be swapped for a symbolic link after the walk, before it is copied or
served; ``open_source_file`` opens a walked file without following any link swapped in.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from dossierpress.errors import ErrorList

_TEMP_SUFFIXES = (".swp", ".swo", ".swx", ".tmp", "~", "___jb_tmp___", "___jb_old___")

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_COMMON_FLAGS = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_DIR_FLAGS = _COMMON_FLAGS | getattr(os, "O_DIRECTORY", 0)
_FILE_FLAGS = _COMMON_FLAGS | getattr(os, "O_NONBLOCK", 0)
"""Non-blocking, so opening a named pipe swapped in for a file cannot hang the build."""


class UnsafeSourceError(OSError):
    """A walked file that can no longer be read safely: it left its folder, became a
    symbolic link or stopped being a regular file since the walk."""


@dataclass(frozen=True)
class _Folder:
    path: Path
    rel: str
    chain: frozenset[Path]
    """Real paths of this folder and its ancestors in the walk, to stop symbolic link loops."""
    real: Path
    """This folder's real path."""


@dataclass(frozen=True)
class _Root:
    real: Path
    label: str
    """How problems name the folder: ``content`` or ``layouts``."""


def is_temp_file(name: str) -> bool:
    """Whether a file or folder name belongs to an editor or the OS, not to the site.

    Vim swap files and its ``4913`` write probe, JetBrains' ``___jb_tmp___`` copies,
    Emacs ``#autosave#`` and ``.#lock`` files, ``backup~`` copies, ``*.tmp`` and every
    dotfile or dot-folder (``.DS_Store``, ``.git``). ``engine.changes.classify`` ignores
    the same files, so the live preview does not rebuild for them.
    """
    return (
        name.startswith(".")
        or name.lower().endswith(_TEMP_SUFFIXES)
        or (len(name) > 1 and name.startswith("#") and name.endswith("#"))
        or name == "4913"
    )


def walk_files(root: Path, label: str, errors: ErrorList) -> list[tuple[str, str]]:
    """Every regular file under ``root`` as (``<label>/...`` path, file system path), sorted.

    Iterative, so folder depth cannot exhaust the stack. A symbolic link is followed only
    when it resolves inside ``root`` and does not lead back to a folder being walked.
    Plain files and folders are told apart by what the folder listing says of them
    (no ``stat`` each), and paths are strings (a ``Path`` each costs more than the
    listing): a walk of 10,000 files is a fixed cost of every build.
    """
    real_root = root.resolve()
    top = _Root(real_root, label)
    found: list[tuple[str, str]] = []
    pending = [_Folder(root, label, frozenset({real_root}), real_root)]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder.path) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            errors.add(folder.rel, 1, f"cannot read this folder: {exc.strerror or exc}")
            continue
        for entry in entries:
            visited = _visit(folder, entry, top, errors)
            if isinstance(visited, _Folder):
                pending.append(visited)
            elif visited is not None:
                found.append(visited)
    return sorted(found)


def _visit(
    folder: _Folder, entry: os.DirEntry[str], top: _Root, errors: ErrorList
) -> _Folder | tuple[str, str] | None:
    """One folder entry: a folder to walk, a file to use, or None (skipped or refused)."""
    name = entry.name
    if is_temp_file(name):
        return None
    rel = f"{folder.rel}/{name}"
    if not _is_utf8(name):
        shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        errors.add(f"{folder.rel}/{shown}", 1, "file name is not valid UTF-8; rename it")
        return None
    try:
        linked = entry.is_symlink()
        if not linked and entry.is_file(follow_symlinks=False):
            return rel, entry.path
        if not linked and entry.is_dir(follow_symlinks=False):
            real = folder.real / name  # no link on the way: its real path is its parent's
            return _Folder(Path(entry.path), rel, folder.chain | {real}, real)
    except OSError as exc:
        errors.add(rel, 1, f"cannot read this file: {exc.strerror or exc}")
        return None
    path = Path(entry.path)
    if linked and not _link_allowed(path, rel, top, errors):
        return None
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        errors.add(rel, 1, f"cannot read this file: {exc.strerror or exc}")
        return None
    if stat.S_ISREG(mode):
        return rel, entry.path
    if not stat.S_ISDIR(mode):
        errors.add(rel, 1, "not a regular file or folder")
        return None
    real = path.resolve()
    if real in folder.chain:
        errors.add(rel, 1, "symbolic link loop: leads back to a parent folder")
        return None
    return _Folder(path, rel, folder.chain | {real}, real)


def _is_utf8(name: str) -> bool:
    """False for names the OS gave as undecodable bytes (they would break every message)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _link_allowed(path: Path, rel: str, top: _Root, errors: ErrorList) -> bool:
    """A symbolic link must stay inside the walked folder: what it points at is published."""
    try:
        target = path.resolve()
    except (OSError, RuntimeError):
        errors.add(rel, 1, "symbolic link loop: it points back at itself")
        return False
    if not target.is_relative_to(top.real):
        errors.add(rel, 1, f"symbolic link points outside {top.label}/; it is not followed")
        return False
    if not target.exists():
        errors.add(rel, 1, "broken symbolic link: its target does not exist")
        return False
    return True


@dataclass(frozen=True, order=True)
class SourceFile:
    """A file the walk found, to publish as it is, and the folder it must still lie in
    when it is read (``content/``, or the layout folder it came from)."""

    path: Path
    root: Path

    def open(self) -> BinaryIO:
        return open_source_file(self.root, self.path)

    def read(self) -> bytes:
        return read_source_bytes(self.root, self.path)


def open_source_file(root: Path, path: Path) -> BinaryIO:
    """Open ``path``, a file the walk of ``root`` found, to read its bytes for copying.

    Between the walk and the copy the file (or a folder on its way) can be replaced by a
    symbolic link out of ``root``. So the path is resolved again and must still lie inside
    the real ``root``; it is then opened one component at a time from that root without
    following any link (``O_NOFOLLOW``), so nothing swapped in after the check is
    followed either; and it must be a regular file (a named pipe would block a read).
    Raises ``UnsafeSourceError`` (an ``OSError``) for all of these, ``OSError`` otherwise.
    """
    real_root = Path(os.path.realpath(root))
    real = Path(os.path.realpath(path))
    if real == real_root or not real.is_relative_to(real_root):
        raise UnsafeSourceError(errno.EPERM, "no longer inside its folder", str(path))
    fd = _open_beneath(real_root, real.relative_to(real_root).parts, path)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UnsafeSourceError(errno.EPERM, "no longer a regular file", str(path))
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_source_bytes(root: Path, path: Path) -> bytes:
    """The bytes of a walked file, read as ``open_source_file`` opens it."""
    with open_source_file(root, path) as file:
        return file.read()


def _open_beneath(real_root: Path, parts: tuple[str, ...], shown: Path) -> int:
    """A read-only descriptor of ``real_root/parts``, following no symbolic link on the way.

    Where ``os.open`` takes no folder descriptor (Windows), the resolved path is opened
    directly: the check above still holds, only without closing the race.
    """
    if os.open not in os.supports_dir_fd or not _NOFOLLOW:
        return os.open(real_root.joinpath(*parts), _FILE_FLAGS)
    folder = os.open(real_root, _DIR_FLAGS)
    try:
        for part in parts[:-1]:
            inner = _open_component(part, _DIR_FLAGS, folder, shown)
            os.close(folder)
            folder = inner
        return _open_component(parts[-1], _FILE_FLAGS, folder, shown)
    finally:
        os.close(folder)


_SWAPPED = {
    errno.ELOOP: "a symbolic link was swapped in",
    errno.ENOTDIR: "a folder on its way was swapped for a link or a file",
}


def _open_component(name: str, flags: int, folder: int, shown: Path) -> int:
    try:
        return os.open(name, flags, dir_fd=folder)
    except OSError as exc:
        if exc.errno in _SWAPPED:
            raise UnsafeSourceError(exc.errno, _SWAPPED[exc.errno], str(shown)) from exc
        raise
