"""An author's pages: who they are (name, role, biography, links elsewhere) and their
articles, newest first, paginated like a tag's; with a feed of their own and a
``ProfilePage`` for machines."""

from __future__ import annotations

from functools import partial
from typing import Any

from markupsafe import Markup

from dossierpress.pages import paging
from dossierpress.pages import views as v
from dossierpress.pages.builder import AUTHOR_LINK_FIELDS, ViewBuilder, readable_url
from dossierpress.pages.formats import SEPARATOR
from dossierpress.pages.metadata import share_picture
from dossierpress.pages.paging import newest_slice
from dossierpress.pages.plan import Described, PageKind, PagePlan, Planner

PROFILE_FIELDS = (*AUTHOR_LINK_FIELDS, "role", "links")
"""What an author's structured data shows besides the page's own description."""


def plan(planner: Planner) -> None:
    graph, size = planner.graph, paging.TAG_PAGE_SIZE
    for path, author in graph.authors.items():
        url = partial(planner.urls.author, author.slug)
        total = planner.story_count(graph.author_articles[path], author.lang or "")
        planner.add_pages(url, total, size, key=path, lang=author.lang or "", source=path)


def view(b: ViewBuilder, plan: PagePlan) -> v.AuthorPage:
    """Page ``plan.page`` of an author: their articles, newest first; the first page also
    says who they are. Later pages read only the name, so a new biography leaves them
    alone."""
    graph, number, size = b.graph, plan.page, plan.page_size
    members = b.stories(graph.author_articles[plan.key])
    url = partial(b.ctx.urls.author, graph.fields("authors", plan.key, ("slug",)).slug)
    pages = b.pagination(url, number, len(members), size)
    shown = b.story_cards(reversed(newest_slice(members, number, size)))
    if number > 1:
        name = graph.fields("authors", plan.key, AUTHOR_LINK_FIELDS).title
        title = b.paged_title(name, number)
        return v.AuthorPage(
            meta=b.meta("author", title, url(number), title, pages),
            name=name,
            role=None,
            bio="",
            body_html=Markup(""),
            links=(),
            articles=shown,
            article_count=len(members),
        )
    author = graph.authors[plan.key]
    bio = graph.summary(author)
    description = bio or b.loc("Articles by %(name)s", name=author.title)
    return v.AuthorPage(
        meta=b.meta("author", author.title, url(1), description, pages),
        name=author.title,
        role=author.role,
        bio=bio,
        body_html=b.body(author),
        links=tuple(
            v.LinkView(link.url or "", link.title or readable_url(link.url))
            for link in author.links
        ),
        articles=shown,
        article_count=len(members),
        image=b.lead_picture(author),
    )


def feed(b: ViewBuilder, plan: PagePlan) -> v.FeedLink:
    """The author's own feed, linked from every page of theirs."""
    author = b.graph.fields("authors", plan.key, AUTHOR_LINK_FIELDS)
    title = author.title + SEPARATOR + b.site.title
    return v.FeedLink(b.ctx.urls.author_feed(author.slug), "", title, "author")


def describe(b: ViewBuilder, plan: PagePlan, page: Any, share: v.ShareMeta) -> Described:
    """An author's page as a ``ProfilePage`` whose main entity is the ``Person``: name,
    page, role (``jobTitle``) and links elsewhere (``sameAs``)."""
    urls, meta = b.ctx.urls, page.meta
    author = b.graph.fields("authors", plan.key, PROFILE_FIELDS)
    person: dict[str, Any] = {
        "@type": "Person",
        "name": author.title,
        "url": urls.absolute(urls.author(author.slug)),
    }
    if author.role:
        person["jobTitle"] = author.role
    if author.links:
        person["sameAs"] = [link.url for link in author.links]
    if plan.page == 1:
        share, images = share_picture(b, b.graph.authors[plan.key], share)
        if images:
            person["image"] = images[-1]  # the square crop, as a person's picture is
    data = {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "name": meta.title,
        "description": meta.description,
        "url": meta.canonical,
        "inLanguage": meta.lang,
        "isPartOf": {"@type": "WebSite", "name": b.site.title, "url": urls.absolute(urls.home())},
        "mainEntity": person,
    }
    return Described(page, share, data)


KIND = PageKind(
    "author",
    "author.html",
    plan,
    view,
    in_sitemap=True,
    document_page=True,
    feed=feed,
    describe=describe,
)
