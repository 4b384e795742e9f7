"""The published contract, as integrators meet it: Schemathesis walks every operation of the
hub's own OpenAPI document (whatever the helpers have added: the CRM feed, gift cards...)
against a real hub process on loopback started with the admin and feed tokens, each
operation with the credential its document asks for (a till's, head office's admin token, the
feed token).  No 5xx, no status, content type or body the document does not declare, no valid
request refused and no invalid one accepted.  Bounded for CI: ``EXAMPLES`` per operation and
mode (under a minute in all: 57 s on a busy 2-core machine with 25); ``KASSA_SOAK=1`` tries
many more, ``KASSA_CONTRACT_EXAMPLES=N`` N.

And the contract's three faults an earlier run of such a tester found, each pinned: the
dataset cursor is described as the whole number it is, an integer written ``26682439.0`` is
an integer, and a heartbeat's ``till_time`` is a date-time, never a number."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
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

from central.database import open_hub_database
from central.feed_api import FEED_TOKEN_VARIABLE
from central.promotions_api import ADMIN_TOKEN_VARIABLE
from tests.central.conftest import PG_VARIABLE, scratch_postgresql_url
from tests.central.hub_process import running_hub
from tests.central.shop import Shop, make_sales

EXAMPLES = int(os.environ.get("KASSA_CONTRACT_EXAMPLES") or (1000 if os.environ.get("KASSA_SOAK") else 20))
ADMIN_TOKEN = "admin-" + "a" * 40
FEED_TOKEN = "feed-" + "f" * 40
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          positive_data_acceptance, negative_data_rejection]
# Head office's definitions are checked by meaning (the tills' own reader), which no JSON Schema
# can state: a well-formed list may still be answered 400 bad_definitions, as the document says.
CHECKED_BY_MEANING = {("PUT", "/v1/promotions")}
BOUNDED = settings(max_examples=EXAMPLES, deadline=None, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                          HealthCheck.data_too_large])


class Hub:
    def __init__(self, base: str, schema: Any, till: dict[str, str]) -> None:
        self.base, self.schema = base, schema
        self.headers = {"HTTPBearer": till, "AdminToken": {"Authorization": f"Bearer {ADMIN_TOKEN}"},
                        "FeedToken": {"Authorization": f"Bearer {FEED_TOKEN}"},
                        "StatusPage": {}}  # the status page is off here: 404, as its document says

    def auth_for(self, operation: dict[str, Any]) -> dict[str, str]:
        """The header of the credential the operation's document asks for (none: none)."""
        for requirement in operation.get("security", []):
            for scheme in requirement:
                return self.headers.get(scheme, self.headers["HTTPBearer"])
        return {}


@pytest.fixture(scope="module")
def hub() -> Iterator[Hub]:
    with ExitStack() as stack, pytest.MonkeyPatch.context() as env:
        env.setenv(ADMIN_TOKEN_VARIABLE, ADMIN_TOKEN)  # the hub process inherits them
        env.setenv(FEED_TOKEN_VARIABLE, FEED_TOKEN)
        if os.environ.get(PG_VARIABLE):
            url = stack.enter_context(scratch_postgresql_url("hub_schemathesis"))
        else:
            url = f"sqlite:///{stack.enter_context(_folder()) / 'hub.sqlite3'}"
        db = stack.enter_context(open_hub_database(url, migrate_schema=True))
        base = stack.enter_context(running_hub(url))
        http = stack.enter_context(httpx.Client(base_url=base, timeout=30))
        shop = Shop.set_up(db, http)
        till = shop.enrol()
        shop.push(till, *make_sales(3, till))  # something in the feed and behind the sale lookups
        yield Hub(base, schemathesis.openapi.from_url(f"{base}/openapi.json"), shop.auth(till))


def _folder() -> Any:
    import tempfile
    from contextlib import contextmanager

    @contextmanager
    def folder() -> Iterator[Path]:
        with tempfile.TemporaryDirectory() as name:
            yield Path(name)

    return folder()


def _operations() -> list[tuple[str, str, GenerationMode]]:
    """Every operation of the hub's document as the app builds it now (docs/openapi.json may lag)."""
    from central.app import create_app

    app = create_app("sqlite://")
    try:
        document = app.openapi()
    finally:
        app.state.db.close()
    return [(method.upper(), path, mode) for path, methods in document["paths"].items()
            for method, operation in methods.items() for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
            if mode is GenerationMode.POSITIVE or operation.get("parameters") or operation.get("requestBody")]


OPERATIONS = _operations()


@pytest.mark.parametrize(("method", "path", "mode"), OPERATIONS,
                         ids=[f"{m} {p} {mode.value}" for m, p, mode in OPERATIONS])
def test_every_operation_of_a_real_hub_keeps_its_published_contract(hub: Hub, method: str, path: str,
                                                                     mode: GenerationMode) -> None:
    operation = hub.schema[path][method]
    checks = [c for c in CHECKS if not ((method, path) in CHECKED_BY_MEANING and c is positive_data_acceptance)]

    auth = hub.auth_for(operation.definition.raw)
    statuses: set[int] = set()

    @BOUNDED
    @given(operation.as_strategy(mode, headers=auth))  # a fixed header is never negated
    def send(case: Any) -> None:
        statuses.add(case.call_and_validate(checks=checks).status_code)

    send()
    if auth and mode is GenerationMode.POSITIVE:  # the credential opened the operation: it was tried for real
        assert 401 not in statuses, statuses


def test_the_dataset_cursor_is_published_as_the_whole_number_it_is(hub: Hub) -> None:
    document = httpx.get(f"{hub.base}/openapi.json").json()
    [after] = [p for p in document["paths"]["/v1/datasets/{dataset}"]["get"]["parameters"] if p["name"] == "after"]
    assert any(kind.get("pattern") == "^[0-9]{0,18}$" for kind in after["schema"].get("anyOf", [after["schema"]]))
    with httpx.Client(base_url=hub.base, headers=hub.headers["HTTPBearer"]) as http:
        assert http.get("/v1/datasets/products", params={"after": "12"}).status_code == 200
        assert http.get("/v1/datasets/products", params={"after": "1.5"}).status_code == 400


def test_an_integer_written_with_a_zero_fraction_is_an_integer(hub: Hub) -> None:
    with httpx.Client(base_url=hub.base, headers=hub.headers["HTTPBearer"]) as http:
        beat = {"till_time": "2026-12-02T09:30:00+02:00", "queue_length": 26682439.0, "app_version": "1.0"}
        assert http.post("/v1/heartbeat", json=beat).status_code == 200
        assert http.post("/v1/heartbeat", json={**beat, "queue_length": 1.5}).status_code == 400
        assert http.get("/v1/feed", params={"after": "0", "limit": "2"},
                        headers=hub.headers["FeedToken"]).status_code == 200


def test_a_heartbeat_whose_till_time_is_a_number_is_refused(hub: Hub) -> None:
    with httpx.Client(base_url=hub.base, headers=hub.headers["HTTPBearer"]) as http:
        answer = http.post("/v1/heartbeat", json={"till_time": 0, "queue_length": 0, "app_version": "1.0"})
    assert answer.status_code == 400 and "till_time" in answer.json()["detail"]
