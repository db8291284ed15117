"""Finding the archived copy of a dead or moved source, as close as can be to when it was cited.

A source that is gone is still worth its citation when a web archive kept a copy: the
reader can see what the article relied on. The copy wanted is the one nearest the
article's date, since a page captured years later may say something else (content drift).

Any archive that speaks the Internet Archive's availability API can be asked
(``GET <endpoint>?url=…&timestamp=YYYYMMDD`` answering
``{"archived_snapshots": {"closest": {"available": true, "url": …, "timestamp": …}}}``),
so a newsroom may point ``links: {archive_endpoint: …}`` in ``site.yaml`` at its own.
Every failure (network, an answer that is not that JSON, no copy) is "no copy": a check
tells what it found and never stops on an archive's bad day.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlsplit

import httpx

from dossierpress.config import DEFAULT_ARCHIVE_ENDPOINT
from dossierpress.errors import INFO, ContentError
from dossierpress.links.wayback import TIMESTAMP, parse_timestamp

WAYBACK_AVAILABILITY = DEFAULT_ARCHIVE_ENDPOINT
"""The Internet Archive's availability API: the capture of a URL closest to a timestamp
(named in ``config``, which must not import httpx for every build)."""

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
"""English, whatever the machine's locale (``%B`` follows it): ``check`` speaks English."""


@dataclass(frozen=True)
class Capture:
    """One archived copy of a page: where it is and when it was taken (UTC)."""

    url: str
    timestamp: datetime


async def closest_capture(
    client: httpx.AsyncClient, url: str, when: date, endpoint: str = WAYBACK_AVAILABILITY
) -> Capture | None:
    """The capture of ``url`` closest to ``when`` (the citing article's date), or None.

    None also stands for every failure: the archive cannot be reached, answers with an
    error or with something other than the availability JSON, or has no usable copy.
    """
    params = {"url": url, "timestamp": when.strftime("%Y%m%d")}
    try:
        # Merged by hand: httpx's ``params=`` would drop the endpoint's own query (a key).
        address = httpx.URL(endpoint).copy_merge_params(params)
        response = await client.get(address)
        response.raise_for_status()
        data = response.json()
    except (httpx.HTTPError, httpx.InvalidURL, ValueError):
        return None
    return _capture(data)


def _capture(data: object) -> Capture | None:
    """The capture an availability answer names, when it names a usable one."""
    if not isinstance(data, dict):
        return None
    snapshots = data.get("archived_snapshots")
    closest = snapshots.get("closest") if isinstance(snapshots, dict) else None
    if not isinstance(closest, dict) or closest.get("available") is not True:
        return None
    found, stamp = closest.get("url"), closest.get("timestamp")
    if not isinstance(found, str) or not isinstance(stamp, str):
        return None
    if urlsplit(found).scheme not in ("http", "https") or not TIMESTAMP.fullmatch(stamp):
        return None  # a copy must be a web page a reader can open, taken at a real time
    status = closest.get("status")
    if isinstance(status, str) and status.isdigit() and not 200 <= int(status) < 300:
        return None  # the archive kept the error page (or a redirect), not the source
    timestamp = parse_timestamp(stamp)
    return Capture(found, timestamp) if timestamp is not None else None


def suggestion(path: str, line: int, url: str, capture: Capture) -> ContentError:
    """What ``check`` tells of a dead or moved source with an archived copy (an ``info``)."""
    taken = capture.timestamp
    when = f"{taken.day} {_MONTHS[taken.month - 1]} {taken.year}"
    message = f"archived copy of {url} from {when}: {capture.url}"
    return ContentError(path, line, message, severity=INFO)


def find_copies(
    wanted: Sequence[tuple[str, date]],
    endpoint: str = WAYBACK_AVAILABILITY,
    *,
    concurrency: int = 4,
    timeout: float = 10.0,
    user_agent: str = "",
) -> dict[str, Capture]:
    """The closest capture of each ``(url, date)`` the archive has, a few asked at once
    (an archive is one host: it is asked as politely as any other)."""

    async def ask_all() -> dict[str, Capture]:
        limit = asyncio.Semaphore(concurrency)
        headers = {"User-Agent": user_agent} if user_agent else {}
        async with httpx.AsyncClient(timeout=timeout, headers=headers) as client:

            async def one(url: str, when: date) -> tuple[str, Capture | None]:
                async with limit:
                    return url, await closest_capture(client, url, when, endpoint)

            found = await asyncio.gather(*(one(url, when) for url, when in wanted))
        return {url: capture for url, capture in found if capture is not None}

    return asyncio.run(ask_all()) if wanted else {}
