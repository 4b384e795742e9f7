"""Hypothesis fuzzing of sale documents and heartbeats, on SQLite and PostgreSQL: a valid
document with one node replaced by an edge value (big integers, floats, NaN, NUL, lone
surrogates, odd times, nested junk), deleted, or an unknown key added.  Whatever is sent,
the hub never answers 5xx; the valid sales sent beside a mutated one are always accepted;
what it accepts it can read back.

Bounded for CI (``EXAMPLES`` per database and target); ``KASSA_SOAK=1`` tries many more.
Each run prints how many inputs it tried and how they were answered (``pytest -s``)."""

from __future__ import annotations

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
from central.sale_document import read_sale
from central.tables import sales, tills
from tests.central.bad_values import document, post_raw, push_raw
from tests.central.conftest import scratch_postgresql_url
from tests.central.edge_values import edge_values, mutations, texts
from tests.central.shop import Shop, make_sales

EXAMPLES = 3000 if os.environ.get("KASSA_SOAK") else 150
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


class FuzzHub:
    """One hub (app in-process, real database) for a whole module's examples."""

    def __init__(self, shop: Shop, client: TestClient) -> None:
        self.shop, self.client = shop, client
        self.till = shop.enrol()
        self.template = document(make_sales(3, self.till, first_seq=1)[2])  # three lines: every field
        self.next_seq = 1

    def fresh_sale(self) -> tuple[int, dict[str, Any]]:
        """A valid sale never sent before: the template with a new sale_id and seq."""
        seq, self.next_seq = self.next_seq, self.next_seq + 1
        return seq, {**self.template, "sale_id": str(uuid.uuid4()), "receipt_number": seq}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fuzz_hub(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzHub]:
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'hub.sqlite3'}"
        else:
            url = stack.enter_context(scratch_postgresql_url("hub_fuzz"))
        db = stack.enter_context(open_hub_database(url, migrate_schema=True))
        app = create_app(url)
        stack.callback(app.state.db.close)
        client = stack.enter_context(TestClient(app))
        yield FuzzHub(Shop.set_up(db, client), client)


def report(what: str, tally: Counter[str]) -> None:
    print(f"\n{what}: {sum(tally.values())} inputs tried: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.items())))


def test_a_mutated_sale_never_gets_a_5xx_and_the_valid_sales_beside_it_are_accepted(fuzz_hub: FuzzHub) -> None:
    hub, tally = fuzz_hub, Counter[str]()
    strategies = {"sale": mutations(hub.template).map(lambda m: ("sale", *m)),
                  "seq": st.tuples(st.just("seq"), st.just("seq"), edge_values),
                  "whole": st.tuples(st.just("whole"), st.just("the whole sale"), edge_values)}
    target = st.sampled_from(["sale"] * 8 + ["seq", "whole"]).flatmap(strategies.__getitem__)

    @FUZZ
    @given(target)
    def send(mutation: tuple[str, str, Any]) -> None:
        kind, what, value = mutation
        (seq_a, a), (seq_b, b), (seq_c, c) = hub.fresh_sale(), hub.fresh_sale(), hub.fresh_sale()
        if kind == "sale":  # the mutation was made on the template: keep its new identity unless mutated
            b = {**value, **{k: b[k] for k in ("sale_id", "receipt_number") if value.get(k) == hub.template.get(k)}}
        elif kind == "seq":
            seq_b = value
        else:
            b = value
        answer = push_raw(hub.client, hub.shop.auth(hub.till), [(seq_a, a), (seq_b, b), (seq_c, c)])
        assert answer.status_code < 500, (what, answer.text)
        if answer.status_code == 400:  # only the batch's own shape is a request-level refusal
            tally["400 (request)"] += 1
            assert kind in ("seq", "whole"), (what, answer.text)
            return
        assert answer.status_code == 200, (what, answer.text)
        first, middle, last = answer.json()["results"]
        assert first["status"] == last["status"] == "accepted", (what, answer.text)
        assert middle["status"] in ("accepted", "rejected"), (what, answer.text)
        tally[f"{middle['status']} {middle.get('reason', '')}".strip()] += 1
        if middle["status"] == "accepted":
            with hub.shop.db.reading() as conn:
                payload = conn.execute(select(sales.c.payload).where(sales.c.sale_id == middle["sale_id"])).scalar_one()
            read_sale(json.loads(payload))

    send()
    report("sale documents", tally)
    assert tally["accepted"] and tally["rejected schema"]


HEARTBEAT = {"till_time": "2026-12-02T09:30:00+02:00", "queue_length": 3, "oldest_unsent_seconds": 12,
             "app_version": "0.1.0"}
FIELDS = st.sampled_from([*HEARTBEAT])


def test_a_mutated_heartbeat_is_answered_200_or_400_and_a_valid_one_200(fuzz_hub: FuzzHub) -> None:
    hub, tally = fuzz_hub, Counter[str]()
    body = st.one_of(
        st.builds(lambda field, value: {**HEARTBEAT, field: value}, FIELDS, edge_values),
        st.builds(lambda field: {k: v for k, v in HEARTBEAT.items() if k != field}, FIELDS),
        st.builds(lambda key, value: {**HEARTBEAT, key: value}, texts, edge_values),
        edge_values,
    )

    @FUZZ
    @given(body)
    def send(heartbeat: Any) -> None:
        answer = post_raw(hub.client, "/v1/heartbeat", heartbeat, hub.shop.auth(hub.till))
        assert answer.status_code in (200, 400), answer.text
        tally[str(answer.status_code)] += 1
        if answer.status_code == 400:
            assert answer.json()["error"] == "bad_request"
        else:
            with hub.shop.db.reading() as conn:  # what was stored reads back
                conn.execute(select(tills)).all()
        assert post_raw(hub.client, "/v1/heartbeat", HEARTBEAT, hub.shop.auth(hub.till)).status_code == 200

    send()
    report("heartbeats", tally)
    assert tally["200"] and tally["400"]
