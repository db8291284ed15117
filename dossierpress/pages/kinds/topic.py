"""A dossier's page: its introduction, key facts, essential reading, the timeline as a
chart and a list, related topics; later pages of it carry the older entries.

The timeline holds the dossier's articles and events by the date of what they are about
(``chronology``); everything else on the page (the count, "Latest", the last change, the
feed) keeps to publication."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial
from itertools import groupby
from typing import Any

from markupsafe import Markup

from dossierpress.content.markdown import render_inline
from dossierpress.content.model import Document, Topic
from dossierpress.graph.model import TOP_TAGS_LIMIT, RelatedTopicLink, TimelineEvent
from dossierpress.graph.reader import GraphReader
from dossierpress.graph.stories import Story, shown_paths
from dossierpress.pages import chronology, paging
from dossierpress.pages import timeline as chart_layout
from dossierpress.pages import views as v
from dossierpress.pages.builder import LINK_FIELDS, TOPIC_LINK_FIELDS, ViewBuilder
from dossierpress.pages.formats import SEPARATOR
from dossierpress.pages.metadata import share_picture
from dossierpress.pages.paging import newest_slice
from dossierpress.pages.plan import Described, PageKind, PagePlan, Planner, SearchFilters

CHART_FIELDS = (*LINK_FIELDS, "date_has_time")
"""What the chart shows of an article drawn one by one: its address, title and time."""


def plan(planner: Planner) -> None:
    """One page per ``TIMELINE_PAGE_SIZE`` entries of the timeline: stories (an article
    and its translations count once) and events."""
    graph, size = planner.graph, paging.TIMELINE_PAGE_SIZE
    for topic in graph.topics.values():
        url = partial(planner.urls.topic, topic.slug)
        lang = topic.lang or ""
        stories = planner.story_count(graph.topic_articles[topic.slug], lang)
        total = stories + len(graph.events[topic.slug])
        planner.add_pages(url, total, size, key=topic.path, lang=lang, source=topic.path)


def view(b: ViewBuilder, plan: PagePlan) -> v.TopicPage:
    slug = b.graph.topic_paths[plan.key]
    if plan.page == 1:
        return topic_page(b, b.graph.topics[slug], plan.page_size)
    return topic_timeline_page(b, slug, plan.page, plan.page_size)


def ordered(
    b: ViewBuilder, slug: str, stories: Sequence[Story] | None = None
) -> tuple[chronology.Happening, ...]:
    """The dossier's timeline, oldest first: its stories (each once, in the version for
    the page's language; ``stories`` when the caller has them already) and events by what
    they are about; the list, the chart and the page count all read this."""
    if stories is None:
        stories = b.stories(b.graph.topic_articles[slug])
    shown = shown_paths(stories)
    return chronology.happenings(b.graph, shown, b.graph.events[slug], b.ctx.config.zone)


def topic_page(b: ViewBuilder, topic: Topic, size: int) -> v.TopicPage:
    """A dossier: when it last changed, its newest article, key facts, essential
    reading, the timeline as a chart and its newest part as a list (``size``
    entries; the rest on ``topic_timeline_page``), introduction, related topics."""
    graph = b.graph
    url = b.ctx.urls.topic(topic.slug)
    summary = graph.summary(topic)
    resolve = b.wikilink_resolver(topic)
    base = b.ctx.urls.base_path
    members = graph.topic_articles[topic.slug]
    stories = b.stories(members)
    entries = ordered(b, topic.slug, stories)
    pages = b.pagination(partial(b.ctx.urls.topic, topic.slug), 1, len(entries), size)
    title, _ = b.topic_title(topic)
    lead = newest_news(graph, stories)
    pinned = tuple(s for s in b.stories(graph.pinned[topic.slug]) if s != lead)
    shown = newest_slice(entries, 1, size)
    related = tuple(
        (v.RelatedTopic(b.topic_link(r.slug), shared_stories(b, members, r), r.explicit), r.slug)
        for r in graph.related_topics[topic.slug]
    )
    listed = {topic.path, *(h.path for h in shown if h.path is not None)}
    listed.update(shown_paths(pinned))
    listed.update(graph.fields("topics", slug, TOPIC_LINK_FIELDS).path for _, slug in related)
    changed = b.last_change(members)
    return v.TopicPage(
        meta=b.meta("topic", title, url, summary, pages),
        title=title,
        summary=summary,
        intro_html=b.body(topic),
        key_facts=tuple(
            render_inline(b.md, fact.text, resolve=resolve, base_path=base)
            for fact in topic.key_facts
        ),
        pinned=b.story_cards(pinned, besides=topic.slug),
        timeline=timeline(b, topic, shown),
        related_topics=tuple(view for view, _ in related),
        top_tags=telling_tags(b, shown_paths(stories)),
        mentioned_in=b.mentioned_in(topic, listed),
        article_count=len(stories),
        updated=b.when(changed, has_time=False) if changed is not None else None,
        lead=b.story_cards((lead,), besides=topic.slug)[0] if lead is not None else None,
        chart=chart(b, topic, entries, size),
        image=b.lead_picture(topic),
    )


def timeline(
    b: ViewBuilder, topic: Document, shown: Sequence[chronology.Happening]
) -> tuple[v.YearGroup, ...]:
    """Part of a dossier's timeline as a list: newest first, by year and month of what
    each entry is about. An article shows its card at that date, and its publication
    where that differs ("Published 19 June 2024"); an event, its line and links to the
    articles that report it, which keep their own entries too (each at its own date),
    so no article is left out of the list or shown twice in full."""
    events = b.graph.events[topic.slug]
    resolve = b.wikilink_resolver(topic)
    translations = b.translations()

    def card(path: str) -> v.ArticleCard:
        others = translations.get(path, ())
        return b.card(path, with_time=True, others=others, besides=topic.slug)

    years = []
    newest_first = list(reversed(shown))
    for year, in_year in groupby(newest_first, key=lambda h: h.start.year):
        months = []
        for month, in_month in groupby(
            in_year, key=lambda h: h.start.month if h.precision != "year" else 0
        ):
            entries = tuple(_entry(b, h, events, resolve, card) for h in in_month)
            if month:
                label, iso = b.loc.month_label(year, month), f"{year:04d}-{month:02d}"
            else:
                label, iso = str(year), f"{year:04d}"
            months.append(v.MonthGroup(label, iso, (), entries))
        years.append(v.YearGroup(str(year), tuple(months)))
    return tuple(years)


def _entry(
    b: ViewBuilder,
    h: chronology.Happening,
    events: Sequence[TimelineEvent],
    resolve: Callable[[str], v.LinkView | None],
    card_of: Callable[[str], v.ArticleCard],
) -> v.TimelineEntry:
    """An entry of the list: an event with its links, or an article's card
    (``card_of``) at the date of what it is about."""
    if h.event is not None:
        event = events[h.event]
        text = render_inline(b.md, event.text, resolve=resolve, base_path=b.ctx.urls.base_path)
        reports = tuple(b.link(path) for path in event.articles)
        return v.TimelineEntry(
            b.loc.partial_date(event.date),
            event=v.EventView(text, reports),
            anchor=event_anchor(h.event),
        )
    assert h.path is not None
    card = card_of(h.path)
    article = b.graph.fields("articles", h.path, chronology.ORDER_FIELDS)
    about = article.about
    if about is None:
        return v.TimelineEntry(card.date, article=card)
    day = article.date.astimezone(b.ctx.config.zone).date()
    if (about.year, about.month, about.day) == (day.year, day.month, day.day):
        return v.TimelineEntry(card.date, article=card)
    published = b.when(article.date, has_time=False)
    return v.TimelineEntry(b.loc.partial_date(about), article=card, published=published)


def shared_stories(b: ViewBuilder, members: Sequence[str], related: RelatedTopicLink) -> int:
    """How many stories a dossier shares with a related one (an article and its
    translations once), read only where they share any."""
    if not related.shared:
        return 0
    theirs = set(b.graph.topic_articles[related.slug])
    return len(b.stories(p for p in members if p in theirs))


def event_anchor(index: int) -> str:
    """The id of an event's entry in the list, which its point in the chart links to."""
    return f"event-{index + 1}"


def telling_tags(b: ViewBuilder, members: tuple[str, ...]) -> tuple[v.TagCount, ...]:
    """The tags most used by a dossier's stories (``members``: one version of each),
    leaving out those on more than half of them (they tell none apart), with counts."""
    counts = Counter(key for path in members for key in b.graph.article_tags[path])
    telling = sorted(
        ((k, n) for k, n in counts.items() if 2 * n <= len(members)),
        key=lambda kv: (-kv[1], kv[0]),
    )
    return tuple(v.TagCount(b.tag_link(k), n) for k, n in telling[:TOP_TAGS_LIMIT])


def chart(
    b: ViewBuilder, topic: Topic, entries: Sequence[chronology.Happening], size: int
) -> v.TimelineChart | None:
    """The dossier's timeline on a time axis (``timeline.layout``), in the list's order;
    the articles' titles and addresses are read only when there are few enough to be
    drawn one by one."""
    events = b.graph.events[topic.slug]
    articles = len(entries) - len(events)
    one_by_one = articles <= chart_layout.MAX_ARTICLE_POINTS
    drawn = []
    page_url = partial(b.ctx.urls.topic, topic.slug)
    resolve, base = b.wikilink_resolver(topic), b.ctx.urls.base_path
    for i, h in enumerate(entries):
        page = (len(entries) - 1 - i) // size + 1
        precision = "day" if h.precision == "time" else h.precision
        if h.event is not None:
            text = render_inline(b.md, events[h.event].text, resolve=resolve, base_path=base)
            # the chart is on the dossier's first page: an event listed there is an anchor
            url = ("" if page == 1 else page_url(page)) + "#" + event_anchor(h.event)
            drawn.append(
                chart_layout.Entry(h.start, False, url, text.striptags(), page, precision, True)
            )
            continue
        assert h.path is not None
        if one_by_one:
            article = b.graph.fields("articles", h.path, CHART_FIELDS)
            url, title = b.ctx.urls.article(article), article.title
        else:
            url, title = "", ""
        drawn.append(
            chart_layout.Entry(h.start, h.precision == "time", url, title, page, precision)
        )
    return chart_layout.layout(drawn, b.loc, page_url)


def topic_timeline_page(b: ViewBuilder, slug: str, number: int, size: int) -> v.TopicPage:
    """Page ``number`` (2 or more) of a dossier's timeline: its title, a way back to the
    dossier and older entries. It reads nothing else of the topic, so editing the
    introduction leaves it alone (its events it reads on their own)."""
    topic = b.graph.fields("topics", slug, TOPIC_LINK_FIELDS)
    stories = b.stories(b.graph.topic_articles[slug])
    entries = ordered(b, slug, stories)
    url = partial(b.ctx.urls.topic, slug)
    name, _ = b.topic_title(topic)
    title = b.paged_title(name, number)
    return v.TopicPage(
        meta=b.meta(
            "topic", title, url(number), title, b.pagination(url, number, len(entries), size)
        ),
        title=name,
        summary="",
        intro_html=Markup(""),
        key_facts=(),
        pinned=(),
        timeline=timeline(b, topic, newest_slice(entries, number, size)),
        related_topics=(),
        top_tags=(),
        mentioned_in=(),
        article_count=len(stories),
    )


def feed(b: ViewBuilder, plan: PagePlan) -> v.FeedLink:
    """The dossier's own feed, linked from every page of it."""
    slug = b.graph.topic_paths[plan.key]
    title = b.topic_link(slug).title + SEPARATOR + b.site.title
    return v.FeedLink(b.ctx.urls.topic_feed(slug), "", title, "topic")


def describe(b: ViewBuilder, plan: PagePlan, page: Any, share: v.ShareMeta) -> Described:
    """A topic page as a ``CollectionPage`` of the articles its timeline shows."""
    urls, meta = b.ctx.urls, page.meta
    share, images = share_picture(b, b.graph.topics[b.graph.topic_paths[plan.key]], share)
    entries = ordered(b, b.graph.topic_paths[plan.key])
    shown = [h.path for h in reversed(newest_slice(entries, plan.page, plan.page_size)) if h.path]
    items = [
        {"@type": "ListItem", "position": n, "url": urls.absolute(link.url), "name": link.title}
        for n, link in enumerate((b.link(path) for path in shown), start=1)
    ]
    data = {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": meta.title,
        "description": meta.description,
        "url": meta.canonical,
        "inLanguage": meta.lang,
        "isPartOf": {"@type": "WebSite", "name": b.site.title, "url": urls.absolute(urls.home())},
        "image": images or [share.image],
        "mainEntity": {
            "@type": "ItemList",
            "itemListOrder": "https://schema.org/ItemListOrderDescending",
            "numberOfItems": len(items),
            "itemListElement": items,
        },
    }
    return Described(page, share, data)


def search_filters(b: ViewBuilder, plan: PagePlan) -> SearchFilters:
    """The topic itself, under its own title (see ``metadata.search_filters``)."""
    slug = b.graph.topic_paths[plan.key]
    return ((b.site_loc.gettext("Topic"), b.graph.fields("topics", slug, ("title",)).title),)


KIND = PageKind(
    "topic",
    "topic.html",
    plan,
    view,
    indexed=True,
    in_sitemap=True,
    document_page=True,
    feed=feed,
    describe=describe,
    search_filters=search_filters,
)


def newest_news(graph: GraphReader, stories: Sequence[Story]) -> Story | None:
    """The dossier's "Latest": its newest news, not a background piece or an opinion
    (the newest story when it has no news)."""
    for story in reversed(stories):
        if graph.fields("articles", story.shown, ("genre",)).genre == "news":
            return story
    return stories[-1] if stories else None
