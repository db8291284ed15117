"""Writing the site: claim every output path first, then change only what the build owns.

Two sources must never be written to one path, and on case-insensitive or
normalising file systems (macOS, Windows) ``Putin`` and ``putin``, or a composed and a
decomposed ``é``, are one path too; ``OutputClaims`` refuses those up front and names both
sources.

The output folder belongs to the user: it may be a ``gh-pages`` checkout (``.git/``,
``CNAME``) or hold notes of theirs. ``OutputFolder`` keeps a record of what the build
wrote (``.dossier-manifest``, inside the folder so it travels with a checkout) and
replaces or removes only those files; a folder holding files it did not write is refused
unless the user passes ``--clean``. Hidden entries (``.git``, ``.nojekyll``) are never
written, removed or counted: no output path of ours starts with a dot.

How the new site replaces the old: **file by file, each with an atomic rename**, not by
swapping whole trees. A tree swap (``renameat2(RENAME_EXCHANGE)``, or a symbolic link
renamed over another) would have to carry the user's own files into the new tree and
back, and a build killed half way would leave them in a folder the next build deletes
as debris; ``.git`` is not something to move about. So every file that replaces one is
first written into a staging folder inside the output (same file system, so
``os.replace`` is atomic), and only when all are written does the commit begin: new
files first (rendered ones written in place: nothing stands there, and no page of the
site links to them before the replaced ones are in), then replaced ones, then the
removal of files no longer produced, so a reader following a link during the commit
finds its target. A reader therefore never sees a missing or half-written file a link
sent them to. Until the commit the folder is exactly as it was, whatever stops the
build; the commit itself is a burst of renames with SIGINT and SIGTERM held back, and the record is
widened to old ∪ new before it starts, so even SIGKILL in that instant leaves a folder
the next build knows. Files whose bytes did not change are not touched at all, which
keeps their timestamps for static hosts, rsync and git.

A lock (``fcntl.flock`` on ``.dossier-lock``) makes a second build into the same folder
wait briefly, then stop with a clear message instead of interleaving with the first.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from dossierpress.config import CONFIG_NAME
from dossierpress.content.loader import CONTENT
from dossierpress.content.walk import SourceFile
from dossierpress.errors import ContentError, ErrorList, printable
from dossierpress.fileinfo import FileSignature
from dossierpress.interrupt import Interrupted, signals_held
from dossierpress.theme.templates import LAYOUTS_DIR, default_layouts_dir

try:
    import fcntl
except ImportError:  # Windows: msvcrt's byte-range lock serves the same purpose
    fcntl = None  # type: ignore[assignment]
    import msvcrt


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


MANIFEST = ".dossier-manifest"
LOCK = ".dossier-lock"
STAGING_PREFIX = ".dossier-staging-"
_LEGACY_DEBRIS = (".new-", ".old-")
"""Staging and retired trees that earlier versions left beside the output: ``.site.new-*``."""
LOCK_WAIT_SECONDS = 10.0
"""How long a build waits for another one writing the same folder before giving up."""
_SHOWN_FOREIGN = 5


class OutputProblem(Exception):
    """The output folder cannot be used as asked; ``str`` is one line for ``error: ...``."""


Content = bytes | SourceFile
"""An output file: rendered bytes, or a source file to copy as it is."""


@dataclass(frozen=True)
class WriteReport:
    written: int
    """Files created or replaced."""
    unchanged: int
    """Files whose bytes were already right, left untouched."""
    removed: int
    """Files of an earlier build no longer produced, and with ``--clean``, foreign files."""
    signatures: dict[str, FileSignature] = field(default_factory=dict)
    """The stat signature of every file written or found unchanged, by output path."""


@dataclass(frozen=True)
class _Scan:
    """What the folder holds now (hidden entries left out, symbolic links not followed)."""

    files: frozenset[str]
    """Regular files, by POSIX path relative to the folder."""
    others: frozenset[str]
    """Everything that is neither a regular file nor a folder: symbolic links, sockets."""
    dirs: frozenset[str]


def describe(path: Path) -> str:
    """A path as messages show it: as the user gave it, relative when under the cwd."""
    if path.is_absolute():
        with contextlib.suppress(ValueError):
            return printable(os.path.relpath(path)) if Path.cwd() in path.parents else str(path)
    return printable(str(path))


def refuse_unsafe_target(
    output: Path, protected: Mapping[str, Path], closed: Iterable[str], clean: bool
) -> None:
    """Refuse an output that is not a folder, that contains one of ``protected`` (label →
    path: the source, content/, layouts/, site.yaml) or lies inside one of those named
    ``closed`` (content/, layouts/), whatever the flags.

    Both sides are resolved, so a symbolic link cannot disguise the source (``content``
    linked to a folder elsewhere, and the output that folder's parent).
    """
    shown = describe(output)
    if output.is_symlink() and not output.exists():
        raise OutputProblem(f"output '{shown}' is a broken symbolic link")
    if output.exists() and not output.is_dir():
        raise OutputProblem(f"output '{shown}' is a file, not a folder; choose a folder")
    real = output.resolve()
    for label, path in protected.items():
        target = path.resolve()
        if real == target or real in target.parents:
            raise OutputProblem(f"output folder '{shown}' contains {label}; choose another folder")
    for label in closed:
        if label in protected and protected[label].resolve() in real.parents:
            raise OutputProblem(f"output folder '{shown}' lies inside {label}; choose another")
    home = Path.home().resolve()
    if clean and (real == Path(real.anchor) or real == home or real in home.parents):
        raise OutputProblem(f"refusing to --clean '{shown}': it holds your home folder")


def protected_paths(source: Path) -> dict[str, Path]:
    """What no output folder may contain or lie in, however the paths are spelt."""
    paths = {
        "the source folder": source,
        "content/": source / CONTENT,
        "layouts/": source / LAYOUTS_DIR,
        CONFIG_NAME: source / CONFIG_NAME,
        "the default theme": default_layouts_dir(),
    }
    return {label: path for label, path in paths.items() if path.exists()}


CLOSED_FOLDERS = ("content/", "layouts/", "the default theme")
"""Folders no output may lie in (an output inside the source, like ``site/``, is fine)."""


def output_folder(source: Path, output: Path, clean: bool = False) -> OutputFolder:
    """The output folder of a build of ``source``, refused at once (``OutputProblem``) if
    it is unsafe or holds files the build did not write."""
    refuse_unsafe_target(output, protected_paths(source), CLOSED_FOLDERS, clean)
    folder = OutputFolder(output, clean=clean)
    folder.check()
    return folder


class OutputFolder:
    """The user's output folder, of which the build owns only the files it recorded.

    Use ``check`` before a long build (it refuses a folder of foreign files at once),
    then ``replace_all`` (a whole build) or ``update`` (the preview's few changed files).
    Both hold the folder's lock while they work; ``locked`` holds it for longer (the
    whole preview session).
    """

    def __init__(self, path: Path, *, clean: bool = False, lock_wait: float | None = None):
        self.path = path
        self.clean = clean
        self.lock_wait = LOCK_WAIT_SECONDS if lock_wait is None else lock_wait
        self._lock_fd: int | None = None

    @property
    def shown(self) -> str:
        return describe(self.path)

    def check(self) -> None:
        """Raise ``OutputProblem`` now if writing would need to touch files not ours."""
        if not self.path.is_dir() or self.clean:
            return
        if self._read_manifest() is None:
            scan = self._scan()
            if scan.files or scan.others:
                raise self._foreign_problem(scan.files | scan.others)

    # -- writing --------------------------------------------------------------------------

    def replace_all(
        self,
        files: Iterable[tuple[str, Content]],
        keep: Iterable[str] = (),
        *,
        check: Callable[[], None] | None = None,
    ) -> WriteReport:
        """Make the folder hold exactly ``files`` and ``keep`` among what the build owns:
        write ``files``, leave ``keep`` (files of ours already there) as they are.

        ``check`` is called before each file is staged; what it raises (a stop of the
        preview) abandons the write, leaving the folder as it was."""
        with self.locked():
            return self._write(dict(files), full=True, keep=frozenset(keep), check=check)

    def update(
        self,
        changed: Mapping[str, Content],
        removed: Iterable[str],
        *,
        check: Callable[[], None] | None = None,
    ) -> WriteReport:
        """Write ``changed`` and remove ``removed``, trusting the caller's diff (``check``
        as for ``replace_all``)."""
        with self.locked():
            return self._write(dict(changed), full=False, removed=frozenset(removed), check=check)

    def _write(
        self,
        files: dict[str, Content],
        *,
        full: bool,
        removed: frozenset[str] = frozenset(),
        keep: frozenset[str] = frozenset(),
        check: Callable[[], None] | None = None,
    ) -> WriteReport:
        self.path.mkdir(parents=True, exist_ok=True)
        self._remove_debris()
        recorded = self._recorded()
        # With a record, only where this build writes can a foreign file be in the way;
        # without one (or to --clean), the whole folder is looked at.
        scan = self._probe(files) if recorded is not None and not self.clean else self._scan()
        foreign = (scan.files - (recorded or frozenset())) | scan.others
        if not self.clean:
            if recorded is None and foreign:
                raise self._foreign_problem(foreign)
            self._refuse_clashes(files, foreign, scan)
        owned = recorded or frozenset()
        keep = keep & owned
        stale = (owned - files.keys() - keep) if full else (removed & owned)
        doomed = foreign if self.clean else frozenset()
        # Rendered bytes where nothing lies yet replace nothing: they are written in place
        # during the commit rather than staged and renamed (most of a first build's
        # files). Copies are staged all the same: their source may be gone by now.
        fresh = {
            rel: files[rel]
            for rel in files.keys() - scan.files - scan.others - scan.dirs
            if isinstance(files[rel], bytes)
        }
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.path))
        try:
            replacing = {rel: content for rel, content in files.items() if rel not in fresh}
            staged = self._stage(staging, replacing, owned, check)
            if check is not None:
                check()
            self._commit(staging, staged, stale, doomed, fresh, widened=owned | files.keys())
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        written = len(staged) + len(fresh)
        unchanged = len(files) - written + len(keep)
        signatures = self._signatures(files)
        return WriteReport(written, unchanged, len(stale) + len(doomed), signatures)

    def _signatures(self, files: Iterable[str]) -> dict[str, FileSignature]:
        """What ``os.stat`` says of each file now: a later build leaves an unchanged page
        alone while its file still shows the same."""
        found: dict[str, FileSignature] = {}
        for rel in files:
            signature = FileSignature.of(self.path / rel, follow_symlinks=False)
            if signature is not None:
                found[rel] = signature
        return found

    def _recorded(self) -> frozenset[str] | None:
        """The record, or with ``--clean`` None when it is damaged (everything goes then)."""
        try:
            return self._read_manifest()
        except OutputProblem:
            if self.clean:
                return None
            raise

    def _stage(
        self,
        staging: Path,
        files: Mapping[str, Content],
        owned: frozenset[str],
        check: Callable[[], None] | None = None,
    ) -> list[str]:
        """Write every file that differs from what the folder holds into ``staging``."""
        staged = []
        for rel in sorted(files):
            if check is not None:
                check()
            content = files[rel]
            if rel in owned and _same_content(self.path / rel, content):
                continue
            _write_file(staging / rel, content)
            staged.append(rel)
        return staged

    def _commit(
        self,
        staging: Path,
        staged: list[str],
        stale: frozenset[str],
        foreign: frozenset[str],
        fresh: Mapping[str, Content],
        *,
        widened: frozenset[str],
    ) -> None:
        """Write the ``fresh`` files (where nothing stood), move the staged files in and
        the ``stale`` ones out (see the module docstring); with ``--clean``, remove the
        ``foreign`` ones first, as one may stand where a new file goes.

        The record first grows to cover old and new files, so that whenever the commit
        stops, every file of ours in the folder is in the record."""
        try:
            with signals_held():
                self._write_manifest(widened)
                for rel in sorted(foreign):
                    _remove_file(self.path, rel)
                for rel in sorted(fresh):
                    _write_file(self.path / rel, fresh[rel])
                new = {rel for rel in staged if not (self.path / rel).exists()}
                for rel in sorted(new) + [rel for rel in staged if rel not in new]:
                    target = self.path / rel
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(staging / rel, target)
                for rel in sorted(stale):
                    _remove_file(self.path, rel)
                self._write_manifest(widened - stale)
        except Interrupted as exc:  # delivered when the held signals were released
            exc.output_changed = True
            raise

    # -- the record -----------------------------------------------------------------------

    def recorded_under(self, folder: str) -> frozenset[str]:
        """The recorded files under ``folder`` (none when there is no valid record)."""
        try:
            recorded = self._read_manifest() or frozenset()
        except OutputProblem:
            return frozenset()
        prefix = folder.rstrip("/") + "/"
        return frozenset(rel for rel in recorded if rel.startswith(prefix))

    def _read_manifest(self) -> frozenset[str] | None:
        """The paths an earlier build wrote, or None when there is no (valid) record."""
        path = self.path / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise OutputProblem(
                f"output folder '{self.shown}' has an unreadable record of its files "
                f"({MANIFEST}: {printable(str(exc))}); remove it and pass --clean"
            ) from None
        files = data.get("files") if isinstance(data, dict) else None
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            raise OutputProblem(
                f"output folder '{self.shown}' has a damaged record of its files ({MANIFEST}); "
                "remove it and pass --clean"
            )
        # Never act on an entry that could lead outside the folder, however it got there.
        return frozenset(f for f in files if _is_owned_shape(f))

    def _write_manifest(self, files: Iterable[str]) -> None:
        record = {
            "about": "Files the dossier build wrote into this folder. A build replaces and "
            "removes only these; everything else here is left as it is.",
            "files": sorted(files),
        }
        text = json.dumps(record, indent=1, ensure_ascii=False) + "\n"
        temporary = self.path / f"{MANIFEST}.tmp"
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, self.path / MANIFEST)

    # -- what the folder holds ------------------------------------------------------------

    def _scan(self) -> _Scan:
        files: set[str] = set()
        others: set[str] = set()
        dirs: set[str] = set()
        pending = [("", self.path)]
        while pending:
            prefix, folder = pending.pop()
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    rel = prefix + entry.name
                    if entry.is_dir(follow_symlinks=False):
                        dirs.add(rel)
                        pending.append((rel + "/", Path(entry.path)))
                    elif entry.is_file(follow_symlinks=False):
                        files.add(rel)
                    else:
                        others.add(rel)
        return _Scan(frozenset(files), frozenset(others), frozenset(dirs))

    def _probe(self, rels: Iterable[str]) -> _Scan:
        """What lies at these paths and the folders above them (links not followed)."""
        files: set[str] = set()
        others: set[str] = set()
        dirs: set[str] = set()
        seen: set[str] = set()
        for rel in rels:
            parts = rel.split("/")
            for depth in range(1, len(parts) + 1):
                sub = "/".join(parts[:depth])
                if sub in seen:
                    continue
                seen.add(sub)
                try:
                    mode = os.lstat(os.path.join(self.path, sub)).st_mode
                except (FileNotFoundError, NotADirectoryError):
                    break  # nothing below a path that is not there, or not a folder
                except OSError:
                    others.add(sub)
                    break
                if stat.S_ISDIR(mode):
                    dirs.add(sub)
                elif stat.S_ISREG(mode):
                    files.add(sub)
                else:
                    others.add(sub)
        return _Scan(frozenset(files), frozenset(others), frozenset(dirs))

    def _foreign_problem(self, foreign: Iterable[str]) -> OutputProblem:
        tops = sorted({_top_entry(rel) for rel in foreign})
        shown = ", ".join(printable(t) for t in tops[:_SHOWN_FOREIGN])
        if len(tops) > _SHOWN_FOREIGN:
            shown += f" and {len(tops) - _SHOWN_FOREIGN} more"
        return OutputProblem(
            f"output folder '{self.shown}' holds files this tool did not write ({shown}); "
            "choose an empty folder or pass --clean"
        )

    def _refuse_clashes(
        self, files: Mapping[str, Content], foreign: frozenset[str], scan: _Scan
    ) -> None:
        """A foreign file where an output goes (or a folder where a file goes) is never
        overwritten: the user put it there."""
        clashes = set()
        for rel in files:
            if rel in foreign or rel in scan.dirs:
                clashes.add(rel)
                continue
            parts = rel.split("/")
            for depth in range(1, len(parts)):
                if "/".join(parts[:depth]) in foreign:
                    clashes.add("/".join(parts[:depth]))
                    break
        if clashes:
            listed = ", ".join(printable(c) for c in sorted(clashes)[:_SHOWN_FOREIGN])
            if len(clashes) > _SHOWN_FOREIGN:
                listed += f" and {len(clashes) - _SHOWN_FOREIGN} more"
            raise OutputProblem(
                f"output folder '{self.shown}' holds files this tool did not write where the "
                f"site goes ({listed}); move them away or pass --clean"
            )

    def _remove_debris(self) -> None:
        """Staging folders of builds that were killed (SIGKILL) before they could clean up.

        Called with the lock held, so no live build's staging folder is among them.
        """
        for entry in self.path.iterdir():
            if entry.name.startswith(STAGING_PREFIX) and not entry.is_symlink() and entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
        parent, name = self.path.parent, self.path.name
        with contextlib.suppress(OSError):
            for entry in parent.iterdir():
                legacy = any(entry.name.startswith(f".{name}{mark}") for mark in _LEGACY_DEBRIS)
                if legacy and not entry.is_symlink() and entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)

    # -- the lock -------------------------------------------------------------------------

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the folder's lock (re-entrant for this object)."""
        if self._lock_fd is not None:
            yield
            return
        self.path.mkdir(parents=True, exist_ok=True)
        self._lock_fd = _acquire_lock(self.path / LOCK, self.lock_wait, self.shown)
        try:
            yield
        finally:
            fd, self._lock_fd = self._lock_fd, None
            with contextlib.suppress(OSError):
                os.unlink(self.path / LOCK)
            os.close(fd)


def _acquire_lock(path: Path, wait: float, shown: str) -> int:
    """An open, locked descriptor of ``path``, waiting up to ``wait`` seconds for it.

    The holder removes the lock file when done, so after getting the lock we check that
    the file we locked is still the one at ``path`` (else a third build could lock a new
    file and run beside us) and start again if not.
    """
    deadline = time.monotonic() + wait
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        if _try_lock(fd):
            try:
                same = os.fstat(fd).st_ino == os.stat(path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                return fd
        os.close(fd)
        if time.monotonic() >= deadline:
            raise OutputProblem(f"output folder '{shown}' is being written by another build")
        time.sleep(0.05)


def _try_lock(fd: int) -> bool:
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    return True


def _is_owned_shape(rel: str) -> bool:
    """Whether a recorded path is one a build could have written: relative, no ``..``,
    no hidden or empty segment."""
    if not rel or "\x00" in rel or "\\" in rel:
        return False
    # Every segment non-empty and none hidden (``..`` included), as string tests: the
    # record of a large site has tens of thousands of paths, read by every build.
    return not (rel[0] in "/." or rel[-1] == "/" or "//" in rel or "/." in rel)


def _top_entry(rel: str) -> str:
    head, sep, _rest = rel.partition("/")
    return f"{head}/…" if sep else head


def _same_content(path: Path, content: Content) -> bool:
    """Whether ``path`` is a regular file already holding ``content``."""
    try:
        info = path.lstat()
        if not os.path.isfile(path) or os.path.islink(path):
            return False
        if isinstance(content, bytes):
            return info.st_size == len(content) and path.read_bytes() == content
        with open(path, "rb") as mine, content.open() as theirs:
            if info.st_size != os.fstat(theirs.fileno()).st_size:
                return False
            return _same_stream(mine, theirs)
    except OSError:
        return False


def _same_stream(a: BinaryIO, b: BinaryIO) -> bool:
    while True:
        chunk_a, chunk_b = a.read(1 << 16), b.read(1 << 16)
        if chunk_a != chunk_b:
            return False
        if not chunk_a:
            return True


def _write_file(dest: Path, content: Content) -> None:
    """Write one output file: rendered bytes, or a copy of a source file."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open(dest, "xb") as out:
        if isinstance(content, bytes):
            out.write(content)
        else:
            with content.open() as source:  # refuses a link swapped in since the walk
                shutil.copyfileobj(source, out)


def _remove_file(root: Path, rel: str) -> None:
    """Remove one file of ours (never following a link) and the folders it leaves empty."""
    path = root / rel
    with contextlib.suppress(FileNotFoundError):
        if path.is_dir() and not path.is_symlink():
            return  # a folder where our file was: not ours to remove
        path.unlink()
    for parent in path.parents:
        if parent == root or not parent.is_relative_to(root):
            break
        try:
            parent.rmdir()
        except OSError:
            break
