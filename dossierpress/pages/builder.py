"""Turns the content graph into the view objects templates receive, one page at a time.

A ``ViewBuilder`` serves one page and reads the content graph only through a
``graph.reader.GraphReader``, so the page records exactly what it depends on (what
rebuilds, the preview and the persistent cache need) without a separate, drift-prone
dependency analysis. It gets the reader, never the graph itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from itertools import groupby

from markdown_it import MarkdownIt
from markupsafe import Markup

from dossierpress.config import SiteConfig
from dossierpress.content.markdown import normalise_target, render_body, render_inline
from dossierpress.content.model import Article, Document, Topic
from dossierpress.graph.model import Citation, top_tags
from dossierpress.graph.reader import GraphReader
from dossierpress.pages import views as v
from dossierpress.pages.paging import newest_slice, page_count
from dossierpress.pages.urls import Urls
from dossierpress.theme.i18n import Localizer

LATEST_ON_HOME = 12
LINK_FIELDS = ("slug", "date", "title")
"""What a link to an article shows: its address (slug, date) and title."""
CARD_FIELDS = (*LINK_FIELDS, "date_has_time", "lang", "draft")
"""What an article card shows besides its summary and topics."""
TOPIC_LINK_FIELDS = ("path", "title")


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
    ) -> v.PageMeta:
        return v.PageMeta(
            kind=kind,
            lang=self.lang,
            title=title,
            url=url,
            canonical=self.ctx.urls.absolute(url),
            description=description,
            pagination=pagination,
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
            article = self.graph.fields("articles", path, LINK_FIELDS)
            return v.LinkView(self.ctx.urls.article(article), article.title)
        return self.topic_link(self.graph.topic_paths[path])

    def topic_link(self, slug: str) -> v.LinkView:
        topic = self.graph.fields("topics", slug, TOPIC_LINK_FIELDS)
        return v.LinkView(self.ctx.urls.topic(slug), topic.title)

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

    def card(self, path: str) -> v.ArticleCard:
        article = self.graph.fields("articles", path, CARD_FIELDS)
        lang = article.lang or self.ctx.config.language
        return v.ArticleCard(
            url=self.ctx.urls.article(article),
            title=article.title,
            summary=self.graph.summary(article),
            date=self.when(article.date, has_time=False),
            lang=lang if lang != self.lang else None,
            topics=tuple(self.topic_link(s) for s in self.graph.article_topics[path]),
            draft=article.draft,
        )

    def body(self, doc: Document) -> Markup:
        return render_body(
            self.md,
            self.graph.parsed[doc.path],
            resolve=self.wikilink_resolver(doc),
            base_path=self.ctx.urls.base_path,
        )

    def wikilink_resolver(self, doc: Document):
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
            return v.CitationView(title, link.url, True, citation.source, date, None, kind)
        title = citation.title or ""
        return v.CitationView(
            title, citation.url, False, citation.source, date, citation.archive, "external"
        )

    def mentioned_in(self, doc: Document) -> tuple[v.LinkView, ...]:
        return tuple(self.link(p) for p in self.graph.mentions.get(doc.path, ()))

    def timeline(self, paths: tuple[str, ...]) -> tuple[v.YearGroup, ...]:
        """Newest first, grouped by year then month in the site's timezone."""
        zone = self.ctx.config.zone
        articles = [self.graph.fields("articles", p, ("date",)) for p in reversed(paths)]
        local = [(a.date.astimezone(zone), a) for a in articles]
        years = []
        for year, in_year in groupby(local, key=lambda pair: pair[0].year):
            months = []
            for month, in_month in groupby(in_year, key=lambda pair: pair[0].month):
                cards = tuple(self.card(a.path) for _, a in in_month)
                label = self.loc.month_label(year, month)
                months.append(v.MonthGroup(label, f"{year:04d}-{month:02d}", cards))
            years.append(v.YearGroup(str(year), tuple(months)))
        return tuple(years)

    def topic_card(self, slug: str) -> v.TopicCard:
        topic = self.graph.fields("topics", slug, TOPIC_LINK_FIELDS)
        members = self.graph.topic_articles[slug]
        latest = None
        if members:
            newest = self.graph.fields("articles", members[-1], ("date",))
            latest = self.when(newest.date, has_time=False)
        return v.TopicCard(self.topic_link(slug), self.graph.summary(topic), len(members), latest)

    # -- pages --------------------------------------------------------------------------

    def article_page(self, article: Article) -> v.ArticlePage:
        graph = self.graph
        path = article.path
        url = self.ctx.urls.article(article)
        summary = graph.summary(article)
        updated = None
        if article.updated is not None:
            updated = self.when(article.updated, article.updated_has_time)
        return v.ArticlePage(
            meta=self.meta("article", article.title, url, summary),
            title=article.title,
            summary=summary,
            published=self.when(article.date, article.date_has_time),
            updated=updated,
            authors=article.authors,
            body_html=self.body(article),
            topics=tuple(self.topic_link(s) for s in graph.article_topics[path]),
            tags=tuple(self.tag_link(k) for k in graph.article_tags[path]),
            sources=tuple(self.citation(c) for c in graph.sources[path]),
            related=tuple(self.citation(c) for c in graph.related[path]),
            more_on_this=tuple(
                v.RankedArticle(
                    self.card(s.path),
                    self.loc.reasons(
                        [graph.fields("topics", t, TOPIC_LINK_FIELDS).title for t in s.topics],
                        [graph.tags[k].name for k in s.tags],
                    ),
                )
                for s in graph.suggestions(path)
            ),
            mentioned_in=self.mentioned_in(article),
            neighbours=tuple(self.neighbours(path, slug) for slug in graph.article_topics[path]),
            draft=article.draft,
        )

    def neighbours(self, path: str, slug: str) -> v.TopicNeighbours:
        members = self.graph.topic_articles[slug]
        i = members.index(path)
        previous = self.link(members[i - 1]) if i > 0 else None
        following = self.link(members[i + 1]) if i + 1 < len(members) else None
        return v.TopicNeighbours(self.topic_link(slug), previous, following)

    def topic_page(self, topic: Topic, size: int) -> v.TopicPage:
        """A dossier: introduction, key facts, essential reading, the newest part of the
        timeline (``size`` articles; the rest on ``topic_timeline_page``), related topics."""
        graph = self.graph
        url = self.ctx.urls.topic(topic.slug)
        summary = graph.summary(topic)
        resolve = self.wikilink_resolver(topic)
        base = self.ctx.urls.base_path
        members = graph.topic_articles[topic.slug]
        pages = self.pagination(partial(self.ctx.urls.topic, topic.slug), 1, len(members), size)
        return v.TopicPage(
            meta=self.meta("topic", topic.title, url, summary, pages),
            title=topic.title,
            summary=summary,
            intro_html=self.body(topic),
            key_facts=tuple(
                render_inline(self.md, fact.text, resolve=resolve, base_path=base)
                for fact in topic.key_facts
            ),
            pinned=tuple(self.card(p) for p in graph.pinned[topic.slug]),
            timeline=self.timeline(newest_slice(members, 1, size)),
            related_topics=tuple(
                v.RelatedTopic(self.topic_link(r.slug), r.shared, r.explicit)
                for r in graph.related_topics[topic.slug]
            ),
            top_tags=tuple(v.TagCount(self.tag_link(k), n) for k, n in top_tags(graph, topic.slug)),
            mentioned_in=self.mentioned_in(topic),
            article_count=len(members),
        )

    def topic_timeline_page(self, slug: str, number: int, size: int) -> v.TopicPage:
        """Page ``number`` (2 or more) of a dossier's timeline: its title, a way back to the
        dossier and older articles. It reads nothing else of the topic, so editing the
        introduction leaves it alone."""
        topic = self.graph.fields("topics", slug, TOPIC_LINK_FIELDS)
        members = self.graph.topic_articles[slug]
        url = partial(self.ctx.urls.topic, slug)
        title = self.paged_title(topic.title, number)
        return v.TopicPage(
            meta=self.meta(
                "topic", title, url(number), title, self.pagination(url, number, len(members), size)
            ),
            title=topic.title,
            summary="",
            intro_html=Markup(""),
            key_facts=(),
            pinned=(),
            timeline=self.timeline(newest_slice(members, number, size)),
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
        config = self.ctx.config
        latest = tuple(reversed(self.graph.articles))[:LATEST_ON_HOME]
        return v.HomePage(
            meta=self.meta("home", config.title, self.ctx.urls.home(), config.description),
            latest=tuple(self.card(p) for p in latest),
            topics=tuple(self.topic_card(s) for s in self.graph.topics),
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
