"""What a rebuild may carry over from the previous content graph.

A rebuild resolves the graph again after every edit. Most edits change a body, a
summary or a title; these checks tell which of the previous graph's orderings, name
indexes, resolved references and memberships still hold, so a rebuild costs the size of
the edit rather than the size of the archive. Documents are compared by value (a
previous graph may come from a cache on disk, where nothing is the same object), and a
parsed body by its digest. Each check errs towards "recompute".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from dossierpress.content.markdown import ParsedBody
from dossierpress.content.model import Article, Document, Topic

if TYPE_CHECKING:
    from dossierpress.graph.model import Citation, ContentGraph, NameIndex


def in_date_order(articles: Iterable[Article], previous: ContentGraph | None) -> list[Article]:
    """Articles oldest first (date, slug, path); the previous order when no article came,
    went, or changed its date or slug (comparing 10,000 aware datetimes is not free)."""
    articles = list(articles)
    if previous is not None and len(articles) == len(previous.articles):
        by_path = {a.path: a for a in articles}
        if by_path.keys() == previous.articles.keys() and all(
            (was.date, was.slug) == (by_path[path].date, by_path[path].slug)
            for path, was in previous.articles.items()
        ):
            return [by_path[path] for path in previous.articles]
    return sorted(articles, key=lambda a: (a.date, a.slug, a.path))


def same_structure(
    previous: ContentGraph | None,
    ordered: list[Article],
    topic_list: list[Topic],
    article_topics: Mapping[str, tuple[str, ...]],
    related: Mapping[str, tuple[Citation, ...]],
    wikilinks: Mapping[str, Mapping[str, str]],
) -> bool:
    """Whether memberships, tags and mentions are as in ``previous``: the same documents in
    the same order, every changed one with the same tag spellings, and every one with the
    same topics, related links and wiki-link targets (the usual edit: a body, a summary,
    a title). Resolved references are compared for unchanged documents too: a renamed
    document can make another's unchanged ``[[First meeting]]`` name someone else."""
    if previous is None or tuple(previous.articles) != tuple(a.path for a in ordered):
        return False
    if tuple(previous.topics) != tuple(t.slug for t in topic_list):
        return False
    for article in ordered:
        path = article.path
        old = previous.articles[path]
        if old != article and [r.text for r in old.tags] != [r.text for r in article.tags]:
            return False
        if not (
            _same(previous.article_topics[path], article_topics[path])
            and _same(previous.related[path], related[path])
            and _same(previous.wikilinks[path], wikilinks[path])
        ):
            return False
    for topic in topic_list:
        old_topic = previous.topics[topic.slug]
        if old_topic.path != topic.path or not _same(
            previous.wikilinks[topic.path], wikilinks[topic.path]
        ):
            return False
    return True


def _same(before: object, after: object) -> bool:
    """Equal values; carried-over ones are the very same object, which is quick to see."""
    return before is after or before == after


def same_objects(before: Mapping[str, Topic], after: list[Topic]) -> bool:
    return all(before.get(t.slug) == t for t in after)


def same_names(before: Iterable[Document], after: Iterable[Document]) -> bool:
    """Whether two sets of documents answer to the same slugs, titles and aliases."""
    previous = {doc.path: doc for doc in before}
    count = 0
    for doc in after:
        count += 1
        old = previous.get(doc.path)
        if old is None or (old.slug, old.title) != (doc.slug, doc.title):
            return False
        if isinstance(doc, Topic) and (not isinstance(old, Topic) or old.aliases != doc.aliases):
            return False
    return count == len(previous)


def unchanged_documents(
    previous: ContentGraph | None,
    topic_names: NameIndex,
    article_names: NameIndex,
    parsed: Mapping[str, ParsedBody],
) -> dict[str, Document]:
    """Documents of ``previous`` whose resolved references still hold (see build_graph)."""
    if (
        previous is None
        or previous.topic_names != topic_names
        or previous.article_names != article_names
    ):
        return {}
    documents: dict[str, Document] = {**previous.articles}
    documents.update((t.path, t) for t in previous.topics.values())
    return {
        path: doc
        for path, doc in documents.items()
        if parsed.get(path) == previous.parsed.get(path)
    }
