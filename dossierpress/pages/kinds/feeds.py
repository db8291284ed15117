"""Atom feeds: the site's (``/feed.xml``), each topic's, tag's and author's, newest first.

A feed holds the ``FEED_SIZE`` articles that changed last: an article's time is its
newest correction or ``updated``, else its ``date`` (``Article.modified``), so a
corrected article moves up. Each entry carries the summary and the full body with every
link made absolute (feed readers show it away from the site), the authors (with their
pages' addresses where they have one), the topics and tags as categories, and its
language. The four feeds are four page kinds (``KINDS``)
with one view, told apart only by the articles they choose from, so they share this
module; they are rendered by ``layouts/feed.xml``. What a feed shows is read through the
page's ``GraphReader``, like every page, so it is rendered again exactly when one of its
entries changed.

Times are RFC 3339 (``formats.rfc3339``); ids are the canonical URLs, stable while an
article keeps its address.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from markupsafe import Markup, escape

from dossierpress.content.markdown import render_inline
from dossierpress.content.model import Article, Document
from dossierpress.graph.model import ContentGraph
from dossierpress.graph.reader import GraphReader
from dossierpress.pages import views as v
from dossierpress.pages.builder import ViewBuilder
from dossierpress.pages.formats import SEPARATOR, rfc3339, xml_text
from dossierpress.pages.plan import PageKind, PagePlan, Planner, SiteWide
from dossierpress.pages.urls import Urls

FEED_SIZE = 50
"""Entries in a feed: the articles that changed last."""
SITE_FEED, TOPIC_FEED, TAG_FEED = "feed", "topic-feed", "tag-feed"
AUTHOR_FEED = "author-feed"
"""The four kinds of feed: one view, told apart by what they choose from."""
EMPTY_FEED_UPDATED = datetime(1970, 1, 1, tzinfo=UTC)
"""A feed with no entries still needs an ``<updated>``; a fixed one keeps builds equal."""
# -- planning -----------------------------------------------------------------------------


def plan_topic_feeds(planner: Planner) -> None:
    for topic in planner.graph.topics.values():
        url = planner.urls.topic_feed(topic.slug)
        planner.add(url, key=topic.path, lang=topic.lang or "", source=topic.path)


def plan_tag_feeds(planner: Planner) -> None:
    for key in planner.graph.tags:
        planner.add(planner.urls.tag_feed(key), key=key)


def plan_author_feeds(planner: Planner) -> None:
    for path, author in planner.graph.authors.items():
        url = planner.urls.author_feed(author.slug)
        planner.add(url, key=path, lang=author.lang or "", source=path)


def _members(graph: ContentGraph | GraphReader, plan: PagePlan) -> Sequence[str]:
    """The articles a feed chooses from, oldest first (``graph``: the graph or a reader)."""
    if plan.kind == TOPIC_FEED:
        return graph.topic_articles[graph.topic_paths[plan.key]]
    if plan.kind == TAG_FEED:
        return graph.tags[plan.key].articles
    if plan.kind == AUTHOR_FEED:
        return graph.author_articles[plan.key]
    return tuple(graph.articles)


def newest(paths: Sequence[str], modified: Callable[[str], datetime]) -> list[str]:
    """The ``FEED_SIZE`` paths changed last, newest first; of two changed at the same time,
    the later in ``paths`` (published later) first."""
    chosen = heapq.nlargest(FEED_SIZE, range(len(paths)), key=lambda i: (modified(paths[i]), i))
    return [paths[i] for i in chosen]


def feed_bodies(graph: ContentGraph, plan: PagePlan) -> list[str]:
    """The documents whose bodies a feed shows (``PageKind.bodies``), chosen as
    ``feed_page`` chooses them."""
    return newest(_members(graph, plan), lambda path: graph.articles[path].modified)


# -- views --------------------------------------------------------------------------------


def feed_page(b: ViewBuilder, plan: PagePlan) -> v.FeedPage:
    """A feed's view: the site's, a topic's (``topic-feed``), a tag's (``tag-feed``) or
    an author's (``author-feed``)."""
    urls = b.ctx.urls
    paths = newest(
        _members(b.graph, plan), lambda p: b.graph.fields("articles", p, ("modified",)).modified
    )
    if plan.kind == TOPIC_FEED:
        slug = b.graph.topic_paths[plan.key]
        topic = b.graph.topics[slug]
        title = topic.title + SEPARATOR + b.site.title
        subtitle, page_url = b.graph.summary(topic), urls.topic(slug)
    elif plan.kind == TAG_FEED:
        name = b.graph.tags[plan.key].name
        title = b.loc("Tag: %(name)s", name=name) + SEPARATOR + b.site.title
        subtitle, page_url = "", urls.tag(plan.key)
    elif plan.kind == AUTHOR_FEED:
        author = b.graph.fields("authors", plan.key, ("slug", "title", "summary"))
        title = author.title + SEPARATOR + b.site.title
        subtitle, page_url = author.summary or "", urls.author(author.slug)
    else:
        title, subtitle, page_url = b.site.title, b.site.description, urls.home()
    articles = [b.graph.articles[p] for p in paths]
    updated = max((a.modified for a in articles), default=EMPTY_FEED_UPDATED)
    return v.FeedPage(
        id=urls.absolute(plan.url),
        title=xml_text(title),
        subtitle=xml_text(subtitle),
        lang=plan.lang,
        url=urls.absolute(plan.url),
        page_url=urls.absolute(page_url),
        updated=rfc3339(updated),
        author=xml_text(b.site.title),
        icon=urls.absolute(urls.static("favicon.svg")),
        entries=tuple(feed_entry(b, article) for article in articles),
    )


def feed_entry(b: ViewBuilder, article: Article) -> v.FeedEntry:
    urls, config = b.ctx.urls, b.ctx.config
    url = urls.absolute(urls.article(article))
    lang = article.lang or config.language
    topics_scheme = urls.absolute(urls.topics_index())
    tags_scheme = urls.absolute(urls.tags_index())
    categories = [
        v.FeedCategory(xml_text(b.topic_link(slug).title), topics_scheme)
        for slug in b.graph.article_topics[article.path]
    ] + [
        v.FeedCategory(xml_text(b.tag_link(key).title), tags_scheme)
        for key in b.graph.article_tags[article.path]
    ]
    content = absolute_body(b, article) + corrections_html(b, article, lang)
    return v.FeedEntry(
        id=url,
        url=url,
        title=xml_text(article.title),
        summary=xml_text(b.graph.summary(article)),
        content=xml_text(content),
        published=rfc3339(article.date),
        updated=rfc3339(article.modified),
        lang=lang,
        authors=tuple(
            v.Byline(xml_text(byline.name), byline.url)
            for byline in b.bylines(article.path, absolute=True)
        ),
        categories=tuple(categories),
        image=feed_image(b, article),
    )


def feed_image(b: ViewBuilder, article: Article) -> v.FeedImage | None:
    """The lead picture at a width feed readers show, for ``media:content``."""
    if article.image is None:
        return None
    picture = b.picture_of(article.path, article.image, body=False)
    if picture is None or not picture.processed:
        return None
    shown = picture.fallback_near(1200)
    urls = b.ctx.urls
    spec = article.image
    description = xml_text(spec.caption or spec.alt)
    credit = xml_text(spec.credit) if spec.credit else None
    url = urls.absolute(urls.site_path(shown.path))
    return v.FeedImage(url, shown.mime, shown.width, shown.height, description, credit)


def absolute_body(b: ViewBuilder, doc: Document) -> str:
    """The body's HTML as the page shows it, with root-relative links (``/x/``, wiki links,
    images) made absolute; links within the page stay relative to it (the feed's
    ``xml:base``)."""
    urls = b.ctx.urls
    root = urls.absolute(urls.base_path)
    return str(b.body(doc, resolve=_absolute_links(b, doc), root_url=root))


def _absolute_links(b: ViewBuilder, doc: Document) -> Callable[[str], v.LinkView | None]:
    resolve = b.wikilink_resolver(doc)

    def absolute(target: str) -> v.LinkView | None:
        link = resolve(target)
        return None if link is None else v.LinkView(b.ctx.urls.absolute(link.url), link.title)

    return absolute


def corrections_html(b: ViewBuilder, article: Article, lang: str) -> str:
    """The corrections log after the body, headed in the article's language, so a reader
    sees why the entry came back to the top."""
    if not article.corrections:
        return ""
    loc = b.ctx.localizer(lang)
    items = []
    for correction in article.corrections:
        moment = correction.date.astimezone(b.ctx.config.zone)
        when = loc.date(moment, correction.date_has_time)
        urls = b.ctx.urls
        text = render_inline(
            b.md,
            correction.text,
            resolve=_absolute_links(b, article),
            base_path=urls.base_path,
            root_url=urls.absolute(urls.base_path),
        )
        items.append(
            Markup('<li><time datetime="{}">{}</time>: {}</li>\n').format(when.iso, when.text, text)
        )
    heading = escape(loc.gettext("Corrections"))
    return f"\n<h2>{heading}</h2>\n<ul>\n{''.join(items)}</ul>\n"


def _feed_kind(name: str, plan: Callable[[Planner], None]) -> PageKind:
    return PageKind(name, "feed.xml", plan, feed_page, feed_bodies)


KINDS = (
    _feed_kind(SITE_FEED, SiteWide(Urls.feed)),
    _feed_kind(TOPIC_FEED, plan_topic_feeds),
    _feed_kind(TAG_FEED, plan_tag_feeds),
    _feed_kind(AUTHOR_FEED, plan_author_feeds),
)
