"""How editors' names for documents are compared: slugs, titles, topic aliases, wiki links."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_DASHES = re.compile(r"[\u002d\u2010-\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d]")


@lru_cache(maxsize=65536)
def normalise_target(text: str) -> str:
    """The lookup key of a wiki-link target, slug, title or alias.

    Case-insensitive, Unicode-normalised (NFKC), every dash or minus variant equal to
    ``-`` and whitespace collapsed: "Russia–North Korea" and "russia-north  korea" match.
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(_DASHES.sub("-", folded).split())
