"""Walk ``content/`` and turn it into validated articles, topics and assets.

``content/articles/**/*.md`` are articles (any nesting), ``content/topics/<slug>.md`` are
topics, and every other file is an asset copied as it is. Editors' temporary and backup
files are skipped, symbolic links are never followed out of ``content/``, and every
problem is collected (not raised) so one build reports them all. The walk is sorted, and
nothing here prints or keeps state: the same tree always loads to the same result.
"""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .config import SiteConfig
from .errors import ContentError, ErrorList
from .frontmatter import parse_article, parse_topic
from .model import Article, Asset, Topic

CONTENT = "content"
_TEMP_SUFFIXES = (".swp", ".swo", ".swx", ".tmp", "~", "___jb_tmp___", "___jb_old___")


@dataclass(frozen=True)
class LoadResult:
    """Everything read from ``content/``, in path order, and every problem found."""

    articles: tuple[Article, ...] = ()
    topics: tuple[Topic, ...] = ()
    assets: tuple[Asset, ...] = ()
    errors: list[ContentError] = field(default_factory=list)
    inputs: tuple[str, ...] = ()
    """Every source file read or copied (``content/...``), sorted: what the build depends on."""


@dataclass(frozen=True)
class _Folder:
    path: Path
    rel: str
    chain: frozenset[Path]
    """Real paths of this folder and its ancestors in the walk, to stop symbolic link loops."""


def is_temp_file(name: str) -> bool:
    """Whether a file or folder name belongs to an editor or the OS, not to the site.

    Vim swap files and its ``4913`` write probe, JetBrains' ``___jb_tmp___`` copies,
    Emacs ``#autosave#`` and ``.#lock`` files, ``backup~`` copies, ``*.tmp`` and every
    dotfile or dot-folder (``.DS_Store``, ``.git``). Shared with the live preview's
    watcher so both ignore the same files.
    """
    return (
        name.startswith(".")
        or name.lower().endswith(_TEMP_SUFFIXES)
        or (len(name) > 1 and name.startswith("#") and name.endswith("#"))
        or name == "4913"
    )


@dataclass
class DocumentCache:
    """Documents read by earlier builds, so a rebuild parses only the files that changed.

    A file is read again when it was named by ``forget`` (the live preview's watcher names
    every file it saw change: timestamps can be coarser than two quick saves of a file of
    the same size). While no file was added or removed, the last walk of ``content/`` is
    reused and other files are trusted unchanged; after a new walk, each file's stat
    signature is compared too. Entries depend on the site settings (the timezone of naive
    dates): ``clear`` when they change.
    """

    entries: dict[str, tuple[tuple[int, ...], Article | Topic | None, list[ContentError]]] = field(
        default_factory=dict
    )

    listing: list[tuple[str, Path]] | None = None
    """The files of the last walk of ``content/``, while no file was added or removed."""
    listing_errors: list[ContentError] = field(default_factory=list)
    named: set[str] = field(default_factory=set)
    """Files named by ``forget`` since the last load."""

    def forget(self, paths: Iterable[str]) -> None:
        """Drop these files, and everything below any of them that is a folder."""
        for gone in paths:
            self.named.add(gone)
            prefix = gone.rstrip("/") + "/"
            for rel in [r for r in self.entries if r == gone or r.startswith(prefix)]:
                del self.entries[rel]

    def clear(self) -> None:
        self.entries.clear()
        self.listing = None
        self.named.clear()

    def reusable_listing(self, source: Path) -> list[tuple[str, Path]] | None:
        """The last walk's files, when every file named since is one of them and still a
        regular file: an edit of existing files, the common case, needs no new walk."""
        if self.listing is None:
            return None
        known = {rel for rel, _ in self.listing}
        for rel in self.named:
            if rel not in known or not (source / rel).is_file() or (source / rel).is_symlink():
                return None
        return self.listing

    def load(
        self, kind: str, rel: str, path: Path, config: SiteConfig, errors: ErrorList
    ) -> Article | Topic | None:
        try:
            info = path.stat()
        except OSError:
            return _read_document(kind, rel, path, config, errors)
        signature = (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)
        cached = self.entries.get(rel)
        if cached is None or cached[0] != signature:
            found = ErrorList()
            document = _read_document(kind, rel, path, config, found)
            cached = (signature, document, found.errors)
            self.entries[rel] = cached
        errors.extend(cached[2])
        return cached[1]

    def reuse(self, rel: str, errors: ErrorList) -> Article | Topic | None:
        _signature, document, problems = self.entries[rel]
        errors.extend(problems)
        return document

    def keep_only(self, paths: Iterable[str]) -> None:
        for rel in set(self.entries) - set(paths):
            del self.entries[rel]


def load_content(
    source: Path, config: SiteConfig, *, drafts: bool, cache: DocumentCache | None = None
) -> LoadResult:
    """Read ``<source>/content/``; drafts are left out unless ``drafts`` is true.

    With a ``cache``, unchanged files give back the very objects of the previous build,
    which lets later stages tell what changed by identity.
    """
    root = source / CONTENT
    if not root.is_dir():
        hint = "run from the folder that holds content/, or pass --source"
        return LoadResult(errors=[ContentError(CONTENT, 1, "no content/ folder found", hint=hint)])
    errors = ErrorList()
    articles: list[Article] = []
    topics: list[Topic] = []
    assets: list[Asset] = []
    trusted = cache is not None and cache.reusable_listing(source) is not None
    files = _listing(source, root, errors, cache)
    for rel, path in files:
        kind = _kind_of(rel)
        if kind == "asset":
            assets.append(Asset(rel, rel.removeprefix(CONTENT + "/")))
            continue
        if cache is None:
            document = _read_document(kind, rel, path, config, errors)
        elif trusted and rel not in cache.named and rel in cache.entries:
            document = cache.reuse(rel, errors)  # the watcher would have named a change
        else:
            document = cache.load(kind, rel, path, config, errors)
        if isinstance(document, Topic):
            topics.append(document)
        elif document is not None and (drafts or not document.draft):
            articles.append(document)
    inputs = tuple(rel for rel, _ in files)
    if cache is not None:
        cache.keep_only(inputs)
        cache.named.clear()
    problems = sorted(errors.errors)
    return LoadResult(tuple(articles), tuple(topics), tuple(assets), problems, inputs)


def _listing(
    source: Path, root: Path, errors: ErrorList, cache: DocumentCache | None
) -> list[tuple[str, Path]]:
    """The files under ``content/``: walked afresh unless the cache's last walk still holds."""
    if cache is not None:
        reused = cache.reusable_listing(source)
        if reused is not None:
            errors.extend(cache.listing_errors)
            return reused
    walk_errors = ErrorList()
    files = _content_files(root, walk_errors)
    errors.extend(walk_errors.errors)
    if cache is not None:
        cache.listing, cache.listing_errors = files, walk_errors.errors
    return files


def _read_document(
    kind: str, rel: str, path: Path, config: SiteConfig, errors: ErrorList
) -> Article | Topic | None:
    if kind == "misplaced topic":
        errors.add(rel, 1, "topic files must be directly in content/topics/")
        return None
    text = _read_text(path, rel, errors)
    if text is None:
        return None
    document: Article | Topic | None
    if kind == "article":
        document, problems = parse_article(text, rel, config)
    else:
        document, problems = parse_topic(text, rel)
    errors.extend(problems)
    return document


def _kind_of(rel: str) -> str:
    """ "article", "topic", "misplaced topic" (nested under topics/) or "asset"."""
    parts = rel.split("/")[1:]
    if not parts[-1].lower().endswith(".md") or len(parts) < 2:
        return "asset"
    if parts[0] == "articles":
        return "article"
    if parts[0] == "topics":
        return "topic" if len(parts) == 2 else "misplaced topic"
    return "asset"


def _content_files(root: Path, errors: ErrorList) -> list[tuple[str, Path]]:
    """Every regular file under ``root`` as (``content/...`` path, path), sorted.

    Iterative, so folder depth cannot exhaust the stack. A symbolic link is followed only
    when it resolves inside ``content/`` and does not lead back to a folder being walked.
    """
    real_root = root.resolve()
    found: list[tuple[str, Path]] = []
    pending = [_Folder(root, CONTENT, frozenset({real_root}))]
    while pending:
        folder = pending.pop()
        try:
            names = sorted(entry.name for entry in os.scandir(folder.path))
        except OSError as exc:
            errors.add(folder.rel, 1, f"cannot read this folder: {exc.strerror or exc}")
            continue
        for name in names:
            entry = _visit(folder, name, real_root, errors)
            if isinstance(entry, _Folder):
                pending.append(entry)
            elif entry is not None:
                found.append(entry)
    return sorted(found)


def _visit(
    folder: _Folder, name: str, real_root: Path, errors: ErrorList
) -> _Folder | tuple[str, Path] | None:
    """One folder entry: a folder to walk, a file to load, or None (skipped or refused)."""
    if is_temp_file(name):
        return None
    path, rel = folder.path / name, f"{folder.rel}/{name}"
    if not _is_utf8(name):
        shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        errors.add(f"{folder.rel}/{shown}", 1, "file name is not valid UTF-8; rename it")
        return None
    if path.is_symlink() and not _link_allowed(path, rel, real_root, errors):
        return None
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        errors.add(rel, 1, f"cannot read this file: {exc.strerror or exc}")
        return None
    if stat.S_ISREG(mode):
        return rel, path
    if not stat.S_ISDIR(mode):
        errors.add(rel, 1, "not a regular file or folder")
        return None
    real = path.resolve()
    if real in folder.chain:
        errors.add(rel, 1, "symbolic link loop: leads back to a parent folder")
        return None
    return _Folder(path, rel, folder.chain | {real})


def _is_utf8(name: str) -> bool:
    """False for names the OS gave as undecodable bytes (they would break every message)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _link_allowed(path: Path, rel: str, real_root: Path, errors: ErrorList) -> bool:
    """A symbolic link must stay inside ``content/``: what it points at is published."""
    try:
        target = path.resolve()
    except (OSError, RuntimeError):
        errors.add(rel, 1, "symbolic link loop: it points back at itself")
        return False
    if not target.is_relative_to(real_root):
        errors.add(rel, 1, "symbolic link points outside content/; it is not followed")
        return False
    if not target.exists():
        errors.add(rel, 1, "broken symbolic link: its target does not exist")
        return False
    return True


def _read_text(path: Path, rel: str, errors: ErrorList) -> str | None:
    """The file as text: UTF-8, a leading byte order mark tolerated, not empty."""
    try:
        data = path.read_bytes().removeprefix(codecs.BOM_UTF8)
    except OSError as exc:
        errors.add(rel, 1, f"cannot read this file: {exc.strerror or exc}")
        return None
    if not data.strip():
        errors.add(rel, 1, "file is empty", hint="start it with front matter between `---` lines")
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        errors.add(rel, line, "not valid UTF-8", hint="save the file with UTF-8 encoding")
        return None
