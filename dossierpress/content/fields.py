"""Readers for front-matter values: text, lists, slugs, languages, dates, URLs and links.

Each reader takes a located YAML ``Node`` and returns a typed value, or reports a problem
at the node's line and returns None, so one file's mistakes are all reported together.
Readers are forgiving where the intent is clear (a single string where a list is
expected) and strict where a mistake would be silent or dangerous (a mapping where a list
belongs, ``NO`` read as false, a ``javascript:`` URL). ``frontmatter`` maps keys to them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Any
from urllib.parse import urlsplit

from dossierpress.config import normalise_language
from dossierpress.content.model import (
    GENRES,
    Correction,
    Event,
    ImageSpec,
    LinkSpec,
    PartialDate,
    Ref,
)
from dossierpress.content.names import without_ignorables
from dossierpress.content.slugs import alias_problem, name_too_long, normal_alias, tag_key
from dossierpress.errors import ErrorList, did_you_mean
from dossierpress.yamlsafe import Node, shorten

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""What ``slug`` and topic file names must look like: safe in any URL and on any disk."""
SLUG_LENGTH_HINT = "each part of a URL becomes a folder name, which disks limit to 255 bytes"

_DATE = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})"
    r"(?:[Tt ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<f>\d+))?)?"
    r" ?(?P<tz>[Zz]|[+-]\d{2}(?::?\d{2})?)?)?",
    re.ASCII,
)
_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]")
"""What browsers drop from or trim around a URL: `` JaVa\\tscript:`` is ``javascript:``."""
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
WEB = ("http", "https")
LINKABLE = ("http", "https", "mailto")


class DateProblem(ValueError):
    """A date an editor wrote that is malformed or impossible, with an optional hint."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass
class FieldContext:
    """What readers need: the file, the site timezone, and where problems go."""

    path: str
    zone: tzinfo = UTC
    errors: ErrorList = field(default_factory=ErrorList)

    def error(self, line: int, message: str, hint: str | None = None) -> None:
        self.errors.add(self.path, line, message, hint=hint)


Reader = Callable[[FieldContext, str, Node], Any]
"""(context, key as named in messages, node) -> value, or None after reporting a problem."""


def at_key(key: Node, value: Node) -> Node:
    """The value located at its key when it is a list or mapping.

    A block list starts on the line after its key, but "'tags' must be a list" is about
    the key, so that is where the editor should look. Entries keep their own lines.
    """
    return replace(value, line=key.line) if value.kind != "scalar" else value


def is_null(node: Node) -> bool:
    """``key:`` with nothing after it, which front matter treats as "not given"."""
    return node.kind == "scalar" and node.plain and node.value is None


def text(ctx: FieldContext, key: str, node: Node, *, where: str = "") -> str | None:
    """Text such as a title: a string, or a number as written; ``NO`` or ``12:30`` refused."""
    where = where or f"'{key}'"
    problem = node.string_problem()
    value = node.as_string()
    if problem is not None or value is None:
        ctx.error(node.line, f"{where}: {problem or 'expected text'}")
        return None
    if not value.strip():
        ctx.error(node.line, f"{where} is empty")
        return None
    return value.strip()


def optional_text(ctx: FieldContext, key: str, node: Node) -> str | None:
    """Like ``text``, but an empty string just means "not given" (``summary: ''``)."""
    if node.kind == "scalar" and isinstance(node.value, str) and not node.value.strip():
        return None
    return text(ctx, key, node)


def entries(ctx: FieldContext, key: str, node: Node) -> tuple[Node, ...]:
    """The entries of a list; a single value is a list of one, a mapping is a mistake."""
    if node.kind == "sequence":
        return node.value
    if node.kind == "mapping":
        ctx.error(
            node.line,
            f"'{key}' must be a list, found a mapping",
            "start each entry on its own line with '- '",
        )
        return ()
    return (node,)


def refs(ctx: FieldContext, key: str, node: Node) -> tuple[Ref, ...]:
    """A list of names (topics, tags, slugs, facts), each keeping its line."""
    found = []
    for entry in entries(ctx, key, node):
        value = text(ctx, key, entry, where=f"entry of '{key}'")
        if value is not None:
            found.append(Ref(value, entry.line))
    return tuple(found)


def tags(ctx: FieldContext, key: str, node: Node) -> tuple[Ref, ...]:
    """Tags as written; each must make a page name a disk takes.

    Tags are compared without invisible characters (``urls.tag_key``), so a zero-width
    space pasted into "Kim\u200bJong-un" does not make a second tag; the text is kept as
    written, since some are part of the spelling (the zero-width non-joiner in Persian).
    """
    found = []
    for entry in entries(ctx, key, node):
        value = text(ctx, key, entry, where=f"entry of '{key}'")
        if value is None:
            continue
        if not without_ignorables(value).strip():
            ctx.error(entry.line, f"entry of '{key}' is empty")
        elif too_long := name_too_long(tag_key(value)):
            message = f"tag '{shorten(value)}' is too long: its page name would be {too_long}"
            ctx.error(entry.line, message, "shorten it")
        else:
            found.append(Ref(value, entry.line))
    return tuple(found)


def alias_paths(ctx: FieldContext, key: str, node: Node) -> tuple[Ref, ...]:
    """Old URL paths of an article, normalised: paths a URL reaches, inside the output."""
    aliases = []
    for alias in refs(ctx, key, node):
        problem = alias_problem(alias.text)
        if problem is None:
            aliases.append(Ref(normal_alias(alias.text), alias.line))
        else:
            ctx.error(alias.line, f"alias '{shorten(alias.text)}' {problem.message}", problem.hint)
    return tuple(aliases)


def slug(ctx: FieldContext, key: str, node: Node) -> str | None:
    value = text(ctx, key, node)
    if value is None:
        return None
    if not SLUG_PATTERN.fullmatch(value):
        ctx.error(
            node.line,
            f"invalid slug '{shorten(value)}'",
            "use lowercase letters, digits and single hyphens, e.g. kim-putin-summit",
        )
        return None
    if too_long := name_too_long(value):
        ctx.error(node.line, f"slug '{shorten(value)}' is too long: {too_long}", SLUG_LENGTH_HINT)
        return None
    return value


def language(ctx: FieldContext, key: str, node: Node) -> str | None:
    value = text(ctx, key, node)
    if value is None:
        return None
    tag = normalise_language(value)
    if tag is None:
        ctx.error(node.line, f"unknown language '{value}'", "a BCP 47 code such as en or id")
    return tag


def flag(ctx: FieldContext, key: str, node: Node) -> bool | None:
    if node.kind == "scalar" and isinstance(node.value, bool):
        return node.value
    ctx.error(node.line, f"'{key}' must be true or false")
    return None


def whole_number(ctx: FieldContext, key: str, node: Node) -> int | None:
    """An integer such as a topic's ``weight``; ``1.5``, ``yes`` or ``"2"`` are refused."""
    if node.kind == "scalar" and type(node.value) is int:
        return node.value
    found = f", got '{shorten(str(node.raw))}'" if node.kind == "scalar" else ""
    ctx.error(node.line, f"'{key}' must be a whole number, e.g. 1{found}")
    return None


def title_translations(ctx: FieldContext, key: str, node: Node) -> tuple[tuple[str, str], ...]:
    """A topic's name in other languages: a mapping of BCP 47 code to text, e.g.
    ``{id: Sanksi}``; kept as (language, text) pairs in language order."""
    if node.kind != "mapping":
        ctx.error(
            node.line,
            f"'{key}' must be a mapping of language to title",
            "e.g. title_translations: {id: Hubungan Rusia–Korea Utara}",
        )
        return ()
    found: dict[str, tuple[str, str]] = {}  # casefolded language -> (language, title)
    for name, value in node.items():
        raw = name.as_string()
        if raw is None:  # ``no:`` (Norwegian) is the boolean false in YAML 1.1
            ctx.error(name.line, f"language in '{key}': {name.string_problem()}")
            continue
        lang = normalise_language(raw)
        if lang is None:
            ctx.error(name.line, f"unknown language '{shorten(raw)}' in '{key}'", "e.g. en or id")
            continue
        title = text(ctx, key, at_key(name, value), where=f"'{key}.{raw}'")
        if title is None:
            continue
        if lang.casefold() in found:  # language tags ignore case: ``id`` is ``ID``
            ctx.error(name.line, f"'{key}' names the language '{lang}' twice", "keep one of them")
            continue
        found[lang.casefold()] = (lang, title)
    return tuple(sorted(found.values(), key=lambda pair: pair[0].casefold()))


def timestamp(ctx: FieldContext, key: str, node: Node) -> tuple[datetime, bool] | None:
    """A publication time and whether it has a time of day; see ``parse_date``."""
    value = text(ctx, key, node)
    if value is None:
        return None
    try:
        return parse_date(value, ctx.zone)
    except DateProblem as exc:
        ctx.error(node.line, f"'{key}': {exc.message}", exc.hint)
        return None


def parse_date(value: str, zone: tzinfo) -> tuple[datetime, bool]:
    """An aware datetime and whether a time was given; naive input is in ``zone``.

    Raises ``DateProblem``. Malformed text and impossible dates (``2024-02-30``) get
    different messages, because "impossible" tells the editor the format was right.
    """
    match = _DATE.fullmatch(value.strip())
    if match is None:
        raise DateProblem(f"expected a date, got '{value}'", "e.g. 2024-06-19 or 2024-06-19T10:30")
    try:
        day = date(int(match["y"]), int(match["mo"]), int(match["d"]))
    except ValueError as exc:
        raise DateProblem(f"impossible date '{value}'", str(exc)) from None
    if match["h"] is None:
        return _convertible(datetime.combine(day, time(), zone), value, zone), False
    fraction = (match["f"] or "")[:6].ljust(6, "0")
    try:
        clock = time(int(match["h"]), int(match["mi"]), int(match["s"] or 0), int(fraction))
        offset = _offset(match["tz"]) or zone
    except ValueError as exc:
        raise DateProblem(f"impossible time in '{value}'", str(exc)) from None
    return _convertible(datetime.combine(day, clock, offset), value, zone), True


def _convertible(moment: datetime, value: str, zone: tzinfo) -> datetime:
    """``moment``, once it is known to exist in UTC and in the site timezone.

    Pages place and sort articles by both, and ``datetime`` stops at the years 1 and 9999:
    ``9999-12-31T23:00-14:00`` is in the year 10000 in UTC and cannot be converted.
    """
    try:
        moment.astimezone(UTC)
        moment.astimezone(zone)
    except (OverflowError, ValueError):
        raise DateProblem(f"date out of range '{value}'") from None
    return moment


def _offset(value: str | None) -> tzinfo | None:
    if value is None:
        return None
    if value in ("Z", "z"):
        return UTC
    digits = value[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if minutes > 59:
        raise ValueError("UTC offset minutes must be in 0..59")
    sign = -1 if value[0] == "-" else 1
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def partial_date(ctx: FieldContext, key: str, node: Node) -> PartialDate | None:
    """A source's date, as precise as known: ``2024``, ``2024-06`` or ``2024-06-19``."""
    value = text(ctx, key, node)
    if value is None:
        return None
    match = _PARTIAL_DATE.fullmatch(value)
    if match is None:
        ctx.error(node.line, f"'{key}': expected 2024, 2024-06 or 2024-06-19, got '{value}'")
        return None
    year = int(match[1])
    month, day = (int(part) if part else None for part in match.groups()[1:])
    try:
        date(year, month or 1, day or 1)
    except ValueError as exc:
        ctx.error(node.line, f"'{key}': impossible date '{value}'", str(exc))
        return None
    return PartialDate(year, month, day)


def url_problem(url: str, schemes: tuple[str, ...] = WEB) -> str | None:
    """Why ``url`` may not be linked to, or None; browsers' leniency taken into account.

    Whitespace and control characters are dropped before reading the scheme, as browsers
    do, so `` JaVa\\tscript:`` is seen for what it is. Only the listed schemes pass.
    """
    match = _SCHEME.match(_URL_IGNORED.sub("", url))
    if match is None:
        return f"must be a full URL starting with https://, got '{url}'"
    scheme = match.group(1).lower()
    if scheme not in schemes:
        return f"uses the '{scheme}:' scheme, which is not allowed (only {', '.join(schemes)})"
    if re.search(r"[\x00-\x1f\x7f]", url):
        return "contains control characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading it checks the port: ValueError when invalid
    except ValueError as exc:
        return f"is not a valid URL ({exc}): '{shorten(url)}'"
    if scheme in WEB and not parts.netloc:
        return f"has no host name: '{url}'"
    return None


BARE_ENTRY_HINT = "for an article or topic, use 'ref'; for a headline not linked yet, 'title'"
"""What a bare ``related``/``sources`` entry that is no URL may have meant."""


def url(
    ctx: FieldContext,
    key: str,
    node: Node,
    *,
    schemes: tuple[str, ...] = LINKABLE,
    where: str = "",
    hint: str = "for an article or topic, use 'ref'",
) -> str | None:
    """A URL with one of ``schemes``; ``hint`` is for text that is no URL at all."""
    where = where or f"'{key}'"
    value = text(ctx, key, node, where=where)
    problem = url_problem(value, schemes) if value is not None else None
    if problem is not None:
        ctx.error(node.line, f"{where} {problem}", hint if "full URL" in problem else None)
        return None
    return value


def web_url(ctx: FieldContext, key: str, node: Node) -> str | None:
    return url(ctx, key, node, schemes=WEB)


def ref(ctx: FieldContext, key: str, node: Node) -> Ref | None:
    value = text(ctx, key, node)
    return Ref(value, node.line) if value is not None else None


_LINK_READERS: dict[str, Reader] = {
    "title": text,
    "url": url,
    "ref": ref,
    "source": text,
    "date": partial_date,
    "archive": web_url,
}


def genre(ctx: FieldContext, key: str, node: Node) -> str | None:
    """One of ``GENRES``, in any case."""
    value = text(ctx, key, node)
    if value is None:
        return None
    if value.lower() not in GENRES:
        hint = did_you_mean(value.lower(), GENRES) or f"one of {', '.join(GENRES)}"
        ctx.error(node.line, f"unknown genre '{shorten(value)}'", hint)
        return None
    return value.lower()


def unknown_keys(ctx: FieldContext, key: str, node: Node, known: Collection[str]) -> list[Node]:
    """The keys of mapping ``node`` that are not ``known``, each reported at its line with
    the known key it may have meant."""
    unknown = [name for name, _value in node.items() if name.value not in known]
    for name in unknown:
        hint = did_you_mean(name.value, known)
        ctx.error(name.line, f"unknown key '{name.value}' in '{key}'", hint)
    return unknown


def links(ctx: FieldContext, key: str, node: Node) -> tuple[LinkSpec, ...]:
    """``related`` or ``sources``: each entry a bare URL or a mapping of the link's fields."""
    found = (_link(ctx, key, entry) for entry in entries(ctx, key, node))
    return tuple(link for link in found if link is not None)


def _link(ctx: FieldContext, key: str, node: Node) -> LinkSpec | None:
    if node.kind == "scalar" and isinstance(node.value, str):
        value = url(ctx, key, node, where=f"entry of '{key}'", hint=BARE_ENTRY_HINT)
        return LinkSpec(node.line, url=value) if value is not None else None
    if node.kind != "mapping":
        found = "a list" if node.kind == "sequence" else f"'{node.raw}'"
        ctx.error(node.line, f"entry of '{key}' must be a URL or a mapping, found {found}")
        return None
    values = _link_fields(ctx, key, node)
    if values is None or not _link_complete(ctx, key, node.line, set(values)):
        return None
    return LinkSpec(node.line, **values)


def _link_fields(
    ctx: FieldContext, key: str, node: Node, readers: Mapping[str, Reader] = _LINK_READERS
) -> dict[str, Any] | None:
    """A link mapping's fields, each read by its reader in ``readers``, or None when one
    is unknown or invalid.

    With an unknown key the completeness check is skipped: a misspelt ``url`` would
    otherwise be reported twice, once as unknown and once as missing.
    """
    values: dict[str, Any] = {}
    unknown = unknown_keys(ctx, key, node, readers)
    for name, value in node.items():
        if name.value in readers and not is_null(value):
            reader = readers[name.value]
            values[name.value] = reader(ctx, f"{key}.{name.value}", at_key(name, value))
    return None if unknown or None in values.values() else values


def _link_complete(ctx: FieldContext, key: str, line: int, given: set[str]) -> bool:
    """Whether a link mapping says what it links to.

    A ``related`` entry with a ``title`` alone is a headline the editor has not linked
    yet (the page shows it as plain text); without one it would show nothing.
    """
    if {"url", "ref"} <= given:
        ctx.error(line, f"entry of '{key}' has both 'url' and 'ref'", "keep one of them")
        return False
    if key == "related" and not given & {"url", "ref", "title"}:
        ctx.error(
            line,
            "entry of 'related' needs 'url' (a web page), 'ref' (one of ours) "
            "or 'title' (a headline not linked yet)",
        )
        return False
    if key == "sources" and not given & {"title", "source", "url", "ref"}:
        ctx.error(line, "entry of 'sources' needs a 'title' or 'source'")
        return False
    return True


_PROFILE_KEYS: dict[str, Reader] = {"title": text, "url": web_url}
PROFILE_HINT = "e.g. https://example.org/staff/jane-doe"


def profile_links(ctx: FieldContext, key: str, node: Node) -> tuple[LinkSpec, ...]:
    """An author's ``links``: each entry a web address, or ``{title, url}`` when the link
    should read as something else than its address ("Profile at Example News")."""
    found = []
    for entry in entries(ctx, key, node):
        if entry.kind == "scalar" and isinstance(entry.value, str):
            where = f"entry of '{key}'"
            value = url(ctx, key, entry, schemes=WEB, where=where, hint=PROFILE_HINT)
            if value is not None:
                found.append(LinkSpec(entry.line, url=value))
            continue
        if entry.kind != "mapping":
            shown = "a list" if entry.kind == "sequence" else f"'{shorten(str(entry.raw))}'"
            ctx.error(entry.line, f"entry of '{key}' must be a URL or a mapping, found {shown}")
            continue
        values = _link_fields(ctx, key, entry, _PROFILE_KEYS)
        if values is None:
            continue
        if "url" not in values:
            ctx.error(entry.line, f"entry of '{key}' needs 'url'")
            continue
        found.append(LinkSpec(entry.line, **values))
    return tuple(found)


_CORRECTION_KEYS = ("date", "text")


def corrections(ctx: FieldContext, key: str, node: Node) -> tuple[Correction, ...]:
    """The corrections log: a list of ``{date, text}``, ``text`` inline Markdown.

    Every entry needs both; whether a date precedes the article's is checked with the
    article (``frontmatter``). Kept oldest first, as a log reads.
    """
    found = []
    for entry in entries(ctx, key, node):
        correction = _correction(ctx, key, entry)
        if correction is not None:
            found.append(correction)
    return tuple(sorted(found, key=lambda c: c.date))


def _correction(ctx: FieldContext, key: str, node: Node) -> Correction | None:
    """One ``{date, text}`` entry, or None after reporting what is wrong with it.

    With an unknown key the check for missing ones is skipped, as for links: a misspelt
    ``text`` would otherwise be reported twice.
    """
    if node.kind != "mapping":
        found = "a list" if node.kind == "sequence" else f"'{shorten(str(node.raw))}'"
        ctx.error(
            node.line,
            f"entry of '{key}' must be a mapping with 'date' and 'text', found {found}",
            "e.g. - {date: 2024-06-20, text: An earlier version misstated the date.}",
        )
        return None
    unknown = unknown_keys(ctx, key, node, _CORRECTION_KEYS)
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for name, value in node.items():
        if name.value in _CORRECTION_KEYS and not is_null(value):
            located = at_key(name, value)
            lines[name.value] = located.line
            where = f"'{key}.{name.value}'"
            if name.value == "date":
                values["date"] = timestamp(ctx, f"{key}.date", located)
            else:
                values["text"] = text(ctx, f"{key}.text", located, where=where)
    if unknown or None in values.values():
        return None
    missing = [needed for needed in _CORRECTION_KEYS if needed not in values]
    for needed in missing:
        ctx.error(node.line, f"entry of '{key}' needs '{needed}'")
    if missing:
        return None
    moment, has_time = values["date"]
    return Correction(moment, has_time, values["text"], lines["text"], lines["date"])


_EVENT_KEYS = ("date", "text", "refs")
EVENT_HINT = 'e.g. - {date: 2023-09, text: "Kim visits Russia", refs: [kim-in-russia]}'


def events(ctx: FieldContext, key: str, node: Node) -> tuple[Event, ...]:
    """A topic's ``events``: a list of ``{date, text, refs}``, ``date`` as precise as
    known (``2023``, ``2023-09``, ``2023-09-13``), ``text`` inline Markdown, ``refs``
    the articles that report it (optional). Kept in the editor's order: the timeline
    sorts them by date with the articles."""
    found = []
    for entry in entries(ctx, key, node):
        event = _event(ctx, key, entry)
        if event is not None:
            found.append(event)
    return tuple(found)


def _event(ctx: FieldContext, key: str, node: Node) -> Event | None:
    """One ``{date, text, refs}`` entry, or None after reporting what is wrong with it;
    with an unknown key the check for missing ones is skipped, as for corrections."""
    if node.kind != "mapping":
        found = "a list" if node.kind == "sequence" else f"'{shorten(str(node.raw))}'"
        message = f"entry of '{key}' must be a mapping with 'date' and 'text', found {found}"
        ctx.error(node.line, message, EVENT_HINT)
        return None
    unknown = unknown_keys(ctx, key, node, _EVENT_KEYS)
    values: dict[str, Any] = {}
    text_line = node.line
    for name, value in node.items():
        if name.value not in _EVENT_KEYS or is_null(value):
            continue
        located = at_key(name, value)
        where = f"{key}.{name.value}"
        if name.value == "date":
            values["date"] = partial_date(ctx, where, located)
        elif name.value == "text":
            values["text"] = text(ctx, where, located, where=f"'{where}'")
            text_line = located.line
        else:
            values["refs"] = refs(ctx, where, located)
    if unknown or None in values.values():
        return None
    missing = [needed for needed in ("date", "text") if needed not in values]
    for needed in missing:
        ctx.error(node.line, f"entry of '{key}' needs '{needed}'", EVENT_HINT)
    if missing:
        return None
    return Event(values["date"], values["text"], values.get("refs", ()), node.line, text_line)


_IMAGE_KEYS = ("src", "alt", "caption", "credit", "licence", "focus")
_FOCUS_WORDS = {"left": 0.0, "top": 0.0, "center": 0.5, "centre": 0.5, "right": 1.0, "bottom": 1.0}
_FOCUS_PART = re.compile(r"(\d+(?:\.\d+)?)%")
FOCUS_HINT = "e.g. 'focus: 30% 40%' (across, then down) or 'focus: top'"


def image(ctx: FieldContext, key: str, node: Node) -> ImageSpec | None:
    """``image``: a mapping of ``src``, ``alt`` (required; "" for a decorative picture),
    ``caption``, ``credit``, ``licence`` and ``focus``. ``src`` is a path (to a file under
    ``content/``: the build looks for it) or an https URL, used as it is."""
    if node.kind != "mapping":
        ctx.error(
            node.line,
            f"'{key}' must be a mapping with 'src' and 'alt'",
            f"{key}:\n  src: photo.jpg\n  alt: what the picture shows",
        )
        return None
    given = {name.value: (name, value) for name, value in node.items()}
    ok = not unknown_keys(ctx, key, node, _IMAGE_KEYS)
    for required in ("src", "alt"):
        if required not in given:
            hint = 'alt: "" declares a decorative picture' if required == "alt" else None
            ctx.error(node.line, f"'{key}' needs '{required}'", hint)
            ok = False
    values: dict[str, Any] = {}
    for name_text, (name, value) in given.items():
        if name_text not in _IMAGE_KEYS or (is_null(value) and name_text not in ("src", "alt")):
            continue
        where = f"'{key}.{name_text}'"
        located = at_key(name, value)
        if name_text == "src":
            values["src"] = image_src(ctx, where, located)
        elif name_text == "alt":
            values["alt"] = _alt_text(ctx, where, located)
        elif name_text == "focus":
            values["focus"] = focus(ctx, where, located)
        else:
            values[name_text] = text(ctx, key, located, where=where)
        ok = ok and values[name_text] is not None
    if not ok:
        return None
    line = given["src"][0].line
    return ImageSpec(**values, line=line, key_line=node.line)


def image_src(ctx: FieldContext, where: str, node: Node) -> str | None:
    """A picture's address: a path (``photo.jpg``, ``/img/photo.jpg``) or an https URL."""
    value = text(ctx, "src", node, where=where)
    if value is None:
        return None
    scheme = _SCHEME.match(_URL_IGNORED.sub("", value))
    if scheme is None or len(scheme.group(1)) == 1:  # c:\\... is a path, not a scheme
        if "\\" in value:
            ctx.error(node.line, f"{where} must use '/' between folders, got '{shorten(value)}'")
            return None
        return value
    problem = url_problem(value, ("https",))
    if problem is not None:
        ctx.error(node.line, f"{where} {problem}", "a picture is a file under content/ or https")
        return None
    return value


def _alt_text(ctx: FieldContext, where: str, node: Node) -> str | None:
    """Alternative text; "" (written as such) is a decorative picture, nothing else is."""
    if node.kind == "scalar" and node.value == "" and not node.plain:
        return ""
    if is_null(node):
        ctx.error(node.line, f"{where} is empty", 'write alt: "" for a decorative picture')
        return None
    return text(ctx, "alt", node, where=where)


def focus(ctx: FieldContext, where: str, node: Node) -> tuple[float, float] | None:
    """Where a picture's subject is: two percentages (across, down) or one or two of
    ``left``/``center``/``right`` and ``top``/``center``/``bottom``."""
    value = text(ctx, "focus", node, where=where)
    if value is None:
        return None
    parts = value.lower().split()
    found: dict[str, float] = {}
    for index, part in enumerate(parts):
        number = _FOCUS_PART.fullmatch(part)
        if number is not None and float(number.group(1)) <= 100 and len(parts) == 2:
            found["x" if index == 0 else "y"] = float(number.group(1)) / 100
        elif part in ("left", "right") and "x" not in found:
            found["x"] = _FOCUS_WORDS[part]
        elif part in ("top", "bottom") and "y" not in found:
            found["y"] = _FOCUS_WORDS[part]
        elif part in ("center", "centre"):
            found.setdefault("x" if "x" not in found else "y", 0.5)
        else:
            found = {}
            break
    if not found or len(parts) > 2:
        ctx.error(node.line, f"{where} is not a position: '{shorten(value)}'", FOCUS_HINT)
        return None
    return (found.get("x", 0.5), found.get("y", 0.5))
