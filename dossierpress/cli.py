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
    return parser


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
    return run_build(options)


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
