"""Paying the open sale with cash, card and split (pos.store_day.checkout) on a real till:
a real SQLite file wired as `kassa run` wires it, the card log in that file, and a terminal
that keeps outcomes by payment id as the protocol says a real one does."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from local_db.card_payment_log import SqlCardPaymentLog
from local_db.cashiers import add_cashier
from local_db.database import Database, open_database
from pos.card_manual_entry import BadApprovalCode
from pos.errors import PosError
from pos.money import CashNotHandable, Money
from pos.payment_terminal import CardApproved
from pos.store_day import checkout
from pos.store_day.checkout import CardPaymentTaken, CardPaymentUnknown, card_payment_id
from pos.store_day.shift import NoOpenShift
from pos.store_day.tenders import CARD, TenderAboveRest
from pos.tender import CASH
from pos.till import Till
from shell.settings import parse_settings
from shell.wiring import build_services
from tests.fakes import CREAM, SHAMPOO, VITAMINS
from tests.pos.card_terminal_fakes import MemoryCardTerminal
from tests.pos.store_day.day import EXAMPLES
from tests.shift_setup import open_shift_in


def settings_for(db_path: Path, rounding: str = "0.10"):  # noqa: ANN201
    return parse_settings(f"""
[store]
store_id = "S1"
name = "Test Store"
currency = "UAH"
[till]
till_id = "T07"
cash_rounding = "{rounding}"
[printer]
connection = "none"
[database]
path = "{db_path}"
""", Path("test.toml"))


def open_till(db_path: Path, *, shift: bool = True, rounding: str = "0.10") -> tuple[Till, Database]:
    db = open_database(db_path)
    add_cashier(db, "1", "Olena", "1234")
    if shift:
        open_shift_in(db, "S1", "T07")
    till = build_services(settings_for(db_path, rounding), db).till
    till.start()
    till.sign_in("1", "1234")
    return till, db


@pytest.fixture
def till(tmp_path: Path):  # noqa: ANN201
    till, db = open_till(tmp_path / "till.sqlite3")
    yield till
    db.close()


def uah(text: str) -> Money:
    return Money.of(text, "UAH")


def fill(till: Till) -> Money:
    till.add_product(SHAMPOO, Decimal(2))
    till.add_product(CREAM)
    return till.basket.total()


def test_a_sale_paid_part_by_card_and_the_rest_in_cash_gives_change_from_the_cash_only(till: Till,
                                                                                         tmp_path: Path) -> None:
    total = fill(till)
    card_log = SqlCardPaymentLog(till.day.journal.db)  # type: ignore[union-attr]
    terminal = MemoryCardTerminal()
    checkout.begin(till, terminal, card_log)
    shown = checkout.pay_card(till, "100", terminal, card_log)
    assert shown.paid == uah("100") and shown.rest == total - uah("100") and not shown.settled
    shown = checkout.add_cash(till, "500")
    assert shown.settled
    result = checkout.finish(till)
    sale = result.sale
    assert sale is not None and sale.receipt_number == 1
    assert [p.method for p in sale.payments] == [CARD, CASH]
    assert sale.change == uah("500") - checkout.Settlement(total - uah("100"), till.settings.cash).cash_due()
    assert sum(p.amount.amount for p in sale.payments) == (total + sale.rounding).amount
    assert till.day.journal.card_approval(sale.payments[0].payment_id) is not None  # type: ignore[union-attr]
    assert card_log.outcome(sale.payments[0].payment_id) == "CardApproved"
    assert not till.basket.lines  # a new basket


def test_a_card_cannot_pay_more_than_the_rest_and_cash_must_be_handable(till: Till) -> None:
    total = fill(till)
    card_log = SqlCardPaymentLog(till.day.journal.db)  # type: ignore[union-attr]
    terminal = MemoryCardTerminal()
    checkout.begin(till, terminal, card_log)
    with pytest.raises(TenderAboveRest):
        checkout.pay_card(till, str((total + uah("1")).amount), terminal, card_log)
    with pytest.raises(CashNotHandable):
        checkout.add_cash(till, "10.05")
    assert terminal.calls == []  # nothing was asked of the terminal


def test_an_unanswered_card_payment_holds_the_sale_until_the_terminal_says_and_is_never_taken_twice(
        till: Till) -> None:
    fill(till)
    card_log = SqlCardPaymentLog(till.day.journal.db)  # type: ignore[union-attr]
    terminal = MemoryCardTerminal(["lost"])  # the customer paid; the answer was lost
    checkout.begin(till, terminal, card_log)
    shown = checkout.pay_card(till, "", terminal, card_log)
    assert shown.pending is not None and not shown.settled
    for blocked in (lambda: checkout.add_cash(till, ""), lambda: checkout.pay_card(till, "", terminal, card_log),
                    lambda: checkout.finish(till), lambda: checkout.cancel(till)):
        with pytest.raises(CardPaymentUnknown):
            blocked()
    shown = checkout.check_terminal(till, terminal, card_log)
    assert shown.settled and shown.pending is None
    sale = checkout.finish(till).sale
    assert sale is not None and len(terminal.charges()) == 1
    assert [p.payment_id for p in sale.payments] == [terminal.charges()[0].payment_id]


def test_a_card_payment_approved_before_a_restart_is_found_again_for_the_reopened_sale(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    till, db = open_till(path)
    total = fill(till)
    basket_id = till.basket.basket_id
    terminal = MemoryCardTerminal()
    checkout.begin(till, terminal, SqlCardPaymentLog(db))
    checkout.pay_card(till, "50", terminal, SqlCardPaymentLog(db))
    db.close()  # the till stops here, the sale not finished

    again, db = open_till(path, shift=False)
    assert again.basket.basket_id == basket_id
    shown = checkout.begin(again, terminal, SqlCardPaymentLog(db))
    assert [t.payment.payment_id for t in shown.tenders] == [card_payment_id(basket_id, 0)]
    assert shown.rest == total - uah("50")
    checkout.add_cash(again, "")
    sale = checkout.finish(again).sale
    assert sale is not None and [p.method for p in sale.payments] == [CARD, CASH]
    assert len(terminal.charges()) == 1 and [c.amount for c in terminal.charges()] == [uah("50")]
    db.close()


def test_manual_mode_takes_the_approval_code_from_the_slip_and_refuses_a_wrong_one(till: Till) -> None:
    total = fill(till)
    card_log = SqlCardPaymentLog(till.day.journal.db)  # type: ignore[union-attr]
    checkout.begin(till, None, card_log)
    with pytest.raises(BadApprovalCode):
        checkout.pay_card(till, "", None, card_log, approval_code="12")
    shown = checkout.pay_card(till, "", None, card_log, approval_code="a1b2c3", card_digits="4242")
    assert shown.settled and isinstance(shown.last, CardApproved)
    sale = checkout.finish(till).sale
    assert sale is not None and sale.payments[0].amount == total
    approval = till.day.journal.card_approval(sale.payments[0].payment_id)  # type: ignore[union-attr]
    assert approval is not None and approval.approval_code == "A1B2C3" and approval.terminal_reference == "manual"


def test_cancelling_hands_cash_back_but_is_refused_once_a_card_paid(till: Till) -> None:
    fill(till)
    card_log = SqlCardPaymentLog(till.day.journal.db)  # type: ignore[union-attr]
    terminal = MemoryCardTerminal()
    checkout.begin(till, terminal, card_log)
    checkout.add_cash(till, "10")
    checkout.cancel(till)
    assert checkout.begin(till, terminal, card_log).paid.is_zero()
    checkout.pay_card(till, "10", terminal, card_log)
    with pytest.raises(CardPaymentTaken):
        checkout.cancel(till)


def test_the_card_payments_taken_for_the_open_sale_are_known_after_a_restart_too(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    till, db = open_till(path)
    fill(till)
    terminal = MemoryCardTerminal(["decline", "approve", "lost"])
    assert checkout.cards_taken(till, SqlCardPaymentLog(db)).is_zero()
    checkout.begin(till, terminal, SqlCardPaymentLog(db))
    for _ in range(3):
        checkout.pay_card(till, "20", terminal, SqlCardPaymentLog(db))
    assert checkout.cards_taken(till, SqlCardPaymentLog(db)) == uah("40")  # approved + in doubt
    db.close()
    again, db = open_till(path, shift=False)
    assert checkout.cards_taken(again, SqlCardPaymentLog(db)) == uah("40")
    db.close()


def test_no_payment_without_an_open_shift(tmp_path: Path) -> None:
    till, db = open_till(tmp_path / "till.sqlite3", shift=False)
    with pytest.raises(NoOpenShift):
        checkout.begin(till, None, SqlCardPaymentLog(db))
    db.close()


TENDER = st.tuples(st.sampled_from(["cash", "card"]), st.integers(1, 40000))


@settings(max_examples=max(10, EXAMPLES // 3), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(counts=st.lists(st.integers(1, 5), min_size=3, max_size=3), tenders=st.lists(TENDER, max_size=5),
       last_cash=st.integers(0, 5000))
def test_any_split_settles_the_due_amount_exactly_and_only_cash_gives_change(till: Till, counts: list[int],
                                                                            tenders: list[tuple[str, int]],
                                                                            last_cash: int) -> None:
    """Random tenders (the card capped at the rest, cash of any handable amount), then cash
    for the rest: the payments add up to total + rounding, change only from the last cash."""
    card_log = SqlCardPaymentLog(till.day.journal.db)  # type: ignore[union-attr]
    terminal = MemoryCardTerminal()
    for product, count in zip((SHAMPOO, CREAM, VITAMINS), counts, strict=True):
        till.add_product(product, Decimal(count))
    total = till.basket.total()
    shown = checkout.begin(till, terminal, card_log)
    for kind, tenths in tenders:
        if shown.settled:
            break
        amount = Money.of(Decimal(tenths) / 10, "UAH")
        if kind == "card":
            shown = checkout.pay_card(till, str(min(amount, shown.rest).amount), terminal, card_log)
        else:
            shown = checkout.add_cash(till, str(amount.amount))
    if not shown.settled:
        shown = checkout.add_cash(till, str((shown.cash_due + Money.of(Decimal(last_cash) / 10, "UAH")).amount))
    sale = checkout.finish(till).sale
    assert sale is not None and sale.total == total
    assert money_of(p.amount for p in sale.payments) == sale.total + sale.rounding
    assert abs(sale.rounding.amount) < Decimal("0.10")
    assert all(p.change.is_zero() for p in sale.payments if p.method != CASH)
    assert all(p.amount == p.tendered for p in sale.payments if p.method == CARD)
    assert sale.change == money_of(p.tendered - p.amount for p in sale.payments)
    assert uuid.UUID(str(sale.sale_id))


def money_of(amounts) -> Money:  # noqa: ANN001
    result = Money.zero("UAH")
    for amount in amounts:
        result = result + amount
    return result


@settings(max_examples=max(20, EXAMPLES), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(max_size=40), st.decimals(allow_nan=False, allow_infinity=False).map(str)))
def test_any_typed_card_amount_is_refused_with_a_message_or_asks_the_terminal_for_a_part_of_the_rest(
        till: Till, text: str) -> None:
    if not till.basket.lines:
        fill(till)
    card_log = SqlCardPaymentLog(till.day.journal.db)  # type: ignore[union-attr]
    terminal = MemoryCardTerminal(["decline"] * 1000)
    rest = checkout.begin(till, terminal, card_log).rest
    try:
        shown = checkout.pay_card(till, text, terminal, card_log)
    except PosError:
        assert terminal.calls == []  # refused before anything left the till
        return
    [(kind, payment_id)] = terminal.calls
    assert kind == "pay" and shown.rest == rest and shown.paid.is_zero()  # declined: nothing changed
    asked = card_log.remembered(payment_id)
    assert asked is not None and Money.zero("UAH") < asked.amount <= rest
