"""The theme: Jinja2 templates from layout folders, rendered with the view objects.

A project may have its own ``layouts/`` beside ``content/``; each of its templates (and
each file under ``layouts/static/``) replaces the default theme's file of the same name,
so an editor changes one template without copying the whole theme. Templates receive
exactly ``site``, ``page`` and ``_`` (see ``views``), autoescape HTML and treat an
undefined value as an error, so a typo in a template fails the build instead of leaving
a silent gap on thousands of pages. Every Jinja error is reported like a content error,
``layouts/article.html:12: error: ...``, at the template line where it happened.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
    meta,
    select_autoescape,
)
from jinja2.ext import extract_from_ast

from .errors import BuildError, ContentError
from .i18n import Localizer

LAYOUTS_DIR = "layouts"
STATIC_DIR = "static"
DEFAULT_THEME_HINT = "in the default theme"


def default_layouts_dir() -> Path:
    """The default theme: shipped inside the package, or at the top of a source checkout."""
    packaged = Path(__file__).parent / LAYOUTS_DIR
    if packaged.is_dir():
        return packaged
    return Path(__file__).parent.parent / LAYOUTS_DIR


def layout_dirs(source: Path) -> tuple[Path, ...]:
    """The layout folders for a project, highest priority first."""
    own = source / LAYOUTS_DIR
    default = default_layouts_dir()
    if own.is_dir() and os.path.abspath(own) != os.path.abspath(default):
        return (own, default)
    return (default,)


class Theme:
    """The templates and static files of a list of layout folders (the first one wins).

    Holds a Jinja ``Environment`` (which caches compiled templates and reloads changed
    ones), but pickles as its folder list so a worker process can rebuild its own.
    """

    def __init__(self, layout_dirs: Sequence[Path], source: Path | None = None) -> None:
        """``layout_dirs`` highest priority first; ``source`` is the project's root, to name
        its own template files relative to it in errors (otherwise ``layouts/<name>``)."""
        self.layout_dirs: tuple[Path, ...] = tuple(Path(os.path.abspath(d)) for d in layout_dirs)
        self.source = Path(os.path.abspath(source)) if source is not None else None
        self._default = Path(os.path.abspath(default_layouts_dir()))
        self._env = Environment(
            loader=FileSystemLoader([str(d) for d in self.layout_dirs]),
            autoescape=select_autoescape(("html", "htm", "xml", "svg"), default=True),
            undefined=StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._used: dict[str, frozenset[str]] = {}
        self._refs: dict[str, tuple[str | None, ...]] = {}

    @classmethod
    def for_source(cls, source: Path) -> Theme:
        return cls(layout_dirs(source), source)

    def __reduce__(self) -> tuple[type[Theme], tuple[tuple[Path, ...], Path | None]]:
        return (Theme, (self.layout_dirs, self.source))

    def render(
        self, template_name: str, *, site: object, page: object, localizer: Localizer
    ) -> str:
        """Render one page; any template problem becomes a ``BuildError`` at its line."""
        try:
            template = self._env.get_template(template_name)
            return template.render(site=site, page=page, _=localizer)
        except Exception as exc:
            raise BuildError([self._error(exc, template_name)]) from exc

    def templates_used(self, template_name: str) -> frozenset[str]:
        """The template and everything it extends, includes or imports, recursively.

        A reference computed at render time cannot be known here, so then every template
        counts as used: rebuilding too much is safe, too little is not. Memoised per
        theme, since every page asks and parsing a template costs milliseconds.
        """
        if template_name not in self._used:
            self._used[template_name] = self._find_templates_used(template_name)
        return self._used[template_name]

    def _find_templates_used(self, template_name: str) -> frozenset[str]:
        seen: set[str] = set()
        pending = [template_name]
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            references = self._references(name)
            if None in references:
                return frozenset(self.template_names()) | seen
            pending.extend(ref for ref in references if ref is not None)
        return frozenset(seen)

    def _references(self, name: str) -> tuple[str | None, ...]:
        """What one template extends, includes or imports (None: computed at render time)."""
        if name not in self._refs:
            try:
                loader = self._env.loader
                assert loader is not None
                source, filename, _uptodate = loader.get_source(self._env, name)
                ast = self._env.parse(source, name, filename)
                self._refs[name] = tuple(meta.find_referenced_templates(ast))
            except Exception as exc:
                raise BuildError([self._error(exc, name)]) from exc
        return self._refs[name]

    def template_names(self) -> list[str]:
        """Every template the layout folders provide (HTML and XML files outside ``static/``)."""
        names = self._env.list_templates(filter_func=_is_template)
        return sorted(name for name in names if not name.startswith(f"{STATIC_DIR}/"))

    def template_file(self, template_name: str) -> Path:
        """The file that provides a template: the project's own or the default theme's."""
        for layout_dir in self.layout_dirs:
            path = layout_dir / template_name
            if path.is_file():
                return path
        raise BuildError([_not_found(template_name)])

    def static_files(self) -> list[tuple[str, Path]]:
        """``(path under static/, file)`` for every static file, the project's overriding."""
        files: dict[str, Path] = {}
        for layout_dir in reversed(self.layout_dirs):
            static = layout_dir / STATIC_DIR
            if not static.is_dir():
                continue
            for path in static.rglob("*"):
                relative = path.relative_to(static)
                if path.is_file() and not any(_is_hidden(part) for part in relative.parts):
                    files[relative.as_posix()] = path
        return sorted(files.items())

    def _error(self, exc: BaseException, template_name: str) -> ContentError:
        if isinstance(exc, TemplateSyntaxError):
            where = self._label(exc.filename) if exc.filename else None
            if where is not None and exc.lineno:
                return _located(where, exc.lineno, f"template syntax error: {exc.message}")
        located = self._innermost_template_frame(exc.__traceback__)
        if located is None:
            if isinstance(exc, TemplateNotFound):
                return _not_found(exc.name or template_name)
            located = ((f"{LAYOUTS_DIR}/{template_name}", False), 1)
        where, line = located
        return _located(where, line, _describe(exc))

    def _innermost_template_frame(
        self, tb: TracebackType | None
    ) -> tuple[tuple[str, bool], int] | None:
        """Jinja rewrites tracebacks so template frames carry the template file and line."""
        found = None
        while tb is not None:
            where = self._label(tb.tb_frame.f_code.co_filename)
            if where is not None:
                found = (where, tb.tb_lineno)
            tb = tb.tb_next
        return found

    def _label(self, filename: str) -> tuple[str, bool] | None:
        """``layouts/<name>`` for a file of a layout folder, and whether it is the default's."""
        path = Path(os.path.abspath(filename))
        for layout_dir in self.layout_dirs:
            if not path.is_relative_to(layout_dir):
                continue
            default = layout_dir == self._default
            if self.source is not None and not default and path.is_relative_to(self.source):
                return path.relative_to(self.source).as_posix(), False
            return f"{LAYOUTS_DIR}/{path.relative_to(layout_dir).as_posix()}", default
        return None


def extract_messages(layout_dir: Path) -> list[tuple[str, int, str | tuple[str, str] | None]]:
    """``(template, line, message)`` for every ``_(...)`` call in a layout folder's templates.

    The message is the string of ``_("Topics")``, the pair of
    ``_("%(num)d article", "%(num)d articles", n)``, or None when it is not a literal string
    (which no catalogue can translate). For checking that catalogues are complete.
    """
    env = Environment()
    found: list[tuple[str, int, str | tuple[str, str] | None]] = []
    for path in sorted(layout_dir.rglob("*")):
        relative = path.relative_to(layout_dir).as_posix()
        if relative.startswith(f"{STATIC_DIR}/") or not (path.is_file() and _is_template(relative)):
            continue
        ast = env.parse(path.read_text(encoding="utf-8"))
        for line, _function, message in extract_from_ast(ast, gettext_functions=("_",)):
            found.append((f"{LAYOUTS_DIR}/{relative}", line, _message_id(message)))
    return found


def _message_id(message: str | tuple[str | None, ...] | None) -> str | tuple[str, str] | None:
    """Jinja gives a tuple for calls with several arguments (None for non-literal ones)."""
    if not isinstance(message, tuple):
        return message
    strings = []
    for part in message:
        if not isinstance(part, str):
            break
        strings.append(part)
    if len(strings) == 1:
        return strings[0]
    if len(strings) == 2:
        return (strings[0], strings[1])
    return None


def _describe(exc: BaseException) -> str:
    if isinstance(exc, UndefinedError):
        return exc.message or "undefined value"
    if isinstance(exc, TemplateNotFound):
        return f"template '{exc.name}' not found"
    return f"{type(exc).__name__} while rendering: {exc}"


def _located(where: tuple[str, bool], line: int, message: str) -> ContentError:
    path, default = where
    return ContentError(path, line, message, hint=DEFAULT_THEME_HINT if default else None)


def _not_found(template_name: str) -> ContentError:
    return ContentError(
        f"{LAYOUTS_DIR}/{template_name}",
        1,
        f"template '{template_name}' not found",
        hint="neither the project's layouts/ nor the default theme has it",
    )


def _is_template(name: str) -> bool:
    return name.endswith((".html", ".htm", ".xml")) and not any(
        _is_hidden(part) for part in name.split("/")
    )


def _is_hidden(name: str) -> bool:
    """Dot files and editors' temporary files are never part of a theme."""
    return name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp"))
