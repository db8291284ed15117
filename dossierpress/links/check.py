"""Asking each cited address whether it still answers, as a careful crawler would.

``HEAD`` first, then ``GET`` where a server refuses ``HEAD`` (405, 501, and 403 or 404,
which some servers give to a ``HEAD`` alone); redirects followed one hop at a time, each
hop's address judged by ``safety`` and the connection made to the very address judged;
a timeout per request; 429 and 503 asked again at most twice, after ``Retry-After``
seconds (at most a minute) or a short backoff; at most ``concurrency`` requests at once
and two per host, so that a site citing one newspaper a hundred times does not hammer
it; a ``User-Agent`` naming Dossier, so a webmaster can tell who asks.

Answers are kept in ``links.json`` in the cache folder, each with the time it was
asked: a good one is trusted for ``max_age``, a failure for ``failure_max_age`` (a
server that is down today may be back tomorrow). Refusals by the safety rule are never
kept, since they depend on ``--links-allow-private``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

import dossierpress
from dossierpress.links.safety import Resolver, first_unsafe, system_resolver

USER_AGENT = (
    f"Dossier/{dossierpress.__version__} (link checker; +https://pypi.org/project/dossierpress/)"
)
REDIRECTS = (301, 302, 303, 307, 308)
PERMANENT = (301, 308)
HEAD_REFUSED = (403, 404, 405, 501)
"""Answers to ``HEAD`` that are asked again with ``GET``."""
RETRIED = (429, 503)
RETRIES = 2
MAX_RETRY_AFTER = 60.0
MAX_HOPS = 10
PER_HOST = 2

OK, DEAD, MOVED, UNREACHABLE, PRIVATE = "ok", "dead", "moved", "unreachable", "private"


@dataclass(frozen=True)
class Outcome:
    """What asking one address found.

    ``kind`` is ``ok``, ``dead`` (an HTTP error, ``status`` and ``reason`` its code and
    phrase), ``moved`` (a permanent redirect to ``final``), ``unreachable`` (``reason``
    says why) or ``private`` (not asked: ``reason`` names the host and its address)."""

    kind: str
    status: int | None = None
    reason: str = ""
    final: str | None = None
    checked_at: float = 0.0

    @property
    def failed(self) -> bool:
        return self.kind in (DEAD, UNREACHABLE)


@dataclass(frozen=True)
class Options:
    concurrency: int = 8
    timeout: float = 10.0
    allow_private: bool = False
    max_age: float = 7 * 86400.0
    failure_max_age: float = 86400.0
    ask_all: bool = False


@dataclass
class Counts:
    asked: int = 0
    cached: int = 0


@dataclass
class Checker:
    """One run's requests: the limits shared by every address it asks."""

    options: Options
    now: float
    resolver: Resolver = system_resolver
    hosts: dict[str, asyncio.Semaphore] = field(default_factory=dict)
    transport: httpx.AsyncBaseTransport | None = None

    async def check_all(self, urls: Sequence[str]) -> dict[str, Outcome]:
        self.overall = asyncio.Semaphore(self.options.concurrency)
        # No connection kept open: a pooled connection is keyed by IP address, and one
        # made for a host (its TLS name checked) must not carry another host's request.
        limits = httpx.Limits(max_connections=self.options.concurrency, max_keepalive_connections=0)
        async with httpx.AsyncClient(
            limits=limits,
            timeout=httpx.Timeout(self.options.timeout),
            headers={"User-Agent": USER_AGENT},
            follow_redirects=False,
            transport=self.transport,
        ) as client:
            self.client = client
            found = await asyncio.gather(*(self.check(url) for url in urls))
        return dict(zip(urls, found, strict=True))

    async def check(self, url: str) -> Outcome:
        """Follow ``url``'s redirects to an answer; an address that cannot be requested
        as written (a bad port, a space in the host) is an answer too, not a traceback."""
        try:
            return await self._follow(url)
        except (httpx.InvalidURL, ValueError, UnicodeError):
            return self._outcome(UNREACHABLE, reason="not a valid address")

    async def _follow(self, url: str) -> Outcome:
        current, hops, permanent = url, 0, True
        while True:
            parts = urlsplit(current)
            host = parts.hostname or ""
            if not host:
                return self._outcome(UNREACHABLE, reason="not a valid address")
            port = parts.port or (443 if parts.scheme == "https" else 80)
            try:
                addresses = await asyncio.to_thread(self.resolver, host, port)
            except OSError:
                return self._outcome(UNREACHABLE, reason=f"{host} not found")
            if not addresses:
                return self._outcome(UNREACHABLE, reason=f"{host} not found")
            unsafe = first_unsafe(addresses)
            if unsafe is not None and not self.options.allow_private:
                return self._outcome(
                    PRIVATE, reason=f"{host} resolves to a private address ({unsafe})"
                )
            try:
                response = await self.ask(current, host, addresses[0])
            except httpx.TimeoutException:
                return self._outcome(
                    UNREACHABLE, reason=f"timeout after {self.options.timeout:g} s"
                )
            except httpx.HTTPError as exc:
                return self._outcome(UNREACHABLE, reason=_connection_problem(exc))
            location = response.headers.get("location")
            if response.status_code in REDIRECTS and location:
                permanent = permanent and response.status_code in PERMANENT
                current = urljoin(current, location)
                hops += 1
                if hops > MAX_HOPS:
                    return self._outcome(UNREACHABLE, reason="too many redirects")
                if urlsplit(current).scheme not in ("http", "https"):
                    return self._outcome(UNREACHABLE, reason=f"redirected to {current}")
                continue
            if response.status_code >= 400:
                return self._outcome(
                    DEAD, status=response.status_code, reason=_phrase(response), final=current
                )
            if hops and permanent and current != url:
                return self._outcome(MOVED, status=response.status_code, final=current)
            return self._outcome(OK, status=response.status_code, final=current)

    async def ask(self, url: str, host: str, address: str) -> httpx.Response:
        """One hop: ``HEAD``, else ``GET``, asked again on 429 and 503; connected to
        ``address`` (the one the safety rule judged), the host named in ``Host`` and SNI."""
        pinned = httpx.URL(url).copy_with(host=address)
        netloc = urlsplit(url).netloc.rpartition("@")[2]
        headers = {"Host": netloc}
        extensions = {"sni_hostname": host} if pinned.scheme == "https" else {}
        semaphore = self.hosts.setdefault(host, asyncio.Semaphore(PER_HOST))
        response: httpx.Response | None = None
        for attempt in range(RETRIES + 1):
            if attempt:
                await asyncio.sleep(_retry_after(response, attempt))
            async with semaphore, self.overall:
                response = await self._send("HEAD", pinned, headers, extensions)
                if response.status_code in HEAD_REFUSED:
                    response = await self._send("GET", pinned, headers, extensions)
            if response.status_code not in RETRIED:
                break
        assert response is not None
        return response

    async def _send(
        self, method: str, url: httpx.URL, headers: dict[str, str], extensions: dict[str, str]
    ) -> httpx.Response:
        # Streamed and closed unread: the status line and headers are all a check needs.
        request = self.client.build_request(method, url, headers=headers, extensions=extensions)
        response = await self.client.send(request, stream=True)
        await response.aclose()
        return response

    def _outcome(
        self, kind: str, *, status: int | None = None, reason: str = "", final: str | None = None
    ) -> Outcome:
        return Outcome(kind, status, reason, final, self.now)


def _retry_after(response: httpx.Response | None, attempt: int) -> float:
    """``Retry-After`` in seconds (a date or nonsense: the backoff), at most a minute."""
    text = response.headers.get("retry-after", "") if response is not None else ""
    try:
        seconds = float(text)
    except ValueError:
        seconds = float(attempt)
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _phrase(response: httpx.Response) -> str:
    try:
        return HTTPStatus(response.status_code).phrase
    except ValueError:
        return response.reason_phrase or "HTTP error"


def _connection_problem(exc: Exception) -> str:
    """ "connection refused", or the error's own words."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError) or "refused" in str(seen).lower():
            return "connection refused"
        seen = seen.__cause__ or seen.__context__
    return f"connection failed: {exc}" if str(exc) else "connection failed"


# -- the cache of answers ----------------------------------------------------------------


def load_answers(path: Path) -> dict[str, Outcome]:
    """The answers kept by earlier checks (none when the file is missing or unreadable:
    they are asked again)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {url: Outcome(**fields) for url, fields in data.items()}
    except (OSError, ValueError, TypeError):
        return {}


def save_answers(path: Path, answers: Mapping[str, Outcome]) -> None:
    """Written to a temporary file and renamed, so a check stopped midway leaves the old
    file whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    kept = {url: asdict(outcome) for url, outcome in sorted(answers.items())}
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(kept, indent=1), encoding="utf-8")
    os.replace(temporary, path)


def fresh(outcome: Outcome, now: float, options: Options) -> bool:
    age = options.failure_max_age if outcome.failed else options.max_age
    return outcome.kind != PRIVATE and 0 <= now - outcome.checked_at <= age


def check_links(
    urls: Sequence[str],
    options: Options,
    now: float,
    cache_file: Path | None,
    resolver: Resolver = system_resolver,
) -> tuple[dict[str, Outcome], Counts]:
    """Each of ``urls`` answered from the cache when fresh, else asked now; the cache
    updated with the new answers."""
    kept = load_answers(cache_file) if cache_file is not None else {}
    results: dict[str, Outcome] = {}
    counts = Counts()
    ask: list[str] = []
    for url in urls:
        cached = kept.get(url)
        if cached is not None and not options.ask_all and fresh(cached, now, options):
            results[url] = cached
            counts.cached += 1
        else:
            ask.append(url)
    counts.asked = len(ask)
    if ask:
        checker = Checker(options, now, resolver)
        asked = asyncio.run(checker.check_all(ask))
        results.update(asked)
        kept.update({url: o for url, o in asked.items() if o.kind != PRIVATE})
        if cache_file is not None:
            # Unwritable: the answers are still reported; the next check asks again.
            with contextlib.suppress(OSError):
                save_answers(cache_file, kept)
    return results, counts


def message(url: str, outcome: Outcome) -> str | None:
    """The warning for an answer (None for a good one)."""
    if outcome.kind == DEAD:
        return f"dead link ({outcome.status} {outcome.reason}): {url}"
    if outcome.kind == MOVED:
        return f"moved permanently to {outcome.final}: {url}"
    if outcome.kind == UNREACHABLE:
        return f"unreachable ({outcome.reason}): {url}"
    if outcome.kind == PRIVATE:
        return f"not checked: {outcome.reason}; --links-allow-private checks it anyway: {url}"
    return None
