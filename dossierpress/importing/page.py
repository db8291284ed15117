"""Reading a saved web page (``.html``): its metadata, its story and its related box.

What a page says about itself is read where publishers state it for machines: the
``NewsArticle`` (or ``Article``) object of its JSON-LD first, then Open Graph and
``<meta>`` tags, then what trafilatura finds (it reads the same tags, and ``<time>``
elements), then ``<title>``. The story's text is trafilatura's: it finds the article
among navigation, cookie banners and footers, and returns one paragraph a line, which
then goes through the same cleaning as pasted text (``plain.clean_body``): the headline
and dek printed again above the story, a repeated paragraph, a pull quote repeating the
end of a paragraph. Links in a "related" box (an element whose class or id says so, or
an ``<aside>`` inside the ``<article>``) become ``related`` entries with their address.
The lead picture is the story object's JSON-LD ``image``, else ``og:image``, else
``twitter:image``, with what the page says of it (alt text, caption, credit, licence); the
importer copies it from the files the browser saved with the page (``picture``).

trafilatura is imported only when a page is read: it takes a quarter of a second, which
every other command would pay.
"""

from __future__ import annotations

import codecs
import html as html_module
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from dossierpress.content.fields import url_problem
from dossierpress.content.names import clean_line
from dossierpress.errors import WARNING, ContentError
from dossierpress.importing.plain import clean_body, words
from dossierpress.importing.report import (
    ImportFailed,
    LeadPicture,
    Line,
    PageMetadata,
    Related,
    Report,
)

ARTICLE_TYPES = frozenset(
    {
        "NewsArticle",
        "Article",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "BackgroundNewsArticle",
        "OpinionNewsArticle",
        "ReviewNewsArticle",
        "BlogPosting",
        "Report",
    }
)
"""schema.org types whose object describes the story (rather than the site or a page)."""
_RELATED_BOX = re.compile(r"related|read-?more|baca-?juga|terkait|more-stories", re.IGNORECASE)
_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE)
PRESCAN = 4096
"""How far into a page its ``<meta charset>`` is looked for (browsers look at 1,024
bytes; saved pages sometimes carry a longer comment first)."""
MIN_HEADLINE_WORDS = 2
"""A link in a related box with fewer words is "More" or "Next", not a headline."""
MAX_DEPTH = 255
"""How deep elements may nest for the story to be found: libxml2's HTML parser, which
trafilatura reads pages with, drops everything inside the 256th level."""
MAX_JSON_LD_DEPTH = 100
"""How deep a JSON-LD block's story object is looked for; real ones nest a few levels."""
_SELDOM_CLOSED = frozenset({"p", "li", "dt", "dd", "option", "tr", "td", "th", "tbody", "thead"})
"""Elements pages often leave open (the parser closes them): not counted as nesting."""
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr"}
)  # fmt: skip


def decode_page(data: bytes, origin: str) -> str:
    """The page's text, in the encoding its byte order mark or ``<meta charset>`` names
    (UTF-8 when it names none). Raises ``ImportFailed`` when it is not in that encoding."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le")):
        if data.startswith(bom):
            return _decode(data[len(bom) :], encoding, origin)
    if data.startswith(codecs.BOM_UTF16_BE):
        return _decode(data[len(codecs.BOM_UTF16_BE) :], "utf-16-be", origin)
    declared = _CHARSET.search(data[:PRESCAN])
    encoding = "utf-8"
    if declared is not None:
        label = declared.group(1).decode("ascii")
        try:
            encoding = codecs.lookup(label).name
        except LookupError:
            message = f"the page declares an unknown encoding '{label}'"
            raise ImportFailed([ContentError(origin, 1, message)]) from None
    return _decode(data, encoding, origin)


def _decode(data: bytes, encoding: str, origin: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        name = "UTF-8" if encoding == "utf-8" else encoding
        hint = "save the page again, as UTF-8" if encoding == "utf-8" else None
        raise ImportFailed([ContentError(origin, line, f"not valid {name}", hint=hint)]) from None


def read_page(html: str, origin: str) -> Report:
    """A saved page, read (see the module docstring). Raises ``ImportFailed`` when it has
    no headline or no story text."""
    scan = _scan(html, origin)
    found = _extract(html)
    meta = _metadata(scan, found)
    headline_text = _headline(scan, found, meta.outlet)
    if not headline_text:
        message = "no headline: the page has no JSON-LD headline, og:title or <title>"
        raise ImportFailed([ContentError(origin, 1, message)])
    headline = Line(headline_text)
    dek_text = _first(
        scan.story("description"),
        scan.meta_value("og:description"),
        scan.meta_value("description"),
        found.get("description"),
    )
    dek = Line(dek_text) if dek_text else None
    lines = [Line(text) for text in map(clean_line, (found.get("text") or "").splitlines()) if text]
    related = [Related(title, _link(href, meta.url)) for title, href in scan.related]
    body = clean_body(lines, headline=headline, dek=dek, related=related)
    if not body.paragraphs:
        raise ImportFailed([_no_story(scan, origin)])
    return Report(
        headline, dek, body.related, body.paragraphs, body.dropped, meta, tuple(scan.warnings)
    )


def _no_story(scan: _PageScan, origin: str) -> ContentError:
    if scan.deepest[0] > MAX_DEPTH:
        line = scan.deepest[1]
        message = (
            f"no story found in the page: its elements nest {scan.deepest[0]} levels deep "
            f"here, and a page is read only {MAX_DEPTH} levels deep"
        )
        hint = "save the story again from the browser's reader view, or paste its text"
        return ContentError(origin, line, message, hint=hint)
    message = "no story found in the page: it has a headline but no article text"
    return ContentError(origin, 1, message)


def _extract(html: str) -> dict[str, Any]:
    """trafilatura's reading of the page: its text (one paragraph a line) and metadata."""
    import trafilatura

    document = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,  # readers' comments are not the story
        include_tables=False,  # a table's cells would come out as a jumble of lines
        include_images=False,
        deduplicate=False,  # repeats are dropped by ``clean_body``, which lists them
    )
    if document is None:
        return {}
    return {
        key: getattr(document, key, None)
        for key in ("title", "description", "text", "date", "author", "sitename", "url")
    }


def _metadata(scan: _PageScan, found: Mapping[str, Any]) -> PageMetadata:
    """Date, authors, outlet and address, each from the most trustworthy place stating it."""
    article = scan.article
    published, published_from = _published(scan, found)
    authors = _names(article.get("author")) or tuple(
        name for value in scan.meta.get("author", []) for name in _split_names(value)
    )
    if not authors and found.get("author"):
        authors = _split_names(str(found["author"]))
    outlet = _first(
        _name_of(article.get("publisher")), scan.meta_value("og:site_name"), found.get("sitename")
    )
    url = _first(
        *(_web_url(u) for u in (_id_of(article.get("mainEntityOfPage")), article.get("url"))),
        _web_url(scan.canonical),
        _web_url(scan.meta_value("og:url")),
        _web_url(found.get("url")),
    )
    return PageMetadata(published, published_from, authors, outlet, url, _lead_picture(scan, url))


def _lead_picture(scan: _PageScan, base: str | None) -> LeadPicture | None:
    """The story's picture, from the most trustworthy place stating it; alt text stated
    in ``<meta>`` for that same picture fills in what the JSON-LD leaves out."""
    stated = _json_ld_picture(scan, base)
    og = _meta_picture(scan, base, ("og:image", "og:image:url", "og:image:secure_url"), "og")
    twitter = _meta_picture(scan, base, ("twitter:image", "twitter:image:src"), "twitter")
    picture = stated or og or twitter
    if picture is None or (picture.alt and not picture.alt_from_caption):
        return picture
    for other in (og, twitter):
        if other is not None and other.alt and _same_file(other.url, picture.url):
            return replace(picture, alt=other.alt, alt_from_caption=False)
    return picture


def _json_ld_picture(scan: _PageScan, base: str | None) -> LeadPicture | None:
    """JSON-LD ``image``: an address, an ``ImageObject`` (or a reference to one elsewhere
    in the page's JSON-LD), or a list of them, the first one with an address taken."""
    value = scan.article.get("image")
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, Mapping) and not ({"url", "contentUrl"} & item.keys()):
            item = scan.nodes.get(str(item.get("@id")), item)
        if not isinstance(item, Mapping):
            url = _picture_url(item, base)
            if url is not None:
                return LeadPicture(url, "its JSON-LD")
            continue
        url = _picture_url(item.get("contentUrl"), base) or _picture_url(item.get("url"), base)
        if url is None:
            continue
        description = _text(item.get("description"))
        caption = _text(item.get("caption"))
        credit = _first(
            _text(item.get("creditText")),
            _text(item.get("copyrightHolder")) or _text(_name_of(item.get("copyrightHolder"))),
            *_names(item.get("author"))[:1],
        )
        licence = _text(item.get("license")) or _text(_id_of(item.get("license")))
        return LeadPicture(
            url,
            "its JSON-LD",
            alt=description or caption,
            alt_from_caption=description is None and caption is not None,
            caption=caption,
            credit=credit,
            licence=licence,
        )
    return None


def _meta_picture(
    scan: _PageScan, base: str | None, names: tuple[str, ...], prefix: str
) -> LeadPicture | None:
    """``og:image`` or ``twitter:image``, with its ``:alt``."""
    for name in names:
        url = _picture_url(scan.meta_value(name), base)
        if url is not None:
            return LeadPicture(url, name, alt=_text(scan.meta_value(f"{prefix}:image:alt")))
    return None


def _picture_url(value: Any, base: str | None) -> str | None:
    """A picture's address, made absolute against the page's; relative when the page's
    address is unknown (it still names the file the browser saved). Never ``data:`` or
    any other scheme than http(s)."""
    if not isinstance(value, str) or not value.strip():
        return None
    joined = urljoin(base or "", value.strip())
    if _web_url(joined):
        return joined
    try:
        parts = urlsplit(joined)
    except ValueError:
        return None
    relative = not parts.scheme and not parts.netloc and parts.path
    return joined if relative and clean_line(joined) == joined else None


def _same_file(a: str, b: str) -> bool:
    """Whether two addresses name the same picture: the same last path segment (a page
    often gives og:image in another size, at another host, than its JSON-LD)."""
    return _last_segment(a) == _last_segment(b) != ""


def _last_segment(url: str) -> str:
    try:
        return urlsplit(url).path.rsplit("/", 1)[-1]
    except ValueError:
        return ""


def _text(value: Any) -> str | None:
    """A JSON-LD or ``<meta>`` text, character references undone and cleaned, if any."""
    return _first(html_module.unescape(value)) if isinstance(value, str) else None


def _published(scan: _PageScan, found: Mapping[str, Any]) -> tuple[date | datetime | None, str]:
    candidates = (
        (scan.article.get("datePublished"), "datePublished in its JSON-LD"),
        (scan.meta_value("article:published_time"), "article:published_time"),
        (found.get("date"), "as trafilatura read it"),
    )
    for value, where in candidates:
        moment = _iso_date(value)
        if moment is not None:
            return moment, where
    return None, ""


def _iso_date(value: Any) -> date | datetime | None:
    """An ISO 8601 date or date-time (``2024-06-20``, ``2024-06-20T08:15:00+01:00``)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None


def _headline(scan: _PageScan, found: Mapping[str, Any], outlet: str | None) -> str | None:
    """The headline as the page states it for machines, else its title without the
    outlet's name."""
    stated = _first(
        scan.story("headline"),
        scan.story("name"),
        scan.meta_value("og:title"),
        scan.meta_value("twitter:title"),
    )
    if stated:
        return stated
    return _without_outlet(_first(found.get("title"), scan.title) or "", outlet) or None


def _without_outlet(title: str, outlet: str | None) -> str:
    """ "Headline | Example Daily" → "Headline": a ``<title>`` often ends with the outlet."""
    if outlet:
        for separator in (" | ", " - ", " – ", " — ", " :: "):
            suffix = separator + outlet
            if title.casefold().endswith(suffix.casefold()):
                return title[: -len(suffix)].strip()
    return title


def _first(*values: Any) -> str | None:
    """The first value that is text with words, cleaned."""
    for value in values:
        if isinstance(value, str) and words(value):
            return clean_line(value)
    return None


def _names(value: Any) -> tuple[str, ...]:
    """Names of JSON-LD ``author``: a string, a Person or Organization, or a list of them."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        name = item if isinstance(item, str) else _name_of(item)
        if name and not _web_url(name):  # some pages give a profile URL as the author
            names.append(clean_line(name))
    return tuple(dict.fromkeys(names))


def _split_names(text: str) -> tuple[str, ...]:
    """ "Ada Lindqvist; Tomas Vell" → two names (trafilatura joins them with ``;``)."""
    return tuple(name for name in map(clean_line, text.split(";")) if name and not _web_url(name))


def _name_of(value: Any) -> str | None:
    if isinstance(value, Mapping) and isinstance(value.get("name"), str):
        return value["name"]
    return None


def _id_of(value: Any) -> str | None:
    if isinstance(value, Mapping):
        value = value.get("@id") or value.get("url")
    return value if isinstance(value, str) else None


def _web_url(value: Any) -> str | None:
    """``value`` when it is an http(s) URL the front matter accepts."""
    if isinstance(value, str) and value.strip() and url_problem(value.strip()) is None:
        return value.strip()
    return None


def _link(href: str | None, base: str | None) -> str | None:
    """A related box's link made absolute against the page's address, when it is a web
    page (a relative link on a page of unknown address leads nowhere)."""
    if not href:
        return None
    return _web_url(urljoin(base or "", href.strip()))


@dataclass
class _PageScan:
    """What the page's markup holds besides the story's text."""

    meta: dict[str, list[str]] = field(default_factory=dict)
    """``<meta>`` contents by property or name, lowercased."""
    canonical: str | None = None
    title: str = ""
    json_ld: list[tuple[int, str]] = field(default_factory=list)
    """(Line, text) of each JSON-LD block."""
    warnings: list[ContentError] = field(default_factory=list)
    deepest: tuple[int, int] = (0, 1)
    """How deep elements nest at the deepest point, and its line."""
    related: list[tuple[str, str | None]] = field(default_factory=list)
    """(Headline, href) of each link in a related box."""
    article: dict[str, Any] = field(default_factory=dict)
    """The JSON-LD object describing the story, if any."""
    nodes: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    """The page's JSON-LD objects by ``@id``: what a reference (``{"@id": …}``) points at."""

    def story(self, key: str) -> str | None:
        """A text of the story's JSON-LD object, character references undone: publishers
        often escape JSON-LD as if it were HTML ("Kim &amp; Putin")."""
        value = self.article.get(key)
        return html_module.unescape(value) if isinstance(value, str) else None

    def meta_value(self, name: str) -> str | None:
        values = self.meta.get(name.lower())
        return values[0] if values else None


def _scan(html: str, origin: str) -> _PageScan:
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    scan = scanner.scan
    scan.article = _story_object(scan, origin)
    return scan


def _story_object(scan: _PageScan, origin: str) -> dict[str, Any]:
    """The first JSON-LD object of an article type, looking inside ``@graph`` lists; every
    object with an ``@id`` is noted on the way (``_PageScan.nodes``). A block that is not
    JSON is skipped silently (pages carry broken ones); one nested too deeply to read is
    skipped with a warning, and the rest of the page is still read."""
    story: dict[str, Any] = {}
    for line, block in scan.json_ld:
        try:
            data = json.loads(block)
        except ValueError:
            continue
        except RecursionError:
            message = "JSON-LD skipped: it nests too deeply to be read"
            scan.warnings.append(ContentError(origin, line, message, severity=WARNING))
            continue
        for item in _objects(data):
            if isinstance(item.get("@id"), str):
                scan.nodes.setdefault(item["@id"], item)
            types = item.get("@type")
            types = types if isinstance(types, list) else [types]
            if not story and any(isinstance(t, str) and t in ARTICLE_TYPES for t in types):
                story = item
    return story


def _objects(data: Any) -> Iterator[dict[str, Any]]:
    """The objects of a JSON-LD block in document order: the block itself, the items of
    a list, the members of an ``@graph``, down to ``MAX_JSON_LD_DEPTH`` levels."""
    pending: list[tuple[Any, int]] = [(data, 0)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_JSON_LD_DEPTH:
            continue
        if isinstance(value, list):
            pending.extend((item, depth + 1) for item in reversed(value))
        elif isinstance(value, dict):
            yield value
            pending.append((value.get("@graph"), depth + 1))


class _Scanner(HTMLParser):
    """Collects ``<meta>``, the canonical link, ``<title>``, JSON-LD blocks and the links
    of related boxes in one pass over the markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = _PageScan()
        self._capture: str | None = None
        self._capture_line = 1
        self._text: list[str] = []
        self._article_depth = 0
        self._box: list[str] = []
        """The tag of the open related box, once per level of that tag open inside it."""
        self._href: str | None = None
        self._link_text: list[str] | None = None
        self._open: list[str] = []
        """The elements open here, as far as nesting goes (see ``_SELDOM_CLOSED``)."""
        self._open_by_name: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._nest(tag)
        values = {name: value or "" for name, value in attrs}
        if tag == "meta":
            self._meta(values)
        elif tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.scan.canonical = self.scan.canonical or values.get("href")
        elif tag == "title" or (
            tag == "script" and values.get("type", "").lower() == "application/ld+json"
        ):
            self._capture, self._text = tag, []
            self._capture_line = self.getpos()[0]
        if tag == "article":
            self._article_depth += 1
        if (self._box and tag == self._box[0]) or (not self._box and self._opens_box(tag, values)):
            self._box.append(tag)
        if self._box and tag == "a":
            self._href, self._link_text = values.get("href"), []

    def _opens_box(self, tag: str, values: dict[str, str]) -> bool:
        if tag == "aside" and self._article_depth:
            return True
        marks = f"{values.get('class', '')} {values.get('id', '')}"
        return tag not in ("a", "body", "html") and bool(_RELATED_BOX.search(marks))

    def _meta(self, values: dict[str, str]) -> None:
        name = (values.get("property") or values.get("name") or "").strip().lower()
        content = values.get("content", "").strip()
        if name and content:
            self.scan.meta.setdefault(name, []).append(content)

    def _nest(self, tag: str) -> None:
        if tag in _VOID or tag in _SELDOM_CLOSED:
            return
        self._open.append(tag)
        self._open_by_name[tag] = self._open_by_name.get(tag, 0) + 1
        if len(self._open) > self.scan.deepest[0]:
            self.scan.deepest = (len(self._open), self.getpos()[0])

    def _unnest(self, tag: str) -> None:
        # An end tag closes the innermost element of its name and any left open in it; a
        # stray one closes nothing (counted, so it costs nothing however deep the page).
        if not self._open_by_name.get(tag):
            return
        while self._open:
            closed = self._open.pop()
            self._open_by_name[closed] -= 1
            if closed == tag:
                return

    def handle_endtag(self, tag: str) -> None:
        self._unnest(tag)
        if tag == self._capture:
            text = "".join(self._text)
            if tag == "title":
                self.scan.title = self.scan.title or text
            else:
                self.scan.json_ld.append((self._capture_line, text))
            self._capture = None
        if tag == "a" and self._link_text is not None:
            title = clean_line("".join(self._link_text))
            if len(words(title)) >= MIN_HEADLINE_WORDS:
                self.scan.related.append((title, self._href))
            self._href, self._link_text = None, None
        if self._box and tag == self._box[0]:
            self._box.pop()
        if tag == "article" and self._article_depth:
            self._article_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._capture is not None:
            self._text.append(data)
        if self._link_text is not None:
            self._link_text.append(data)
