"""One ``<h1>`` per page: a body's headings start at ``<h2>``.

The page's headline is its one ``<h1>``, so a level-1 heading in a body (``# Title``, or
``Title`` over a ``===`` line) would give the page a second. Rule: when a body has any
level-1 heading, every heading of that body moves down one level (h1 to h2, h2 to h3, …;
h6 stays h6), which keeps the editor's hierarchy; a body without one is left as it is.
Anchors (``id``) do not change.

Each heading moved down keeps the level it was written at in ``meta["written_level"]``,
so the build can warn about every level-1 heading at its line.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

DEEPEST = 6
WRITTEN_LEVEL = "written_level"


def shift_headings(state: StateCore) -> None:
    """Core rule: move every heading down one level when the body has a level-1 heading."""
    headings = [t for t in state.tokens if t.type in ("heading_open", "heading_close")]
    if not any(token.tag == "h1" for token in headings):
        return
    for token in headings:
        level = int(token.tag[1:])
        if token.nesting == 1:
            token.meta[WRITTEN_LEVEL] = level
        token.tag = f"h{min(level + 1, DEEPEST)}"


def plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("heading_levels", shift_headings)
