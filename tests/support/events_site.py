"""A small dossier whose timeline is of what happened, not of when it was published, for
the tests of ``pages.chronology`` (``tests/test_chronology.py``).

Its five articles were published in June 2024, two of them about earlier months
(``about``); its three events are dated to a month or a day and name the articles that
report them. Read newest first, the timeline is:

    June 2024       event (19 June): Putin arrives, reported in "Putin arrives", "Welcome"
                    "Putin arrives" (19 June, 09:00)
                    "Welcome ceremony" (about 19 June, published that day)
                    "What to expect" (10 June)
    February 2024   event: the Aurus gift, reported in "The Aurus gift"
                    "The Aurus gift" (about February 2024, published 19 June)
    September 2023  event: Kim at Vostochny, reported in "Looking back at Vostochny"
                    "Looking back at Vostochny" (about September 2023, published 19 June)
"""

from __future__ import annotations

from pathlib import Path

from .files import write_files

BASE = "/e/"
HOST = "example.org"
TOPIC = f"{BASE}topics/summit/"

SITE = f"""title: Summit Watch
base_url: https://{HOST}{BASE}
language: en
timezone: Asia/Jakarta
"""

SUMMIT = """---
title: Summit
summary: Two leaders meet, and what led to it.
events:
  - date: 2024-06-19
    text: "Putin arrives in Pyongyang; see [[arrival|the report]]"
    refs: [arrival, Welcome ceremony]
  - date: 2023-09
    text: Kim visits the **Vostochny** cosmodrome
    refs: [vostochny-flashback]
  - {date: 2024-02, text: Putin gives Kim an Aurus, refs: [The Aurus gift]}
---

The introduction.
"""


def article(title: str, date: str, about: str | None = None) -> str:
    about_line = f"about: {about}\n" if about else ""
    return f"---\ntitle: {title}\ndate: {date}\n{about_line}topics: [summit]\n---\n\nText.\n"


ARTICLES = {
    "content/articles/vostochny-flashback.md": article(
        "Looking back at Vostochny", "2024-06-19", "2023-09"
    ),
    "content/articles/aurus-gift.md": article(
        "The Aurus gift", "2024-06-19T10:00:00+07:00", "2024-02"
    ),
    "content/articles/arrival.md": article("Putin arrives", "2024-06-19T09:00:00+07:00"),
    "content/articles/welcome.md": article("Welcome ceremony", "2024-06-19", "2024-06-19"),
    "content/articles/preview.md": article("What to expect", "2024-06-10"),
}


def write_events_site(root: Path, **replace: str) -> Path:
    """Write the site into ``root``; ``replace`` maps a file (``content/topics/summit.md``)
    to other text."""
    files = {"site.yaml": SITE, "content/topics/summit.md": SUMMIT, **ARTICLES}
    files.update(replace)
    write_files(root, files)
    return root
