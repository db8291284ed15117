"""The theme: Jinja2 templates from layout folders, rendered with the view objects.

A project may have its own ``layouts/`` beside ``content/``; each of its templates (and
each file under ``layouts/static/``) replaces the default theme's file of the same name,
so an editor changes one template without copying the whole theme. Templates receive
exactly ``site``, ``page`` and ``_`` (see ``views``), autoescape HTML and treat an
undefined value as an error, so a typo in a template fails the build instead of leaving
a silent gap on thousands of pages. Every Jinja error is reported like a content error,
``layouts/article.html:12: error: ...``, at the template line where it happened.

Themes are contributed code that CI builds, so templates run in Jinja's immutable
sandbox: no ``_`` attributes (``cycler.__init__.__globals__`` would reach ``os``), no
changing lists or dicts, no ``range`` of more than 100,000 numbers, and no ``lipsum``
(random text would also make two builds differ). Every file of a layout folder comes from
the same safe walk as ``content/`` (``walk``): a symbolic link out of ``layouts/`` is
refused (``Theme.problems``) and never read, and templates are loaded only from the
walked files.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import Any

from jinja2 import (
    BaseLoader,
    DictLoader,
    Environment,
    StrictUndefined,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
    meta,
    select_autoescape,
)
from jinja2.bccache import Bucket, BytecodeCache
from jinja2.exceptions import SecurityError
from jinja2.ext import extract_from_ast
from jinja2.loaders import split_template_path
from jinja2.runtime import Context, Undefined
from jinja2.sandbox import (
    MAX_RANGE,
    ImmutableSandboxedEnvironment,
    modifies_known_mutable,
    safe_range,
)
from markupsafe import Markup

from dossierpress.content.walk import SourceFile, read_source_bytes, walk_files
from dossierpress.errors import BuildError, ContentError, ErrorList
from dossierpress.theme.i18n import Localizer
from dossierpress.values import TemplateData

LAYOUTS_DIR = "layouts"
STATIC_DIR = "static"
DEFAULT_THEME_HINT = "in the default theme"


def default_layouts_dir() -> Path:
    """The default theme: shipped inside the package, or at the top of a source checkout."""
    package = Path(__file__).parent.parent
    packaged = package / LAYOUTS_DIR
    if packaged.is_dir():
        return packaged
    return package.parent / LAYOUTS_DIR


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

    def __init__(
        self,
        layout_dirs: Sequence[Path],
        source: Path | None = None,
        *,
        bytecode: dict[str, bytes] | None = None,
    ) -> None:
        """``layout_dirs`` highest priority first; ``source`` is the project's root, to name
        its own template files relative to it in errors (otherwise ``layouts/<name>``);
        ``bytecode`` keeps compiled templates between themes (a build state's)."""
        self.layout_dirs: tuple[Path, ...] = tuple(Path(os.path.abspath(d)) for d in layout_dirs)
        self.source = Path(os.path.abspath(source)) if source is not None else None
        self._default = Path(os.path.abspath(default_layouts_dir()))
        # What the walk refused (a link out of layouts/), for the build to report.
        self.problems, self._files = self._walk()
        self._templates = {name: f for name, f in self._files.items() if _is_template(name)}
        self._env = _sandbox(_WalkedLoader(self._templates), bytecode)
        self._used: dict[str, frozenset[str]] = {}
        self._refs: dict[str, tuple[str | None, ...]] = {}
        self._digests: dict[str, str] | None = None
        self._macros: dict[tuple[str, str, int], tuple[Localizer, Callable[..., Markup]]] = {}

    @classmethod
    def for_source(cls, source: Path) -> Theme:
        return cls(layout_dirs(source), source)

    def template_digests(self) -> dict[str, str]:
        """A digest of each template's bytes, by name: which pages an edit of the theme
        affects (those that used a template whose digest changed)."""
        if self._digests is None:
            self._digests = {
                name: hashlib.blake2b(found.read(), digest_size=16).hexdigest()
                for name, found in sorted(self._templates.items())
            }
        return self._digests

    def __reduce__(self) -> tuple[type[Theme], tuple[tuple[Path, ...], Path | None]]:
        return (Theme, (self.layout_dirs, self.source))

    def _walk(self) -> tuple[list[ContentError], dict[str, SourceFile]]:
        """Walk every layout folder once: its problems, and its files by name under the
        folder (the first folder of ``layout_dirs`` wins)."""
        problems: list[ContentError] = []
        files: dict[str, SourceFile] = {}
        for layout_dir in reversed(self.layout_dirs):
            found = ErrorList()
            for rel, found_path in walk_files(layout_dir, LAYOUTS_DIR, found):
                path = Path(found_path)
                files[rel.removeprefix(f"{LAYOUTS_DIR}/")] = SourceFile(path, layout_dir)
            if layout_dir == self._default:
                found.errors = [replace(e, hint=DEFAULT_THEME_HINT) for e in found.errors]
            problems.extend(found.errors)
        return sorted(problems), files

    def render(
        self, template_name: str, *, site: object, page: object, localizer: Localizer
    ) -> str:
        """Render one page; any template problem becomes a ``BuildError`` at its line."""
        try:
            template = self._env.get_template(template_name)
            return template.render(site=site, page=page, _=localizer)
        except Exception as exc:
            raise BuildError([self._error(exc, template_name)]) from exc

    def macro(
        self, template_name: str, macro_name: str, localizer: Localizer
    ) -> Callable[..., Markup]:
        """A macro of a template, to render a piece of a page the view builds (a body's
        pictures); its problems become a ``BuildError`` at its line, as a page's do.
        Memoised per language: a module is made by running the template."""
        key = (template_name, macro_name, id(localizer))
        known = self._macros.get(key)
        if known is not None and known[0] is localizer:
            return known[1]
        try:
            template = self._env.get_template(template_name)
            found = getattr(template.make_module({"_": localizer}), macro_name)
        except Exception as exc:
            raise BuildError([self._error(exc, template_name)]) from exc

        def call(*args: object) -> Markup:
            try:
                return Markup(found(*args))
            except Exception as exc:
                raise BuildError([self._error(exc, template_name)]) from exc

        self._macros[key] = (localizer, call)
        return call

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
                self._refs[name] = _referenced_templates(source, name, filename)
            except Exception as exc:
                raise BuildError([self._error(exc, name)]) from exc
        return self._refs[name]

    def template_names(self) -> list[str]:
        """Every template the layout folders provide (``_is_template``)."""
        return sorted(self._templates)

    def static_files(self) -> list[tuple[str, SourceFile]]:
        """``(path under static/, file)`` for every static file, the project's overriding."""
        prefix = f"{STATIC_DIR}/"
        return sorted(
            (name.removeprefix(prefix), found)
            for name, found in self._files.items()
            if name.startswith(prefix)
        )

    def _error(self, exc: BaseException, template_name: str) -> ContentError:
        if isinstance(exc, TemplateSyntaxError):
            where = self._label(exc.filename) if exc.filename else None
            if where is not None and exc.lineno:
                return _located(where, exc.lineno, f"template syntax error: {exc.message}")
        located = self._innermost_template_frame(exc.__traceback__)
        if located is None:
            if isinstance(exc, TemplateNotFound):
                # the name may be an Undefined, whose truth a StrictUndefined refuses
                found = exc.name if isinstance(exc.name, str) and exc.name else template_name
                return _not_found(found)
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


class _WalkedLoader(BaseLoader):
    """Templates by name, only from the files the walk of the layout folders found.

    Jinja's ``FileSystemLoader`` opens any name under a layout folder and follows a
    symbolic link out of it; this loader knows only walked files and reads each through
    ``read_source_bytes``, which also refuses a link swapped in after the walk.
    """

    def __init__(self, templates: Mapping[str, SourceFile]) -> None:
        self._templates = templates

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        found = self._templates.get("/".join(split_template_path(template)))
        if found is None:
            raise TemplateNotFound(template)
        path = found.path
        mtime = _mtime(path)
        source = found.read().decode("utf-8")
        return source, str(path), lambda: mtime is not None and _mtime(path) == mtime

    def list_templates(self) -> list[str]:
        return sorted(self._templates)


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


MAX_PRODUCT = 1_000_000
"""The longest string or list a template may make with ``*``, and the most bits a number
made with ``**`` may have: enough for any page, too little to exhaust the machine."""


class ThemeSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, its refusals worded for whoever edits the theme.

    Besides attributes and mutation, ``*`` and ``**`` are checked: ``'x' * 10**10`` or
    ``9**9**9`` would otherwise take the building machine's memory or time. Our own view
    objects take a short path: their public attributes are data, nothing to guard.
    """

    intercepted_binops = frozenset({"*", "**"})
    plain_types: tuple[type, ...] = (TemplateData, Localizer)
    """What templates receive (the views, marked ``TemplateData``, and ``_``): plain data
    of ours, whose public attributes a template may read without the sandbox's per-access
    checks (a third of rendering time on a large archive)."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, self.plain_types) and not attribute.startswith("_"):
            try:
                return getattr(obj, attribute)
            except AttributeError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def unsafe_undefined(self, obj: object, attribute: str) -> Undefined:
        return self.undefined(_refusal(obj, attribute), name=attribute, obj=obj, exc=SecurityError)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if _too_big(operator, left, right):
            raise SecurityError(
                f"the template made a value too big with {operator!r} "
                f"(more than {MAX_PRODUCT} items or bits), which themes may not do"
            )
        return super().call_binop(context, operator, left, right)


def _too_big(operator: str, left: Any, right: Any) -> bool:
    if operator == "**":
        return (
            _is_int(left)
            and _is_int(right)
            and abs(left) > 1
            and (right * abs(left).bit_length() > MAX_PRODUCT)
        )
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, str | list | tuple) and _is_int(count):
            return len(sequence) * count > MAX_PRODUCT
    return False


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _DictBytecodeCache(BytecodeCache):
    """Compiled templates in a dict (Jinja checks each against its source's checksum)."""

    def __init__(self, store: dict[str, bytes]) -> None:
        self.store = store

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


@functools.lru_cache(maxsize=1024)
def _referenced_templates(source: str, name: str, filename: str | None) -> tuple[str | None, ...]:
    """What a template's source extends, includes or imports (None: computed at render
    time). The answer depends on the source alone, and every theme a build makes asks it
    of every template, so it is remembered by source: a parse costs milliseconds, a cold
    build's theme would parse each template once more than it compiles it."""
    ast = _PARSING.parse(source, name, filename)
    return tuple(meta.find_referenced_templates(ast))


def _sandbox(loader: BaseLoader, bytecode: dict[str, bytes] | None) -> Environment:
    env = ThemeSandbox(
        loader=loader,
        bytecode_cache=_DictBytecodeCache(bytecode) if bytecode is not None else None,
        autoescape=select_autoescape(
            ("html", "htm", "xml", "svg"), disabled_extensions=("txt",), default=True
        ),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["range"] = _bounded_range
    del env.globals["lipsum"]  # random text: two builds would differ
    return env


def _refusal(obj: object, attribute: str) -> str:
    """Why the sandbox refused ``obj.attribute``: an internal attribute, or a change."""
    if modifies_known_mutable(obj, attribute):
        change = f"the template tried to change a {type(obj).__name__} with {attribute!r}"
        return f"{change}, which themes may not do"
    return f"the template reached for {attribute!r}, which themes may not use"


def _bounded_range(*args: int) -> range:
    """The sandbox's ``range``, so a theme cannot make every page count to a billion."""
    try:
        return safe_range(*args)
    except OverflowError:
        message = f"the template asked for a range of more than {MAX_RANGE} numbers"
        raise SecurityError(f"{message}, which themes may not use") from None


def extract_messages(layout_dir: Path) -> list[tuple[str, int, str | tuple[str, str] | None]]:
    """``(template, line, message)`` for every ``_(...)`` call in a layout folder's templates.

    The message is the string of ``_("Topics")``, the pair of
    ``_("%(num)d article", "%(num)d articles", n)``, or None when it is not a literal string
    (which no catalogue can translate). For checking that catalogues are complete; the
    folder's walk problems are ``Theme.problems``' to report.
    """
    env = Environment()  # only parses, never renders
    found: list[tuple[str, int, str | tuple[str, str] | None]] = []
    for rel, found_path in walk_files(layout_dir, LAYOUTS_DIR, ErrorList()):
        path = Path(found_path)
        if not _is_template(rel.removeprefix(f"{LAYOUTS_DIR}/")):
            continue
        ast = env.parse(read_source_bytes(layout_dir, path).decode("utf-8"))
        for line, _function, message in extract_from_ast(ast, gettext_functions=("_",)):
            found.append((rel, line, _message_id(message)))
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
    if isinstance(exc, SecurityError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"cannot read this template: {exc.strerror or exc}"
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
    """HTML, XML and text files (``robots.txt``) outside ``static/`` (the walk already
    skipped editors' files). Text templates are not escaped; every other one is."""
    return name.endswith((".html", ".htm", ".xml", ".txt")) and not name.startswith(
        f"{STATIC_DIR}/"
    )


_PARSING = _sandbox(DictLoader({}), None)
"""An environment with the theme's syntax settings, used only to parse (never to render)."""
