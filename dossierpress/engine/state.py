"""What a build may reuse from the builds before it.

A ``BuildState`` is everything one build leaves for the next: each content file as last
read (its stat signature, the digest of its bytes, the document and parsed body made of
them), the content graph of the last successful build, and each page as last rendered
(its plan, what it read from the graph, the templates that rendered it, the digest of
its bytes). Nothing in it depends on object identity, so the same state serves a cold
build (an empty state), the live preview (kept in memory between saves) and a persistent
cache (``cache.DiskCache``, restored by another process).

A page's reads are kept without the values they gave: those are the values the reads
give in the state's graph (the page was rendered from that graph, or checked against it
and kept), so a page record stays small and a rebuild compares two graphs instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from dossierpress.content.markdown import ParsedBody
from dossierpress.content.model import Article, Author, Topic
from dossierpress.content.publication import Window
from dossierpress.content.walk import SourceFile
from dossierpress.engine.changes import NOTHING, Changes
from dossierpress.errors import ContentError
from dossierpress.fileinfo import FileSignature
from dossierpress.graph.model import ContentGraph
from dossierpress.graph.reader import Entry, ReadIndex
from dossierpress.pages.plan import PagePlan
from dossierpress.pictures.model import PictureRecord


@dataclass(frozen=True)
class DocumentRecord:
    """One article, topic or author file as last read."""

    signature: FileSignature | None
    digest: str
    """Of the file's bytes ("" when it could not be read)."""
    document: Article | Topic | Author | None
    parsed: ParsedBody | None
    problems: tuple[ContentError, ...]


@dataclass(frozen=True)
class PageRecord:
    """One page as last rendered."""

    plan: PagePlan
    reads: tuple[tuple, ...]
    """What it read from the graph (see ``graph.reader``); the values are the graph's."""
    templates: frozenset[str]
    digest: str
    """Of its bytes."""
    data: bytes | None
    """Its bytes, where the state keeps them (in memory); None in a restored state, where
    the output folder holds them (``BuildState.outputs``)."""


@dataclass(frozen=True)
class StateIndex:
    """A summary of a ``BuildState``, saved beside it: enough to tell that nothing
    changed since (then a build needs nothing else), small enough to read in no time."""

    key: str
    files: dict[str, FileSignature | None]
    """Each article and topic file's signature when it was read."""
    listing: tuple[tuple[str, str], ...]
    listing_problems: tuple[ContentError, ...]
    templates: dict[str, str]
    catalogs: dict[str, str]
    copied: dict[str, tuple[SourceFile, FileSignature | None]]
    outputs: dict[str, tuple[str, FileSignature]]
    pages: tuple[str, ...]
    warnings: tuple[ContentError, ...]
    failed: bool
    """The last build failed: its problems must be found (and told) again."""
    window: Window = field(default_factory=Window)
    """The times at which a build publishes the same articles (``publication``): a
    build at a time outside it is not "nothing changed", whatever the files say."""
    search_owed: bool = False
    """The search index lags the pages (see ``BuildState.search_owed``): a build that
    indexes is not "nothing changed"."""
    pictures: dict[str, FileSignature | None] = field(default_factory=dict)
    """Each picture file's signature when it was processed."""


@dataclass
class BuildState:
    """See the module docstring. A build replaces what it rebuilt and keeps the rest."""

    key: str = ""
    """Engine version and effective settings: a state under another key is not reused."""
    documents: dict[str, DocumentRecord] = field(default_factory=dict)
    listing: list[tuple[str, str]] | None = None
    """The last walk of ``content/`` (reused while the watcher names only known files)."""
    listing_problems: list[ContentError] = field(default_factory=list)
    graph: ContentGraph | None = None
    """The graph of the last successful build."""
    pages: dict[str, PageRecord] = field(default_factory=dict)
    copied: dict[str, tuple[SourceFile, FileSignature | None]] = field(default_factory=dict)
    templates: dict[str, str] = field(default_factory=dict)
    """Digest of each template the last successful build used, by name."""
    catalogs: dict[str, str] = field(default_factory=dict)
    """Digest of each language's translation catalogues."""
    outputs: dict[str, tuple[str, FileSignature]] = field(default_factory=dict)
    """Pages in the output folder: their digest and the signature they were written with,
    so an unchanged page is left there rather than rendered again."""
    bytecode: dict[str, bytes] = field(default_factory=dict)
    """Compiled templates (Jinja checks each against its source)."""
    warnings: tuple[ContentError, ...] = ()
    """Of the last successful build, told again by a build that finds nothing changed."""
    pending: Changes = NOTHING
    """Changes since the last successful build: a failed build's changes still count."""
    failed: bool = False
    """Whether the last build failed (its records are kept, its problems are not)."""
    readers: ReadIndex | None = None
    """Which pages read which entries (kept in memory only; a restored state scans)."""
    bodies: Any = None
    """Where a restored state's bodies' HTML is (``cache.BodyStore``); None in memory."""
    window: Window = field(default_factory=Window)
    """Of the last successful build: while the time stays in it, the same articles are
    published and scheduled as then."""
    search_owed: bool = False
    """The output folder's search index lags its pages: a build wrote pages it did not
    index (Pagefind failed, or ``--no-search``), so the next build that indexes must,
    whatever else changed."""

    pictures: dict[str, PictureRecord] = field(default_factory=dict)
    """Each picture a page used, as last processed (its files are in the picture store)."""

    def index(self) -> StateIndex:
        """What a later build needs to tell that nothing changed, and nothing more."""
        return StateIndex(
            key=self.key,
            files={rel: record.signature for rel, record in self.documents.items()},
            listing=tuple(self.listing or ()),
            listing_problems=tuple(self.listing_problems),
            templates=dict(self.templates),
            catalogs=dict(self.catalogs),
            copied=dict(self.copied),
            outputs=dict(self.outputs),
            pages=tuple(self.pages),
            warnings=self.warnings,
            failed=self.failed,
            window=self.window,
            search_owed=self.search_owed,
            pictures={rel: record.signature for rel, record in self.pictures.items()},
        )

    def suspects(self, entries: Iterable[Entry]) -> dict[str, list[Entry]]:
        """Pages that read one of ``entries``, with those entries."""
        wanted = list(entries)
        if self.readers is not None:
            return self.readers.suspects(wanted)
        found: dict[str, list[Entry]] = {}
        keys = set(wanted)
        for output, record in self.pages.items():
            hits = {(read[0], read[1]) for read in record.reads} & keys
            if hits:
                found[output] = sorted(hits, key=repr)
        return found
