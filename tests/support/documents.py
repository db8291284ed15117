"""Articles and topics made in memory, with the lines a file would give them, for the tests
of the content graph and of URLs (nothing written to disk or parsed)."""

from __future__ import annotations

from datetime import datetime

from dossierpress.content.model import Article, Event, LinkSpec, PartialDate, Ref, Topic

LIST_LINE = 4
"""The front-matter line every list of these in-memory documents is on, unless a test says."""
BODY_LINE = 10
"""The file line of the first body line of these in-memory documents."""


def refs(items) -> tuple[Ref, ...]:
    return tuple(item if isinstance(item, Ref) else Ref(item, LIST_LINE) for item in items)


def article(
    slug: str,
    *,
    date: str = "2024-06-01T12:00:00+00:00",
    title: str | None = None,
    topics=(),
    tags=(),
    related: tuple[LinkSpec, ...] = (),
    body: str = "Body.\n",
    about: PartialDate | None = None,
    has_time: bool = True,
) -> Article:
    return Article(
        path=f"content/articles/{slug}.md",
        slug=slug,
        title=title or slug.replace("-", " ").capitalize(),
        body=body,
        body_line=BODY_LINE,
        title_line=2,
        lang=None,
        summary=None,
        summary_line=None,
        date=datetime.fromisoformat(date),
        date_has_time=has_time,
        date_line=3,
        topics=refs(topics),
        tags=refs(tags),
        related=related,
        about=about,
        about_line=5 if about is not None else 0,
    )


def topic(
    slug: str,
    title: str | None = None,
    *,
    aliases=(),
    related_topics=(),
    pinned=(),
    key_facts=(),
    body: str = "Intro.\n",
    events: tuple[Event, ...] = (),
) -> Topic:
    return Topic(
        path=f"content/topics/{slug}.md",
        slug=slug,
        title=title or slug.capitalize(),
        body=body,
        body_line=BODY_LINE,
        title_line=2,
        lang=None,
        summary=None,
        summary_line=None,
        related_topics=refs(related_topics),
        aliases=refs(aliases),
        key_facts=refs(key_facts),
        pinned=refs(pinned),
        events=events,
    )
