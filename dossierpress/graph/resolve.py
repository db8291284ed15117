"""Building the content graph: resolving every reference of every document.

``build_graph`` is a pure function of the documents and their parsed bodies; every
problem (unknown topics, wiki links to nowhere, ambiguous names) is collected with its
file line. Given the graph of a previous build, it carries over what an edit cannot have
changed (``reuse``), comparing documents by value, so a rebuild costs the size of the
edit rather than the size of the archive.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

from dossierpress.content.markdown import ParsedBody, normalise_target
from dossierpress.content.model import Article, Author, Document, LinkSpec, Ref, Topic
from dossierpress.content.slugs import tag_key
from dossierpress.errors import ContentError, ErrorList, did_you_mean
from dossierpress.graph.model import (
    Citation,
    ContentGraph,
    NameIndex,
    RelatedTopicLink,
    TagInfo,
    TimelineEvent,
)
from dossierpress.graph.ranking import FeatureMasks
from dossierpress.graph.reuse import (
    in_date_order,
    same_names,
    same_objects,
    same_structure,
    unchanged_documents,
)

D = TypeVar("D", bound=Document)
R = TypeVar("R")


def build_graph(
    articles: Iterable[Article],
    topics: Iterable[Topic],
    parsed: Mapping[str, ParsedBody],
    previous: ContentGraph | None = None,
    *,
    site_lang: str = "en",
    authors: Iterable[Author] = (),
) -> tuple[ContentGraph, list[ContentError]]:
    """Resolve every reference; return the graph and every problem found.

    ``site_lang`` is the language of documents that name none (for translations);
    ``authors`` are the author files, which articles' ``authors`` name.

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
        topic_names = previous.topic_names or name_index(topic_list, with_aliases=True)
    else:
        topic_names = name_index(topic_list, with_aliases=True)
    if previous is not None and same_names(previous.articles.values(), ordered):
        article_names = previous.article_names or name_index(ordered, with_aliases=False)
    else:
        article_names = name_index(ordered, with_aliases=False)

    def topic_ref(doc: Document, ref: Ref, what: str) -> str | None:
        found = _resolve(doc, ref, topic_names, what, errors)
        return topic_paths[found] if found else None

    unchanged = unchanged_documents(previous, topic_names, article_names, parsed)
    author_list = sorted(authors, key=lambda a: (a.title.casefold(), a.slug))

    articles_changed = _changed(ordered, unchanged)
    # Author files are few: their wiki links are resolved again on every build.
    docs_changed = articles_changed + _changed(topic_list, unchanged) + author_list

    def resolved(
        name: str, docs: Sequence[D], changed: Sequence[D], resolve: Callable[[D], R]
    ) -> dict[str, R]:
        """``resolve(doc)`` of every document; those unchanged (and resolving the same
        names) keep the previous graph's value: its mapping is copied whole, in its own
        order when that is still the order of ``docs``, and only the changed ones are
        resolved again."""
        old = getattr(previous, name) if previous is not None and unchanged else None
        if old is not None and len(old) == len(docs) and list(old) == [d.path for d in docs]:
            result = dict(old)
            for doc in changed:
                result[doc.path] = resolve(doc)
            return result
        keep = {doc.path for doc in changed}
        return {
            doc.path: resolve(doc) if doc.path in keep or old is None else old[doc.path]
            for doc in docs
        }

    article_topics = resolved(
        "article_topics",
        ordered,
        articles_changed,
        lambda a: _unique(topic_ref(a, r, "topic") for r in a.topics),
    )
    related = resolved(
        "related",
        ordered,
        articles_changed,
        lambda a: _citations(a, a.related, topic_names, article_names, errors),
    )
    sources = resolved(
        "sources",
        ordered,
        articles_changed,
        lambda a: _citations(a, a.sources, topic_names, article_names, errors),
    )
    wikilinks = resolved(
        "wikilinks",
        [*ordered, *topic_list, *author_list],
        docs_changed,
        lambda doc: _wikilinks(doc, parsed[doc.path], topic_names, article_names, errors),
    )
    same = same_structure(previous, ordered, topic_list, article_topics, related, wikilinks)
    if same and previous is not None:
        topic_articles, tags = previous.topic_articles, previous.tags
        article_tags, mentions = previous.article_tags, previous.mentions
    else:
        topic_articles = _invert(article_topics, by_slug)
        tags, article_tags = _collect_tags(ordered, errors)
        mentions = _mentions(wikilinks, related, {a.path for a in author_list})
    pinned = {
        t.slug: _unique(_resolve(t, r, article_names, "pinned article", errors) for r in t.pinned)
        for t in topic_list
    }
    events = {t.slug: _events(t, article_names, errors) for t in topic_list}
    explicit_related = {
        t.slug: _unique(topic_ref(t, r, "related topic") for r in t.related_topics)
        for t in topic_list
    }
    translations = _translations(ordered, topic_names, article_names, site_lang, errors)
    article_authors, author_articles = _bylines(ordered, author_list, errors)
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
        translations=translations,
        parsed=dict(parsed),
        feature_masks=_feature_masks(by_path, topic_articles, tags, previous),
        topic_names=topic_names,
        article_names=article_names,
        authors={a.path: a for a in author_list},
        article_authors=article_authors,
        author_articles=author_articles,
        events=events,
    )
    return graph, errors.errors


def _events(topic: Topic, article_names: NameIndex, errors: ErrorList) -> tuple[TimelineEvent, ...]:
    """A topic's events with their refs resolved like ``pinned``: an unknown or ambiguous
    name is an error at its line (an event without the refs it names would tell less
    than the editor wrote). Resolved whole on every build: a few lookups per topic."""
    return tuple(
        TimelineEvent(
            event.date,
            event.text,
            _unique(_resolve(topic, r, article_names, "article", errors) for r in event.refs),
        )
        for event in topic.events
    )


def _changed(docs: Iterable[D], unchanged: Mapping[str, Document]) -> list[D]:
    """The documents whose references must be resolved again (not in ``unchanged``)."""
    return [doc for doc in docs if not (doc.path in unchanged and unchanged[doc.path] == doc)]


def _feature_masks(
    articles: Mapping[str, Article],
    topic_articles: Mapping[str, tuple[str, ...]],
    tags: Mapping[str, TagInfo],
    previous: ContentGraph | None,
) -> FeatureMasks:
    """Masks for ranking; the previous graph's while order and memberships are the same."""
    order = tuple(articles)
    if (
        previous is not None
        and previous.feature_masks.order == order
        and previous.topic_articles == topic_articles
        and previous.tags == tags
    ):
        return previous.feature_masks
    members = {("topic", slug): paths for slug, paths in topic_articles.items()}
    members.update((("tag", key), tag.articles) for key, tag in tags.items())
    return FeatureMasks(order, members)


def name_index(docs: Iterable[Document], *, with_aliases: bool) -> NameIndex:
    """Every name of ``docs`` a reference may use: slug, title and, ``with_aliases``, a
    topic's aliases (the build's lookups, and the editing commands')."""
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
    otherwise: str | None = None,
) -> str | None:
    """Resolve a name that may be a topic or an article; topics win, as editorial objects.

    ``otherwise`` is the hint for a name close to none of ours."""
    if topic_names.lookup(ref.text):
        return _resolve(doc, ref, topic_names, what, errors)
    if article_names.lookup(ref.text):
        return _resolve(doc, ref, article_names, what, errors)
    candidates = (*topic_names.display, *article_names.display)
    hint = did_you_mean(ref.text, candidates) or otherwise
    errors.add(doc.path, ref.line, f"unknown {what} '{ref.text}'", hint=hint)
    return None


UNLINKED_HINT = "for a headline that has no page here yet, give 'title' without 'ref'"


def _translations(
    articles: list[Article],
    topic_names: NameIndex,
    article_names: NameIndex,
    site_lang: str,
    errors: ErrorList,
) -> dict[str, tuple[str, ...]]:
    """Article path → the other versions of it, in other languages (``translation_of``).

    An article names the one it translates, or the one that translates it; versions that
    name each other in a chain are one group, which holds one article per language. Always
    resolved whole (few articles have translations), so a rebuild needs no carry-over.
    """
    group: dict[str, list[str]] = {}
    by_path = {a.path: a for a in articles}

    def language(path: str) -> str:
        return primary_language(by_path[path].lang or site_lang)

    for article in articles:
        ref = article.translation_of
        if ref is None:
            continue
        if not article_names.lookup(ref.text) and topic_names.lookup(ref.text):
            errors.add(
                article.path,
                ref.line,
                f"'translation_of' names the topic '{ref.text}'",
                hint="it takes an article's slug or title",
            )
            continue
        target = _resolve(article, ref, article_names, "article", errors)
        if target is None:
            continue
        if target == article.path:
            errors.add(article.path, ref.line, "'translation_of' names the article itself")
            continue
        mine, theirs = group.get(article.path, [article.path]), group.get(target, [target])
        if mine is theirs:  # already versions of each other, through a third
            continue
        clash = {language(p) for p in mine} & {language(p) for p in theirs}
        if clash:
            other = next(p for p in theirs if language(p) in clash)
            errors.add(
                article.path,
                ref.line,
                f"'translation_of': the versions of '{ref.text}' already include {other}, "
                f"in the same language ({', '.join(sorted(clash))})",
                hint="set 'lang' on the translation: each language has one version",
            )
            continue
        merged = mine + theirs
        for path in merged:
            group[path] = merged
    return {
        path: tuple(sorted((p for p in members if p != path), key=language))
        for path, members in sorted(group.items())
    }


def primary_language(tag: str) -> str:
    """The language of a BCP 47 tag without its region or script: ``en-GB`` → ``en``."""
    return tag.replace("_", "-").split("-")[0].casefold()


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
            target = _resolve_any(
                article, spec.ref, topic_names, article_names, "ref", errors, UNLINKED_HINT
            )
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
    wikilinks: Mapping[str, Mapping[str, str]],
    related: Mapping[str, tuple[Citation, ...]],
    authors: set[str],
) -> dict[str, tuple[str, ...]]:
    """Document path → the articles and topics that link to it. An author's biography
    linking an article is no mention of it: "mentioned in" lists reading about a
    subject, not the people who wrote it."""
    sources: dict[str, set[str]] = defaultdict(set)
    for path, targets in wikilinks.items():
        if path in authors:
            continue
        for target in targets.values():
            sources[target].add(path)
    for path, citations in related.items():
        for citation in citations:
            if citation.target is not None:
                sources[citation.target].add(path)
    return {t: tuple(sorted(s - {t})) for t, s in sorted(sources.items()) if s - {t}}


def author_index(authors: Sequence[Author], errors: ErrorList | None = None) -> NameIndex:
    """Every name an article's ``authors`` may use for an author file: its name or its
    slug (compared as wiki links are: case, dashes and spacing aside). Two files answering
    to one name are an error (``errors``) at the later file's ``name``: a byline could not
    tell them apart."""
    index = name_index(authors, with_aliases=False)
    if errors is not None:
        by_path = {a.path: a for a in authors}
        told: set[str] = set()
        for paths in index.names.values():
            for later in paths[1:]:
                if later in told:
                    continue
                told.add(later)
                author = by_path[later]
                errors.add(
                    later,
                    author.title_line,
                    f"author '{author.title}' answers to the same name as {paths[0]}",
                    hint="give each person one file, or tell the names apart",
                )
    return index


def _bylines(
    articles: Sequence[Article], authors: Sequence[Author], errors: ErrorList
) -> tuple[dict[str, tuple[str | None, ...]], dict[str, tuple[str, ...]]]:
    """Which author file each name of each article's ``authors`` is (None: no file
    answers to it, and the name stays text), and each author's articles, oldest first.
    Resolved whole on every build: a dictionary lookup per name."""
    index = author_index(authors, errors)
    article_authors: dict[str, tuple[str | None, ...]] = {}
    members: dict[str, list[str]] = {a.path: [] for a in authors}
    for article in articles:
        found = []
        for name in article.authors:
            paths = index.lookup(name)
            path = paths[0] if len(paths) == 1 else None
            found.append(path)
            if path is not None and article.path not in members[path]:
                members[path].append(article.path)
        article_authors[article.path] = tuple(found)
    return article_authors, {path: tuple(paths) for path, paths in members.items()}


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
