"""Walk ``content/`` and turn it into validated articles, topics and assets.

``content/articles/**/*.md`` are articles (any nesting), ``content/topics/<slug>.md`` are
topics, and every other file is an asset copied as it is. Editors' temporary and backup
files are skipped, symbolic links are never followed out of ``content/`` (``walk``), and every
problem is collected (not raised) so one build reports them all. The walk is sorted, and
nothing here prints or keeps state: the same tree always loads to the same result.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from dossierpress.config import SiteConfig, format_size, parse_size
from dossierpress.content.frontmatter import parse_article, parse_topic
from dossierpress.content.model import Article, Asset, Topic
from dossierpress.content.walk import is_temp_file as is_temp_file  # the watcher's import
from dossierpress.content.walk import walk_files
from dossierpress.errors import ContentError, ErrorList

CONTENT = "content"


@dataclass(frozen=True)
class LoadResult:
    """Everything read from ``content/``, in path order, and every problem found."""

    articles: tuple[Article, ...] = ()
    topics: tuple[Topic, ...] = ()
    assets: tuple[Asset, ...] = ()
    errors: list[ContentError] = field(default_factory=list)
    inputs: tuple[str, ...] = ()
    """Every source file read or copied (``content/...``), sorted: what the build depends on."""


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
    files = walk_files(root, CONTENT, walk_errors)
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
    text = _read_text(path, rel, errors, config.max_file_size)
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


def _read_text(path: Path, rel: str, errors: ErrorList, max_size: int) -> str | None:
    """The file as text: UTF-8, a leading byte order mark tolerated, not empty, not too big."""
    try:
        data = _read_bytes(path, max_size)
    except OSError as exc:
        errors.add(rel, 1, f"cannot read this file: {exc.strerror or exc}")
        return None
    if isinstance(data, int):
        errors.add(rel, 1, _too_big(data, max_size), hint="max_file_size in site.yaml")
        return None
    data = data.removeprefix(codecs.BOM_UTF8)
    if not data.strip():
        errors.add(rel, 1, "file is empty", hint="start it with front matter between `---` lines")
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        errors.add(rel, line, "not valid UTF-8", hint="save the file with UTF-8 encoding")
        return None


def _read_bytes(path: Path, max_size: int) -> bytes | int:
    """The file's bytes, or its size when that is over ``max_size``.

    The size is checked before reading, so a 20 MB blob pasted into an article costs
    nothing; reading stops one byte past the limit in case the file grows meanwhile.
    """
    with path.open("rb") as file:
        size = os.fstat(file.fileno()).st_size
        if size > max_size:
            return size
        data = file.read(max_size + 1)
    return len(data) if len(data) > max_size else data


def _too_big(size: int, max_size: int) -> str:
    """ "file is 21.0 MB, over the 2 MB limit"; in bytes where rounding would hide the excess."""
    shown = format_size(size, decimals=1)
    if (parse_size(shown) or 0) <= max_size:
        shown = f"{size:,} bytes"
    return f"file is {shown}, over the {format_size(max_size)} limit"
