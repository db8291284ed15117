"""What the live preview serves and what it has told the open tabs.

A ``Snapshot`` is one build; ``PreviewState`` holds the current one (swapping the
reference is atomic, so a request during a rebuild gets the last build published: MkDocs'
build epochs) and the recent events, so a tab that connects late, or reconnects, catches
up from the epoch of the page it shows. ``OpenPages`` is what the tabs show, as their
event streams say, so a rebuild can render those pages first.
"""

from __future__ import annotations

import json
import threading
from collections import Counter, deque
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import MappingProxyType

_NO_REMOVALS: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class Snapshot:
    """One build: a complete one, or the last complete one with the pages a rebuild
    rendered first (the open ones) until the rest is rendered. ``errors`` holds the
    ``path:line: error: message`` lines of the latest *failed* build; ``files`` are then
    those of the last good one."""

    epoch: int
    files: Mapping[str, bytes]
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Event:
    epoch: int
    name: str
    data: str

    def encode(self) -> bytes:
        return f"id: {self.epoch}\nevent: {self.name}\ndata: {self.data}\n\n".encode()


class PreviewState:
    """The current snapshot, and what each publish told the tabs (so a tab that connects
    late, or reconnects, catches up from the epoch of the page it shows)."""

    def __init__(self, snapshot: Snapshot | None = None, *, history: int = 64) -> None:
        self._snapshot = snapshot or Snapshot(0, MappingProxyType({}))
        self._events: deque[_Event] = deque()
        self._history = history
        self._known_from = self._snapshot.epoch  # events after this epoch are kept
        self._cond = threading.Condition()

    def current(self) -> Snapshot:
        return self._snapshot

    def publish(
        self,
        snapshot: Snapshot,
        *,
        changed: Sequence[str] = (),
        removed: Mapping[str, str] = _NO_REMOVALS,
        css_only: bool = False,
        navigate: str | None = None,
    ) -> None:
        """Make ``snapshot`` the one served and wake every waiting tab.

        ``changed``: URLs of pages whose output changed, where none means every page
        (the event says so in so many words, ``every``, so the tabs infer nothing);
        ``removed``: URL of a page that is gone → URL of the nearest page that exists;
        ``css_only``: only stylesheets changed; ``navigate``: URL the tabs should follow.
        """
        with self._cond:
            previous = self._snapshot
            if snapshot.epoch <= previous.epoch:
                raise ValueError(f"epoch {snapshot.epoch} is not after {previous.epoch}")
            event = _event_for(previous, snapshot, changed, removed, css_only, navigate)
            self._snapshot = snapshot
            self._events.append(event)
            if len(self._events) > self._history:
                self._known_from = self._events.popleft().epoch
            self._cond.notify_all()

    def wait_events(self, epoch: int, timeout: float, stop: threading.Event) -> list[_Event]:
        """The events a tab at ``epoch`` has missed, waiting up to ``timeout`` for one."""
        with self._cond:
            self._cond.wait_for(
                lambda: self._snapshot.epoch != epoch or stop.is_set(), timeout=timeout
            )
            current = self._snapshot.epoch
            if epoch == current or stop.is_set():
                return []
            if self._known_from <= epoch < current:
                return [e for e in self._events if e.epoch > epoch]
            # A page from before the history, or from an earlier run of the server.
            return [_Event(current, "reload", _reload_data(current, (), {}, None))]

    def wake(self) -> None:
        with self._cond:
            self._cond.notify_all()


def _event_for(
    previous: Snapshot,
    snapshot: Snapshot,
    changed: Sequence[str],
    removed: Mapping[str, str],
    css_only: bool,
    navigate: str | None,
) -> _Event:
    epoch = snapshot.epoch
    if snapshot.errors:
        return _Event(epoch, "errors", json.dumps({"epoch": epoch, "errors": snapshot.errors}))
    if previous.errors:  # fixed: the tabs drop the overlay and reload
        return _Event(epoch, "ok", _reload_data(epoch, changed, removed, navigate))
    if css_only:
        return _Event(epoch, "css", json.dumps({"epoch": epoch}))
    return _Event(epoch, "reload", _reload_data(epoch, changed, removed, navigate))


def _reload_data(
    epoch: int, changed: Sequence[str], removed: Mapping[str, str], navigate: str | None
) -> str:
    """A ``reload`` or ``ok`` event's data. ``every``: no page is named, so every page may
    have changed (a tab from an earlier run of the server, say) and each tab loads itself
    again, stylesheets and images with it, rather than patching."""
    data = {
        "epoch": epoch,
        "every": not changed,
        "changed": sorted(set(changed)),
        "removed": dict(sorted(removed.items())),
        "navigate": navigate,
    }
    return json.dumps(data)


class OpenPages:
    """The output paths of the pages open in a tab, as their event streams name them.

    Several tabs may show the same page: each stream counts once, and a page stays open
    until the last of its streams is gone. Safe to use from any thread (each stream is
    served by a thread of its own; the rebuild asks from the watcher's).
    """

    def __init__(self) -> None:
        self._count: Counter[str] = Counter()
        self._lock = threading.Lock()

    @contextmanager
    def showing(self, output: str | None) -> Iterator[None]:
        """While the block runs, a tab shows ``output`` (None: a page of no interest)."""
        if output is None:
            yield
            return
        with self._lock:
            self._count[output] += 1
        try:
            yield
        finally:
            with self._lock:
                self._count[output] -= 1
                if self._count[output] <= 0:
                    del self._count[output]

    def current(self) -> frozenset[str]:
        with self._lock:
            return frozenset(self._count)
