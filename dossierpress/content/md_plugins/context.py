"""The typed render-time data our render rules read from markdown-it's ``env``.

markdown-it passes a free-form ``env`` mapping to every render rule. We put exactly one
``RenderContext`` in it, under one key, and read it back through ``context_from_env`` so
no rule depends on loose dictionary entries and a missing context fails loudly instead of
silently rendering wrong links.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from dossierpress.pages.views import LinkView

ENV_KEY = "dossierpress.render"

Resolver = Callable[[str], LinkView | None]
"""Maps a wiki-link target as written to the page it names, or None when there is none."""


@dataclass(frozen=True)
class RenderContext:
    """Everything a body needs that is only known when it is rendered."""

    resolve: Resolver
    base_path: str
    """The site's path prefix (``/`` or ``/dossiers/``); always starts and ends with ``/``."""

    def __post_init__(self) -> None:
        if not (self.base_path.startswith("/") and self.base_path.endswith("/")):
            raise ValueError(f"base_path must start and end with '/', got {self.base_path!r}")

    def site_url(self, url: str) -> str:
        """``url`` under the site prefix when it is root-relative (``/img/map.png``).

        Protocol-relative URLs (``//host/x``) point at another host and are left alone,
        as are absolute and page-relative URLs.
        """
        if url.startswith("/") and not url.startswith("//"):
            return self.base_path + url[1:]
        return url

    def as_env(self) -> dict[str, Any]:
        """A fresh ``env`` for one ``renderer.render`` call."""
        return {ENV_KEY: self}


def context_from_env(env: Mapping[str, Any]) -> RenderContext:
    """The context put in ``env`` by ``RenderContext.as_env``."""
    context = env.get(ENV_KEY)
    if not isinstance(context, RenderContext):
        raise RuntimeError(
            "Markdown tokens were rendered without a RenderContext; "
            "use dossierpress.markdown.render_body() or render_inline()"
        )
    return context
