"""Footnote ids that cannot collide with heading anchors.

mdit-py-plugins' footnotes use ``fn1`` and ``fnref1``, which a heading such as "FN1"
would also produce. Heading anchors come from ``slugify`` and only ever contain
``a-z``, ``0-9`` and ``-``, so a colon keeps the two apart: ``fn:1``, ``fnref:1`` and
``fnref:1:1`` for a second reference to the same note (the kramdown convention).
Numbers follow the order of first reference, so the output is the same on every build.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import OptionsDict


def render_footnote_anchor_name(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any
) -> str:
    return f":{tokens[idx].meta['id'] + 1}"


def plugin(md: MarkdownIt) -> None:
    """Apply after ``mdit_py_plugins.footnote.footnote_plugin``."""
    md.add_render_rule("footnote_anchor_name", render_footnote_anchor_name)
