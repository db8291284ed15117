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


class UsageError(Exception):
    """A command line that cannot run as given (no ``content/`` folder, a ``--now`` that is
    no time): ``cli`` prints the message as one ``error:`` line and exits with status 2."""


def require_content(source: Path) -> None:
    """Refuse (``UsageError``) a ``source`` without a ``content/`` folder, before a command
    that reads a site does anything."""
    if not (source / "content").is_dir():
        from dossierpress.output import describe

        raise UsageError(f"no content/ folder in '{describe(source)}'")


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
