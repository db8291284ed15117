"""Wiki links: ``[[target]]`` and ``[[target|label]]`` in any body.

The target is an article or topic slug or title; it is resolved only when rendering,
through the ``RenderContext`` resolver, because parsing happens before the content graph
exists. A resolved link becomes ``<a class="wikilink">`` showing the label, or the target's
title when there is no label; an unresolved one is shown as text in
``<span class="wikilink-missing">`` (the content graph reports it as an error).

Syntax: ``[[`` then a target, optionally ``|`` and a label, then ``]]``, all within one
paragraph and with no ``[`` or ``]`` inside. Whitespace in target and label is collapsed.
``[[`` without a closing ``]]``, an empty target and wiki links inside code stay as
written. Inside a link's text a wiki link would nest links, so it is not a link (and not
a use of its target): ``[see [[Sanctions]]](https://example.org/x)`` is the outer link,
reading "see Sanctions" (the label, else the target as written); in an image's
description it is the same text in ``alt``.

Tokens: the inline rule emits ``wikilink_open``, ``text``, ``wikilink_close`` so that other
core rules (heading anchors) see the link text; the ``wikilink_fold`` core rule, which must
run last, folds each triple into one ``wikilink`` token with ``meta``:
``target``, ``label`` (or None) and ``position`` (the offset of ``[[`` in the ``content``
of its inline token, from which the file line of each link is found).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from dossierpress.content.md_plugins.context import context_from_env

_WIKILINK = re.compile(r"\[\[([^\[\]]*)\]\]")


def wikilink_rule(state: StateInline, silent: bool) -> bool:
    """Inline rule: recognise ``[[target|label]]`` at the current position.

    Silent (validation) mode only serves markdown-it's search for the end of a link's
    text, which refuses a link whose text holds another link. There a wiki link's two
    brackets count as text, so a link around a wiki link stays a link (even when
    ``[target]`` alone would be a reference link).
    """
    src, start = state.src, state.pos
    if silent:
        return _skip_second_bracket(state)
    if not src.startswith("[[", start):
        return False
    # The match stops at the next bracket, so a page of "[[" costs linear time.
    match = _WIKILINK.match(src, start, state.posMax)
    if match is None:
        return False
    raw_target, _, raw_label = match.group(1).partition("|")
    target, label = " ".join(raw_target.split()), " ".join(raw_label.split())
    if not target:
        return False
    if state.linkLevel > 0:
        state.push("text", "", 0).content = label or target  # the text of the outer link
    else:
        opening = state.push("wikilink_open", "", 1)
        opening.markup = match.group(0)
        opening.meta = {
            "target": target,
            "label": label or None,
            "position": start,
        }
        state.push("text", "", 0).content = label or target
        state.push("wikilink_close", "", -1)
    state.pos = match.end()
    return True


def _skip_second_bracket(state: StateInline) -> bool:
    """Step over the second ``[`` of a wiki link as text; a first ``[`` is text anyway."""
    start = state.pos
    if start > 0 and _WIKILINK.match(state.src, start - 1, state.posMax):
        state.pos += 1
        return True
    return False


def fold_wikilinks(state: StateCore) -> None:
    """Core rule: turn each ``wikilink_open, text, wikilink_close`` into one ``wikilink``."""
    for token in state.tokens:
        if token.type == "inline" and token.children:
            token.children = _fold(token.children)


def _fold(children: list[Token]) -> list[Token]:
    folded: list[Token] = []
    index = 0
    while index < len(children):
        token = children[index]
        if token.type == "wikilink_open":
            token.type, token.nesting = "wikilink", 0
            token.content = children[index + 1].content
            index += 3
        else:
            if token.children:
                token.children = _fold(token.children)
            index += 1
        folded.append(token)
    return folded


def render_wikilink(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: Any
) -> str:
    meta = tokens[idx].meta
    return context_from_env(env).wikilink(meta["target"], meta["label"])


def plugin(md: MarkdownIt) -> None:
    """Apply after every plugin that adds core rules (``wikilink_fold`` must run last)."""
    md.inline.ruler.before("link", "wikilink", wikilink_rule)
    md.core.ruler.push("wikilink_fold", fold_wikilinks)
    md.add_render_rule("wikilink", render_wikilink)
