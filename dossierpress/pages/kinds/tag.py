"""A tag's pages: its articles, newest first, and the topics they are in."""

from __future__ import annotations

from functools import partial

from dossierpress.pages import paging
from dossierpress.pages import views as v
from dossierpress.pages.builder import TOPIC_LINK_FIELDS, ViewBuilder
from dossierpress.pages.formats import SEPARATOR
from dossierpress.pages.paging import newest_slice
from dossierpress.pages.plan import PageKind, PagePlan, Planner


def plan(planner: Planner) -> None:
    graph, size = planner.graph, paging.TAG_PAGE_SIZE
    for key, tag in graph.tags.items():
        total = planner.story_count(tag.articles)
        planner.add_pages(partial(planner.urls.tag, key), total, size, key=key)


def tag_page(b: ViewBuilder, key: str, number: int, size: int) -> v.TagPage:
    """Page ``number`` of a tag: ``size`` of its articles, newest first; the first page
    also shows the topics the tag's articles are in."""
    graph = b.graph
    tag = graph.tags[key]
    stories = b.stories(tag.articles)
    counts: dict[str, int] = {}
    for story in stories if number == 1 else ():
        for slug in graph.article_topics[story.shown]:
            counts[slug] = counts.get(slug, 0) + 1
    topics = sorted(
        counts.items(),
        key=lambda kv: (-kv[1], graph.fields("topics", kv[0], TOPIC_LINK_FIELDS).title),
    )
    title = b.paged_title(b.loc("Tag: %(name)s", name=tag.name), number)
    url = partial(b.ctx.urls.tag, key)
    pages = b.pagination(url, number, len(stories), size)
    shown = newest_slice(stories, number, size)
    return v.TagPage(
        meta=b.meta("tag", title, url(number), title, pages),
        name=tag.name,
        articles=b.story_cards(reversed(shown)),
        topics=tuple(v.TagCount(b.topic_link(s), n) for s, n in topics),
        article_count=len(stories),
    )


def view(b: ViewBuilder, plan: PagePlan) -> v.TagPage:
    return tag_page(b, plan.key, plan.page, plan.page_size)


def feed(b: ViewBuilder, plan: PagePlan) -> v.FeedLink:
    """The tag's own feed, linked from every page of it."""
    title = b.loc("Tag: %(name)s", name=b.graph.tags[plan.key].name) + SEPARATOR
    return v.FeedLink(b.ctx.urls.tag_feed(plan.key), "", title + b.site.title, "tag")


KIND = PageKind("tag", "tag.html", plan, view, in_sitemap=True, feed=feed)
