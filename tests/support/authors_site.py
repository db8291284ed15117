"""A small site with author files, for the author pages, bylines, feeds and warnings:
one author with enough articles for a second page, one named with characters HTML and
XML must carry intact (named by slug in a byline), and a byline naming nobody's file."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from .cli import build_site

BASE_URL = "https://news.example.org/desk/"
ANA = "content/authors/ana-writer.md"
BO = "content/authors/bo-editor.md"
ANA_URL = f"{BASE_URL}authors/ana-writer/"
BO_URL = f"{BASE_URL}authors/bo-editor/"
BO_NAME = "Bo & <Editor>"
ANA_ARTICLES = 52
"""Ana's articles: one more page than a tag's 50."""
SHARED = "content/articles/shared.md"
SHARED_URL = f"{BASE_URL}2024/06/shared/"
STRANGER = "content/articles/stranger.md"
STRANGER_URL = f"{BASE_URL}2024/06/stranger/"

FILES: dict[str, str] = {
    "site.yaml": f"title: Desk\nbase_url: {BASE_URL}\ntimezone: Asia/Jakarta\n",
    "content/topics/talks.md": "---\ntitle: Talks\n---\n\nIntro.\n",
    ANA: """---
name: Ana Writer
role: Correspondent in Seoul
bio: Ana covers the peninsula.
links:
  - https://social.example/@ana
  - {title: Profile at Example News, url: "https://example.org/staff/ana"}
---

Ana has reported from Seoul since 2019 and follows [[talks]] closely.
""",
    BO: f"---\nname: {BO_NAME}\n---\n\nBo edits the desk.\n",
    SHARED: """---
title: Written together
date: 2024-06-20
topics: [talks]
authors: [ana writer, bo-editor]
---

Both wrote this.
""",
    STRANGER: """---
title: A guest piece
date: 2024-06-21
topics: [talks]
authors:
  - Ana Writer
  - Ana Writter
---

A guest wrote this with Ana.
""",
}
for _i in range(ANA_ARTICLES - 2):
    _day = date(2024, 1, 1) + timedelta(days=_i)
    FILES[f"content/articles/ana/ana-{_i:03d}.md"] = (
        f"---\ntitle: Ana {_i}\ndate: {_day.isoformat()}\ntopics: [talks]\n"
        f"authors: [Ana Writer]\n---\n\nBody {_i}.\n"
    )


def ana_url(i: int) -> str:
    day = date(2024, 1, 1) + timedelta(days=i)
    return f"{BASE_URL}{day.year:04d}/{day.month:02d}/ana-{i:03d}/"


def build_authors_site(root: Path) -> Path:
    """Write the site under ``root`` and build it; the output folder."""
    return build_site(root, FILES)
