"""Returns and exchanges at the till (pos.store_day.returns_desk) on a real till: a real
SQLite file, the real StoreDay and journal as the window gets them."""

from __future__ import annotations

import os
import uuid
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos.errors import PosError

from pos.money import Money
from pos.payment_terminal import CardApproved, CardCheckTerminal, CardDeclined, CardResult
from pos.receipt_code import DamagedReceiptCode, receipt_code_text
from pos.store_day.approval import ApprovalUnknown
from pos.store_day.day import NeedsApproval
from pos.store_day.paid_sale import card_approvals, sale_paid_with
from pos.store_day.returns import OtherStoreSale, ReasonNeeded, ReturnTooMuch
from pos.store_day.returns_desk import (
    CardRefundFailed,
    ExchangeNeedsGoods,
    FoundSale,
    HubOffline,
    HubSale,
    NoSuchReceipt,
    NoSuchSale,
    NotAReceipt,
    ReturnAsked,
    UncheckedSale,
    exchange_due,
    find_sale,
    make_exchange,
    make_return,
    preview,
    product_for,
)
from pos.store_day.roles import Action
from pos.store_day.tenders import CARD, CardApproval, Settlement
from pos.tender import CASH
from tests.ui.returns.till_world import GOODS, MANAGER, SENIOR, STORE, make_store_file, real_till

A, B, C = GOODS[0], GOODS[1], GOODS[2]


@pytest.fixture
def store_file(tmp_path):  # noqa: ANN001, ANN201
    return make_store_file(tmp_path / "till.sqlite3")


def cash_sale(t, *products):  # noqa: ANN001, ANN002, ANN201
    for product in products:
        t.till.scan(product.barcode)
    return t.till.pay_cash("").sale


def code_of(sale) -> str:  # noqa: ANN001
    return receipt_code_text(sale.store_id, sale.till_id, sale.sale_id)


def approved(t, needed: NeedsApproval, reason: str = "customer_changed_mind") -> uuid.UUID:  # noqa: ANN001
    request = t.till.day.ask(needed)
    return t.till.day.approve(request.request_id, MANAGER[0], MANAGER[1], reason).request.request_id


def test_a_senior_cashier_returns_part_of_a_sale_by_its_code_and_what_is_left_shrinks(store_file):
    t = real_till(store_file, who=SENIOR)
    sale = cash_sale(t, A, A, B)
    found = find_sale(t.till, code_of(sale), None)
    assert isinstance(found, FoundSale) and not found.from_hub
    line_a = next(line for line in sale.lines if line.product_code == A.code)
    first = make_return(t.till, ReturnAsked(found, {line_a.line_id: Decimal(1)}))
    assert first.return_number == 1 and first.original_receipt_number == sale.receipt_number
    assert first.refunds[0].payment.method == CASH and first.refunded == first.total + first.rounding
    again = find_sale(t.till, str(sale.receipt_number), None)
    assert again.left()[line_a.line_id] == line_a.quantity - 1
    with pytest.raises(ReturnTooMuch):
        make_return(t.till, ReturnAsked(again, {line_a.line_id: line_a.quantity}))
    second = make_return(t.till, ReturnAsked(again, {line_a.line_id: line_a.quantity - 1}))
    assert second.return_number == 2
    assert first.total + second.total == line_a.total


@pytest.mark.parametrize("text, error", [
    ("KR1.S1.T07.00000000000000000000000000000000.0000", DamagedReceiptCode),
    ("12x", NotAReceipt),
    ("999", NoSuchReceipt),
])
def test_a_bad_code_or_number_is_refused_with_its_reason(store_file, text, error):
    t = real_till(store_file, who=SENIOR)
    with pytest.raises(error):
        find_sale(t.till, text, None)


def test_a_code_of_another_store_or_of_no_sale_is_refused(store_file):
    t = real_till(store_file, who=SENIOR)
    with pytest.raises(OtherStoreSale) as other:
        find_sale(t.till, receipt_code_text("S9", "T01", uuid.uuid4()), None)
    assert "S9" in other.value.user_message()
    with pytest.raises(NoSuchSale):  # a well-made code of this till that names no sale (forged)
        find_sale(t.till, receipt_code_text(STORE, "T07", uuid.uuid4()), None)
    with pytest.raises(NoSuchSale):  # another till's code the hub does not know
        find_sale(t.till, receipt_code_text(STORE, "T02", uuid.uuid4()), lambda _sale_id: None)


def test_a_cashier_needs_a_managers_approval_bound_to_the_amount_and_it_cannot_be_used_twice(store_file):
    t = real_till(store_file)
    sale = cash_sale(t, A, B)
    found = find_sale(t.till, code_of(sale), None)
    asked = ReturnAsked(found, {sale.lines[1].line_id: Decimal(1)})
    with pytest.raises(NeedsApproval) as needed:
        make_return(t.till, asked)
    assert needed.value.action is Action.RETURN_WITH_RECEIPT and needed.value.amount == sale.lines[1].total
    assert needed.value.sale_id == sale.sale_id
    approval_id = approved(t, needed.value)
    returned = make_return(t.till, asked, approval_id=approval_id)
    assert returned.approval_ids == (approval_id,)
    with pytest.raises(ApprovalUnknown):
        make_return(t.till, ReturnAsked(find_sale(t.till, code_of(sale), None), {sale.lines[0].line_id: Decimal(1)}),
                    approval_id=approval_id)


def test_a_return_without_receipt_needs_a_manager_and_a_reason(store_file):
    t = real_till(store_file)
    product, quantity = product_for(t.till, B.barcode)
    with pytest.raises(NeedsApproval) as needed:
        make_return(t.till, ReturnAsked(None, items=[(product, quantity)], reason="damaged"))
    assert needed.value.action is Action.RETURN_WITHOUT_RECEIPT
    approval_id = approved(t, needed.value, "no_receipt")
    with pytest.raises(ReasonNeeded):
        make_return(t.till, ReturnAsked(None, items=[(product, quantity)]), approval_id=approval_id)
    returned = make_return(t.till, ReturnAsked(None, items=[(product, quantity)], reason="damaged"),
                           approval_id=approved(t, needed.value, "no_receipt"))
    assert returned.original_sale_id is None and returned.total == B.price and returned.reason == "damaged"


def test_another_tills_sale_comes_from_the_hub_and_offline_needs_a_manager_for_the_goods_scanned(store_file, tmp_path):
    other = real_till(make_store_file(tmp_path / "other.sqlite3", "T02"), "T02", who=SENIOR)
    sold = cash_sale(other, A, C)
    t = real_till(store_file, who=SENIOR)
    hub = lambda sale_id: HubSale(sold, {sold.lines[0].line_id: Decimal(1)}, {})  # noqa: E731
    found = find_sale(t.till, code_of(sold), hub)
    assert isinstance(found, FoundSale) and found.from_hub and found.left()[sold.lines[0].line_id] == 0
    with pytest.raises(ReturnTooMuch):
        make_return(t.till, ReturnAsked(found, {sold.lines[0].line_id: Decimal(1)}))
    returned = make_return(t.till, ReturnAsked(found, {sold.lines[1].line_id: Decimal(1)}))
    assert returned.original_till_id == "T02" and returned.original_sale_id == sold.sale_id

    def offline(_sale_id: uuid.UUID) -> HubSale:
        raise HubOffline(till="T02")

    unchecked = find_sale(t.till, code_of(sold), offline)
    assert isinstance(unchecked, UncheckedSale)
    asked = ReturnAsked(unchecked, items=[product_for(t.till, C.barcode)], reason="customer_changed_mind")
    with pytest.raises(NeedsApproval) as needed:
        make_return(t.till, asked)
    assert needed.value.action is Action.RETURN_OTHER_TILL_OFFLINE
    done = make_return(t.till, asked, approval_id=approved(t, needed.value))
    assert done.original_till_id == "T02" and done.lines[0].product_code == C.code


class Terminal:
    """A card terminal answering refunds from a script (then approving), keeping the first
    outcome of each refund id as a real terminal does, and remembering what it was asked."""

    address = "test terminal"

    def __init__(self, *script: str) -> None:
        self.script = list(script)
        self.refunds: list[tuple[uuid.UUID, Money, uuid.UUID | None]] = []
        self.outcomes: dict[uuid.UUID, CardResult] = {}

    def refund(self, payment_id: uuid.UUID, amount: Money, original_payment_id: uuid.UUID | None = None) -> CardResult:
        self.refunds.append((payment_id, amount, original_payment_id))
        if payment_id in self.outcomes:
            return self.outcomes[payment_id]
        answer = self.script.pop(0) if self.script else "approve"
        if answer == "unknown":  # the terminal timed out; it approved meanwhile
            self.outcomes[payment_id] = CardApproved(payment_id, amount, "R12345", "**** 4242", "EMU-1")
            return CardCheckTerminal(payment_id, amount, "timeout")
        result: CardResult = (CardApproved(payment_id, amount, "R12345", "**** 4242", "EMU-1") if answer == "approve"
                              else CardDeclined(payment_id, "refund limit"))
        self.outcomes[payment_id] = result
        return result


def card_sale(t, *products):  # noqa: ANN001, ANN002, ANN201
    for product in products:
        t.till.scan(product.barcode)
    basket = t.till.basket
    settlement = Settlement(basket.total())
    settlement.add_card(basket.total(), CardApproval("A1B2C3", "**** 4242", "EMU-1"))
    settled = settlement.settle()
    sale = sale_paid_with(basket, settled, store_id=STORE, till_id="T07", cashier=t.till.cashier,
                          completed_at=t.till.clock.now())
    return t.till.complete(t.journal.record_paid_sale(sale, card_approvals(settled))).sale


def test_a_card_sale_is_refunded_to_the_card_and_a_declined_refund_records_nothing(store_file):
    t = real_till(store_file, who=SENIOR)
    sale = card_sale(t, A, B)
    asked = ReturnAsked(find_sale(t.till, code_of(sale), None), {sale.lines[0].line_id: Decimal(1)})
    terminal = Terminal("decline")
    with pytest.raises(CardRefundFailed):
        make_return(t.till, asked, terminal=terminal)
    assert t.journal.already_returned(sale.sale_id) == {}
    assert preview(t.till, asked).refunds[0].payment.method == CASH  # no terminal: cash
    returned = make_return(t.till, asked, terminal=terminal)  # asked again as a new refund
    assert [f.payment.method for f in returned.refunds] == [CARD]
    assert returned.refunds[0].card is not None and returned.refunds[0].card.approval_code == "R12345"
    declined_id = terminal.refunds[0][0]
    assert terminal.refunds[1] == (returned.refunds[0].payment.payment_id, A.price, sale.payments[0].payment_id)
    assert declined_id != returned.refunds[0].payment.payment_id
    assert returned.return_number == 1  # the declined try took no number
    cash = make_return(t.till, replace(asked, quantities={sale.lines[1].line_id: Decimal(1)}, refund_in_cash=True),
                       terminal=terminal)
    assert [f.payment.method for f in cash.refunds] == [CASH] and len(terminal.refunds) == 2  # not asked


def test_a_card_refund_the_terminal_could_not_confirm_is_asked_again_under_the_same_id_never_twice(store_file):
    t = real_till(store_file, who=SENIOR)
    sale = card_sale(t, A)
    asked = ReturnAsked(find_sale(t.till, code_of(sale), None), {sale.lines[0].line_id: Decimal(1)})
    terminal = Terminal("unknown")
    with pytest.raises(CardRefundFailed) as unknown:
        make_return(t.till, asked, terminal=terminal)
    assert "timeout" in unknown.value.user_message()
    returned = make_return(t.till, asked, terminal=terminal)  # the cashier tries again
    assert terminal.refunds[0][0] == terminal.refunds[1][0] == returned.refunds[0].payment.payment_id
    assert len(terminal.outcomes) == 1 and t.journal.already_refunded(sale.sale_id) == {
        sale.payments[0].payment_id: A.price}


def test_an_exchange_pays_for_the_new_goods_and_the_customer_pays_the_rest_or_gets_it_back(store_file):
    t = real_till(store_file, who=SENIOR)
    cheap, dear = sorted([A, B], key=lambda p: p.price.amount)
    sale = cash_sale(t, dear, cheap)
    dear_line = next(line for line in sale.lines if line.product_code == dear.code)
    cheap_line = next(line for line in sale.lines if line.product_code == cheap.code)
    asked = ReturnAsked(find_sale(t.till, code_of(sale), None), {cheap_line.line_id: Decimal(1)})
    with pytest.raises(ExchangeNeedsGoods):
        make_exchange(t.till, asked)
    t.till.scan(dear.barcode)  # the new goods cost more: the customer pays the rest
    assert exchange_due(t.till, asked) == dear.price - cheap.price
    done = make_exchange(t.till, asked, "")
    new_sale = done.result.sale
    assert done.returned.exchange_sale_id == new_sale.sale_id and new_sale.total == dear.price
    assert {p.method for p in new_sale.payments} == {"exchange_credit", CASH}
    assert t.till.basket.basket_id != new_sale.sale_id and not t.till.basket.lines
    asked = ReturnAsked(find_sale(t.till, code_of(sale), None), {dear_line.line_id: Decimal(1)})
    t.till.scan(cheap.barcode)  # now cheaper goods: the difference goes back
    assert exchange_due(t.till, asked) == cheap.price - dear.price
    back = make_exchange(t.till, asked)
    assert back.result.sale.payments[0].method == "exchange_credit"
    assert back.returned.refunded == dear.price and back.returned.return_number == 2


def test_a_card_refund_through_the_emulated_terminal_that_timed_out_is_refunded_once(store_file):
    from hardware.card_terminal import NetworkCardTerminal
    from hardware.card_terminal_emulator import TerminalEmulator, parse_script

    t = real_till(store_file, who=SENIOR)
    with TerminalEmulator() as emulator:
        terminal = NetworkCardTerminal(*emulator.address, pay_timeout=0.5)
        t.till.scan(A.barcode)
        t.till.scan(B.barcode)
        basket = t.till.basket
        paid = terminal.pay(uuid.uuid4(), basket.total())
        assert isinstance(paid, CardApproved)
        settlement = Settlement(basket.total())
        settlement.add_approved_card(paid)
        settled = settlement.settle()
        sale = t.till.complete(t.journal.record_paid_sale(sale_paid_with(
            basket, settled, store_id=STORE, till_id="T07", cashier=t.till.cashier, completed_at=t.till.clock.now()),
            card_approvals(settled))).sale
        asked = ReturnAsked(find_sale(t.till, code_of(sale), None), {sale.lines[1].line_id: Decimal(1)})
        emulator._script[:] = parse_script("timeout")  # the card is refunded, the answer never comes
        with pytest.raises(CardRefundFailed):
            make_return(t.till, asked, terminal=terminal)
        returned = make_return(t.till, asked, terminal=terminal)
        [refund] = emulator.refunds()  # one refund on the card, not two
        assert refund.amount_minor == B.price.minor_units() and refund.original_payment_id == str(paid.payment_id)
        assert refund.payment_id == str(returned.refunds[0].payment.payment_id)
        assert returned.refunds[0].payment.method == CARD and returned.refunds[0].card is not None


@pytest.fixture(scope="module")
def fuzz_till(tmp_path_factory):  # noqa: ANN001, ANN201
    t = real_till(make_store_file(tmp_path_factory.mktemp("fuzz") / "till.sqlite3"), who=SENIOR)
    t.till.scan(A.barcode)
    return t, t.till.pay_cash("").sale


FUZZ_EXAMPLES = 500 if os.environ.get("KASSA_SOAK") else 40


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_whatever_is_scanned_or_typed_finds_a_sale_or_says_what_is_wrong(fuzz_till, data):  # noqa: ANN001
    t, sale = fuzz_till
    code = code_of(sale)
    text = data.draw(st.one_of(
        st.text(max_size=160),
        st.integers(-5, 10**12).map(str),
        st.builds(lambda i, c: code[:i] + c + code[i + 1:], st.integers(0, len(code) - 1),
                  st.sampled_from("0123456789abcdef.KR1 ")),  # one character changed
    ))
    try:
        found = find_sale(t.till, text, None)
    except PosError as error:
        assert error.user_message()  # a sentence for the cashier
    else:
        assert isinstance(found, FoundSale) and found.sale.sale_id == sale.sale_id


def test_an_exchange_for_an_identified_customer_earns_points_on_the_new_goods(store_file):
    import json

    from pos.pricing.promotion import CustomerFacts

    t = real_till(store_file, who=SENIOR)
    assert t.till.loyalty is not None  # the wiring gives every till its points
    t.till.loyalty.keep_rules(json.dumps({"format": "kassa.loyalty.v1", "earn": {"default": "1"},  # type: ignore[attr-defined]
                                          "point_value": "0.01", "min_redeem": 100, "offline_cap_per_sale": 5000,
                                          "offline_cap_per_day": 6000}))
    cheap, dear = sorted([A, B], key=lambda p: p.price.amount)
    sale = cash_sale(t, cheap)
    cheap_line = sale.lines[0]
    asked = ReturnAsked(find_sale(t.till, code_of(sale), None), {cheap_line.line_id: Decimal(1)})
    t.till.scan(dear.barcode)
    t.till.identify_customer(CustomerFacts("C-1"))
    new_sale = make_exchange(t.till, asked, "").result.sale
    assert new_sale.customer_id == "C-1"
    assert new_sale.points_earned == int(dear.price.amount)  # one point per whole unit of the new goods
