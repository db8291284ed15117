"""Rendering one planned page into its bytes: its kind's view, what machines are told of
it (``metadata``), its template."""

from __future__ import annotations

from markdown_it import MarkdownIt

from dossierpress.graph.model import ContentGraph
from dossierpress.graph.reader import GraphReader
from dossierpress.pages import metadata
from dossierpress.pages.builder import (
    BodyPictureMarkup,
    DateMemo,
    RenderContext,
    ViewBuilder,
)
from dossierpress.pages.kinds import BY_NAME
from dossierpress.pages.plan import PagePlan, RenderedPage
from dossierpress.pages.views import PictureView, SiteView
from dossierpress.theme.templates import Theme

PICTURES_TEMPLATE = "partials/pictures.html"
"""The theme's markup of pictures, which bodies use whatever the page's template."""


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
        self._sites: dict[str, SiteView] = {}

    def render(self, plan: PagePlan, graph: ContentGraph) -> RenderedPage:
        """Render one planned page; raises ``BuildError`` for template problems."""
        reader = GraphReader(graph)  # every lookup, the page's own document included
        builder = ViewBuilder(self.ctx, reader, self.md, plan.lang, self.dates)
        shown: list[bool] = []
        builder.body_picture = self._body_picture(builder, shown)
        kind = BY_NAME[plan.kind]
        page = metadata.complete(builder, kind, plan, kind.view(builder, plan))
        site = self._sites.get(plan.lang) or self._sites.setdefault(
            plan.lang, self.ctx.site_view(plan.lang)
        )
        html = self.theme.render(plan.template, site=site, page=page, localizer=builder.loc)
        used = self.theme.templates_used(plan.template)
        if shown:  # a body's pictures are in that template's markup
            used |= {PICTURES_TEMPLATE}
        return RenderedPage(plan.output, html.encode("utf-8"), tuple(reader.reads), used)

    def _body_picture(self, builder: ViewBuilder, shown: list[bool]) -> BodyPictureMarkup:
        """A body's pictures in the theme's markup (``partials/pictures.html``); ``shown``
        gets an entry for each."""

        def markup(picture: PictureView, figure: bool, feed: bool) -> str:
            shown.append(True)
            name = "feed_figure" if feed else ("figure" if figure else "inline")
            return str(self.theme.macro(PICTURES_TEMPLATE, name, builder.loc)(picture))

        return markup
