"""What a page tells machines besides its text: feeds to follow, link previews, structured
data, search filters.

``complete`` runs after a page kind has built its view (``renderer.Renderer.render``) and
fills in ``PageMeta.feeds`` (``<link rel="alternate">``: the kind's ``feed``, then the
site's), ``PageMeta.share`` (Open Graph and Twitter cards, on every page),
``PageMeta.structured_data`` (JSON-LD, from the kind's ``describe``: ``NewsArticle`` on
articles, ``CollectionPage`` with its ``ItemList`` on topics) and
``PageMeta.search_filters`` (the kind's, and the language) with ``language_name`` (what a
search result shows of the page's language). It reads the graph through
the page's reader, as the view did, so the page depends on what these show too.

JSON-LD is made with ``json.dumps`` and then made safe to sit in a ``<script>`` element,
whatever a title holds (``</script>``, ``<!--``, U+2028): ``<``, ``>``, ``&`` and the two
line separators become ``\\u`` escapes, which a JSON reader turns back into the same text.
"""

from __future__ import annotations

import functools
import json
from dataclasses import replace
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from markupsafe import Markup

from dossierpress.content.model import Article, Author, Topic
from dossierpress.pages import views as v
from dossierpress.pages.builder import ViewBuilder
from dossierpress.pages.plan import PageKind, PagePlan, SearchFilters, StructuredData
from dossierpress.pictures.model import CARD, RATIOS, focus_of, is_url

Document = Article | Topic | Author

SHARE_IMAGE = "share.png"
"""The theme's default link-preview image (``layouts/static/share.png``, 1200×630)."""
_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def complete(b: ViewBuilder, kind: PageKind, plan: PagePlan, page: Any) -> Any:
    """``page`` with its feeds, link-preview metadata and structured data, and what its
    kind adds (``PageKind.describe``); a page without a ``PageMeta`` (a feed) as it is."""
    meta = getattr(page, "meta", None)
    if not isinstance(meta, v.PageMeta):
        return page
    urls = b.ctx.urls
    share = v.ShareMeta(
        type="website",
        locale=og_locale(meta.lang),
        image=urls.absolute(urls.static(SHARE_IMAGE)),
        image_alt=b.site.title,
        image_width=1200,
        image_height=630,
    )
    data: StructuredData | None = None
    if kind.describe is not None:
        described = kind.describe(b, plan, page, share)
        page, share, data = described.page, described.share, described.data
    structured = json_ld(data) if data is not None else None
    meta = replace(
        meta,
        feeds=feed_links(b, kind, plan),
        share=share if kind.previewed else None,
        structured_data=structured,
        search_filters=search_filters(b, kind, plan),
        searched=kind.searched(plan),
        language_name=b.loc.own_name() if kind.searched(plan) else "",
    )
    return replace(page, meta=meta)


def share_picture(
    b: ViewBuilder, doc: Document, share: v.ShareMeta
) -> tuple[v.ShareMeta, list[str]]:
    """The link preview of a page led by a picture: its share card, cropped around its
    focus; and the pictures its structured data offers (the 16:9, 4:3 and 1:1 crops
    Google's article guidelines ask for). A page without one keeps the site's image, and
    offers none."""
    image = doc.image
    picture = b.picture_of(doc.path, image, body=False) if image is not None else None
    if image is None or picture is None:
        return share, []
    alt = image.alt or share.image_alt
    if not picture.processed:
        if picture.src is None or not is_url(picture.src):
            return share, []  # a drawing: previews do not show SVG
        shared = replace(share, image=picture.src, image_alt=alt, image_width=0, image_height=0)
        return shared, [picture.src]
    urls = b.ctx.urls
    focus = focus_of(image)
    card = picture.crop(CARD, focus)
    if card is None:
        return share, []
    crops = [picture.crop(ratio, focus) for ratio in RATIOS if ratio != CARD]
    offered = [urls.absolute(urls.site_path(c.path)) for c in crops if c is not None]
    card_url = urls.absolute(urls.site_path(card.path))
    shared = replace(
        share, image=card_url, image_alt=alt, image_width=card.width, image_height=card.height
    )
    return shared, offered


def search_filters(b: ViewBuilder, kind: PageKind, plan: PagePlan) -> SearchFilters:
    """The kind's Pagefind filters (an article's topics and tags, a topic itself) and the
    page's language, on the first page of each. Pagefind merges every language's index on
    the search page, so the names are the site language's and a topic is under its own
    title (not its name on this page): an English and an Indonesian article of one
    dossier fall under one filter value."""
    if kind.search_filters is None or not kind.searched(plan):
        return ()
    return (*kind.search_filters(b, plan), (b.site_loc.gettext("Language"), b.loc.own_name()))


def feed_links(b: ViewBuilder, kind: PageKind, plan: PagePlan) -> tuple[v.FeedLink, ...]:
    """The kind's own feed (a topic's or tag's, on every page of it), then the site's
    (on every page)."""
    urls = b.ctx.urls
    links = [kind.feed(b, plan)] if kind.feed is not None else []
    links.append(v.FeedLink(urls.feed(), "", b.site.title, "site"))
    return tuple(replace(link, href=urls.absolute(link.url)) for link in links)


def json_ld(data: dict[str, Any]) -> Markup:
    """``data`` as JSON that can sit in a ``<script>`` element whatever its strings hold."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _SCRIPT_ESCAPES.items():
        text = text.replace(char, escaped)
    return Markup(text)


@functools.cache
def og_locale(lang: str) -> str:
    """Open Graph's ``language_TERRITORY`` for a BCP 47 language: ``en`` is ``en_US``,
    ``id`` is ``id_ID``, ``en-GB`` stays ``en_GB`` (Unicode's likely territory when the
    language names none); a language Babel does not know is given as it is."""
    try:
        locale = Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return lang.replace("-", "_")
    territory = locale.territory
    if not territory:
        likely = get_global("likely_subtags")
        key = f"{locale.language}_{locale.script}" if locale.script else locale.language
        found = likely.get(key) or likely.get(locale.language)
        territory = Locale.parse(found).territory if found else None
    return f"{locale.language}_{territory}" if territory else locale.language
