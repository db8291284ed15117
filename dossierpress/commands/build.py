"""``dossier build`` (the default command): build the site into the output folder."""

from __future__ import annotations

import argparse
import os
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dossierpress.commands import Command, UsageError, add_clean, add_common, require_content
from dossierpress.config import load_config
from dossierpress.console import Progress, get_logger, progress_for
from dossierpress.content.fields import DateProblem, parse_date
from dossierpress.content.walk import SourceFile
from dossierpress.engine.build import BuildRequest, BuildResult, Engine, Timings
from dossierpress.engine.cache import CACHE_DIR, DiskCache
from dossierpress.engine.search import ENTRY, SEARCH_DIR, SearchNotBuilt, search_index
from dossierpress.errors import WARNING, BuildError, ContentError
from dossierpress.fileinfo import FileSignature
from dossierpress.output import OutputFolder, OutputProblem, WriteReport, describe, output_folder
from dossierpress.pages.kinds import BY_NAME

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


def build_time(text: str | None, source: Path) -> datetime | None:
    """``--now`` as a timezone-aware time, read as front matter dates are (a time without
    an offset is in the site's timezone); None without it. Not a time: ``UsageError``."""
    if text is None:
        return None
    config, _problems = load_config(source)  # a broken site.yaml is the build's to report
    try:
        moment, _has_time = parse_date(text, config.zone)
    except DateProblem as exc:
        hint = f" ({exc.hint})" if exc.hint else ""
        raise UsageError(f"--now: {exc.message}{hint}") from None
    return moment


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


@dataclass(frozen=True)
class Built:
    """What ``build_into`` did."""

    pages: int
    files: int
    timings: Timings
    result: BuildResult | None = None
    """None when the cache's summary showed nothing changed (nothing else was read)."""
    written: WriteReport | None = None
    warnings: tuple[ContentError, ...] = ()


def build_into(
    request: BuildRequest,
    folder: OutputFolder,
    cache: DiskCache | None,
    progress: Progress | None = None,
    *,
    search: bool = False,
) -> Built:
    """A build into ``folder`` with ``cache``: what ``dossier build`` does, and the tests.

    Raises ``BuildError`` (the cache saved all the same: what was read and parsed still
    saves the next build's time) or ``OutputProblem``.
    """
    timings = Timings()
    if cache is not None:
        with timings.stage("check"):
            index = cache.load_index()
            if (
                index is not None
                and not (search and index.search_owed)
                and Engine(request).unchanged_since(index)
            ):
                return Built(len(index.pages), len(index.copied), timings, warnings=index.warnings)
    state = cache.load() if cache else None
    owed = state is not None and state.search_owed
    engine = Engine(request, state, progress=progress)
    try:
        result = engine.build()
    except BuildError:
        engine.state.search_owed = owed  # the state may be a new one (settings changed)
        save(cache, engine)
        raise
    timings = Timings({**timings.stages, **result.timings})
    written = None
    warnings = result.warnings
    stale = owed or needs_search(result, folder)  # the index lags, or would, the pages
    indexing = search and stale
    if not result.up_to_date or indexing:  # else the folder holds it already
        with ExitStack() as scope:
            search_files = None
            if indexing:
                with timings.stage("search"):
                    search_files, problems = index_for_search(scope, result, folder)
                warnings = (*warnings, *problems)
            with timings.stage("write"):
                written = write(folder, result, search_files)
        remember_outputs(engine, result, written)
        if indexing:
            remember_pages_read_for_search(engine, result, folder)
        # Pages written without an index of them are remembered as such: the next build
        # that indexes does so even when it finds nothing else changed.
        engine.state.search_owed = stale and search_files is None
        save(cache, engine)
    return Built(len(result.pages), len(result.copied), timings, result, written, warnings)


def needs_search(result: BuildResult, folder: OutputFolder) -> bool:
    """Whether the search index is missing, or an indexed page was written or removed."""
    if not (folder.path / ENTRY).is_file():
        return True
    if result.removed:
        return True
    return any(
        out in result.pages and BY_NAME[result.pages[out].plan.kind].indexed
        for out in result.changed
    )


def remember_pages_read_for_search(
    engine: Engine, result: BuildResult, folder: OutputFolder
) -> None:
    """Pagefind read the pages kept in the folder through hard links, made and removed
    again (``search.search_index``), which moved their change time: part of what a build
    records of each output to tell that it is still as written. Record the new one, so
    the next build does not take them for changed and render them again; a page whose
    modification time, size or inode moved too was changed by someone meanwhile, and
    keeps its old record (the next build renders it again)."""
    outputs = engine.state.outputs
    for out, record in result.pages.items():
        if record.data is not None or not BY_NAME[record.plan.kind].indexed:
            continue
        written = outputs.get(out)
        now = FileSignature.of(folder.path / out)
        if written is not None and now is not None and written[1].only_change_time_moved(now):
            outputs[out] = (written[0], now)


def index_for_search(
    scope: ExitStack, result: BuildResult, folder: OutputFolder
) -> tuple[dict[str, SourceFile] | None, list[ContentError]]:
    """The index of the pages about to be written, alive as long as ``scope``; a failure
    is a warning (the site itself is fine, with the index it had), located at the index's
    own folder."""
    pages = {
        out: record.data if record.data is not None else folder.path / out
        for out, record in result.pages.items()
        if BY_NAME[record.plan.kind].indexed
    }
    try:
        return scope.enter_context(search_index(pages)), []
    except SearchNotBuilt as exc:
        return None, [ContentError(f"{SEARCH_DIR}/", 1, str(exc), severity=WARNING)]


def run(args: argparse.Namespace) -> int:
    source: Path = args.source
    require_content(source)
    now = build_time(args.now, source)
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
        )
        search = not args.no_search
        built = build_into(request, folder, cache, progress_for(args.quiet), search=search)
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


def write(
    folder: OutputFolder, result: BuildResult, index: dict[str, SourceFile] | None = None
) -> WriteReport:
    """Write what the build rendered and copied, and the search ``index`` when there is a
    new one; leave what it kept (and the index it had, when there is none)."""
    files = result.files()
    if index is None:
        return folder.replace_all(
            files.items(), keep=result.kept | folder.recorded_under(SEARCH_DIR)
        )
    return folder.replace_all({**files, **index}.items(), keep=result.kept)


def remember_outputs(engine: Engine, result: BuildResult, written: WriteReport) -> None:
    """Where each page's bytes now lie, so the next build can leave unchanged ones there."""
    outputs = engine.state.outputs
    for out, record in result.pages.items():
        signature = written.signatures.get(out)
        if signature is not None:
            outputs[out] = (record.digest, signature)
    for out in result.copied:
        signature = written.signatures.get(out)
        if signature is not None:
            outputs[out] = ("", signature)


def save(cache: DiskCache | None, engine: Engine) -> None:
    if cache is not None:
        cache.save(engine.state)


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
