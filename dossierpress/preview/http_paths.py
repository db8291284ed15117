"""Request paths and content types for the live preview's server.

A request path is decoded once and refused if it could name anything but a plain file of
the site: dot segments, empty segments, backslashes, control characters, bad escapes,
before and after decoding (``..``, ``%2e%2e``, ``..%2f``).
"""

from __future__ import annotations

import os
import re
from urllib.parse import unquote_to_bytes

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".xml": "application/xml",
    ".atom": "application/atom+xml",
    ".rss": "application/rss+xml",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".gif": "image/gif",
    ".ico": "image/vnd.microsoft.icon",
    ".pdf": "application/pdf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


class BadPath(ValueError):
    """A request path that is not a plain path inside the site."""


def decode_path(target: str) -> str:
    """The request target's path, percent-decoded once, after refusing every way out.

    Refuses dot segments, empty segments (``//``), backslashes, control characters and
    NUL, malformed escapes and invalid or overlong UTF-8 — before *and* after decoding, so
    ``%2e%2e`` and ``..%2f`` are caught as well as ``..``.
    """
    path = target.partition("?")[0]
    if not path.startswith("/") or not path.isascii() or _BAD_ESCAPE.search(path):
        raise BadPath(target)
    try:
        decoded = unquote_to_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        raise BadPath(target) from None
    if "\\" in decoded or _CONTROL.search(decoded):
        raise BadPath(target)
    segments = decoded[1:].split("/")
    if any(seg in ("", ".", "..") for seg in segments[:-1]) or segments[-1] in (".", ".."):
        raise BadPath(target)
    return decoded


def content_type(name: str) -> str:
    return _TYPES.get(os.path.splitext(name)[1].lower(), "application/octet-stream")
