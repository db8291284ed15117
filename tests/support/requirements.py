"""Reading a requirements.txt as pip reads it, for the tests of what ``init`` writes."""

from __future__ import annotations

from packaging.requirements import Requirement


def installable_lines(text: str) -> list[Requirement]:
    """The requirement lines of a requirements.txt, parsed as pip parses them."""
    lines = [line.strip() for line in text.splitlines()]
    return [Requirement(line) for line in lines if line and not line.startswith("#")]
