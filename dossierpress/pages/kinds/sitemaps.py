"""``/sitemap.xml``, ``/news-sitemap.xml`` and ``/robots.txt``, all from ``base_url``.

The sitemap lists every page a search engine should index (``PageKind.in_sitemap``): the
site-wide ones (home, the topic and tag indexes, any other kind planned as ``SiteWide``),
every page of the archive, every article, every page of every topic and tag (redirects,
feeds, the search pages and the 404 page are not pages to index). ``lastmod`` is an article's
modification time (``Article.modified``: its newest correction or ``updated``, else its
``date``), a list page's the newest of the articles it lists, and a site-wide page's the
newest of the site. The news sitemap (Google News) lists the articles published in the
two days before the newest one: the build's own newest article, never the clock, so two
builds of the same content are the same bytes.

Each is a page kind (``KINDS``) and reads the graph through the page's reader, by
the fields it uses: editing a body leaves them alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from functools import partial

from dossierpress.pages import paging
from dossierpress.pages import views as v
from dossierpress.pages.builder import ViewBuilder
from dossierpress.pages.formats import rfc3339, xml_text
from dossierpress.pages.paging import newest_slice, page_count
from dossierpress.pages.plan import PageKind, PagePlan, SiteWide
from dossierpress.pages.urls import Urls

NEWS_WINDOW = timedelta(days=2)
"""Google News reads articles of the last two days."""
NEWS_LIMIT = 1000
"""The most URLs Google News reads from one news sitemap."""
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

    def newest(paths: Iterable[str]) -> datetime | None:
        return max((modified[p] for p in paths), default=None)

    for path in articles:
        modified[path] = graph.fields("articles", path, ADDRESS_FIELDS).modified
    site_wide = newest(articles)
    for url in site_wide_pages:
        add(url(urls), site_wide)
    size = paging.ARCHIVE_PAGE_SIZE
    for number in range(1, page_count(len(articles), size) + 1):
        add(urls.archive(number), newest(newest_slice(articles, number, size)))
    for path in articles:
        add(urls.article(graph.fields("articles", path, ADDRESS_FIELDS)), modified[path])
    size = paging.TIMELINE_PAGE_SIZE
    for slug in graph.topics:
        members = graph.topic_articles[slug]
        for number in range(1, page_count(len(members), size) + 1):
            add(urls.topic(slug, number), newest(newest_slice(members, number, size)))
    size = paging.TAG_PAGE_SIZE
    for key in graph.tags:
        members = graph.fields("tags", key, ("articles",)).articles
        for number in range(1, page_count(len(members), size) + 1):
            add(urls.tag(key, number), newest(newest_slice(members, number, size)))
    return v.SitemapPage(tuple(entries))


def news_sitemap_page(b: ViewBuilder, plan: PagePlan) -> v.NewsSitemapPage:
    """The articles published in the ``NEWS_WINDOW`` before the newest, newest first."""
    graph, urls, config = b.graph, b.ctx.urls, b.ctx.config
    entries: list[v.NewsEntry] = []
    cutoff: datetime | None = None
    for path in reversed(graph.articles):  # oldest first by date: stop past the window
        article = graph.fields("articles", path, ("slug", "date", "title", "lang"))
        cutoff = cutoff or article.date - NEWS_WINDOW
        if article.date < cutoff or len(entries) == NEWS_LIMIT:
            break
        entries.append(
            v.NewsEntry(
                url=urls.absolute(urls.article(article)),
                title=xml_text(article.title),
                language=news_language(article.lang or config.language),
                published=rfc3339(article.date),
            )
        )
    return v.NewsSitemapPage(xml_text(config.title), tuple(entries))


def news_language(lang: str) -> str:
    """The language as Google News names it: ISO 639 (``en-GB`` is ``en``), except Chinese,
    which is ``zh-cn`` or ``zh-tw``."""
    primary, *rest = lang.lower().split("-")
    if primary == "zh":
        return "zh-tw" if {"hant", "tw", "hk", "mo"} & set(rest) else "zh-cn"
    return primary


def robots_page(b: ViewBuilder, plan: PagePlan) -> v.RobotsPage:
    urls = b.ctx.urls
    return v.RobotsPage((urls.absolute(urls.sitemap()), urls.absolute(urls.news_sitemap())))


def kinds(listed: Iterable[PageKind]) -> tuple[PageKind, ...]:
    """The sitemap, the news sitemap and robots.txt, the sitemap listing the site-wide
    pages of those ``listed`` kinds that are ``in_sitemap``."""
    site_wide = tuple(
        kind.plan.url for kind in listed if isinstance(kind.plan, SiteWide) and kind.in_sitemap
    )
    return (
        PageKind(
            "sitemap",
            "sitemap.xml",
            SiteWide(Urls.sitemap),
            partial(sitemap_page, site_wide_pages=site_wide),
        ),
        PageKind(
            "news-sitemap", "news-sitemap.xml", SiteWide(Urls.news_sitemap), news_sitemap_page
        ),
        PageKind("robots", "robots.txt", SiteWide(Urls.robots), robots_page),
    )
