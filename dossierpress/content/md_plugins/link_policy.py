"""Only http, https, mailto and relative URLs become links or images.

markdown-it's own check is a block list (``javascript:``, ``vbscript:``, ``file:``,
``data:`` except some images). We replace it with an allow list. markdown-it calls
``md.validateLink`` with the destination *after* decoding entities and percent-encoding
it (``jav&#x09;ascript:`` arrives as ``jav%09ascript:``), so we decode percent escapes and
drop whitespace and control characters (which browsers ignore inside a scheme) before
reading the scheme. A refused destination is left as plain text by the parser.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from markdown_it import MarkdownIt

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})

_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff\s]+")


def is_allowed_url(url: str) -> bool:
    """True for http(s), mailto and relative URLs (``page/``, ``#x``, ``../a``, ``/img/a.png``)."""
    visible = _INVISIBLE.sub("", unquote(url))
    match = _SCHEME.match(visible)
    return match is None or match.group(1).lower() in ALLOWED_SCHEMES


def plugin(md: MarkdownIt) -> None:
    """Install the allow list as ``md.validateLink`` (links, images, autolinks, references)."""
    md.validateLink = is_allowed_url  # type: ignore[method-assign]
