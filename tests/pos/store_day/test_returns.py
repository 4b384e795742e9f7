"""Returns and exchanges: never more back than was sold (across returns and tills), refunds to
the original tenders, approvals where the rules need them, exchanges settled together."""

import uuid
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos.money import Money, money_sum
from pos.store_day.approval import ApprovalDesk
from pos.store_day.returns import (
    LineNotInSale,
    NewGoods,
    NothingToReturn,
    OtherStoreSale,
    ReasonNeeded,
    RefundPolicy,
    ReturnContext,
    ReturnTooMuch,
    exchange_settlement,
    net_due,
    return_from_sale,
    return_without_receipt,
    returnable,
)
from pos.store_day.roles import Action, NotPermitted
from pos.store_day.tenders import CARD, EXCHANGE_CREDIT
from pos.tender import CASH, CashPolicy
from tests.pos.store_day.day import (
    APPLES,
    CASHIER,
    CREAM,
    EXAMPLES,
    MANAGER,
    OTHER_TILL,
    SENIOR,
    SHAMPOO,
    STORE,
    TILL,
    VITAMINS,
    at,
    basket_of,
    money,
    paid_sale,
)

TEN = CashPolicy(Decimal("0.10"))
HERE = ReturnContext(STORE, TILL, SENIOR, at(60), TEN)


def give_back(sale, wanted, ctx=HERE, returned=None, refunded=None, **kw):  # type: ignore[no-untyped-def]
    return return_from_sale(sale, wanted, ctx, already_returned=returned or {}, already_refunded=refunded or {},
                            hub_confirmed=kw.pop("hub_confirmed", True), **kw)


def test_a_partial_return_gives_back_the_lines_share_in_cash_rounded_to_the_coin():
    sale = paid_sale(basket_of([(SHAMPOO, Decimal(3)), (CREAM, Decimal(1))]), cash=TEN)
    shampoo = sale.lines[0]
    document = give_back(sale, {shampoo.line_id: Decimal(1)})
    assert document.total == money("89.90") and document.return_number == 0
    assert [(r.payment.method, r.payment.amount) for r in document.refunds] == [(CASH, money("89.90"))]
    assert document.original_sale_id == sale.sale_id and document.lines[0].sold_line_id == shampoo.line_id
    assert document.taxes[0].gross == money("89.90")


def test_more_than_is_left_is_refused_naming_what_is_left():
    sale = paid_sale(basket_of([(SHAMPOO, Decimal(3))]))
    line = sale.lines[0]
    with pytest.raises(ReturnTooMuch) as refused:
        give_back(sale, {line.line_id: Decimal(2)}, returned={line.line_id: Decimal(2)})
    assert refused.value.fields == {"name": SHAMPOO.name, "asked": Decimal(2), "left": Decimal(1)}


def test_a_weighed_line_is_returned_by_the_gram_and_the_parts_add_up_to_what_was_paid():
    sale = paid_sale(basket_of([(APPLES, Decimal("1.337"))]))  # 44.11 (44.107)
    line = sale.lines[0]
    first = give_back(sale, {line.line_id: Decimal("0.5")})
    second = give_back(sale, {line.line_id: Decimal("0.837")}, returned={line.line_id: Decimal("0.5")})
    assert first.total + second.total == line.total


def test_three_returns_of_one_gram_give_back_what_three_grams_cost():
    sale = paid_sale(basket_of([(APPLES, Decimal("0.003"))]))  # 0.10 (0.09897)
    line, returned, back = sale.lines[0], Decimal(0), money("0")
    for _ in range(3):
        document = give_back(sale, {line.line_id: Decimal("0.001")}, returned={line.line_id: returned})
        returned, back = returned + Decimal("0.001"), back + document.total
    assert back == line.total == money("0.10")


def test_voided_lines_unknown_lines_and_nothing_at_all_are_refused():
    sale = paid_sale(basket_of([(SHAMPOO, Decimal(1)), (CREAM, Decimal(1))], voided=1))
    with pytest.raises(LineNotInSale):
        give_back(sale, {sale.lines[0].line_id: Decimal(1)})
    with pytest.raises(LineNotInSale):
        give_back(sale, {uuid.uuid4(): Decimal(1)})
    with pytest.raises(NothingToReturn):
        give_back(sale, {sale.lines[1].line_id: Decimal(0)})


def test_a_sale_of_another_store_is_refused():
    sale = paid_sale(basket_of([(SHAMPOO, Decimal(1))]), store="S9")
    with pytest.raises(OtherStoreSale):
        give_back(sale, {sale.lines[0].line_id: Decimal(1)})


def test_a_cashier_needs_a_managers_approval_to_return():
    sale = paid_sale(basket_of([(SHAMPOO, Decimal(1))]))
    cashier_here = replace(HERE, who=CASHIER)
    with pytest.raises(NotPermitted):
        give_back(sale, {sale.lines[0].line_id: Decimal(1)}, cashier_here)
    desk = ApprovalDesk()
    request = desk.ask(CASHIER, Action.RETURN_WITH_RECEIPT, at(60), sale_id=sale.sale_id)
    desk.approve(request.request_id, MANAGER, "customer_changed_mind", at(61))
    approval = desk.spend(request.request_id, Action.RETURN_WITH_RECEIPT, sale_id=sale.sale_id)
    document = give_back(sale, {sale.lines[0].line_id: Decimal(1)}, cashier_here, approvals=(approval,))
    assert document.approval_ids == (request.request_id,)


def test_another_tills_sale_offline_needs_a_managers_approval_and_a_reason():
    sale = paid_sale(basket_of([(SHAMPOO, Decimal(1))]), till=OTHER_TILL)
    wanted = {sale.lines[0].line_id: Decimal(1)}
    with pytest.raises(NotPermitted):
        give_back(sale, wanted, hub_confirmed=False)
    give_back(sale, wanted, hub_confirmed=True)  # the hub answered for its returns
    desk = ApprovalDesk()
    request = desk.ask(SENIOR, Action.RETURN_OTHER_TILL_OFFLINE, at(60), sale_id=sale.sale_id)
    desk.approve(request.request_id, MANAGER, "other", at(61))
    approval = desk.spend(request.request_id, Action.RETURN_OTHER_TILL_OFFLINE, sale_id=sale.sale_id)
    with pytest.raises(ReasonNeeded):
        give_back(sale, wanted, hub_confirmed=False, approvals=(approval,))
    document = give_back(sale, wanted, hub_confirmed=False, approvals=(approval,), reason="other")
    assert document.original_till_id == OTHER_TILL and document.reason == "other"


def test_a_return_without_receipt_needs_the_permission_or_an_approval_and_a_reason():
    with pytest.raises(NotPermitted):
        return_without_receipt([(CREAM, Decimal(1))], HERE, approvals=(), reason="damaged")
    manager_here = replace(HERE, who=MANAGER)
    with pytest.raises(ReasonNeeded):
        return_without_receipt([(CREAM, Decimal(1))], manager_here, approvals=(), reason="")
    document = return_without_receipt([(CREAM, Decimal(2))], manager_here, approvals=(), reason="damaged")
    assert document.original_sale_id is None and document.total == money("109.00")
    assert [r.payment.method for r in document.refunds] == [CASH]


def test_refunds_go_back_to_the_card_first_then_cash():
    sale = paid_sale(basket_of([(VITAMINS, Decimal(2)), (SHAMPOO, Decimal(1))]), card="100.00", cash=TEN)
    card_payment = sale.payments[0]
    document = give_back(sale, {sale.lines[0].line_id: Decimal(2)})  # 240.00
    assert [(r.payment.method, r.payment.amount, r.original_payment_id) for r in document.refunds] == [
        (CARD, money("100.00"), card_payment.payment_id), (CASH, money("140.00"), sale.payments[1].payment_id)]
    again = give_back(sale, {sale.lines[1].line_id: Decimal(1)}, refunded={card_payment.payment_id: money("100")})
    assert [(r.payment.method, r.payment.amount) for r in again.refunds] == [(CASH, money("89.90"))]


def test_with_card_refunds_off_everything_goes_back_in_cash():
    sale = paid_sale(basket_of([(VITAMINS, Decimal(1))]), card="120.00")
    ctx = replace(HERE, refunds=RefundPolicy(card_to_card=False))
    document = give_back(sale, {sale.lines[0].line_id: Decimal(1)}, ctx)
    assert [r.payment.method for r in document.refunds] == [CASH]


def test_a_cash_refund_is_rounded_to_the_coin_as_its_own_line():
    sale = paid_sale(basket_of([(APPLES, Decimal("0.333"))]), cash=TEN)  # 10.99
    document = give_back(sale, {sale.lines[0].line_id: Decimal("0.333")})
    assert (document.total, document.refunded, document.rounding) == (money("10.99"), money("11.00"), money("0.01"))


def test_an_exchange_for_dearer_goods_uses_the_credit_and_the_customer_pays_the_difference():
    sale = paid_sale(basket_of([(CREAM, Decimal(1))]))  # 54.50
    new_total, new_sale = money("89.90"), uuid.uuid4()
    document = give_back(sale, {sale.lines[0].line_id: Decimal(1)}, exchange_for=NewGoods(new_sale, new_total))
    assert [(r.payment.method, r.payment.amount) for r in document.refunds] == [(EXCHANGE_CREDIT, money("54.50"))]
    assert document.exchange_sale_id == new_sale and net_due(document, new_total) == money("35.40")
    settlement = exchange_settlement(document, new_total, TEN)
    assert settlement.cash_due() == money("35.40")
    settlement.add_cash(money("40"))
    settled = settlement.settle()
    assert [p.method for p in settled.payments] == [EXCHANGE_CREDIT, CASH] and settled.change == money("4.60")


def test_an_exchange_for_cheaper_goods_refunds_the_difference():
    sale = paid_sale(basket_of([(VITAMINS, Decimal(1))]), card="120.00")
    new_total = money("54.50")
    document = give_back(sale, {sale.lines[0].line_id: Decimal(1)}, exchange_for=NewGoods(uuid.uuid4(), new_total))
    assert net_due(document, new_total) == money("-65.50")
    assert [(r.payment.method, r.payment.amount) for r in document.refunds] == [
        (EXCHANGE_CREDIT, money("54.50")), (CARD, money("65.50"))]
    assert exchange_settlement(document, new_total, TEN).is_settled()


# -- Hypothesis: two tills returning the same sale, the hub as arbiter --------------------------
ITEMS = st.lists(st.tuples(st.sampled_from([SHAMPOO, CREAM, VITAMINS, APPLES]), st.integers(1, 5)),
                 min_size=1, max_size=4)
ASKS = st.lists(st.tuples(st.sampled_from([TILL, OTHER_TILL]), st.integers(0, 3), st.integers(1, 4000)), max_size=12)


@settings(max_examples=EXAMPLES)
@given(items=ITEMS, asks=ASKS, card=st.booleans())
def test_returned_never_exceeds_sold_under_partial_returns_at_two_tills(items, asks, card):
    weights = [Decimal("0.003"), Decimal("0.007"), Decimal("0.337"), Decimal("1.337"), Decimal("2.5")]
    basket = basket_of([(p, weights[n - 1] if p.sold_by_weight else Decimal(n)) for p, n in items])
    sale = paid_sale(basket, card="10.00" if card and basket.total() > money("10") else None, cash=TEN)
    hub_returned: dict[uuid.UUID, Decimal] = {}
    hub_refunded: dict[uuid.UUID, Money] = {}
    documents = []
    for till, index, thousandths in asks:
        line = sale.lines[index % len(sale.lines)]
        grams = thousandths if thousandths > 2000 else thousandths % 3 + 1  # a few grams, or up to 4 kg
        quantity = Decimal(grams) / 1000 if line.sold_by_weight else Decimal(thousandths % 4 + 1)
        ctx = ReturnContext(STORE, till, SENIOR, at(90), TEN)
        try:
            document = give_back(sale, {line.line_id: quantity}, ctx, returned=dict(hub_returned),
                                 refunded=dict(hub_refunded))
        except ReturnTooMuch:
            assert quantity > line.quantity - hub_returned.get(line.line_id, Decimal(0))
            continue
        documents.append(document)
        for r_line in document.lines:  # the hub records the accepted return
            hub_returned[line.line_id] = hub_returned.get(line.line_id, Decimal(0)) + r_line.quantity
        for refund in document.refunds:
            if refund.original_payment_id is not None and refund.payment.method != CASH:
                key = refund.original_payment_id
                hub_refunded[key] = hub_refunded.get(key, money("0")) + refund.payment.amount
    for line in sale.lines:  # at last the rest of every line comes back
        left = returnable(sale, hub_returned).get(line.line_id, Decimal(0))
        if left > 0:
            documents.append(give_back(sale, {line.line_id: left}, returned=dict(hub_returned)))
            hub_returned[line.line_id] = line.quantity
    for line in sale.lines:
        back = [r for d in documents for r in d.lines if r.sold_line_id == line.line_id]
        assert sum((r.quantity for r in back), Decimal(0)) <= line.quantity
        refunded = money_sum([r.total for r in back], "UAH")
        assert refunded <= line.total
        if not line.voided:
            assert sum((r.quantity for r in back), Decimal(0)) == line.quantity and refunded == line.total
    assert all(v >= 0 for v in returnable(sale, hub_returned).values())
    for payment in sale.payments:
        if payment.method == CARD:
            assert hub_refunded.get(payment.payment_id, money("0")) <= payment.amount
