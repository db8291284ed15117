"""Finding a dead source's archived copy: the capture nearest the article, or nothing."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime

import httpx
import pytest

from dossierpress.links.archive import (
    WAYBACK_AVAILABILITY,
    Capture,
    closest_capture,
    suggestion,
)
from dossierpress.links.wayback import capture_date

SOURCE = "https://news.example/2024/06/summit"
COPY = "http://web.archive.org/web/20240619081500/https://news.example/2024/06/summit"
FOUND = {
    "archived_snapshots": {
        "closest": {"available": True, "url": COPY, "timestamp": "20240619081500", "status": "200"}
    }
}


def ask(answer, endpoint: str = WAYBACK_AVAILABILITY) -> tuple[Capture | None, list]:
    """``closest_capture`` against an archive that answers with ``answer(request)``."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answer(request)

    async def run() -> Capture | None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            return await closest_capture(client, SOURCE, date(2024, 6, 19), endpoint)

    return asyncio.run(run()), seen


def test_the_capture_closest_to_the_article_date_is_asked_for_and_returned():
    capture, seen = ask(lambda request: httpx.Response(200, json=FOUND))
    assert capture == Capture(COPY, datetime(2024, 6, 19, 8, 15, tzinfo=UTC))
    (request,) = seen
    assert str(request.url).startswith("https://archive.org/wayback/available?")
    assert request.url.params["url"] == SOURCE
    assert request.url.params["timestamp"] == "20240619"


def test_the_endpoint_is_the_sites_own_archive_when_it_names_one():
    _, seen = ask(lambda r: httpx.Response(200, json=FOUND), "https://archive.newsroom.example/av")
    assert seen[0].url.host == "archive.newsroom.example"
    assert seen[0].url.path == "/av"


def test_the_endpoints_own_query_is_kept():
    _, seen = ask(lambda r: httpx.Response(200, json=FOUND), "https://a.example/av?key=k1")
    assert dict(seen[0].url.params) == {"key": "k1", "url": SOURCE, "timestamp": "20240619"}


def test_an_endpoint_httpx_cannot_read_is_no_copy():
    assert ask(lambda r: httpx.Response(200, json=FOUND), "http://[::1")[0] is None


def refuse(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


def timeout(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("too slow", request=request)


def closest(**fields) -> dict:
    return {"archived_snapshots": {"closest": FOUND["archived_snapshots"]["closest"] | fields}}


@pytest.mark.parametrize(
    "answer",
    [
        refuse,
        timeout,
        lambda r: httpx.Response(503, json=FOUND),
        lambda r: httpx.Response(200, text="<html>not json</html>"),
        lambda r: httpx.Response(200, content=b"\xff\xfe{"),
        lambda r: httpx.Response(200, json={"archived_snapshots": {}}),
        lambda r: httpx.Response(200, json=[]),
        lambda r: httpx.Response(200, json={"archived_snapshots": []}),
        lambda r: httpx.Response(200, json=closest(available=False)),
        lambda r: httpx.Response(200, json=closest(url=None)),
        lambda r: httpx.Response(200, json=closest(url="javascript:alert(1)")),
        lambda r: httpx.Response(200, json=closest(timestamp="2024")),
        lambda r: httpx.Response(200, json=closest(timestamp="20241341000000")),
        lambda r: httpx.Response(200, json=closest(status="404")),
    ],
    ids=[
        "refused", "timeout", "server-error", "html", "not-utf8", "no-snapshot", "a-list",
        "snapshots-a-list", "unavailable", "no-url", "not-a-web-url", "short-timestamp",
        "impossible-timestamp", "archived-error-page",
    ],
)  # fmt: skip
def test_every_failure_is_no_copy_never_a_traceback(answer):
    assert ask(answer)[0] is None


def test_a_capture_without_a_status_is_taken():
    answer = closest()
    del answer["archived_snapshots"]["closest"]["status"]
    assert ask(lambda r: httpx.Response(200, content=json.dumps(answer)))[0] is not None


@pytest.mark.parametrize(
    ("url", "day"),
    [
        (COPY, date(2024, 6, 19)),
        ("https://web.archive.org/web/20230102030405id_/https://x.example/", date(2023, 1, 2)),
        ("https://archive.example/web/20221231235959/https://x.example/", date(2022, 12, 31)),
        ("https://archive.ph/AbCdE", None),
        ("https://web.archive.org/web/2024/https://x.example/", None),
        ("https://web.archive.org/web/20241399000000/https://x.example/", None),
    ],
)  # fmt: skip
def test_the_capture_date_is_read_from_a_wayback_style_url(url, day):
    assert capture_date(url) == day


def test_the_suggestion_is_one_info_line_naming_the_copy_and_its_day():
    capture = Capture(COPY, datetime(2024, 6, 19, 8, 15, tzinfo=UTC))
    line = str(suggestion("content/articles/summit.md", 7, SOURCE, capture))
    assert line == (
        f"content/articles/summit.md:7: info: archived copy of {SOURCE} from 19 June 2024: {COPY}"
    )
