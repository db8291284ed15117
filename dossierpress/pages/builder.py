"""What every page kind builds its view with: links, cards, dates, bodies, citations.

Each kind of page builds its own view (``pages/kinds/``) out of these shared pieces, so
an article card or a topic link reads the same on every page. A ``ViewBuilder`` serves
one page and reads the content graph only through a
``graph.reader.GraphReader``, so the page records exactly what it depends on (what
rebuilds, the preview and the persistent cache need) without a separate, drift-prone
dependency analysis. It gets the reader, never the graph itself.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import groupby
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from dossierpress.config import SiteConfig, SiteStrings
from dossierpress.content.markdown import normalise_target, render_body
from dossierpress.content.model import Document, ImageSpec, Topic
from dossierpress.graph.model import Citation
from dossierpress.graph.reader import GraphReader
from dossierpress.graph.resolve import primary_language
from dossierpress.graph.stories import Story, one_per_story, shown_paths
from dossierpress.links.wayback import capture_date
from dossierpress.pages import views as v
from dossierpress.pages.paging import page_count
from dossierpress.pages.urls import Urls
from dossierpress.pictures.model import Picture, is_url, picture_key
from dossierpress.theme.i18n import Localizer, babel_locale

LINK_FIELDS = ("slug", "date", "title")
"""What a link to an article shows: its address (slug, date) and title."""
CARD_FIELDS = (*LINK_FIELDS, "date_has_time", "lang", "draft", "scheduled", "image", "genre")
"""What an article card shows besides its summary and topics."""
TOPIC_LINK_FIELDS = ("path", "title", "title_translations", "lang")
"""What a link to a topic shows: its title in the page's language, and which that is."""
ARTICLE_LINK_FIELDS = (*LINK_FIELDS, "lang")
AUTHOR_LINK_FIELDS = ("slug", "title")
"""What a link to an author's page shows: its address and the author's name."""
BYLINE_FIELDS = (*AUTHOR_LINK_FIELDS, "lang")
"""What a byline shows: the author's name and address, and the language of their page."""
CHANGED_FIELDS = ("modified",)
"""When an article last changed: its date, ``updated`` or newest correction."""


@dataclass(frozen=True)
class RenderContext:
    """What every page of one build shares: plain, picklable data (a worker process gets a
    copy), with no parser, no graph and no cache in it."""

    config: SiteConfig
    urls: Urls
    localizers: dict[str, Localizer]
    preview: bool = False

    def localizer(self, lang: str) -> Localizer:
        return self.localizers.get(lang) or self.localizers[self.config.language]

    def site_view(self, lang: str) -> v.SiteView:
        """The site as a page in ``lang`` shows it: its own strings in that language."""
        strings = self.config.strings(lang)
        return v.SiteView(
            title=strings.title,
            description=strings.description,
            footer=strings.footer,
            language_name=self.localizer(self.config.language).own_name(),
            language=self.config.language,
            home_url=self.urls.home(),
            topics_url=self.urls.topics_index(),
            tags_url=self.urls.tags_index(),
            archive_url=self.urls.archive(),
            static_url=self.urls.static(""),
            preview=self.preview,
            search_url=self.urls.search(),
        )


DateMemo = dict[tuple[str, datetime, bool], v.DateView]
"""Formatted dates, kept by the process that renders (see ``ViewBuilder.when``)."""
BodyPictureMarkup = Callable[[v.PictureView, bool, bool], str]
"""The theme's HTML of a picture in a body: (picture, alone in its paragraph, in a feed)."""


def picture_view(
    urls: Urls, picture: Picture, spec: ImageSpec, *, absolute: bool = False
) -> v.PictureView:
    """What a template needs of ``picture`` as ``spec`` places it; URLs absolute for a feed."""

    def url(path: str) -> str:
        found = path if is_url(path) else urls.site_path(path)
        return urls.absolute(found) if absolute and not is_url(path) else found

    if not picture.processed:
        shown = v.PictureView(src=url(picture.src or picture.key), alt=spec.alt)
    else:
        middle = picture.fallback_near(800)
        webp = ", ".join(f"{url(f.path)} {f.width}w" for f in picture.webp)
        shown = v.PictureView(
            src=url(middle.path),
            alt=spec.alt,
            width=middle.width,
            height=middle.height,
            srcset=", ".join(f"{url(f.path)} {f.width}w" for f in picture.fallback),
            sources=(v.PictureSource("image/webp", webp),),
        )
    return replace(shown, caption=spec.caption, credit=spec.credit, licence=spec.licence)


@dataclass
class ViewBuilder:
    """Builds the view of one page in one language and records the documents it read."""

    ctx: RenderContext
    graph: GraphReader
    """The content graph, recording every lookup this page makes (its dependencies)."""
    md: MarkdownIt
    lang: str
    dates: DateMemo = field(default_factory=dict)
    body_picture: BodyPictureMarkup | None = None
    """The theme's markup of a body's pictures (the renderer's); None: their alt text."""
    _translations: dict[str, tuple[str, ...]] | None = field(default=None, repr=False)

    @property
    def loc(self) -> Localizer:
        return self.ctx.localizer(self.lang)

    @property
    def site(self) -> SiteStrings:
        """The site's title, description and footer in the page's language."""
        return self.ctx.config.strings(self.lang)

    @property
    def site_loc(self) -> Localizer:
        """The UI strings of the site's language, whatever the page's: what is shared by
        the pages of every language is named in it (search filters)."""
        return self.ctx.localizer(self.ctx.config.language)

    # -- small pieces -------------------------------------------------------------------

    def meta(
        self,
        kind: str,
        title: str,
        url: str,
        description: str,
        pagination: v.Pagination | None = None,
        *,
        alternates: tuple[v.Alternate, ...] = (),
    ) -> v.PageMeta:
        return v.PageMeta(
            kind=kind,
            lang=self.lang,
            title=title,
            url=url,
            canonical=self.ctx.urls.absolute(url),
            description=description,
            pagination=pagination,
            alternates=alternates,
        )

    def pagination(
        self, url: Callable[[int], str], number: int, total: int, size: int
    ) -> v.Pagination | None:
        """Page ``number`` of a list of ``total`` items whose page N is at ``url(N)``;
        None when the list fits on one page."""
        count = page_count(total, size)
        if count == 1:
            return None
        previous = url(number - 1) if number > 1 else None
        following = url(number + 1) if number < count else None
        return v.Pagination(number, count, url(1), previous, following)

    def paged_title(self, title: str, number: int) -> str:
        """A later page's own title ("Archive — page 2"); page 1 keeps the list's."""
        if number == 1:
            return title
        return self.loc("%(title)s — page %(num)d", title=title, num=number)

    def link(self, path: str) -> v.LinkView:
        """A link to an article or topic, depending only on its title and address."""
        if path in self.graph.articles:
            article = self.graph.fields("articles", path, ARTICLE_LINK_FIELDS)
            url = self.ctx.urls.article(article)
            other = self.other_language(article.lang)
            if other is None:
                return v.LinkView(url, article.title)
            return v.LinkView(url, article.title, other, other, self.language_name(other))
        return self.topic_link(self.graph.topic_paths[path])

    def topic_link(self, slug: str) -> v.LinkView:
        """A link to a topic, named as on pages in this page's language
        (``title_translations``), and marked when the topic's page is in another one."""
        topic = self.graph.fields("topics", slug, TOPIC_LINK_FIELDS)
        url = self.ctx.urls.topic(slug)
        title, translated = self.topic_title(topic)
        other = self.other_language(topic.lang)
        if other is None:
            return v.LinkView(url, title)
        return v.LinkView(
            url, title, other, None if translated else other, self.language_name(other)
        )

    def topic_title(self, topic: Topic) -> tuple[str, bool]:
        """The topic's name in this page's language, and whether it is a translation."""
        wanted = self.lang.casefold()
        for exact in (True, False):
            for lang, title in topic.title_translations:
                tag = lang.casefold()
                if tag == wanted if exact else primary_language(tag) == primary_language(wanted):
                    return title, True
        return topic.title, False

    def other_language(self, lang: str | None) -> str | None:
        """``lang`` (a document's, None: the site's) when readers of this page would not
        read it as their own: another language, not another region (en-GB on en)."""
        lang = lang or self.ctx.config.language
        return lang if primary_language(lang) != primary_language(self.lang) else None

    def language_name(self, lang: str) -> str:
        """``lang``'s own name ("Bahasa Indonesia"), from its catalogue or Babel."""
        return self.localizer_for(lang).own_name()

    def localizer_for(self, lang: str) -> Localizer:
        """The UI strings of ``lang`` (a page in it exists, so its catalogue was read)."""
        return self.ctx.localizers.get(lang) or Localizer(lang, babel_locale(lang))

    def tag_link(self, key: str) -> v.LinkView:
        return v.LinkView(self.ctx.urls.tag(key), self.graph.tags[key].name)

    def bylines(self, path: str, *, absolute: bool = False) -> tuple[v.Byline, ...]:
        """The names of an article's ``authors``, each linked to its author's page where
        an author file answers to it (named as that file names the person), else as
        written; ``absolute``: with absolute URLs (feeds, structured data)."""
        article = self.graph.fields("articles", path, ("authors",))
        found = self.graph.article_authors[path]
        bylines = []
        for name, author_path in zip(article.authors, found, strict=True):
            if author_path is None:
                bylines.append(v.Byline(name))
                continue
            author = self.graph.fields("authors", author_path, BYLINE_FIELDS)
            url = self.ctx.urls.author(author.slug)
            other = self.other_language(author.lang)
            bylines.append(
                v.Byline(
                    author.title,
                    self.ctx.urls.absolute(url) if absolute else url,
                    other,
                    self.language_name(other) if other else None,
                )
            )
        return tuple(bylines)

    def when(self, moment: datetime, has_time: bool) -> v.DateView:
        """A date as readers of this site see it: in the site's timezone, localised.

        Memoised per build: an article's date appears on many pages, and Babel's
        formatting is one of the costliest steps of rendering a large archive."""
        key = (self.lang, moment, has_time)
        found = self.dates.get(key)
        if found is None:
            found = self.loc.date(moment.astimezone(self.ctx.config.zone), has_time)
            self.dates[key] = found
        return found

    def stories(self, paths: Iterable[str], lang: str | None = None) -> tuple[Story, ...]:
        """``paths`` with each story once, in the version for this page's language (or
        ``lang``'s, for a list on another page: the sitemap's); see ``graph.stories``."""
        return one_per_story(paths, self.translations(), self.lang_of, lang or self.lang)

    def translations(self) -> Mapping[str, tuple[str, ...]]:
        """Every translated article's other versions, read whole once per page: the
        page depends on which articles have versions (few do), not on a lookup for each
        article of a list of thousands."""
        if self._translations is None:
            found = self.graph.translations
            self._translations = {path: found[path] for path in found}
        return self._translations

    def lang_of(self, path: str) -> str:
        """An article's language (the site's where it names none)."""
        return self.graph.fields("articles", path, ("lang",)).lang or self.ctx.config.language

    def story_cards(
        self, stories: Iterable[Story], *, with_time: bool = False, besides: str | None = None
    ) -> tuple[v.ArticleCard, ...]:
        """Cards of stories (``card``), each linking the story's other versions."""
        return tuple(
            self.card(s.shown, with_time=with_time, others=s.others, besides=besides)
            for s in stories
        )

    def card(
        self,
        path: str,
        *,
        with_time: bool = False,
        others: tuple[str, ...] = (),
        compact: bool = False,
        besides: str | None = None,
    ) -> v.ArticleCard:
        """An article in a list; ``with_time``: its time too, where it has one;
        ``others``: the story's versions in other languages, linked from the card;
        ``compact``: without summary and topics (and not reading them: a side column's
        suggestion does not go stale when they change); ``besides``: a topic left out of
        its topics (the dossier whose page lists it)."""
        article = self.graph.fields("articles", path, CARD_FIELDS)
        lang = article.lang or self.ctx.config.language
        other = self.other_language(lang)
        return v.ArticleCard(
            url=self.ctx.urls.article(article),
            title=article.title,
            summary="" if compact else self.graph.summary(article),
            date=self.when(article.date, has_time=with_time and article.date_has_time),
            lang=lang if lang != self.lang else None,
            topics=()
            if compact
            else tuple(self.topic_link(s) for s in self.graph.article_topics[path] if s != besides),
            draft=article.draft,
            lang_name=self.language_name(other) if other else None,
            scheduled=article.scheduled,
            thumbnail=self.lead_picture(article),
            genre=article.genre if article.genre != "news" else None,
            versions=tuple(self.version_link(p) for p in others),
        )

    def version_link(self, path: str) -> v.LinkView:
        """A link to another language's version of a story, named by its language."""
        article = self.graph.fields("articles", path, ARTICLE_LINK_FIELDS)
        lang = article.lang or self.ctx.config.language
        name = self.language_name(lang)
        return v.LinkView(self.ctx.urls.article(article), name, lang, lang, name)

    def picture_of(self, doc_path: str, spec: ImageSpec, *, body: bool) -> Picture | None:
        """The picture ``spec`` names from ``doc_path`` (None when the build has none):
        read through the graph, so the page goes stale with it."""
        key, _problem = picture_key(doc_path, spec.src, body=body)
        return self.graph.pictures.get(key) if key is not None else None

    def picture(
        self, doc_path: str, spec: ImageSpec, *, body: bool, absolute: bool = False
    ) -> v.PictureView | None:
        """``spec`` as the page shows it (None when the build has no such picture)."""
        picture = self.picture_of(doc_path, spec, body=body)
        if picture is None:
            return None
        return picture_view(self.ctx.urls, picture, spec, absolute=absolute)

    def lead_picture(self, doc: Document, *, absolute: bool = False) -> v.PictureView | None:
        image = getattr(doc, "image", None)
        if image is None:
            return None
        return self.picture(doc.path, image, body=False, absolute=absolute)

    def body(
        self,
        doc: Document,
        *,
        resolve: Callable[[str], v.LinkView | None] | None = None,
        root_url: str | None = None,
    ) -> Markup:
        """The body's HTML; with ``root_url`` (a feed's), every link and picture absolute
        (``resolve`` then gives absolute wiki links)."""
        parsed = self.graph.parsed[doc.path]

        def picture(index: int) -> str:
            spec = parsed.images[index]
            view = self.picture(doc.path, spec, body=True, absolute=root_url is not None)
            if view is None or self.body_picture is None:
                return str(escape(spec.alt))
            return self.body_picture(view, parsed.figures[index], root_url is not None)

        return render_body(
            self.md,
            parsed,
            resolve=resolve or self.wikilink_resolver(doc),
            base_path=self.ctx.urls.base_path,
            picture=picture,
            root_url=root_url,
        )

    def wikilink_resolver(self, doc: Document) -> Callable[[str], v.LinkView | None]:
        targets = self.graph.wikilinks[doc.path]

        def resolve(target: str) -> v.LinkView | None:
            path = targets.get(normalise_target(target))
            return self.link(path) if path else None

        return resolve

    def citation(self, citation: Citation) -> v.CitationView:
        date = self.loc.partial_date(citation.date) if citation.date else None
        if citation.target is not None:
            link = self.link(citation.target)
            kind = "article" if citation.target in self.graph.articles else "topic"
            title = citation.title or link.title
            return v.CitationView(
                title, link.url, True, citation.source, date, None, kind,
                link.hreflang, link.lang_name,
            )  # fmt: skip
        title = citation.title or ("" if citation.source else readable_url(citation.url))
        return v.CitationView(
            title, citation.url, False, citation.source, date, citation.archive, "external",
            version_date=version_date(citation),
        )  # fmt: skip

    def mentioned_in(self, doc: Document, listed: Collection[str] = ()) -> tuple[v.LinkView, ...]:
        """Pages that link to ``doc``, but for those the page lists already (``listed``)."""
        mentions = self.graph.mentions.get(doc.path, ())
        return tuple(self.link(p) for p in mentions if p not in listed)

    def timeline(
        self, stories: tuple[Story, ...], *, with_time: bool = False
    ) -> tuple[v.YearGroup, ...]:
        """Newest first, grouped by year then month in the site's timezone."""
        others = {s.shown: s.others for s in stories}
        paths = shown_paths(stories)
        zone = self.ctx.config.zone
        articles = [self.graph.fields("articles", p, ("date",)) for p in reversed(paths)]
        local = [(a.date.astimezone(zone), a) for a in articles]
        years = []
        for year, in_year in groupby(local, key=lambda pair: pair[0].year):
            months = []
            for month, in_month in groupby(in_year, key=lambda pair: pair[0].month):
                cards = tuple(
                    self.card(a.path, with_time=with_time, others=others[a.path])
                    for _, a in in_month
                )
                label = self.loc.month_label(year, month)
                months.append(v.MonthGroup(label, f"{year:04d}-{month:02d}", cards))
            years.append(v.YearGroup(str(year), tuple(months)))
        return tuple(years)

    def topic_card(self, slug: str, changed: datetime | None = None) -> v.TopicCard:
        """A dossier in a list; ``changed``: its last change, when the caller has it."""
        topic = self.graph.fields("topics", slug, TOPIC_LINK_FIELDS)
        members = self.graph.topic_articles[slug]
        changed = changed or self.last_change(members)
        latest = self.when(changed, has_time=False) if changed is not None else None
        count = len(self.stories(members, topic.lang or self.ctx.config.language))
        link = self.topic_link(slug)
        if link.hreflang:  # its summary is in its own language: so is the title over it
            link = replace(link, title=topic.title, lang=link.hreflang)
        return v.TopicCard(link, self.graph.summary(topic), count, latest)

    def last_change(self, paths: tuple[str, ...]) -> datetime | None:
        """When the newest of these articles was published, updated or corrected."""
        return max(
            (self.graph.fields("articles", p, CHANGED_FIELDS).modified for p in paths),
            default=None,
        )


def version_date(citation: Citation) -> str | None:
    """The day of a citation's archived copy, for Robust Links (``YYYY-MM-DD``).

    A Wayback-style copy says in its URL when it was taken (``/web/20240619…/``), which is
    the truth; otherwise the citation's own date stands for it, when it names a day (the
    attribute is a date, and ``2024-06`` would claim one the editor did not give).
    """
    if citation.archive is None:
        return None
    taken = capture_date(citation.archive)
    if taken is not None:
        return taken.isoformat()
    cited = citation.date
    return cited.iso if cited is not None and cited.day is not None else None


def readable_url(url: str | None) -> str:
    """What a bare URL reads as: its host and path as a person types them
    (``en.wikipedia.org/wiki/North_Korea–Russia_relations``, not ``%E2%80%93``)."""
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return url
    path = unquote(parts.path).rstrip("/")
    query = f"?{unquote(parts.query)}" if parts.query else ""
    return f"{parts.netloc}{path}{query}"
