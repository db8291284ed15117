"""Safe YAML for front matter and ``site.yaml``: a located node tree, never arbitrary objects.

PyYAML's loaders are unsafe for untrusted editors' files in ways ``safe_load`` does not fix:
aliases allow exponential "billion laughs" documents, the composer recurses once per
nesting level (50,000 levels crash the C loader and raise ``RecursionError`` in the pure
one), duplicate keys silently keep the last value, and line numbers are thrown away. So
we read the *event stream* (an iterative parser), reject aliases, unknown tags, deep
nesting and control characters as we go, and build our own small tree that keeps each
node's line. Scalars are resolved with YAML's own resolver, except timestamps, which stay
text so dates are validated by our date parser with a clear message (``2024-02-30``).

It sits at the ground floor, beside ``errors``: ``config`` reads ``site.yaml`` with it and
``content`` reads front matter, and neither has to import the other for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.resolver import Resolver

MAX_DEPTH = 32
"""Front matter nests two or three levels; anything deeper is a mistake or an attack."""

_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "seq", "map")}
_TEXT_TAGS = {_TAG + t for t in ("str", "timestamp", "merge", "value")}
"""Implicit tags kept as text: timestamps for our date parser; ``<<`` and ``=`` (YAML 1.1
merge and value keys) so ``title: =`` is text and ``<<:`` gets its own clear message."""
_QUOTE_HINT = "put text that starts with * & ! @ or ` in quotes, e.g. '**2006**: ...'"
"""Markdown in a value (``- **2006**: ...``) is read by YAML as an alias or a tag."""
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)
"""libyaml's parser, when PyYAML has it: several times faster. Only its event stream is
used, never its recursive composer, so deep nesting is refused here before it can harm."""
_FOUND_SPECIAL = re.compile(r"found (?:character )?'[*&!@`%]'")
_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 controls but tab and newline, DEL and C1 controls. PyYAML's reader refuses them raw,
but escapes in double quotes (``"\\0"``, ``"\\e[31m"``, ``"\\r"``) make them; a NUL or a
terminal escape in a title would reach the HTML and the editor's terminal."""
_CONTROL_HINT = "remove it: it is invisible and can break pages"
SHORTENED = 40
"""How much of a long value a message quotes."""


def shorten(text: str, limit: int = SHORTENED) -> str:
    """``text`` as a message quotes it: at most ``limit`` characters, then "…"."""
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


class YamlProblem(Exception):
    """YAML that we refuse or cannot read, with the 1-based line it concerns."""

    def __init__(self, line: int, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class Node:
    """One YAML node and the line it starts on."""

    kind: Literal["mapping", "sequence", "scalar"]
    line: int
    value: Any
    """Scalar: str, int, float, bool or None. Sequence: tuple of Nodes. Mapping: tuple of
    (key Node, value Node) pairs in document order (keys are unique scalars)."""
    raw: str = ""
    """A scalar's text as written (without quotes)."""
    plain: bool = False
    """True for a scalar written without quotes, the only kind YAML reinterprets."""
    start: int = field(default=0, compare=False, repr=False)
    end: int = field(default=0, compare=False, repr=False)
    """Where the node is in the text read, as character offsets (a quoted scalar's quotes
    included), so a tool can edit one value and leave every other byte as it was."""
    flow: bool = field(default=False, compare=False, repr=False)
    """A mapping or list written ``{…}`` or ``[…]`` rather than as indented lines."""

    def items(self) -> Iterator[tuple[Node, Node]]:
        assert self.kind == "mapping"
        yield from self.value

    def as_string(self) -> str | None:
        """The scalar as text when the editor evidently meant text; None otherwise.

        Numbers are given back as written (a title ``1984``); booleans, nulls and
        sexagesimal numbers are not, since YAML 1.1 turned the editor's ``NO`` or ``12:30``
        into something else: see ``string_problem``.
        """
        if self.kind != "scalar" or self.string_problem() is not None:
            return None
        if isinstance(self.value, str):
            return self.value
        if isinstance(self.value, int | float) and not isinstance(self.value, bool):
            return self.raw
        return None

    def string_problem(self) -> str | None:
        """Why this node cannot be read as text, or None when it can."""
        if self.kind == "mapping":
            return "expected text, found a mapping"
        if self.kind == "sequence":
            return "expected text, found a list"
        if not self.plain:
            return None
        if isinstance(self.value, bool):
            return (
                f"'{self.raw}' is read by YAML as the boolean {str(self.value).lower()}; "
                f'quote it ("{self.raw}") if you mean the text'
            )
        if self.value is None:
            return "expected text, found nothing"
        if isinstance(self.value, int | float) and _SEXAGESIMAL.match(self.raw):
            return (
                f"'{self.raw}' is read by YAML as the number {self.value}; "
                f'quote it ("{self.raw}") if you mean the text'
            )
        return None


def load_yaml(text: str, first_line: int = 1) -> Node | None:
    """Parse one YAML document into a located ``Node`` tree (None for an empty document).

    ``first_line`` is the file line of the text's first line, so front matter errors
    point into the Markdown file. Raises ``YamlProblem`` for anything we refuse.
    """
    if _FAST_LOADER is not None:
        try:
            return _build(text, first_line, _FAST_LOADER)
        except yaml.YAMLError:
            pass  # libyaml's messages are terse; the pure parser explains the same mistake
    try:
        return _build(text, first_line, yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        problem = exc.problem or exc.context or ""
        hint = _QUOTE_HINT if _FOUND_SPECIAL.search(problem) else None
        raise YamlProblem(line, f"invalid YAML: {problem}", hint) from None
    except yaml.reader.ReaderError as exc:
        line = first_line + text.count("\n", 0, exc.position)
        raise YamlProblem(
            line, f"invalid YAML: control character U+{exc.character:04X} is not allowed"
        ) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(first_line, f"invalid YAML: {exc}") from None


def _build(text: str, first_line: int, loader: Any) -> Node | None:
    """The tree of ``text``; the parser yields events lazily, so a refusal stops it early."""
    builder = _TreeBuilder(first_line)
    for event in yaml.parse(text, Loader=loader):
        builder.feed(event)
    return builder.root


class _TreeBuilder:
    """Turns parser events into ``Node``s with an explicit stack (no recursion)."""

    def __init__(self, first_line: int) -> None:
        self.first_line = first_line
        self.stack: list[tuple[str, int, list[Any], yaml.Event]] = []
        self.root: Node | None = None
        self.documents = 0
        self.resolver = Resolver()
        self.constructor = SafeConstructor()

    def line_of(self, event: yaml.Event) -> int:
        mark = event.start_mark  # the parser marks every event it makes
        return self.first_line + (mark.line if mark is not None else 0)

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise YamlProblem(self.line_of(event), "more than one YAML document")
        elif isinstance(event, yaml.AliasEvent):
            raise YamlProblem(
                self.line_of(event),
                f"YAML aliases (*{event.anchor}) are not allowed",
                hint=f"write the value out in full; {_QUOTE_HINT}",
            )
        elif isinstance(event, yaml.ScalarEvent):
            self.add(self.scalar(event))
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            self.check_tag(event)
            if len(self.stack) >= MAX_DEPTH:
                raise YamlProblem(
                    self.line_of(event), f"YAML nested more than {MAX_DEPTH} levels deep"
                )
            kind = "sequence" if isinstance(event, yaml.SequenceStartEvent) else "mapping"
            self.stack.append((kind, self.line_of(event), [], event))
        elif isinstance(event, yaml.SequenceEndEvent):
            _, line, items, start = self.stack.pop()
            self.add(Node("sequence", line, tuple(items), **_place(start, event)))
        elif isinstance(event, yaml.MappingEndEvent):
            _, line, items, start = self.stack.pop()
            self.add(Node("mapping", line, _pairs(items), **_place(start, event)))

    def add(self, node: Node) -> None:
        if self.stack:
            self.stack[-1][2].append(node)
        else:
            self.root = node

    def check_tag(self, event: Any) -> None:
        tag = event.tag
        if tag is not None and tag not in ("!", *_ALLOWED_TAGS):
            shown = tag.replace(_TAG, "!!")
            raise YamlProblem(
                self.line_of(event), f"YAML tag '{shown}' is not allowed", _QUOTE_HINT
            )

    def scalar(self, event: yaml.ScalarEvent) -> Node:
        self.check_tag(event)
        line = self.line_of(event)
        control = _CONTROL.search(event.value)
        if control is not None:
            code = ord(control.group())
            message = f"text contains the control character U+{code:04X}"
            raise YamlProblem(line, message, _CONTROL_HINT)
        plain = not event.style and event.tag is None  # plain style: None, or "" from libyaml
        if event.tag in (None, "!"):
            tag = self.resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        else:
            tag = event.tag
        place = _place(event, event)
        if tag in _TEXT_TAGS or not (plain or event.tag):
            return Node("scalar", line, event.value, event.value, plain, **place)
        try:
            value = self.constructor.construct_object(yaml.ScalarNode(tag, event.value))
        except (ConstructorError, ValueError):
            shown = shorten(event.value)
            raise YamlProblem(line, f"cannot read '{shown}' as {tag.replace(_TAG, '')}") from None
        return Node("scalar", line, value, event.value, plain, **place)


def _place(start: yaml.Event, end: yaml.Event) -> dict[str, Any]:
    """The offsets of a node from its first and last events (a collection's style too)."""
    first = start.start_mark.index if start.start_mark is not None else 0
    last = end.end_mark.index if end.end_mark is not None else first
    return {"start": first, "end": last, "flow": bool(getattr(start, "flow_style", False))}


def _pairs(items: list[Node]) -> tuple[tuple[Node, Node], ...]:
    pairs: list[tuple[Node, Node]] = []
    seen: dict[str, int] = {}
    for key, value in zip(items[::2], items[1::2], strict=True):
        if key.kind != "scalar" or key.value is None or isinstance(key.value, bool):
            raise YamlProblem(key.line, "mapping keys must be plain names")
        name = str(key.value)
        if name == "<<":
            raise YamlProblem(key.line, "YAML merge keys (<<) are not allowed")
        if name in seen:
            raise YamlProblem(
                key.line, f"duplicate key '{name}' (first defined on line {seen[name]})"
            )
        seen[name] = key.line
        pairs.append((replace(key, value=name), value))
    return tuple(pairs)
