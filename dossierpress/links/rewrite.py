"""Recording a source's archived copy in the article that cites it, and nothing else.

An editor's front matter is theirs: its comments, key order, quoting, flow or block style,
blank lines and line endings are how they keep it readable, and a tool that reflowed it
would leave a noisy diff nobody wants to review. YAML libraries that "round-trip" still
reflow long flow mappings and requote strings, so this is a textual edit instead: the
front matter is read with ``yamlsafe`` (nodes know their offsets), each edit inserts or
replaces only the characters of the one entry concerned, and the body is never touched.

- ``{url: …, title: …}`` gets ``, archive: …`` before its ``}``;
- a block mapping entry gets an ``archive: …`` line under its last key, at its indent;
- a bare URL becomes a mapping with ``url`` and ``archive``: ``{url: …, archive: …}`` in a
  flow list, ``url: …`` then ``archive: …`` lines in a block list;
- an entry that has an ``archive`` already is left alone (the editor chose that copy).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from dossierpress.yamlsafe import Node, YamlProblem, load_yaml

CITING_KEYS = ("sources", "related")
"""The front-matter lists whose entries cite external pages (``LinkSpec``)."""
_FENCE = re.compile(r"---[ \t]*(?:\r\n|\r|\n)")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)
_NEWLINE = re.compile(r"\r\n|\r|\n")
_FLOW_UNSAFE = re.compile(r"[,\[\]{}]")


@dataclass(frozen=True)
class ArchivedCopy:
    """An archived copy to record: the cited ``url`` at file ``line`` (the entry's line or
    its URL's, as ``check`` reports it) and the ``archive`` URL of its copy."""

    line: int
    url: str
    archive: str


def write_archives(path: Path, copies: Iterable[ArchivedCopy]) -> list[ArchivedCopy]:
    """Write each copy's ``archive`` into the entry citing its URL at its line in ``path``.

    Returns the copies written: one whose entry is not found (the file changed since the
    check read it) or already has an ``archive`` is left out. The file is written only when
    something changed, and atomically, so an editor's file is never left half written.
    Raises ``OSError`` when the file cannot be read or written, ``ValueError`` when it is
    not UTF-8 or its front matter is not readable YAML.
    """
    data = path.read_bytes()
    text = data.decode("utf-8")  # UnicodeDecodeError is a ValueError
    new_text, written = add_archives(text, copies)
    if written:
        _write_atomically(path, new_text.encode("utf-8"))
    return written


def add_archives(text: str, copies: Iterable[ArchivedCopy]) -> tuple[str, list[ArchivedCopy]]:
    """``text`` (a whole content file) with the copies recorded, and the copies written."""
    region = _front_matter(text)
    if region is None:
        return text, []
    start, end, first_line = region
    section = text[start:end]
    try:
        root = load_yaml(section, first_line)
    except YamlProblem as exc:
        raise ValueError(f"line {exc.line}: {exc.message}") from None
    if root is None or root.kind != "mapping":
        return text, []
    newline = _newline_of(text)
    edits: dict[int, tuple[int, str, ArchivedCopy]] = {}
    seen: set[int] = set()
    for copy in copies:
        found = _citing_entry(root, copy)
        if found is None or found[1].start in seen:
            continue  # not cited there (any more), or that entry is written already
        in_flow, entry = found
        seen.add(entry.start)
        edit = _edit(section, in_flow, entry, copy.archive, newline)
        if edit is not None:
            at, until, replacement = edit
            edits[start + at] = (start + until, replacement, copy)
    result = text
    for at, (until, replacement, _) in sorted(edits.items(), reverse=True):
        result = result[:at] + replacement + result[until:]  # from the end: offsets hold
    _check_readable(result)
    written = sorted((copy for _, _, copy in edits.values()), key=lambda c: (c.line, c.url))
    return result, written


def _check_readable(text: str) -> None:
    """Refuse to give back front matter the build could not read (a bug here, not the
    editor's): better no copy recorded than an article that no longer builds."""
    region = _front_matter(text)
    assert region is not None
    start, end, first_line = region
    try:
        load_yaml(text[start:end], first_line)
    except YamlProblem as exc:
        raise ValueError(f"recording the archived copy would break line {exc.line}") from None


def _front_matter(text: str) -> tuple[int, int, int] | None:
    """Where the YAML between the ``---`` fences is: its offsets and its first file line."""
    begin = 1 if text.startswith("\ufeff") else 0
    fence = _FENCE.match(text, begin)
    if fence is None:
        return None
    close = _CLOSE.search(text, fence.end())
    if close is None:
        return None
    return fence.end(), close.start(), 2


def _newline_of(text: str) -> str:
    """The file's own line ending (its first one), for the lines an edit adds."""
    found = _NEWLINE.search(text)
    return found.group() if found else "\n"


def _citing_entry(root: Node, copy: ArchivedCopy) -> tuple[bool, Node] | None:
    """The entry of ``sources`` or ``related`` citing ``copy.url`` at ``copy.line``, and
    whether its list is a flow one; None when there is none."""
    for key, value in root.items():
        if key.value not in CITING_KEYS or value.kind != "sequence":
            continue
        for entry in value.value:
            url = _url_node(entry)
            if url is None or url.value != copy.url:
                continue
            if copy.line in (entry.line, url.line):
                return value.flow, entry
    return None


def _url_node(entry: Node) -> Node | None:
    """The scalar holding an entry's URL: the entry itself, or its ``url`` value."""
    if entry.kind == "scalar":
        return entry if isinstance(entry.value, str) else None
    if entry.kind == "mapping":
        for key, value in entry.items():
            if key.value == "url" and value.kind == "scalar":
                return value
    return None


def _edit(
    text: str, in_flow: bool, entry: Node, archive: str, newline: str
) -> tuple[int, int, str] | None:
    """The one change to ``text`` (offsets, replacement) that gives ``entry`` its copy."""
    if entry.kind == "scalar":
        written = text[entry.start : entry.end]
        value = _scalar(archive, written[:1], in_flow)
        if in_flow:
            if entry.plain:  # a plain URL in a list may not read the same in a mapping
                written = _scalar(entry.value, "", in_flow=True)
            return entry.start, entry.end, f"{{url: {written}, archive: {value}}}"
        indent = " " * _column(text, entry.start)
        rest = _line_end(text, entry.end)  # the URL's comment, if any, stays beside it
        line = text[entry.start : rest]
        return entry.start, rest, f"url: {line}{newline}{indent}archive: {value}"
    pairs = list(entry.items())
    if any(key.value == "archive" for key, _ in pairs):
        return None  # the editor's own copy stands
    url = _url_node(entry)
    quote = text[url.start] if url is not None else ""
    value = _scalar(archive, quote, entry.flow)
    last = pairs[-1][1]
    if entry.flow:
        return last.end, last.end, f", archive: {value}"
    indent = " " * _column(text, pairs[0][0].start)
    header = text[last.start : _line_end(text, last.start)]
    if header[:1] in ("|", ">") and "+" in header.split("#")[0]:
        # A block scalar that keeps its trailing blank lines ends after them: the new key
        # goes after them too, or they would no longer be part of the value.
        return last.end, last.end, f"{indent}archive: {value}{newline}"
    content = len(text[: last.end].rstrip())  # a block scalar's end is after its breaks
    at = _line_end(text, content)  # after the value's comment, if any
    return at, at, f"{newline}{indent}archive: {value}"


def _line_end(text: str, offset: int) -> int:
    """Where the line holding ``offset`` ends, before its line break."""
    found = _NEWLINE.search(text, offset)
    return found.start() if found is not None else len(text)


def _column(text: str, offset: int) -> int:
    """How many characters precede ``offset`` on its line."""
    return offset - max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) - 1


def _scalar(value: str, quote: str, in_flow: bool) -> str:
    """``value`` written as its URL is (``"…"``, ``'…'`` or plain) when YAML reads it back
    the same; else in double quotes, which can hold anything."""
    if quote == "'" and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    if quote not in ('"', "'") and not (in_flow and _FLOW_UNSAFE.search(value)):
        document = f"{{k: {value}}}" if in_flow else f"k: {value}"
        try:
            if yaml.safe_load(document) == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


def _write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step, keeping its permissions."""
    mode = path.stat().st_mode
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
