"""Running a real preview (watcher, engine, server) on a copy of a fixture site."""

from __future__ import annotations

import http.client
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from dossierpress.preview.session import PreviewSession, ServeOptions

from .files import replace_once
from .http import EventStream

T = TypeVar("T")

ARTICLE = "content/articles/2024/second-meeting.md"
ARTICLE_URL = "/2024/06/second-meeting/"


@dataclass
class Preview:
    session: PreviewSession
    source: Path
    logs: list[str]

    def fetch(self, path: str) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.session.server.port, timeout=5)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8")
        finally:
            connection.close()

    def page(self, path: str) -> str:
        status, body = self.fetch(path)
        assert status == 200, f"{path} answered {status}"
        return body

    def edit(self, rel: str, old: str, new: str) -> None:
        replace_once(self.source / rel, old, new)

    def events(self, page: str | None = None) -> EventStream:
        """The reload channel as a tab showing the current build opens it: a tab showing
        ``page`` (its URL path), or a listener that names none."""
        query = f"?epoch={self.session.state.current().epoch}"
        return EventStream(self.session.server, query + (f"&page={page}" if page else ""))

    def rebuilds(self) -> list[str]:
        return [line for line in self.logs if line.startswith("Rebuilt ")]


def eventually(check: Callable[[], T], timeout: float = 5.0) -> T:
    """``check()``'s first truthy result, polling until ``timeout`` (the watcher debounces)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            assert result, f"still false after {timeout} s"
            return result
        time.sleep(0.02)


class _Collect(logging.Handler):
    def __init__(self, lines: list[str]) -> None:
        super().__init__(logging.DEBUG)
        self.lines = lines

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


_collectors: list[logging.Handler] = []


def record_messages(lines: list[str]) -> None:
    """Collect what the preview logs (the lines a terminal would show) into ``lines``."""
    handler = _Collect(lines)
    _collectors.append(handler)
    logger = logging.getLogger("dossierpress")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)


def stop_recording() -> None:
    logger = logging.getLogger("dossierpress")
    while _collectors:
        logger.removeHandler(_collectors.pop())
    logger.setLevel(logging.NOTSET)


def start_preview(source: Path, sessions: list[PreviewSession], **options: object) -> Preview:
    """Start a preview of ``source`` on a free port; ``sessions`` collects it for stopping."""
    logs: list[str] = []
    session = PreviewSession(ServeOptions(source=source, port=0, **options))
    sessions.append(session)
    record_messages(logs)
    session.start()
    return Preview(session, source, logs)
