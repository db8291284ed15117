"""Stories: an article and its versions in other languages (``translation_of``), which
readers count and list as one.

A list of articles (a dossier's timeline, a tag, the archive, the home page) shows each
story once, as Google News' clusters do: in the version in the page's language where the
list holds one, else in the version it holds (marked with its language), with links to
the other versions. The planner counts a list's pages with the same function as the page
shows it, so both agree on where a page ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from dossierpress.graph.resolve import primary_language


@dataclass(frozen=True)
class Story:
    """One story in a list: the version shown, and the story's other versions."""

    shown: str
    """Source path of the version the list shows."""
    others: tuple[str, ...] = ()
    """Its other versions (in other languages), whether or not the list holds them."""


def one_per_story(
    paths: Iterable[str],
    translations: Mapping[str, tuple[str, ...]],
    lang_of: Callable[[str], str],
    lang: str,
) -> tuple[Story, ...]:
    """``paths`` (a list, in its order) with each story once, at the place of the version
    shown: of a story's versions in the list, the first in ``lang`` (the page's), else the
    first of them. ``lang_of`` gives a version's language (the site's where it names none);
    it is asked only of translated articles, so a list without translations reads no
    language at all."""
    paths = tuple(paths)
    listed: set[str] | None = None
    chosen: dict[str, str] = {}
    stories = []
    wanted = primary_language(lang)
    for path in paths:
        others = translations.get(path) or ()
        if not others:
            stories.append(Story(path))
            continue
        if path not in chosen:
            if listed is None:
                listed = set(paths)
            versions = [path, *(p for p in others if p in listed)]
            best = next((p for p in versions if primary_language(lang_of(p)) == wanted), path)
            chosen.update((p, best) for p in (path, *others))
        if chosen[path] == path:
            stories.append(Story(path, others))
    return tuple(stories)


def shown_paths(stories: Iterable[Story]) -> tuple[str, ...]:
    return tuple(story.shown for story in stories)
