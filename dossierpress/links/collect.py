"""Every external http(s) address a site cites, with the file and line of each use.

Read from what the loader made of ``content/`` (the same front matter a check
validates): articles' ``sources`` and ``related``, lead pictures given as URLs, authors'
``links``, and the links and images of every body (articles, topics' introductions,
authors' biographies) and of the one-line Markdown rendered with it (topics' key facts
and events, articles' corrections), found by walking the Markdown tokens again, since a
parsed body keeps only its HTML. One ``Cited`` per address, however often it is used,
so each is asked once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from dossierpress.content.loader import LoadResult
from dossierpress.content.model import Article, Author, Document, LinkSpec, Topic


@dataclass(frozen=True, order=True)
class Use:
    """Where an address is cited."""

    path: str
    line: int


@dataclass(frozen=True)
class Cited:
    """An address and every use of it, sorted; ``archive`` is an archived copy an editor
    gave for it (the first one, if several)."""

    url: str
    uses: tuple[Use, ...]
    archive: str | None = None


def is_external(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


def collect_links(loaded: LoadResult, md: MarkdownIt) -> list[Cited]:
    """Every external address of ``loaded``, sorted by URL."""
    uses: dict[str, list[Use]] = {}
    archives: dict[str, str] = {}
    documents: list[Document] = [*loaded.articles, *loaded.topics, *loaded.authors]
    for doc in documents:
        for url, line, archive in _front_matter(doc):
            if url is not None and is_external(url):
                uses.setdefault(url, []).append(Use(doc.path, line))
                if archive:
                    archives.setdefault(url, archive)
        for url, line in _markdown_links(md, doc):
            if is_external(url):
                uses.setdefault(url, []).append(Use(doc.path, line))
    return [
        Cited(url, tuple(sorted(set(found))), archives.get(url))
        for url, found in sorted(uses.items())
    ]


def _front_matter(doc: Document) -> Iterator[tuple[str | None, int, str | None]]:
    specs: tuple[LinkSpec, ...] = ()
    if isinstance(doc, Article):
        specs = doc.sources + doc.related
    elif isinstance(doc, Author):
        specs = doc.links
    for spec in specs:
        yield spec.url, spec.line, spec.archive
    if isinstance(doc, Article | Topic | Author) and doc.image is not None:
        yield doc.image.src, doc.image.line, None


def _markdown_links(md: MarkdownIt, doc: Document) -> Iterator[tuple[str, int]]:
    """The body's links, and those of the one-line Markdown fields that render with it:
    a topic's key facts and events, an article's corrections."""
    yield from body_links(md, doc.body, doc.body_line)
    inline: list[tuple[str, int]] = []
    if isinstance(doc, Topic):
        inline = [(fact.text, fact.line) for fact in doc.key_facts]
        inline += [(event.text, event.text_line) for event in doc.events]
    elif isinstance(doc, Article):
        inline = [(c.text, c.text_line) for c in doc.corrections]
    for text, line in inline:
        for token in md.parseInline(text, {}):
            yield from _inline(token.children or (), line)


def body_links(md: MarkdownIt, text: str, first_line: int) -> Iterator[tuple[str, int]]:
    """(URL, file line) of each link and image in a Markdown body, autolinks included."""
    line = first_line
    for token in md.parse(text, {}):
        if token.map is not None:
            line = first_line + token.map[0]
        if token.type == "inline" and token.children:
            yield from _inline(token.children, line)


def _inline(children: Iterable[Token], line: int) -> Iterator[tuple[str, int]]:
    breaks = 0
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            breaks += 1
        elif child.type == "link_open":
            yield str(child.attrGet("href") or ""), line + breaks
        elif child.type == "image":
            yield str(child.attrGet("src") or ""), line + breaks
            yield from _inline(child.children or (), line + breaks)
