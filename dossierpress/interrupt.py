"""Ctrl-C and SIGTERM as one exception, and the moment they must wait for.

A build is stopped by the editor (Ctrl-C), by a CI timeout or a process manager
(SIGTERM). Both become ``Interrupted``, which unwinds the build like any exception, so
staging files are removed on the way out and the command line can say in one line what
happened to the output folder. While the output folder itself is being changed (a few
renames, see ``output.OutputFolder``) the signals are held back and delivered after, so
an interrupted build never leaves a folder half old and half new. SIGKILL cannot be
caught: that case is handled by the next build, which removes any staging debris.

Signals reach only the main thread. Work on another thread (the live preview rebuilds
on its watcher's) is stopped through a ``StopRequest`` it checks between steps, so a
Ctrl-C never waits for a rebuild of thousands of pages to end.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from types import FrameType

HANDLED = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """The process was asked to stop (a ``BaseException``, like ``KeyboardInterrupt``)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.output_changed = False
        """Set when the signal arrived while the output folder was being changed: the
        change was completed first, so the folder holds the new site, not the old."""

    @property
    def exit_status(self) -> int:
        """130 for Ctrl-C, 143 for SIGTERM: what a shell reports for a signalled process."""
        return 128 + self.signum


class StopRequest:
    """A request to stop, made by the main thread (which signals reach) to work running
    on another thread: that work calls ``check`` between its steps (documents, pages,
    files written), which raises ``Interrupted`` once the request is made, unwinding it
    like an interrupted build."""

    def __init__(self) -> None:
        self._signum: int | None = None

    def request(self, signum: int = signal.SIGINT) -> None:
        """Ask the work to stop, as ``signum`` would (the first request holds)."""
        if self._signum is None:
            self._signum = signum

    def check(self) -> None:
        """Raise ``Interrupted`` if a stop was requested."""
        if self._signum is not None:
            raise Interrupted(self._signum)


def _raise_interrupted(signum: int, _frame: FrameType | None) -> None:
    raise Interrupted(signum)


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def _handling(
    handler: Callable[[int, FrameType | None], object] | signal.Handlers,
) -> Iterator[None]:
    """``handler`` for SIGINT and SIGTERM for the duration, the previous ones after (main
    thread only: Python runs handlers there and refuses to install them anywhere else)."""
    if not _in_main_thread():
        yield
        return
    previous = {signum: signal.getsignal(signum) for signum in HANDLED}
    for signum in HANDLED:
        signal.signal(signum, handler)
    try:
        yield
    finally:
        for signum, earlier in previous.items():
            signal.signal(signum, earlier)


def signals_raise_interrupted() -> AbstractContextManager[None]:
    """Turn SIGINT and SIGTERM into ``Interrupted`` for the duration (main thread only)."""
    return _handling(_raise_interrupted)


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back until the block is done; they are delivered at its end.

    They are held in Python, not by the kernel's signal mask: a mask holds them back only
    from the thread that set it, and the kernel may hand a signal sent to the process to
    any other thread (a progress bar's monitor, a worker pool's), after which Python runs
    the handler in the main thread all the same, in the middle of the block. Off the main
    thread, where Python runs no handler, this does nothing.
    """
    held: list[int] = []
    try:
        with _handling(lambda signum, _frame: held.append(signum)):
            yield
    finally:
        if held:
            signal.raise_signal(held[0])


def signals_ignored() -> AbstractContextManager[None]:
    """Ignore SIGINT and SIGTERM for the duration: for the clean-up after a first one (a
    second Ctrl-C, pressed because the first seemed slow, must not cut it short and
    leave its temporary files behind). Main thread only."""
    return _handling(signal.SIG_IGN)
