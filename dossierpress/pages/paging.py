"""How long lists are cut into pages: the page sizes, and which articles one page shows.

The archive, tag pages and topic timelines list articles newest first; a list longer than
its page size continues on ``…/page/2/``, ``…/page/3/`` (``Urls.paged``), and a list that
fits on one page makes no other page. The sizes are read when pages are planned and
travel in each ``PagePlan`` (``page``, ``page_size``), so the view of a page is a function
of its plan alone, whichever process renders it.
"""

from __future__ import annotations

from typing import TypeVar

ARCHIVE_PAGE_SIZE = 100
"""Articles per archive page: headlines to scan by month, ~75 kB of HTML (a card is
~740 bytes); 10,000 articles make 100 pages instead of one page of 7.4 MB."""
TAG_PAGE_SIZE = 50
"""Articles per tag page: a tag's cards carry summaries, so fewer make a long page."""
TIMELINE_PAGE_SIZE = 50
"""Articles per page of a topic's timeline: the first page also holds the introduction,
key facts and essential reading, so its timeline stays short enough to reach the end."""

T = TypeVar("T")


def page_count(total: int, size: int) -> int:
    """How many pages a list of ``total`` items takes; an empty list still has its page."""
    return max(1, -(-total // size))


def newest_slice(items: tuple[T, ...], number: int, size: int) -> tuple[T, ...]:
    """The items of page ``number`` of a list shown newest first, as ``items`` is ordered
    (oldest first): page 1 holds the newest ``size`` items, the last page the oldest."""
    stop = len(items) - (number - 1) * size
    return items[max(0, stop - size) : max(0, stop)]
