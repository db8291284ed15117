"""Page kinds: which pages the site has, the view each shows and the template it uses.

Every kind of page (home, article, topic, tag, archive, redirect, 404, …) is one
``PageKind`` in ``KINDS``: how its pages are planned from the content graph, how one
page's view is built, and its template. The build, the live preview and ``check`` all
plan, render and reuse pages from this list, so a new kind of page is one entry here
and works everywhere at once. A long list (the archive, a tag, a topic's timeline) is
one plan per page of it, each carrying its page number (``Planner.add_pages``).

Planning comes first and is cheap, so URL collisions are found before any rendering;
rendering a page is a pure function of (plan, graph, context, theme), so pages can be
rendered in any order, in worker processes, or only those an edit affects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import NamedTuple

from markdown_it import MarkdownIt

from dossierpress.graph.model import ContentGraph
from dossierpress.graph.reader import GraphReader, Read
from dossierpress.pages import feeds, metadata, paging, sitemaps
from dossierpress.pages.builder import LINK_FIELDS, DateMemo, RenderContext, ViewBuilder
from dossierpress.pages.paging import page_count
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
    page: int = 1
    """Which page of a list that takes several (archive, tag, topic timeline), from 1."""
    page_size: int = 0
    """Articles per page of that list (``paging``), so the view needs nothing but the
    plan to know which articles it shows; 0 for pages that are not lists."""


@dataclass(frozen=True)
class RenderedPage:
    output: str
    data: bytes
    reads: tuple[Read, ...]
    """What the page read from the content graph (the values are the graph's)."""
    templates: frozenset[str]
    """The templates that rendered it."""


@dataclass
class Planner:
    """Collects the plans of one kind of page (see ``PageKind.plan``)."""

    graph: ContentGraph
    urls: Urls
    site_lang: str
    kind: PageKind | None = None
    plans: list[PagePlan] = field(default_factory=list)

    def add(
        self,
        url: str,
        *,
        key: str = "",
        lang: str = "",
        source: str = "",
        line: int = 1,
        page: int = 1,
        page_size: int = 0,
    ) -> None:
        assert self.kind is not None
        output = self.urls.output_path(url)
        lang = lang or self.site_lang
        name, template = self.kind.name, self.kind.template
        self.plans.append(
            PagePlan(name, key, url, output, template, lang, source, line, page, page_size)
        )

    def add_pages(
        self,
        url: Callable[[int], str],
        total: int,
        size: int,
        *,
        key: str = "",
        lang: str = "",
        source: str = "",
    ) -> None:
        """Every page of a list of ``total`` articles, ``size`` a page: page 1 at ``url(1)``
        (always, even for an empty list), then as many more as the list needs."""
        for number in range(1, page_count(total, size) + 1):
            self.add(url(number), key=key, lang=lang, source=source, page=number, page_size=size)


def _own_body(graph: ContentGraph, plan: PagePlan) -> tuple[str, ...]:
    return (plan.key,)


@dataclass(frozen=True)
class PageKind:
    """One kind of page: how its pages are planned, the view one shows, its template."""

    name: str
    template: str
    plan: Callable[[Planner], None]
    """Add every page of this kind to the planner (``Planner.add``)."""
    view: Callable[[ViewBuilder, PagePlan], object]
    """The view object of one page, read from the graph through ``ViewBuilder.graph``."""
    bodies: Callable[[ContentGraph, PagePlan], Iterable[str]] = _own_body
    """The documents whose bodies one page shows (a state restored from disk brings their
    HTML back from the cache before rendering): its own, by default; a feed's entries."""


@dataclass(frozen=True)
class SiteWide:
    """The plan of a kind that has one site-wide page (home, an index, a feed), at ``url``:
    what the sitemap lists such a page by (``sitemaps.sitemap_page``)."""

    url: Callable[[Urls], str]

    def __call__(self, planner: Planner) -> None:
        planner.add(self.url(planner.urls))


def _one(url: Callable[[Urls], str]) -> SiteWide:
    """The plan of a kind that has one site-wide page."""
    return SiteWide(url)


def _plan_articles(planner: Planner) -> None:
    for article in planner.graph.articles.values():
        planner.add(
            planner.urls.article(article),
            key=article.path,
            lang=article.lang or "",
            source=article.path,
            line=article.title_line,
        )


def _plan_redirects(planner: Planner) -> None:
    for article in planner.graph.articles.values():
        for alias in article.aliases:
            url = planner.urls.site_path(alias.text)
            planner.add(url, key=article.path, source=article.path, line=alias.line)


def _plan_archive(planner: Planner) -> None:
    total = len(planner.graph.articles)
    planner.add_pages(planner.urls.archive, total, paging.ARCHIVE_PAGE_SIZE)


def _plan_topics(planner: Planner) -> None:
    graph, size = planner.graph, paging.TIMELINE_PAGE_SIZE
    for topic in graph.topics.values():
        url = partial(planner.urls.topic, topic.slug)
        total = len(graph.topic_articles[topic.slug])
        lang = topic.lang or ""
        planner.add_pages(url, total, size, key=topic.path, lang=lang, source=topic.path)


def _plan_search(planner: Planner) -> None:
    """A search page per language of the pages: Pagefind searches every language's index
    but stems the words typed by the rules of the page's own language only."""
    graph, site_lang = planner.graph, planner.site_lang
    documents = (*graph.articles.values(), *graph.topics.values())
    for lang in sorted({document.lang or site_lang for document in documents}):
        url = planner.urls.search("" if lang == site_lang else lang)
        planner.add(url, key=lang, lang=lang)


def _plan_tags(planner: Planner) -> None:
    graph, size = planner.graph, paging.TAG_PAGE_SIZE
    for key, tag in graph.tags.items():
        planner.add_pages(partial(planner.urls.tag, key), len(tag.articles), size, key=key)


def _topic_view(b: ViewBuilder, plan: PagePlan) -> object:
    slug = b.graph.topic_paths[plan.key]
    if plan.page == 1:
        return b.topic_page(b.graph.topics[slug], plan.page_size)
    return b.topic_timeline_page(slug, plan.page, plan.page_size)


KINDS: tuple[PageKind, ...] = (
    PageKind("home", "home.html", _one(Urls.home), lambda b, _: b.home_page()),
    PageKind(
        "archive",
        "archive.html",
        _plan_archive,
        lambda b, plan: b.archive_page(plan.page, plan.page_size),
    ),
    PageKind("topics", "topics.html", _one(Urls.topics_index), lambda b, _: b.topic_index_page()),
    PageKind("tags", "tags.html", _one(Urls.tags_index), lambda b, _: b.tag_index_page()),
    PageKind("404", "404.html", _one(Urls.not_found), lambda b, _: b.not_found_page()),
    PageKind("search", "search.html", _plan_search, lambda b, _: b.search_page()),
    PageKind(
        "article",
        "article.html",
        _plan_articles,
        lambda b, plan: b.article_page(b.graph.articles[plan.key]),
    ),
    PageKind(
        "redirect",
        "redirect.html",
        _plan_redirects,
        lambda b, plan: b.redirect_page(
            plan.url, b.graph.fields("articles", plan.key, LINK_FIELDS)
        ),
    ),
    PageKind("topic", "topic.html", _plan_topics, _topic_view),
    PageKind(
        "tag",
        "tag.html",
        _plan_tags,
        lambda b, plan: b.tag_page(plan.key, plan.page, plan.page_size),
    ),
    PageKind("feed", "feed.xml", feeds.plan_site_feed, feeds.feed_page, feeds.feed_bodies),
    PageKind("topic-feed", "feed.xml", feeds.plan_topic_feeds, feeds.feed_page, feeds.feed_bodies),
    PageKind("tag-feed", "feed.xml", feeds.plan_tag_feeds, feeds.feed_page, feeds.feed_bodies),
    PageKind("sitemap", "sitemap.xml", _one(Urls.sitemap), sitemaps.sitemap_page),
    PageKind(
        "news-sitemap", "news-sitemap.xml", _one(Urls.news_sitemap), sitemaps.news_sitemap_page
    ),
    PageKind("robots", "robots.txt", _one(Urls.robots), sitemaps.robots_page),
)
BY_NAME = {kind.name: kind for kind in KINDS}


def plan_pages(graph: ContentGraph, urls: Urls, site_lang: str) -> list[PagePlan]:
    """Every page of the site, kind by kind, in a stable order."""
    planner = Planner(graph, urls, site_lang)
    for kind in KINDS:
        planner.kind = kind
        kind.plan(planner)
    return planner.plans


def page_languages(site_lang: str, plans: Iterable[PagePlan]) -> list[str]:
    """Every language a page is rendered in: the site's and each page's own."""
    return sorted({site_lang, *(p.lang for p in plans)})


class Renderer:
    """Renders planned pages in one process (the build's own, or a worker's).

    Owns what must not travel between processes or be shared by pages: the Markdown
    parser and a memo of formatted dates (a pure function's results, so sharing it
    between the pages of one process changes no byte).
    """

    def __init__(self, ctx: RenderContext, theme: Theme, md: MarkdownIt) -> None:
        self.ctx = ctx
        self.theme = theme
        self.md = md
        self.dates: DateMemo = {}
        self._site = ctx.site_view()

    def render(self, plan: PagePlan, graph: ContentGraph) -> RenderedPage:
        """Render one planned page; raises ``BuildError`` for template problems."""
        reader = GraphReader(graph)  # every lookup, the page's own document included
        builder = ViewBuilder(self.ctx, reader, self.md, plan.lang, self.dates)
        page = metadata.complete(builder, plan, BY_NAME[plan.kind].view(builder, plan))
        html = self.theme.render(plan.template, site=self._site, page=page, localizer=builder.loc)
        used = self.theme.templates_used(plan.template)
        return RenderedPage(plan.output, html.encode("utf-8"), tuple(reader.reads), used)
