"""Warnings: what builds fine but leaves a reader, a feed reader or a dossier short.

A build reports only what it must: errors, and the level-1 headings it shows one level
down (``heading_warnings``), which change what a reader sees. ``dossier check`` runs the
same build with ``BuildRequest.check`` and adds the rest (``lint``): an article no
dossier lists, a headline not linked yet, a byline naming no author file, an image
without alt text, an address without ``https``, a summary too long for a card… and tells
which articles are scheduled
(``schedule_notes``).

Each rule is a small function of one document and the content graph, reading what the
parse already recorded of each body (``ParsedBody``: images without alt text, ``http://``
links, level-1 headings) rather than the Markdown again. Each warning is located at the
line of the key or entry it concerns (line 1 for a key that is missing) and says what to
do in its hint.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo

from babel.dates import format_date

from dossierpress.content.markdown import ParsedBody
from dossierpress.content.model import Article, Document, LinkSpec, Topic
from dossierpress.content.slugs import article_slug
from dossierpress.errors import INFO, WARNING, ContentError, did_you_mean
from dossierpress.graph.model import ContentGraph
from dossierpress.theme.i18n import utc_offset
from dossierpress.yamlsafe import shorten

SUMMARY_LIMIT = 300
"""Characters of a summary beyond which cards, feeds and link previews cut it."""


@dataclass(frozen=True)
class Site:
    """What rules may look at besides the document: the graph and the site's timezone."""

    graph: ContentGraph
    zone: tzinfo


Rule = Callable[[Document, Site], Iterator[ContentError]]


def warning(doc: Document, line: int, message: str, hint: str) -> ContentError:
    return ContentError(doc.path, line, message, hint=hint, severity=WARNING)


def heading_warnings(parsed: Mapping[str, ParsedBody]) -> list[ContentError]:
    """A ``#`` heading in a body is shown one level down (``md_plugins.heading_levels``);
    tell the editor, who may have meant a section. Every build reports these."""
    return [
        ContentError(
            path,
            line,
            "level-1 heading in the body, shown as a level-2 heading: the headline is "
            "the page's one level-1 heading",
            hint="start sections with ##",
            severity=WARNING,
        )
        for path, body in parsed.items()
        for line in body.level_one_lines
    ]


def lint(graph: ContentGraph, zone: tzinfo) -> list[ContentError]:
    """Every warning of every published document (see the module docstring)."""
    site = Site(graph, zone)
    found: list[ContentError] = []
    for article in graph.articles.values():
        for rule in ARTICLE_RULES:
            found.extend(rule(article, site))
    for topic in graph.topics.values():
        for rule in TOPIC_RULES:
            found.extend(rule(topic, site))
    for author in graph.authors.values():
        for rule in AUTHOR_RULES:
            found.extend(rule(author, site))
    return found


def schedule_notes(
    scheduled: Iterable[Article], zone: tzinfo, *, shown: bool
) -> list[ContentError]:
    """One ``info`` line per article dated after the build's time, at its ``date``;
    ``shown``: the build includes them all the same (``--future``)."""
    hint = (
        "shown because of --future, marked Scheduled"
        if shown
        else "left out until a build runs at that time or later; --future shows it"
    )
    return [
        ContentError(
            article.path,
            article.date_line,
            f"scheduled for {moment_text(article.date.astimezone(zone))}",
            hint=hint,
            severity=INFO,
        )
        for article in scheduled
    ]


def moment_text(moment: datetime) -> str:
    """ "19 June 2024 12:00 UTC+7", in English whatever the machine's locale (the
    language of every message), with the offset the pages show."""
    day = format_date(moment.date(), "d MMMM y", locale="en")
    return f"{day} {moment:%H:%M} {utc_offset(moment)}"


# -- the rules ---------------------------------------------------------------------------


def article_in_no_topic(doc: Document, site: Site) -> Iterator[ContentError]:
    """An article no dossier lists is found only through the archive and search. (An
    article naming only unknown topics already fails the build.)"""
    assert isinstance(doc, Article)
    if not doc.topics and not site.graph.article_topics.get(doc.path):
        yield warning(
            doc,
            1,
            "article is in no topic: no dossier lists it",
            "add 'topics: [slug]' naming the dossier it belongs to",
        )


def topic_without_articles(doc: Document, site: Site) -> Iterator[ContentError]:
    assert isinstance(doc, Topic)
    if not site.graph.topic_articles.get(doc.slug):
        yield warning(
            doc,
            1,
            "topic has no published articles: its page is an empty dossier",
            f"name it in an article's 'topics' ({doc.slug}), or remove the file",
        )


def unknown_author(doc: Document, site: Site) -> Iterator[ContentError]:
    """A name in ``authors`` that no author file answers to stays text on the page, with
    no page of the author's articles: a misspelling, or a file still to write."""
    assert isinstance(doc, Article)
    found = site.graph.article_authors.get(doc.path, ())
    names = [author.title for author in site.graph.authors.values()]
    for name, line, path in zip(doc.authors, doc.author_lines, found, strict=False):
        if path is None:
            hint = did_you_mean(name, names) or f'start one with: dossier new author "{name}"'
            file = f"content/authors/{article_slug(name) or '…'}.md"
            yield warning(doc, line, f"unknown author '{shorten(name)}' (no {file})", hint)


def related_not_linked(doc: Document, site: Site) -> Iterator[ContentError]:
    """A ``related`` entry with a title alone is a headline shown without a link."""
    assert isinstance(doc, Article)
    for spec in doc.related:
        if spec.url is None and spec.ref is None:
            yield warning(
                doc,
                spec.line,
                f"related headline '{shorten(spec.title or '')}' is not linked",
                "once it is online, give its 'url', or 'ref' for a page of this site",
            )


def source_without_title(doc: Document, site: Site) -> Iterator[ContentError]:
    """A source named by its outlet alone tells a reader what was read, not where."""
    assert isinstance(doc, Article)
    for spec in doc.sources:
        if spec.url is None and spec.title is None and spec.ref is None:
            yield warning(
                doc,
                spec.line,
                "source has neither 'url' nor 'title': readers cannot find what was cited",
                "add the cited piece's 'title', and its 'url' if it is online",
            )


def long_summary(doc: Document, site: Site) -> Iterator[ContentError]:
    if doc.summary is not None and len(doc.summary) > SUMMARY_LIMIT:
        yield warning(
            doc,
            doc.summary_line or 1,
            f"summary is {len(doc.summary)} characters, over {SUMMARY_LIMIT}: "
            "cards, feeds and link previews cut it",
            "keep it to one or two sentences; the body says the rest",
        )


def image_without_alt(doc: Document, site: Site) -> Iterator[ContentError]:
    for line in site.graph.parsed[doc.path].images_without_alt:
        yield warning(
            doc,
            line,
            "image without alt text: readers who cannot see it are told nothing",
            "describe it between the brackets, e.g. ![Map of the route](map.png)",
        )


HTTPS_HINT = "use https:// if the site offers it"


def plain_http_in_body(doc: Document, site: Site) -> Iterator[ContentError]:
    for line, url in site.graph.parsed[doc.path].plain_http:
        yield warning(doc, line, f"link to '{shorten(url)}' is not encrypted", HTTPS_HINT)


def plain_http_in_links(doc: Document, site: Site) -> Iterator[ContentError]:
    """``http://`` in ``related`` and ``sources`` entries, their ``url`` or ``archive``."""
    assert isinstance(doc, Article)
    for key, specs in (("related", doc.related), ("sources", doc.sources)):
        for spec in specs:
            for url in _web_addresses(spec):
                message = f"'{key}' entry '{shorten(url)}' is not encrypted"
                yield warning(doc, spec.line, message, HTTPS_HINT)


def _web_addresses(spec: LinkSpec) -> Iterator[str]:
    for url in (spec.url, spec.archive):
        if url is not None and url[:7].lower() == "http://":
            yield url


def updated_before_correction(doc: Document, site: Site) -> Iterator[ContentError]:
    """``updated`` older than a correction: the page shows an update time that is not the
    last change (feeds and sitemaps already take the correction's). Compared by day
    when either has no time, as the build compares ``updated`` with ``date``."""
    assert isinstance(doc, Article)
    if doc.updated is None:
        return
    later = [c for c in doc.corrections if _after(c.date, c.date_has_time, doc, site.zone)]
    if later:
        newest = later[-1]  # the log is oldest first
        when = newest.date if newest.date_has_time else newest.date.date()
        yield warning(
            doc,
            newest.date_line,
            f"'updated' is older than this correction ({when.isoformat()})",
            "set 'updated' to the newest correction's time, or leave 'updated' out",
        )


def about_after_publication(doc: Document, site: Site) -> Iterator[ContentError]:
    """``about`` later than the article's publication: a report cannot tell what had not
    happened yet, so this is most often a slip (2042 for 2024). A warning, not an error:
    a preview ("what to expect at next week's summit") may be about what is to come, and
    the timeline still places it where the editor said."""
    assert isinstance(doc, Article)
    if doc.about is None:
        return
    published = doc.date.astimezone(site.zone).date()
    about = doc.about
    if (about.year, about.month or 1, about.day or 1) > (
        published.year,
        published.month,
        published.day,
    ):
        yield warning(
            doc,
            doc.about_line,
            f"'about' ({about.iso}) is after the article's publication ({published.isoformat()})",
            "'about' is when what it reports happened; a preview of what is to come may "
            "leave it so",
        )


def _after(moment: datetime, has_time: bool, article: Article, zone: tzinfo) -> bool:
    updated = article.updated
    assert updated is not None
    if has_time and article.updated_has_time:
        return moment > updated
    return moment.astimezone(zone).date() > updated.astimezone(zone).date()


ARTICLE_RULES: tuple[Rule, ...] = (
    article_in_no_topic,
    unknown_author,
    related_not_linked,
    source_without_title,
    long_summary,
    image_without_alt,
    plain_http_in_body,
    plain_http_in_links,
    updated_before_correction,
    about_after_publication,
)
TOPIC_RULES: tuple[Rule, ...] = (
    topic_without_articles,
    long_summary,
    image_without_alt,
    plain_http_in_body,
)
AUTHOR_RULES: tuple[Rule, ...] = (image_without_alt, plain_http_in_body)
