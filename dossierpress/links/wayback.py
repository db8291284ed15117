"""Capture times as Wayback-style archives write them: ``YYYYMMDDhhmmss``, also in URLs.

Apart from ``archive`` (which asks archives over the network) so that pages can read the
day of a source's archived copy from its URL, for Robust Links, without loading httpx.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

TIMESTAMP = re.compile(r"[0-9]{14}", re.ASCII)
_WAYBACK_PATH = re.compile(r"/web/([0-9]{14})(?:[a-z]{2}_)?/", re.ASCII)
"""``/web/20240619123456/https://…`` (or ``…id_/``): how Wayback-style archives name a
capture's time in its URL."""


def parse_timestamp(stamp: str) -> datetime | None:
    """A 14-digit ``YYYYMMDDhhmmss`` capture time as a UTC datetime, or None."""
    if not TIMESTAMP.fullmatch(stamp):
        return None
    try:
        return datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def capture_date(archive_url: str) -> date | None:
    """The day a Wayback-style archive URL (``/web/20240619123456/…``) was captured."""
    match = _WAYBACK_PATH.search(urlsplit(archive_url).path + "/")
    timestamp = parse_timestamp(match.group(1)) if match else None
    return timestamp.date() if timestamp is not None else None
