"""A small bilingual dossier site, written into a folder, for the tests of dossier,
article and home pages (``tests/test_dossier_pages.py``) and of how they look in a browser
(``tests/test_page_browser.py``).

Its main dossier ("Alpha talks", ``weight: 1``, named "Perundingan Alpha" on Indonesian
pages) gathers five articles over four months: an English report and its Indonesian
translation, an explainer with a later correction, and more. Every one of them carries
the tag "Alpha" (it tells none apart), two carry "Rare". "Side story" is more recently
updated than the main dossier; "Topik Bahasa" is an Indonesian topic with one article.
"""

from __future__ import annotations

from pathlib import Path

from .files import write_files
from .pictures import camera_jpeg

BASE = "/d/"
HOST = "example.org"

SITE = f"""title: Alpha Watch
base_url: https://{HOST}{BASE}
language: en
timezone: Asia/Jakarta
description: Following the Alpha talks.
"""

TOPICS = {
    "content/topics/alpha-talks.md": """---
title: Alpha talks
summary: Two neighbours negotiate, on and off, over a river.
weight: 1
title_translations: {id: Perundingan Alpha}
key_facts:
  - "**Four** rounds of talks so far"
  - "**One** river in dispute"
pinned: [opening-round, final-round, kickoff]
---

The introduction to the talks, linking [[side-story|the side story]].
""",
    "content/topics/side-story.md": """---
title: Side story
summary: What happened around the talks.
---

Around the talks.
""",
    "content/topics/topik-bahasa.md": """---
title: Topik Bahasa
lang: id
title_translations: {en: Language matters}
---

Topik dalam bahasa Indonesia.
""",
}

ARTICLES = {
    "content/articles/kickoff.md": """---
title: The talks are announced
date: 2024-03-01
topics: [alpha-talks, side-story]
tags: [Alpha, Rare]
aliases: [/old/kickoff/]
corrections:
  - {date: 2024-07-02, text: An earlier version gave the wrong venue.}
---

The two sides say they will talk. See [[pembukaan|the Indonesian report]].

![A map of the river, wider than any phone](/img/wide.svg)
""",
    "content/articles/opening-round.md": """---
title: The opening round ends without a deal
date: 2024-06-19T09:00:00+07:00
updated: 2024-06-25T10:00:00+07:00
topics: [alpha-talks]
tags: [Alpha, Venue]
image:
  src: opening-round.jpg
  alt: Two delegations at a long table
  caption: The first day of talks.
  credit: "Photo: Test Desk"
---

No deal yet.

![The venue's hall, empty](opening-round.jpg "The hall before the talks | Photo: Test Desk")
""",
    "content/articles/pembukaan.md": """---
title: Putaran pertama berakhir tanpa kesepakatan
date: 2024-06-19T11:30:00+07:00
lang: id
translation_of: opening-round
topics: [alpha-talks, topik-bahasa]
tags: [Alpha, Venue]
---

Belum ada kesepakatan. Lihat [[kickoff]].
""",
    "content/articles/final-round.md": """---
title: A final round is planned
date: 2024-06-20
topics: [alpha-talks, side-story]
tags: [Alpha, Rare]
related:
  - {ref: kickoff, title: How it started}
---

A last try, after [[The opening round ends without a deal]].
""",
    "content/articles/side-note.md": """---
title: A note from the side
date: 2024-04-10T08:00:00Z
updated: 2024-07-10
topics: [side-story]
tags: [Alpha]
---

Mentions [[final-round]] and [[alpha-talks]].
""",
}


WIDE_IMAGE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="300" viewBox="0 0 1200 300">'
    '<rect width="1200" height="300" fill="#9cf"/></svg>\n'
)


def write_dossier_site(root: Path, *, site: str = SITE, **replace: str) -> Path:
    """The site's files under ``root``; ``replace`` swaps files by name (``"kickoff"``,
    ``"alpha-talks"``) for other text."""
    files: dict[str, str | bytes] = {"site.yaml": site, **TOPICS, **ARTICLES}
    files["content/img/wide.svg"] = WIDE_IMAGE
    files["content/articles/opening-round.jpg"] = camera_jpeg((1600, 1000), orientation=1)
    for name, text in replace.items():
        path = next(p for p in files if Path(p).stem == name.replace("_", "-"))
        files[path] = text
    write_files(root, files)
    return root
