"""Messages and progress for the terminal: the package logs, the command line decides.

Everything the package has to say goes through the standard ``logging`` module under the
``dossierpress`` logger: problems at ``ERROR`` and ``WARNING`` (one ``path:line:`` line
each), what a command did at ``INFO``, timings at ``DEBUG``, and at ``NOTICE`` what must
be said even with ``--quiet``. A command routes them for its duration with ``console``:
problems to standard error, the rest to standard output, ``--quiet`` keeping only
problems and notices and ``--verbose`` adding timings. Every line passes
through ``errors.printable`` on its way out, whoever wrote it.

A long build shows a progress bar (tqdm) on an interactive terminal only: never when
standard error is a file or a pipe, in CI, or with ``--quiet``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol

from dossierpress.errors import printable

if TYPE_CHECKING:
    from tqdm import tqdm

LOGGER = "dossierpress"
NOTICE = 25
"""What a command must say even with ``--quiet`` (the preview's address), on stdout."""
logging.addLevelName(NOTICE, "NOTICE")


def get_logger(name: str) -> logging.Logger:
    """The logger of one part of the package (``dossierpress.<name>``)."""
    return logging.getLogger(f"{LOGGER}.{name}")


class _OneLine(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))


class _Stream(logging.StreamHandler):
    """A stream handler that goes quiet once its reader has gone (``dossier check | head``)
    instead of printing a traceback for every line after."""

    def handleError(self, record: logging.LogRecord) -> None:
        if not isinstance(sys.exc_info()[1], BrokenPipeError):
            super().handleError(record)
            return
        # Point the descriptor at /dev/null: later lines, and the interpreter's last
        # flush at exit, then have nowhere to fail.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, self.stream.fileno())
            finally:
                os.close(devnull)


class _Below(logging.Filter):
    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno < self.level


@contextmanager
def console(*, quiet: bool = False, verbose: bool = False) -> Iterator[None]:
    """Print the package's messages for the duration of one command (see the module doc).

    The streams are those of the moment (``sys.stdout``, ``sys.stderr``), so a caller that
    redirects them (a test) gets the lines; the handlers go when the command ends.
    """
    logger = logging.getLogger(LOGGER)
    problems = _Stream(sys.stderr)
    problems.setLevel(logging.WARNING)
    news = _Stream(sys.stdout)
    news.addFilter(_Below(logging.WARNING))
    news.setLevel(NOTICE if quiet else logging.DEBUG)
    handlers = [problems, news]
    for handler in handlers:
        handler.setFormatter(_OneLine("%(message)s"))
        logger.addHandler(handler)
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False
    try:
        yield
    finally:
        for handler in handlers:
            logger.removeHandler(handler)
            handler.flush()
        logger.setLevel(level)
        logger.propagate = propagate


class Progress(Protocol):
    """How a long stage reports how far it got (a no-op unless on a terminal)."""

    def start(self, stage: str, total: int) -> None: ...

    def advance(self, count: int = 1) -> None: ...

    def finish(self) -> None: ...


class NoProgress:
    def start(self, stage: str, total: int) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass

    def finish(self) -> None:
        pass


class TerminalProgress:
    """A tqdm bar per stage on standard error, left behind by nothing once it finishes."""

    def __init__(self) -> None:
        self._bar: tqdm[Any] | None = None

    def start(self, stage: str, total: int) -> None:
        from tqdm import tqdm

        self.finish()
        self._bar = tqdm(total=total, desc=f"{stage:<8}", unit="page", leave=False, file=sys.stderr)

    def advance(self, count: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(count)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def progress_for(quiet: bool) -> Progress:
    """A progress bar where someone is watching a terminal, else nothing."""
    interactive = sys.stderr.isatty() and not os.environ.get("CI") and not quiet
    return TerminalProgress() if interactive else NoProgress()
