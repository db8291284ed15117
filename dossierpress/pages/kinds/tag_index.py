"""The index of tags (``/tags/``): every tag and how many stories carry it (an article
and its translations count once)."""

from __future__ import annotations

from dossierpress.pages import views as v
from dossierpress.pages.builder import ViewBuilder
from dossierpress.pages.plan import PageKind, PagePlan, SiteWide
from dossierpress.pages.urls import Urls


def tag_index_page(b: ViewBuilder) -> v.TagIndexPage:
    title = b.loc.gettext("Tags")
    tags = b.graph.tags
    return v.TagIndexPage(
        meta=b.meta("tags", title, b.ctx.urls.tags_index(), title),
        tags=tuple(v.TagCount(b.tag_link(k), len(b.stories(t.articles))) for k, t in tags.items()),
    )


def view(b: ViewBuilder, plan: PagePlan) -> v.TagIndexPage:
    return tag_index_page(b)


KIND = PageKind("tags", "tags.html", SiteWide(Urls.tags_index), view, in_sitemap=True)
