"""``dossier serve``: the live preview, rebuilt and reloaded on every save."""

from __future__ import annotations

import argparse
from pathlib import Path

from dossierpress.commands import Command, add_clean, add_common, require_content
from dossierpress.commands.build import add_schedule_options, now_option
from dossierpress.console import get_logger
from dossierpress.engine.run import read_settings
from dossierpress.output import OutputProblem, output_folder
from dossierpress.preview.session import ServeOptions, serve

log = get_logger("serve")


def port_number(text: str) -> int:
    """``--port``: checked here, as a port out of range would end in a traceback at bind."""
    port = int(text) if text.isascii() and text.isdigit() else -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (0 to 65535)")
    return port


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_common(parser)
    parser.add_argument(
        "--output",
        type=Path,
        help="also mirror the preview into this folder (default: a temporary one)",
    )
    add_clean(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    parser.add_argument(
        "--port", type=port_number, default=8000, help="port; 0 picks a free one (default: 8000)"
    )
    parser.add_argument("--no-drafts", action="store_true", help="hide articles marked draft: true")
    parser.add_argument(
        "--no-future",
        action="store_true",
        help="hide scheduled articles (dated after the preview's time; shown by default, marked)",
    )
    add_schedule_options(parser, future=False)
    parser.add_argument("--open", action="store_true", help="open the preview in a browser")
    parser.add_argument(
        "--navigate", action="store_true", help="make open tabs follow the page you just changed"
    )
    parser.add_argument(
        "--no-reload", action="store_true", help="do not reload open tabs after a rebuild"
    )


def run(args: argparse.Namespace) -> int:
    source: Path = args.source
    require_content(source)
    now = now_option(args.now, read_settings(source))
    try:
        if args.output is not None:
            output_folder(source, args.output, args.clean)
        options = ServeOptions(
            source=source,
            output=args.output,
            host=args.host,
            port=args.port,
            drafts=not args.no_drafts,
            future=not args.no_future,
            now=now,
            reload=not args.no_reload,
            navigate=args.navigate,
            open_browser=args.open,
            clean=args.clean,
        )
        return serve(options)
    except OutputProblem as exc:
        log.error(f"error: {exc}")
        return 1
    except OSError as exc:
        log.error(f"error: cannot serve on {args.host}:{args.port}: {exc.strerror or exc}")
        return 1


COMMAND = Command("serve", "live preview that rebuilds and reloads on save", add_arguments, run)
