"""A small site with one article published and one scheduled for later, in Jakarta time,
for the scheduled-publishing and ``check`` tests."""

from __future__ import annotations

from pathlib import Path

BASE_URL = "https://news.example.org/"
PUBLISHED = "content/articles/2024/summit.md"
SCHEDULED = "content/articles/2024/treaty.md"
TREATY_PAGE = "2024/06/treaty/index.html"
TREATY_TITLE = "The treaty text, clause by clause"

BEFORE = "2024-06-19T12:00+07:00"
"""A build time before the treaty's date (20 June 2024 08:00 in Jakarta)."""
AT = "2024-06-20T08:00+07:00"
"""The treaty's own date: a build at this time publishes it."""
AFTER = "2024-06-21"
"""A day later (midnight in the site's timezone)."""

FILES: dict[str, str] = {
    "site.yaml": f"title: Desk\nbase_url: {BASE_URL}\ntimezone: Asia/Jakarta\n",
    "content/topics/sanctions.md": "---\ntitle: Sanctions\n---\n\nWho sanctions whom.\n",
    PUBLISHED: (
        "---\ntitle: The summit\ndate: 2024-06-18T09:00:00+07:00\ntopics: [sanctions]\n"
        "tags: [Aurus]\n---\n\nThe leaders met.\n"
    ),
    SCHEDULED: (
        f"---\ntitle: {TREATY_TITLE}\ndate: 2024-06-20T08:00:00+07:00\n"  # line 3
        "topics: [sanctions]\ntags: [Aurus]\n---\n\nWhat the treaty says.\n"
    ),
}


def texts(root: Path) -> dict[str, str]:
    """Every text file of a built site (pages, feeds, sitemaps) by relative path."""
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.suffix in (".html", ".xml", ".txt", ".json")
    }
