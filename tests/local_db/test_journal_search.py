"""The manager's read side (local_db.journal_search) over a real SQLite journal written by
SqlStoreDay: the search and each of its filters, the shifts with their Z, variance and
unsent documents, the unsent documents by shift, and a day's figures that always add up."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from local_db.cashiers import add_cashier
from local_db.database import Database
from local_db.journal_search import SALE, JournalQuery, JournalSearch
from local_db.outbox import SqlOutbox
from local_db.store_day_journal import SqlStoreDay
from pos.money import Money
from pos.sale import Cashier, Sale
from pos.store_day.paid_sale import card_approvals, sale_paid_with
from pos.store_day.shift import CASH_OUT, CashMovement
from tests.fakes import APPLES, CREAM, SHAMPOO, VITAMINS
from tests.local_db.store_day_builders import close, give_back, open_shift, settle
from tests.pos.store_day.day import EXAMPLES, STORE, T0, TILL, basket_of, money

OLENA, TARAS = Cashier("c1", "Олена"), Cashier("s1", "Taras")


@pytest.fixture
def store(db: Database) -> SqlStoreDay:
    return SqlStoreDay(db, TILL)


def search_of(store: SqlStoreDay) -> JournalSearch:
    return JournalSearch(store.db, store.till_id, "UAH")


def sell_at(store: SqlStoreDay, minutes: float, items: list, *, who: Cashier = OLENA, card: str | None = None) -> Sale:
    basket = basket_of(items)
    settled = settle(basket, card=card).settle()
    sale = sale_paid_with(basket, settled, store_id=STORE, till_id=store.till_id, cashier=who,
                          completed_at=T0 + timedelta(minutes=minutes))
    return store.record_paid_sale(sale, card_approvals(settled))


def test_a_receipt_number_finds_its_sale_and_the_returns_made_of_it(store):
    open_shift(store)
    sell_at(store, 1, [(SHAMPOO, Decimal(1))])
    sold = sell_at(store, 2, [(SHAMPOO, Decimal(2)), (CREAM, Decimal(1))])
    returned = store.record_return(give_back(store, sold, {sold.lines[0].line_id: Decimal(1)}))

    found = search_of(store).search(JournalQuery(number=sold.receipt_number))

    assert [(e.kind, e.number) for e in found.entries] == [("return", returned.return_number), ("sale", 2)]
    assert found.entries[0].original_receipt == 2 and found.entries[0].amount == returned.refunded
    assert found.entries[1].amount == sold.due and not found.more


def test_each_filter_keeps_only_the_documents_that_match(store):
    open_shift(store)
    early = sell_at(store, 10, [(SHAMPOO, Decimal(1))], who=OLENA)
    by_card = sell_at(store, 70, [(VITAMINS, Decimal(1))], who=TARAS, card="120.00")
    late = sell_at(store, 130, [(CREAM, Decimal(2))], who=OLENA)
    search = search_of(store)

    def numbers(**fields: object) -> list[int]:
        return [e.number for e in search.search(JournalQuery(kinds=frozenset({SALE}), **fields)).entries]

    assert numbers() == [late.receipt_number, by_card.receipt_number, early.receipt_number]
    assert numbers(since=T0 + timedelta(minutes=60), until=T0 + timedelta(minutes=120)) == [by_card.receipt_number]
    kyiv = T0.astimezone(ZoneInfo("Europe/Kyiv"))  # the same instant written another way
    assert numbers(since=kyiv + timedelta(minutes=100)) == [late.receipt_number]
    assert numbers(amount=money("109.00")) == [late.receipt_number]
    assert numbers(amount=money("109.001")) == []  # more decimals than the currency has: no receipt
    assert numbers(cashier="олена") == [late.receipt_number, early.receipt_number]  # any case, Cyrillic too
    assert numbers(cashier="s1") == [by_card.receipt_number]  # or the code
    assert numbers(cashier="nobody") == []
    assert numbers(tender="card") == [by_card.receipt_number]
    assert numbers(tender="exchange_credit") == []
    assert search.search(JournalQuery(kinds=frozenset({"return"}))).entries == ()


def test_a_search_is_bounded_and_says_that_more_matched(store):
    open_shift(store)
    for minute in range(5):
        sell_at(store, minute, [(SHAMPOO, Decimal(1))])

    found = search_of(store).search(JournalQuery(limit=3))

    assert [e.number for e in found.entries] == [5, 4, 3] and found.more


def test_the_shift_history_shows_each_shift_with_its_float_z_variance_and_what_is_unsent(store, db):
    add_cashier(db, "s1", "Taras", "1234")
    first = open_shift(store, hundreds="5")
    sale = sell_at(store, 5, [(SHAMPOO, Decimal(1))])
    store.record_cash_movement(CashMovement(uuid.uuid4(), first.shift_id, 0, CASH_OUT, money("100.00"), "bank", "m1",
                                            T0 + timedelta(minutes=6)))
    z = close(store, first, counted="3")  # 500 float + 89.90 cash - 100 out = 489.90 expected; 300 counted
    outbox = SqlOutbox(db)
    outbox.acknowledge([sale.receipt_number])
    second = open_shift(store, hundreds="4")
    sell_at(store, 700, [(CREAM, Decimal(1))])
    outbox.quarantine(2, "unknown_product: 1002")

    newest, oldest = search_of(store).shifts()

    assert newest.shift_id == second.shift_id and newest.is_open and newest.z_number == 0
    assert newest.opening_float == money("400") and newest.variance is None
    assert (newest.sales_count, newest.waiting, newest.quarantined) == (1, 1, 1)  # its opening waits, its sale is held
    assert oldest.shift_id == first.shift_id and oldest.opened_by == "Taras" and oldest.z_number == z.z_number == 1
    assert oldest.expected == money("489.90") and oldest.counted == money("300")
    assert oldest.variance == money("-189.90")
    assert (oldest.sales_count, oldest.returns_count) == (1, 0)
    assert oldest.waiting == 4 and oldest.quarantined == 0  # opened, cash out, closed, Z: the sale was acknowledged


def test_the_unsent_documents_are_listed_in_order_with_their_shift_and_can_be_narrowed_to_one_shift(store, db):
    first = open_shift(store)
    sell_at(store, 5, [(SHAMPOO, Decimal(1))])
    close(store, first, counted="5")
    second = open_shift(store)
    late = sell_at(store, 700, [(CREAM, Decimal(1))])
    SqlOutbox(db).quarantine(late.receipt_number, "unknown_product: 1002")
    search = search_of(store)

    everything = search.unsent()
    of_first = search.unsent(first.shift_id)
    of_second = search.unsent(second.shift_id)

    assert [d.series for d in everything.documents] == ["shift", "receipt", "shift", "z_report", "shift", "receipt"]
    assert [d.shift_id for d in everything.documents] == [first.shift_id] * 4 + [second.shift_id] * 2
    assert (everything.waiting, everything.quarantined, everything.more) == (5, 1, False)
    assert [d.series for d in of_first.documents] == ["shift", "receipt", "shift", "z_report"]
    assert [(d.series, d.number, d.last_problem) for d in of_second.documents if d.quarantined_at] == [
        ("receipt", late.receipt_number, "unknown_product: 1002")]
    assert search.unsent(limit=2).more and len(search.unsent(limit=2).documents) == 2


sale_plans = st.lists(
    st.tuples(st.integers(-9 * 60, 15 * 60 - 1), st.sampled_from([OLENA, TARAS]),
              st.sampled_from([SHAMPOO, CREAM, VITAMINS]), st.integers(1, 3), st.booleans(), st.booleans()),
    min_size=0, max_size=8)


@settings(max_examples=min(EXAMPLES, 15), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plans=sale_plans)
def test_a_days_figures_by_hour_by_cashier_and_by_tender_all_add_up_to_the_days_totals(db, plans):
    store = SqlStoreDay(db, f"T-{uuid.uuid4().hex[:8]}")  # a till of its own for each example
    open_shift(store)
    sales = []
    for minute, who, product, count, card, give_one_back in plans:
        sale = sell_at(store, minute, [(product, Decimal(count)), (APPLES, Decimal("0.350"))], who=who,
                       card=str(product.price.amount) if card else None)
        sales.append(sale)
        if give_one_back:
            store.record_return(give_back(store, sale, {sale.lines[0].line_id: Decimal(1)}))

    day = search_of(store).day_figures(T0 - timedelta(hours=9), T0 + timedelta(hours=15), UTC)

    zero = Money.zero("UAH")
    assert day.sales_count == len(sales) == sum(h.sales_count for h in day.by_hour)
    assert day.sales == sum((s.due for s in sales), zero)
    assert day.sales == sum((h.sales for h in day.by_hour), zero) == sum((c.sales for c in day.by_cashier), zero)
    assert day.returns == sum((h.returns for h in day.by_hour), zero) == sum((c.returns for c in day.by_cashier), zero)
    assert day.net == sum((t.net for t in day.by_tender), zero)
    returned_at = {9} if any(plan[-1] for plan in plans) else set()  # the builders return at 09:30
    assert [h.hour for h in day.by_hour] == sorted({(T0 + timedelta(minutes=m)).hour for m, *_ in plans} | returned_at)
    assert day.complete


def test_a_day_is_cut_on_the_shops_clock(store):
    open_shift(store)
    sell_at(store, -9 * 60 - 10, [(SHAMPOO, Decimal(1))])  # 23:50 UTC the day before: 01:50 in Kyiv
    kyiv = ZoneInfo("Europe/Kyiv")
    midnight = datetime(2026, 12, 1, tzinfo=kyiv)

    day = search_of(store).day_figures(midnight, midnight + timedelta(days=1), kyiv)

    assert day.sales_count == 1 and [h.hour for h in day.by_hour] == [1]
