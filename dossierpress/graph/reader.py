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

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from dossierpress.graph.model import ContentGraph

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
        found = key in self._data
        self._reads[(self._name, key, ())] = found
        return found

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
        self._views: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        view = self._views.get(name)
        if view is None:
            value = getattr(self._graph, name)
            view = (
                RecordingMapping(name, value, self.reads) if isinstance(value, Mapping) else value
            )
            self._views[name] = view
        return view

    def fields(self, name: str, key: Any, attributes: tuple[str, ...]) -> Any:
        """``graph.<name>[key]``, depending only on the given attributes of it.

        A list showing an article's title and date must not go stale when its body is
        edited; reading the whole object would make it depend on every field.
        """
        value = getattr(self._graph, name)[key]
        self.reads[(name, key, attributes)] = tuple(getattr(value, a) for a in attributes)
        return value

    def suggestions(self, path: str) -> Any:
        return ContentGraph.suggestions(self, path)  # type: ignore[arg-type]

    def summary(self, doc: Any) -> str:
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

    def stale(self, graph: ContentGraph, entries: Iterable[Entry] | None = None) -> bool:
        """Whether any recorded lookup gives another value in ``graph``.

        ``entries`` narrows the check to lookups of those graph entries (the ones known
        to differ): an archive page holds thousands of lookups, one of which changed.
        """
        if entries is None:
            reads: Iterable[tuple[Read, Any]] = self.reads
        else:
            grouped = self.by_entry
            reads = [pair for entry in entries for pair in grouped.get(entry, ())]
        for read, value in reads:
            now = lookup(graph, read)
            if now is not value and now != value:
                return True
        return False

    @cached_property
    def by_entry(self) -> dict[Entry, list[tuple[Read, Any]]]:
        grouped: dict[Entry, list[tuple[Read, Any]]] = {}
        for read, value in self.reads:
            grouped.setdefault((read[0], read[1]), []).append((read, value))
        return grouped

    @property
    def inputs(self) -> frozenset[str]:
        """Source files behind what the page shows: documents it read, and the articles
        behind the tag and topic memberships it read (counts, latest dates)."""
        paths: set[str] = set()
        for read, value in self.reads:
            name, key = read[0], read[1]
            if key == ALL_KEYS or value is _MISSING or (len(read) == 3 and not read[2]):
                continue
            if name == "articles":
                paths.add(key)
            elif name == "topics":
                paths.add(value.path if len(read) == 2 else value[read[2].index("path")])
            elif name == "tags":
                paths.update(value.articles)
            elif name == "topic_articles":
                paths.update(value)
        return frozenset(paths)


class ReadIndex:
    """Which pages read which graph entries, so a rebuild checks only pages that may be stale.

    Checking every page's every lookup costs as much as the site is large; instead the
    new graph is compared with the previous one mapping by mapping (cheap: unchanged
    documents are the very same objects) and only the readers of entries that differ are
    checked precisely with ``PageDeps.stale``.
    """

    def __init__(self) -> None:
        self.readers: dict[tuple[str, Any], set[str]] = {}

    def add(self, output: str, deps: PageDeps) -> None:
        for read, _value in deps.reads:
            self.readers.setdefault((read[0], read[1]), set()).add(output)

    def remove(self, output: str, deps: PageDeps) -> None:
        for read, _value in deps.reads:
            readers = self.readers.get((read[0], read[1]))
            if readers is not None:
                readers.discard(output)

    def suspects(self, old: ContentGraph, new: ContentGraph) -> dict[str, list[Entry]]:
        """Pages that read an entry whose value differs, with those entries."""
        names = {name for name, _key in self.readers}
        found: dict[str, list[Entry]] = {}
        for entry in changed_entries(old, new, names):
            for output in self.readers.get(entry, ()):
                found.setdefault(output, []).append(entry)
        return found


def changed_entries(old: ContentGraph, new: ContentGraph, names: set[str]) -> list[Entry]:
    """(mapping name, key) of every entry that differs, ``ALL_KEYS`` when the keys do."""
    changed: list[Entry] = []
    for name in sorted(names - {SUMMARY}):
        before, after = getattr(old, name), getattr(new, name)
        if before is after:  # carried over whole from the previous graph
            continue
        if tuple(before) != tuple(after):
            changed.append((name, ALL_KEYS))
        for key in before.keys() | after.keys():
            a, b = before.get(key, _MISSING), after.get(key, _MISSING)
            if a is not b and a != b:
                changed.append((name, key))
    if SUMMARY in names:
        # A summary comes from its document and its parsed body: suspect it with them.
        for name, key in list(changed):
            if name == "articles" and key != ALL_KEYS:
                changed.append((SUMMARY, key))
            elif name == "topics" and key != ALL_KEYS:
                changed.append((SUMMARY, old.topics[key].path if key in old.topics else ""))
                if key in new.topics:
                    changed.append((SUMMARY, new.topics[key].path))
            elif name == "parsed" and key != ALL_KEYS:
                changed.append((SUMMARY, key))
    return changed
