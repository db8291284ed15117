"""A small news site for the feed, sitemap and metadata tests: titles that XML, HTML and
JSON must carry intact, a topic and a tag long enough for a second page and the feeds'
limit, an old article corrected after all the others, and one in Indonesian."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from .cli import build_site

BASE_URL = "https://news.example.org/desk/"
ORIGIN = "https://news.example.org"
BASE = urlsplit(BASE_URL).path
SITE_TITLE = "Q&A <Desk> – News"
TOPIC_TITLE = "Sanctions & <Arms> – 2024"
PACT_TITLE = "Kim & Putin <sign> – a pact"
SCRIPT_TITLE = "Ends </script><!-- here\u2028and there"
BULK = 55
"""Articles beside the four special ones, all in the topic and the tag "Bulk"."""

PACT = "content/articles/pact.md"
SCRIPT = "content/articles/script.md"
CORRECTED = "content/articles/corrected.md"
BERITA = "content/articles/berita.md"

PACT_URL = f"{BASE_URL}2024/06/pact/"
SCRIPT_URL = f"{BASE_URL}2024/06/script/"
CORRECTED_URL = f"{BASE_URL}2024/01/corrected/"
BERITA_URL = f"{BASE_URL}2024/06/berita/"


def bulk_url(i: int) -> str:
    day = date(2024, 1, 1) + timedelta(days=i)
    return f"{BASE_URL}{day.year:04d}/{day.month:02d}/bulk-{i:03d}/"


FILES: dict[str, str] = {
    "site.yaml": (
        'title: "Q&A <Desk> – News"\n'
        f"base_url: {BASE_URL}\n"
        "timezone: Asia/Jakarta\n"
        'description: "Followed & <checked>"\n'
    ),
    "content/topics/sanctions.md": (
        '---\ntitle: "Sanctions & <Arms> – 2024"\nsummary: Who sanctions whom.\n---\n\nIntro.\n'
    ),
    "content/topics/kosong.md": "---\ntitle: Kosong\nlang: id\n---\n\nBelum ada artikel.\n",
    "content/img/map.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    PACT: """---
title: "Kim & Putin <sign> – a pact"
date: 2024-06-19T09:00:00+07:00
summary: "A pact & more <b>"
topics: [sanctions]
tags: [Kim Jong-un, Aurus]
authors: [A. Writer, B. Editor]
sources:
  - {title: Treaty text, url: "https://kcna.example/treaty", source: KCNA, date: 2024-06-19,
     archive: "https://archive.example/treaty"}
  - {source: Tass, date: 2024-06}
related:
  - {title: A headline we have not linked yet, source: Wire, date: 2024-06}
  - {title: Analysis, url: "https://analysis.example/a", archive: "https://archive.example/a"}
---

They signed it, says [[sanctions|the dossier]]. See [the archive](/archive/) and the
note.[^1]

![map](/img/map.svg)

[^1]: A footnote.
""",
    SCRIPT: (
        '---\ntitle: "Ends </script><!-- here\\u2028and there"\ndate: 2024-06-20\n'
        "topics: [sanctions]\n---\n\nA body.\n"
    ),
    CORRECTED: """---
title: An old story, corrected
date: 2024-01-15
topics: [sanctions]
corrections:
  - date: 2024-07-01T10:00:00+07:00
    text: An earlier version gave the wrong *date*; see [[pact]].
  - {date: 2024-01-16, text: A name was misspelt.}
---

Old news.
""",
    BERITA: """---
title: Berita dalam bahasa Indonesia
date: 2024-06-21
lang: id
topics: [sanctions]
corrections:
  - {date: 2024-06-22, text: Judul diperbaiki.}
---

Isi berita.
""",
}
for _i in range(BULK):
    _day = date(2024, 1, 1) + timedelta(days=_i)
    FILES[f"content/articles/bulk/bulk-{_i:03d}.md"] = (
        f"---\ntitle: Bulk {_i}\ndate: {_day.isoformat()}\ntopics: [sanctions]\ntags: [Bulk]\n"
        f"---\n\nBulk body {_i}.\n"
    )


def build_news_site(root: Path) -> Path:
    """Write the site under ``root`` and build it; the output folder."""
    return build_site(root, FILES)
