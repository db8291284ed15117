"""Plain values the lower floors and the pages share, defined below them all.

A wiki link in Markdown resolves to the same ``LinkView`` a page shows, and a
``Localizer`` formats dates into the ``DateView`` templates read; defining them here,
beside nothing but the standard library, lets ``content/`` and ``theme/`` use them without
importing ``pages/``, which is built on top of both. ``pages.views`` names them with the
rest of the views.

``TemplateData`` marks the plain data templates receive, so the theme's sandbox can tell
it apart without knowing the module that defines each view.
"""

from __future__ import annotations

from dataclasses import dataclass


class TemplateData:
    """Base of the plain data of ours that templates receive (every view of
    ``pages.views``): its public attributes are data, so the theme's sandbox lets a
    template read them without its per-access checks (``theme.templates.ThemeSandbox``).
    A marker only: it adds no field and no behaviour."""


@dataclass(frozen=True)
class LinkView(TemplateData):
    url: str
    title: str
    hreflang: str | None = None
    """The language of the page linked to, when it is not the page's own (``hreflang``)."""
    lang: str | None = None
    """The language of ``title`` when it is not the page's own (a ``lang`` attribute)."""
    lang_name: str | None = None
    """With ``hreflang``: that language's own name ("Bahasa Indonesia"), shown beside the
    link so a reader knows before following it."""


@dataclass(frozen=True)
class DateView(TemplateData):
    iso: str
    """Machine-readable, for ``<time datetime>``."""
    text: str
    """Localised for the page's language ("19 Juni 2024")."""
