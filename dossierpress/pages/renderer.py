"""Rendering one planned page into its bytes: its kind's view, what machines are told of
it (``metadata``), its template."""

from __future__ import annotations

from markdown_it import MarkdownIt

from dossierpress.graph.model import ContentGraph
from dossierpress.graph.reader import GraphReader
from dossierpress.pages import metadata
from dossierpress.pages.builder import DateMemo, RenderContext, ViewBuilder
from dossierpress.pages.kinds import BY_NAME
from dossierpress.pages.plan import PagePlan, RenderedPage
from dossierpress.theme.templates import Theme


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
        kind = BY_NAME[plan.kind]
        page = metadata.complete(builder, kind, plan, kind.view(builder, plan))
        html = self.theme.render(plan.template, site=self._site, page=page, localizer=builder.loc)
        used = self.theme.templates_used(plan.template)
        return RenderedPage(plan.output, html.encode("utf-8"), tuple(reader.reads), used)
