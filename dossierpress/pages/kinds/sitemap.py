"""``/sitemap.xml``: every page a search engine should index, from ``base_url``.

It lists the pages of the kinds that are ``in_sitemap`` (``PageKind``): the site-wide ones
(home, the topic and tag indexes, any other kind planned as ``SiteWide``), every page of
the archive, every article, every page of every topic, tag and author (redirects, feeds, the
search pages and the 404 page are not pages to index). ``lastmod`` is an article's
modification time (``Article.modified``: its newest correction or ``updated``, else its
``date``), a list page's the newest of the articles it lists, and a site-wide page's the
newest of the site. It reads the graph through the page's reader, by the fields it
uses: editing a body leaves it alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial

from dossierpress.graph.stories import Story
from dossierpress.pages import paging
from dossierpress.pages import views as v
from dossierpress.pages.builder import ViewBuilder
from dossierpress.pages.formats import rfc3339
from dossierpress.pages.paging import newest_slice, page_count
from dossierpress.pages.plan import PageKind, PagePlan, SiteWide
from dossierpress.pages.urls import Urls

ADDRESS_FIELDS = ("slug", "date", "modified")
"""What an article's sitemap entry shows: its address and when it last changed."""


SiteWideUrls = tuple[Callable[[Urls], str], ...]
"""The URLs of the site-wide pages to list (``kinds``: those ``in_sitemap``)."""


def sitemap_page(b: ViewBuilder, plan: PagePlan, site_wide_pages: SiteWideUrls) -> v.SitemapPage:
    graph, urls = b.graph, b.ctx.urls
    articles = tuple(graph.articles)
    modified: dict[str, datetime] = {}
    entries: list[v.SitemapEntry] = []

    def add(url: str, when: datetime | None) -> None:
        entries.append(v.SitemapEntry(urls.absolute(url), rfc3339(when) if when else None))

    def newest(stories: Iterable[Story]) -> datetime | None:
        return max((modified[s.shown] for s in stories), default=None)

    def add_pages(url: Callable[[int], str], stories: tuple[Story, ...], size: int) -> None:
        """Each page of a list, as the list's own pages cut it (one story, once)."""
        for number in range(1, page_count(len(stories), size) + 1):
            add(url(number), newest(newest_slice(stories, number, size)))

    for path in articles:
        modified[path] = graph.fields("articles", path, ADDRESS_FIELDS).modified
    site_wide = max(modified.values(), default=None)
    for url in site_wide_pages:
        add(url(urls), site_wide)
    add_pages(urls.archive, b.stories(articles), paging.ARCHIVE_PAGE_SIZE)
    for path in articles:
        add(urls.article(graph.fields("articles", path, ADDRESS_FIELDS)), modified[path])
    for slug in graph.topics:
        lang = graph.fields("topics", slug, ("lang",)).lang
        stories = b.stories(graph.topic_articles[slug], lang)
        add_pages(partial(urls.topic, slug), stories, paging.TIMELINE_PAGE_SIZE)
    for key in graph.tags:
        stories = b.stories(graph.fields("tags", key, ("articles",)).articles)
        add_pages(partial(urls.tag, key), stories, paging.TAG_PAGE_SIZE)
    for path in graph.authors:
        author = graph.fields("authors", path, ("slug", "lang"))
        stories = b.stories(graph.author_articles[path], author.lang)
        add_pages(partial(urls.author, author.slug), stories, paging.TAG_PAGE_SIZE)
    return v.SitemapPage(tuple(entries))


def kind(listed: Iterable[PageKind]) -> PageKind:
    """The sitemap, listing the site-wide pages of those ``listed`` kinds that are
    ``in_sitemap`` (it is given them rather than importing the registry, which lists it)."""
    site_wide = tuple(
        each.plan.url for each in listed if isinstance(each.plan, SiteWide) and each.in_sitemap
    )
    view = partial(sitemap_page, site_wide_pages=site_wide)
    return PageKind("sitemap", "sitemap.xml", SiteWide(Urls.sitemap), view)
