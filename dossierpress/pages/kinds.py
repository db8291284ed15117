"""Which pages the site has, and turning one planned page into bytes through the theme.

Planning comes first and is cheap, so URL collisions are found before any rendering;
rendering a page is a pure function of (plan, context, theme), so pages can be rendered
in any order, in parallel or only the ones an edit affects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from dossierpress.config import CONFIG_NAME
from dossierpress.graph.model import ContentGraph
from dossierpress.graph.reader import PageDeps
from dossierpress.pages.builder import LINK_FIELDS, RenderContext, ViewBuilder
from dossierpress.pages.urls import Urls
from dossierpress.theme.templates import Theme


class PagePlan(NamedTuple):
    """One page to write: what it shows, where it goes, which source is responsible.

    A named tuple rather than a frozen dataclass: a large archive plans tens of thousands
    of pages on every rebuild, and a frozen dataclass is several times slower to create.
    """

    kind: str
    key: str
    """Article or topic source path, tag key, or "" for site-wide pages."""
    url: str
    output: str
    template: str
    lang: str
    source: str
    """The file an error about this page points at ("" for generated pages)."""
    line: int


@dataclass(frozen=True)
class RenderedPage:
    output: str
    data: bytes
    deps: PageDeps
    """What the page read from the content graph and which templates rendered it."""

    @property
    def inputs(self) -> frozenset[str]:
        """Source files whose content this page shows (``site.yaml`` included)."""
        return self.deps.inputs | {CONFIG_NAME}

    @property
    def templates(self) -> frozenset[str]:
        return self.deps.templates


def plan_pages(graph: ContentGraph, urls: Urls, site_lang: str) -> list[PagePlan]:
    """Every page of the site, in a stable order."""
    plans: list[PagePlan] = []

    def add(kind: str, key: str, url: str, lang: str, source: str = "", line: int = 1) -> None:
        template = {"redirect": "redirect.html"}.get(kind, f"{kind}.html")
        plans.append(PagePlan(kind, key, url, urls.output_path(url), template, lang, source, line))

    add("home", "", urls.home(), site_lang)
    add("archive", "", urls.archive(), site_lang)
    add("topics", "", urls.topics_index(), site_lang)
    add("tags", "", urls.tags_index(), site_lang)
    add("404", "", urls.not_found(), site_lang)
    for article in graph.articles.values():
        line = article.title_line
        add("article", article.path, urls.article(article), article.lang or site_lang,
            article.path, line)  # fmt: skip
        for alias in article.aliases:
            add("redirect", article.path, urls.site_path(alias.text), site_lang,
                article.path, alias.line)  # fmt: skip
    for topic in graph.topics.values():
        add("topic", topic.path, urls.topic(topic.slug), topic.lang or site_lang, topic.path)
    for key in graph.tags:
        add("tag", key, urls.tag(key), site_lang)
    return plans


def render_page(plan: PagePlan, ctx: RenderContext, theme: Theme) -> RenderedPage:
    """Render one planned page; raises ``BuildError`` for template problems."""
    builder = ViewBuilder(ctx, plan.lang)
    page = _view_factory(plan, builder)()
    html = theme.render(plan.template, site=ctx.site_view(), page=page, localizer=builder.loc)
    deps = PageDeps(tuple(builder.graph.reads.items()), theme.templates_used(plan.template))
    return RenderedPage(output=plan.output, data=html.encode("utf-8"), deps=deps)


def _view_factory(plan: PagePlan, b: ViewBuilder) -> Callable[[], object]:
    graph = b.graph  # every lookup, the page's own document included, is a dependency
    if plan.kind == "article":
        return lambda: b.article_page(graph.articles[plan.key])
    if plan.kind == "redirect":
        return lambda: b.redirect_page(plan.url, graph.fields("articles", plan.key, LINK_FIELDS))
    if plan.kind == "topic":
        return lambda: b.topic_page(graph.topics[graph.topic_paths[plan.key]])
    if plan.kind == "tag":
        return lambda: b.tag_page(plan.key)
    return {
        "home": b.home_page,
        "archive": b.archive_page,
        "topics": b.topic_index_page,
        "tags": b.tag_index_page,
        "404": b.not_found_page,
    }[plan.kind]
