"""What each page read from the content graph, recorded while its view is built.

Like Hugo's and Lektor's dependency tracking, the record is made at access time instead of
being declared: a ``GraphReader`` stands in for the ``ContentGraph`` while one page is
built and notes every lookup (which mapping, which key, what value it gave). After an
edit, a page must be rendered again exactly when one of those lookups now gives another
value, or its templates changed; every other page is still byte-identical. That covers
what a hand-written rule list misses (a tag's preferred spelling changing because another
article was added, a topic gaining a member, an article dropping out of "more on this").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Literal, TypeVar, overload

from dossierpress.content.markdown import ParsedBody
from dossierpress.content.model import Article, Author, Document, Topic
from dossierpress.graph.model import (
    MORE_ON_THIS_LIMIT,
    Citation,
    ContentGraph,
    RelatedTopicLink,
    Suggestion,
    TagInfo,
    TimelineEvent,
    document_at,
    more_on_this,
)
from dossierpress.graph.ranking import FeatureMasks
from dossierpress.pictures.model import Picture

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")

ALL_KEYS = "<all keys>"
"""The key recorded when a page iterates over a whole mapping (an index, the archive)."""
SUMMARY = "summary"
"""The name under which a document's summary text is recorded."""
_MISSING = object()

Entry = tuple[str, Any]
"""(mapping name, key): one entry of the content graph."""
Read = tuple[Any, ...]
"""(mapping name, key) of one lookup, or (mapping name, key, attributes) when only some
attributes of the value were used (no attributes: only whether the key exists)."""
FieldsOf = Literal["articles", "topics", "tags", "authors"]
"""The mappings whose values a page may read only some attributes of (``fields``)."""
Fields = tuple[str, ...]


class RecordingMapping(Mapping[K, V]):
    """A read-only view of one graph mapping that records the lookups made through it."""

    def __init__(self, name: str, data: Mapping[K, V], reads: dict[Read, Any]) -> None:
        self._name = name
        self._data = data
        self._reads = reads

    def __getitem__(self, key: K) -> V:
        value = self._data[key]
        self._reads[(self._name, key)] = value
        return value

    @overload
    def get(self, key: K, /) -> V | None: ...
    @overload
    def get(self, key: K, default: V, /) -> V: ...
    @overload
    def get(self, key: K, default: T, /) -> V | T: ...
    def get(self, key: K, default: object = None, /) -> object:
        value = self._data.get(key, _MISSING)
        self._reads[(self._name, key)] = value
        return default if value is _MISSING else value

    def __contains__(self, key: object) -> bool:
        found = key in self._data
        self._reads[(self._name, key, ())] = found
        return found

    def __iter__(self) -> Iterator[K]:
        self._reads[(self._name, ALL_KEYS)] = tuple(self._data)
        return iter(self._data)

    def __reversed__(self) -> Iterator[K]:
        self._reads[(self._name, ALL_KEYS)] = tuple(self._data)
        return reversed(tuple(self._data))

    def __len__(self) -> int:
        self._reads[(self._name, ALL_KEYS)] = tuple(self._data)
        return len(self._data)


class GraphReader:
    """The content graph as one page reads it; ``reads`` is what the page depends on.

    Every mapping and query of ``ContentGraph`` a page may use is spelt out here, with its
    type, and recorded; there is deliberately no ``__getattr__``, so a query this class
    does not know cannot type-check and raises ``AttributeError`` instead of silently
    going unrecorded (a page that depended on it would go stale in the preview).
    """

    def __init__(self, graph: ContentGraph) -> None:
        self._graph = graph
        self.reads: dict[Read, Any] = {}
        reads = self.reads
        self.articles: RecordingMapping[str, Article] = RecordingMapping(
            "articles", graph.articles, reads
        )
        self.topics: RecordingMapping[str, Topic] = RecordingMapping("topics", graph.topics, reads)
        self.topic_paths: RecordingMapping[str, str] = RecordingMapping(
            "topic_paths", graph.topic_paths, reads
        )
        self.article_topics: RecordingMapping[str, tuple[str, ...]] = RecordingMapping(
            "article_topics", graph.article_topics, reads
        )
        self.topic_articles: RecordingMapping[str, tuple[str, ...]] = RecordingMapping(
            "topic_articles", graph.topic_articles, reads
        )
        self.tags: RecordingMapping[str, TagInfo] = RecordingMapping("tags", graph.tags, reads)
        self.article_tags: RecordingMapping[str, tuple[str, ...]] = RecordingMapping(
            "article_tags", graph.article_tags, reads
        )
        self.related: RecordingMapping[str, tuple[Citation, ...]] = RecordingMapping(
            "related", graph.related, reads
        )
        self.sources: RecordingMapping[str, tuple[Citation, ...]] = RecordingMapping(
            "sources", graph.sources, reads
        )
        self.wikilinks: RecordingMapping[str, Mapping[str, str]] = RecordingMapping(
            "wikilinks", graph.wikilinks, reads
        )
        self.mentions: RecordingMapping[str, tuple[str, ...]] = RecordingMapping(
            "mentions", graph.mentions, reads
        )
        self.pinned: RecordingMapping[str, tuple[str, ...]] = RecordingMapping(
            "pinned", graph.pinned, reads
        )
        self.related_topics: RecordingMapping[str, tuple[RelatedTopicLink, ...]] = RecordingMapping(
            "related_topics", graph.related_topics, reads
        )
        self.translations: RecordingMapping[str, tuple[str, ...]] = RecordingMapping(
            "translations", graph.translations, reads
        )
        self.parsed: RecordingMapping[str, ParsedBody] = RecordingMapping(
            "parsed", graph.parsed, reads
        )
        self.pictures: RecordingMapping[str, Picture] = RecordingMapping(
            "pictures", graph.pictures, reads
        )
        self.authors: RecordingMapping[str, Author] = RecordingMapping(
            "authors", graph.authors, reads
        )
        self.article_authors: RecordingMapping[str, tuple[str | None, ...]] = RecordingMapping(
            "article_authors", graph.article_authors, reads
        )
        self.author_articles: RecordingMapping[str, tuple[str, ...]] = RecordingMapping(
            "author_articles", graph.author_articles, reads
        )
        self.events: RecordingMapping[str, tuple[TimelineEvent, ...]] = RecordingMapping(
            "events", graph.events, reads
        )

    @property
    def feature_masks(self) -> FeatureMasks:
        """Not recorded: the masks are a function of memberships, which ``suggestions``
        reads (and records) through this reader."""
        return self._graph.feature_masks

    @overload
    def fields(self, name: Literal["articles"], key: str, attributes: Fields) -> Article: ...
    @overload
    def fields(self, name: Literal["topics"], key: str, attributes: Fields) -> Topic: ...
    @overload
    def fields(self, name: Literal["tags"], key: str, attributes: Fields) -> TagInfo: ...
    @overload
    def fields(self, name: Literal["authors"], key: str, attributes: Fields) -> Author: ...
    def fields(
        self, name: FieldsOf, key: str, attributes: Fields
    ) -> Article | Topic | TagInfo | Author:
        """``graph.<name>[key]``, depending only on the given attributes of it.

        A list showing an article's title and date must not go stale when its body is
        edited; reading the whole object would make it depend on every field.
        """
        value = getattr(self._graph, name)[key]
        self.reads[(name, key, attributes)] = tuple(getattr(value, a) for a in attributes)
        return value

    def suggestions(self, path: str, limit: int = MORE_ON_THIS_LIMIT) -> tuple[Suggestion, ...]:
        return more_on_this(self, path, limit)

    def document(self, path: str) -> Document:
        return document_at(self, path)

    def summary(self, doc: Document) -> str:
        # Recorded as the text itself, not the parsed body it may come from: an edit
        # further down an article does not make every list showing it stale.
        text = self._graph.summary(doc)
        self.reads[(SUMMARY, doc.path)] = text
        return text


def lookup(graph: ContentGraph, read: Read) -> Any:
    """What a recorded read gives in ``graph`` now."""
    name, key = read[0], read[1]
    if len(read) == 3:
        value = getattr(graph, name).get(key, _MISSING)
        if not read[2]:
            return value is not _MISSING
        return _MISSING if value is _MISSING else tuple(getattr(value, a) for a in read[2])
    if name == SUMMARY:
        if key in graph.articles or key in graph.topic_paths or key in graph.authors:
            return graph.summary(graph.document(key))
        return _MISSING
    data: Mapping[Any, Any] = getattr(graph, name)
    if key == ALL_KEYS:
        return tuple(data)
    return data.get(key, _MISSING)


def stale(
    reads: Iterable[Read], before: ContentGraph, after: ContentGraph, entries: Iterable[Entry]
) -> bool:
    """Whether any of ``reads`` of one of ``entries`` gives another value in ``after``.

    A page's reads gave, when it was rendered, the values they give in ``before`` (the
    graph of the last successful build: the page was rendered from it, or was checked
    against it and kept), so comparing the two graphs needs no values stored with the
    page. ``entries`` are the graph entries known to differ: an archive page holds
    thousands of reads, one of which changed.
    """
    wanted = set(entries)
    for read in reads:
        if (read[0], read[1]) in wanted:
            old, new = lookup(before, read), lookup(after, read)
            if old is not new and old != new:
                return True
    return False


class SharedReads:
    """One object for each distinct read across the pages of a build.

    Pages read the same entries over and over (every list shows the same cards): on a
    10,000-article archive 1.4 million reads hold 180,000 distinct ones. Sharing them
    halves the state in memory and on disk, where pickle writes a shared object once.
    """

    def __init__(self) -> None:
        self._seen: dict[Read, Read] = {}

    def of(self, reads: Iterable[Read]) -> tuple[Read, ...]:
        seen = self._seen
        shared = []
        for read in reads:
            try:
                shared.append(seen.setdefault(read, read))
            except TypeError:  # a value that cannot be hashed is kept as it is
                shared.append(read)
        return tuple(shared)


class ReadIndex:
    """Which pages read which graph entries, so a rebuild checks only pages that may be stale.

    Checking every page's every lookup costs as much as the site is large; instead the
    new graph is compared with the previous one mapping by mapping (cheap: unchanged
    documents are the very same objects) and only the readers of entries that differ are
    checked precisely with ``PageDeps.stale``.
    """

    def __init__(self) -> None:
        self.readers: dict[tuple[str, Any], set[str]] = {}

    @classmethod
    def of(cls, pages: Iterable[tuple[str, Iterable[Read]]]) -> ReadIndex:
        index = cls()
        for output, reads in pages:
            index.add(output, reads)
        return index

    def add(self, output: str, reads: Iterable[Read]) -> None:
        for read in reads:
            self.readers.setdefault((read[0], read[1]), set()).add(output)

    def remove(self, output: str, reads: Iterable[Read]) -> None:
        for read in reads:
            readers = self.readers.get((read[0], read[1]))
            if readers is not None:
                readers.discard(output)

    def suspects(self, entries: Iterable[Entry]) -> dict[str, list[Entry]]:
        """Pages that read one of ``entries``, with the entries each read."""
        found: dict[str, list[Entry]] = {}
        for entry in entries:
            for output in self.readers.get(entry, ()):
                found.setdefault(output, []).append(entry)
        return found


MAPPINGS = (
    "articles",
    "topics",
    "topic_paths",
    "article_topics",
    "topic_articles",
    "tags",
    "article_tags",
    "related",
    "sources",
    "wikilinks",
    "mentions",
    "pinned",
    "related_topics",
    "translations",
    "parsed",
    "pictures",
    "authors",
    "article_authors",
    "author_articles",
    "events",
)
"""The graph's mappings a page reads through ``GraphReader`` (and ``SUMMARY``)."""


def changed_entries(old: ContentGraph, new: ContentGraph) -> list[Entry]:
    """(mapping name, key) of every entry that differs, ``ALL_KEYS`` when the keys do."""
    changed: list[Entry] = []
    for name in MAPPINGS:
        before, after = getattr(old, name), getattr(new, name)
        if before is after:  # carried over whole from the previous graph
            continue
        if tuple(before) != tuple(after):
            changed.append((name, ALL_KEYS))
        for key in before.keys() | after.keys():
            a, b = before.get(key, _MISSING), after.get(key, _MISSING)
            if a is not b and a != b:
                changed.append((name, key))
    # A summary comes from its document and its parsed body: suspect it with them.
    for name, key in list(changed):
        if name in ("articles", "authors") and key != ALL_KEYS:
            changed.append((SUMMARY, key))
        elif name == "topics" and key != ALL_KEYS:
            changed.append((SUMMARY, old.topics[key].path if key in old.topics else ""))
            if key in new.topics:
                changed.append((SUMMARY, new.topics[key].path))
        elif name == "parsed" and key != ALL_KEYS:
            changed.append((SUMMARY, key))
    return changed
