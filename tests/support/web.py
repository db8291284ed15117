"""Small HTTP servers on 127.0.0.1 standing for the web in ``check --links`` tests."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

Route = tuple[int, dict[str, str]]


class FakeWeb:
    """A server whose paths each answer as a kind of site does; ``requests`` counts
    (method, path), ``most_at_once`` the most requests it handled at the same time."""

    def __init__(self, other: str = "") -> None:
        self.other = other
        self.requests: Counter[tuple[str, str]] = Counter()
        self.lock = threading.Lock()
        self.at_once = 0
        self.most_at_once = 0
        web = self

        class Handler(BaseHTTPRequestHandler):
            def do_HEAD(self) -> None:
                web.answer(self, "HEAD")

            def do_GET(self) -> None:
                web.answer(self, "GET")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, method: str, path: str, seen: int) -> Route:
        if path == "/ok":
            return 200, {}
        if path == "/missing":
            return 404, {}
        if path == "/gone":
            return 410, {}
        if path == "/moved":
            return 301, {"Location": "/ok"}
        if path == "/moved-dead":
            return 301, {"Location": "/missing"}
        if path == "/for-now":
            return 302, {"Location": "/ok"}
        if path == "/elsewhere":
            return 308, {"Location": self.other}
        if path == "/busy":
            return (429, {"Retry-After": "1"}) if seen == 1 else (200, {})
        if path == "/unavailable":
            return (503, {"Retry-After": "0"}) if seen == 1 else (200, {})
        if path == "/no-head":
            return (405, {}) if method == "HEAD" else (200, {})
        if path == "/silent":
            time.sleep(3)
            return 200, {}
        if path.startswith("/slow/"):
            time.sleep(0.3)
            return 200, {}
        return 404, {}

    def availability(self, handler: BaseHTTPRequestHandler) -> None:
        """A stand-in for a web archive's availability API: a copy of every address
        whose path ends in ``/missing`` or ``/gone``, taken on the day asked."""
        query = parse_qs(urlsplit(handler.path).query)
        url, stamp = query.get("url", [""])[0], query.get("timestamp", [""])[0]
        found = {}
        if url.endswith(("/missing", "/gone")):
            copy = f"https://archive.example/web/{stamp}120000/{url}"
            found = {"closest": {"available": True, "url": copy, "timestamp": stamp + "120000"}}
        body = json.dumps({"url": url, "archived_snapshots": found}).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def answer(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        if handler.path.startswith("/available?"):
            with self.lock:
                self.requests[method, "/available"] += 1
            self.availability(handler)
            return
        with self.lock:
            self.requests[method, handler.path] += 1
            seen = sum(n for (_m, p), n in self.requests.items() if p == handler.path)
            self.at_once += 1
            self.most_at_once = max(self.most_at_once, self.at_once)
        try:
            status, headers = self.route(method, handler.path, seen)
            handler.send_response(status)
            for name, value in headers.items():
                handler.send_header(name, value)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
        finally:
            with self.lock:
                self.at_once -= 1

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def closed_port() -> int:
    """A port nothing listens on (bound, then let go)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
