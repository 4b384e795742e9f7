"""The store day's documents survive their JSON forms exactly (the outbox bodies the hub will get)."""

import json
import uuid
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos.store_day import forms
from pos.store_day.approval import ApprovalDesk
from pos.store_day.drawer import count_drawer
from pos.store_day.report import ReportKind, compute_report
from pos.store_day.roles import DEFAULT_TABLE, Action
from pos.store_day.tenders import CardApproval
from tests.fakes import VITAMINS
from tests.pos.store_day.day import CASHIER, EXAMPLES, MANAGER, SENIOR, at, money
from tests.pos.store_day.test_shift_report import EVENT, UAH, Day, weigh


def via_json(form: dict) -> dict:
    return json.loads(json.dumps(form))


@settings(max_examples=EXAMPLES)
@given(coin=st.sampled_from([Decimal("0.01"), Decimal("0.10")]), events=st.lists(EVENT, max_size=12))
def test_every_document_of_a_random_day_round_trips_through_json(coin, events):
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
    for document in day.returns:
        assert forms.return_from_dict(via_json(forms.return_to_dict(document))) == document
    for movement in day.shift.movements:
        assert forms.cash_movement_from_dict(via_json(forms.cash_movement_to_dict(movement))) == movement
    for cancelled in day.cancelled:
        assert forms.cancelled_sale_from_dict(via_json(forms.cancelled_sale_to_dict(cancelled))) == cancelled
    z = compute_report(ReportKind.Z, day.documents())
    assert forms.z_report_from_dict(via_json(forms.z_report_to_dict(z))) == z


def test_an_approval_and_a_shift_close_round_trip():
    desk = ApprovalDesk()
    request = desk.ask(CASHIER, Action.CANCEL_SALE, at(0), amount=money("12.30"),
                       sale_id=uuid.uuid4())
    desk.approve(request.request_id, MANAGER, "other", at(1))
    record = desk.spend(request.request_id, Action.CANCEL_SALE, amount=money("12.30"), sale_id=request.sale_id)
    assert forms.approval_from_dict(via_json(forms.approval_to_dict(record))) == record

    day = Day(Decimal("0.10"))
    day.shift.begin_close(SENIOR, DEFAULT_TABLE, sale_open=False, unsent_z_number=None)
    day.shift.count_blind(count_drawer(UAH, {Decimal(100): "4", Decimal("0.50"): "3"}))
    closed = day.shift.close(money("500"), SENIOR, at(9))
    form = via_json(forms.shift_closed_to_dict(day.shift, closed))
    assert (form["variance"], form["counted_total"]) == ("-98.50", "401.50")
    assert forms.shift_close_from_dict(form, UAH) == closed
    assert via_json(forms.shift_opened_to_dict(day.shift))["float"] == {"100": 5}


def test_a_card_refund_keeps_its_approval_in_the_form():
    day = Day(Decimal("0.01"))
    day.sell(weigh([(VITAMINS, 1)]), 0, 12000, 0)  # all by card
    day.give_back(0, 1)
    document = day.returns[0]
    card = CardApproval("REF42", "**** 4242")
    with_card = replace(document, refunds=(replace(document.refunds[0], card=card),))
    assert document.refunds[0].payment.method == "card"
    assert forms.return_from_dict(via_json(forms.return_to_dict(with_card))).refunds[0].card == card


@pytest.mark.parametrize("reader", [forms.return_from_dict, forms.cash_movement_from_dict, forms.approval_from_dict,
                                    forms.cancelled_sale_from_dict, forms.z_report_from_dict])
def test_a_form_of_another_kind_is_refused(reader):
    with pytest.raises(ValueError):
        reader({"schema": "kassa.sale.v1"})
