"""The plan of a site: which pages it has (``PagePlan``) and what each kind of page is.

A ``PageKind`` holds every fact about one kind of page: how its pages are planned from
the content graph, how one page's view is built, its template, and what the rest of the
build needs to know of it (indexed for search, listed in the sitemap, the page of a
document, the feed it offers, its structured data, what rendering it costs). The kinds
themselves live one module each under ``pages/kinds/``, registered in one list
(``kinds.KINDS``): nothing elsewhere compares kind names.

Planning comes first and is cheap, so URL collisions are found before any rendering;
rendering a page is a pure function of (plan, graph, context, theme), so pages can be
rendered in any order, in worker processes, or only those an edit affects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from dossierpress.graph.model import ContentGraph
from dossierpress.graph.reader import Read
from dossierpress.graph.stories import one_per_story
from dossierpress.pages import views as v
from dossierpress.pages.builder import ViewBuilder
from dossierpress.pages.paging import page_count
from dossierpress.pages.urls import Urls


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

    def story_count(self, paths: Iterable[str], lang: str = "") -> int:
        """How many stories a list of articles shows on a page in ``lang`` (the site's
        by default): the count its pages are cut by (``graph.stories``)."""
        articles, site = self.graph.articles, self.site_lang
        return len(
            one_per_story(
                paths, self.graph.translations, lambda p: articles[p].lang or site, lang or site
            )
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


SearchFilters = tuple[tuple[str, str], ...]
"""Pagefind filters of a page: (filter name, value) pairs."""
StructuredData = dict[str, Any]
"""A page's JSON-LD, before it is written into the page (``metadata.json_ld``)."""


@dataclass(frozen=True)
class Described:
    """What a kind adds to a page's view for machines (``PageKind.describe``): the view
    itself (with what only this kind shows, e.g. an article's corrections), its link
    preview and its structured data."""

    page: Any
    share: v.ShareMeta
    data: StructuredData | None = None


@dataclass(frozen=True)
class PageKind:
    """One kind of page, and every fact about it the rest of the build needs."""

    name: str
    template: str
    plan: Callable[[Planner], None]
    """Add every page of this kind to the planner (``Planner.add``)."""
    view: Callable[[ViewBuilder, PagePlan], object]
    """The view object of one page, read from the graph through ``ViewBuilder.graph``."""
    bodies: Callable[[ContentGraph, PagePlan], Iterable[str]] = _own_body
    """The documents whose bodies one page shows (a state restored from disk brings their
    HTML back from the cache before rendering): its own, by default; a feed's entries."""
    indexed: bool = False
    """Its pages are what readers search: Pagefind indexes them (``engine.search``)."""
    in_sitemap: bool = False
    """Search engines are asked to index its pages: the sitemap lists them."""
    document_page: bool = False
    """Each of its pages is the page of the document its key names (an article's, a
    topic's): the page the preview opens after a save of that file, and the place a
    reader of a vanished article is sent to when the article's topic is all that is left."""
    feed: Callable[[ViewBuilder, PagePlan], v.FeedLink] | None = None
    """The feed of what its pages list (a topic's, a tag's), linked from each of them
    before the site's own."""
    describe: Callable[[ViewBuilder, PagePlan, Any, v.ShareMeta], Described] | None = None
    """What its pages tell machines besides the site's defaults (``metadata.complete``)."""
    search_filters: Callable[[ViewBuilder, PagePlan], SearchFilters] | None = None
    """The Pagefind filters of one of its pages (for kinds that are ``indexed``)."""
    previewed: bool = True
    """Its pages carry link-preview metadata (Open Graph, Twitter cards). The search
    page does not: it is never indexed, its preview would be the site's anyway, and it
    is the page whose weight a reader waits on before the first result."""
    render_cost: int = 8
    """What rendering one page costs, relative to others (the pool's batches: a list page
    shows many cards, an article or a redirect few)."""

    def searched(self, plan: PagePlan) -> bool:
        """Whether Pagefind indexes the page: the first page of an ``indexed`` kind (a
        dossier's later pages list other articles' headlines only)."""
        return self.indexed and plan.page == 1


@dataclass(frozen=True)
class SiteWide:
    """The plan of a kind that has one site-wide page (home, an index, a feed), at ``url``:
    what the sitemap lists such a page by (``kinds.sitemap``)."""

    url: Callable[[Urls], str]

    def __call__(self, planner: Planner) -> None:
        planner.add(self.url(planner.urls))
