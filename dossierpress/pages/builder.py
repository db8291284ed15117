"""Turns the content graph into the view objects templates receive, one page at a time.

A ``ViewBuilder`` serves one page and reads the content graph only through a
``graph.reader.GraphReader``, so the page records exactly what it depends on (what
rebuilds, the preview and the persistent cache need) without a separate, drift-prone
dependency analysis. It gets the reader, never the graph itself.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from itertools import groupby
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markupsafe import Markup

from dossierpress.config import SiteConfig
from dossierpress.content.markdown import normalise_target, render_body, render_inline
from dossierpress.content.model import Article, Document, Topic
from dossierpress.graph.model import TOP_TAGS_LIMIT, Citation, Suggestion
from dossierpress.graph.reader import GraphReader
from dossierpress.graph.resolve import primary_language
from dossierpress.pages import timeline as chart
from dossierpress.pages import views as v
from dossierpress.pages.paging import newest_slice, page_count
from dossierpress.pages.urls import Urls
from dossierpress.theme.i18n import READ_IN, Localizer, babel_locale

LATEST_ON_HOME = 12
LINK_FIELDS = ("slug", "date", "title")
"""What a link to an article shows: its address (slug, date) and title."""
CARD_FIELDS = (*LINK_FIELDS, "date_has_time", "lang", "draft", "scheduled")
"""What an article card shows besides its summary and topics."""
TOPIC_LINK_FIELDS = ("path", "title", "title_translations", "lang")
"""What a link to a topic shows: its title in the page's language, and which that is."""
ARTICLE_LINK_FIELDS = (*LINK_FIELDS, "lang")
CHANGED_FIELDS = ("modified",)
"""When an article last changed: its date, ``updated`` or newest correction."""
CHART_FIELDS = (*LINK_FIELDS, "date_has_time")


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

    def site_view(self) -> v.SiteView:
        return v.SiteView(
            title=self.config.title,
            description=self.config.description,
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


@dataclass
class ViewBuilder:
    """Builds the view of one page in one language and records the documents it read."""

    ctx: RenderContext
    graph: GraphReader
    """The content graph, recording every lookup this page makes (its dependencies)."""
    md: MarkdownIt
    lang: str
    dates: DateMemo = field(default_factory=dict)

    @property
    def loc(self) -> Localizer:
        return self.ctx.localizer(self.lang)

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

    def card(self, path: str, *, with_time: bool = False) -> v.ArticleCard:
        """An article in a list; ``with_time``: its time too, where it has one."""
        article = self.graph.fields("articles", path, CARD_FIELDS)
        lang = article.lang or self.ctx.config.language
        other = self.other_language(lang)
        return v.ArticleCard(
            url=self.ctx.urls.article(article),
            title=article.title,
            summary=self.graph.summary(article),
            date=self.when(article.date, has_time=with_time and article.date_has_time),
            lang=lang if lang != self.lang else None,
            topics=tuple(self.topic_link(s) for s in self.graph.article_topics[path]),
            draft=article.draft,
            lang_name=self.language_name(other) if other else None,
            scheduled=article.scheduled,
        )

    def body(self, doc: Document) -> Markup:
        return render_body(
            self.md,
            self.graph.parsed[doc.path],
            resolve=self.wikilink_resolver(doc),
            base_path=self.ctx.urls.base_path,
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
            title, citation.url, False, citation.source, date, citation.archive, "external"
        )

    def mentioned_in(self, doc: Document, listed: Collection[str] = ()) -> tuple[v.LinkView, ...]:
        """Pages that link to ``doc``, but for those the page lists already (``listed``)."""
        mentions = self.graph.mentions.get(doc.path, ())
        return tuple(self.link(p) for p in mentions if p not in listed)

    def timeline(
        self, paths: tuple[str, ...], *, with_time: bool = False
    ) -> tuple[v.YearGroup, ...]:
        """Newest first, grouped by year then month in the site's timezone."""
        zone = self.ctx.config.zone
        articles = [self.graph.fields("articles", p, ("date",)) for p in reversed(paths)]
        local = [(a.date.astimezone(zone), a) for a in articles]
        years = []
        for year, in_year in groupby(local, key=lambda pair: pair[0].year):
            months = []
            for month, in_month in groupby(in_year, key=lambda pair: pair[0].month):
                cards = tuple(self.card(a.path, with_time=with_time) for _, a in in_month)
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
        return v.TopicCard(self.topic_link(slug), self.graph.summary(topic), len(members), latest)

    def last_change(self, paths: tuple[str, ...]) -> datetime | None:
        """When the newest of these articles was published, updated or corrected."""
        return max(
            (self.graph.fields("articles", p, CHANGED_FIELDS).modified for p in paths),
            default=None,
        )

    # -- pages --------------------------------------------------------------------------

    def article_page(self, article: Article) -> v.ArticlePage:
        graph = self.graph
        path = article.path
        url = self.ctx.urls.article(article)
        summary = graph.summary(article)
        updated = None
        if article.updated is not None:
            updated = self.when(article.updated, article.updated_has_time)
        topics = graph.article_topics[path]
        related = graph.related[path]
        versions = graph.translations.get(path, ())
        # Its versions in other languages are linked as such, not suggested as more.
        suggestions = [s for s in graph.suggestions(path) if s.path not in versions]
        around = self.neighbours(path, topics, versions)
        listed = {
            path,
            *(c.target for c in related if c.target),
            *(s.path for s in suggestions),
            *(p for _, before, after in around for p in (before, after) if p),
            *versions,
        }
        translations = tuple(self.translation(p) for p in versions)
        alternates: tuple[v.Alternate, ...] = ()
        if translations:
            own = v.Alternate(article.lang or self.ctx.config.language, self.ctx.urls.absolute(url))
            others = (v.Alternate(t.lang, self.ctx.urls.absolute(t.url)) for t in translations)
            alternates = tuple(sorted((own, *others), key=lambda a: a.lang.casefold()))
        return v.ArticlePage(
            meta=self.meta("article", article.title, url, summary, alternates=alternates),
            title=article.title,
            summary=summary,
            published=self.when(article.date, article.date_has_time),
            updated=updated,
            authors=article.authors,
            body_html=self.body(article),
            topics=tuple(self.topic_link(s) for s in topics),
            tags=tuple(self.tag_link(k) for k in graph.article_tags[path]),
            sources=tuple(self.citation(c) for c in graph.sources[path]),
            related=tuple(self.citation(c) for c in related),
            more_on_this=tuple(
                v.RankedArticle(self.card(s.path), self.why(s, topics)) for s in suggestions
            ),
            mentioned_in=self.mentioned_in(article, listed),
            neighbours=tuple(
                v.TopicNeighbours(
                    self.topic_link(slug),
                    self.link(before) if before else None,
                    self.link(after) if after else None,
                )
                for slug, before, after in around
            ),
            draft=article.draft,
            translations=translations,
            scheduled=article.scheduled,
        )

    def neighbours(
        self, path: str, topics: tuple[str, ...], versions: tuple[str, ...] = ()
    ) -> tuple[tuple[str, str | None, str | None], ...]:
        """The articles before and after this one in its main topic (the first listed that
        has others, leaving out its own ``versions`` in other languages): one way through,
        not the same headlines once per topic."""
        for slug in topics:
            members = self.graph.topic_articles[slug]
            if versions:
                members = tuple(p for p in members if p not in versions)
            if len(members) > 1:
                i = members.index(path)
                before = members[i - 1] if i > 0 else None
                after = members[i + 1] if i + 1 < len(members) else None
                return ((slug, before, after),)
        return ()

    def why(self, suggestion: Suggestion, topics: tuple[str, ...]) -> str:
        """Why an article is suggested, when that says something: the topics it shares
        besides this article's main one (the first), and shared tags that tell articles of
        the main topic apart (see ``telling``); "" otherwise."""
        main = topics[0] if topics else None
        shared = [self.topic_link(t).title for t in suggestion.topics if t != main]
        tags = [self.graph.tags[k].name for k in suggestion.tags if self.telling(k, main)]
        return self.loc.reasons(shared, tags)

    def telling(self, key: str, slug: str | None) -> bool:
        """Whether a tag tells the articles of a topic apart: it is on at most half of them
        (on all of a dossier's articles, "Kim Jong-un" says nothing about one of them)."""
        if slug is None:
            return True
        members = self.graph.topic_articles[slug]
        masks = self.graph.feature_masks
        tagged = masks.mask(("tag", key), self.graph.tags[key].articles)
        within = tagged & masks.mask(("topic", slug), members)
        return 2 * within.bit_count() <= len(members)

    def translation(self, path: str) -> v.TranslationLink:
        """A link to a version of this article in another language, worded in it."""
        other = self.graph.fields("articles", path, ARTICLE_LINK_FIELDS)
        lang = other.lang or self.ctx.config.language
        text = self.localizer_for(lang)(READ_IN, language=self.language_name(lang))
        return v.TranslationLink(self.ctx.urls.article(other), lang, text, other.title)

    def topic_page(self, topic: Topic, size: int) -> v.TopicPage:
        """A dossier: when it last changed, its newest article, key facts, essential
        reading, the timeline as a chart and its newest part as a list (``size``
        articles; the rest on ``topic_timeline_page``), introduction, related topics."""
        graph = self.graph
        url = self.ctx.urls.topic(topic.slug)
        summary = graph.summary(topic)
        resolve = self.wikilink_resolver(topic)
        base = self.ctx.urls.base_path
        members = graph.topic_articles[topic.slug]
        pages = self.pagination(partial(self.ctx.urls.topic, topic.slug), 1, len(members), size)
        title, _ = self.topic_title(topic)
        lead = members[-1] if members else None
        pinned = tuple(p for p in graph.pinned[topic.slug] if p != lead)
        shown = newest_slice(members, 1, size)
        related = tuple(
            (v.RelatedTopic(self.topic_link(r.slug), r.shared, r.explicit), r.slug)
            for r in graph.related_topics[topic.slug]
        )
        listed = {topic.path, *shown, *pinned}
        listed.update(graph.fields("topics", slug, TOPIC_LINK_FIELDS).path for _, slug in related)
        changed = self.last_change(members)
        return v.TopicPage(
            meta=self.meta("topic", title, url, summary, pages),
            title=title,
            summary=summary,
            intro_html=self.body(topic),
            key_facts=tuple(
                render_inline(self.md, fact.text, resolve=resolve, base_path=base)
                for fact in topic.key_facts
            ),
            pinned=tuple(self.card(p) for p in pinned),
            timeline=self.timeline(shown, with_time=True),
            related_topics=tuple(view for view, _ in related),
            top_tags=self.telling_tags(members),
            mentioned_in=self.mentioned_in(topic, listed),
            article_count=len(members),
            updated=self.when(changed, has_time=False) if changed is not None else None,
            lead=self.card(lead) if lead is not None else None,
            chart=self.chart(topic.slug, members, size),
        )

    def telling_tags(self, members: tuple[str, ...]) -> tuple[v.TagCount, ...]:
        """The tags most used by a dossier's articles, leaving out those on more than half
        of them (they tell none apart), with counts."""
        counts = Counter(key for path in members for key in self.graph.article_tags[path])
        telling = sorted(
            ((k, n) for k, n in counts.items() if 2 * n <= len(members)),
            key=lambda kv: (-kv[1], kv[0]),
        )
        return tuple(v.TagCount(self.tag_link(k), n) for k, n in telling[:TOP_TAGS_LIMIT])

    def chart(self, slug: str, members: tuple[str, ...], size: int) -> v.TimelineChart | None:
        """The dossier's articles on a time axis (``timeline.layout``); their titles and
        addresses are read only when there are few enough to be drawn one by one."""
        zone = self.ctx.config.zone
        one_by_one = len(members) <= chart.MAX_ARTICLE_POINTS
        attributes = CHART_FIELDS if one_by_one else ("date",)
        entries = []
        for i, path in enumerate(members):
            article = self.graph.fields("articles", path, attributes)
            entries.append(
                chart.Entry(
                    when=article.date.astimezone(zone).replace(tzinfo=None),
                    has_time=one_by_one and article.date_has_time,
                    url=self.ctx.urls.article(article) if one_by_one else "",
                    title=article.title if one_by_one else "",
                    page=(len(members) - 1 - i) // size + 1,
                )
            )
        return chart.layout(entries, self.loc, partial(self.ctx.urls.topic, slug))

    def topic_timeline_page(self, slug: str, number: int, size: int) -> v.TopicPage:
        """Page ``number`` (2 or more) of a dossier's timeline: its title, a way back to the
        dossier and older articles. It reads nothing else of the topic, so editing the
        introduction leaves it alone."""
        topic = self.graph.fields("topics", slug, TOPIC_LINK_FIELDS)
        members = self.graph.topic_articles[slug]
        url = partial(self.ctx.urls.topic, slug)
        name, _ = self.topic_title(topic)
        title = self.paged_title(name, number)
        return v.TopicPage(
            meta=self.meta(
                "topic", title, url(number), title, self.pagination(url, number, len(members), size)
            ),
            title=name,
            summary="",
            intro_html=Markup(""),
            key_facts=(),
            pinned=(),
            timeline=self.timeline(newest_slice(members, number, size), with_time=True),
            related_topics=(),
            top_tags=(),
            mentioned_in=(),
            article_count=len(members),
        )

    def tag_page(self, key: str, number: int, size: int) -> v.TagPage:
        """Page ``number`` of a tag: ``size`` of its articles, newest first; the first page
        also shows the topics the tag's articles are in."""
        graph = self.graph
        tag = graph.tags[key]
        counts: dict[str, int] = {}
        for path in tag.articles if number == 1 else ():
            for slug in graph.article_topics[path]:
                counts[slug] = counts.get(slug, 0) + 1
        topics = sorted(
            counts.items(),
            key=lambda kv: (-kv[1], graph.fields("topics", kv[0], TOPIC_LINK_FIELDS).title),
        )
        title = self.paged_title(self.loc("Tag: %(name)s", name=tag.name), number)
        url = partial(self.ctx.urls.tag, key)
        pages = self.pagination(url, number, len(tag.articles), size)
        shown = newest_slice(tag.articles, number, size)
        return v.TagPage(
            meta=self.meta("tag", title, url(number), title, pages),
            name=tag.name,
            articles=tuple(self.card(p) for p in reversed(shown)),
            topics=tuple(v.TagCount(self.topic_link(s), n) for s, n in topics),
            article_count=len(tag.articles),
        )

    def topic_index_page(self) -> v.TopicIndexPage:
        title = self.loc.gettext("Topics")
        return v.TopicIndexPage(
            meta=self.meta("topics", title, self.ctx.urls.topics_index(), title),
            topics=tuple(self.topic_card(s) for s in self.graph.topics),
        )

    def tag_index_page(self) -> v.TagIndexPage:
        title = self.loc.gettext("Tags")
        tags = self.graph.tags
        return v.TagIndexPage(
            meta=self.meta("tags", title, self.ctx.urls.tags_index(), title),
            tags=tuple(v.TagCount(self.tag_link(k), len(t.articles)) for k, t in tags.items()),
        )

    def home_page(self) -> v.HomePage:
        """The newest article as the lead, the next ones, and the dossiers: those with a
        ``weight`` first (lowest first), then the most recently changed."""
        config = self.ctx.config
        newest = tuple(reversed(self.graph.articles))[:LATEST_ON_HOME]
        changes = {s: self.last_change(self.graph.topic_articles[s]) for s in self.graph.topics}

        def order(slug: str) -> tuple[object, ...]:
            weight = self.graph.fields("topics", slug, ("weight",)).weight
            changed = changes[slug]
            recency = -changed.timestamp() if changed is not None else math.inf
            return (weight is None, weight or 0, recency)

        return v.HomePage(
            meta=self.meta("home", config.title, self.ctx.urls.home(), config.description),
            latest=tuple(self.card(p) for p in newest[1:]),
            topics=tuple(self.topic_card(s, changes[s]) for s in sorted(changes, key=order)),
            lead=self.card(newest[0]) if newest else None,
        )

    def archive_page(self, number: int, size: int) -> v.ArchivePage:
        """Page ``number`` of the archive: ``size`` articles by year and month, newest first."""
        title = self.paged_title(self.loc.gettext("Archive"), number)
        paths = tuple(self.graph.articles)
        url = self.ctx.urls.archive
        return v.ArchivePage(
            meta=self.meta(
                "archive", title, url(number), title, self.pagination(url, number, len(paths), size)
            ),
            years=self.timeline(newest_slice(paths, number, size)),
            article_count=len(paths),
        )

    def search_page(self) -> v.SearchPage:
        """The search page in this builder's language: its index holds one part per
        language of the pages, its own searched first (and with its own word stems)."""
        title = self.loc.gettext("Search")
        site_lang = self.ctx.config.language
        languages = {
            self.graph.fields("articles", path, ("lang",)).lang or site_lang
            for path in self.graph.articles
        } | {
            self.graph.fields("topics", slug, ("lang",)).lang or site_lang
            for slug in self.graph.topics
        }
        ordered = (self.lang, *sorted(languages - {self.lang}))
        urls = self.ctx.urls
        url = urls.search("" if self.lang == site_lang else self.lang)
        return v.SearchPage(self.meta("search", title, url, title), urls.search_assets(), ordered)

    def not_found_page(self) -> v.NotFoundPage:
        title = self.loc.gettext("Page not found")
        return v.NotFoundPage(self.meta("404", title, self.ctx.urls.not_found(), title))

    def redirect_page(self, alias_url: str, article: Article) -> v.RedirectPage:
        target = self.ctx.urls.article(article)
        meta = self.meta("redirect", article.title, alias_url, article.title)
        return v.RedirectPage(
            v.PageMeta(
                meta.kind,
                meta.lang,
                meta.title,
                meta.url,
                self.ctx.urls.absolute(target),
                meta.description,
            ),
            target,
        )


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
