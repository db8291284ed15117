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

# Defined at the ground floor, as Markdown rendering and translations make them too; they
# are views all the same, and named here with the rest.
from dossierpress.values import DateView, LinkView, TemplateData


@dataclass(frozen=True)
class PictureSource(TemplateData):
    """One format of a picture, every width of it (``<source type srcset>``)."""

    type: str
    srcset: str


@dataclass(frozen=True)
class PictureView(TemplateData):
    """A picture as a page shows it: the widths a browser picks from, in WebP and the
    fallback format, the size of its ``<img>`` (no layout shift), and its words."""

    src: str
    alt: str
    width: int = 0
    """Of ``src``; 0 when unknown (a drawing, a picture on another site)."""
    height: int = 0
    srcset: str = ""
    sources: tuple[PictureSource, ...] = ()
    caption: str | None = None
    credit: str | None = None
    licence: str | None = None


@dataclass(frozen=True)
class ArticleCard(TemplateData):
    """An article in a list: home, timelines, tag pages, "more on this"."""

    url: str
    title: str
    summary: str
    date: DateView
    lang: str | None
    """The article's language when it differs from the page's (for a ``lang`` attribute)."""
    topics: tuple[LinkView, ...]
    draft: bool = False
    lang_name: str | None = None
    """The article's language's own name when it is another language than the page's
    ("Bahasa Indonesia" on an English page), shown beside its headline."""
    scheduled: bool = False
    """Dated after the build's time, shown all the same (``--future``, the preview)."""
    thumbnail: PictureView | None = None
    """The article's lead picture, small."""
    genre: str | None = None
    """The kind of work where it is not news (``content.model.GENRES``), to label."""
    versions: tuple[LinkView, ...] = ()
    """The story in other languages: links named by their language ("Bahasa Indonesia")."""


@dataclass(frozen=True)
class Byline(TemplateData):
    """One name of an article's ``authors``: a link to the author's page when an author
    file answers to it (``url``), else the name as written."""

    name: str
    url: str | None = None
    hreflang: str | None = None
    """The language of the author's page when it is not the page's own."""
    lang_name: str | None = None
    """That language's own name, shown beside the link."""


@dataclass(frozen=True)
class CitationView(TemplateData):
    """A related link or a source, internal or external."""

    title: str
    url: str | None
    internal: bool
    source: str | None
    date: DateView | None
    archive: str | None
    kind: str
    """For internal links: "article" or "topic"; for external ones: "external"."""
    hreflang: str | None = None
    """For internal links: the page's language when it is another than this page's."""
    lang_name: str | None = None
    """With ``hreflang``: that language's own name, shown beside the link."""
    version_date: str | None = None
    """With ``archive``: the day of the archived copy (``2024-06-19``) for Robust Links'
    ``data-versiondate``, or None when neither the copy's URL nor the citation tells it."""


@dataclass(frozen=True)
class RankedArticle(TemplateData):
    """An entry of "more on this": the article and why it is suggested."""

    article: ArticleCard
    reasons: str
    """Localised: "shared topic Sanctions, tag Aurus"."""


@dataclass(frozen=True)
class TopicNeighbours(TemplateData):
    """Previous and next article within one of the article's topics."""

    topic: LinkView
    previous: LinkView | None
    next: LinkView | None


@dataclass(frozen=True)
class EventView(TemplateData):
    """An entry of a dossier's ``events`` in its timeline: what happened, and links to
    the articles that report it."""

    text_html: Markup
    """The editor's line of inline Markdown, as HTML."""
    reports: tuple[LinkView, ...]


@dataclass(frozen=True)
class TimelineEntry(TemplateData):
    """One entry of a dossier's timeline: an article or an event, at the date of what
    it is about."""

    date: DateView
    """What it is about, as precisely as known ("February 2024", "19 June 2024")."""
    article: ArticleCard | None = None
    published: DateView | None = None
    """An article's publication, where it is not the date it is about."""
    event: EventView | None = None
    anchor: str = ""
    """An event's id in the page, which its point in the chart links to."""


@dataclass(frozen=True)
class MonthGroup(TemplateData):
    label: str
    """Localised month name ("June", "Juni"); the year for what is dated to a year."""
    iso: str
    """``2024-06`` (``2024``: dated to the year only)."""
    articles: tuple[ArticleCard, ...]
    entries: tuple[TimelineEntry, ...] = ()
    """A dossier's timeline: its articles and events (``articles`` is then empty)."""


@dataclass(frozen=True)
class YearGroup(TemplateData):
    year: str
    months: tuple[MonthGroup, ...]


@dataclass(frozen=True)
class RelatedTopic(TemplateData):
    link: LinkView
    shared: int
    """Number of articles the two topics share."""
    explicit: bool
    """The editor listed it in ``related_topics``."""


@dataclass(frozen=True)
class TagCount(TemplateData):
    link: LinkView
    count: int


@dataclass(frozen=True)
class TopicCard(TemplateData):
    link: LinkView
    summary: str
    article_count: int
    latest: DateView | None
    """When the dossier last changed (see ``TopicPage.updated``)."""


# -- the timeline chart of a dossier: plain numbers, placed by the template -----------------
#
# Horizontal positions are percentages of the chart's width (``"37.500%"``), vertical ones
# pixels, and text has a size in pixels: the chart takes the width it is given and its
# labels keep their size, at 390 px as at 1280. See ``pages.timeline``.


@dataclass(frozen=True)
class ChartPoint(TemplateData):
    """An article on the time axis, or the articles of one day, month or year."""

    x: str
    y: int
    r: int
    url: str
    label: str
    """The link's accessible name: "19 June 2024: Putin lands…", "June 2024: 12 articles"."""
    count: int
    """How many articles (or events) it stands for (1: an article)."""
    event: bool = False
    """Events, drawn apart from the articles (a ring above their points)."""


@dataclass(frozen=True)
class ChartLabel(TemplateData):
    x: str
    y: int
    text: str
    anchor: str
    """``text-anchor``: "start", "middle" or "end"."""
    major: bool
    """A year (or month and year) rather than a month (or day)."""
    shown: str
    """"always", or "wide" / "narrow": only where the chart is at least / less than
    ``timeline.WIDE`` pixels wide (a container query)."""


@dataclass(frozen=True)
class ChartTick(TemplateData):
    x: str
    y1: int
    y2: int


@dataclass(frozen=True)
class ChartBar(TemplateData):
    """The articles of one month, as a bar."""

    x: str
    width: str
    """A percentage, or pixels (then ``x`` is the bar's centre and ``shift`` half its width)."""
    shift: int
    y: int
    height: int
    label: str
    """"June 2024: 7 articles" (a tooltip)."""


@dataclass(frozen=True)
class TimelineChart(TemplateData):
    height: int
    points: tuple[ChartPoint, ...]
    grouping: str
    """What a point is: "article", or the articles of one "day", "month" or "year" ("": the
    dossier has only events)."""
    axes: tuple[int, ...]
    """The y of each axis line (the points' and, when not the same, the bars')."""
    left: str
    right: str
    """Where the axis lines start and end."""
    ticks: tuple[ChartTick, ...]
    labels: tuple[ChartLabel, ...]
    bars: tuple[ChartBar, ...]
    bars_label: str
    """The bars' accessible name: "Articles per month, the most in June 2024 (7)"."""
    first: DateView
    last: DateView
    event_grouping: str = ""
    """What an event's ring is, as ``grouping`` for articles ("": the dossier has no
    events)."""


@dataclass(frozen=True)
class SiteView(TemplateData):
    """The site's own strings (in the page's language) and its section addresses."""

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
    search_url: str = ""
    """The search page in the site's language (``search_url_in`` for a page's own)."""
    footer: str = ""
    """A line under the title and description in the footer (``site.yaml``'s ``footer``)."""
    language_name: str = ""
    """The site's language's own name ("English"): its sections are in it, and pages in
    another language say so beside the links to them."""

    def search_url_in(self, lang: str) -> str:
        """The search page that stems words by ``lang``'s rules (``Urls.search``)."""
        return self.search_url if lang == self.language else f"{self.search_url}{lang}/"


@dataclass(frozen=True)
class SearchPage(TemplateData):
    meta: PageMeta
    assets_url: str
    """Where the search index and its interface are (Pagefind's files; its shards are
    listed in ``shards.json`` there)."""


@dataclass(frozen=True)
class Pagination(TemplateData):
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
class FeedLink(TemplateData):
    """An Atom feed a page advertises (``<link rel="alternate">``) or offers to follow."""

    url: str
    """Root-relative, for a visible link."""
    href: str
    """Absolute, for the ``<head>``."""
    title: str
    kind: str
    """"site", "topic", "tag" or "author"."""


@dataclass(frozen=True)
class ShareMeta(TemplateData):
    """What a link preview shows (Open Graph, Twitter cards); URLs absolute."""

    type: str
    """"article" or "website"."""
    locale: str
    """Open Graph's ``language_TERRITORY`` (``en_US``, ``id_ID``)."""
    image: str
    image_alt: str
    image_width: int = 0
    image_height: int = 0
    published: str | None = None
    """RFC 3339, articles only (``article:published_time``), as are the fields below."""
    modified: str | None = None
    authors: tuple[str, ...] = ()
    section: str | None = None
    """The article's first topic."""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Alternate(TemplateData):
    """One language version of a page, for ``<link rel="alternate" hreflang>``."""

    lang: str
    href: str
    """Absolute."""


@dataclass(frozen=True)
class TranslationLink(TemplateData):
    """From an article to its version in another language, worded in that language."""

    url: str
    lang: str
    text: str
    """"Baca dalam Bahasa Indonesia", "Read in English"."""
    title: str
    """The version's headline, in its language."""


@dataclass(frozen=True)
class PageMeta(TemplateData):
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
    feeds: tuple[FeedLink, ...] = ()
    """The feeds this page advertises, its own first (a topic's, a tag's), then the site's."""
    share: ShareMeta | None = None
    structured_data: Markup | None = None
    """JSON-LD (``NewsArticle``, ``CollectionPage``), escaped to be safe in ``<script>``."""
    alternates: tuple[Alternate, ...] = ()
    """The page in every language it exists in, itself included (``<link rel="alternate"
    hreflang>``); empty for a page in one language only."""
    search_filters: tuple[tuple[str, str], ...] = ()
    """What the search index files an article or topic under (filter name, value), named
    alike on every page whatever its language, so one filter gathers them all."""
    searched: bool = False
    """Pagefind indexes the page (``PageKind.searched``): its ``<main>`` is what it reads."""
    language_name: str = ""
    """The page's language by its own name ("Bahasa Indonesia"), on a page the search
    index holds (its results say which language each is in); empty on the others."""


@dataclass(frozen=True)
class ArticlePage(TemplateData):
    meta: PageMeta
    title: str
    summary: str
    published: DateView
    updated: DateView | None
    authors: tuple[Byline, ...]
    body_html: Markup
    topics: tuple[LinkView, ...]
    tags: tuple[LinkView, ...]
    sources: tuple[CitationView, ...]
    related: tuple[CitationView, ...]
    more_on_this: tuple[RankedArticle, ...]
    mentioned_in: tuple[LinkView, ...]
    neighbours: tuple[TopicNeighbours, ...]
    draft: bool
    corrections: tuple[CorrectionView, ...] = ()
    """The corrections log, oldest first."""
    translations: tuple[TranslationLink, ...] = ()
    """The article's versions in other languages."""
    scheduled: bool = False
    """Dated after the build's time, shown all the same: marked with ``published``."""
    image: PictureView | None = None
    """The lead picture, with its caption and credit."""
    genre: str = "news"
    """The kind of work (``content.model.GENRES``), labelled above the headline."""


@dataclass(frozen=True)
class TopicPage(TemplateData):
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
    """Tags of the dossier's articles that tell them apart: none on more than half."""
    mentioned_in: tuple[LinkView, ...]
    """Pages that link here and are not listed elsewhere on the page already."""
    article_count: int
    updated: DateView | None = None
    """When the dossier last changed: its newest article's date, update or correction."""
    lead: ArticleCard | None = None
    """The newest article (left out of ``pinned``)."""
    chart: TimelineChart | None = None
    """The timeline as a chart (the first page only)."""
    image: PictureView | None = None
    """The dossier's picture (the first page only)."""


@dataclass(frozen=True)
class TagPage(TemplateData):
    meta: PageMeta
    name: str
    articles: tuple[ArticleCard, ...]
    """This page's articles, newest first (all of them when the tag has one page)."""
    topics: tuple[TagCount, ...]
    """Topics of this tag's articles with how many articles each (empty on later pages)."""
    article_count: int
    """Articles with this tag, on every page of it."""


@dataclass(frozen=True)
class AuthorPage(TemplateData):
    """An author's page: who they are (the first page only) and their articles."""

    meta: PageMeta
    name: str
    role: str | None
    bio: str
    """The short biography (``bio``, else the first paragraph of the body); "" on later
    pages and when there is none."""
    body_html: Markup
    """The longer biography (empty on later pages)."""
    links: tuple[LinkView, ...]
    """Pages about the person elsewhere, absolute URLs (empty on later pages)."""
    articles: tuple[ArticleCard, ...]
    """This page's articles, newest first."""
    article_count: int
    """The author's articles, on every page."""
    image: PictureView | None = None
    """The author's picture (the first page only)."""


@dataclass(frozen=True)
class TopicIndexPage(TemplateData):
    meta: PageMeta
    topics: tuple[TopicCard, ...]


@dataclass(frozen=True)
class TagIndexPage(TemplateData):
    meta: PageMeta
    tags: tuple[TagCount, ...]


@dataclass(frozen=True)
class HomePage(TemplateData):
    meta: PageMeta
    latest: tuple[ArticleCard, ...]
    """The newest articles after the lead."""
    topics: tuple[TopicCard, ...]
    """The dossiers: those with a ``weight`` first (lowest first), then by last update."""
    lead: ArticleCard | None = None
    """The newest article."""


@dataclass(frozen=True)
class ArchivePage(TemplateData):
    meta: PageMeta
    years: tuple[YearGroup, ...]
    """This page's articles (see ``meta.pagination``)."""
    article_count: int
    """Articles in the whole archive."""


@dataclass(frozen=True)
class NotFoundPage(TemplateData):
    meta: PageMeta


@dataclass(frozen=True)
class RedirectPage(TemplateData):
    meta: PageMeta
    target: str
    """Root-relative URL of the page that moved."""


# -- corrections, feeds, sitemaps ---------------------------------------------------------


@dataclass(frozen=True)
class CorrectionView(TemplateData):
    date: DateView
    text_html: Markup


@dataclass(frozen=True)
class FeedCategory(TemplateData):
    term: str
    """The topic's title or the tag's name."""
    scheme: str
    """Absolute URL of the topic or tag index."""


@dataclass(frozen=True)
class FeedEntry(TemplateData):
    """One article in an Atom feed. Text is plain (the XML template escapes it); URLs are
    absolute, dates RFC 3339."""

    id: str
    url: str
    title: str
    summary: str
    content: str
    """The body's HTML with absolute links (and the corrections log), as text."""
    published: str
    updated: str
    """The newest of ``updated`` and the corrections, else ``published``."""
    lang: str
    authors: tuple[Byline, ...]
    """Each with its page's absolute URL where it has one (the Atom ``<uri>``)."""
    categories: tuple[FeedCategory, ...]
    image: FeedImage | None = None
    """The lead picture (``media:content``)."""


@dataclass(frozen=True)
class FeedImage(TemplateData):
    """A feed entry's picture: absolute URL, plain text."""

    url: str
    type: str
    width: int
    height: int
    description: str
    credit: str | None


@dataclass(frozen=True)
class FeedPage(TemplateData):
    """An Atom feed: the site's, a topic's, a tag's or an author's, newest first."""

    id: str
    title: str
    subtitle: str
    lang: str
    url: str
    """Absolute URL of the feed itself."""
    page_url: str
    """Absolute URL of the page it follows."""
    updated: str
    author: str
    icon: str
    entries: tuple[FeedEntry, ...]


@dataclass(frozen=True)
class SitemapEntry(TemplateData):
    url: str
    """Absolute."""
    lastmod: str | None


@dataclass(frozen=True)
class SitemapPage(TemplateData):
    entries: tuple[SitemapEntry, ...]


@dataclass(frozen=True)
class NewsEntry(TemplateData):
    url: str
    title: str
    language: str
    """As Google News wants it: ISO 639 (``en``, ``id``; ``zh-cn``, ``zh-tw``)."""
    published: str


@dataclass(frozen=True)
class NewsSitemapPage(TemplateData):
    publication: str
    """The site's title."""
    entries: tuple[NewsEntry, ...]


@dataclass(frozen=True)
class RobotsPage(TemplateData):
    sitemaps: tuple[str, ...]
    """Absolute URLs."""
