"""``dossier check --links``: each kind of answer a cited address can give, as reported.

Servers on 127.0.0.1 stand for the web (``support.web``), so every check here passes
``--links-allow-private`` except those about the safety rule itself.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from dossierpress.content.markdown import make_markdown
from dossierpress.links.check import Checker, Options, message
from dossierpress.links.collect import body_links
from dossierpress.links.safety import first_unsafe, is_unsafe

from .support.cli import CliResult, run_cli
from .support.files import write_files
from .support.web import FakeWeb, closed_port

TOPIC = "content/topics/sanctions.md"
ARTICLE = "content/articles/2024/summit.md"
AUTHOR = "content/authors/ana.md"


@pytest.fixture(scope="module")
def web() -> Iterator[tuple[FakeWeb, FakeWeb]]:
    other = FakeWeb()
    main = FakeWeb(other=other.url("/ok"))
    yield main, other
    main.close()
    other.close()


def site(
    root: Path,
    urls: list[str],
    *,
    topic_body: str = "Who sanctions whom.\n",
    archive: str = "",
) -> Path:
    """An article citing each of ``urls`` in ``sources``, its line 6 + index; the web
    archive asked for dead ones' copies is ``archive`` (default: a closed port, no copy)."""
    sources = "".join(f"  - {{title: Source {i}, url: '{url}'}}\n" for i, url in enumerate(urls))
    endpoint = archive or f"http://127.0.0.1:{closed_port()}/available"
    write_files(
        root,
        {
            "site.yaml": f"links: {{archive_endpoint: '{endpoint}'}}\n",
            TOPIC: f"---\ntitle: Sanctions\n---\n\n{topic_body}",
            ARTICLE: "---\ntitle: The summit\ndate: 2024-06-18\ntopics: [sanctions]\n"
            f"sources:\n{sources}---\n\nThey met.\n",
        },
    )
    return root


def check(root: Path, *options: str) -> CliResult:
    return run_cli("check", "--source", root, "--links", "--jobs", "1", *options)


def warnings(result: CliResult) -> list[str]:
    """The warnings about links (the servers are http://, which check also warns about)."""
    lines = result.err.splitlines()
    return [line for line in lines if ": warning: " in line and "not encrypted" not in line]


CASES = [
    ("/ok", None),
    ("/missing", "dead link (404 Not Found): {url}"),
    ("/gone", "dead link (410 Gone): {url}"),
    ("/moved", "moved permanently to {base}/ok: {url}"),
    ("/moved-dead", "dead link (404 Not Found): {url}"),
    ("/for-now", None),
    ("/elsewhere", "moved permanently to {other}/ok: {url}"),
    ("/busy", None),
    ("/unavailable", None),
    ("/no-head", None),
]


def test_each_answer_is_reported_at_each_use(tmp_path, web):
    main, other = web
    refused = f"http://127.0.0.1:{closed_port()}/x"
    urls = [main.url(path) for path, _ in CASES] + [refused, main.url("/silent")]
    root = site(tmp_path, urls)
    result = check(root, "--links-allow-private", "--links-timeout", "1")
    expected = [
        f"{ARTICLE}:{6 + i}: warning: "
        + text.format(url=main.url(path), base=main.url(""), other=other.url(""))
        for i, (path, text) in enumerate(CASES)
        if text is not None
    ]
    expected += [
        f"{ARTICLE}:{6 + len(CASES)}: warning: unreachable (connection refused): {refused}",
        f"{ARTICLE}:{7 + len(CASES)}: warning: unreachable (timeout after 1 s): "
        + main.url("/silent"),
    ]
    assert warnings(result) == expected
    assert "links: 12 URLs, 12 asked now, 0 from the cache, 5 dead" in result.err
    assert result.code == 0
    # HEAD refused, then GET; 429 and 503 asked again.
    assert main.requests["HEAD", "/no-head"] == 1 and main.requests["GET", "/no-head"] == 1
    assert main.requests["HEAD", "/busy"] == 2
    assert main.requests["HEAD", "/unavailable"] == 2
    # --strict: the warnings fail the check.
    strict = check(root, "--links-allow-private", "--links-timeout", "1", "--strict")
    assert strict.code == 1


def test_uses_in_bodies_images_and_author_links(tmp_path, web):
    main, _other = web
    dead = main.url("/missing")
    write_files(
        tmp_path,
        {
            AUTHOR: f"---\nname: Ana\nlinks:\n  - {dead}\n---\n\nWrites.\n",
        },
    )
    body = f"Who sanctions whom.\n\nSee [the list]({dead}) and\n![a map]({dead}).\n"
    root = site(tmp_path, [dead], topic_body=body)
    write_files(
        tmp_path,
        {TOPIC: f"---\ntitle: Sanctions\nkey_facts:\n  - 'Listed: [here]({dead})'\n---\n\n" + body},
    )
    result = check(root, "--links-allow-private", "--format", "json")
    found = [json.loads(line) for line in result.out.splitlines()]
    places = [(p["path"], p["line"]) for p in found if p["message"].startswith("dead link")]
    assert places == [(ARTICLE, 6), (AUTHOR, 4), (TOPIC, 4), (TOPIC, 9), (TOPIC, 10)]
    assert main.requests["HEAD", "/missing"] + main.requests["GET", "/missing"] >= 1


def test_the_cache_answers_until_its_age(tmp_path, web):
    main, _other = web
    root = site(tmp_path, [main.url("/ok"), main.url("/gone")])
    first = check(root, "--links-allow-private", "--now", "2024-07-01T12:00")
    assert "links: 2 URLs, 2 asked now, 0 from the cache, 1 dead" in first.err
    again = check(root, "--links-allow-private", "--now", "2024-07-01T13:00")
    assert "links: 2 URLs, 0 asked now, 2 from the cache, 1 dead" in again.err
    assert warnings(again) == warnings(first)
    everything = check(root, "--links-allow-private", "--now", "2024-07-01T13:00", "--links-all")
    assert "links: 2 URLs, 2 asked now, 0 from the cache, 1 dead" in everything.err
    # A day on, the failure is asked again; the good answer is kept for a week.
    later = check(root, "--links-allow-private", "--now", "2024-07-03T12:00")
    assert "links: 2 URLs, 1 asked now, 1 from the cache, 1 dead" in later.err
    week = check(root, "--links-allow-private", "--now", "2024-07-09T12:00")
    assert "links: 2 URLs, 2 asked now, 0 from the cache, 1 dead" in week.err
    kept = json.loads((root / ".dossier-cache" / "links.json").read_text())
    assert kept[main.url("/ok")]["kind"] == "ok"


def test_private_addresses_are_not_requested(tmp_path, web):
    main, _other = web
    before = sum(main.requests.values())
    url = main.url("/ok")
    result = check(site(tmp_path, [url]))
    assert warnings(result) == [
        f"{ARTICLE}:6: warning: not checked: 127.0.0.1 resolves to a private address "
        f"(127.0.0.1); --links-allow-private checks it anyway: {url}"
    ]
    assert sum(main.requests.values()) == before


def test_a_redirect_to_a_private_address_is_not_followed():
    """A public name redirecting to one that resolves to a private address (a fake
    resolver and a fake transport stand for DNS and the public server)."""
    names = {"news.example": ["93.184.216.34"], "intranet.example": ["93.184.216.35", "10.0.0.1"]}
    asked: list[tuple[str, str]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append((request.url.host, request.headers["host"]))
        return httpx.Response(301, headers={"Location": "http://intranet.example/admin"})

    checker = Checker(
        Options(timeout=1),
        now=0.0,
        resolver=lambda host, port: names[host],
        transport=httpx.MockTransport(answer),
    )
    url = "http://news.example/story"
    outcome = asyncio.run(checker.check_all([url]))[url]
    assert message(url, outcome) == (
        "not checked: intranet.example resolves to a private address (10.0.0.1); "
        f"--links-allow-private checks it anyway: {url}"
    )
    # The one request went to the address that was judged, naming the host.
    assert asked == [("93.184.216.34", "news.example")]


def test_one_unsafe_address_is_enough():
    assert first_unsafe(["93.184.216.34", "169.254.169.254"]) == "169.254.169.254"
    assert first_unsafe(["93.184.216.34"]) is None


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.1",
        "172.16.0.1",
        "169.254.169.254",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "fe80::1",
        "fd00:ec2::254",
        "::ffff:127.0.0.1",
        "::",
    ],
)
def test_unsafe_addresses(address):
    assert is_unsafe(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])
def test_public_addresses(address):
    assert not is_unsafe(address)


def test_two_requests_at_most_per_host(tmp_path):
    server = FakeWeb()
    try:
        urls = [server.url(f"/slow/{i}") for i in range(8)]
        result = check(site(tmp_path, urls), "--links-allow-private", "--no-cache")
        assert "links: 8 URLs, 8 asked now, 0 from the cache, 0 dead" in result.err
        assert server.most_at_once == 2
    finally:
        server.close()


def test_body_links_lines():
    md = make_markdown(html=False)
    text = "Intro.\n\n- [a](https://a.example/)\n- <https://b.example/> and\n  ![c](https://c.example/c.png)\n"
    assert list(body_links(md, text, 10)) == [
        ("https://a.example/", 12),
        ("https://b.example/", 13),
        ("https://c.example/c.png", 14),
    ]


def no_network(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"requested {request.url}")


@pytest.mark.parametrize("url", ["http://news.example:99999/x", "http:///x", "http://[::1/x"])
def test_an_address_that_cannot_be_requested(url):
    checker = Checker(
        Options(timeout=1),
        now=0.0,
        resolver=lambda host, port: ["93.184.216.34"],
        transport=httpx.MockTransport(no_network),
    )
    outcome = asyncio.run(checker.check_all([url]))[url]
    assert message(url, outcome) == f"unreachable (not a valid address): {url}"


def test_site_yaml_sets_the_timeout_the_option_overrides(tmp_path, web):
    main, _other = web
    root = site(tmp_path, [main.url("/silent")])
    write_files(root, {"site.yaml": "links: {timeout: 1, concurrency: 2}\n"})
    from_settings = check(root, "--links-allow-private", "--no-cache")
    assert warnings(from_settings) == [
        f"{ARTICLE}:6: warning: unreachable (timeout after 1 s): " + main.url("/silent")
    ]
    from_option = check(root, "--links-allow-private", "--no-cache", "--links-timeout", "0.5")
    assert warnings(from_option) == [
        f"{ARTICLE}:6: warning: unreachable (timeout after 0.5 s): " + main.url("/silent")
    ]


def test_a_dead_source_gets_its_archived_copy_suggested_and_written(tmp_path, web):
    main, _other = web
    urls = [main.url("/missing"), main.url("/ok"), main.url("/gone")]
    root = site(tmp_path, urls, archive=main.url("/available"))
    before = (root / ARTICLE).read_text(encoding="utf-8")
    result = check(root, "--links-allow-private")
    copy = f"https://archive.example/web/20240618120000/{main.url('/missing')}"
    assert (
        f"{ARTICLE}:6: info: archived copy of {main.url('/missing')} from 18 June 2024: {copy}"
        in result.out + result.err
    ), "the capture closest to the article's date"
    assert (root / ARTICLE).read_text(encoding="utf-8") == before, "nothing written unasked"
    written = check(root, "--links-allow-private", "--write-archive")
    assert written.code == 0
    after = (root / ARTICLE).read_text(encoding="utf-8")
    gone = f"https://archive.example/web/20240618120000/{main.url('/gone')}"
    assert after == before.replace(  # quoted as the entry quotes its URL
        f"url: '{main.url('/missing')}'}}", f"url: '{main.url('/missing')}', archive: '{copy}'}}"
    ).replace(f"url: '{main.url('/gone')}'}}", f"url: '{main.url('/gone')}', archive: '{gone}'}}")
    again = check(root, "--links-allow-private")
    assert "info: archived copy" not in again.out + again.err, "an entry with a copy is done"


def test_the_weekly_jobs_format_annotates_each_use(tmp_path, web):
    main, _other = web
    root = site(tmp_path, [main.url("/missing")], archive=main.url("/available"))
    result = check(root, "--links-allow-private", "--format", "github", "-q")
    lines = [
        line
        for line in result.out.splitlines()
        if "missing" in line and "not encrypted" not in line
    ]
    copy = f"https://archive.example/web/20240618120000/{main.url('/missing')}"
    assert sorted(lines) == [
        f"::notice file={ARTICLE},line=6,title=dossier check%3A info::archived copy of "
        f"{main.url('/missing')} from 18 June 2024: {copy}",
        f"::warning file={ARTICLE},line=6,title=dossier check%3A warning::dead link "
        f"(404 Not Found): {main.url('/missing')}",
    ]
    assert "links:" not in result.err, "-q: no summary line"
