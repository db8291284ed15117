"""An article's former addresses (``aliases``): a page that sends the reader on."""

from __future__ import annotations

from dossierpress.content.model import Article
from dossierpress.pages import views as v
from dossierpress.pages.builder import LINK_FIELDS, ViewBuilder
from dossierpress.pages.plan import PageKind, PagePlan, Planner


def plan(planner: Planner) -> None:
    for article in planner.graph.articles.values():
        for alias in article.aliases:
            url = planner.urls.site_path(alias.text)
            planner.add(url, key=article.path, source=article.path, line=alias.line)


def redirect_page(b: ViewBuilder, alias_url: str, article: Article) -> v.RedirectPage:
    target = b.ctx.urls.article(article)
    meta = b.meta("redirect", article.title, alias_url, article.title)
    return v.RedirectPage(
        v.PageMeta(
            meta.kind,
            meta.lang,
            meta.title,
            meta.url,
            b.ctx.urls.absolute(target),
            meta.description,
        ),
        target,
    )


def view(b: ViewBuilder, plan: PagePlan) -> v.RedirectPage:
    return redirect_page(b, plan.url, b.graph.fields("articles", plan.key, LINK_FIELDS))


KIND = PageKind("redirect", "redirect.html", plan, view, render_cost=1)
