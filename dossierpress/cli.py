"""The ``dossier`` / ``python build.py`` command line: parse, dispatch, and never a traceback.

No build logic lives here: the commands are modules of ``commands`` (each adds its
arguments and runs), and this module picks one (``build`` when none is named), routes
the package's messages to the terminal for its duration (``console``) and turns
whatever escapes into one line: a command line that cannot run (``UsageError``) exits 2,
Ctrl-C and SIGTERM say what became of the output folder
and exit 130 / 143, and a bug of ours is one ``error: internal error`` line (the
traceback only with ``--verbose``).
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence

from dossierpress.commands import MODULES, UsageError, commands
from dossierpress.console import console, get_logger
from dossierpress.errors import printable
from dossierpress.interrupt import Interrupted, signals_raise_interrupted

log = get_logger("cli")


def make_parser(names: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser of the named commands (all: for the list of them)."""
    parser = argparse.ArgumentParser(
        prog="dossier", description="Build a static site of curated news dossiers."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in commands(names):
        command.add_arguments(sub.add_parser(command.name, help=command.help))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in (*MODULES, "-h", "--help"):
        args.insert(0, "build")
    asked = None if args[0] in ("-h", "--help") else [args[0]]
    options = make_parser(asked).parse_args(args)
    (command,) = commands([options.command])
    with console(quiet=options.quiet, verbose=options.verbose), signals_raise_interrupted():
        try:
            return command.run(options)
        except UsageError as exc:
            log.error(f"error: {exc}")
            return 2
        except Interrupted as exc:
            return report_interrupted(exc, options)
        except Exception as exc:
            return report_internal_error(exc, options.verbose)


def report_interrupted(exc: Interrupted, args: argparse.Namespace) -> int:
    """One line saying what became of the output folder, and 130 (Ctrl-C) or 143 (SIGTERM)."""
    if args.command == "serve":  # the preview cleans up after itself: nothing to report
        return exc.exit_status
    from dossierpress.output import describe  # imported by every command that writes

    output = getattr(args, "output", None) or args.source / "site"
    state = "written in full before stopping" if exc.output_changed else "unchanged"
    log.error(f"interrupted; {describe(output)}/ {state}")
    return exc.exit_status


def report_internal_error(exc: Exception, verbose: bool) -> int:
    """A bug of ours: one line (and the traceback with --verbose), never a bare traceback."""
    if verbose:
        traceback.print_exception(exc, file=sys.stderr)
    log.error(
        f"error: internal error: {type(exc).__name__}: {printable(str(exc))} (please report it)"
    )
    return 1
