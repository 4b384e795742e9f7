"""A sale of another till of the store, for a return: a card sale reaches a real hub process
as ``kassa.sale.v2`` (its approval stored once), and another till's ``HubClient.sale_for_return``
gets it back with what is already returned and refunded; a sale the hub does not hold,
another store's sale, a hub that does not answer (one short try: the cashier is waiting) and
an answer that cannot be trusted each raise their own clear error."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select

from central.card_approvals import sale_card_approvals
from local_db.database import Database
from local_db.store_day_journal import SqlStoreDay
from pos.codec import sale_to_dict
from pos.money import Money
from sync.errors import BadAnswer, HubUnreachable, SaleNotAtHub, SaleOfAnotherStore
from sync.hub_client import HubClient, RetryPolicy
from tests.fakes import CREAM, SHAMPOO, STORE
from tests.local_db.store_day_builders import give_back, open_shift, sell
from tests.pos.store_day.day import basket_of
from tests.sync.conftest import Hub, connect
from tests.sync.proxy import proxy_to

PATIENT = RetryPolicy(attempts=4, first_wait=0.05, max_wait=0.2)  # what the push uses: sale_for_return must not


def other_till(hub: Hub, url: str | None = None, *, store_id: str = STORE.store_id, till_id: str = "T02") -> HubClient:
    till = hub.shop.enrol(till_id, store_id=store_id)
    return HubClient(url or hub.url, hub.shop.tills[str(till)], retry=PATIENT)


def a_card_sale(till_db: Database) -> tuple[SqlStoreDay, object]:
    store = SqlStoreDay(till_db, STORE.till_id)
    open_shift(store, store_id=STORE.store_id)
    return store, sell(store, basket_of([(SHAMPOO, Decimal(3)), (CREAM, Decimal(1))]), card="100",
                       store_id=STORE.store_id)


def test_a_card_sale_goes_as_v2_once_and_another_till_gets_it_with_what_is_back(hub: Hub, till_db: Database) -> None:
    sync = connect(hub.url, till_db, hub)
    store, sale = a_card_sale(till_db)
    card = next(p for p in sale.payments if p.method == "card")
    assert sync.push().quarantined == 0 and sync.push().sent == 0 and hub.sale_count() == 1
    with hub.db.reading() as conn:
        assert conn.execute(select(sale_card_approvals.c.payment_id, sale_card_approvals.c.approval_code)).all() == [
            (str(card.payment_id), "A1B2C3")]
    [again] = sync.client.push_sales([(sale.receipt_number, json.dumps(sale_to_dict(sale)))])
    assert again.status == "duplicate" and hub.sale_count() == 1  # the same sale as v1: still the one sale
    with other_till(hub) as client:
        found, returned, refunded = client.sale_for_return(sale.sale_id)
        assert (found, returned, refunded) == (sale, {}, {})
        back = store.record_return(give_back(store, sale, {sale.lines[0].line_id: Decimal(2)}))
        sync.push()
        found, returned, refunded = client.sale_for_return(sale.sale_id)
    assert returned == {sale.lines[0].line_id: Decimal(2)}
    expected: dict[uuid.UUID, Money] = {}
    for refund in back.refunds:
        assert refund.original_payment_id is not None
        before = expected.get(refund.original_payment_id)
        expected[refund.original_payment_id] = refund.payment.amount if before is None else before + refund.payment.amount
    assert refunded == expected and sum(m.amount for m in refunded.values()) == back.total.amount + back.rounding.amount


def test_a_sale_the_hub_does_not_hold_and_a_sale_of_another_store_are_said_apart(hub: Hub, till_db: Database) -> None:
    sync = connect(hub.url, till_db, hub)
    _store, sale = a_card_sale(till_db)
    sync.push()
    with other_till(hub) as client, other_till(hub, store_id="UA-LVIV-002", till_id="T01") as stranger:
        with pytest.raises(SaleNotAtHub, match="does not have this sale"):
            client.sale_for_return(uuid.uuid4())
        with pytest.raises(SaleOfAnotherStore, match="made in another store") as raised:
            stranger.sale_for_return(sale.sale_id)
    assert raised.value.code == "sale_of_another_store" and raised.value.status == 404


def test_a_hub_that_does_not_answer_is_tried_once_and_said_unreachable(hub: Hub, till_db: Database) -> None:
    with proxy_to(hub.url) as link:
        client = other_till(hub, link.url)
        link.answer_next_requests(3, status=503)
        with pytest.raises(HubUnreachable):
            client.sale_for_return(uuid.uuid4())
        assert link.canned_answers == 1  # one try: the push's retries are not used
        link.answer_next_requests(0)
        link.delay_next_answers(1, seconds=5)
        with pytest.raises(HubUnreachable, match="[Tt]imeout|timed out"):
            client.sale_for_return(uuid.uuid4(), timeout=0.3)
        link.refuse()
        with pytest.raises(HubUnreachable):
            client.sale_for_return(uuid.uuid4())
        client.close()


BAD_ANSWERS = [
    (b'{"sale_id": "%s", "sale": {"schema": "kassa.sale.v9"}, "returned": [], "refunded": []}', "does not read"),
    (b'{"sale_id": "%s", "sale": {}, "returned": "all", "refunded": []}', "does not follow the protocol"),
    (b'{"sale_id": "00000000-0000-0000-0000-000000000000", "sale": {}, "returned": [], "refunded": []}',
     "the answer is of"),
    (b"<html>%s</html>", "does not follow the protocol"),
]


def test_an_answer_the_till_cannot_trust_is_a_bad_answer(hub: Hub, till_db: Database) -> None:
    with proxy_to(hub.url) as link, other_till(hub, link.url) as client:
        for body, reason in BAD_ANSWERS:
            asked = uuid.uuid4()
            link.answer_next_requests(1, status=200, body=body.replace(b"%s", str(asked).encode()))
            with pytest.raises(BadAnswer, match=reason):
                client.sale_for_return(asked)
