"""Root-relative links written in Markdown live under the site's path prefix.

An editor writes ``[map](/img/map.pdf)`` meaning ``content/img/map.pdf``; on a site served
from ``https://example.org/dossiers/`` that must become ``/dossiers/img/map.pdf``. The
prefix is only known when rendering (the live preview renders the same parsed tokens with
its own base), so these render rules rewrite a copy of the token and never the parsed
token itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from dossierpress.content.md_plugins.context import context_from_env


def render_link_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any
) -> str:
    token = tokens[idx]
    attrs = dict(token.attrs)
    attrs["href"] = context_from_env(env).site_url(str(attrs.get("href", "")))
    return self.renderToken([token.copy(attrs=attrs)], 0, options, env)


def plugin(md: MarkdownIt) -> None:
    md.add_render_rule("link_open", render_link_open)
