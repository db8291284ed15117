"""A dossier's page: its introduction, key facts, essential reading, the timeline as a
chart and a list, related topics; later pages of it carry the older articles."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import partial
from typing import Any

from markupsafe import Markup

from dossierpress.content.markdown import render_inline
from dossierpress.content.model import Topic
from dossierpress.graph.model import TOP_TAGS_LIMIT
from dossierpress.graph.reader import GraphReader
from dossierpress.graph.stories import Story, shown_paths
from dossierpress.pages import paging
from dossierpress.pages import timeline as chart_layout
from dossierpress.pages import views as v
from dossierpress.pages.builder import LINK_FIELDS, TOPIC_LINK_FIELDS, ViewBuilder
from dossierpress.pages.formats import SEPARATOR
from dossierpress.pages.metadata import share_picture
from dossierpress.pages.paging import newest_slice
from dossierpress.pages.plan import Described, PageKind, PagePlan, Planner, SearchFilters

CHART_FIELDS = (*LINK_FIELDS, "date_has_time")
"""What the chart shows of an article drawn one by one: its address, title and time."""


def plan(planner: Planner) -> None:
    graph, size = planner.graph, paging.TIMELINE_PAGE_SIZE
    for topic in graph.topics.values():
        url = partial(planner.urls.topic, topic.slug)
        lang = topic.lang or ""
        total = planner.story_count(graph.topic_articles[topic.slug], lang)
        planner.add_pages(url, total, size, key=topic.path, lang=lang, source=topic.path)


def view(b: ViewBuilder, plan: PagePlan) -> v.TopicPage:
    slug = b.graph.topic_paths[plan.key]
    if plan.page == 1:
        return topic_page(b, b.graph.topics[slug], plan.page_size)
    return topic_timeline_page(b, slug, plan.page, plan.page_size)


def topic_page(b: ViewBuilder, topic: Topic, size: int) -> v.TopicPage:
    """A dossier: when it last changed, its newest article, key facts, essential
    reading, the timeline as a chart and its newest part as a list (``size``
    articles; the rest on ``topic_timeline_page``), introduction, related topics."""
    graph = b.graph
    url = b.ctx.urls.topic(topic.slug)
    summary = graph.summary(topic)
    resolve = b.wikilink_resolver(topic)
    base = b.ctx.urls.base_path
    members = graph.topic_articles[topic.slug]
    stories = b.stories(members)
    pages = b.pagination(partial(b.ctx.urls.topic, topic.slug), 1, len(stories), size)
    title, _ = b.topic_title(topic)
    lead = newest_news(graph, stories)
    pinned = tuple(s for s in b.stories(graph.pinned[topic.slug]) if s != lead)
    shown = newest_slice(stories, 1, size)
    related = tuple(
        (v.RelatedTopic(b.topic_link(r.slug), r.shared, r.explicit), r.slug)
        for r in graph.related_topics[topic.slug]
    )
    listed = {topic.path, *shown_paths(shown), *shown_paths(pinned)}
    listed.update(graph.fields("topics", slug, TOPIC_LINK_FIELDS).path for _, slug in related)
    changed = b.last_change(members)
    return v.TopicPage(
        meta=b.meta("topic", title, url, summary, pages),
        title=title,
        summary=summary,
        intro_html=b.body(topic),
        key_facts=tuple(
            render_inline(b.md, fact.text, resolve=resolve, base_path=base)
            for fact in topic.key_facts
        ),
        pinned=b.story_cards(pinned),
        timeline=b.timeline(shown, with_time=True),
        related_topics=tuple(view for view, _ in related),
        top_tags=telling_tags(b, shown_paths(stories)),
        mentioned_in=b.mentioned_in(topic, listed),
        article_count=len(stories),
        updated=b.when(changed, has_time=False) if changed is not None else None,
        lead=b.story_cards((lead,))[0] if lead is not None else None,
        chart=chart(b, topic.slug, shown_paths(stories), size),
        image=b.lead_picture(topic),
    )


def telling_tags(b: ViewBuilder, members: tuple[str, ...]) -> tuple[v.TagCount, ...]:
    """The tags most used by a dossier's stories (``members``: one version of each),
    leaving out those on more than half of them (they tell none apart), with counts."""
    counts = Counter(key for path in members for key in b.graph.article_tags[path])
    telling = sorted(
        ((k, n) for k, n in counts.items() if 2 * n <= len(members)),
        key=lambda kv: (-kv[1], kv[0]),
    )
    return tuple(v.TagCount(b.tag_link(k), n) for k, n in telling[:TOP_TAGS_LIMIT])


def chart(b: ViewBuilder, slug: str, members: tuple[str, ...], size: int) -> v.TimelineChart | None:
    """The dossier's articles on a time axis (``timeline.layout``); their titles and
    addresses are read only when there are few enough to be drawn one by one."""
    zone = b.ctx.config.zone
    one_by_one = len(members) <= chart_layout.MAX_ARTICLE_POINTS
    attributes = CHART_FIELDS if one_by_one else ("date",)
    entries = []
    for i, path in enumerate(members):
        article = b.graph.fields("articles", path, attributes)
        entries.append(
            chart_layout.Entry(
                when=article.date.astimezone(zone).replace(tzinfo=None),
                has_time=one_by_one and article.date_has_time,
                url=b.ctx.urls.article(article) if one_by_one else "",
                title=article.title if one_by_one else "",
                page=(len(members) - 1 - i) // size + 1,
            )
        )
    return chart_layout.layout(entries, b.loc, partial(b.ctx.urls.topic, slug))


def topic_timeline_page(b: ViewBuilder, slug: str, number: int, size: int) -> v.TopicPage:
    """Page ``number`` (2 or more) of a dossier's timeline: its title, a way back to the
    dossier and older articles. It reads nothing else of the topic, so editing the
    introduction leaves it alone."""
    topic = b.graph.fields("topics", slug, TOPIC_LINK_FIELDS)
    stories = b.stories(b.graph.topic_articles[slug])
    url = partial(b.ctx.urls.topic, slug)
    name, _ = b.topic_title(topic)
    title = b.paged_title(name, number)
    return v.TopicPage(
        meta=b.meta(
            "topic", title, url(number), title, b.pagination(url, number, len(stories), size)
        ),
        title=name,
        summary="",
        intro_html=Markup(""),
        key_facts=(),
        pinned=(),
        timeline=b.timeline(newest_slice(stories, number, size), with_time=True),
        related_topics=(),
        top_tags=(),
        mentioned_in=(),
        article_count=len(stories),
    )


def feed(b: ViewBuilder, plan: PagePlan) -> v.FeedLink:
    """The dossier's own feed, linked from every page of it."""
    slug = b.graph.topic_paths[plan.key]
    title = b.topic_link(slug).title + SEPARATOR + b.site.title
    return v.FeedLink(b.ctx.urls.topic_feed(slug), "", title, "topic")


def describe(b: ViewBuilder, plan: PagePlan, page: Any, share: v.ShareMeta) -> Described:
    """A topic page as a ``CollectionPage`` of the articles its timeline shows."""
    urls, meta = b.ctx.urls, page.meta
    share, images = share_picture(b, b.graph.topics[b.graph.topic_paths[plan.key]], share)
    stories = b.stories(b.graph.topic_articles[b.graph.topic_paths[plan.key]])
    shown = reversed(newest_slice(stories, plan.page, plan.page_size))
    items = [
        {"@type": "ListItem", "position": n, "url": urls.absolute(link.url), "name": link.title}
        for n, link in enumerate((b.link(story.shown) for story in shown), start=1)
    ]
    data = {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": meta.title,
        "description": meta.description,
        "url": meta.canonical,
        "inLanguage": meta.lang,
        "isPartOf": {"@type": "WebSite", "name": b.site.title, "url": urls.absolute(urls.home())},
        "image": images or [share.image],
        "mainEntity": {
            "@type": "ItemList",
            "itemListOrder": "https://schema.org/ItemListOrderDescending",
            "numberOfItems": len(items),
            "itemListElement": items,
        },
    }
    return Described(page, share, data)


def search_filters(b: ViewBuilder, plan: PagePlan) -> SearchFilters:
    """The topic itself, under its own title (see ``metadata.search_filters``)."""
    slug = b.graph.topic_paths[plan.key]
    return ((b.site_loc.gettext("Topic"), b.graph.fields("topics", slug, ("title",)).title),)


KIND = PageKind(
    "topic",
    "topic.html",
    plan,
    view,
    indexed=True,
    in_sitemap=True,
    document_page=True,
    feed=feed,
    describe=describe,
    search_filters=search_filters,
)


def newest_news(graph: GraphReader, stories: Sequence[Story]) -> Story | None:
    """The dossier's "Latest": its newest news, not a background piece or an opinion
    (the newest story when it has no news)."""
    for story in reversed(stories):
        if graph.fields("articles", story.shown, ("genre",)).genre == "news":
            return story
    return stories[-1] if stories else None
