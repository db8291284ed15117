"""``graph.stories``: a list shows each story once, in the version for the page's language."""

from __future__ import annotations

from dossierpress.graph.stories import Story, one_per_story

LANGS = {"en1": "en", "id1": "id", "en2": "en-GB", "id3": "id", "fr1": "fr"}
TRANSLATIONS = {"en1": ("fr1", "id1"), "id1": ("en1", "fr1"), "fr1": ("en1", "id1")}


def stories(paths: list[str], lang: str) -> tuple[Story, ...]:
    asked: list[str] = []

    def lang_of(path: str) -> str:
        asked.append(path)
        return LANGS[path]

    found = one_per_story(paths, TRANSLATIONS, lang_of, lang)
    assert set(asked) <= set(TRANSLATIONS), "only translated articles' languages are read"
    return found


def test_a_story_is_listed_once_in_the_version_for_the_pages_language() -> None:
    paths = ["en1", "en2", "id1", "id3", "fr1"]
    assert stories(paths, "en") == (Story("en1", ("fr1", "id1")), Story("en2"), Story("id3"))
    assert stories(paths, "id-ID") == (Story("en2"), Story("id1", ("en1", "fr1")), Story("id3"))
    assert stories(paths, "fr") == (Story("en2"), Story("id3"), Story("fr1", ("en1", "id1")))


def test_without_a_version_in_the_pages_language_the_first_one_listed_stands() -> None:
    assert stories(["id1", "en2", "fr1"], "de") == (Story("id1", ("en1", "fr1")), Story("en2"))


def test_a_version_the_list_does_not_hold_is_linked_not_listed() -> None:
    # A tag only the Indonesian version carries: the list shows it, and links the others.
    assert stories(["id1", "en2"], "en") == (Story("id1", ("en1", "fr1")), Story("en2"))


def test_a_list_without_translations_is_unchanged() -> None:
    assert stories(["en2", "id3"], "en") == (Story("en2"), Story("id3"))
