"""The ``kassa`` commands IT and support run (beside the till's own in ``shell.cli``).

Each module here adds its subcommands with ``add_arguments(sub)`` and maps each name to
its function in ``COMMANDS``; ``shell.cli`` registers them all.  A module imports nothing
heavy at the top (no Qt, no database): ``kassa --help`` loads every one of them.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from types import ModuleType

from shell.commands import backup, cashiers, diagnostics, doctor, printer, seed, self_test

Command = Callable[[argparse.Namespace], int]

MODULES: tuple[ModuleType, ...] = (doctor, diagnostics, backup, self_test, seed, printer, cashiers)


def add_arguments(sub: argparse._SubParsersAction) -> None:
    for module in MODULES:
        module.add_arguments(sub)


def commands() -> dict[str, Command]:
    found: dict[str, Command] = {}
    for module in MODULES:
        found.update(module.COMMANDS)
    return found


def one_line_on_failure() -> frozenset[str]:
    """Commands whose unexpected failure is one line on the terminal (the traceback goes to
    the log): the ones monitoring and support run unattended."""
    names: set[str] = set()
    for module in MODULES:
        names.update(getattr(module, "ONE_LINE_ON_FAILURE", ()))
    return frozenset(names)
