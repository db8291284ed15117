"""What a set of changed paths means for a build: the one place that classifies them.

``classify`` says what a path relative to the source is to the build: the live preview's
watcher asks it which file events matter, and ``Changes.of`` sorts a batch of paths with
it. The engine gets a ``Changes`` and takes the cheapest safe action for each kind:
settings start afresh, content files are read again, templates re-render the pages that
used them, translations the pages in their language, static files are copied. A folder
stands for everything below it (a watcher reports a created or deleted folder by its own
path).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import PurePosixPath

from dossierpress.config import CONFIG_NAME
from dossierpress.content.walk import is_temp_file

CONTENT = "content"
LAYOUTS = "layouts"
I18N = "i18n"
STATIC = "static"

SOURCE_FOLDERS = (CONTENT, LAYOUTS)
"""The folders of the source a site is built from (``site.yaml`` is the one file)."""


class ChangeKind(Enum):
    """What a changed path is to the build."""

    SETTINGS = "settings"
    CONTENT = "content"
    TEMPLATES = "templates"
    TRANSLATIONS = "translations"
    STATIC = "static"
    IGNORED = "ignored"
    """Nothing the site is built from: outside ``content/``, ``layouts/`` and
    ``site.yaml``, or an editor's or the OS's scratch file (which the walk skips too)."""


def classify(path: str) -> ChangeKind:
    """What a path relative to the source (POSIX, ``content/articles/x.md``) is to the build.

    ``layouts`` itself (the folder) is a template change: it stands for every kind below.
    A path with a scratch file or dot-folder anywhere in it (``content/.git/HEAD``,
    ``layouts/.x.html.swp``) is ignored, as the walk that reads the source skips it.
    """
    parts = PurePosixPath(path).parts
    if not parts or any(is_temp_file(part) for part in parts):
        return ChangeKind.IGNORED
    if parts == (CONFIG_NAME,):
        return ChangeKind.SETTINGS
    if parts[0] == CONTENT:
        return ChangeKind.CONTENT
    if parts[0] != LAYOUTS:
        return ChangeKind.IGNORED
    if len(parts) > 1 and parts[1] == I18N:
        return ChangeKind.TRANSLATIONS
    if len(parts) > 1 and parts[1] == STATIC:
        return ChangeKind.STATIC
    return ChangeKind.TEMPLATES


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
            kind = classify(path)
            if kind is ChangeKind.SETTINGS:
                settings = True
            elif kind is ChangeKind.CONTENT:
                content.add(path)
            elif kind is not ChangeKind.IGNORED:
                layouts.add(path)
                translations |= kind is ChangeKind.TRANSLATIONS or path == LAYOUTS
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


def of_batch(paths: Iterable[str]) -> Changes:
    """The changes a batch of changed paths stands for. An empty batch is a build with
    nothing known, the preview's first: everything, each file checked by its signature."""
    paths = frozenset(paths)
    return Changes.of(paths) if paths else EVERYTHING


def _under(path: str, folder: str) -> bool:
    """Whether ``path`` is ``folder`` or lies inside it."""
    folder = folder.rstrip("/")
    return path == folder or path.startswith(folder + "/")
