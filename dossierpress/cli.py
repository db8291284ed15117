"""The ``dossier`` / ``python build.py`` command line: parse options, call the pipeline, report.

No build logic lives here: this module maps options to ``BuildOptions`` and our errors to
``path:line: error: message`` lines on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import BuildError
from .pipeline import BuildOptions, build, unsafe_output_reason
from .preview import ServeOptions, serve

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
    serve_cmd = sub.add_parser("serve", help="live preview that rebuilds and reloads on save")
    _add_common(serve_cmd)
    serve_cmd.add_argument(
        "--output",
        type=Path,
        help="also mirror the preview into this folder (default: a temporary one)",
    )
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
    if options.command == "serve":
        return run_serve(options)
    return run_build(options)


def run_serve(args: argparse.Namespace) -> int:
    source: Path = args.source
    if not (source / "content").is_dir():
        print(f"error: no content/ folder in '{source}'", file=sys.stderr)
        return 2
    if args.output is not None:
        reason = unsafe_output_reason(source, args.output)
        if reason:
            print(f"error: {reason}", file=sys.stderr)
            return 2
    options = ServeOptions(
        source=source,
        output=args.output,
        host=args.host,
        port=args.port,
        drafts=not args.no_drafts,
        reload=not args.no_reload,
        navigate=args.navigate,
        open_browser=args.open,
    )
    quiet = args.quiet

    def log(line: str) -> None:
        is_error = ": error: " in line or line.startswith(("error", "build failed"))
        if is_error:
            print(line, file=sys.stderr, flush=True)
        elif not quiet or line.startswith("Serving at"):
            print(line, flush=True)

    try:
        return serve(options, log)
    except OSError as exc:
        print(
            f"error: cannot serve on {args.host}:{args.port}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return 1


def run_build(args: argparse.Namespace) -> int:
    source: Path = args.source
    if not (source / "content").is_dir():
        print(f"error: no content/ folder in '{source}'", file=sys.stderr)
        return 2
    output: Path = args.output or source / "site"
    reason = unsafe_output_reason(source, output)
    if reason:
        print(f"error: {reason}", file=sys.stderr)
        return 2
    try:
        report = build(BuildOptions(source=source, output=output, drafts=args.drafts))
    except BuildError as exc:
        print_errors(exc)
        return 1
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not args.quiet:
        where = os.path.relpath(output) if not output.is_absolute() else output
        print(
            f"Built {report.pages} pages and copied {report.files} files into {where} "
            f"in {report.seconds:.2f} s"
        )
        if args.verbose:
            for stage, seconds in report.timings.items():
                print(f"  {stage:<8} {seconds * 1000:8.1f} ms")
    return 0


def print_errors(exc: BuildError) -> None:
    for error in exc.errors:
        print(error, file=sys.stderr)
    count = len(exc.errors)
    print(f"build failed: {count} error{'s' if count != 1 else ''}", file=sys.stderr)
