"""A real Tryton 8.2 for the ERP tests (tests/erp/tryton_server.py).

``tryton_template``: the folder of the template database, built once per machine (cached in
``$TMPDIR/kassa-tryton-<hash>/``, under a file lock so two xdist workers build it once).
``tryton``: a trytond on loopback for the whole session (one per worker) on its own copy of the
template; tests on it use their own sale ids and products, never counting what others made.
``tryton_server``: a server of the test's own, started, for tests that stop, kill or restart Tryton.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.erp.tryton_server import TrytonDatabase, TrytonServer, template_folder


@pytest.fixture(scope="session")
def tryton_template() -> Path:
    return template_folder()


@pytest.fixture(scope="session")
def tryton(tryton_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TrytonDatabase]:
    server = TrytonServer(tmp_path_factory.mktemp("tryton"), tryton_template)
    server.start()
    yield server.database
    server.stop()


@pytest.fixture
def tryton_server(tryton_template: Path, tmp_path: Path) -> Iterator[TrytonServer]:
    server = TrytonServer(tmp_path, tryton_template)
    server.start()
    yield server
    server.kill()
