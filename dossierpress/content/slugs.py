"""Names that become parts of URLs and file names: slugs, tag page names, alias paths.

Everything an editor names (a topic file, a tag, an old URL) ends up as a folder of the
output, so it must be a name every disk takes and a URL reaches as written. These checks
belong to the content, not to the URL scheme of the pages (``pages.urls``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from slugify import slugify as _slugify

from dossierpress.content.names import comparable, without_ignorables
from dossierpress.yamlsafe import shorten

MAX_NAME_BYTES = 200
"""The longest slug, tag page name or alias part (UTF-8 bytes). Each becomes a folder name,
which file systems limit to 255 bytes; the rest is room for temporary names while writing."""
MAX_ALIAS_BYTES = 1000
"""The longest alias path (UTF-8 bytes), far below PATH_MAX (4,096 on Linux) even under a
deep output folder."""
_URL_SAFE_ASCII = re.compile(r"[A-Za-z0-9._~-]", re.ASCII)
"""RFC 3986's unreserved characters: the only ASCII a path can hold without escaping."""
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


@lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """A URL/anchor slug for any Unicode text ("Russia–North Korea" → ``russia-north-korea``).

    Memoised (a pure function): tags and headings repeat across thousands of articles,
    and transliteration is one of the costlier steps of building the content graph."""
    return _slugify(text)


SLUG_LENGTH = 80
"""The longest slug made from a headline, cut at a word: the slug is the article's URL,
and a whole long headline in it helps nobody (the build's limit is 200 bytes)."""


def article_slug(headline: str) -> str:
    """The headline as a slug, cut at a word boundary to at most ``SLUG_LENGTH``
    characters; ``new`` and ``import`` name the files they write with it."""
    slug = slugify(headline)
    if len(slug) <= SLUG_LENGTH:
        return slug
    cut = slug[: SLUG_LENGTH + 1]
    return cut.rsplit("-", 1)[0] if "-" in cut else slug[:SLUG_LENGTH]


def tag_key(text: str) -> str:
    """The identity of a tag, and its page's name: "Kim Jong-un" and "kim jong-un" are one tag.

    Compared as ``names.comparable`` text, so a zero-width space pasted into "Kim\u200bJong-un"
    does not make a second, look-alike tag page.
    """
    return slugify(comparable(text))


def name_too_long(name: str) -> str | None:
    """Why ``name`` (a slug or page name) cannot be a folder name, or None when it can."""
    size = len(name.encode("utf-8"))
    return f"{size} bytes, at most {MAX_NAME_BYTES}" if size > MAX_NAME_BYTES else None


class PathProblem(NamedTuple):
    """Why an alias cannot be a path: the message (after "alias '...'") and a hint."""

    message: str
    hint: str | None = None


_PATH_HINT = "write a path like /2019/05/x/"
_CHARACTER_HINT = "use letters, digits, '-', '.', '_' and '~' between the slashes"


def safe_relative_path(path: str) -> str | None:
    """Normalise an editor-given URL path (an alias), or None when ``alias_problem`` has one."""
    return None if alias_problem(path) is not None else normal_alias(path)


def normal_alias(path: str) -> str:
    """The output path of an alias that ``alias_problem`` accepts.

    ``/old/story/`` → ``old/story/``; a last part without a dot is a folder (``old/story``
    → ``old/story/``), one with a dot a file (``old/pact.html``).
    """
    normal = path.strip("/")
    last = normal.rsplit("/", 1)[-1]
    return normal + "/" if path.endswith("/") or "." not in last else normal


def alias_problem(path: str) -> PathProblem | None:
    """Why an alias cannot be written as a page any URL reaches, or None when it can.

    Anything that could leave the output folder (``..``, backslashes) is refused, and so is
    what a URL path cannot hold as written (``?`` and ``#`` start a query or fragment; a
    folder named ``a?b`` is never reached), hidden names, and parts too long for a disk.
    """
    segments = path.replace("\\", "/").strip("/").split("/")
    if ".." in segments:
        return PathProblem("would escape the output folder")
    if _SCHEME.match(path):
        return PathProblem("is a full URL", "write only its path, like /2019/05/x/")
    if not path.strip("/"):
        return PathProblem("is empty", _PATH_HINT)
    if "" in segments:
        return PathProblem("has an empty part (//)", _PATH_HINT)
    for char in path:
        if char != "/" and not _path_character(char):
            return _character_problem(char)
    return _segment_problem(segments) or _length_problem(path)


def _path_character(char: str) -> bool:
    """RFC 3986 unreserved ASCII, or a visible Unicode letter, digit or mark (an IRI)."""
    if char.isascii():
        return _URL_SAFE_ASCII.match(char) is not None
    return _visible(char) and unicodedata.category(char)[0] in "LNM"


def _visible(char: str) -> bool:
    return char.isprintable() and not char.isspace() and without_ignorables(char) == char


def _character_problem(char: str) -> PathProblem:
    shown = f"'{char}'" if _visible(char) else f"U+{ord(char):04X}"
    hint = (
        "write the characters themselves, e.g. é rather than %C3%A9"
        if char == "%"
        else _CHARACTER_HINT
    )
    return PathProblem(f"contains {shown}, which a URL path cannot hold", hint)


def _segment_problem(segments: list[str]) -> PathProblem | None:
    for segment in segments:
        if segment.startswith("."):
            return PathProblem(
                "has a part starting with '.'", "the build writes no hidden files or folders"
            )
        too_long = name_too_long(segment)
        if too_long:
            return PathProblem(f"has a part of {too_long}", f"shorten '{shorten(segment)}'")
    return None


def _length_problem(path: str) -> PathProblem | None:
    size = len(path.encode("utf-8"))
    if size > MAX_ALIAS_BYTES:
        return PathProblem(f"is too long: {size} bytes, at most {MAX_ALIAS_BYTES}")
    return None
