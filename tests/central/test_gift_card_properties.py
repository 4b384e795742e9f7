"""Gift card balances under any sequence of holds, releases, captures and a day passing: a hold
never makes a balance negative, nothing is counted twice (the balance is always the amount sold
less every hold, capture and debit not given back); and tills asking at the same moment never
take more than a card holds, nor hold one redemption id twice."""

from __future__ import annotations

import itertools
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from central import gift_card_errors as e
from central.database import HubDatabase
from central.gift_card_followers import record_sales
from central.gift_card_tables import RELEASED, gift_card_redemptions, gift_cards
from central.gift_cards import HoldAsked, redeem, release, release_stale
from central.stores import TillIdentity
from pos.gift_cards.records import GiftCardPayment
from pos.money import Money
from tests.central.gift_card_sales import card, paid_with, sell

TILL = TillIdentity("UA-KYIV-014", "T01")
numbers = itertools.count(10_000)
START = datetime(2026, 12, 2, 10, 0, tzinfo=timezone.utc)


def new_card(db: HubDatabase, amount: str) -> str:
    sale = sell(TILL, (card(next(numbers)), amount, ""))
    with db.writing() as conn:
        record_sales(conn, [sale], TILL, START)
    return sale.gift_cards_sold[0].card_number


def state(db: HubDatabase, number: str) -> tuple[int, int, int]:
    """(balance, amount sold, what the holds, captures and debits not given back took)."""
    r = gift_card_redemptions
    with db.reading() as conn:
        balance, initial = conn.execute(select(gift_cards.c.balance_minor, gift_cards.c.initial_minor)
                                        .where(gift_cards.c.card_number == number)).one()
        taken = conn.execute(select(func.coalesce(func.sum(r.c.amount_minor), 0))
                             .where(r.c.card_number == number, r.c.status != RELEASED)).scalar_one()
    return int(balance), int(initial), int(taken)


amounts = st.integers(min_value=1, max_value=40_000).map(lambda minor: f"{minor // 100}.{minor % 100:02d}")
steps = st.lists(st.one_of(
    st.tuples(st.just("redeem"), st.integers(0, 4), amounts),
    st.tuples(st.just("release"), st.integers(0, 4)),
    st.tuples(st.just("capture"), st.integers(0, 4), amounts),
    st.tuples(st.just("day passes"),),
), max_size=25)


@pytest.fixture(scope="module")
def template() -> object:
    return paid_with(TILL, card(1), "10.00", redemption_id=uuid.uuid4())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_any_sequence_of_holds_releases_and_captures_keeps_the_balance_whole_and_a_hold_never_overdraws(
        hub_db: HubDatabase, template: object, steps: list[tuple[object, ...]]) -> None:
    number = new_card(hub_db, "1000")
    ids = [uuid.uuid4() for _ in range(5)]
    sale_ids = [uuid.uuid4() for _ in range(5)]
    now = START
    for step in steps:
        before = state(hub_db, number)[0]
        with hub_db.writing() as conn:
            if step[0] == "redeem":
                k, amount = int(step[1]), str(step[2])  # type: ignore[call-overload]
                try:
                    redeem(conn, HoldAsked(ids[k], sale_ids[k], number, amount, "UAH", ""), TILL, now)
                except (e.RedemptionConflict, e.NotEnough):
                    pass
            elif step[0] == "release":
                try:
                    release(conn, ids[int(step[1])], now)  # type: ignore[call-overload]
                except e.AlreadyCaptured:
                    pass
            elif step[0] == "capture":
                k, amount = int(step[1]), str(step[2])  # type: ignore[call-overload]
                gift = template.payments[0]  # type: ignore[attr-defined]
                paid = Money.of(amount, "UAH")
                sale = replace(template, sale_id=uuid.uuid4(),  # type: ignore[type-var]
                               payments=(replace(gift, amount=paid, tendered=paid),),
                               gift_card_payments=(GiftCardPayment(gift.payment_id, number, ids[k], ""),))
                record_sales(conn, [sale], TILL, now)
            else:
                now += timedelta(hours=25)
                release_stale(conn, now)
        balance, initial, taken = state(hub_db, number)
        assert balance == initial - taken  # nothing counted twice, nothing lost
        if step[0] in ("redeem", "release", "day passes"):
            assert balance >= min(before, 0)  # only a sale's debit may take a card below zero


def test_tills_holding_on_one_card_at_once_never_take_more_than_it_holds(hub_db: HubDatabase) -> None:
    number = new_card(hub_db, "500")

    def hold(n: int) -> str:
        try:
            with hub_db.writing() as conn:
                answer, refused = redeem(conn, HoldAsked(uuid.uuid4(), uuid.uuid4(), number, "100.00", "UAH", ""),
                                         TillIdentity(TILL.store_id, f"T0{n % 2 + 1}"), START)
        except e.NotEnough as problem:
            return problem.code
        return "held" if answer else refused.code  # type: ignore[union-attr]

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(hold, range(12)))
    assert sorted(outcomes) == ["held"] * 5 + ["not_enough"] * 7
    assert state(hub_db, number)[0] == 0


def test_one_redemption_asked_at_once_from_two_connections_is_held_once(hub_db: HubDatabase) -> None:
    number = new_card(hub_db, "500")
    asked = HoldAsked(uuid.uuid4(), uuid.uuid4(), number, "100.00", "UAH", "")

    def hold(_: int) -> str:
        with hub_db.writing() as conn:
            answer, _refused = redeem(conn, asked, TILL, START)
        assert answer is not None
        return str(answer["approval_code"])

    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = set(pool.map(hold, range(8)))
    assert len(codes) == 1
    assert state(hub_db, number)[:2] == (40_000, 50_000)
