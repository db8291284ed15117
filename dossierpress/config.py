"""Site settings from the optional ``site.yaml``, validated against a typed schema.

Every problem is collected (unknown keys with a "did you mean", wrong types, an unknown
timezone or language) so the editor fixes ``site.yaml`` in one go.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel import Locale, UnknownLocaleError

from .errors import ContentError, ErrorList, did_you_mean
from .yamlsafe import Node, YamlProblem, load_yaml

CONFIG_NAME = "site.yaml"
DEFAULT_BASE_URL = "http://localhost:8000/"


@dataclass(frozen=True)
class SiteConfig:
    title: str = "Dossier"
    base_url: str = DEFAULT_BASE_URL
    """Absolute URL of the site root, always ending in ``/``; may carry a path prefix."""
    language: str = "en"
    timezone: str = "UTC"
    description: str = ""
    markdown_html: bool = False
    """Whether raw HTML in Markdown is passed through (``markdown: {html: true}``)."""

    @cached_property
    def base_path(self) -> str:
        """The path prefix every internal link starts with (``/`` or ``/dossiers/``)."""
        return urlsplit(self.base_url).path or "/"

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def with_base_url(self, base_url: str) -> SiteConfig:
        """The same settings served from another root (the live preview's own address)."""
        return SiteConfig(
            title=self.title,
            base_url=_normalise_base_url(base_url),
            language=self.language,
            timezone=self.timezone,
            description=self.description,
            markdown_html=self.markdown_html,
        )


_STRING_KEYS = ("title", "base_url", "language", "timezone", "description")
_ALL_KEYS = (*_STRING_KEYS, "markdown")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*", re.ASCII)
_ZONE_KEY = re.compile(r"[A-Za-z0-9_+-]+(?:/[A-Za-z0-9_+-]+){0,3}", re.ASCII)
"""The shape of an IANA zone name; checked first because ``ZoneInfo`` treats the key as a
file path (``a/a/a/...`` thousands deep raises ``RecursionError``)."""


def load_config(source: Path) -> tuple[SiteConfig, list[ContentError]]:
    """Read ``<source>/site.yaml`` (optional) and return the settings and every problem."""
    path = source / CONFIG_NAME
    if not path.is_file():
        return SiteConfig(), []
    errors = ErrorList()
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


def _check_value(key: str, value: str, line: int, errors: ErrorList) -> str:
    """Report a bad value; return the value in its canonical form (``en_US`` → ``en-US``)."""
    if key == "base_url":
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            errors.add(
                CONFIG_NAME, line, f"base_url must be an absolute http(s) URL, got '{value}'"
            )
        elif parts.query or parts.fragment:
            errors.add(CONFIG_NAME, line, f"base_url must not have a query or fragment: '{value}'")
    elif key == "timezone" and not _is_zone(value):
        hint = did_you_mean(value, available_timezones()) or "e.g. Asia/Jakarta"
        errors.add(CONFIG_NAME, line, f"unknown timezone '{value}'", hint=hint)
    elif key == "language":
        tag = normalise_language(value)
        if tag is None:
            errors.add(CONFIG_NAME, line, f"unknown language '{value}'", hint="e.g. en or id")
        return tag or value
    return value


def _is_zone(name: str) -> bool:
    if not _ZONE_KEY.fullmatch(name):
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


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
