"""The ``dossier`` / ``python build.py`` command line: parse options, call the pipeline, report.

No build logic lives here: this module maps options to ``BuildOptions`` and our errors to
``path:line: error: message`` lines on stderr and exit status 1. Whatever happens, the
editor gets lines, not a traceback: Ctrl-C and SIGTERM say what became of the output
folder and exit 130 / 143, and a bug of ours is one ``error: internal error`` line (the
traceback only with ``--verbose``).
"""

from __future__ import annotations

import argparse
import signal
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from dossierpress.engine.build import BuildOptions, build, output_folder
from dossierpress.errors import BuildError, printable
from dossierpress.interrupt import Interrupted, signals_raise_interrupted
from dossierpress.output import OutputProblem, describe
from dossierpress.preview.session import ServeOptions, serve

COMMANDS = ("build", "serve")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dossier", description="Build a static site of curated news dossiers."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    build_cmd = sub.add_parser("build", help="build the site (the default command)")
    _add_common(build_cmd)
    build_cmd.add_argument("--output", type=Path, help="output folder (default: <source>/site)")
    build_cmd.add_argument(
        "--drafts", action="store_true", help="include articles marked draft: true"
    )
    _add_clean(build_cmd)
    serve_cmd = sub.add_parser("serve", help="live preview that rebuilds and reloads on save")
    _add_common(serve_cmd)
    serve_cmd.add_argument(
        "--output",
        type=Path,
        help="also mirror the preview into this folder (default: a temporary one)",
    )
    _add_clean(serve_cmd)
    serve_cmd.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)"
    )
    serve_cmd.add_argument(
        "--port", type=port_number, default=8000, help="port; 0 picks a free one (default: 8000)"
    )
    serve_cmd.add_argument(
        "--no-drafts", action="store_true", help="hide articles marked draft: true"
    )
    serve_cmd.add_argument("--open", action="store_true", help="open the preview in a browser")
    serve_cmd.add_argument(
        "--navigate", action="store_true", help="make open tabs follow the page you just changed"
    )
    serve_cmd.add_argument(
        "--no-reload", action="store_true", help="do not reload open tabs after a rebuild"
    )
    return parser


def port_number(text: str) -> int:
    """``--port``: checked here, as a port out of range would end in a traceback at bind."""
    port = int(text) if text.isascii() and text.isdigit() else -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (0 to 65535)")
    return port


def _add_clean(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--clean",
        action="store_true",
        help="remove files in the output folder that this tool did not write "
        "(hidden ones such as .git stay)",
    )


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--source",
        type=Path,
        default=Path("."),
        help="folder holding content/, optional layouts/ and site.yaml (default: .)",
    )
    noise = parser.add_mutually_exclusive_group()
    noise.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    noise.add_argument("-v", "--verbose", action="store_true", help="print time per stage")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in (*COMMANDS, "-h", "--help"):
        args.insert(0, "build")
    options = make_parser().parse_args(args)
    command = run_serve if options.command == "serve" else run_build
    with signals_raise_interrupted():
        try:
            return command(options)
        except Interrupted as exc:
            return report_interrupted(exc, options)
        except Exception as exc:
            return report_internal_error(exc, options.verbose)


def run_serve(args: argparse.Namespace) -> int:
    source: Path = args.source
    if not (source / "content").is_dir():
        error(f"no content/ folder in '{describe(source)}'")
        return 2
    if args.output is not None:
        try:
            output_folder(source, args.output, args.clean)
        except OutputProblem as exc:
            error(str(exc))
            return 1
    options = ServeOptions(
        source=source,
        output=args.output,
        host=args.host,
        port=args.port,
        drafts=not args.no_drafts,
        reload=not args.no_reload,
        navigate=args.navigate,
        open_browser=args.open,
        clean=args.clean,
    )
    try:
        return serve(options, serve_log(args.quiet))
    except OutputProblem as exc:
        error(str(exc))
        return 1
    except OSError as exc:
        error(f"cannot serve on {args.host}:{args.port}: {exc.strerror or exc}")
        return 1


def serve_log(quiet: bool) -> Callable[[str], None]:
    def log(line: str) -> None:
        line = printable(line)
        is_error = ": error: " in line or line.startswith(("error", "build failed"))
        if is_error or ": warning: " in line:
            print(line, file=sys.stderr, flush=True)
        elif not quiet or line.startswith("Serving at"):
            print(line, flush=True)

    return log


def run_build(args: argparse.Namespace) -> int:
    source: Path = args.source
    if not (source / "content").is_dir():
        error(f"no content/ folder in '{describe(source)}'")
        return 2
    output: Path = args.output or source / "site"
    options = BuildOptions(source=source, output=output, drafts=args.drafts, clean=args.clean)
    try:
        report = build(options)
    except BuildError as exc:
        print_errors(exc)
        return 1
    except OutputProblem as exc:
        error(str(exc))
        return 1
    except OSError as exc:
        error(printable(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc)))
        return 1
    for warning in report.warnings:
        print(warning, file=sys.stderr)
    if not args.quiet:
        print(
            f"Built {report.pages} pages and copied {report.files} files into "
            f"{describe(output)} in {report.seconds:.2f} s"
        )
        if args.verbose:
            written = report.written
            print(
                f"  {written.written} files written, {written.unchanged} unchanged, "
                f"{written.removed} removed"
            )
            for stage, seconds in report.timings.items():
                print(f"  {stage:<8} {seconds * 1000:8.1f} ms")
    return 0


def report_interrupted(exc: Interrupted, args: argparse.Namespace) -> int:
    """One line saying what became of the output folder, and 130 (Ctrl-C) or 143 (SIGTERM)."""
    if args.command == "serve":  # stopping the preview is what Ctrl-C is for
        return 0 if exc.signum == signal.SIGINT else exc.exit_status
    output = args.output or args.source / "site"
    state = "written in full before stopping" if exc.output_changed else "unchanged"
    print(f"interrupted; {describe(output)}/ {state}", file=sys.stderr)
    return exc.exit_status


def report_internal_error(exc: Exception, verbose: bool) -> int:
    """A bug of ours: one line (and the traceback with --verbose), never a bare traceback."""
    if verbose:
        traceback.print_exception(exc, file=sys.stderr)
    error(f"internal error: {type(exc).__name__}: {printable(str(exc))} (please report it)")
    return 1


def error(message: str) -> None:
    print(f"error: {printable(message)}", file=sys.stderr)


def print_errors(exc: BuildError) -> None:
    problems = [e for e in exc.errors if not e.is_warning]
    for problem in exc.errors:
        print(problem, file=sys.stderr)
    count = len(problems)
    print(f"build failed: {count} error{'s' if count != 1 else ''}", file=sys.stderr)
