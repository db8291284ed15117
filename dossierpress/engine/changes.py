"""What a set of changed paths means for a build: the one place that classifies them.

The watcher asks ``kind_of`` whether a path is one the site is built from; the engine
gets a ``Changes`` and takes the cheapest safe action for each kind: settings start
afresh, content files are read again, templates re-render the pages that used them,
translations the pages in their language, static files are copied. A folder stands for
everything below it (a watcher reports a created or deleted folder by its own path).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from dossierpress.config import CONFIG_NAME

CONTENT = "content"
LAYOUTS = "layouts"
I18N = "i18n"
STATIC = "static"

SETTINGS_KIND = "settings"
CONTENT_KIND = "content"
TEMPLATES_KIND = "templates"
TRANSLATIONS_KIND = "translations"
STATIC_KIND = "static"


def kind_of(path: str) -> str | None:
    """What a path relative to the source is to the build, or None when it is nothing.

    ``layouts`` itself (the folder) is a template change: it stands for every kind below.
    """
    parts = PurePosixPath(path).parts
    if not parts:
        return None
    if parts == (CONFIG_NAME,):
        return SETTINGS_KIND
    if parts[0] == CONTENT:
        return CONTENT_KIND
    if parts[0] != LAYOUTS:
        return None
    if len(parts) > 1 and parts[1] == I18N:
        return TRANSLATIONS_KIND
    if len(parts) > 1 and parts[1] == STATIC:
        return STATIC_KIND
    return TEMPLATES_KIND


@dataclass(frozen=True)
class Changes:
    """Changed source paths by kind; ``everything`` when nothing is known (a first build,
    or a command-line build, which checks every file)."""

    settings: bool = False
    content: frozenset[str] = frozenset()
    """Paths under ``content/``, files or folders."""
    layouts: frozenset[str] = frozenset()
    """Paths under ``layouts/`` (templates, static files, translations), or ``layouts``."""
    translations: bool = False
    everything: bool = False

    @classmethod
    def of(cls, paths: Iterable[str]) -> Changes:
        settings, translations = False, False
        content: set[str] = set()
        layouts: set[str] = set()
        for path in paths:
            kind = kind_of(path)
            if kind == SETTINGS_KIND:
                settings = True
            elif kind == CONTENT_KIND:
                content.add(path)
            elif kind is not None:
                layouts.add(path)
                translations |= kind == TRANSLATIONS_KIND or path == LAYOUTS
        return cls(settings, frozenset(content), frozenset(layouts), translations)

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.settings or other.settings,
            self.content | other.content,
            self.layouts | other.layouts,
            self.translations or other.translations,
            self.everything or other.everything,
        )

    def __bool__(self) -> bool:
        return self.everything or self.settings or bool(self.content or self.layouts)

    @property
    def theme(self) -> bool:
        """Whether the theme must be read again (a template, static file or catalogue)."""
        return self.everything or bool(self.layouts)

    def names(self, rel: str) -> bool:
        """Whether a content file was named, itself or by a folder above it."""
        return any(_under(rel, path) for path in self.content)

    def copied_changed(self, rel: str) -> bool:
        """Whether a copied file (``content/...`` or ``layouts/static/...``) was named
        (its path stays the same when it is edited; its signature may not show it)."""
        return any(_under(rel, p) for p in (*self.content, *self.layouts))


NOTHING = Changes()
EVERYTHING = Changes(everything=True)


def _under(path: str, folder: str) -> bool:
    """Whether ``path`` is ``folder`` or lies inside it."""
    folder = folder.rstrip("/")
    return path == folder or path.startswith(folder + "/")
