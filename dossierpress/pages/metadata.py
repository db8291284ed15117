"""What a page tells machines besides its text: feeds to follow, link previews, structured
data; and an article's corrections log.

``complete`` runs after a page kind has built its view (``kinds.Renderer.render``) and
fills in ``PageMeta.feeds`` (``<link rel="alternate">``), ``PageMeta.share`` (Open Graph and
Twitter cards, on every page) and ``PageMeta.structured_data`` (JSON-LD: ``NewsArticle`` on
articles, ``CollectionPage`` with its ``ItemList`` on topics), and an article's
``corrections``. It reads the graph through the page's reader, as the view did, so the page
depends on what these show too.

JSON-LD is made with ``json.dumps`` and then made safe to sit in a ``<script>`` element,
whatever a title holds (``</script>``, ``<!--``, U+2028): ``<``, ``>``, ``&`` and the two
line separators become ``\\u`` escapes, which a JSON reader turns back into the same text.
"""

from __future__ import annotations

import functools
import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from markupsafe import Markup

from dossierpress.content.markdown import render_inline
from dossierpress.content.md_plugins.plain_text import plain_text
from dossierpress.content.model import Article
from dossierpress.graph.model import Citation
from dossierpress.pages import views as v
from dossierpress.pages.builder import ViewBuilder
from dossierpress.pages.feeds import SEPARATOR, rfc3339
from dossierpress.pages.paging import newest_slice

if TYPE_CHECKING:
    from dossierpress.pages.kinds import PagePlan

SHARE_IMAGE = "share.png"
"""The theme's default link-preview image (``layouts/static/share.png``, 1200×630)."""
_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def complete(b: ViewBuilder, plan: PagePlan, page: Any) -> Any:
    """``page`` with its feeds, link-preview metadata and structured data (and, for an
    article, its corrections); a page without a ``PageMeta`` (a feed) as it is."""
    meta = getattr(page, "meta", None)
    if not isinstance(meta, v.PageMeta):
        return page
    urls, config = b.ctx.urls, b.ctx.config
    share = v.ShareMeta(
        type="website",
        locale=og_locale(meta.lang),
        image=urls.absolute(urls.static(SHARE_IMAGE)),
        image_alt=config.title,
    )
    data: dict[str, Any] | None = None
    if plan.kind == "article" and isinstance(page, v.ArticlePage):
        article = b.graph.articles[plan.key]
        share, data = _article(b, article, meta, share)
        page = replace(page, corrections=corrections(b, article))
    elif plan.kind == "topic":
        data = _collection(b, plan, meta)
    structured = json_ld(data) if data is not None else None
    meta = replace(
        meta,
        feeds=feed_links(b, plan),
        share=share,
        structured_data=structured,
        search_filters=search_filters(b, plan),
    )
    return replace(page, meta=meta)


def search_filters(b: ViewBuilder, plan: PagePlan) -> tuple[tuple[str, str], ...]:
    """An article's topics and tags, a topic itself, and the page's language, as Pagefind
    filters. Pagefind merges every language's index on the search page, so the names are
    the site language's and a topic is under its own title (not its name on this page):
    an English and an Indonesian article of one dossier fall under one filter value."""
    if plan.kind not in ("article", "topic") or plan.page > 1:
        return ()
    names = b.ctx.localizer(b.ctx.config.language)
    topic, tag = names.gettext("Topic"), names.gettext("Tag")
    graph = b.graph
    if plan.kind == "article":
        path = plan.key
        found = [
            (topic, graph.fields("topics", s, ("title",)).title) for s in graph.article_topics[path]
        ]
        found += [(tag, graph.tags[key].name) for key in graph.article_tags[path]]
    else:
        slug = graph.topic_paths[plan.key]
        found = [(topic, graph.fields("topics", slug, ("title",)).title)]
    found.append((names.gettext("Language"), b.loc.own_name()))
    return tuple(found)


def feed_links(b: ViewBuilder, plan: PagePlan) -> tuple[v.FeedLink, ...]:
    """A topic's or tag's own feed (on every page of it), then the site's (on every page)."""
    urls, site = b.ctx.urls, b.ctx.config.title
    links = []
    if plan.kind == "topic":
        slug = b.graph.topic_paths[plan.key]
        title = b.topic_link(slug).title + SEPARATOR + site
        links.append(v.FeedLink(urls.topic_feed(slug), "", title, "topic"))
    elif plan.kind == "tag":
        title = b.loc("Tag: %(name)s", name=b.graph.tags[plan.key].name) + SEPARATOR + site
        links.append(v.FeedLink(urls.tag_feed(plan.key), "", title, "tag"))
    links.append(v.FeedLink(urls.feed(), "", site, "site"))
    return tuple(replace(link, href=urls.absolute(link.url)) for link in links)


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


def _article(
    b: ViewBuilder, article: Article, meta: v.PageMeta, share: v.ShareMeta
) -> tuple[v.ShareMeta, dict[str, Any]]:
    urls, config, graph = b.ctx.urls, b.ctx.config, b.graph
    topics = [b.topic_link(slug) for slug in graph.article_topics[article.path]]
    tags = [b.tag_link(key).title for key in graph.article_tags[article.path]]
    published, modified = rfc3339(article.date), rfc3339(article.modified)
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
        "@type": "NewsArticle",
        "headline": article.title,
        "description": meta.description,
        "url": meta.canonical,
        "mainEntityOfPage": {"@type": "WebPage", "@id": meta.canonical},
        "datePublished": published,
        "dateModified": modified,
        "inLanguage": article.lang or config.language,
        "isAccessibleForFree": True,
        "image": [share.image],
        "publisher": {
            "@type": "Organization",
            "name": config.title,
            "url": urls.absolute(urls.home()),
        },
    }
    if article.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in article.authors]
    if topics:
        data["about"] = [
            {"@type": "Thing", "name": t.title, "url": urls.absolute(t.url)} for t in topics
        ]
    if tags:
        data["keywords"] = tags
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


def _collection(b: ViewBuilder, plan: PagePlan, meta: v.PageMeta) -> dict[str, Any]:
    """A topic page as a ``CollectionPage`` of the articles its timeline shows."""
    urls, config = b.ctx.urls, b.ctx.config
    members = b.graph.topic_articles[b.graph.topic_paths[plan.key]]
    shown = reversed(newest_slice(members, plan.page, plan.page_size))
    items = [
        {"@type": "ListItem", "position": n, "url": urls.absolute(link.url), "name": link.title}
        for n, link in enumerate((b.link(path) for path in shown), start=1)
    ]
    return {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": meta.title,
        "description": meta.description,
        "url": meta.canonical,
        "inLanguage": meta.lang,
        "isPartOf": {"@type": "WebSite", "name": config.title, "url": urls.absolute(urls.home())},
        "mainEntity": {
            "@type": "ItemList",
            "itemListOrder": "https://schema.org/ItemListOrderDescending",
            "numberOfItems": len(items),
            "itemListElement": items,
        },
    }


def json_ld(data: dict[str, Any]) -> Markup:
    """``data`` as JSON that can sit in a ``<script>`` element whatever its strings hold."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _SCRIPT_ESCAPES.items():
        text = text.replace(char, escaped)
    return Markup(text)


@functools.cache
def og_locale(lang: str) -> str:
    """Open Graph's ``language_TERRITORY`` for a BCP 47 language: ``en`` is ``en_US``,
    ``id`` is ``id_ID``, ``en-GB`` stays ``en_GB`` (Unicode's likely territory when the
    language names none); a language Babel does not know is given as it is."""
    try:
        locale = Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return lang.replace("-", "_")
    territory = locale.territory
    if not territory:
        likely = get_global("likely_subtags")
        key = f"{locale.language}_{locale.script}" if locale.script else locale.language
        found = likely.get(key) or likely.get(locale.language)
        territory = Locale.parse(found).territory if found else None
    return f"{locale.language}_{territory}" if territory else locale.language
