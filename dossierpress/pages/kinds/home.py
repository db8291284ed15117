"""The home page: the newest news as the lead, the newest others, and the dossiers."""

from __future__ import annotations

import math

from dossierpress.pages import views as v
from dossierpress.pages.builder import ViewBuilder
from dossierpress.pages.kinds.topic import newest_news
from dossierpress.pages.plan import PageKind, PagePlan, SiteWide
from dossierpress.pages.urls import Urls

LATEST_ON_HOME = 12


def home_page(b: ViewBuilder) -> v.HomePage:
    """The newest news as the lead (a background piece or an opinion does not lead), the
    newest others, and the dossiers: those with a
    ``weight`` first (lowest first), then the most recently changed."""
    newest = list(reversed(b.stories(b.graph.articles)))[:LATEST_ON_HOME]
    lead = newest_news(b.graph, tuple(reversed(newest)))
    if lead is not None:  # the newest news leads; the rest follow, newest first
        newest.remove(lead)
        newest.insert(0, lead)
    changes = {s: b.last_change(b.graph.topic_articles[s]) for s in b.graph.topics}

    def order(slug: str) -> tuple[object, ...]:
        weight = b.graph.fields("topics", slug, ("weight",)).weight
        changed = changes[slug]
        recency = -changed.timestamp() if changed is not None else math.inf
        return (weight is None, weight or 0, recency)

    return v.HomePage(
        meta=b.meta("home", b.site.title, b.ctx.urls.home(), b.site.description),
        latest=b.story_cards(newest[1:]),
        topics=tuple(b.topic_card(s, changes[s]) for s in sorted(changes, key=order)),
        lead=b.story_cards(newest[:1])[0] if newest else None,
    )


def view(b: ViewBuilder, plan: PagePlan) -> v.HomePage:
    return home_page(b)


KIND = PageKind("home", "home.html", SiteWide(Urls.home), view, in_sitemap=True)
