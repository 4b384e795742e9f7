"""The hub keeps the contract its OpenAPI document states, checked by Schemathesis over
every endpoint: requests generated from the document (valid ones, and invalid ones by
negation) are never answered 5xx; every answer's status, content type and body are ones
the document declares; a request the document calls valid is accepted, one it calls
invalid is refused with a 4xx.

Twice: against the app in-process on SQLite (ASGI), and against a real hub process on
loopback serving PostgreSQL.  The authenticated endpoints get a real till's credential,
fixed in every case (a missing or bad credential, 401, is tested in test_enrolment.py).
Bounded for CI (``EXAMPLES`` per endpoint and run); ``KASSA_SOAK=1`` tries many more.
The number of requests each run made is printed (``pytest -s``)."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from central.app import create_app
from central.database import open_hub_database
from tests.central.conftest import scratch_postgresql_url
from tests.central.hub_process import running_hub
from tests.central.shop import Shop

EXAMPLES = 1000 if os.environ.get("KASSA_SOAK") else 40
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          positive_data_acceptance, negative_data_rejection]
tried: Counter[str] = Counter()
OPENAPI = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


class Hub:
    def __init__(self, schema: Any, auth: dict[str, str]) -> None:
        self.schema, self.auth = schema, auth


@pytest.fixture(scope="module")
def in_process_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    url = f"sqlite:///{tmp_path_factory.mktemp('contract') / 'hub.sqlite3'}"
    db = open_hub_database(url, migrate_schema=True)
    app = create_app(url)
    try:
        with TestClient(app) as client:
            shop = Shop.set_up(db, client)
            auth = shop.auth(shop.enrol())
        yield Hub(schemathesis.openapi.from_asgi("/openapi.json", app), auth)
    finally:
        app.state.db.close()
        db.close()


@pytest.fixture(scope="module")
def hub_over_loopback() -> Iterator[Hub]:
    with scratch_postgresql_url("hub_contract") as url, open_hub_database(url, migrate_schema=True) as db, \
            running_hub(url) as base, httpx.Client(base_url=base, timeout=30) as http:
        shop = Shop.set_up(db, http)
        auth = shop.auth(shop.enrol())
        yield Hub(schemathesis.openapi.from_url(f"{base}/openapi.json"), auth)


DOCUMENT = json.loads(OPENAPI.read_text(encoding="utf-8"))
# Every operation the document names, valid requests and invalid ones; an operation that
# takes no input (GET /v1/health) has nothing to make invalid.
CASES = [(method.upper(), path, mode) for path, methods in DOCUMENT["paths"].items()
         for method, operation in methods.items() for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
         if mode is GenerationMode.POSITIVE or operation.get("parameters") or operation.get("requestBody")]
CASE_IDS = [f"{method} {path} {mode.value}" for method, path, mode in CASES]
BOUNDED = settings(max_examples=EXAMPLES, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                          HealthCheck.data_too_large])


def keep_the_contract(hub: Hub, label: str, method: str, path: str, mode: GenerationMode) -> None:
    @BOUNDED
    @given(hub.schema[path][method].as_strategy(mode, headers=hub.auth))  # a fixed header is never negated
    def send(case: Any) -> None:
        response = case.call_and_validate(checks=CHECKS)
        tried[f"{label} {mode.value} {method} {path} -> {response.status_code}"] += 1

    send()


@pytest.mark.parametrize(("method", "path", "mode"), CASES, ids=CASE_IDS)
def test_the_hub_in_process_keeps_its_openapi_contract(in_process_hub: Hub, method: str, path: str,
                                                        mode: GenerationMode) -> None:
    keep_the_contract(in_process_hub, "in process", method, path, mode)


@pytest.mark.parametrize(("method", "path", "mode"), CASES, ids=CASE_IDS)
def test_a_hub_process_on_postgresql_keeps_its_openapi_contract(hub_over_loopback: Hub, method: str, path: str,
                                                                 mode: GenerationMode) -> None:
    keep_the_contract(hub_over_loopback, "over loopback", method, path, mode)


def test_zz_report_how_many_requests_the_contract_tests_made() -> None:
    """Not a check: prints the tally of the runs above (pytest -s)."""
    print(f"\ncontract requests: {sum(tried.values())}")
    for key, count in sorted(tried.items()):
        print(f"  {key}: {count}")

