"""The commands of the command line, one module each.

Each module defines ``COMMAND``: its name, its help line, the arguments it adds and the
function that runs it. ``cli`` builds the parser from ``commands()`` and dispatches, so a
new command is one module and one entry in ``MODULES``.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable, Iterable
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


MODULES = {
    "build": "build",
    "serve": "serve",
    "check": "check",
    "init": "init",
    "new": "new",
    "import": "import_",
}
"""Every command's name and its module, the default (``build``) first."""


def commands(names: Iterable[str] | None = None) -> tuple[Command, ...]:
    """The named commands (all of them by default), in ``MODULES``' order; each module is
    imported here, when the command line is parsed, and only when its command is asked
    for: a build does not pay for the preview's or the importer's libraries."""
    wanted = set(MODULES if names is None else names)
    return tuple(
        importlib.import_module(f"dossierpress.commands.{module}").COMMAND
        for name, module in MODULES.items()
        if name in wanted
    )
