"""The page a static host serves for an address it does not have (``404.html``)."""

from __future__ import annotations

from dossierpress.pages import views as v
from dossierpress.pages.builder import ViewBuilder
from dossierpress.pages.plan import PageKind, PagePlan, SiteWide
from dossierpress.pages.urls import Urls


def not_found_page(b: ViewBuilder) -> v.NotFoundPage:
    title = b.loc.gettext("Page not found")
    return v.NotFoundPage(b.meta("404", title, b.ctx.urls.not_found(), title))


def view(b: ViewBuilder, plan: PagePlan) -> v.NotFoundPage:
    return not_found_page(b)


KIND = PageKind("404", "404.html", SiteWide(Urls.not_found), view, render_cost=1)
