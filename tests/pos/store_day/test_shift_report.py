"""The X/Z report: its totals equal a recomputation from the day as it happened, and
``reconcile`` finds any total the documents do not bear out."""

import uuid
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos.basket import BasketLine
from pos.money import Money, money_sum, round_money
from pos.pricing.priced import LineDiscount, PricedBasket, PricedLine
from pos.store_day.drawer import count_drawer, default_denominations
from pos.store_day.report import CancelledSale, DayDocuments, ReportKind, compute_report, expected_cash, reconcile
from pos.store_day.returns import ReturnContext, return_from_sale
from pos.store_day.roles import DEFAULT_TABLE
from pos.store_day.shift import CASH_IN, CASH_OUT, Shift
from pos.store_day.tenders import CARD, Settlement
from pos.store_day.paid_sale import sale_paid_with
from pos.tender import CASH, CashPolicy
from tests.fakes import SHAMPOO, VITAMINS
from tests.pos.discounted_sale import THREE_FOR_TWO, discounted_sale
from tests.pos.store_day.day import (
    CARD_OK,
    CASHIER,
    EXAMPLES,
    MANAGER,
    PRODUCTS,
    SENIOR,
    STORE,
    TILL,
    at,
    basket_of,
    money,
    paid_sale,
)

UAH = default_denominations("UAH")
ZERO = money("0")


class Day:
    """Runs a day through the domain and keeps its own books the plain way, as a person would."""

    def __init__(self, coin: Decimal) -> None:
        self.cash = CashPolicy(coin)
        self.shift = Shift.open(store_id=STORE, till_id=TILL, currency="UAH", who=SENIOR,
                                float_count=count_drawer(UAH, {Decimal(100): "5"}), now=at(0), table=DEFAULT_TABLE)
        self.sales, self.returns, self.cancelled = [], [], []
        self.drawer = money("500")
        self.sold = self.back = self.off = ZERO
        self.gross: dict[str, Money] = {}
        self.by_method: dict[str, Money] = {}
        self.voided = 0
        self.returned: dict[uuid.UUID, Decimal] = {}

    def sell(self, items, voided: int, card_cents: int, extra_coins: int,  # type: ignore[no-untyped-def]
             percent_off: int = 0) -> None:
        basket = basket_of(items)
        for line in basket.lines[: min(voided, len(basket.lines) - 1)]:  # one line at least stays
            basket.void_line(line.line_id)
        priced = PricedBasket("UAH", tuple(PricedLine(line, _percent_off(line, percent_off)) for line in basket.lines))
        settlement = Settlement(priced.total, self.cash)
        card = Money.from_minor(min(card_cents, priced.total.minor_units()), "UAH")
        if card.amount > 0:
            settlement.add_card(card, CARD_OK)
            self.by_method[CARD] = self.by_method.get(CARD, ZERO) + card
        if not settlement.is_settled():
            tendered = settlement.cash_due() + Money(self.cash.rounding_increment * extra_coins, "UAH")
            settlement.add_cash(tendered)
            self.drawer = self.drawer + tendered - settlement.tenders[-1].payment.change
            self.by_method[CASH] = self.by_method.get(CASH, ZERO) + settlement.tenders[-1].payment.amount
        if not settlement.tenders:  # nothing to pay (all free): the sale records cash 0.00
            self.by_method[CASH] = self.by_method.get(CASH, ZERO)
        sale = sale_paid_with(basket, settlement.settle(), store_id=STORE, till_id=TILL, cashier=CASHIER.cashier,
                              completed_at=at(len(self.sales)), priced=priced)
        self.sales.append(replace(sale, receipt_number=101 + len(self.sales)))
        for p in priced.lines:
            if p.line.voided:
                self.voided += 1
            else:
                shelf = round_money(p.line.product.price.times(p.line.quantity))
                off = sum((d.amount for d in p.discounts), ZERO)
                self.sold = self.sold + shelf - off
                self.off = self.off + off
                code = p.line.product.vat.code
                self.gross[code] = self.gross.get(code, ZERO) + shelf - off

    def give_back(self, pick: int, quantity: int) -> None:
        sale = self.sales[pick % len(self.sales)]
        line = [l for l in sale.lines if not l.voided][0]
        left = line.quantity - self.returned.get(line.line_id, Decimal(0))
        wanted = min(left, Decimal(quantity) / 1000 if line.sold_by_weight else Decimal(quantity))
        if wanted <= 0:
            return
        ctx = ReturnContext(STORE, TILL, SENIOR, at(200), self.cash)
        document = return_from_sale(sale, {line.line_id: wanted}, ctx, already_returned=dict(self.returned),
                                    already_refunded={}, hub_confirmed=True)
        self.returns.append(replace(document, return_number=7 + len(self.returns)))
        self.returned[line.line_id] = self.returned.get(line.line_id, Decimal(0)) + wanted
        self.back = self.back + document.total
        self.gross[line.vat.code] = self.gross.get(line.vat.code, ZERO) - document.total
        for refund in document.refunds:
            method = refund.payment.method
            self.by_method[method] = self.by_method.get(method, ZERO) - refund.payment.amount
            if method == CASH:
                self.drawer = self.drawer - refund.payment.amount

    def move(self, put_in: bool, cents: int) -> None:
        amount = Money.from_minor(cents, "UAH")
        self.shift.move_cash(CASH_IN if put_in else CASH_OUT, amount, "other", MANAGER, at(300), DEFAULT_TABLE)
        self.drawer = self.drawer + amount if put_in else self.drawer - amount

    def cancel(self, cents: int) -> None:
        self.cancelled.append(CancelledSale(uuid.uuid4(), "c1", at(400), Money.from_minor(cents, "UAH"), 2))

    def documents(self) -> DayDocuments:
        return DayDocuments(self.shift.shift_id, "UAH", money("500"), tuple(self.sales), tuple(self.returns),
                            tuple(self.cancelled), tuple(self.shift.movements))


def _percent_off(line: BasketLine, percent: int) -> tuple[LineDiscount, ...]:
    """A promotion's ``percent`` off the line, in whole cents (none on a voided line)."""
    off = round_money(line.total.times(Decimal(percent) / 100))
    return () if line.voided or off.is_zero() else (LineDiscount("P-OFF", f"-{percent} %", off),)


ITEM = st.tuples(st.sampled_from(PRODUCTS), st.integers(1, 3))
EVENT = st.one_of(
    st.tuples(st.just("sell"), st.lists(ITEM, min_size=1, max_size=4), st.integers(0, 2), st.integers(0, 30000),
              st.integers(0, 30), st.sampled_from([0, 0, 10, 33, 100])),
    st.tuples(st.just("return"), st.integers(0, 50), st.integers(1, 2000)),
    st.tuples(st.just("move"), st.booleans(), st.integers(1, 100000)),
    st.tuples(st.just("cancel"), st.integers(1, 100000)),
)


def weigh(items):  # type: ignore[no-untyped-def]
    return [(p, Decimal(n * 417) / 1000 if p.sold_by_weight else Decimal(n)) for p, n in items]


@settings(max_examples=EXAMPLES)
@given(coin=st.sampled_from([Decimal("0.01"), Decimal("0.10"), Decimal("0.50")]), events=st.lists(EVENT, max_size=25))
def test_for_random_days_the_z_totals_equal_a_recomputation_from_the_documents(coin, events):
    day = Day(coin)
    for event in events:
        if event[0] == "sell":
            day.sell(weigh(event[1]), *event[2:])
        elif event[0] == "return" and day.sales:
            day.give_back(*event[1:])
        elif event[0] == "move":
            day.move(*event[1:])
        elif event[0] == "cancel":
            day.cancel(event[1])
    docs = day.documents()
    z = compute_report(ReportKind.Z, docs)
    assert reconcile(z, docs) == ()
    assert (z.sales_count, z.returns_count, z.cancelled_count) == (len(day.sales), len(day.returns), len(day.cancelled))
    assert (z.sales_total, z.returns_total, z.net_total) == (day.sold, day.back, day.sold - day.back)
    assert z.discounts_total == day.off
    assert z.voided_lines_count == day.voided
    assert z.expected_cash == day.drawer == expected_cash(docs)
    assert {t.method: t.net for t in z.tenders} == {m: v for m, v in day.by_method.items()}
    assert {t.vat.code: t.gross for t in z.vat} == day.gross
    assert all(t.net + t.tax == t.gross for t in z.vat)
    assert (z.first_receipt, z.last_receipt) == ((101, 100 + len(day.sales)) if day.sales else (None, None))
    assert (z.first_return, z.last_return) == ((7, 6 + len(day.returns)) if day.returns else (None, None))
    assert z.cash_in - z.cash_out == sum((m.signed for m in day.shift.movements), ZERO)


def a_day() -> Day:
    day = Day(Decimal("0.10"))
    day.sell(weigh([(PRODUCTS[0], 2), (PRODUCTS[3], 1)]), 0, 5000, 3)
    day.sell(weigh([(PRODUCTS[2], 1)]), 0, 0, 0)
    day.give_back(0, 1)
    day.move(False, 10000)
    return day


def test_the_report_of_a_small_day_reads_as_expected():
    docs = a_day().documents()
    x = compute_report(ReportKind.X, docs)
    assert (x.kind, x.z_number, x.sales_count, x.returns_count) == (ReportKind.X, 0, 2, 1)
    assert x.sales_total == money("313.56")  # 2 x 89.90 + 0.417 x 32.99 (13.76) + 120.00
    assert x.returns_total == money("89.90") and x.cash_out == money("100.00")


@pytest.mark.parametrize("tamper, what", [
    (lambda r: replace(r, sales_total=r.sales_total + money("0.01")), "sales total (from lines)"),
    (lambda r: replace(r, expected_cash=r.expected_cash - money("1")), "expected cash"),
    (lambda r: replace(r, returns_count=0), "returns count"),
    (lambda r: replace(r, vat=r.vat[1:]), "VAT gross"),
    (lambda r: replace(r, last_receipt=999), "first and last receipt numbers"),
    (lambda r: replace(r, discounts_total=r.discounts_total + money("0.01")), "discounts (from prices)"),
])
def test_reconcile_names_a_total_the_documents_do_not_bear_out(tamper, what):
    docs = a_day().documents()
    mismatches = reconcile(tamper(compute_report(ReportKind.Z, docs)), docs)
    assert what in [m.what for m in mismatches]


def test_reconcile_finds_a_gap_in_the_receipt_numbers():
    day = a_day()
    day.sales[1] = replace(day.sales[1], receipt_number=105)
    docs = day.documents()
    assert [m.what for m in reconcile(compute_report(ReportKind.Z, docs), docs)] == ["receipt numbers without gaps"]


def test_a_sale_missing_from_the_report_is_found():
    day = a_day()
    report = compute_report(ReportKind.Z, day.documents())
    day.sell(weigh([(PRODUCTS[1], 1)]), 0, 0, 0)
    assert reconcile(report, day.documents())


def a_day_with_promotions() -> DayDocuments:
    docs = a_day().documents()
    shampoo_gone = discounted_sale(((SHAMPOO, "3", (THREE_FOR_TWO,)), (VITAMINS, "1", ())), receipt_number=104)
    basket_with_a_void = discounted_sale(receipt_number=103)
    voided = replace(basket_with_a_void.lines[0], voided=True, discounts=(), total=money("269.70"))
    kept = basket_with_a_void.lines[1:]
    basket_with_a_void = replace(basket_with_a_void, lines=(voided, *kept),
                                 total=money_sum([l.total for l in kept], "UAH"))
    return replace(docs, sales=(*docs.sales, basket_with_a_void, shampoo_gone))


def test_the_discounts_of_a_day_are_what_promotions_took_off_its_sold_lines() -> None:
    docs = a_day_with_promotions()
    z = compute_report(ReportKind.Z, docs)
    # cream 10.90 + 4.91 and apples 0.35 (the voided shampoo line's 89.90 is not given), then 3 for 2: 89.90
    assert z.discounts_total == money("106.06")
    assert z.discounts_total == money_sum([s.discount for s in docs.sales], "UAH")
    assert [m.what for m in reconcile(z, docs) if m.what.startswith("discounts")] == []


def test_a_day_without_promotions_gives_no_discounts() -> None:
    docs = a_day().documents()
    assert compute_report(ReportKind.X, docs).discounts_total == ZERO
    assert reconcile(compute_report(ReportKind.Z, docs), docs) == ()


def test_a_line_whose_discounts_do_not_explain_its_total_is_named() -> None:
    docs = a_day_with_promotions()
    sale = docs.sales[-1]
    short = replace(sale.lines[0], total=sale.lines[0].total - money("0.01"))  # 0.01 off that no promotion gave
    docs = replace(docs, sales=(*docs.sales[:-1], replace(sale, lines=(short, *sale.lines[1:]))))
    assert "discounts (from prices)" in [m.what for m in reconcile(compute_report(ReportKind.Z, docs), docs)]
