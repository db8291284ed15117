"""An article's own page: its text, sources, related reading, topics and the way through
its main topic; its corrections, structured data (``NewsArticle``) and search filters."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dossierpress.content.markdown import render_inline
from dossierpress.content.md_plugins.plain_text import plain_text
from dossierpress.content.model import Article
from dossierpress.graph.model import MORE_ON_THIS_LIMIT, Citation, Suggestion
from dossierpress.pages import views as v
from dossierpress.pages.builder import ARTICLE_LINK_FIELDS, ViewBuilder
from dossierpress.pages.formats import rfc3339
from dossierpress.pages.metadata import share_picture
from dossierpress.pages.plan import Described, PageKind, PagePlan, Planner, SearchFilters
from dossierpress.theme.i18n import READ_IN

SCHEMA_TYPES = {
    "news": "NewsArticle",
    "analysis": "AnalysisNewsArticle",
    "opinion": "OpinionNewsArticle",
    "explainer": "BackgroundNewsArticle",
    "background": "BackgroundNewsArticle",
}
"""Each genre's schema.org type: news as such, the others as the kinds of
``NewsArticle`` search engines and the Trust Project tell apart (an explainer is
background)."""


def plan(planner: Planner) -> None:
    for article in planner.graph.articles.values():
        planner.add(
            planner.urls.article(article),
            key=article.path,
            lang=article.lang or "",
            source=article.path,
            line=article.title_line,
        )


def view(b: ViewBuilder, plan: PagePlan) -> v.ArticlePage:
    return article_page(b, b.graph.articles[plan.key])


def article_page(b: ViewBuilder, article: Article) -> v.ArticlePage:
    graph = b.graph
    path = article.path
    url = b.ctx.urls.article(article)
    summary = graph.summary(article)
    updated = None
    if article.updated is not None:
        updated = b.when(article.updated, article.updated_has_time)
    topics = graph.article_topics[path]
    related = graph.related[path]
    versions = graph.translations.get(path, ())
    around = neighbours(b, path, topics, versions)
    # One link per story: the editor's related reading first, then the way through the
    # topic; "more on this" suggests only stories linked nowhere else on the page.
    linked = [
        path,
        *(c.target for c in related if c.target),
        *(p for _, before, after in around for p in (before, after) if p),
        *graph.wikilinks.get(path, {}).values(),
    ]
    suggestions = more_stories(b, path, linked)
    own_topics = (b.graph.fields("topics", slug, ("path",)).path for slug in topics)
    listed = {*linked, *(s.path for s in suggestions), *own_topics}
    listed.update(v for p in tuple(listed) for v in versions_of(b, p))
    translations = tuple(translation(b, p) for p in versions)
    alternates: tuple[v.Alternate, ...] = ()
    if translations:
        own = v.Alternate(article.lang or b.ctx.config.language, b.ctx.urls.absolute(url))
        others = (v.Alternate(t.lang, b.ctx.urls.absolute(t.url)) for t in translations)
        alternates = tuple(sorted((own, *others), key=lambda a: a.lang.casefold()))
    return v.ArticlePage(
        meta=b.meta("article", article.title, url, summary, alternates=alternates),
        title=article.title,
        summary=summary,
        published=b.when(article.date, article.date_has_time),
        updated=updated,
        authors=b.bylines(path),
        body_html=b.body(article),
        image=b.lead_picture(article),
        genre=article.genre,
        topics=tuple(b.topic_link(s) for s in topics),
        tags=tuple(b.tag_link(k) for k in graph.article_tags[path]),
        sources=tuple(b.citation(c) for c in graph.sources[path]),
        related=tuple(b.citation(c) for c in related),
        more_on_this=tuple(
            v.RankedArticle(
                b.card(s.path, others=versions_of(b, s.path), compact=True), why(b, s, topics)
            )
            for s in suggestions
        ),
        mentioned_in=b.mentioned_in(article, listed),
        neighbours=tuple(
            v.TopicNeighbours(
                b.topic_link(slug),
                b.link(before) if before else None,
                b.link(after) if after else None,
            )
            for slug, before, after in around
        ),
        draft=article.draft,
        translations=translations,
        scheduled=article.scheduled,
    )


def more_stories(b: ViewBuilder, path: str, linked: list[str]) -> list[Suggestion]:
    """ "More on this": the best-ranked stories (one version each, in the page's language
    where the ranking has it) that the page does not link already, in any version."""
    translations = b.translations()
    taken = {*linked, *(v for p in linked for v in translations.get(p, ()))}
    limit = MORE_ON_THIS_LIMIT
    ranked = b.graph.suggestions(path, 2 * limit + len(taken))  # room for what is left out
    by_path = {s.path: s for s in ranked if s.path not in taken}
    stories = b.stories(by_path)
    return [by_path[s.shown] for s in stories if not taken.intersection((s.shown, *s.others))][
        :limit
    ]


def versions_of(b: ViewBuilder, path: str) -> tuple[str, ...]:
    return b.translations().get(path, ())


def neighbours(
    b: ViewBuilder, path: str, topics: tuple[str, ...], versions: tuple[str, ...] = ()
) -> tuple[tuple[str, str | None, str | None], ...]:
    """The stories before and after this one in its main topic (the first listed that
    has others), each in the version for the page's language: one way through, not the
    same headlines once per topic or once per language."""
    for slug in topics:
        stories = b.stories(b.graph.topic_articles[slug])
        members = [s.shown for s in stories]
        if len(members) > 1:
            i = next(n for n, s in enumerate(stories) if path in (s.shown, *s.others))
            before = members[i - 1] if i > 0 else None
            after = members[i + 1] if i + 1 < len(members) else None
            return ((slug, before, after),)
    return ()


def why(b: ViewBuilder, suggestion: Suggestion, topics: tuple[str, ...]) -> str:
    """Why an article is suggested, when that says something: the topics it shares
    besides this article's main one (the first), and shared tags that tell articles of
    the main topic apart (see ``telling``); "" otherwise."""
    main = topics[0] if topics else None
    shared = [
        b.topic_link(t).title for t in suggestion.topics if t != main and telling_topic(b, t, main)
    ]
    tags = [b.graph.tags[k].name for k in suggestion.tags if telling(b, k, main)]
    return b.loc.reasons(shared, tags)


def telling_topic(b: ViewBuilder, slug: str, main: str | None) -> bool:
    """Whether sharing a topic besides the main one says something: it holds at most
    half of the main topic's articles (in a dossier on Russia and North Korea, sharing
    "Russia" says nothing of one of them)."""
    if main is None:
        return True
    masks = b.graph.feature_masks
    members = b.graph.topic_articles[main]
    other = masks.mask(("topic", slug), b.graph.topic_articles[slug])
    within = other & masks.mask(("topic", main), members)
    return 2 * within.bit_count() <= len(members)


def telling(b: ViewBuilder, key: str, slug: str | None) -> bool:
    """Whether a tag tells the articles of a topic apart: it is on at most half of them
    (on all of a dossier's articles, "Kim Jong-un" says nothing about one of them)."""
    if slug is None:
        return True
    members = b.graph.topic_articles[slug]
    masks = b.graph.feature_masks
    tagged = masks.mask(("tag", key), b.graph.tags[key].articles)
    within = tagged & masks.mask(("topic", slug), members)
    return 2 * within.bit_count() <= len(members)


def translation(b: ViewBuilder, path: str) -> v.TranslationLink:
    """A link to a version of this article in another language, worded in it."""
    other = b.graph.fields("articles", path, ARTICLE_LINK_FIELDS)
    lang = other.lang or b.ctx.config.language
    text = b.localizer_for(lang)(READ_IN, language=b.language_name(lang))
    return v.TranslationLink(b.ctx.urls.article(other), lang, text, other.title)


def describe(b: ViewBuilder, plan: PagePlan, page: Any, share: v.ShareMeta) -> Described:
    """The article's corrections log, its link preview as an ``article`` and its
    ``NewsArticle`` structured data."""
    article = b.graph.articles[plan.key]
    share, data = _news_article(b, article, page.meta, share)
    return Described(replace(page, corrections=corrections(b, article)), share, data)


def corrections(b: ViewBuilder, article: Article) -> tuple[v.CorrectionView, ...]:
    resolve = b.wikilink_resolver(article)
    base = b.ctx.urls.base_path
    return tuple(
        v.CorrectionView(
            b.when(c.date, c.date_has_time),
            render_inline(b.md, c.text, resolve=resolve, base_path=base),
        )
        for c in article.corrections
    )


def _news_article(
    b: ViewBuilder, article: Article, meta: v.PageMeta, share: v.ShareMeta
) -> tuple[v.ShareMeta, dict[str, Any]]:
    urls, config, graph = b.ctx.urls, b.ctx.config, b.graph
    topics = [b.topic_link(slug) for slug in graph.article_topics[article.path]]
    tags = [b.tag_link(key).title for key in graph.article_tags[article.path]]
    published, modified = rfc3339(article.date), rfc3339(article.modified)
    share, images = share_picture(b, article, share)
    share = replace(
        share,
        type="article",
        published=published,
        modified=modified if article.modified != article.date else None,
        authors=article.authors,
        section=topics[0].title if topics else None,
        tags=tuple(tags),
    )
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES[article.genre],
        "headline": article.title,
        "description": meta.description,
        "url": meta.canonical,
        "mainEntityOfPage": {"@type": "WebPage", "@id": meta.canonical},
        "datePublished": published,
        "dateModified": modified,
        "inLanguage": article.lang or config.language,
        "isAccessibleForFree": True,
        "image": images or [share.image],
        "publisher": {
            "@type": "Organization",
            "name": config.title,
            "url": urls.absolute(urls.home()),
        },
    }
    if article.about is not None:
        # When what it reports happened, as precisely as the editor knows it: an ISO 8601
        # date of reduced precision ("2024-02") rather than a day that was never given.
        data["contentReferenceTime"] = article.about.iso
    if article.authors:
        data["author"] = [_person(byline) for byline in b.bylines(article.path, absolute=True)]
    if topics:
        data["about"] = [
            {"@type": "Thing", "name": t.title, "url": urls.absolute(t.url)} for t in topics
        ]
    if tags:
        data["keywords"] = tags
    versions = [
        {"@id": urls.absolute(b.link(p).url), "inLanguage": b.lang_of(p)}
        for p in versions_of(b, article.path)
    ]
    if versions:  # one story: the translation names its original, the original its translations
        data["translationOfWork" if article.translation_of else "workTranslation"] = versions
    citations = [_citation(b, c) for c in graph.sources[article.path]]
    if citations:
        data["citation"] = citations
    if article.corrections:
        md = b.md
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": plain_text(md.parseInline(c.text, {})[0].children or ()),
                "datePublished": rfc3339(c.date),
            }
            for c in article.corrections
        ]
    return share, data


def _person(byline: v.Byline) -> dict[str, Any]:
    """An author as a ``Person``: the name, and the author's page where there is one."""
    person = {"@type": "Person", "name": byline.name}
    if byline.url is not None:
        person["url"] = byline.url
    return person


def _citation(b: ViewBuilder, citation: Citation) -> dict[str, Any]:
    """A source as a ``CreativeWork``: its title, URL, outlet, date and archived copy."""
    view = b.citation(citation)
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if view.title or view.source:
        work["name"] = view.title or view.source
    if view.url:
        work["url"] = b.ctx.urls.absolute(view.url) if view.internal else view.url
    if view.source:
        work["publisher"] = {"@type": "Organization", "name": view.source}
    if citation.date is not None:
        work["datePublished"] = citation.date.iso
    if view.archive:
        work["archivedAt"] = view.archive
    return work


def search_filters(b: ViewBuilder, plan: PagePlan) -> SearchFilters:
    """The article's topics, under their own titles, and its tags (see
    ``metadata.search_filters``)."""
    names, graph, path = b.site_loc, b.graph, plan.key
    topic, tag = names.gettext("Topic"), names.gettext("Tag")
    found = [
        (topic, graph.fields("topics", s, ("title",)).title) for s in graph.article_topics[path]
    ]
    found += [(tag, graph.tags[key].name) for key in graph.article_tags[path]]
    return tuple(found)


KIND = PageKind(
    "article",
    "article.html",
    plan,
    view,
    indexed=True,
    in_sitemap=True,
    document_page=True,
    describe=describe,
    search_filters=search_filters,
    render_cost=1,
)
