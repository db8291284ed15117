"""``/news-sitemap.xml`` (Google News): the articles published in the two days before
the newest one: the build's own newest article, never the clock, so two builds of the
same content are the same bytes."""

from __future__ import annotations

from datetime import datetime, timedelta

from dossierpress.pages import views as v
from dossierpress.pages.builder import ViewBuilder
from dossierpress.pages.formats import rfc3339, xml_text
from dossierpress.pages.plan import PageKind, PagePlan, SiteWide
from dossierpress.pages.urls import Urls

NEWS_WINDOW = timedelta(days=2)
"""Google News reads articles of the last two days."""
NEWS_LIMIT = 1000
"""The most URLs Google News reads from one news sitemap."""


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


KIND = PageKind("news-sitemap", "news-sitemap.xml", SiteWide(Urls.news_sitemap), news_sitemap_page)
