"""``dossier build`` (the default command): build the site into the output folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from dossierpress.commands import Command, add_clean, add_common
from dossierpress.console import get_logger, progress_for
from dossierpress.engine.build import BuildRequest, BuildResult, Engine, Timings, output_folder
from dossierpress.errors import BuildError
from dossierpress.output import OutputFolder, OutputProblem, WriteReport, describe

log = get_logger("build")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_common(parser)
    parser.add_argument("--output", type=Path, help="output folder (default: <source>/site)")
    parser.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    add_clean(parser)


def run(args: argparse.Namespace) -> int:
    source: Path = args.source
    if not (source / "content").is_dir():
        log.error(f"error: no content/ folder in '{describe(source)}'")
        return 2
    output: Path = args.output or source / "site"
    try:
        folder = output_folder(source, output, args.clean)
        request = BuildRequest(source=source, drafts=args.drafts, output=output)
        engine = Engine(request, progress=progress_for(args.quiet))
        result = engine.build()
        timings = Timings(dict(result.timings))
        with timings.stage("write"):
            written = write(folder, result)
    except BuildError as exc:
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
    report(result, written, timings, output)
    return 0


def write(folder: OutputFolder, result: BuildResult) -> WriteReport:
    """Write what the build rendered and copied; leave what it kept."""
    return folder.replace_all(result.files().items(), keep=result.kept)


def report(result: BuildResult, written: WriteReport, timings: Timings, output: Path) -> None:
    for warning in result.warnings:
        log.warning(str(warning))
    log.info(
        f"Built {len(result.pages)} pages and copied {len(result.copied)} files into "
        f"{describe(output)} in {timings.total:.2f} s"
    )
    log.debug(
        f"  {len(result.rendered)} pages rendered, {len(result.pages) - len(result.rendered)} "
        f"reused; {written.written} files written, {written.unchanged} unchanged, "
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
