"""Reading ``content/``: which files it holds, and each one as an article, topic or asset.

``content/articles/**/*.md`` are articles (any nesting), ``content/topics/<slug>.md`` are
topics, ``content/authors/<slug>.md`` are the people who write them, and every other file
is an asset copied as it is. Editors' temporary and backup
files are skipped, symbolic links are never followed out of ``content/`` (``walk``), and
every problem is collected (not raised) so one build reports them all. These functions
keep no state: the engine decides what to read again (``engine.build``), and
``load_content`` reads everything, for a small site or a test.
"""

from __future__ import annotations

import codecs
import hashlib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from markdown_it import MarkdownIt

from dossierpress.config import SiteConfig, format_size, parse_size
from dossierpress.content.frontmatter import parse_article, parse_author, parse_topic
from dossierpress.content.markdown import ParsedBody, make_markdown, parse_body, parse_inline
from dossierpress.content.model import Article, Asset, Author, Document, Topic
from dossierpress.content.walk import SourceFile, walk_files
from dossierpress.errors import ContentError, ErrorList

CONTENT = "content"


@dataclass(frozen=True)
class LoadResult:
    """Everything read from ``content/``, in path order, and every problem found."""

    articles: tuple[Article, ...] = ()
    topics: tuple[Topic, ...] = ()
    assets: tuple[Asset, ...] = ()
    errors: list[ContentError] = field(default_factory=list)
    inputs: tuple[str, ...] = ()
    """Every source file read or copied (``content/...``), sorted: what the build depends on."""
    parsed: dict[str, ParsedBody] = field(default_factory=dict)
    """The parsed body of every article, topic and author read, by source path."""
    authors: tuple[Author, ...] = ()


def content_files(source: Path) -> tuple[list[tuple[str, str]], list[ContentError]]:
    """Every file under ``<source>/content/`` (``content/...`` path, path), and the walk's
    problems (links out of ``content/``, loops, unreadable folders)."""
    root = source / CONTENT
    if not root.is_dir():
        hint = "run from the folder that holds content/, or pass --source"
        return [], [ContentError(CONTENT, 1, "no content/ folder found", hint=hint)]
    errors = ErrorList()
    files = walk_files(root, CONTENT, errors)
    return files, errors.errors


DOCUMENT_FOLDERS = {"topics": "topic", "authors": "author"}
"""The folders of ``content/`` whose Markdown files are documents named by their file
name (no nesting), and what they hold."""


def kind_of(rel: str) -> str:
    """ "article", "topic", "author", "misplaced topic" or "misplaced author" (nested
    under topics/ or authors/) or "asset"."""
    parts = rel.split("/")[1:]
    if not parts[-1].lower().endswith(".md") or len(parts) < 2:
        return "asset"
    if parts[0] == "articles":
        return "article"
    if parts[0] in DOCUMENT_FOLDERS:
        kind = DOCUMENT_FOLDERS[parts[0]]
        return kind if len(parts) == 2 else f"misplaced {kind}"
    return "asset"


def file_digest(data: bytes) -> str:
    """What identifies a file's content across builds and processes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def read_source(source: Path, rel: str, max_size: int) -> tuple[bytes | None, list[ContentError]]:
    """A content file's bytes (never through a link swapped in since the walk), or the
    problem: unreadable, or over ``max_size``, checked before reading it."""
    errors = ErrorList()
    try:
        data = _read_bytes(SourceFile(source / rel, source / CONTENT), max_size)
    except OSError as exc:
        errors.add(rel, 1, f"cannot read this file: {exc.strerror or exc}")
        return None, errors.errors
    if isinstance(data, int):
        errors.add(rel, 1, _too_big(data, max_size), hint="max_file_size in site.yaml")
        return None, errors.errors
    return data, []


def parse_document(
    kind: str, rel: str, data: bytes, config: SiteConfig, md: MarkdownIt
) -> tuple[Article | Topic | Author | None, ParsedBody | None, list[ContentError]]:
    """One article, topic or author file: the document, its parsed body, and every
    problem."""
    errors = ErrorList()
    if kind.startswith("misplaced "):
        what = kind.removeprefix("misplaced ")
        errors.add(rel, 1, f"{what} files must be directly in content/{what}s/")
        return None, None, errors.errors
    text = _decode(data, rel, errors)
    if text is None:
        return None, None, errors.errors
    document: Article | Topic | Author | None
    if kind == "article":
        document, problems = parse_article(text, rel, config)
    elif kind == "author":
        document, problems = parse_author(text, rel)
    else:
        document, problems = parse_topic(text, rel)
    if document is None:
        return None, None, problems
    return document, parse_document_body(md, document), problems


def parse_document_body(md: MarkdownIt, doc: Document) -> ParsedBody:
    """A document's body parsed once; a topic's key facts and events and an article's
    corrections count as part of its body for wiki links."""
    body = parse_body(md, doc.body, doc.body_line)
    inline: list[tuple[str, int]] = []
    if isinstance(doc, Topic):
        inline = [(fact.text, fact.line) for fact in doc.key_facts]
        inline += [(event.text, event.text_line) for event in doc.events]
    elif isinstance(doc, Article):
        inline = [(c.text, c.text_line) for c in doc.corrections]
    if not inline:
        return body
    uses = tuple(use for text, line in inline for use in parse_inline(md, text, line).wikilinks)
    return replace(body, wikilinks=body.wikilinks + uses)


def load_content(source: Path, config: SiteConfig, *, drafts: bool) -> LoadResult:
    """Read and parse all of ``<source>/content/``; drafts are left out unless ``drafts``."""
    files, walk_problems = content_files(source)
    errors = ErrorList(list(walk_problems))
    md = make_markdown(html=config.markdown_html)
    articles: list[Article] = []
    topics: list[Topic] = []
    authors: list[Author] = []
    assets: list[Asset] = []
    parsed: dict[str, ParsedBody] = {}
    for rel, _path in files:
        kind = kind_of(rel)
        if kind == "asset":
            assets.append(Asset(rel, rel.removeprefix(CONTENT + "/")))
            continue
        data, problems = read_source(source, rel, config.max_file_size)
        errors.extend(problems)
        if data is None:
            continue
        document, body, problems = parse_document(kind, rel, data, config, md)
        errors.extend(problems)
        if isinstance(document, Topic):
            topics.append(document)
        elif isinstance(document, Author):
            authors.append(document)
        elif document is not None and (drafts or not document.draft):
            articles.append(document)
        if document is not None and body is not None:
            parsed[document.path] = body
    inputs = tuple(rel for rel, _ in files)
    problems = sorted(errors.errors)
    return LoadResult(
        tuple(articles), tuple(topics), tuple(assets), problems, inputs, parsed, tuple(authors)
    )


def _decode(data: bytes, rel: str, errors: ErrorList) -> str | None:
    """The file as text: UTF-8, a leading byte order mark tolerated, not empty."""
    data = data.removeprefix(codecs.BOM_UTF8)
    if not data.strip():
        errors.add(rel, 1, "file is empty", hint="start it with front matter between `---` lines")
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        errors.add(rel, line, "not valid UTF-8", hint="save the file with UTF-8 encoding")
        return None


def _read_bytes(file_: SourceFile, max_size: int) -> bytes | int:
    """The file's bytes, or its size when that is over ``max_size``.

    The size is checked before reading, so a 20 MB blob pasted into an article costs
    nothing; reading stops one byte past the limit in case the file grows meanwhile.
    """
    with file_.open() as file:
        size = os.fstat(file.fileno()).st_size
        if size > max_size:
            return size
        data = file.read(max_size + 1)
    return len(data) if len(data) > max_size else data


def _too_big(size: int, max_size: int) -> str:
    """ "file is 21.0 MB, over the 2 MB limit"; in bytes where rounding would hide the excess."""
    shown = format_size(size, decimals=1)
    if (parse_size(shown) or 0) <= max_size:
        shown = f"{size:,} bytes"
    return f"file is {shown}, over the {format_size(max_size)} limit"
