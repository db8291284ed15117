"""What templates see: plain, already-localised, already-resolved data per page.

Templates never compute URLs, rank articles or format dates; the renderer fills these
view objects from the content graph, so the theme is presentation only and a project can
override any template without re-implementing logic. Every template receives
``site`` (SiteView), ``page`` (one of the *Page classes) and ``_`` (gettext for the
page's language). HTML fragments (``*_html``) are ``markupsafe.Markup``.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup


@dataclass(frozen=True)
class LinkView:
    url: str
    title: str


@dataclass(frozen=True)
class DateView:
    iso: str
    """Machine-readable, for ``<time datetime>``."""
    text: str
    """Localised for the page's language ("19 Juni 2024")."""


@dataclass(frozen=True)
class ArticleCard:
    """An article in a list: home, timelines, tag pages, "more on this"."""

    url: str
    title: str
    summary: str
    date: DateView
    lang: str | None
    """The article's language when it differs from the page's (for a ``lang`` attribute)."""
    topics: tuple[LinkView, ...]
    draft: bool = False


@dataclass(frozen=True)
class CitationView:
    """A related link or a source, internal or external."""

    title: str
    url: str | None
    internal: bool
    source: str | None
    date: DateView | None
    archive: str | None
    kind: str
    """For internal links: "article" or "topic"; for external ones: "external"."""


@dataclass(frozen=True)
class RankedArticle:
    """An entry of "more on this": the article and why it is suggested."""

    article: ArticleCard
    reasons: str
    """Localised: "shared topic Sanctions, tag Aurus"."""


@dataclass(frozen=True)
class TopicNeighbours:
    """Previous and next article within one of the article's topics."""

    topic: LinkView
    previous: LinkView | None
    next: LinkView | None


@dataclass(frozen=True)
class MonthGroup:
    label: str
    """Localised month name ("June", "Juni")."""
    iso: str
    """``2024-06``."""
    articles: tuple[ArticleCard, ...]


@dataclass(frozen=True)
class YearGroup:
    year: str
    months: tuple[MonthGroup, ...]


@dataclass(frozen=True)
class RelatedTopic:
    link: LinkView
    shared: int
    """Number of articles the two topics share."""
    explicit: bool
    """The editor listed it in ``related_topics``."""


@dataclass(frozen=True)
class TagCount:
    link: LinkView
    count: int


@dataclass(frozen=True)
class TopicCard:
    link: LinkView
    summary: str
    article_count: int
    latest: DateView | None


@dataclass(frozen=True)
class SiteView:
    title: str
    description: str
    language: str
    """The site's language (BCP 47)."""
    home_url: str
    topics_url: str
    tags_url: str
    archive_url: str
    static_url: str
    """Prefix of theme assets: ``{{ site.static_url }}style.css``."""
    preview: bool = False
    """True in the live preview (drafts shown and marked)."""


@dataclass(frozen=True)
class Pagination:
    """Where a page of a long list stands among the list's pages (archive, tag, timeline).

    Lists are newest first, so the previous page holds newer articles, the next older.
    URLs are root-relative, as every internal link."""

    number: int
    """This page's number, from 1."""
    count: int
    """How many pages the list has (2 or more: a list that fits on one page has none)."""
    first: str
    """URL of page 1 (the list's own URL; for a topic, the dossier)."""
    previous: str | None
    """URL of the page before (newer articles), None on page 1."""
    next: str | None
    """URL of the page after (older articles), None on the last page."""


@dataclass(frozen=True)
class PageMeta:
    """What every page's ``<head>`` needs."""

    kind: str
    """"article", "topic", "tag", "topics", "tags", "home", "archive", "404", "redirect"."""
    lang: str
    title: str
    """The document title, without the site name."""
    url: str
    canonical: str
    """Absolute canonical URL."""
    description: str
    pagination: Pagination | None = None
    """For a page of a list that takes several pages: which one (``<link rel="prev">``,
    the pagination nav); None for every other page."""


@dataclass(frozen=True)
class ArticlePage:
    meta: PageMeta
    title: str
    summary: str
    published: DateView
    updated: DateView | None
    authors: tuple[str, ...]
    body_html: Markup
    topics: tuple[LinkView, ...]
    tags: tuple[LinkView, ...]
    sources: tuple[CitationView, ...]
    related: tuple[CitationView, ...]
    more_on_this: tuple[RankedArticle, ...]
    mentioned_in: tuple[LinkView, ...]
    neighbours: tuple[TopicNeighbours, ...]
    draft: bool


@dataclass(frozen=True)
class TopicPage:
    meta: PageMeta
    title: str
    summary: str
    intro_html: Markup
    key_facts: tuple[Markup, ...]
    pinned: tuple[ArticleCard, ...]
    timeline: tuple[YearGroup, ...]
    """Newest year first, months newest first, articles newest first: this page's part of
    the timeline. Later pages (``meta.pagination.number`` > 1) hold only the title and
    their part of the timeline; the other fields are empty there."""
    related_topics: tuple[RelatedTopic, ...]
    top_tags: tuple[TagCount, ...]
    mentioned_in: tuple[LinkView, ...]
    article_count: int


@dataclass(frozen=True)
class TagPage:
    meta: PageMeta
    name: str
    articles: tuple[ArticleCard, ...]
    """This page's articles, newest first (all of them when the tag has one page)."""
    topics: tuple[TagCount, ...]
    """Topics of this tag's articles with how many articles each (empty on later pages)."""
    article_count: int
    """Articles with this tag, on every page of it."""


@dataclass(frozen=True)
class TopicIndexPage:
    meta: PageMeta
    topics: tuple[TopicCard, ...]


@dataclass(frozen=True)
class TagIndexPage:
    meta: PageMeta
    tags: tuple[TagCount, ...]


@dataclass(frozen=True)
class HomePage:
    meta: PageMeta
    latest: tuple[ArticleCard, ...]
    topics: tuple[TopicCard, ...]


@dataclass(frozen=True)
class ArchivePage:
    meta: PageMeta
    years: tuple[YearGroup, ...]
    """This page's articles (see ``meta.pagination``)."""
    article_count: int
    """Articles in the whole archive."""


@dataclass(frozen=True)
class NotFoundPage:
    meta: PageMeta


@dataclass(frozen=True)
class RedirectPage:
    meta: PageMeta
    target: str
    """Root-relative URL of the page that moved."""
