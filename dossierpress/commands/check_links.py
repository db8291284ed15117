"""``check --links``: asking the web whether the addresses a site cites still answer,
and finding archived copies of those that do not. Kept apart from ``check`` itself so that
a plain check (on every commit) does not load an HTTP client it will not use."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from dossierpress.commands.build import now_option
from dossierpress.commands.check import counted
from dossierpress.config import SiteConfig
from dossierpress.content.loader import LoadResult, load_content
from dossierpress.content.markdown import make_markdown
from dossierpress.engine.build import Settings
from dossierpress.engine.cache import CACHE_DIR
from dossierpress.engine.run import Checked
from dossierpress.errors import INFO, WARNING, ContentError
from dossierpress.links.archive import find_copies, suggestion
from dossierpress.links.check import (
    DEAD,
    MOVED,
    UNREACHABLE,
    USER_AGENT,
    Options,
    Outcome,
    check_links,
    message,
)
from dossierpress.links.collect import Cited, collect_links
from dossierpress.links.rewrite import ArchivedCopy, write_archives


def with_links(checked: Checked, args: argparse.Namespace, settings: Settings) -> Checked:
    """``checked`` with a warning at every use of an address that failed, and the
    summary line of the links logged. Read from the content again (the check itself may
    have answered from its cache summary, which keeps no documents)."""
    config, _problems = settings
    loaded = load_content(args.source, config, drafts=args.drafts)
    cited = collect_links(loaded, make_markdown(html=config.markdown_html))
    options = Options(
        concurrency=args.links_concurrency or config.links_concurrency or 8,
        timeout=args.links_timeout or config.links_timeout or 10.0,
        allow_private=args.links_allow_private,
        max_age=args.links_max_age,
        failure_max_age=args.links_failure_max_age,
        ask_all=args.links_all,
    )
    now = now_option(args.now, settings)
    clock = now.timestamp() if now is not None else time.time()
    cache_file = None if args.no_cache else (args.cache_dir or args.source / CACHE_DIR) / LINKS_FILE
    outcomes, counts = check_links([c.url for c in cited], options, clock, cache_file)
    problems = list(checked.problems)
    dead = 0
    for item in cited:
        outcome = outcomes[item.url]
        dead += outcome.failed
        text = message(item.url, outcome)
        if text is not None:
            problems += [ContentError(u.path, u.line, text, severity=WARNING) for u in item.uses]
    problems += archived_copies(cited, outcomes, loaded, config, args, clock)
    if not args.quiet:
        # On standard error in every format: standard output may be JSON lines.
        print(
            f"links: {counted(len(cited), 'URL')}, {counts.asked} asked now, "
            f"{counts.cached} from the cache, {dead} dead",
            file=sys.stderr,
        )
    return Checked(tuple(sorted(problems)), checked.documents)


LINKS_FILE = "links.json"


def archived_copies(
    cited: list[Cited],
    outcomes: Mapping[str, Outcome],
    loaded: LoadResult,
    config: SiteConfig,
    args: argparse.Namespace,
    clock: float,
) -> list[ContentError]:
    """For each dead or moved source without an ``archive``, the archive's capture
    closest to the citing article's date, told at every use (an ``info``); with
    ``--write-archive``, recorded in the front matter entries that cite it (bodies are
    never rewritten: their uses stay listed for the editor)."""
    dates = {a.path: a.date.date() for a in loaded.articles}
    today = datetime.fromtimestamp(clock, UTC).date()
    wanted = [
        (item, dates.get(item.uses[0].path, today))
        for item in cited
        if item.archive is None and outcomes[item.url].kind in (DEAD, MOVED, UNREACHABLE)
    ]
    found = find_copies(
        [(item.url, when) for item, when in wanted],
        config.archive_endpoint,
        timeout=args.links_timeout or config.links_timeout or 10.0,
        user_agent=USER_AGENT,
    )
    problems: list[ContentError] = []
    by_file: dict[str, list[ArchivedCopy]] = {}
    for item, _when in wanted:
        capture = found.get(item.url)
        if capture is None:
            continue
        for use in item.uses:
            problems.append(suggestion(use.path, use.line, item.url, capture))
            by_file.setdefault(use.path, []).append(ArchivedCopy(use.line, item.url, capture.url))
    if args.write_archive:
        problems += write_copies(args.source, by_file)
    return problems


def write_copies(source: Path, by_file: Mapping[str, list[ArchivedCopy]]) -> list[ContentError]:
    """Record the copies in their files; what could not be written is an error there."""
    problems: list[ContentError] = []
    for rel, copies in sorted(by_file.items()):
        try:
            written = write_archives(source / rel, copies)
        except (OSError, ValueError) as exc:
            problems.append(ContentError(rel, 1, f"cannot write the archived copies: {exc}"))
            continue
        for copy in written:
            problems.append(
                ContentError(rel, copy.line, f"wrote archive: {copy.archive}", severity=INFO)
            )
    return problems
