"""The archive: every story by year and month, newest first, a page at a time."""

from __future__ import annotations

from dossierpress.pages import paging
from dossierpress.pages import views as v
from dossierpress.pages.builder import ViewBuilder
from dossierpress.pages.paging import newest_slice
from dossierpress.pages.plan import PageKind, PagePlan, Planner


def plan(planner: Planner) -> None:
    total = planner.story_count(planner.graph.articles)
    planner.add_pages(planner.urls.archive, total, paging.ARCHIVE_PAGE_SIZE)


def archive_page(b: ViewBuilder, number: int, size: int) -> v.ArchivePage:
    """Page ``number`` of the archive: ``size`` articles by year and month, newest first."""
    title = b.paged_title(b.loc.gettext("Archive"), number)
    stories = b.stories(b.graph.articles)
    url = b.ctx.urls.archive
    return v.ArchivePage(
        meta=b.meta(
            "archive", title, url(number), title, b.pagination(url, number, len(stories), size)
        ),
        years=b.timeline(newest_slice(stories, number, size)),
        article_count=len(stories),
    )


def view(b: ViewBuilder, plan: PagePlan) -> v.ArchivePage:
    return archive_page(b, plan.page, plan.page_size)


KIND = PageKind("archive", "archive.html", plan, view, in_sitemap=True)
