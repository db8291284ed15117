"""Pictures in a body: an image alone in its paragraph is a figure, each one a placeholder.

An editor who puts an image on a line of its own means a picture with its caption, as
news pages show them: that paragraph is dropped and the image marked as a figure. Every
image, figure or inline, renders as a placeholder (``RenderContext.picture``) that the
page fills in with the picture's published files and the theme's markup, which only the
build knows (the files are named after the picture's bytes).

The image's title is its caption; text after its last `` | `` is the credit:
``![Alt](photo.jpg "The leaders at Vostochny | Photo: Example Agency")``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from dossierpress.content.md_plugins.context import context_from_env
from dossierpress.content.md_plugins.plain_text import plain_text

FIGURE = "figure"
"""``Token.meta`` key set on an image that stands alone in its paragraph."""
CREDIT_SEPARATOR = " | "


def caption_and_credit(title: str) -> tuple[str | None, str | None]:
    """An image title's caption and credit (``"caption | credit"``)."""
    caption, separator, credit = title.rpartition(CREDIT_SEPARATOR)
    if not separator:
        return (title.strip() or None), None
    return (caption.strip() or None), (credit.strip() or None)


def mark_figures(state: StateCore) -> None:
    """Hide the paragraph around an image that is all the paragraph holds."""
    tokens = state.tokens
    for index in range(len(tokens) - 2):
        opening, inline, closing = tokens[index : index + 3]
        if opening.type != "paragraph_open" or closing.type != "paragraph_close":
            continue
        children = [
            child
            for child in inline.children or ()
            if not (child.type == "text" and not child.content.strip())
        ]
        if len(children) == 1 and children[0].type == "image":
            children[0].meta[FIGURE] = True
            opening.hidden = closing.hidden = True


def render_image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any
) -> str:
    token = tokens[idx]
    title = str(token.attrGet("title") or "")
    return context_from_env(env).picture(
        str(token.attrGet("src") or ""),
        plain_text(token.children or ()),
        title,
        figure=bool(token.meta.get(FIGURE)),
    )


def plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("figures", mark_figures)
    md.add_render_rule("image", render_image)
