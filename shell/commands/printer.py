"""kassa printer: (to be written)."""

from __future__ import annotations

import argparse

COMMANDS: dict = {}


def add_arguments(sub: argparse._SubParsersAction) -> None:
    pass
