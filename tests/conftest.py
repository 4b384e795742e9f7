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



# The files that take longest, slowest first (from ./dev test's --durations on CI).  ./dev test
# runs pytest-xdist with --dist loadfile --no-loadscope-reorder: each worker takes whole files, the
# next one when it is nearly done, in this order.  Long files first and the many short ones last
# let the two workers end together (xdist's own order, most tests first, left these few-test
# files to the end, where one worker ran them while the other had nothing left).  The bundle is
# built first (tests/installer/conftest.py: one build under a file lock); the .deb, which waits
# for that build, comes after other long files.
SLOW_FIRST = (
    "tests/installer/test_bundle.py",
    "tests/erp/test_delivery_faults.py",
    "tests/shell/test_demo_hub_lifetime.py",
    "tests/shell/test_usb_seed.py",
    "tests/shell/test_demo_commands.py",
    "tests/crash/",
    "tests/installer/",
    "tests/erp/",
    "tests/sync/test_shell_commands.py",
    "tests/shell/test_diagnostics.py",
    "tests/test_cli.py",
    "tests/test_demo.py",
    "tests/shell/test_demo_codes_and_loyalty.py",
    "tests/sync/test_pulling_promotions.py",
    "tests/sync/test_document_push_properties.py",
    "tests/local_db/test_catalog_swap.py",
    "tests/sync/test_push_properties.py",
    "tests/sync/test_resumed_pulls.py",
    "tests/sync/test_hub_killed.py",
    "tests/sync/test_link_faults.py",
)


def _file_of(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[0]


def slow_files_first(items: list[pytest.Item]) -> None:
    """Orders ``items`` file by file: the SLOW_FIRST files in its order, then the others with the
    most tests first (as xdist would); a file's own tests keep their order."""
    counts: dict[str, int] = {}
    for item in items:
        counts[_file_of(item)] = counts.get(_file_of(item), 0) + 1
    first_seen = {name: index for index, name in enumerate(counts)}

    def rank(name: str) -> tuple[int, int, int]:
        listed = next((index for index, prefix in enumerate(SLOW_FIRST) if name.startswith(prefix)), len(SLOW_FIRST))
        return listed, -counts[name], first_seen[name]

    items.sort(key=lambda item: rank(_file_of(item)))  # stable: a file's tests keep their order


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:  # noqa: ARG001
    slow_files_first(items)
