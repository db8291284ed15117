"""The index of topics (``/topics/``): every dossier as a card."""

from __future__ import annotations

from dossierpress.pages import views as v
from dossierpress.pages.builder import ViewBuilder
from dossierpress.pages.plan import PageKind, PagePlan, SiteWide
from dossierpress.pages.urls import Urls


def topic_index_page(b: ViewBuilder) -> v.TopicIndexPage:
    title = b.loc.gettext("Topics")
    return v.TopicIndexPage(
        meta=b.meta("topics", title, b.ctx.urls.topics_index(), title),
        topics=tuple(b.topic_card(s) for s in b.graph.topics),
    )


def view(b: ViewBuilder, plan: PagePlan) -> v.TopicIndexPage:
    return topic_index_page(b)


KIND = PageKind("topics", "topics.html", SiteWide(Urls.topics_index), view, in_sitemap=True)
