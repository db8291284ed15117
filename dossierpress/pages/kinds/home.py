"""The home page: the newest article as the lead, the next ones, and the dossiers."""

from __future__ import annotations

import math

from dossierpress.pages import views as v
from dossierpress.pages.builder import ViewBuilder
from dossierpress.pages.plan import PageKind, PagePlan, SiteWide
from dossierpress.pages.urls import Urls

LATEST_ON_HOME = 12


def home_page(b: ViewBuilder) -> v.HomePage:
    """The newest article as the lead, the next ones, and the dossiers: those with a
    ``weight`` first (lowest first), then the most recently changed."""
    config = b.ctx.config
    newest = tuple(reversed(b.graph.articles))[:LATEST_ON_HOME]
    changes = {s: b.last_change(b.graph.topic_articles[s]) for s in b.graph.topics}

    def order(slug: str) -> tuple[object, ...]:
        weight = b.graph.fields("topics", slug, ("weight",)).weight
        changed = changes[slug]
        recency = -changed.timestamp() if changed is not None else math.inf
        return (weight is None, weight or 0, recency)

    return v.HomePage(
        meta=b.meta("home", config.title, b.ctx.urls.home(), config.description),
        latest=tuple(b.card(p) for p in newest[1:]),
        topics=tuple(b.topic_card(s, changes[s]) for s in sorted(changes, key=order)),
        lead=b.card(newest[0]) if newest else None,
    )


def view(b: ViewBuilder, plan: PagePlan) -> v.HomePage:
    return home_page(b)


KIND = PageKind("home", "home.html", SiteWide(Urls.home), view, in_sitemap=True)
