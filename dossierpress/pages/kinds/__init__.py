"""Every kind of page the site has, in the order they are planned.

A kind of page is one module here holding its plan, its view and its facts
(``plan.PageKind``), and one line in ``KINDS``. The build, the live preview and ``check``
plan, render and reuse pages from this list, so a new kind works everywhere at once;
what the rest of the build must know of a kind (indexed for search, in the sitemap, the
page of a document, its feed) is a field of its ``PageKind``, never a comparison of
names. A long list (the archive, a tag, a topic's timeline) is one plan per page of it,
each carrying its page number (``Planner.add_pages``).
"""

from __future__ import annotations

from collections.abc import Iterable

from dossierpress.graph.model import ContentGraph
from dossierpress.pages.kinds import (
    archive,
    article,
    author,
    feeds,
    home,
    humans,
    news_sitemap,
    not_found,
    redirect,
    robots,
    search,
    sitemap,
    tag,
    tag_index,
    topic,
    topic_index,
)
from dossierpress.pages.plan import PageKind, PagePlan, Planner
from dossierpress.pages.urls import Urls

PAGES: tuple[PageKind, ...] = (
    home.KIND,
    archive.KIND,
    topic_index.KIND,
    tag_index.KIND,
    not_found.KIND,
    search.KIND,
    article.KIND,
    redirect.KIND,
    topic.KIND,
    tag.KIND,
    author.KIND,
    *feeds.KINDS,
    humans.KIND,
)
"""The kinds of page, feeds included; the sitemaps come last, listing these."""
KINDS: tuple[PageKind, ...] = (*PAGES, sitemap.kind(listed=PAGES), news_sitemap.KIND, robots.KIND)
BY_NAME = {kind.name: kind for kind in KINDS}


def plan_pages(graph: ContentGraph, urls: Urls, site_lang: str) -> list[PagePlan]:
    """Every page of the site, kind by kind, in a stable order."""
    planner = Planner(graph, urls, site_lang)
    for kind in KINDS:
        planner.kind = kind
        kind.plan(planner)
    return planner.plans


def page_languages(site_lang: str, plans: Iterable[PagePlan]) -> list[str]:
    """Every language a page is rendered in: the site's and each page's own."""
    return sorted({site_lang, *(p.lang for p in plans)})
