"""Which articles a build publishes: drafts and scheduled articles are left out.

An article marked ``draft: true`` is published only when the build asks for drafts; an
article whose ``date`` is later than the build's time (``now``) is *scheduled*: left out
exactly as a draft is, until a build runs at or after its date, or shown all the same
and marked (``future``: ``--future``, the live preview). Leaving an article out here, before
the content graph is made, keeps it out of everything made from the graph: its page,
lists, feeds, sitemaps, search, "more on this", topic counts and dates.

A build's result depends on its time only through which articles are scheduled, so a
``Window`` says for how long that stays true: a later build whose time falls in the same
window publishes the same articles, and may reuse the last one whole (the cache's
"nothing changed"); one whose time has moved past a scheduled date may not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from dossierpress.content.model import Article


@dataclass(frozen=True)
class Window:
    """The times at which a build publishes the same articles with the same marks: from
    the newest date already reached (``start``) up to, not including, the earliest date
    still to come (``end``); None: open on that side."""

    start: datetime | None = None
    end: datetime | None = None

    def holds(self, now: datetime) -> bool:
        return (self.start is None or now >= self.start) and (self.end is None or now < self.end)


@dataclass(frozen=True)
class Publication:
    """The rule of one build: its time, and whether drafts and scheduled articles show."""

    now: datetime
    """Timezone-aware."""
    drafts: bool = False
    future: bool = False

    @classmethod
    def at(cls, now: datetime | None, *, drafts: bool = False, future: bool = False) -> Publication:
        """The rule at ``now``, or at the clock's time when it is None."""
        return cls(now or datetime.now(UTC), drafts=drafts, future=future)

    def considers(self, article: Article) -> bool:
        """Whether the article is one to publish at some time: not a draft left out."""
        return self.drafts or not article.draft

    def is_scheduled(self, article: Article) -> bool:
        return article.date > self.now

    def admit(self, article: Article) -> Article | None:
        """The article as this build publishes it (marked when scheduled and shown), or
        None when it is left out."""
        if not self.considers(article):
            return None
        if not self.is_scheduled(article):
            return article
        return replace(article, scheduled=True) if self.future else None

    def window(self, articles: Iterable[Article]) -> Window:
        """How long what this rule makes of ``articles`` stays what it is at ``now``
        (drafts it leaves out whatever the time do not count)."""
        dates = [a.date for a in articles if self.considers(a)]
        reached = [d for d in dates if d <= self.now]
        ahead = [d for d in dates if d > self.now]
        return Window(max(reached, default=None), min(ahead, default=None))
