"""The preview server, tested as a browser (or an attacker) meets it: over real sockets."""

from __future__ import annotations

import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dossierpress.preview.server import (
    HANG_UP_POLL,
    PreviewServer,
    PreviewState,
    Snapshot,
    decode_path,
)

from .support.http import EventStream, get, request
from .support.preview import eventually

SECRET = b"TOP-SECRET-beside-the-asset"
HOME = b"<!doctype html><html><body><p>Home</p></body></html>"


def site_files(tmp_path: Path) -> dict[str, bytes]:
    (tmp_path / "secret.txt").write_bytes(SECRET)  # beside the site, not in it
    return {
        "index.html": HOME,
        "2024/06/x/index.html": b"<html><BODY><h1>X</h1></BODY></html>",
        "bare.html": b"<p>no body tag</p>",
        "404.html": b"<html><body><h1>Lost</h1></body></html>",
        "files/report.txt": b"public report\n",
        "static/style.css": b"body{}",
        "static/app.js": b"1;",
        "feed.xml": b"<feed/>",
        "atom.atom": b"<feed/>",
        "img/a.png": b"\x89PNG",
        "img/a.jpg": b"\xff\xd8",
        "img/a.webp": b"RIFF",
        "img/a.gif": b"GIF8",
        "img/a.svg": b"<svg/>",
        "favicon.ico": b"\0\0",
        "search.json": b"{}",
        "robots.txt": b"User-agent: *\n",
        "blob.bin": b"\0",
    }


@pytest.fixture
def state(tmp_path: Path) -> PreviewState:
    return PreviewState(Snapshot(1, site_files(tmp_path)))


@pytest.fixture
def server(state: PreviewState) -> Iterator[PreviewServer]:
    with PreviewServer(state, port=0, keepalive=0.2) as running:
        yield running


def client_tag(epoch: int, base: str = "/") -> bytes:
    return f'<script src="{base}__dossier/client.js" data-epoch="{epoch}" defer></script>'.encode()


# -- Paths ------------------------------------------------------------------------------


def test_pages_are_served_with_the_reload_script_before_body_end(server: PreviewServer) -> None:
    status, headers, body = get(server, "/")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert body == HOME.replace(b"</body>", client_tag(1) + b"</body>")
    assert int(headers["content-length"]) == len(body)
    _, _, article = get(server, "/2024/06/x/")
    assert article.endswith(client_tag(1) + b"</BODY></html>")
    _, _, bare = get(server, "/bare.html")
    assert bare == b"<p>no body tag</p>" + client_tag(1)


def test_without_reload_pages_are_served_as_built(state: PreviewState) -> None:
    with PreviewServer(state, port=0, reload=False) as server:
        assert get(server, "/")[2] == HOME
        assert get(server, "/__dossier/client.js")[0] == 404
        assert get(server, "/__dossier/events")[0] == 404


def test_a_folder_without_slash_redirects(server: PreviewServer) -> None:
    status, headers, _ = get(server, "/2024/06/x?from=feed")
    assert status == 301
    assert headers["location"] == "/2024/06/x/?from=feed"


def test_unknown_paths_get_the_sites_404_page(server: PreviewServer, state: PreviewState) -> None:
    status, headers, body = get(server, "/no/such/page/")
    assert status == 404
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert body.startswith(b"<html><body><h1>Lost</h1>") and client_tag(1) in body


def test_without_a_404_page_a_bare_one_still_shows_errors_and_reloads(
    server: PreviewServer, state: PreviewState
) -> None:
    state.publish(Snapshot(2, {}, ("site.yaml:1: error: broken",)))  # the first build failed
    status, headers, body = get(server, "/")
    assert (status, headers["content-type"]) == (404, "text/html; charset=utf-8")
    assert b"site.yaml:1: error: broken" in body and client_tag(2) in body


def test_head_sends_the_headers_of_get_without_body(server: PreviewServer) -> None:
    status, headers, body = get(server, "/", method="HEAD")
    assert (status, body) == (200, b"")
    assert headers["content-length"] == get(server, "/")[1]["content-length"]


def test_files_of_the_snapshot_are_served_with_their_type(server: PreviewServer) -> None:
    status, headers, body = get(server, "/files/report.txt")
    assert (status, body) == (200, b"public report\n")
    assert headers["content-type"] == "text/plain; charset=utf-8"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/../etc/passwd", 400),
        ("/../secret.txt", 400),
        ("/%2e%2e/%2e%2e/etc/passwd", 400),
        ("/%2E%2E/secret.txt", 400),
        ("/..%2fsecret.txt", 400),
        ("/files/..%2f..%2fsecret.txt", 400),
        ("/files/%2e%2e/secret.txt", 400),
        ("/files/report.txt/../secret.txt", 400),
        ("/files/./secret.txt", 400),
        ("//etc/passwd", 400),
        ("/files//secret.txt", 400),
        ("/a\\..\\b", 400),
        ("/files\\..\\secret.txt", 400),
        ("/%5c..%5csecret.txt", 400),
        ("/x%00.html", 400),
        ("/files/report.txt%00", 400),
        ("/files/report.txt%0a", 400),
        ("/%c0%ae%c0%ae/secret.txt", 400),  # overlong UTF-8 for '..'
        ("/%e0%80%ae%e0%80%ae/secret.txt", 400),
        ("/%ff", 400),
        ("/%zz", 400),
        ("/%2", 400),
        ("http://evil.example/secret.txt", 400),
        ("*", 400),
        ("/%252e%252e/secret.txt", 404),  # decoded once: a literal '%2e%2e' folder
        ("/files/secret.txt", 404),  # exists on disk beside a served file, not in the site
        ("/secret.txt", 404),
    ],
)
def test_no_path_reaches_outside_the_snapshot(
    server: PreviewServer, path: str, expected: int
) -> None:
    status, _, body = get(server, path)
    assert status == expected
    assert SECRET not in body


def test_decode_path_decodes_once() -> None:
    assert decode_path("/caf%C3%A9/?q=%2e%2e") == "/café/"
    assert decode_path("/%2541") == "/%41"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/static/style.css", "text/css; charset=utf-8"),
        ("/static/app.js", "text/javascript; charset=utf-8"),
        ("/feed.xml", "application/xml"),
        ("/atom.atom", "application/atom+xml"),
        ("/img/a.png", "image/png"),
        ("/img/a.jpg", "image/jpeg"),
        ("/img/a.webp", "image/webp"),
        ("/img/a.gif", "image/gif"),
        ("/img/a.svg", "image/svg+xml"),
        ("/favicon.ico", "image/vnd.microsoft.icon"),
        ("/search.json", "application/json"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/blob.bin", "application/octet-stream"),
        ("/__dossier/client.js", "text/javascript; charset=utf-8"),
    ],
)
def test_content_types(server: PreviewServer, path: str, expected: str) -> None:
    status, headers, body = get(server, path)
    assert (status, headers["content-type"]) == (200, expected)
    assert headers["cache-control"] == "no-store"
    assert headers["x-content-type-options"] == "nosniff"
    assert client_tag(1) not in body


def test_base_path_prefixes_the_site_and_the_client(state: PreviewState) -> None:
    with PreviewServer(state, port=0, base_path="/dossiers/") as server:
        assert server.url == f"http://127.0.0.1:{server.port}/dossiers/"
        status, _, body = get(server, "/dossiers/")
        assert status == 200 and client_tag(1, "/dossiers/") in body
        assert get(server, "/dossiers/__dossier/client.js")[0] == 200
        assert get(server, "/dossiers")[1]["location"] == "/dossiers/"
        assert get(server, "/index.html")[0] == 404


# -- Who may ask ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:{port}", "localhost:1", "127.0.0.1.evil.example", ""]
)
def test_foreign_host_headers_are_refused(server: PreviewServer, host: str) -> None:
    status, headers, body = get(server, "/", host=host.format(port=server.port))
    assert status == 403
    assert headers["content-type"] == "text/plain; charset=utf-8"
    assert b"Home" not in body


@pytest.mark.parametrize(
    "host",
    ["localhost:{port}", "LOCALHOST:{port}", "127.0.0.1:{port}", "[::1]:{port}", "localhost"],
)
def test_own_host_names_are_accepted(server: PreviewServer, host: str) -> None:
    assert get(server, "/", host=host.format(port=server.port))[0] == 200


def test_a_request_without_one_host_is_refused(server: PreviewServer) -> None:
    assert request(server, "GET / HTTP/1.0\r\n\r\n")[0] == 400
    twice = "GET / HTTP/1.0\r\nHost: localhost\r\nHost: evil.example\r\n\r\n"
    assert request(server, twice)[0] == 400


def test_a_wildcard_bind_accepts_ip_literals_but_not_names(state: PreviewState) -> None:
    with PreviewServer(state, host="0.0.0.0", port=0) as server:
        assert get(server, "/", host=f"192.168.1.20:{server.port}")[0] == 200
        assert get(server, "/", host=f"evil.example:{server.port}")[0] == 403


def test_no_cors_headers_are_ever_sent(server: PreviewServer) -> None:
    for path in ("/", "/static/style.css", "/missing", "/../x"):
        _, headers, _ = get(server, path)
        assert not [name for name in headers if name.startswith("access-control-")]


# -- Malformed requests -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"GARBAGE\r\n\r\n", 400),
        (b"GET /\r\n\r\n", 400),  # HTTP/0.9
        (b"GET / HTTP/1.1 extra\r\n\r\n", 400),
        (b"GET / FTP/1.0\r\n\r\n", 400),
        (b"GET / HTTP/9.9\r\n\r\n", 505),
        (b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n", 501),
        (b"DELETE / HTTP/1.1\r\nHost: localhost\r\n\r\n", 501),
        (b"GET / HTTP/1.1\r\nHost: localhost\r\nX: " + b"a" * 70000 + b"\r\n\r\n", 431),
        (b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * 150 + b"\r\n", 431),
        (b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n", 414),
    ],
)
def test_malformed_requests_are_answered_and_the_server_goes_on(
    server: PreviewServer, raw: bytes, expected: int
) -> None:
    status, _, _ = request(server, "", raw)
    assert status == expected
    assert get(server, "/")[0] == 200


def test_a_vanished_client_does_not_disturb_the_server(server: PreviewServer) -> None:
    sock = socket.create_connection(("127.0.0.1", server.port))
    sock.sendall(b"GET / HTTP/1.1\r\nHo")
    sock.close()
    assert get(server, "/")[0] == 200


# -- The reload channel -----------------------------------------------------------------


def publish(state: PreviewState, epoch: int, errors: tuple[str, ...] = (), **kwargs) -> None:
    state.publish(Snapshot(epoch, state.current().files, errors), **kwargs)


def test_events_stream_headers(server: PreviewServer) -> None:
    stream = EventStream(server)
    assert stream.status == 200
    assert stream.headers["content-type"] == "text/event-stream"
    assert stream.headers["cache-control"] == "no-cache"
    stream.close()


def test_publish_sends_reload_with_what_changed(server: PreviewServer, state) -> None:
    stream = EventStream(server)
    publish(state, 2, changed=["/2024/06/x/"], removed={"/old/": "/topics/t/"}, navigate="/a/")
    assert stream.next_event() == (
        "reload",
        {"epoch": 2, "every": False, "changed": ["/2024/06/x/"],
         "removed": {"/old/": "/topics/t/"}, "navigate": "/a/"},
    )  # fmt: skip
    publish(state, 3, css_only=True)
    assert stream.next_event() == ("css", {"epoch": 3})
    stream.close()


def test_errors_then_ok(server: PreviewServer, state: PreviewState) -> None:
    stream = EventStream(server)
    line = "content/articles/x.md:3: error: <script> is not a date"
    publish(state, 2, errors=(line,))
    assert stream.next_event() == ("errors", {"epoch": 2, "errors": [line]})
    _, _, page = get(server, "/")
    assert b'role="alertdialog"' in page
    assert b"content/articles/x.md:3: error: &lt;script&gt; is not a date" in page
    assert b"<script> is not" not in page
    publish(state, 3, changed=["/"])
    assert stream.next_event() == (
        "ok", {"epoch": 3, "every": False, "changed": ["/"], "removed": {}, "navigate": None}
    )  # fmt: skip
    assert b"alertdialog" not in get(server, "/")[2]
    stream.close()


def test_a_tab_that_connects_late_catches_up(server: PreviewServer, state) -> None:
    publish(state, 2, changed=["/"])
    publish(state, 3, css_only=True)
    stream = EventStream(server, "?epoch=1")
    assert stream.next_event()[0] == "reload"
    assert stream.next_event() == ("css", {"epoch": 3})
    stream.close()
    resumed = EventStream(server, "?epoch=1", "Last-Event-ID: 2\r\n")  # reconnection
    assert resumed.next_event() == ("css", {"epoch": 3})
    resumed.close()


def test_a_page_from_an_earlier_server_run_reloads(server: PreviewServer) -> None:
    stream = EventStream(server, "?epoch=9999")
    assert stream.next_event() == (
        "reload", {"epoch": 1, "every": True, "changed": [], "removed": {}, "navigate": None}
    )  # fmt: skip
    stream.close()


def test_keep_alive_comments_are_sent(server: PreviewServer) -> None:
    stream = EventStream(server)
    stream.sock.settimeout(2)
    while b": keep-alive\n\n" not in stream.buffer:
        stream.buffer += stream.sock.recv(1024)
    stream.close()


@pytest.mark.parametrize(
    "origin", ["http://evil.example", "null", "https://localhost:{port}", "http://[::1"]
)
def test_events_refuse_a_foreign_origin(server: PreviewServer, origin: str) -> None:
    stream = EventStream(server, headers=f"Origin: {origin.format(port=server.port)}\r\n")
    assert stream.status == 403
    stream.close()


def test_events_accept_the_servers_own_origin(server: PreviewServer) -> None:
    stream = EventStream(server, headers=f"Origin: http://localhost:{server.port}\r\n")
    assert stream.status == 200
    stream.close()


def test_bad_epoch_is_refused(server: PreviewServer) -> None:
    stream = EventStream(server, "?epoch=abc")
    assert stream.status == 400
    stream.close()


def test_a_stalled_tab_blocks_neither_publish_nor_other_tabs(server: PreviewServer, state) -> None:
    stalled = EventStream(server)
    stalled.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
    gone = EventStream(server)
    gone.close()
    lively = EventStream(server)
    bulky = [f"/{i}/" + "x" * 1000 for i in range(100)]  # 100 kB an event: fills buffers
    started = time.monotonic()
    for epoch in range(2, 42):
        publish(state, epoch, changed=bulky)
    assert time.monotonic() - started < 1.0
    for epoch in range(2, 42):
        assert lively.next_event()[1]["epoch"] == epoch
    assert get(server, "/")[0] == 200
    stalled.close()
    lively.close()


# -- The pages open in tabs -------------------------------------------------------------


def test_the_server_knows_the_pages_open_in_tabs_and_forgets_closed_ones(
    server: PreviewServer,
) -> None:
    article = EventStream(server, "?epoch=1&page=/2024/06/x/")
    home = EventStream(server, "?epoch=1&page=/")
    home_again = EventStream(server, "?epoch=1&page=/index.html")  # a second tab on it
    assert server.open_pages() == {"2024/06/x/index.html", "index.html"}
    home.close()
    time.sleep(1.0)  # five looks at each channel (keepalive 0.2 s): the other tab stays
    assert server.open_pages() == {"2024/06/x/index.html", "index.html"}
    home_again.close()
    eventually(lambda: server.open_pages() == {"2024/06/x/index.html"})
    article.close()
    eventually(lambda: not server.open_pages())


def test_a_closed_tab_is_forgotten_without_waiting_for_a_keep_alive(state: PreviewState) -> None:
    with PreviewServer(state, port=0, keepalive=60) as server:
        stream = EventStream(server, "?epoch=1&page=/2024/06/x/")
        assert server.open_pages() == {"2024/06/x/index.html"}
        stream.close()
        eventually(lambda: not server.open_pages(), timeout=4 * HANG_UP_POLL)


@pytest.mark.parametrize(
    ("page", "output"),
    [
        ("/base/", "index.html"),
        ("/base/2024/06/x/", "2024/06/x/index.html"),
        ("/base/feed.xml", "feed.xml"),
        ("/base/caf%25C3%25A9/", "café/index.html"),  # location.pathname, encoded again
        ("/other/", None),
        ("/base/../secret.txt", None),
        ("/base/%252e%252e/x", None),
        ("http://evil.example/base/", None),
        ("", None),
    ],
)
def test_a_tabs_page_is_read_as_a_request_path(state: PreviewState, page, output) -> None:
    with PreviewServer(state, port=0, base_path="/base/") as server:
        stream = EventStream(server, f"?epoch=1&page={page}", path="/base/__dossier/events")
        assert stream.status == 200  # a page of no interest still gets its events
        assert server.open_pages() == ({output} if output else set())
        stream.close()


def test_a_tab_that_names_no_page_opens_none(server: PreviewServer) -> None:
    stream = EventStream(server)
    assert server.open_pages() == set()
    stream.close()


def test_publish_refuses_an_epoch_that_is_not_newer(state: PreviewState) -> None:
    with pytest.raises(ValueError, match="epoch 1 is not after 1"):
        state.publish(Snapshot(1, {}))


def test_stop_ends_open_streams_and_frees_the_port(state: PreviewState) -> None:
    server = PreviewServer(state, port=0)
    server.start()
    stream = EventStream(server)
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 2
    stream.sock.settimeout(2)
    while stream.sock.recv(1024):
        pass  # drains to end of stream: the server closed it
    stream.close()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", server.port), timeout=1)


# -- The client script in a real browser ------------------------------------------------


def chromium_driver():
    """Headless Chromium from the system packages, or a skip saying what is missing."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    chromedriver = shutil.which("chromedriver")
    if not (chromium and chromedriver):
        pytest.skip("needs Debian's chromium and chromium-driver packages")
    webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless", "--no-sandbox", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    return webdriver.Chrome(options=options, service=Service(executable_path=chromedriver))


def page(title: str) -> bytes:
    return (
        '<!doctype html><html><head><link rel="stylesheet" href="/static/style.css"></head>'
        f'<body><h1>{title}</h1><div style="height:5000px"></div></body></html>'
    ).encode()


def test_the_client_reloads_swaps_styles_shows_errors_and_follows(tmp_path: Path) -> None:
    files: dict[str, bytes | Path] = {
        "a/index.html": page("Version 1"),
        "topics/t/index.html": page("Topic"),
        "b/index.html": page("Other"),
        "static/style.css": b"h1 { color: rgb(0, 0, 255) }",
    }
    state = PreviewState(Snapshot(1, files))
    driver = chromium_driver()
    try:
        with PreviewServer(state, port=0) as server:
            run_client_scenario(driver, server, state, files)
    finally:
        driver.quit()


def run_client_scenario(driver, server: PreviewServer, state: PreviewState, files) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    def until(condition: str) -> None:
        WebDriverWait(driver, 5, poll_frequency=0.05).until(
            lambda d: d.execute_script(f"return {condition}")
        )

    def republish(epoch: int, errors: tuple[str, ...] = (), **kwargs) -> None:
        state.publish(Snapshot(epoch, dict(files), errors), **kwargs)

    driver.get(server.url + "a/")
    until("document.readyState === 'complete'")
    # The browser's own scroll restoration off: the client has to keep the place itself.
    driver.execute_script("history.scrollRestoration = 'manual'; window.scrollTo(0, 1234)")
    files["a/index.html"] = page("Version 2")
    republish(2, changed=["/a/"])
    until("document.querySelector('h1').textContent === 'Version 2'")
    until("window.scrollY === 1234")  # the update kept the reader's place

    driver.execute_script("window.marker = 1")
    files["static/style.css"] = b"h1 { color: rgb(255, 0, 0) }"
    republish(3, css_only=True)
    until("getComputedStyle(document.querySelector('h1')).color === 'rgb(255, 0, 0)'")
    republish(4, errors=("content/articles/a.md:2: error: <b>bad</b> date",))
    until("document.getElementById('__dossier-overlay') !== null")
    text = driver.execute_script("return document.getElementById('__dossier-overlay').innerText")
    assert "content/articles/a.md:2: error: <b>bad</b> date" in text  # shown as text
    assert driver.execute_script("return window.marker") == 1  # no reload so far

    files["a/index.html"] = page("Version 3")
    republish(5, changed=["/b/"])  # fixed: the overlay goes and the page is patched in place
    until("document.getElementById('__dossier-overlay') === null")
    until("document.querySelector('h1').textContent === 'Version 3'")
    assert driver.execute_script("return window.marker") == 1
    republish(6, changed=["/b/"])  # another page: this tab stays as it is
    time.sleep(0.3)
    assert driver.execute_script("return window.marker") == 1

    republish(7, removed={"/a/": "/topics/t/"})
    until("location.pathname === '/topics/t/'")
    republish(8, changed=["/b/"], navigate="/b/")
    until("location.pathname === '/b/'")

    # A stylesheet the page loads changed, with other pages but not this one (which may
    # have been told of first): only a reload shows the page with it.
    until("document.readyState === 'complete'")
    driver.execute_script("window.marker = 2")
    files["static/style.css"] = b"h1 { color: rgb(0, 128, 0) }"
    republish(9, changed=["/static/style.css", "/a/"])
    until("window.marker === undefined && document.readyState === 'complete'")
    until("getComputedStyle(document.querySelector('h1')).color === 'rgb(0, 128, 0)'")
