"""The configured Markdown parser, and bodies parsed once and rendered per site.

Parsing and rendering are separate on purpose: a body is parsed once (recording its wiki
links with file lines for the content graph, its headings and its first paragraph), and
the picklable tokens are rendered later with render-time data, the wiki-link resolver and
the site's path prefix, which differ between the site and the live preview.

The parser is CommonMark plus tables, strikethrough, footnotes, heading anchors and our
plugins (``dossierpress.md_plugins``). Raw HTML is off unless the site turns it on:
markdown-it-py's "default" preset would pass it through, so the preset is explicit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from markupsafe import Markup
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from dossierpress.content.md_plugins import (
    figures,
    footnote_ids,
    heading_levels,
    link_policy,
    site_paths,
    wikilinks,
)
from dossierpress.content.md_plugins.context import (
    BodyImage,
    PictureMarkup,
    RenderContext,
    Resolver,
    fill_placeholders,
)
from dossierpress.content.md_plugins.figures import caption_and_credit
from dossierpress.content.md_plugins.plain_text import plain_text
from dossierpress.content.model import ImageSpec
from dossierpress.content.names import normalise_target
from dossierpress.content.slugs import slugify

__all__ = [
    "Heading",
    "ParsedBody",
    "PictureMarkup",
    "Resolver",
    "WikiLinkUse",
    "make_markdown",
    "normalise_target",
    "parse_body",
    "parse_inline",
    "render_body",
    "render_inline",
]


@dataclass(frozen=True)
class WikiLinkUse:
    """One ``[[target|label]]`` in a body, for the content graph to resolve and report."""

    target: str
    """As written, whitespace collapsed; look it up with ``normalise_target``."""
    label: str | None
    line: int
    """1-based line in the source file."""


@dataclass(frozen=True)
class Heading:
    """A heading of the body, for a table of contents or section links."""

    level: int
    id: str
    """The anchor (``<h2 id>``), unique within the body."""
    text: str
    line: int


@dataclass(frozen=True)
class ParsedBody:
    """A parsed Markdown body: its HTML with the render-time parts left open, and what the
    content graph needs to know of it. Small, picklable, and filled in by ``render_body``.

    The tokens are gone once the HTML is made: they are most of a parsed body's size,
    and a page only ever needs the HTML with its wiki links and the site's path prefix
    filled in (``md_plugins.context``). Two parsed bodies are equal when they were parsed
    from the same text at the same line (``digest``).
    """

    digest: str
    """Of the Markdown text and its first line: what the HTML was made from."""
    html: str | None = field(compare=False, repr=False)
    """The body's HTML with a placeholder for the site's path prefix and for each link
    (None in a state restored from disk: the cache's body store has it)."""
    links: tuple[tuple[str, str | None], ...] = field(compare=False, repr=False)
    """Target and label of each wiki link, in the order of their placeholders."""
    wikilinks: tuple[WikiLinkUse, ...]
    first_paragraph: str
    """Plain text of the first paragraph (the summary when the front matter has none)."""
    headings: tuple[Heading, ...] = ()
    """At the level they render at (see ``level_one_lines``)."""
    level_one_lines: tuple[int, ...] = ()
    """File lines of the body's level-1 headings, each rendered one level down (the
    headline is the page's one ``<h1>``: ``md_plugins.heading_levels``), to warn about."""
    images_without_alt: tuple[int, ...] = ()
    """File lines of images with no text for readers who cannot see them (``![](x.png)``),
    for ``check`` to warn about (``graph.lint``)."""
    plain_http: tuple[tuple[int, str], ...] = ()
    """(file line, URL) of each link and image to an ``http://`` address, likewise."""
    images: tuple[ImageSpec, ...] = ()
    """Every image, in the order of its placeholder in ``html``."""
    figures: tuple[bool, ...] = ()
    """Whether each of ``images`` stands alone in its paragraph (a figure)."""


def make_markdown(*, html: bool) -> MarkdownIt:
    """The parser for every body; ``html`` is the site's ``markdown: {html: ...}``.

    Holds no per-document state, so one instance serves any number of documents.
    """
    md = MarkdownIt("commonmark", {"html": html, "xhtmlOut": False})
    md.enable(["table", "strikethrough"])
    if not html:
        md.disable(["html_block", "html_inline"])
    md.use(footnote_plugin)
    md.use(anchors_plugin, min_level=1, max_level=6, slug_func=heading_slug)
    md.use(heading_levels.plugin)
    md.use(link_policy.plugin)
    md.use(site_paths.plugin)
    md.use(figures.plugin)
    md.use(footnote_ids.plugin)
    md.use(wikilinks.plugin)
    return md


def heading_slug(title: str) -> str:
    """A heading anchor; a heading with no letters or digits (an emoji) still gets an id."""
    return slugify(title) or "section"


def parse_body(md: MarkdownIt, text: str, body_line: int) -> ParsedBody:
    """Parse a body whose first line is line ``body_line`` (1-based) of its file."""
    return _digest(md, md.parse(text, {}), body_line, body_digest(text, body_line))


def parse_inline(md: MarkdownIt, text: str, line: int) -> ParsedBody:
    """Parse one line of inline Markdown (a key fact) found at file line ``line``."""
    return _digest(md, md.parseInline(text, {}), line, body_digest(text, line, inline=True))


def body_digest(text: str, first_line: int, *, inline: bool = False) -> str:
    """What identifies a parsed body: its text, the line it starts on and how it was parsed."""
    head = f"{'inline' if inline else 'block'}:{first_line}:".encode()
    return hashlib.blake2b(head + text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def render_body(
    md: MarkdownIt,
    parsed: ParsedBody,
    *,
    resolve: Resolver,
    base_path: str,
    picture: PictureMarkup,
    root_url: str | None = None,
) -> Markup:
    """HTML of a parsed body; ``resolve`` maps wiki-link targets, ``base_path`` is ``/x/``,
    ``picture`` gives each image's HTML; with ``root_url`` (``https://host/x/``)
    root-relative links become absolute."""
    if parsed.html is None:
        raise ValueError(f"the HTML of body {parsed.digest} was not brought back from the cache")
    html = fill_placeholders(parsed.html, parsed.links, resolve, base_path, root_url, picture)
    return Markup(html)


def render_inline(
    md: MarkdownIt, text: str, *, resolve: Resolver, base_path: str, root_url: str | None = None
) -> Markup:
    """HTML of one line of inline Markdown, without a ``<p>`` around it. A picture in one
    line of text (a key fact, a correction) reads as its alternative text."""
    parsed = parse_inline(md, text, 1)

    def alt_text(index: int) -> str:
        return escapeHtml(parsed.images[index].alt)

    return render_body(
        md, parsed, resolve=resolve, base_path=base_path, picture=alt_text, root_url=root_url
    )


def _digest(md: MarkdownIt, tokens: list[Token], first_line: int, digest: str) -> ParsedBody:
    walk = _Walk(first_line)
    for index, token in enumerate(tokens):
        walk.visit(token, tokens[index + 1] if index + 1 < len(tokens) else None)
    context = RenderContext.with_placeholders()
    html = md.renderer.render(tokens, md.options, context.as_env())
    images = tuple(
        _image_spec(image, line)
        for image, line in zip(context.images, walk.image_lines, strict=True)
    )
    return ParsedBody(
        digest=digest,
        html=html,
        links=tuple(context.links),
        wikilinks=tuple(walk.wikilinks),
        first_paragraph=walk.first_paragraph(),
        headings=tuple(walk.headings),
        level_one_lines=tuple(walk.level_one_lines),
        images_without_alt=tuple(walk.images_without_alt),
        plain_http=tuple(walk.plain_http),
        images=images,
        figures=tuple(image.figure for image in context.images),
    )


def _image_spec(image: BodyImage, line: int) -> ImageSpec:
    caption, credit = caption_and_credit(image.title)
    return ImageSpec(image.src, line, image.alt, caption, credit)


class _Walk:
    """One pass over a token stream collecting wiki links, headings and paragraphs."""

    def __init__(self, first_line: int) -> None:
        self.first_line = first_line
        self.line = first_line
        self.wikilinks: list[WikiLinkUse] = []
        self.headings: list[Heading] = []
        self.level_one_lines: list[int] = []
        self.images_without_alt: list[int] = []
        self.plain_http: list[tuple[int, str]] = []
        self.image_lines: list[int] = []
        self.paragraphs: list[tuple[int, str]] = []
        self.footnote_lines: dict[int, int] = {}
        self.in_footnotes = False

    def visit(self, token: Token, following: Token | None) -> None:
        if token.map is not None:
            self.line = self.first_line + token.map[0]
        if token.type == "footnote_block_open":
            self.in_footnotes = True
        elif token.type == "footnote_open":
            # Inline footnotes (^[...]) carry no line: use the line of their reference.
            self.line = self.footnote_lines.get(token.meta["id"], self.line)
        elif token.type == "inline" and token.children:
            self._inline(token.content, token.children)
        elif following is not None and following.children is not None:
            self._block(token, following)

    def _block(self, token: Token, inline: Token) -> None:
        if token.type == "heading_open":
            heading_id = str(token.attrGet("id") or "")
            text = plain_text(inline.children or ())
            self.headings.append(Heading(int(token.tag[1:]), heading_id, text, self.line))
            if token.meta.get(heading_levels.WRITTEN_LEVEL) == 1:
                self.level_one_lines.append(self.line)
        elif token.type == "paragraph_open" and not self.in_footnotes:
            self.paragraphs.append((token.level, plain_text(inline.children or ())))

    def _inline(self, source: str, children: Iterable[Token]) -> None:
        breaks, counted, newlines = 0, 0, 0
        for child in children:
            if child.type in ("softbreak", "hardbreak"):
                breaks += 1
            elif child.type == "wikilink":
                position = child.meta["position"]
                newlines += source.count("\n", counted, position)
                counted = position
                use = WikiLinkUse(child.meta["target"], child.meta["label"], self.line + newlines)
                self.wikilinks.append(use)
            elif child.type == "footnote_ref":
                self.footnote_lines.setdefault(child.meta["id"], self.line + breaks)
            elif child.type in ("image", "link_open"):
                self._target(child, self.line + breaks)

    def _target(self, token: Token, line: int) -> None:
        """What ``check`` warns about in a link or image: an image with no alt text, an
        address that is not encrypted."""
        url = str(token.attrGet("href" if token.type == "link_open" else "src") or "")
        if token.type == "image":
            self.image_lines.append(line)
            if not plain_text(token.children or ()):
                self.images_without_alt.append(line)
        if url[:7].lower() == "http://":
            self.plain_http.append((line, url))

    def first_paragraph(self) -> str:
        """The first top-level paragraph, else the first paragraph at all (in a list)."""
        return _first(text for level, text in self.paragraphs if level == 0) or _first(
            text for _, text in self.paragraphs
        )


def _first(texts: Iterable[str]) -> str:
    return next((text for text in texts if text), "")
