"""``dossier check``: everything a build validates, and what it keeps quiet, writing nothing.

A check is the engine's whole build (settings, front matter, wiki links and refs,
duplicate URLs, templates rendered, translations) with ``BuildRequest.check``, which adds
the warnings of ``graph.lint`` and an ``info`` line per scheduled article; the result is
discarded instead of written. It uses the persistent cache as a build does, so a check
on every commit costs what changed: when nothing did, the cache's summary is all it
reads, and it tells the last check's warnings again. It keeps its own state in the cache
folder (``DiskCache.for_build`` with no output), sharing the parsed bodies with builds.

Problems are printed in the project's one-line form (``path:line: error: message``), as
GitHub Actions workflow commands (``::error file=…,line=…::…``), or as one JSON object per
line; exit status 1 when there is an error (or, with ``--strict``, a warning), else 0.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable
from pathlib import Path

from dossierpress.commands import Command, add_common, require_content
from dossierpress.commands.build import (
    add_engine_options,
    add_schedule_options,
    cache_for,
    job_count,
    now_option,
    picture_store,
    report_cache,
)
from dossierpress.console import NOTICE, get_logger, progress_for
from dossierpress.engine.build import BuildRequest
from dossierpress.engine.run import BuildRun, Checked, read_settings
from dossierpress.errors import ERROR, INFO, WARNING, ContentError

log = get_logger("check")

FORMATS = ("text", "github", "json")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_common(parser)
    parser.add_argument(
        "--strict", action="store_true", help="count warnings as errors (exit status 1)"
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text: path:line: error: …; github: GitHub Actions annotations; "
        "json: one object per line (default: text)",
    )
    parser.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    add_schedule_options(parser)
    add_engine_options(parser)
    add_links_options(parser)


def run(args: argparse.Namespace) -> int:
    source: Path = args.source
    require_content(source)
    settings = read_settings(source)
    now = now_option(args.now, settings)
    cache = cache_for(args, None)
    request = BuildRequest(
        source=source,
        drafts=args.drafts,
        future=args.future,
        now=now,
        jobs=args.jobs,
        check=True,
        pictures=picture_store(cache),
    )
    progress = progress_for(args.quiet or args.format != "text")
    try:
        checked = BuildRun(request, cache, progress, settings).check()
    except OSError as exc:
        log.error(
            f"error: {exc.strerror or exc}: {exc.filename}" if exc.filename else f"error: {exc}"
        )
        return 1
    report_cache(cache)  # the tool's own warnings: not the content's, never --strict's
    if args.links:
        from dossierpress.commands.check_links import with_links  # loads httpx: only asked

        checked = with_links(checked, args, settings)
    report(checked, args.format, strict=args.strict)
    return 1 if checked.failed(strict=args.strict) else 0


# -- --links -----------------------------------------------------------------------------


def add_links_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "links", "asking the web whether cited addresses still answer (nothing else does)"
    )
    group.add_argument(
        "--links",
        action="store_true",
        help="request every external URL the site cites and warn about dead, moved and "
        "unreachable ones",
    )
    group.add_argument(
        "--links-timeout",
        type=positive_seconds,
        metavar="SECONDS",
        help="give up on a request after this long (default: links.timeout in site.yaml, else 10)",
    )
    group.add_argument(
        "--links-concurrency",
        type=job_count,
        metavar="N",
        help="requests at once, at most 2 to one host (default: links.concurrency in "
        "site.yaml, else 8)",
    )
    group.add_argument(
        "--links-max-age",
        type=duration,
        default=7 * 86400.0,
        metavar="AGE",
        help="trust a good answer from the cache this long, e.g. 12h, 7d (default: 7d)",
    )
    group.add_argument(
        "--links-failure-max-age",
        type=duration,
        default=86400.0,
        metavar="AGE",
        help="trust a failure from the cache this long (default: 1d)",
    )
    group.add_argument(
        "--links-all", action="store_true", help="ask every URL again, whatever the cache holds"
    )
    group.add_argument(
        "--write-archive",
        action="store_true",
        help="write the archived copy found for a dead or moved source into the entry citing "
        "it ('archive:'), changing nothing else in the file",
    )
    group.add_argument(
        "--links-allow-private",
        action="store_true",
        help="also request addresses on this machine or a private network",
    )


def positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not seconds > 0 or seconds == float("inf"):
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds (more than 0)")
    return seconds


UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def duration(text: str) -> float:
    """``30s``, ``15m``, ``12h``, ``7d`` (a bare number: seconds) in seconds."""
    match = re.fullmatch(r"(\d+)([smhd]?)", text.strip())
    if match is None:
        raise argparse.ArgumentTypeError(f"'{text}' is not an age such as 12h or 7d")
    return float(int(match[1]) * UNITS[match[2] or "s"])


# -- printing ----------------------------------------------------------------------------


def report(checked: Checked, form: str, *, strict: bool) -> None:
    """Every problem in ``form``; in text, a summary line last (standard error when the
    check fails, as a failed build's count is; else standard output)."""
    if form != "text":
        line_of = FORMATTERS[form]
        for problem in checked.problems:
            log.log(NOTICE, line_of(problem))  # on standard output, even with --quiet
        return
    for problem in checked.problems:
        {ERROR: log.error, WARNING: log.warning}.get(problem.severity, log.info)(str(problem))
    failed = checked.failed(strict=strict)
    (log.error if failed else log.info)(summary(checked, strict=strict))


def summary(checked: Checked, *, strict: bool) -> str:
    """ "3 errors, 2 warnings in 57 files", or "no problems in 57 files"."""
    errors, warnings = checked.count(ERROR), checked.count(WARNING)
    parts = [counted(errors, "error")] if errors else []
    parts += [counted(warnings, "warning")] if warnings else []
    text = f"{', '.join(parts) or 'no problems'} in {counted(checked.documents, 'file')}"
    if strict and warnings and not errors:
        text += " (--strict: warnings count as errors)"
    return text


def counted(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


GITHUB_COMMANDS = {ERROR: "error", WARNING: "warning", INFO: "notice"}


def github_line(problem: ContentError) -> str:
    """A GitHub Actions workflow command: an annotation on the file and line."""
    properties = {"file": problem.path, "line": str(problem.line)}
    if problem.column is not None:
        properties["col"] = str(problem.column)
    properties["title"] = f"dossier check: {problem.severity}"
    fields = ",".join(f"{key}={github_property(value)}" for key, value in properties.items())
    message = problem.message + (f" ({problem.hint})" if problem.hint else "")
    return f"::{GITHUB_COMMANDS[problem.severity]} {fields}::{github_data(message)}"


def github_data(text: str) -> str:
    """A command's message, escaped as the runner reads it (``@actions/core``'s
    ``escapeData``): a newline would end the command, ``%`` starts an escape."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A command's property value (``escapeProperty``): ``:`` and ``,`` end it too."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def json_line(problem: ContentError) -> str:
    """One problem as a JSON object on one line (non-ASCII escaped, so nothing in a
    value can break the line)."""
    return json.dumps(
        {
            "path": problem.path,
            "line": problem.line,
            "column": problem.column,
            "severity": problem.severity,
            "message": problem.message,
            "hint": problem.hint,
        }
    )


FORMATTERS: dict[str, Callable[[ContentError], str]] = {"github": github_line, "json": json_line}


COMMAND = Command("check", "validate everything a build does, writing nothing", add_arguments, run)
