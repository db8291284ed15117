"""The content graph's types: every reference between documents resolved, with reverse
indexes.

Documents are keyed by source path (``content/topics/russia.md``), as in Zola's library:
one object that knows which topics an article is in, which articles a topic gathers,
which tags exist, who mentions whom, and what to suggest next. The graph is plain,
immutable, picklable data, compared by value (never by identity), so a cache on disk
or a worker process can hold it and a rebuild can compare two of them entry by entry.
``resolve.build_graph`` makes one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from dossierpress.content.markdown import ParsedBody, normalise_target
from dossierpress.content.model import Article, Author, Document, PartialDate, Topic
from dossierpress.graph.ranking import TAG_WEIGHT, TOPIC_WEIGHT, FeatureMasks, rank
from dossierpress.pictures.model import Picture

MORE_ON_THIS_LIMIT = 5
TOP_TAGS_LIMIT = 10


@dataclass(frozen=True)
class Citation:
    """A related link or source with its internal target resolved (``target`` = source path)."""

    line: int
    title: str | None
    url: str | None
    target: str | None
    source: str | None
    date: PartialDate | None
    archive: str | None


@dataclass(frozen=True)
class TimelineEvent:
    """An entry of a topic's ``events`` with its refs resolved: what happened, when, and
    the articles (source paths) that report it, in the editor's order."""

    date: PartialDate
    text: str
    articles: tuple[str, ...]


@dataclass(frozen=True)
class Suggestion:
    """An article suggested under "more on this" and the shared topics and tags behind it."""

    path: str
    topics: tuple[str, ...]
    tags: tuple[str, ...]


@dataclass(frozen=True)
class TagInfo:
    key: str
    name: str
    """The spelling editors use most ("Kim Jong-un" over "kim jong-un")."""
    articles: tuple[str, ...]
    """Article paths, oldest first."""


@dataclass(frozen=True)
class RelatedTopicLink:
    slug: str
    shared: int
    explicit: bool


@dataclass(frozen=True)
class NameIndex:
    """Normalised names (slug, title, alias) of documents of one kind → source paths."""

    names: Mapping[str, tuple[str, ...]]
    display: tuple[str, ...]
    """The names as written, for "did you mean" hints."""
    slugs: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Normalised slugs → source paths: a slug beats another document's title or alias,
    so "use the slug" always settles an ambiguous name."""

    def lookup(self, text: str) -> tuple[str, ...]:
        key = normalise_target(text)
        found = self.names.get(key, ())
        by_slug = self.slugs.get(key, ())
        return by_slug if len(found) > 1 and len(by_slug) == 1 else found


@dataclass(frozen=True)
class ContentGraph:
    articles: Mapping[str, Article]
    """By source path, oldest first (date, slug)."""
    topics: Mapping[str, Topic]
    """By slug, ordered by title."""
    topic_paths: Mapping[str, str]
    """Topic source path → slug."""
    article_topics: Mapping[str, tuple[str, ...]]
    topic_articles: Mapping[str, tuple[str, ...]]
    """Topic slug → article paths, oldest first."""
    tags: Mapping[str, TagInfo]
    article_tags: Mapping[str, tuple[str, ...]]
    related: Mapping[str, tuple[Citation, ...]]
    sources: Mapping[str, tuple[Citation, ...]]
    wikilinks: Mapping[str, Mapping[str, str]]
    """Document path → normalised wiki-link target → target document path."""
    mentions: Mapping[str, tuple[str, ...]]
    """Document path → paths of documents that wiki-link or ``ref`` it."""
    pinned: Mapping[str, tuple[str, ...]]
    related_topics: Mapping[str, tuple[RelatedTopicLink, ...]]
    translations: Mapping[str, tuple[str, ...]]
    """Article path → its versions in other languages (only articles that have some)."""
    parsed: Mapping[str, ParsedBody] = field(repr=False)
    feature_masks: FeatureMasks = field(repr=False, compare=False)
    """Topic and tag members as bit masks, for ranking "more on this"."""
    topic_names: NameIndex = field(repr=False, compare=False)
    article_names: NameIndex = field(repr=False, compare=False)
    pictures: Mapping[str, Picture] = field(default_factory=dict)
    """Picture key (``content/…`` file or https URL) → the picture as pages show it
    (``engine.pictures``): every picture a published page uses that could be made."""
    authors: Mapping[str, Author] = field(default_factory=dict)
    """Author files by source path, ordered by name."""
    article_authors: Mapping[str, tuple[str | None, ...]] = field(default_factory=dict)
    """Article path → for each name of its ``authors``, the author file it names (source
    path), or None for a name no author file answers to."""
    author_articles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Author path → the articles naming the author, oldest first."""
    events: Mapping[str, tuple[TimelineEvent, ...]] = field(default_factory=dict)
    """Topic slug → its ``events``, refs resolved (every topic, most with none): a
    mapping of its own, so a page showing a dossier's timeline depends on its events
    and not on the rest of the topic."""

    def suggestions(self, path: str, limit: int = MORE_ON_THIS_LIMIT) -> tuple[Suggestion, ...]:
        """ "More on this" for one article, computed when its page asks (``more_on_this``)."""
        return more_on_this(self, path, limit)

    def document(self, path: str) -> Document:
        return document_at(self, path)

    def summary(self, doc: Document) -> str:
        return doc.summary if doc.summary is not None else self.parsed[doc.path].first_paragraph


class GraphLookups(Protocol):
    """What ``more_on_this`` and ``document_at`` read: a ``ContentGraph``, or a page's
    ``GraphReader``, which records each lookup."""

    @property
    def articles(self) -> Mapping[str, Article]: ...
    @property
    def topics(self) -> Mapping[str, Topic]: ...
    @property
    def topic_paths(self) -> Mapping[str, str]: ...
    @property
    def article_topics(self) -> Mapping[str, tuple[str, ...]]: ...
    @property
    def topic_articles(self) -> Mapping[str, tuple[str, ...]]: ...
    @property
    def tags(self) -> Mapping[str, TagInfo]: ...
    @property
    def article_tags(self) -> Mapping[str, tuple[str, ...]]: ...
    @property
    def feature_masks(self) -> FeatureMasks: ...
    @property
    def authors(self) -> Mapping[str, Author]: ...


def more_on_this(
    graph: GraphLookups, path: str, limit: int = MORE_ON_THIS_LIMIT
) -> tuple[Suggestion, ...]:
    """ "More on this" for one article.

    Every lookup goes through ``graph``, so when it is a page's ``GraphReader``, the page
    depends on exactly what the ranking used: the article's topics and tags and their
    members, not on the ranking of every other article.
    """
    topics = graph.article_topics[path]
    tags = graph.article_tags[path]
    masks = graph.feature_masks
    # Read the members through ``graph`` (so a page records them), the masks from them.
    features = [
        (masks.mask(("topic", s), graph.topic_articles[s]), TOPIC_WEIGHT) for s in topics
    ] + [(masks.mask(("tag", k), graph.tags[k].articles), TAG_WEIGHT) for k in tags]
    topic_masks = [m for m, _ in features[: len(topics)]]
    tag_masks = [m for m, _ in features[len(topics) :]]
    return tuple(
        Suggestion(
            masks.order[p],
            tuple(s for s, m in zip(topics, topic_masks, strict=True) if m >> p & 1),
            tuple(k for k, m in zip(tags, tag_masks, strict=True) if m >> p & 1),
        )
        for p in rank(features, masks.position[path], limit)
    )


def document_at(graph: GraphLookups, path: str) -> Document:
    """The article, topic or author at source path ``path``."""
    if path in graph.articles:
        return graph.articles[path]
    if path in graph.topic_paths:
        return graph.topics[graph.topic_paths[path]]
    return graph.authors[path]


def top_tags(graph: ContentGraph, slug: str, limit: int = TOP_TAGS_LIMIT) -> list[tuple[str, int]]:
    """The tags most used by a topic's articles, with counts."""
    counts = Counter(key for path in graph.topic_articles[slug] for key in graph.article_tags[path])
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
