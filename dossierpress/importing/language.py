"""Guessing the language of a report with py3langid, among the languages that matter.

Left to choose among its 97 languages, a language identifier confuses Indonesian with
Malay and short texts with anything; restricted to the few a site publishes in (English,
Indonesian, the site's language and those its articles use) it is reliable. A guess it is
not sure of is no guess: the draft then takes the site's language, which the editor sees
and can change.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

from dossierpress.graph.resolve import primary_language

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

ALWAYS = ("en", "id")
CONFIDENCE = 0.9
"""The probability, among the candidate languages, below which a guess is not trusted."""
SHORTEST = 20
"""Fewer characters than this say too little to guess from."""


def guess_language(text: str, languages: Iterable[str] = ()) -> str | None:
    """The language of ``text`` (``en``, ``id``…) among ``ALWAYS`` and ``languages``
    (BCP 47 tags), or None when the text is too short or the guess unsure."""
    if len(text.strip()) < SHORTEST:
        return None
    identifier = _identifier(frozenset([*ALWAYS, *(primary_language(t) for t in languages)]))
    language, confidence = identifier.classify(text)
    return language if confidence >= CONFIDENCE else None


@cache
def _identifier(languages: frozenset[str]) -> LanguageIdentifier:
    """A model restricted to ``languages`` (those it knows). Loaded when first needed
    (half a second) and kept: py3langid's module-level functions share one model whose
    languages any caller may change, so this one is our own."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(sorted(languages & set(identifier.labels)))
    return identifier
