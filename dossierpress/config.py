"""Site settings from the optional ``site.yaml``, validated against a typed schema.

Every problem is collected (unknown keys with a "did you mean", wrong types, an unknown
timezone or language) so the editor fixes ``site.yaml`` in one go.
"""

from __future__ import annotations

import ipaddress
import re
import stat
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from urllib.parse import SplitResult, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError

from dossierpress.errors import ContentError, ErrorList, did_you_mean
from dossierpress.yamlsafe import Node, YamlProblem, load_yaml, shorten

CONFIG_NAME = "site.yaml"
DEFAULT_BASE_URL = "http://localhost:8000/"
DEFAULT_MAX_FILE_SIZE = 2_000_000
"""2 MB: news articles are a few kB, so a larger file is almost surely a pasted blob, and
one such file must not hold the whole build up (20 MB took 47 s and 2 GB to parse)."""
DEFAULT_MAX_IMAGE_SIZE = 20_000_000
"""20 MB: a camera's full-size JPEG is 5–15 MB; a larger picture is a scan or a mistake,
and every width published of it is decoded from the whole file."""
DEFAULT_ARCHIVE_ENDPOINT = "https://archive.org/wayback/available"
"""The Internet Archive's availability API, which ``check --links`` asks for the archived
copy of a dead source unless ``links: {archive_endpoint: …}`` names another archive."""


@dataclass(frozen=True)
class SiteStrings:
    """What the site says of itself on every page (header, footer, feeds, link previews),
    in one language."""

    title: str
    description: str
    footer: str
    """A line under the title and description in every page's footer (a licence, who
    publishes the site); "" for none."""


@dataclass(frozen=True)
class SiteConfig:
    title: str = "Dossier"
    base_url: str = DEFAULT_BASE_URL
    """Absolute URL of the site root, always ending in ``/``; may carry a path prefix."""
    language: str = "en"
    timezone: str = "UTC"
    description: str = ""
    footer: str = ""
    translations: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    """(language, ((key, text), …)) pairs from ``translations:``: the site's own strings
    (``TRANSLATED_KEYS``) on pages in that language, by language tag."""
    markdown_html: bool = False
    """Whether raw HTML in Markdown is passed through (``markdown: {html: true}``)."""
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    """The largest article or topic file read, in bytes; larger ones are an error."""
    max_image_size: int = DEFAULT_MAX_IMAGE_SIZE
    """The largest picture file processed, in bytes; larger ones are an error."""
    links_concurrency: int | None = None
    """``links: {concurrency: N}``: requests at once for ``check --links`` (None: its
    option's default)."""
    links_timeout: float | None = None
    """``links: {timeout: seconds}``: a ``check --links`` request's time limit."""
    archive_endpoint: str = DEFAULT_ARCHIVE_ENDPOINT
    """Where dead sources' archived copies are looked for (``links: {archive_endpoint}``):
    any archive answering like the Internet Archive's availability API."""

    @cached_property
    def base_path(self) -> str:
        """The path prefix every internal link starts with (``/`` or ``/dossiers/``)."""
        return urlsplit(self.base_url).path or "/"

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def strings(self, lang: str) -> SiteStrings:
        """The site's strings on a page in ``lang``: its translation where ``site.yaml``
        gives one (``id`` serves ``id-ID`` too), else the settings' own, key by key."""
        own = {"title": self.title, "description": self.description, "footer": self.footer}
        translated = dict(self.translations)
        wanted = lang.casefold()
        found = translated.get(wanted) or translated.get(wanted.split("-")[0]) or ()
        return SiteStrings(**(own | dict(found)))

    def with_base_url(self, base_url: str) -> SiteConfig:
        """The same settings served from another root (the live preview's own address)."""
        return replace(self, base_url=_normalise_base_url(base_url))


_STRING_KEYS = ("title", "base_url", "language", "timezone", "description", "footer")
TRANSLATED_KEYS = ("title", "description", "footer")
"""The settings ``translations:`` may give in another language."""
_SIZE_KEYS = {"max_file_size": DEFAULT_MAX_FILE_SIZE, "max_image_size": DEFAULT_MAX_IMAGE_SIZE}
_ALL_KEYS = (*_STRING_KEYS, "markdown", "translations", "links", *_SIZE_KEYS)
_LINKS_KEYS = ("concurrency", "timeout", "archive_endpoint")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*", re.ASCII)
_NOT_ZONES = frozenset({"Factory"})
"""In tzdata's list but not a place: "Factory" is the zone of machines not yet set up."""
_SIZE = re.compile(r"([-+]?\d+(?:\.\d+)?) *([kmg]i?b|b|bytes?)?", re.ASCII | re.IGNORECASE)
_SIZE_UNITS = {
    **{unit: 1 for unit in ("", "b", "byte", "bytes")},
    **{"kb": 10**3, "mb": 10**6, "gb": 10**9},
    **{"kib": 2**10, "mib": 2**20, "gib": 2**30},
}
_SIZE_PROBLEM = "{key} must be a number of bytes or a size such as '2 MB' or '500 kB'"
_DNS_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)", re.ASCII)
_WHITESPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
_PORT = re.compile(r"[0-9]{1,5}", re.ASCII)


def load_config(source: Path) -> tuple[SiteConfig, list[ContentError]]:
    """Read ``<source>/site.yaml`` (optional) and return the settings and every problem."""
    path = source / CONFIG_NAME
    errors = ErrorList()
    if not _settings_file(path, errors):
        return SiteConfig(), errors.errors
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
    except OSError as exc:
        errors.add(CONFIG_NAME, 1, f"cannot read the file: {exc.strerror or exc}")
        return SiteConfig(), errors.errors
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        errors.add(CONFIG_NAME, line, "not valid UTF-8", hint="save the file as UTF-8")
        return SiteConfig(), errors.errors
    try:
        root = load_yaml(text)
    except YamlProblem as exc:
        errors.add(CONFIG_NAME, exc.line, exc.message, hint=exc.hint)
        return SiteConfig(), errors.errors
    if root is None or (root.kind == "scalar" and root.value is None):
        return SiteConfig(), []
    if root.kind != "mapping":
        errors.add(CONFIG_NAME, root.line, "site.yaml must be a mapping of settings")
        return SiteConfig(), errors.errors
    values: dict[str, object] = {}
    for key, node in root.items():
        if key.value not in _ALL_KEYS:
            errors.add(
                CONFIG_NAME,
                key.line,
                f"unknown setting '{key.value}'",
                hint=did_you_mean(key.value, _ALL_KEYS),
            )
        elif key.value == "markdown":
            values["markdown_html"] = _markdown_html(node, errors)
        elif key.value == "translations":
            values["translations"] = _translations(node, errors)
        elif key.value == "links":
            values.update(_links_settings(node, errors))
        elif key.value in _SIZE_KEYS:
            values[key.value] = _size_setting(key.value, node, errors)
        else:
            text_value = node.as_string()
            if text_value is None:
                problem = node.string_problem() or "expected text"
                errors.add(CONFIG_NAME, node.line, f"'{key.value}' must be a string: {problem}")
            else:
                values[key.value] = _check_value(key.value, text_value, node.line, errors)
    if errors:
        return SiteConfig(), errors.errors
    if "base_url" in values:
        values["base_url"] = _normalise_base_url(str(values["base_url"]))
    return SiteConfig(**values), []  # type: ignore[arg-type]


def _settings_file(path: Path, errors: ErrorList) -> bool:
    """Whether ``site.yaml`` is there to be read; anything but a regular file is an error.

    A folder or named pipe named ``site.yaml`` is not silently skipped: the editor meant
    settings, and would otherwise wonder why none apply (and reading a pipe would hang).
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            errors.add(
                CONFIG_NAME, 1, "site.yaml is a broken symbolic link: its target does not exist"
            )
        return False
    except OSError as exc:
        errors.add(CONFIG_NAME, 1, f"cannot read the file: {exc.strerror or exc}")
        return False
    if stat.S_ISDIR(mode):
        errors.add(CONFIG_NAME, 1, "site.yaml is a folder, not a settings file")
    elif not stat.S_ISREG(mode):
        errors.add(CONFIG_NAME, 1, "site.yaml is not a regular file")
    return stat.S_ISREG(mode)


def _size_setting(key: str, node: Node, errors: ErrorList) -> int:
    """Bytes from ``2000000``, ``2 MB``, ``1.5MB``, ``500 kB`` or ``64 KiB``."""
    size = parse_size(node.raw) if node.kind == "scalar" and node.as_string() else None
    if size is None:
        shown = f", got '{shorten(node.raw)}'" if node.kind == "scalar" and node.raw else ""
        errors.add(CONFIG_NAME, node.line, _SIZE_PROBLEM.format(key=key) + shown)
        return _SIZE_KEYS[key]
    if size < 1:
        errors.add(CONFIG_NAME, node.line, f"{key} must be more than 0 bytes")
    return size


def parse_size(text: str) -> int | None:
    """The number of bytes a size means (decimal units, and binary ``KiB``), or None.

    A number alone is bytes; fractions of a byte are dropped (``0.4 B`` is 0).
    """
    match = _SIZE.fullmatch(text.strip())
    if match is None or (match[2] is None and "." in match[1]):
        return None
    return int(Decimal(match[1]) * _SIZE_UNITS[(match[2] or "").lower()])


def format_size(size: int, decimals: int | None = None) -> str:
    """A size the way ``max_file_size`` is written: ``500 B``, ``1.5 MB``, ``2 GB``.

    With ``decimals``, always that many (``21.0 MB``), for a measured size beside a limit.
    """
    for unit, factor in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= factor:
            value = size / factor
            number = f"{round(value, 2):g}" if decimals is None else f"{value:.{decimals}f}"
            return f"{number} {unit}"
    return f"{size} B"


def _markdown_html(node: Node, errors: ErrorList) -> bool:
    if node.kind != "mapping":
        errors.add(CONFIG_NAME, node.line, "'markdown' must be a mapping, e.g. {html: true}")
        return False
    result = False
    for key, value in node.items():
        if key.value != "html":
            errors.add(
                CONFIG_NAME,
                key.line,
                f"unknown setting 'markdown.{key.value}'",
                hint=did_you_mean(key.value, ["html"]),
            )
        elif value.kind != "scalar" or not isinstance(value.value, bool):
            errors.add(CONFIG_NAME, value.line, "'markdown.html' must be true or false")
        else:
            result = value.value
    return result


def _links_settings(node: Node, errors: ErrorList) -> dict[str, object]:
    """``links: {concurrency: 4, timeout: 20, archive_endpoint: https://…}``: what
    ``check --links`` uses unless its options say otherwise (so a site's CI need not
    repeat them), and the archive it asks for dead sources' copies."""
    if node.kind != "mapping":
        errors.add(CONFIG_NAME, node.line, "'links' must be a mapping, e.g. {timeout: 20}")
        return {}
    found: dict[str, object] = {}
    for key, value in node.items():
        number = value.value if value.kind == "scalar" else None
        if key.value not in _LINKS_KEYS:
            errors.add(
                CONFIG_NAME,
                key.line,
                f"unknown setting 'links.{key.value}'",
                hint=did_you_mean(str(key.value), _LINKS_KEYS),
            )
        elif key.value == "archive_endpoint":
            text = value.as_string()
            problem = (
                f"must be a string: {value.string_problem() or 'expected text'}"
                if text is None
                else _endpoint_problem(text)
            )
            if problem is not None:
                errors.add(CONFIG_NAME, value.line, f"'links.{key.value}' {problem}")
            elif text is not None:
                found["archive_endpoint"] = text
        elif key.value == "concurrency":
            if isinstance(number, bool) or not isinstance(number, int) or number < 1:
                problem = "'links.concurrency' must be a whole number, 1 or more"
                errors.add(CONFIG_NAME, value.line, problem)
            else:
                found["links_concurrency"] = number
        elif (
            isinstance(number, bool)
            or not isinstance(number, int | float)
            or not 0 < number < float("inf")
        ):
            errors.add(CONFIG_NAME, value.line, "'links.timeout' must be seconds, more than 0")
        else:
            found["links_timeout"] = float(number)
    return found


def _endpoint_problem(url: str) -> str | None:
    """Why ``url`` cannot be the archive the check asks, or None when it can."""
    if _WHITESPACE_OR_CONTROL.search(url):
        return "must not contain whitespace or control characters"
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        return f"must be an absolute http(s) URL, got '{shorten(url)}'"
    if parts.fragment:
        return f"must not have a fragment: '{shorten(url)}'"
    return None


def _translations(
    node: Node, errors: ErrorList
) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """``translations: {id: {title: …, description: …, footer: …}}``, by language tag."""
    if node.kind != "mapping":
        errors.add(
            CONFIG_NAME,
            node.line,
            "'translations' must be a mapping of languages, e.g. {id: {title: …}}",
        )
        return ()
    found: dict[str, tuple[tuple[str, str], ...]] = {}
    for lang_key, strings in node.items():
        tag = normalise_language(str(lang_key.value))
        tag = tag.casefold() if tag is not None else None  # BCP 47 ignores case
        if tag is None:
            errors.add(
                CONFIG_NAME, lang_key.line, f"unknown language '{lang_key.value}'", hint="e.g. id"
            )
            continue
        if tag in found:
            errors.add(
                CONFIG_NAME, lang_key.line, f"language '{lang_key.value}' is translated twice"
            )
            continue
        found[tag] = _translated_strings(tag, strings, errors)
    return tuple(sorted(found.items()))


def _translated_strings(tag: str, node: Node, errors: ErrorList) -> tuple[tuple[str, str], ...]:
    if node.kind != "mapping":
        errors.add(
            CONFIG_NAME,
            node.line,
            f"'translations.{tag}' must be a mapping of {', '.join(TRANSLATED_KEYS)}",
        )
        return ()
    strings = []
    for key, value in node.items():
        if key.value not in TRANSLATED_KEYS:
            errors.add(
                CONFIG_NAME,
                key.line,
                f"'{key.value}' cannot be translated",
                hint=did_you_mean(str(key.value), TRANSLATED_KEYS)
                or f"translations take {', '.join(TRANSLATED_KEYS)}",
            )
            continue
        text = value.as_string()
        if text is None:
            problem = value.string_problem() or "expected text"
            errors.add(
                CONFIG_NAME,
                value.line,
                f"'translations.{tag}.{key.value}' must be a string: {problem}",
            )
            continue
        strings.append((str(key.value), text))
    return tuple(sorted(strings))


def _check_value(key: str, value: str, line: int, errors: ErrorList) -> str:
    """Report a bad value; return the value in its canonical form (``en_US`` → ``en-US``)."""
    if key == "base_url":
        problem = base_url_problem(value)
        if problem is not None:
            errors.add(CONFIG_NAME, line, problem)
    elif key == "timezone" and not _is_zone(value):
        hint = did_you_mean(value, iana_zones()) or "an IANA time zone name such as Asia/Jakarta"
        errors.add(CONFIG_NAME, line, f"unknown timezone '{shorten(value)}'", hint=hint)
    elif key == "language":
        tag = normalise_language(value)
        if tag is None:
            errors.add(CONFIG_NAME, line, f"unknown language '{value}'", hint="e.g. en or id")
        return tag or value
    return value


def base_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be the root every canonical link and internal path is made from.

    ``base_url`` is copied into every page, so what a browser would read differently from
    the editor is refused: credentials (published in every link), ``//`` or ``\\`` in the
    path (``//evil.example/`` is a link to another host), spaces and control characters.
    """
    found = _WHITESPACE_OR_CONTROL.search(url)
    if found is not None:
        code = ord(found.group())
        return f"base_url must not contain whitespace or control characters (found U+{code:04X})"
    if "\\" in url:
        return "base_url must not contain a backslash: browsers read it as '/'"
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        return f"base_url is not a valid URL: '{shorten(url)}' ({exc})"
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"base_url must be an absolute http(s) URL, got '{shorten(url)}'"
    if "?" in url or "#" in url:
        return f"base_url must not have a query or fragment: '{shorten(url)}'"
    return _authority_problem(parts) or _base_path_problem(parts.path)


def _authority_problem(parts: SplitResult) -> str | None:
    """What is wrong with the ``user@host:port`` part of ``base_url``, if anything."""
    if "@" in parts.netloc:
        return (
            "base_url must not contain a user name or password: it would be copied into "
            "every canonical link"
        )
    host, port = _host_and_port(parts.netloc)
    if not _valid_host(host):
        return (
            f"base_url has an invalid host name '{shorten(host)}' "
            "(letters, digits, hyphens and dots, or an IP address)"
        )
    if port is not None and not (_PORT.fullmatch(port) and 1 <= int(port) <= 65535):
        return f"base_url has an invalid port '{shorten(port)}' (a number from 1 to 65535)"
    return None


def _host_and_port(netloc: str) -> tuple[str, str | None]:
    """``host:port`` split in two; the port is None when not given (``[::1]`` has none)."""
    if ":" not in netloc.rsplit("]", 1)[-1]:
        return netloc, None
    host, _, port = netloc.rpartition(":")
    return host, port


def _valid_host(host: str) -> bool:
    """A DNS name (Unicode allowed where IDNA can encode it) or an IP address literal."""
    if host.startswith("[") and host.endswith("]"):
        if "%" in host:  # a zone index (fe80::1%eth0) names this machine's network card
            return False
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            return False
        return True
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = ascii_host.split(".")
    if labels[-1].isdigit():  # browsers read a name ending in a number as an IPv4 address
        try:
            ipaddress.IPv4Address(ascii_host)
        except ValueError:
            return False
        return True
    return len(ascii_host) <= 253 and all(_DNS_LABEL.fullmatch(label) for label in labels)


def _base_path_problem(path: str) -> str | None:
    if "//" in path:
        return "base_url must not have '//' in its path: links would lead to another host"
    if any(segment in (".", "..") for segment in path.split("/")):
        return "base_url must not have '.' or '..' segments in its path"
    return None


def _is_zone(name: str) -> bool:
    """Whether ``name`` is an IANA zone name, such as ``Asia/Jakarta`` or ``UTC``.

    ``ZoneInfo`` alone is not enough: it reads any file under the system's zoneinfo
    folder, so ``localtime`` (the machine's own zone), ``posixrules`` or ``right/UTC``
    would load, and a site would depend on the machine it is built on.
    """
    if name not in iana_zones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


@cache
def iana_zones() -> frozenset[str]:
    """The IANA zone names, from the ``tzdata`` package's list (the same on every machine)."""
    listing = (resources.files("tzdata") / "zones").read_text(encoding="utf-8")
    return frozenset(listing.split()) - _NOT_ZONES


def normalise_language(text: str) -> str | None:
    """The BCP 47 tag for a language Babel knows (``pt_BR`` → ``pt-BR``), else None.

    Shared by ``site.yaml`` and front matter ``lang``: the tag ends up in ``<html lang>``,
    so shapes Babel tolerates but browsers do not (``en_US.UTF-8``) are refused.
    """
    tag = text.strip().replace("_", "-")
    if not _LANGUAGE_TAG.fullmatch(tag):
        return None
    try:
        Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None
    return tag


def _normalise_base_url(url: str) -> str:
    return url if url.endswith("/") else url + "/"
