"""Writing front matter: what ``new`` and ``import`` put at the top of a file, and what the
tests and the benchmark corpus write, from one place.

Every value is written in a form the reader (``frontmatter``) takes back as the same
value: strings double-quoted (a JSON string is a valid YAML one, so no title can turn
into a number, a date, a list or a comment), dates in ISO 8601, lists of names as flow
sequences, links and corrections as one flow mapping a line, a ``Block`` (a picture's ``image``) as
a block mapping, one key a line. Keys come out in the order given, each optionally with a
comment above it and a commented example below it, or commented out whole (a key to fill
in by hand), so a file made for an editor explains itself.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Entry:
    """One key of the front matter."""

    key: str
    value: Any
    """A string, a whole number, a bool, a date or date-time, a list of strings, a list of
    mappings (links, corrections, events: their values scalars or lists of strings), or
    a mapping of strings (``title_translations``)."""
    note: str = ""
    """Comment lines written above the key (without the ``#``)."""
    example: str = ""
    """Comment lines written below the key: a commented example to copy."""
    commented: bool = False
    """Write the key and its value as comments: the file builds as it is, and the editor
    uncommenting them (removing each ``# ``) gets valid YAML."""


@dataclass(frozen=True)
class Field:
    """One key of a ``Block``, on a line of its own."""

    key: str
    value: Any = None
    """A string, number, bool or date; None writes the key with no value (YAML null), for
    the editor to fill in: the build refuses it until then."""
    comment: str = ""
    """Written after the value, on the same line: what to fill in, or where it came from."""


@dataclass(frozen=True)
class Remark:
    """A comment line of its own inside a ``Block``: a key the editor may add."""

    text: str


@dataclass(frozen=True)
class Block:
    """A mapping written one key a line, so that each key can carry its own comment."""

    items: tuple[Field | Remark, ...]


def front_matter(entries: Iterable[Entry]) -> str:
    """The front matter block, ``---`` lines included, ending with a newline."""
    lines = ["---"]
    for entry in entries:
        lines += [_comment(line) for line in _lines(entry.note)]
        written = _entry_lines(entry.key, entry.value)
        lines += [_comment(line) for line in written] if entry.commented else written
        lines += [_comment(line) for line in _lines(entry.example)]
    lines.append("---")
    return "\n".join(lines) + "\n"


def document(entries: Iterable[Entry], body: str = "") -> str:
    """A whole Markdown file: the front matter, a blank line, the body."""
    text = front_matter(entries)
    body = body.strip("\n")
    return f"{text}\n{body}\n" if body else text


def write_new(path: Path, text: str) -> None:
    """Write ``text`` to ``path``, creating its folders, and never over an existing file
    (``FileExistsError``): an editor's file is not replaced by a generated one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def scalar(value: Any) -> str:
    """One value as YAML the reader takes back unchanged."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    raise TypeError(f"cannot write {type(value).__name__} as a front-matter value")


def _entry_lines(key: str, value: Any) -> list[str]:
    if isinstance(value, Block):
        return [f"{key}:", *(_block_line(item) for item in value.items)]
    if isinstance(value, Mapping):
        return [f"{key}: {_flow_mapping(value)}"]
    if isinstance(value, Sequence) and not isinstance(value, str):
        if any(isinstance(item, Mapping) for item in value):
            return [f"{key}:", *(f"  - {_item(item)}" for item in value)]
        return [f"{key}: [{', '.join(scalar(item) for item in value)}]"]
    return [f"{key}: {scalar(value)}"]


def _block_line(item: Field | Remark) -> str:
    if isinstance(item, Remark):
        return "  " + _comment(item.text)
    line = f"  {item.key}:" + ("" if item.value is None else f" {scalar(item.value)}")
    return f"{line} {_comment(item.comment)}" if item.comment else line


def _item(item: Any) -> str:
    return _flow_mapping(item) if isinstance(item, Mapping) else scalar(item)


def _flow_mapping(mapping: Mapping[str, Any]) -> str:
    pairs = ", ".join(f"{key}: {_flow_value(value)}" for key, value in mapping.items())
    return "{" + pairs + "}"


def _flow_value(value: Any) -> str:
    """A value inside a flow mapping: a scalar, or a list of them (an event's ``refs``)."""
    if isinstance(value, Sequence) and not isinstance(value, str):
        return "[" + ", ".join(scalar(item) for item in value) + "]"
    return scalar(value)


def _lines(text: str) -> list[str]:
    return text.splitlines() if text else []


def _comment(line: str) -> str:
    return f"# {line}".rstrip()
