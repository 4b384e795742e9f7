"""Hypothesis fuzzing of POST /v1/documents on SQLite and PostgreSQL: a valid document of
each schema (from a real day) with one node replaced by an edge value (big integers,
floats, NaN, NUL, lone surrogates, odd times, nested junk) or deleted, or an unknown key
added.  Whatever is sent the hub never answers 5xx; the valid documents beside the mutated
one are always accepted; what it accepts it can read back with pos.store_day.forms.

Bounded for CI (``EXAMPLES`` per database); ``KASSA_SOAK=1`` tries many more."""

from __future__ import annotations

import copy
import json
import os
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from central.app import create_app
from central.database import open_hub_database
from central.tables import documents
from pos.store_day import forms
from tests.central.bad_values import post_raw
from tests.central.conftest import scratch_postgresql_url
from tests.central.edge_values import DELETE, edge_values, mutated, paths, texts
from tests.central.shop import Shop
from tests.central.store_day_documents import a_day, set_up_tills

EXAMPLES = 3000 if os.environ.get("KASSA_SOAK") else 150
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                             HealthCheck.data_too_large])
READERS = {forms.RETURN_SCHEMA: forms.return_from_dict, forms.CASH_MOVEMENT_SCHEMA: forms.cash_movement_from_dict,
           forms.APPROVAL_SCHEMA: forms.approval_from_dict, forms.SALE_CANCELLED_SCHEMA: forms.cancelled_sale_from_dict,
           forms.Z_REPORT_SCHEMA: forms.z_report_from_dict, forms.SHIFT_SCHEMA: lambda body: body}


class FuzzHub:
    """One hub (app in-process, real database) for a module's examples, and a maker of
    valid documents never sent before, one per schema."""

    def __init__(self, shop: Shop) -> None:
        self.shop = shop
        self.till = set_up_tills(shop)[0]
        self.templates = {e["schema"]: e for e in a_day().envelopes()}
        self.numbers = Counter[str]()  # the hub takes numbers with gaps (it lists them): each is new

    def fresh(self, schema: str) -> dict[str, Any]:
        e = copy.deepcopy(self.templates[schema])
        body, new = e["body"], str(uuid.uuid4())
        key = {forms.RETURN_SCHEMA: "return_id", forms.CASH_MOVEMENT_SCHEMA: "movement_id",
               forms.APPROVAL_SCHEMA: "approval_id", forms.SALE_CANCELLED_SCHEMA: "sale_id",
               forms.SHIFT_SCHEMA: "shift_id", forms.Z_REPORT_SCHEMA: "shift_id"}[schema]
        body[key] = new
        e["document_id"] = str(uuid.uuid5(uuid.UUID(new), body["event"])) if schema == forms.SHIFT_SCHEMA else new
        if schema == forms.RETURN_SCHEMA:  # of a sale the hub does not hold: accepted, flagged
            body["original_sale_id"] = str(uuid.uuid4())
            for line in body["lines"]:
                line["line_id"], line["sold_line_id"] = str(uuid.uuid4()), str(uuid.uuid4())
        number_key = {forms.RETURN_SCHEMA: "return_number", forms.CASH_MOVEMENT_SCHEMA: "number",
                      forms.Z_REPORT_SCHEMA: "z_number"}.get(schema)
        if number_key:
            self.numbers[schema] += 1
            e["number"] = body[number_key] = self.numbers[schema]
        return e


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fuzz_hub(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzHub]:
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'hub.sqlite3'}"
        else:
            url = stack.enter_context(scratch_postgresql_url("hub_docs_fuzz"))
        db = stack.enter_context(open_hub_database(url, migrate_schema=True))
        app = create_app(url)
        stack.callback(app.state.db.close)
        client = stack.enter_context(TestClient(app))
        yield FuzzHub(Shop.set_up(db, client))


SCHEMAS = sorted(READERS)


@st.composite
def mutation(draw: st.DrawFn, hub: FuzzHub) -> tuple[str, tuple[Any, ...], Any]:
    schema = draw(st.sampled_from(SCHEMAS))
    template = hub.templates[schema]
    how = draw(st.sampled_from(["replace", "replace", "replace", "delete", "add"]))
    if how == "add":
        return schema, ("body", draw(texts.filter(lambda k: k not in template["body"]))), draw(edge_values)
    where = tuple(draw(st.sampled_from(paths(template))))
    return schema, where, DELETE if how == "delete" else draw(edge_values)


def test_a_mutated_document_never_gets_a_5xx_and_the_documents_beside_it_are_accepted(fuzz_hub: FuzzHub) -> None:
    hub, tally = fuzz_hub, Counter[str]()

    @FUZZ
    @given(mutation(hub))
    def send(change: tuple[str, tuple[Any, ...], Any]) -> None:
        schema, where, value = change
        before, after = hub.fresh(forms.APPROVAL_SCHEMA), hub.fresh(forms.CASH_MOVEMENT_SCHEMA)
        middle = mutated(hub.fresh(schema), where, value)
        answer = post_raw(hub.shop.http, "/v1/documents", {"documents": [before, middle, after]},
                          hub.shop.auth(hub.till))
        assert answer.status_code < 500, (where, answer.text)
        if answer.status_code == 400:  # only the envelope's own shape is a request-level refusal
            tally["400 (request)"] += 1
            assert len(where) == 1 and where[0] != "body" or where == ("body",), (where, answer.text)
            return
        assert answer.status_code == 200, (where, answer.text)
        first, result, last = answer.json()["results"]
        assert first["status"] == last["status"] == "accepted", (where, answer.text)
        assert result["status"] in ("accepted", "rejected", "duplicate"), (where, answer.text)
        tally[f"{result['status']} {result.get('reason', '')}".strip()] += 1
        if result["status"] == "accepted":
            with hub.shop.db.reading() as conn:
                stored = conn.execute(select(documents.c.schema, documents.c.body)
                                      .where(documents.c.document_id == result["document_id"])).one()
            READERS[stored.schema](json.loads(stored.body))

    send()
    print(f"\ndocuments: {sum(tally.values())} inputs tried: "
          + ", ".join(f"{k} {v}" for k, v in sorted(tally.items())))
    assert tally["rejected schema"] and (tally["accepted"] or tally["accepted sale_unknown"])
