"""``dossier build`` (the default command): build the site into the output folder.

The command reads its arguments and reports; the run itself (the cache, the build, the
search index, the write) is ``engine.run.BuildRun``'s."""

from __future__ import annotations

import argparse
import os
from datetime import datetime
from pathlib import Path

from dossierpress.commands import Command, UsageError, add_clean, add_common, require_content
from dossierpress.console import get_logger, progress_for
from dossierpress.engine.build import BuildRequest, Settings
from dossierpress.engine.cache import CACHE_DIR, DiskCache
from dossierpress.engine.run import BuildRun, Built, OptionProblem, build_time, read_settings
from dossierpress.errors import BuildError
from dossierpress.output import OutputProblem, WriteReport, describe, output_folder
from dossierpress.pictures.model import PICTURES_DIR

log = get_logger("build")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_common(parser)
    parser.add_argument("--output", type=Path, help="output folder (default: <source>/site)")
    parser.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    add_schedule_options(parser)
    add_clean(parser)
    add_engine_options(parser)
    parser.add_argument(
        "--no-search", action="store_true", help="do not build the search index (Pagefind)"
    )


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--jobs",
        type=job_count,
        default=os.cpu_count() or 1,
        help="processes that parse and render (default: one per CPU; 1: this one only)",
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        help=f"where builds keep what the next one may reuse (default: <source>/{CACHE_DIR})",
    )
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")


def add_schedule_options(parser: argparse.ArgumentParser, *, future: bool = True) -> None:
    """``--now`` (and ``--future``): when the build runs, for articles dated later."""
    parser.add_argument(
        "--now",
        metavar="TIME",
        help="the build's time, e.g. 2024-06-19T12:00+07:00 (default: the clock's); "
        "articles dated later are scheduled: left out until then",
    )
    if future:
        parser.add_argument(
            "--future",
            action="store_true",
            help="include scheduled articles (dated after the build's time), marked as such",
        )


def job_count(text: str) -> int:
    count = int(text) if text.isascii() and text.isdigit() else 0
    if count < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of processes (1 or more)")
    return count


def cache_for(args: argparse.Namespace, output: Path | None) -> DiskCache | None:
    """The cache of builds with these options into ``output`` (None: ``check``'s)."""
    if args.no_cache:
        return None
    folder = args.cache_dir or args.source / CACHE_DIR
    return DiskCache.for_build(
        folder, drafts=args.drafts, future=args.future, output=output, shown=describe(folder)
    )


def picture_store(cache: DiskCache | None) -> Path | None:
    """Processed pictures are kept beside the cache (None without one: a temporary store)."""
    return cache.folder / PICTURES_DIR if cache is not None else None


def now_option(text: str | None, settings: Settings) -> datetime | None:
    """``--now`` read in the site's timezone; not a time: ``UsageError``."""
    config, _problems = settings  # a broken site.yaml is the build's to report
    try:
        return build_time(text, config)
    except OptionProblem as exc:
        raise UsageError(str(exc)) from None


def run(args: argparse.Namespace) -> int:
    source: Path = args.source
    require_content(source)
    settings = read_settings(source)
    now = now_option(args.now, settings)
    output: Path = args.output or source / "site"
    cache = cache_for(args, output)
    try:
        folder = output_folder(source, output, args.clean)
        request = BuildRequest(
            source=source,
            drafts=args.drafts,
            output=output,
            jobs=args.jobs,
            future=args.future,
            now=now,
            pictures=picture_store(cache),
        )
        build_run = BuildRun(request, cache, progress_for(args.quiet), settings)
        built = build_run.build_into(folder, search=not args.no_search)
    except BuildError as exc:
        report_cache(cache)
        report_problems(exc)
        return 1
    except OutputProblem as exc:
        log.error(f"error: {exc}")
        return 1
    except OSError as exc:
        log.error(
            f"error: {exc.strerror or exc}: {exc.filename}" if exc.filename else f"error: {exc}"
        )
        return 1
    report_cache(cache)
    report(built, output)
    return 0


def report_cache(cache: DiskCache | None) -> None:
    if cache is not None:
        for warning in cache.warnings:
            log.warning(str(warning))
        cache.warnings.clear()


def report(built: Built, output: Path) -> None:
    for warning in built.warnings:
        log.warning(str(warning))
    timings = built.timings
    note = "" if built.result is not None else " (nothing changed)"
    log.info(
        f"Built {built.pages} pages and copied {built.files} files into "
        f"{describe(output)} in {timings.total:.2f} s{note}"
    )
    if built.result is None:
        log.debug("  0 pages rendered, all reused; nothing written")
    else:
        rendered = len(built.result.rendered)
        written = built.written or WriteReport(0, built.pages + built.files, 0)
        log.debug(
            f"  {rendered} pages rendered, {built.pages - rendered} reused; "
            f"{written.written} files written, {written.unchanged} unchanged, "
            f"{written.removed} removed"
        )
    for stage, seconds in timings.stages.items():
        log.debug(f"  {stage:<8} {seconds * 1000:8.1f} ms")


def report_problems(exc: BuildError) -> None:
    """Every problem on its line, then how many errors there were."""
    for problem in exc.errors:
        (log.warning if problem.is_warning else log.error)(str(problem))
    count = sum(not e.is_warning for e in exc.errors)
    log.error(f"build failed: {count} error{'s' if count != 1 else ''}")


COMMAND = Command("build", "build the site (the default command)", add_arguments, run)
