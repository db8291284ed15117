"""Talking to the preview server as a browser (or an attacker) does: over raw sockets."""

from __future__ import annotations

import json
import socket

from dossierpress.preview.server import PreviewServer


def request(server: PreviewServer, head: str, extra: bytes = b"") -> tuple[int, dict, bytes]:
    """Send raw bytes (no client library to tidy the path) and read the whole answer."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(head.encode("latin-1") + extra)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return parse(data)


def parse(data: bytes) -> tuple[int, dict, bytes]:
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), headers, body


def get(server: PreviewServer, path: str, host: str | None = None, method: str = "GET"):
    host = host if host is not None else f"127.0.0.1:{server.port}"
    return request(server, f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")


class EventStream:
    """A raw Server-Sent Events connection, read event by event."""

    def __init__(
        self,
        server: PreviewServer,
        query: str = "?epoch=1",
        headers: str = "",
        path: str = "/__dossier/events",
    ) -> None:
        self.sock = socket.create_connection(("127.0.0.1", server.port), timeout=3)
        self.sock.sendall(
            f"GET {path}{query} HTTP/1.1\r\nHost: localhost:{server.port}\r\n{headers}\r\n".encode()
        )
        self.buffer = b""
        head = self._until(b"\r\n\r\n")
        self.status, self.headers, _ = parse(head + b"\r\n\r\n")

    def _until(self, mark: bytes) -> bytes:
        while mark not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError(self.buffer)
            self.buffer += chunk
        item, _, self.buffer = self.buffer.partition(mark)
        return item

    def next_event(self) -> tuple[str, dict]:
        """The next named event (skipping the retry hint and keep-alive comments)."""
        while True:
            fields = dict(
                line.split(": ", 1) for line in self._until(b"\n\n").decode().splitlines()
            )
            if "event" in fields:
                return fields["event"], json.loads(fields["data"])

    def close(self) -> None:
        self.sock.close()
