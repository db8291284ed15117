"""``/humans.txt``: who wrote the site, in the plain-text form of humanstxt.org.

Every author named in an article's ``authors``, with how many of the published articles
carry the name (most first, then by name), and a few facts about the site: its name,
when it last changed, its languages and the software that built it. Readers and tools
that look for a site's credits find them at this fixed address; it is no page to index,
so it is in no sitemap.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from dossierpress.pages.builder import ViewBuilder
from dossierpress.pages.plan import PageKind, PagePlan, SiteWide
from dossierpress.pages.urls import Urls
from dossierpress.values import TemplateData


@dataclass(frozen=True)
class Author(TemplateData):
    name: str
    articles: int


@dataclass(frozen=True)
class HumansPage(TemplateData):
    authors: tuple[Author, ...]
    site: str
    updated: str | None
    """The newest article's last change, as humanstxt.org writes dates (YYYY/MM/DD)."""
    languages: tuple[str, ...]
    """Each language of the pages, by its own name."""


def url(urls: Urls) -> str:
    return urls.site_path("humans.txt")


def view(b: ViewBuilder, plan: PagePlan) -> HumansPage:
    graph, config = b.graph, b.ctx.config
    counts: Counter[str] = Counter()
    languages = {config.language}
    for path in graph.articles:
        article = graph.fields("articles", path, ("authors", "lang"))
        counts.update(dict.fromkeys(article.authors, 1))
        languages.add(article.lang or config.language)
    authors = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0].casefold(), pair[0]))
    changed = b.last_change(tuple(graph.articles))
    updated = changed.astimezone(config.zone).strftime("%Y/%m/%d") if changed else None
    return HumansPage(
        authors=tuple(Author(name, count) for name, count in authors),
        site=config.title,
        updated=updated,
        languages=tuple(b.language_name(lang) for lang in sorted(languages)),
    )


KIND = PageKind("humans", "humans.txt", SiteWide(url), view, render_cost=1)
