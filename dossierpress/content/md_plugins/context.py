"""The typed render-time data our render rules read from markdown-it's ``env``.

markdown-it passes a free-form ``env`` mapping to every render rule. We put exactly one
``RenderContext`` in it, under one key, and read it back through ``context_from_env`` so
no rule depends on loose dictionary entries and a missing context fails loudly instead of
silently rendering wrong links.

A body is rendered once, when it is parsed, with placeholders where render-time data
goes (``with_placeholders``): the site's path prefix, and each wiki link, which names a
page whose address and title only the content graph knows. ``fill_placeholders`` puts
them in when a page shows the body. The placeholders hold a NUL character, which
markdown-it replaces in every input, so no body can contain one of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it.common.utils import escapeHtml

from dossierpress.content.names import normalise_target
from dossierpress.values import LinkView

ENV_KEY = "dossierpress.render"

Resolver = Callable[[str], LinkView | None]
"""Maps a wiki-link target as written to the page it names, or None when there is none."""

BASE_PLACEHOLDER = "\x00base\x00"
_LINK_PLACEHOLDER = re.compile("\x00link([0-9]+)\x00")
_PICTURE_PLACEHOLDER = re.compile("\x00picture([0-9]+)\x00")

PictureMarkup = Callable[[int], str]
"""The HTML of a body's Nth picture (``ParsedBody.images``), as the page shows it."""


@dataclass(frozen=True)
class BodyImage:
    """An image as the body wrote it, in the order of its placeholder."""

    src: str
    alt: str
    title: str
    figure: bool


@dataclass(frozen=True)
class RenderContext:
    """Everything a body needs that is only known when it is rendered."""

    resolve: Resolver | None
    """None: leave a placeholder for each wiki link (``links`` collects them)."""
    base_path: str
    """The site's path prefix (``/`` or ``/dossiers/``), or ``BASE_PLACEHOLDER``."""
    links: list[tuple[str, str | None]] = field(default_factory=list)
    images: list[BodyImage] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.base_path == BASE_PLACEHOLDER:
            return
        if not (self.base_path.startswith("/") and self.base_path.endswith("/")):
            raise ValueError(f"base_path must start and end with '/', got {self.base_path!r}")

    @classmethod
    def with_placeholders(cls) -> RenderContext:
        return cls(resolve=None, base_path=BASE_PLACEHOLDER)

    def site_url(self, url: str) -> str:
        """``url`` under the site prefix when it is root-relative (``/img/map.png``).

        Protocol-relative URLs (``//host/x``) point at another host and are left alone,
        as are absolute and page-relative URLs.
        """
        if url.startswith("/") and not url.startswith("//"):
            return self.base_path + url[1:]
        return url

    def wikilink(self, target: str, label: str | None) -> str:
        """The HTML of one wiki link, or its placeholder."""
        if self.resolve is None:
            self.links.append((target, label))
            return f"\x00link{len(self.links) - 1}\x00"
        return wikilink_html(target, label, self.resolve(target))

    def picture(self, src: str, alt: str, title: str, *, figure: bool) -> str:
        """The placeholder of one image (``images`` collects them)."""
        self.images.append(BodyImage(src, alt, title, figure))
        return f"\x00picture{len(self.images) - 1}\x00"

    def as_env(self) -> dict[str, Any]:
        """A fresh ``env`` for one ``renderer.render`` call."""
        return {ENV_KEY: self}


def fill_placeholders(
    html: str,
    links: Sequence[tuple[str, str | None]],
    resolve: Resolver,
    base_path: str,
    root_url: str | None = None,
    picture: PictureMarkup | None = None,
) -> str:
    """A body's HTML made with placeholders, with the links, the pictures (``picture``)
    and the path prefix put in.

    ``root_url`` (``https://example.org/dossiers/``), when given, replaces the path prefix,
    making every root-relative link absolute, for a body read away from the site (a feed).
    """
    if not (base_path.startswith("/") and base_path.endswith("/")):
        raise ValueError(f"base_path must start and end with '/', got {base_path!r}")
    if root_url is not None and not root_url.endswith(base_path):
        raise ValueError(f"root_url must end with the path prefix, got {root_url!r}")
    if links:
        html = _LINK_PLACEHOLDER.sub(
            lambda m: wikilink_html(*links[int(m.group(1))], resolve(links[int(m.group(1))][0])),
            html,
        )
    if picture is not None:
        html = _PICTURE_PLACEHOLDER.sub(lambda m: picture(int(m.group(1))), html)
    return html.replace(BASE_PLACEHOLDER, escapeHtml(base_path if root_url is None else root_url))


def wikilink_html(target: str, label: str | None, link: LinkView | None) -> str:
    """``<a class="wikilink">`` showing the label (or the target's title), or, for a
    target that names nothing, the text in ``<span class="wikilink-missing">``."""
    if link is None:
        return f'<span class="wikilink-missing">{escapeHtml(label or target)}</span>'
    shown = label or _link_text(target, link.title)
    text = escapeHtml(shown)
    if not link.hreflang:
        return f'<a class="wikilink" href="{escapeHtml(link.url)}">{text}</a>'
    # A page in another language: say so, as the theme's links do (``macros.link``); the
    # text is in that language only when it is the page's own title.
    lang = escapeHtml(link.hreflang)
    attrs = f' lang="{escapeHtml(link.lang)}"' if link.lang and shown == link.title else ""
    mark = f' <span class="lang-mark" lang="{lang}">{escapeHtml(link.lang_name or lang)}</span>'
    url = escapeHtml(link.url)
    return f'<a class="wikilink" href="{url}" hreflang="{lang}"{attrs}>{text}</a>{mark}'


def _link_text(target: str, title: str) -> str:
    """The target's title for a slug or a variant spelling of the title, else the name as
    written: ``[[Korea Utara]]`` (a topic alias) reads "Korea Utara" in Indonesian prose."""
    if _SLUG.fullmatch(target) or normalise_target(target) == normalise_target(title):
        return title
    return target


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def context_from_env(env: Mapping[str, Any]) -> RenderContext:
    """The context put in ``env`` by ``RenderContext.as_env``."""
    context = env.get(ENV_KEY)
    if not isinstance(context, RenderContext):
        raise RuntimeError(
            "Markdown tokens were rendered without a RenderContext; "
            "use dossierpress.markdown.render_body() or render_inline()"
        )
    return context
