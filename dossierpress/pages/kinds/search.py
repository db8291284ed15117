"""The search page, one per language of the pages (Pagefind's user interface)."""

from __future__ import annotations

from dossierpress.pages import views as v
from dossierpress.pages.builder import ViewBuilder
from dossierpress.pages.plan import PageKind, PagePlan, Planner


def plan(planner: Planner) -> None:
    """A search page per language of the pages: Pagefind searches every language's index
    but stems the words typed by the rules of the page's own language only."""
    graph, site_lang = planner.graph, planner.site_lang
    documents = (*graph.articles.values(), *graph.topics.values())
    for lang in sorted({document.lang or site_lang for document in documents}):
        url = planner.urls.search("" if lang == site_lang else lang)
        planner.add(url, key=lang, lang=lang)


def search_page(b: ViewBuilder) -> v.SearchPage:
    """The search page in this builder's language: its script searches the index of
    every language, its own first (and with its own word stems)."""
    title = b.loc.gettext("Search")
    urls = b.ctx.urls
    url = urls.search("" if b.lang == b.ctx.config.language else b.lang)
    return v.SearchPage(b.meta("search", title, url, title), urls.search_assets())


def view(b: ViewBuilder, plan: PagePlan) -> v.SearchPage:
    return search_page(b)


KIND = PageKind("search", "search.html", plan, view, previewed=False)
