"""The live preview's HTTP server: the latest complete build, served from memory.

A build hands over a ``Snapshot`` (output path → bytes) and swapping the snapshot
reference is atomic, so a request during a rebuild gets the last complete build, never a
half-written tree (MkDocs' build epochs). Nothing is read from the file system at request
time (but the reload script, part of the package), so no request path, and no file
replaced by a symbolic link after the build, can reach outside the site. Tabs
listen on a Server-Sent Events channel; each waits on a condition in its own thread, so a
slow or vanished tab never holds up a rebuild or the other tabs. A tab names the page it
shows when it connects (``?page=`` its path), and the server keeps the pages open while
their channels are (``open_pages``): a rebuild renders those first.
"""

from __future__ import annotations

import contextlib
import html
import ipaddress
import re
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from dossierpress.pages.urls import output_of
from dossierpress.preview.http_paths import BadPath, content_type, decode_path
from dossierpress.preview.state import OpenPages, PreviewState, Snapshot

__all__ = ["BadPath", "PreviewServer", "PreviewState", "Snapshot", "content_type", "decode_path"]

CLIENT_JS = Path(__file__).with_name("client.js")
INTERNAL = "__dossier/"  # the server's own URLs, below the site's base path
_LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "[::1]"})
_WILDCARDS = frozenset({"0.0.0.0", "::", ""})
_HOST = re.compile(r"(\[[0-9a-f:.]+\]|[^:\[\]]+)(?::([0-9]*))?")
HANG_UP_POLL = 0.5
"""Seconds between two looks at whether a tab closed its reload channel: how long a
closed tab's page may still count as open."""
_BARE_404 = b'<!doctype html><meta charset="utf-8"><title>Not found</title><h1>Not found</h1>'
# Keep in step with makeOverlay() in preview/client.js, which builds the same box live.
_OVERLAY_STYLE = (
    "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;"
    "box-sizing:border-box;background:rgba(24,24,24,.94);color:#fff;"
    "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-align:left"
)


def overlay_html(errors: Sequence[str]) -> str:
    """The error box shown over every page while the latest build is broken."""
    count = len(errors)
    title = f"Build failed: {count} error{'s' if count != 1 else ''}."
    lines = html.escape("\n".join(errors))
    return (
        f'<div id="__dossier-overlay" role="alertdialog" aria-modal="true" '
        f'aria-labelledby="__dossier-overlay-title" style="{_OVERLAY_STYLE}">'
        f'<p id="__dossier-overlay-title" style="margin:0 0 1em;font-weight:bold">{title} '
        "The preview shows the last good build.</p>"
        f'<pre style="margin:0;white-space:pre-wrap">{lines}</pre></div>'
    )


def inject(page: bytes, snapshot: Snapshot, client_url: str | None) -> bytes:
    """``page`` with the error overlay (if any) and the reload script before ``</body>``."""
    extra = overlay_html(snapshot.errors) if snapshot.errors else ""
    if client_url:
        url = html.escape(client_url)
        extra += f'<script src="{url}" data-epoch="{snapshot.epoch}" defer></script>'
    if not extra:
        return page
    at = page.lower().rfind(b"</body>")
    at = len(page) if at < 0 else at
    return page[:at] + extra.encode() + page[at:]


@dataclass(frozen=True)
class _Config:
    state: PreviewState
    tabs: OpenPages
    base_path: str
    reload: bool
    hosts: frozenset[str]  # acceptable Host names, lower case, IPv6 in brackets
    any_ip: bool  # bound to every interface: any IP literal is a Host of ours
    port: int
    keepalive: float
    stopping: threading.Event
    log: Callable[[str], None] | None

    def host_ok(self, value: str) -> bool:
        """Whether a Host header (or an Origin's host) names this server, so a page on
        some other name (DNS rebinding) cannot read it."""
        match = _HOST.fullmatch(value.strip().lower())
        if match is None:
            return False
        name, port = match.groups()
        if port and port != str(self.port):
            return False
        return name in self.hosts or (self.any_ip and _is_ip(name))


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64
    config: _Config

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the FQDN, which can take seconds; we need none.
        socketserver.TCPServer.server_bind(self)
        host, self.server_port = self.server_address[:2]
        self.server_name = host if isinstance(host, str) else bytes(host).decode()

    def handle_error(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any
    ) -> None:
        """Tabs that go away are normal; anything else is reported, never fatal."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            return
        if self.config.log:
            self.config.log(f"preview server error: {error!r}")
        else:
            super().handle_error(request, client_address)


class _HTTPServer6(_HTTPServer):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"
    default_request_version = "HTTP/1.0"  # so even garbage gets a status line back
    server_version = "DossierPreview"
    timeout = 30
    error_message_format = "%(code)d %(message)s\n"
    error_content_type = "text/plain; charset=utf-8"

    def version_string(self) -> str:
        return self.server_version

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if len(self.requestline.split()) != 3:
            self.send_error(HTTPStatus.BAD_REQUEST, "HTTP/0.9 is not supported")
            return False
        return True

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        log = self.server.config.log
        if log:
            log(f"{self.address_string()} {format % args}")

    def _respond(self, send_body: bool) -> None:
        config = self.server.config
        hosts = self.headers.get_all("Host", [])
        if len(hosts) != 1:
            return self._plain(HTTPStatus.BAD_REQUEST, "one Host header needed", send_body)
        if not config.host_ok(hosts[0]):
            return self._plain(HTTPStatus.FORBIDDEN, "unknown Host header", send_body)
        target = self.requestline.split()[1]  # http.server folds a leading '//': use the raw
        try:
            path = decode_path(target)
        except BadPath:
            return self._plain(HTTPStatus.BAD_REQUEST, "bad path", send_body)
        query = urlsplit(target).query
        if not path.startswith(config.base_path):
            if path + "/" == config.base_path:
                return self._redirect(config.base_path, query)
            return self._not_found(send_body)
        rel = path[len(config.base_path) :]
        if config.reload and rel == INTERNAL + "events":
            return self._events(query, send_body)
        if config.reload and rel == INTERNAL + "client.js":
            return self._send(HTTPStatus.OK, "client.js", CLIENT_JS.read_bytes(), send_body)
        snapshot = config.state.current()
        key = output_of(path, config.base_path)
        value = snapshot.files.get(key)
        if value is None and rel and output_of(path + "/", config.base_path) in snapshot.files:
            return self._redirect(target.partition("?")[0] + "/", query)
        if value is None:
            return self._not_found(send_body)
        self._send_value(HTTPStatus.OK, key, value, snapshot, send_body)

    def _not_found(self, send_body: bool) -> None:
        snapshot = self.server.config.state.current()
        # Without a 404 page of the site's (none built yet, or the first build failed) a
        # bare HTML page still carries the overlay and the reload script.
        page = snapshot.files.get("404.html", _BARE_404)
        self._send_value(HTTPStatus.NOT_FOUND, "404.html", page, snapshot, send_body)

    def _send_value(
        self, status: int, key: str, value: bytes, snapshot: Snapshot, send_body: bool
    ) -> None:
        """Send one snapshot entry: bytes read when its build ran, never a file reopened."""
        config = self.server.config
        if content_type(key).startswith("text/html"):
            client = config.base_path + INTERNAL + "client.js" if config.reload else None
            value = inject(value, snapshot, client)
        self._send(status, key, value, send_body)

    def _send(self, status: int, name: str, body: bytes, send_body: bool) -> None:
        self._head(status, content_type(name), len(body))
        if send_body:
            self.wfile.write(body)

    def _head(self, status: int, ctype: str, length: int, **extra: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(length))
        self.send_header("Cache-Control", "no-store")
        for name, value in extra.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()

    def _plain(self, status: int, text: str, send_body: bool) -> None:
        body = f"{int(status)} {text}\n".encode()
        self._head(status, "text/plain; charset=utf-8", len(body))
        if send_body:
            self.wfile.write(body)

    def _redirect(self, location: str, query: str) -> None:
        self._head(
            HTTPStatus.MOVED_PERMANENTLY,
            "text/plain; charset=utf-8",
            0,
            Location=location + ("?" + query if query else ""),
        )

    def _events(self, query: str, send_body: bool) -> None:
        """The reload channel: Server-Sent Events until the tab or the server goes."""
        config = self.server.config
        origin = self.headers.get("Origin")
        if origin is not None and not _origin_ok(origin, config):
            return self._plain(HTTPStatus.FORBIDDEN, "foreign Origin", send_body)
        epoch = _client_epoch(self.headers.get("Last-Event-ID"), query, config.state)
        if epoch is None:
            return self._plain(HTTPStatus.BAD_REQUEST, "bad epoch", send_body)
        self.close_connection = True
        # The page counts as open from before the answer: once a tab has it, a rebuild
        # renders that page first.
        shown = _page_shown(query, config.base_path) if send_body else None
        with config.tabs.showing(shown):
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()
            if send_body:
                self._stream_events(epoch)

    def _stream_events(self, epoch: int) -> None:
        """Send the events after ``epoch`` as they come, and a comment when none came for
        ``keepalive`` seconds, until the tab closes the channel or the server stops."""
        config = self.server.config
        poll = min(config.keepalive, HANG_UP_POLL)
        quiet_since = time.monotonic()
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while not config.stopping.is_set() and not _hung_up(self.connection):
                events = config.state.wait_events(epoch, poll, config.stopping)
                if events:
                    self.wfile.write(b"".join(event.encode() for event in events))
                    epoch = events[-1].epoch
                    quiet_since = time.monotonic()
                elif time.monotonic() - quiet_since >= config.keepalive:
                    if not config.stopping.is_set():
                        self.wfile.write(b": keep-alive\n\n")
                    quiet_since = time.monotonic()
        except OSError:
            return  # the tab went away


def _origin_ok(origin: str, config: _Config) -> bool:
    try:
        parts = urlsplit(origin)
    except ValueError:  # "http://[x": not an origin of ours, whatever it is
        return False
    return parts.scheme == "http" and not parts.path and config.host_ok(parts.netloc)


def _page_shown(query: str, base_path: str) -> str | None:
    """The output path of the page a tab shows, from its channel's ``page`` parameter
    (the tab's ``location.pathname``, read as a request path is); None when it names
    none, or nothing inside the site."""
    values = parse_qs(query).get("page", [])
    if not values:
        return None
    try:
        return output_of(decode_path(values[-1]), base_path)
    except ValueError:  # BadPath too: a page outside the site is of no interest
        return None


def _hung_up(connection: socket.socket) -> bool:
    """Whether the tab closed its reload channel. A tab sends nothing after its request,
    so a channel with something to read has come to its end (or broke); only writing
    would tell otherwise, and a quiet channel is written to every ``keepalive`` seconds."""
    timeout = connection.gettimeout()
    try:
        connection.settimeout(0.0)
        return connection.recv(1, socket.MSG_PEEK) == b""
    except BlockingIOError:
        return False  # nothing to read: still there
    except OSError:
        return True
    finally:
        with contextlib.suppress(OSError):
            connection.settimeout(timeout)


def _client_epoch(last_id: str | None, query: str, state: PreviewState) -> int | None:
    """The epoch of the page a tab shows: the last event it got, else what it loaded."""
    values = parse_qs(query).get("epoch", [])
    raw = last_id if last_id else values[-1] if values else None
    if raw is None:
        return state.current().epoch
    raw = raw.strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 20 else None


class PreviewServer:
    """Serves a ``PreviewState`` over HTTP in background threads (see the module doc)."""

    def __init__(
        self,
        state: PreviewState,
        host: str = "127.0.0.1",
        port: int = 8000,
        *,
        base_path: str = "/",
        reload: bool = True,
        keepalive: float = 15.0,
        log: Callable[[str], None] | None = None,
    ) -> None:
        if not (base_path.startswith("/") and base_path.endswith("/")):
            raise ValueError(f"base_path must start and end with '/': {base_path!r}")
        self.state = state
        self.host, self.port = host, port
        self.base_path, self.reload = base_path, reload
        self.keepalive, self.log = keepalive, log
        self.tabs = OpenPages()
        """The pages the open tabs show (see ``open_pages``)."""
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    def start(self) -> None:
        """Bind (``port`` 0 picks a free port) and serve in a daemon thread."""
        self._stopping = threading.Event()
        server_class = _HTTPServer6 if ":" in self.host else _HTTPServer
        httpd = server_class((self.host, self.port), _Handler)
        self.port = httpd.server_address[1]
        bound = self.host.lower()
        name = f"[{bound}]" if ":" in bound else bound
        httpd.config = _Config(
            state=self.state,
            tabs=self.tabs,
            base_path=self.base_path,
            reload=self.reload,
            hosts=_LOOPBACK_NAMES | {name} | _machine_names(bound),
            any_ip=bound in _WILDCARDS,
            port=self.port,
            keepalive=self.keepalive,
            stopping=self._stopping,
            log=self.log,
        )
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.name = "dossier-preview-http"
        self._thread.start()

    def open_pages(self) -> frozenset[str]:
        """Output paths of the pages shown in a tab whose reload channel is open now."""
        return self.tabs.current()

    @property
    def url(self) -> str:
        host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(self.host, self.host)
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}{self.base_path}"

    def stop(self) -> None:
        """Close every reload channel, stop accepting requests and free the port."""
        if self._httpd is None or self._thread is None:
            return
        self._stopping.set()
        self.state.wake()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()
        self._httpd = self._thread = None

    def __enter__(self) -> PreviewServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _machine_names(bound: str) -> frozenset[str]:
    """Bound to every interface, the machine's own name is a Host of ours as well."""
    if bound not in _WILDCARDS:
        return frozenset()
    return frozenset({socket.gethostname().lower()})
