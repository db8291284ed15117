"""One hierarchy of errors for everything an editor can get wrong.

Every problem carries the file (relative to the source root, POSIX separators) and the
1-based line it concerns, so the CLI, the live preview and tests all show the same
``path:line: error: message`` text. Stages collect problems instead of raising on the
first one, so an editor sees every mistake of a build at once.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class ContentError:
    """A problem in the editor's input, located at ``path:line``."""

    path: str
    line: int
    message: str
    column: int | None = None
    hint: str | None = None

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: error: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


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

    def extend(self, errors: Iterable[ContentError]) -> None:
        self.errors.extend(errors)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise BuildError(self.errors)


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """A "did you mean" hint naming the closest candidate, or None when nothing is close."""
    pool = sorted(set(candidates))
    lowered = {c.lower(): c for c in pool}
    matches = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return f"did you mean '{lowered[matches[0]]}'?" if matches else None
