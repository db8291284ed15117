"""How times and text are written into the XML outputs (feeds, sitemaps) and the
structured data of pages: one spelling, shared by every page kind that writes them."""

from __future__ import annotations

import re
from datetime import datetime

SEPARATOR = " · "
"""Between a feed's own title and the site's, as in the pages' ``<title>``."""
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot hold at all, even escaped (a body may contain them)."""


def rfc3339(moment: datetime) -> str:
    """``2024-06-19T09:00:00+07:00``; a date without a time is midnight in the site's zone
    (which is how ``fields.parse_date`` reads it)."""
    return moment.isoformat(timespec="seconds")


def xml_text(text: str) -> str:
    """``text`` with what XML cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)
