"""``dossier new article|topic|author "Title"``: start an article, a topic or an author
file with complete front matter, where the build looks for it.

The file is a draft with every key an editor fills in, so nothing has to be looked up:
the date is now in the site's timezone (or ``--date``), topics are checked as the build
checks them (an unknown one gets a "did you mean"), and empty ``sources`` and ``related``
lists carry a commented example. An existing file is never replaced.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dossierpress.commands import Command, add_common, require_content
from dossierpress.config import normalise_language
from dossierpress.console import get_logger
from dossierpress.content.fields import DateProblem, parse_date
from dossierpress.content.names import clean_line
from dossierpress.content.slugs import article_slug
from dossierpress.content.writer import Entry, document, write_new
from dossierpress.editing.catalog import Catalog, read_catalog
from dossierpress.output import describe

log = get_logger("new")

SOURCES_EXAMPLE = """sources:
  - {source: "Example News", title: "Headline of the report", date: 2024-06-19,
     url: "https://example.org/report"}"""
RELATED_EXAMPLE = """related:
  - {ref: another-article-slug, title: "An article or topic of this site"}
  - {title: "A report elsewhere", url: "https://example.org/a", source: "Example News",
     date: 2024-06, archive: "https://web.archive.org/web/2024/https://example.org/a"}
  - {title: "A headline not linked yet"}"""
CORRECTIONS_EXAMPLE = """corrections:
  - {date: 2024-06-20, text: "An earlier version said …"}"""
EVENTS_EXAMPLE = """events:
  - {date: 2023-09, text: "What happened, in one line", refs: [an-article-slug]}"""
KEY_FACTS_EXAMPLE = """key_facts:
  - "**24 years** between the two visits\""""
LINKS_EXAMPLE = """links:
  - https://example.org/staff/jane-doe
  - {title: "Jane Doe on Example Social", url: "https://social.example/@jane"}"""

DESCRIPTION = """\
Write a new article, topic or author file with complete front matter and print its path.

examples:
  python build.py new article "Putin arrives in Pyongyang" \\
      --topic "Russia–North Korea relations" --tag "Vladimir Putin"
  python build.py new article "Putin tiba di Pyongyang" --lang id --date 2024-06-19
  python build.py new topic "Russia–North Korea relations"
  python build.py new author "Jane Doe"
"""


class Refused(Exception):
    """The file was not written; the message says why, in one line."""


@dataclass(frozen=True)
class NewFile:
    rel: str
    """``content/...``, where it goes."""
    text: str


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = DESCRIPTION
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    add_common(parser)
    parser.add_argument("kind", choices=("article", "topic", "author"), help="what to start")
    parser.add_argument("title", help="the headline, the topic's name or the author's name")
    parser.add_argument(
        "--topic", action="append", default=[], metavar="T", help="a topic (slug, title or alias)"
    )
    parser.add_argument("--tag", action="append", default=[], metavar="X", help="a tag")
    parser.add_argument("--lang", help="the language, when not the site's (e.g. id)")
    parser.add_argument(
        "--date", help="publication date or time (default: now, in the site's timezone)"
    )


def run(args: argparse.Namespace) -> int:
    source: Path = args.source
    require_content(source)
    catalog, problems = read_catalog(source)
    if catalog is None:
        for problem in problems:
            (log.warning if problem.is_warning else log.error)(str(problem))
        return 1
    try:
        made = MAKERS[args.kind](catalog, args)
        write_new(source / made.rel, made.text)
    except Refused as exc:
        log.error(f"error: {exc}")
        return 1
    except FileExistsError:
        log.error(f"error: {made.rel} exists already; choose another title, or edit that file")
        return 1
    except OSError as exc:
        log.error(f"error: cannot write {made.rel}: {exc.strerror or exc}")
        return 1
    print(describe(source / made.rel))
    return 0


def new_article(catalog: Catalog, args: argparse.Namespace) -> NewFile:
    zone = catalog.config.zone
    when, has_time = publication_time(args.date, zone)
    title = clean_line(args.title)
    slug = file_slug(title)
    topics = [topic_slug(catalog, name) for name in args.topic]
    rel = f"content/articles/{when:%Y}/{when:%m}/{slug}.md"
    month = f"{when:%Y/%m}"
    for other in catalog.articles:
        if other.path == rel:
            raise Refused(f"{rel} exists already; choose another title, or edit that file")
        if other.slug == slug and f"{other.date.astimezone(zone):%Y/%m}" == month:
            raise Refused(
                f"{other.path} has the same address (/{month}/{slug}/); choose another title"
            )
    entries = [
        Entry("title", title),
        Entry("date", when if has_time else when.date()),
        Entry("summary", "", note="One or two sentences, shown under the headline and in lists."),
        *language_entries(catalog, args.lang),
        Entry(
            "genre",
            "news",
            note="The kind of work: news, analysis, opinion, explainer or background.",
            commented=True,
        ),
        Entry(
            "about",
            when.date(),
            note="When what it reports happened (2023-09), where not on its date.",
            commented=True,
        ),
        Entry("authors", [], note="Names or slugs of content/authors/ files.", commented=True),
        Entry("topics", topics),
        Entry("tags", [tag for tag in map(clean_line, args.tag) if tag]),
        Entry("sources", [], example=SOURCES_EXAMPLE),
        Entry("related", [], example=RELATED_EXAMPLE),
        Entry("corrections", [], example=CORRECTIONS_EXAMPLE),
        Entry(
            "draft", True, note="Left out of the site until this is false (the preview shows it)."
        ),
    ]
    return NewFile(rel, document(entries))


def new_topic(catalog: Catalog, args: argparse.Namespace) -> NewFile:
    if args.topic or args.tag or args.date:
        raise Refused("--topic, --tag and --date are for articles")
    title = clean_line(args.title)
    slug = file_slug(title)
    existing = catalog.topic(title) or catalog.topic(slug)
    if existing is not None:
        raise Refused(f"{existing.path} is this topic already ('{existing.title}')")
    entries = [
        Entry("title", title),
        Entry("summary", "", note="One sentence: what the dossier follows."),
        *language_entries(catalog, args.lang),
        Entry("aliases", [], note="Other names, usable in wiki links and in articles' topics."),
        Entry("related_topics", []),
        Entry("key_facts", [], example=KEY_FACTS_EXAMPLE),
        Entry("events", [], note="Dated events for the timeline.", example=EVENTS_EXAMPLE),
        Entry("pinned", [], note="Essential reading: article slugs or titles, in your order."),
    ]
    return NewFile(f"content/topics/{slug}.md", document(entries))


def new_author(catalog: Catalog, args: argparse.Namespace) -> NewFile:
    """``content/authors/<slug>.md``: the name, and the other keys commented out or
    empty, to fill in or delete."""
    if args.topic or args.tag or args.date:
        raise Refused("--topic, --tag and --date are for articles")
    name = clean_line(args.title)
    slug = file_slug(name)
    existing = catalog.author(name)
    if existing is not None:
        raise Refused(f"{existing.path} is this author already ('{existing.title}')")
    entries = [
        Entry("name", name, note="As articles name the person in 'authors'."),
        Entry("role", "", note="What they do for the site, e.g. Correspondent in Seoul."),
        Entry("bio", "", note="One or two sentences, under the name on their page."),
        *language_entries(catalog, args.lang),
        Entry("links", [], example=LINKS_EXAMPLE),
    ]
    return NewFile(f"content/authors/{slug}.md", document(entries))


def publication_time(text: str | None, zone) -> tuple[datetime, bool]:
    """``--date`` read as front matter reads a date, or now in the site's timezone."""
    if text is None:
        return datetime.now(zone).replace(second=0, microsecond=0), True
    try:
        when, has_time = parse_date(text, zone)
    except DateProblem as exc:
        raise Refused(f"--date: {exc.message}" + (f" ({exc.hint})" if exc.hint else "")) from None
    return when.astimezone(zone) if has_time else when, has_time


def file_slug(title: str) -> str:
    if not title:
        raise Refused("the title is empty")
    slug = article_slug(title)
    if not slug:
        raise Refused(f"'{title}' gives no file name: use letters or digits in the title")
    return slug


def topic_slug(catalog: Catalog, name: str) -> str:
    topic = catalog.topic(name)
    if topic is None:
        raise Refused(catalog.unknown_topic(name))
    return topic.slug


def language_entries(catalog: Catalog, lang: str | None) -> list[Entry]:
    if lang is None:
        return []
    tag = normalise_language(lang)
    if tag is None:
        raise Refused(f"unknown language '{lang}' (a BCP 47 code such as en or id)")
    return [] if tag == catalog.config.language else [Entry("lang", tag)]


MAKERS = {"article": new_article, "topic": new_topic, "author": new_author}

COMMAND = Command(
    "new", "start an article, topic or author file with complete front matter", add_arguments, run
)
