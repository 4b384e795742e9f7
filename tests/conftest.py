"""Fixtures for every test."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _root_logger_as_it_was() -> Iterator[None]:
    """A test that runs a ``kassa`` command in-process (``shell.cli.main``) sets up the
    command's logging: the root logger at INFO with its own handlers.  Put the root logger
    back afterwards, so a later test's ``caplog`` sees only what that test logged."""
    root = logging.getLogger()
    level, handlers = root.level, root.handlers[:]
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)

