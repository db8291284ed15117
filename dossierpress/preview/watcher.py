"""Watching the source for the live preview: debounced batches of changed paths.

Editors save in many ways — writing in place, writing a temporary file and renaming it over
the original (vim, JetBrains, VS Code), leaving swap and backup files — and a ``git
checkout`` touches hundreds of files at once. ``ChangeWatcher`` turns watchdog's events into
paths relative to the source root, keeps those the build reads (``changes.classify`` says
which: it drops editors' scratch files, as the walk that reads the source does) and hands
over one batch once the events pause (``Debouncer``), from a single worker thread, so
rebuilds never overlap and a burst gives one rebuild. A file read while half-written is
simply read again with the next batch, as its last write produces another event.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog import events
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

from dossierpress.engine.changes import SOURCE_FOLDERS, ChangeKind, classify
from dossierpress.interrupt import Interrupted

_log = logging.getLogger(__name__)
_REPORTED = {"created", "modified", "deleted", "moved", "closed", "attrib"}
# What to ask watchdog for: no open/read events, so the build reading files stays silent.
_EVENT_FILTER = [
    event_class
    for name in (
        "FileCreatedEvent",
        "FileModifiedEvent",
        "FileDeletedEvent",
        "FileMovedEvent",
        "FileClosedEvent",
        "FileAttribEvent",  # watchdog 5+: touch
        "DirCreatedEvent",
        "DirDeletedEvent",
        "DirMovedEvent",
    )
    if (event_class := getattr(events, name, None)) is not None
]


class Debouncer:
    """Collects paths until events pause for ``quiet`` seconds, or at most ``longest``
    seconds after the first one; times are passed in, so tests need no clock."""

    def __init__(self, quiet: float = 0.1, longest: float = 1.0) -> None:
        self.quiet = quiet
        self.longest = longest
        self._paths: set[str] = set()
        self._first = 0.0
        self._last = 0.0

    def add(self, paths: Iterable[str], now: float) -> None:
        new = set(paths)
        if not new:
            return
        if not self._paths:
            self._first = now
        self._paths |= new
        self._last = now

    def wait_time(self, now: float) -> float | None:
        """Seconds until the batch is due (0 if due now); None while there is none."""
        if not self._paths:
            return None
        due = min(self._last + self.quiet, self._first + self.longest)
        return max(0.0, due - now)

    def take(self) -> frozenset[str]:
        batch = frozenset(self._paths)
        self._paths.clear()
        return batch


class ChangeWatcher:
    """Calls ``on_change(paths)`` with each debounced batch of changed source paths.

    Paths are POSIX and relative to ``source`` (``content/articles/x.md``, ``site.yaml``).
    A created, deleted or moved folder is reported by its own path (``content/articles/old``):
    treat it as a change of everything below it. A move reports both sides.
    """

    def __init__(
        self,
        source: Path,
        on_change: Callable[[frozenset[str]], object],
        *,
        output: Path | None = None,
        quiet: float = 0.1,
        longest: float = 1.0,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.source = Path(source).resolve()
        self.on_change = on_change
        self.on_error = on_error
        self._output = _relative(self.source, Path(output).resolve()) if output else None
        self._debouncer = Debouncer(quiet, longest)
        self._cond = threading.Condition()
        self._stopping = False
        self._observer = Observer(timeout=0.1)
        self._watches: dict[str, ObservedWatch] = {}
        self._handler = _Handler(self)
        self._worker = threading.Thread(target=self._run, name="dossier-watch", daemon=True)

    def start(self) -> None:
        """Start watching; folders that do not exist yet are picked up when created."""
        self._observer.schedule(self._handler, str(self.source), event_filter=_EVENT_FILTER)
        for folder in SOURCE_FOLDERS:
            self._watch_folder(folder)
        self._observer.start()
        self._worker.start()

    def stop(self) -> None:
        """Stop watching; waits for a batch being handled, drops one not yet due."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._observer.is_alive():
            self._observer.stop()
            self._observer.join()
        if self._worker.is_alive() and self._worker is not threading.current_thread():
            self._worker.join()

    def __enter__(self) -> ChangeWatcher:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _watch_folder(self, folder: str) -> None:
        path = self.source / folder
        if not path.is_dir():
            return
        old = self._watches.pop(folder, None)
        if old is not None:
            with contextlib.suppress(KeyError):  # already gone with the deleted folder
                self._observer.unschedule(old)
        self._watches[folder] = self._observer.schedule(
            self._handler, str(path), recursive=True, event_filter=_EVENT_FILTER
        )

    def relevant(self, relative: str) -> bool:
        """Whether a path (relative to the source) is one the site is built from.

        What a path is to the build is ``classify``'s to say; the watcher adds only that
        the output folder, which may lie inside ``content/``, is never a change (the
        preview's own writes there would otherwise rebuild it again and again).
        """
        if self._output and (relative + "/").startswith(self._output + "/"):
            return False
        return classify(relative) is not ChangeKind.IGNORED

    def _on_event(self, event: events.FileSystemEvent) -> None:
        if event.event_type not in _REPORTED:
            return
        if event.is_directory and event.event_type == "modified":
            return  # a folder's timestamp changes with every file created in it
        sides = [event.src_path]
        if event.event_type == "moved":
            sides.append(event.dest_path)
        paths = []
        for side in sides:
            relative = _relative(self.source, Path(os.fsdecode(side)))
            if relative is not None and self.relevant(relative):
                paths.append(relative)
                if event.is_directory and relative in SOURCE_FOLDERS:
                    self._watch_folder(relative)  # content/ or layouts/ (re)created
        if paths:
            with self._cond:
                self._debouncer.add(paths, time.monotonic())
                self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                while True:
                    if self._stopping:
                        return
                    wait = self._debouncer.wait_time(time.monotonic())
                    if wait == 0.0:
                        batch = self._debouncer.take()
                        break
                    self._cond.wait(wait)
            self._deliver(batch)

    def _deliver(self, batch: frozenset[str]) -> None:
        try:
            self.on_change(batch)
        except Interrupted:  # the process is stopping (``interrupt.StopRequest``)
            return
        except Exception as exc:  # a failing rebuild must not end the watching
            if self.on_error:
                self.on_error(exc)
            else:
                _log.exception("handling changes to %s failed", ", ".join(sorted(batch)))


class _Handler(events.FileSystemEventHandler):
    def __init__(self, watcher: ChangeWatcher) -> None:
        self._watcher = watcher

    def dispatch(self, event: events.FileSystemEvent) -> None:
        self._watcher._on_event(event)


def _relative(root: Path, path: Path) -> str | None:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return None
