"""One hierarchy of errors for everything an editor can get wrong.

Every problem carries the file (relative to the source root, POSIX separators) and the
1-based line it concerns, so the CLI, the live preview and tests all show the same
``path:line: error: message`` text. Stages collect problems instead of raising on the
first one, so an editor sees every mistake of a build at once.

A problem is always exactly one line of text: whatever an editor's file or value holds
(a newline, U+2028, a terminal escape sequence) is shown escaped, so no value can split a
message, forge another ``path:line: error:`` line or drive the editor's terminal.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"
INFO = "info"
"""Neither a problem nor a mistake: something ``check`` tells (an article scheduled for later)."""

_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
"""Control characters (C0, DEL, C1: terminal escapes), line and paragraph separators, and
the bidirectional controls that can make a line read as something else (Trojan Source)."""
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` on one line, control characters escaped as ``repr`` does (``\\n``, ``\\x1b``)."""
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED_ESCAPES.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


@dataclass(frozen=True, order=True)
class ContentError:
    """A problem in the editor's input, located at ``path:line``.

    ``severity`` is ``error`` (the build fails), ``warning`` (reported, the build goes on)
    or ``info`` (what ``check`` tells, such as an article scheduled for later).
    """

    path: str
    line: int
    message: str
    column: int | None = None
    hint: str | None = None
    severity: str = ERROR

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: {self.severity}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return printable(text)

    @property
    def is_warning(self) -> bool:
        return self.severity == WARNING

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


class BuildError(Exception):
    """Raised when a build cannot finish; carries every problem found, sorted by place."""

    def __init__(self, errors: Iterable[ContentError]) -> None:
        self.errors: list[ContentError] = sorted(set(errors))
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass
class ErrorList:
    """Collects problems during one stage of a build."""

    errors: list[ContentError] = field(default_factory=list)

    def add(
        self,
        path: str,
        line: int,
        message: str,
        *,
        hint: str | None = None,
        column: int | None = None,
    ) -> None:
        self.errors.append(ContentError(path, line, message, column=column, hint=hint))

    def warn(self, path: str, line: int, message: str, *, hint: str | None = None) -> None:
        """A problem worth telling the editor that does not stop the build."""
        self.errors.append(ContentError(path, line, message, hint=hint, severity=WARNING))

    def extend(self, errors: Iterable[ContentError]) -> None:
        self.errors.extend(errors)

    def __bool__(self) -> bool:
        """Whether any problem stops the build (warnings do not)."""
        return any(not e.is_warning for e in self.errors)

    def raise_if_any(self) -> None:
        if self:
            raise BuildError(self.errors)


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """A "did you mean" hint naming the closest candidate, or None when nothing is close."""
    pool = sorted(set(candidates))
    lowered = {c.lower(): c for c in pool}
    matches = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return f"did you mean '{lowered[matches[0]]}'?" if matches else None
