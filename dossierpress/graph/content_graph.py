"""The content graph: every reference between documents resolved, with reverse indexes.

Documents are keyed by source path (``content/topics/russia.md``), as in Zola's library:
one object that knows which topics an article is in, which articles a topic gathers,
which tags exist, who mentions whom, and what to suggest next. All problems (unknown
topics, wiki links to nowhere, ambiguous names) are collected with their file lines.
The graph holds plain picklable data so a cache or a worker process can keep it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dossierpress.content.markdown import ParsedBody, normalise_target
from dossierpress.content.model import Article, Document, LinkSpec, PartialDate, Ref, Topic
from dossierpress.content.slugs import tag_key
from dossierpress.errors import ContentError, ErrorList, did_you_mean
from dossierpress.graph.ranking import TAG_WEIGHT, TOPIC_WEIGHT, FeatureMasks, rank
from dossierpress.graph.reuse import (
    in_date_order,
    same_names,
    same_objects,
    same_structure,
    unchanged_documents,
)

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
    parsed: Mapping[str, ParsedBody] = field(repr=False)
    feature_masks: FeatureMasks = field(repr=False, compare=False, default=None)  # type: ignore[assignment]
    topic_names: NameIndex | None = field(repr=False, compare=False, default=None)
    article_names: NameIndex | None = field(repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
        if self.feature_masks is None:
            object.__setattr__(self, "feature_masks", FeatureMasks(tuple(self.articles)))

    def suggestions(self, path: str, limit: int = MORE_ON_THIS_LIMIT) -> tuple[Suggestion, ...]:
        """ "More on this" for one article, computed when its page asks.

        Every lookup goes through ``self``, so when a page's ``RecordingGraph`` calls this,
        the page depends on exactly what the ranking used: the article's topics and tags
        and their members, not on the ranking of every other article.
        """
        topics = self.article_topics[path]
        tags = self.article_tags[path]
        masks = self.feature_masks
        features = [
            (masks.mask(("topic", s), self.topic_articles[s]), TOPIC_WEIGHT) for s in topics
        ] + [(masks.mask(("tag", k), self.tags[k].articles), TAG_WEIGHT) for k in tags]
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

    def document(self, path: str) -> Document:
        if path in self.articles:
            return self.articles[path]
        return self.topics[self.topic_paths[path]]

    def summary(self, doc: Document) -> str:
        return doc.summary if doc.summary is not None else self.parsed[doc.path].first_paragraph


def build_graph(
    articles: Iterable[Article],
    topics: Iterable[Topic],
    parsed: Mapping[str, ParsedBody],
    previous: ContentGraph | None = None,
) -> tuple[ContentGraph, list[ContentError]]:
    """Resolve every reference; return the graph and every problem found.

    With the ``previous`` graph of a successful build (the live preview's), a document
    that is the very same object, with the same parsed body, keeps its resolved references
    as long as no name changed anywhere: an edit costs the documents it touched.
    """
    errors = ErrorList()
    ordered = in_date_order(articles, previous)
    by_path = {a.path: a for a in ordered}
    topic_list = sorted(topics, key=lambda t: (t.title.casefold(), t.slug))
    by_slug = {t.slug: t for t in topic_list}
    topic_paths = {t.path: t.slug for t in topic_list}
    if previous is not None and same_names(previous.topics.values(), topic_list):
        topic_names = previous.topic_names or _name_index(topic_list, with_aliases=True)
    else:
        topic_names = _name_index(topic_list, with_aliases=True)
    if previous is not None and same_names(previous.articles.values(), ordered):
        article_names = previous.article_names or _name_index(ordered, with_aliases=False)
    else:
        article_names = _name_index(ordered, with_aliases=False)

    def topic_ref(doc: Document, ref: Ref, what: str) -> str | None:
        found = _resolve(doc, ref, topic_names, what, errors)
        return topic_paths[found] if found else None

    unchanged = unchanged_documents(previous, topic_names, article_names, parsed)

    def resolved(name: str, doc: Document, resolve: Callable[[], Any]) -> Any:
        if doc.path in unchanged and unchanged[doc.path] is doc:
            return getattr(previous, name)[doc.path]
        return resolve()

    article_topics = {
        a.path: resolved(
            "article_topics", a, lambda a=a: _unique(topic_ref(a, r, "topic") for r in a.topics)
        )
        for a in ordered
    }
    related = {
        a.path: resolved(
            "related", a, lambda a=a: _citations(a, a.related, topic_names, article_names, errors)
        )
        for a in ordered
    }
    sources = {
        a.path: resolved(
            "sources", a, lambda a=a: _citations(a, a.sources, topic_names, article_names, errors)
        )
        for a in ordered
    }
    wikilinks = {
        doc.path: resolved(
            "wikilinks",
            doc,
            lambda doc=doc: _wikilinks(doc, parsed[doc.path], topic_names, article_names, errors),
        )
        for doc in (*ordered, *topic_list)
    }
    same = same_structure(previous, ordered, topic_list, article_topics, related, wikilinks)
    if same and previous is not None:
        topic_articles, tags = previous.topic_articles, previous.tags
        article_tags, mentions = previous.article_tags, previous.mentions
    else:
        topic_articles = _invert(article_topics, by_slug)
        tags, article_tags = _collect_tags(ordered, errors)
        mentions = _mentions(wikilinks, related)
    pinned = {
        t.slug: _unique(_resolve(t, r, article_names, "pinned article", errors) for r in t.pinned)
        for t in topic_list
    }
    explicit_related = {
        t.slug: _unique(topic_ref(t, r, "related topic") for r in t.related_topics)
        for t in topic_list
    }
    graph = ContentGraph(
        articles=by_path,
        topics=by_slug,
        topic_paths=topic_paths,
        article_topics=article_topics,
        topic_articles=topic_articles,
        tags=tags,
        article_tags=article_tags,
        related=related,
        sources=sources,
        wikilinks=wikilinks,
        mentions=mentions,
        pinned=pinned,
        related_topics=(
            previous.related_topics
            if same and previous is not None and same_objects(previous.topics, topic_list)
            else _related_topics(explicit_related, article_topics, topic_articles)
        ),
        parsed=dict(parsed),
        topic_names=topic_names,
        article_names=article_names,
    )
    return graph, errors.errors


def _name_index(docs: Iterable[Document], *, with_aliases: bool) -> NameIndex:
    names: dict[str, list[str]] = defaultdict(list)
    slugs: dict[str, list[str]] = defaultdict(list)
    display: set[str] = set()
    for doc in docs:
        slugs[normalise_target(doc.slug)].append(doc.path)
        spellings = [doc.slug, doc.title]
        if with_aliases and isinstance(doc, Topic):
            spellings += [alias.text for alias in doc.aliases]
        for spelling in spellings:
            display.add(spelling)
            bucket = names[normalise_target(spelling)]
            if doc.path not in bucket:
                bucket.append(doc.path)
    # Sorted, so an index does not depend on the order documents came in (a rebuild may
    # keep the previous index while articles changed places).
    return NameIndex(
        {k: tuple(sorted(v)) for k, v in names.items()},
        tuple(sorted(display)),
        {k: tuple(sorted(v)) for k, v in slugs.items()},
    )


def _resolve(doc: Document, ref: Ref, index: NameIndex, what: str, errors: ErrorList) -> str | None:
    found = index.lookup(ref.text)
    if len(found) == 1:
        return found[0]
    if found:
        errors.add(
            doc.path,
            ref.line,
            f"{what} '{ref.text}' is ambiguous: it names {' and '.join(found)}",
            hint="use the slug",
        )
    else:
        errors.add(
            doc.path,
            ref.line,
            f"unknown {what} '{ref.text}'",
            hint=did_you_mean(ref.text, index.display),
        )
    return None


def _resolve_any(
    doc: Document,
    ref: Ref,
    topic_names: NameIndex,
    article_names: NameIndex,
    what: str,
    errors: ErrorList,
) -> str | None:
    """Resolve a name that may be a topic or an article; topics win, as editorial objects."""
    if topic_names.lookup(ref.text):
        return _resolve(doc, ref, topic_names, what, errors)
    if article_names.lookup(ref.text):
        return _resolve(doc, ref, article_names, what, errors)
    candidates = (*topic_names.display, *article_names.display)
    errors.add(
        doc.path, ref.line, f"unknown {what} '{ref.text}'", hint=did_you_mean(ref.text, candidates)
    )
    return None


def _unique(paths: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p for p in paths if p is not None))


def _invert(
    article_topics: Mapping[str, tuple[str, ...]], topics: Mapping[str, Topic]
) -> dict[str, tuple[str, ...]]:
    members: dict[str, list[str]] = {slug: [] for slug in topics}
    for path, slugs in article_topics.items():  # already oldest first
        for slug in slugs:
            members[slug].append(path)
    return {slug: tuple(paths) for slug, paths in members.items()}


def _collect_tags(
    articles: list[Article], errors: ErrorList
) -> tuple[dict[str, TagInfo], dict[str, tuple[str, ...]]]:
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    members: dict[str, list[str]] = defaultdict(list)
    article_tags: dict[str, tuple[str, ...]] = {}
    for article in articles:
        keys = []
        for ref in article.tags:
            key = tag_key(ref.text)
            if not key:  # its page would be /tags//, overwriting the tag index
                message = f"tag '{ref.text}' has no letters or digits to name its page after"
                errors.add(article.path, ref.line, message, hint="add a word to it")
                continue
            spellings[key][ref.text.strip()] += 1
            if key not in keys:
                keys.append(key)
                members[key].append(article.path)
        article_tags[article.path] = tuple(keys)
    tags = {
        key: TagInfo(key, _preferred_spelling(spellings[key]), tuple(members[key]))
        for key in sorted(members)
    }
    return tags, article_tags


def _preferred_spelling(counts: Counter[str]) -> str:
    """Most used spelling; on a tie, one with capitals ("Aurus" over "aurus"), then A–Z."""
    return min(counts, key=lambda s: (-counts[s], s.islower(), s))


def _citations(
    article: Article,
    specs: tuple[LinkSpec, ...],
    topic_names: NameIndex,
    article_names: NameIndex,
    errors: ErrorList,
) -> tuple[Citation, ...]:
    result = []
    for spec in specs:
        target = None
        if spec.ref is not None:
            target = _resolve_any(article, spec.ref, topic_names, article_names, "ref", errors)
            if target is None:
                continue
        result.append(
            Citation(spec.line, spec.title, spec.url, target, spec.source, spec.date, spec.archive)
        )
    return tuple(result)


def _wikilinks(
    doc: Document,
    parsed: ParsedBody,
    topic_names: NameIndex,
    article_names: NameIndex,
    errors: ErrorList,
) -> dict[str, str]:
    resolved: dict[str, str] = {}
    for use in parsed.wikilinks:
        ref = Ref(use.target, use.line)
        target = _resolve_any(doc, ref, topic_names, article_names, "wiki-link target", errors)
        if target is not None:
            resolved[normalise_target(use.target)] = target
    return resolved


def _mentions(
    wikilinks: Mapping[str, Mapping[str, str]], related: Mapping[str, tuple[Citation, ...]]
) -> dict[str, tuple[str, ...]]:
    sources: dict[str, set[str]] = defaultdict(set)
    for path, targets in wikilinks.items():
        for target in targets.values():
            sources[target].add(path)
    for path, citations in related.items():
        for citation in citations:
            if citation.target is not None:
                sources[citation.target].add(path)
    return {t: tuple(sorted(s - {t})) for t, s in sorted(sources.items()) if s - {t}}


def _related_topics(
    explicit: Mapping[str, tuple[str, ...]],
    article_topics: Mapping[str, tuple[str, ...]],
    topic_articles: Mapping[str, tuple[str, ...]],
) -> dict[str, tuple[RelatedTopicLink, ...]]:
    """Explicit related topics first, in the editor's order, then those sharing articles."""
    result = {}
    for slug, members in topic_articles.items():
        shared: Counter[str] = Counter(
            other for path in members for other in article_topics[path] if other != slug
        )
        links = [RelatedTopicLink(s, shared[s], True) for s in explicit[slug] if s != slug]
        implicit = sorted(
            (s for s in shared if s not in explicit[slug]), key=lambda s: (-shared[s], s)
        )
        links += [RelatedTopicLink(s, shared[s], False) for s in implicit]
        result[slug] = tuple(links)
    return result


def top_tags(graph: ContentGraph, slug: str, limit: int = TOP_TAGS_LIMIT) -> list[tuple[str, int]]:
    """The tags most used by a topic's articles, with counts."""
    counts = Counter(key for path in graph.topic_articles[slug] for key in graph.article_tags[path])
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
