"""``/robots.txt``: everything may be crawled; where the sitemaps are."""

from __future__ import annotations

from dossierpress.pages import views as v
from dossierpress.pages.builder import ViewBuilder
from dossierpress.pages.plan import PageKind, PagePlan, SiteWide
from dossierpress.pages.urls import Urls


def robots_page(b: ViewBuilder, plan: PagePlan) -> v.RobotsPage:
    urls = b.ctx.urls
    return v.RobotsPage((urls.absolute(urls.sitemap()), urls.absolute(urls.news_sitemap())))


KIND = PageKind("robots", "robots.txt", SiteWide(Urls.robots), robots_page, render_cost=1)
