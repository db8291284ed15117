"""The commands of the command line, one module each.

Each module defines ``COMMAND``: its name, its help line, the arguments it adds and the
function that runs it. ``cli`` builds the parser from ``COMMANDS`` and dispatches, so a
new command is one module and one entry here.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def add_common(parser: argparse.ArgumentParser) -> None:
    """Options of every command that reads a site."""
    parser.add_argument(
        "--source",
        type=Path,
        default=Path("."),
        help="folder holding content/, optional layouts/ and site.yaml (default: .)",
    )
    add_noise(parser)


def add_noise(parser: argparse.ArgumentParser) -> None:
    """How much a command prints (every command takes these)."""
    noise = parser.add_mutually_exclusive_group()
    noise.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    noise.add_argument("-v", "--verbose", action="store_true", help="print the time of every stage")


def has_content(source: Path) -> bool:
    """Whether ``source`` holds a ``content/`` folder; when not, says so in one line (the
    commands that read a site then exit with status 2, a usage error)."""
    if (source / "content").is_dir():
        return True
    from dossierpress.console import get_logger
    from dossierpress.output import describe

    get_logger("cli").error(f"error: no content/ folder in '{describe(source)}'")
    return False


def add_clean(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--clean",
        action="store_true",
        help="remove files in the output folder that this tool did not write "
        "(hidden ones such as .git stay)",
    )


def commands() -> tuple[Command, ...]:
    """Every command, the default (``build``) first; imported here, when the command line
    is parsed, so that each command's module may import what it needs."""
    from dossierpress.commands import build, check, import_, init, new, serve

    return (
        build.COMMAND,
        serve.COMMAND,
        check.COMMAND,
        init.COMMAND,
        new.COMMAND,
        import_.COMMAND,
    )
