"""How editors' names for documents are compared: slugs, titles, topic aliases, wiki links."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_DASHES = re.compile(r"[\u002d\u2010-\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d]")
_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
"""Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt, unchanged from Unicode
14 to 16): characters shown as nothing at all, such as the soft hyphen, zero-width spaces
and joiners, bidirectional marks, variation selectors and the byte order mark. Python's
``unicodedata`` does not expose the property, hence the table."""


_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""Control characters (front matter refuses them) and the Unicode line separators, which
YAML would read as line breaks; each becomes a space."""


def clean_line(text: str) -> str:
    """One line as ``new`` and ``import`` write it into front matter: no control
    characters (a terminal's colour codes pasted with a title), single spaces, trimmed."""
    return _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()


def without_ignorables(text: str) -> str:
    """``text`` without the characters a reader cannot see (see ``_IGNORABLE``).

    A tag pasted from a web page often carries a zero-width space or a soft hyphen; left
    in, "Kim\u200bJong-un" and "KimJong-un" would look the same and be two tags.
    """
    return _IGNORABLE.sub("", text)


def comparable(text: str) -> str:
    """``text`` as names are compared: NFKC, without invisible characters.

    NFKC makes compatibility forms one (full-width "Ｋｉｍ" is "Kim", "ﬁ" is "fi"); the
    invisible characters go first, since one between two letters stops them composing.
    """
    return unicodedata.normalize("NFKC", without_ignorables(text))


@lru_cache(maxsize=65536)
def normalise_target(text: str) -> str:
    """The lookup key of a wiki-link target, slug, title or alias.

    Case-insensitive, Unicode-normalised (NFKC), invisible characters ignored, every dash
    or minus variant equal to ``-`` and whitespace collapsed: "Russia–North Korea" and
    "russia-north  korea" match.
    """
    folded = unicodedata.normalize("NFKC", comparable(text).casefold())
    return " ".join(_DASHES.sub("-", folded).split())
