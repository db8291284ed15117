"""The readable text of inline tokens: summaries, heading titles and image ``alt`` text.

Markup is dropped, entities are already decoded by the parser, wiki links contribute
their label (or target as written), and runs of whitespace become one space.
"""

from __future__ import annotations

from collections.abc import Iterable

from markdown_it.token import Token

_TEXT_TYPES = frozenset({"text", "code_inline", "wikilink"})
_BREAK_TYPES = frozenset({"softbreak", "hardbreak"})


def plain_text(tokens: Iterable[Token]) -> str:
    """Plain text of a list of inline tokens, whitespace collapsed."""
    return " ".join(_pieces(tokens).split())


def _pieces(tokens: Iterable[Token]) -> str:
    parts: list[str] = []
    for token in tokens:
        if token.type in _TEXT_TYPES:
            parts.append(token.content)
        elif token.type in _BREAK_TYPES:
            parts.append(" ")
        elif token.type == "image" and token.children:
            parts.append(_pieces(token.children))
    return "".join(parts)
