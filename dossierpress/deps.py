"""What each page read from the content graph, recorded while its view is built.

Like Hugo's and Lektor's dependency tracking, the record is made at access time instead of
being declared: a ``RecordingGraph`` stands in for the ``ContentGraph`` while one page is
built and notes every lookup (which mapping, which key, what value it gave). After an
edit, a page must be rendered again exactly when one of those lookups now gives another
value, or its templates changed; every other page is still byte-identical. That covers
what a hand-written rule list misses (a tag's preferred spelling changing because another
article was added, a topic gaining a member, an article dropping out of "more on this").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .graph import ContentGraph

ALL_KEYS = "<all keys>"
"""The key recorded when a page iterates over a whole mapping (an index, the archive)."""
SUMMARY = "summary"
"""The name under which a document's summary text is recorded."""
_MISSING = object()

Read = tuple[str, Any]
"""(mapping name, key) of one lookup."""


class RecordingMapping(Mapping[Any, Any]):
    """A read-only view of one graph mapping that records the lookups made through it."""

    def __init__(self, name: str, data: Mapping[Any, Any], reads: dict[Read, Any]) -> None:
        self._name = name
        self._data = data
        self._reads = reads

    def __getitem__(self, key: Any) -> Any:
        value = self._data[key]
        self._reads[(self._name, key)] = value
        return value

    def get(self, key: Any, default: Any = None) -> Any:
        value = self._data.get(key, _MISSING)
        self._reads[(self._name, key)] = value
        return default if value is _MISSING else value

    def __contains__(self, key: object) -> bool:
        self.get(key)
        return key in self._data

    def __iter__(self) -> Iterator[Any]:
        self._reads[(self._name, ALL_KEYS)] = tuple(self._data)
        return iter(self._data)

    def __reversed__(self) -> Iterator[Any]:
        self._reads[(self._name, ALL_KEYS)] = tuple(self._data)
        return reversed(tuple(self._data))

    def __len__(self) -> int:
        self._reads[(self._name, ALL_KEYS)] = tuple(self._data)
        return len(self._data)


class RecordingGraph:
    """The content graph as one page sees it; ``reads`` is what the page depends on."""

    def __init__(self, graph: ContentGraph) -> None:
        self._graph = graph
        self.reads: dict[Read, Any] = {}

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._graph, name)
        if isinstance(value, Mapping):
            return RecordingMapping(name, value, self.reads)
        return value

    def document(self, path: str) -> Any:
        return ContentGraph.document(self, path)  # type: ignore[arg-type]

    def summary(self, doc: Any) -> str:
        # Recorded as the text itself, not the parsed body it may come from: an edit
        # further down an article does not make every list showing it stale.
        text = self._graph.summary(doc)
        self.reads[(SUMMARY, doc.path)] = text
        return text


def lookup(graph: ContentGraph, read: Read) -> Any:
    """What a recorded read gives in ``graph`` now."""
    name, key = read
    if name == SUMMARY:
        if key in graph.articles or key in graph.topic_paths:
            return graph.summary(graph.document(key))
        return _MISSING
    data: Mapping[Any, Any] = getattr(graph, name)
    if key == ALL_KEYS:
        return tuple(data)
    return data.get(key, _MISSING)


@dataclass(frozen=True)
class PageDeps:
    """Everything one rendered page depends on."""

    reads: tuple[tuple[Read, Any], ...]
    templates: frozenset[str]

    def stale(self, graph: ContentGraph) -> bool:
        """Whether any recorded lookup gives another value in ``graph``."""
        for read, value in self.reads:
            now = lookup(graph, read)
            if now is not value and now != value:
                return True
        return False

    @property
    def inputs(self) -> frozenset[str]:
        """Source files behind what the page shows: documents it read, and the articles
        behind the tag and topic memberships it read (counts, latest dates)."""
        paths: set[str] = set()
        for (name, key), value in self.reads:
            if key == ALL_KEYS or value is _MISSING:
                continue
            if name in ("articles", "topics"):
                paths.add(value.path)
            elif name == "tags":
                paths.update(value.articles)
            elif name == "topic_articles":
                paths.update(value)
        return frozenset(paths)
