"""Gift cards when sales reach the hub (kassa.sale.v4): a card sold is activated exactly once
(a retried batch changes nothing), a voided line activates nothing, a number sold twice is a
conflict; a sale captures its hold, a smaller payment gives the rest back, a hold released
before its sale arrived is debited again, an offline payment is debited and may overdraw the
card; the v4 document's checks."""

from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from central.gift_card_tables import gift_card_conflicts, gift_card_redemptions, gift_cards
from central.sale_document import SaleProblem, read_sale
from central.sms import SMS_LOG_VARIABLE, read_sms_log
from pos.codec import sale_to_dict
from tests.central.gift_card_sales import GiftCardDesk, card, paid_with, sell
from tests.central.shop import Shop


@pytest.fixture
def desk(shop: Shop) -> GiftCardDesk:
    return GiftCardDesk(shop, shop.enrol())


def balance(desk: GiftCardDesk, number: str) -> str:
    return str(desk.find(card_number=number).json()["cards"][0]["balance"])


def statuses(desk: GiftCardDesk, *sales: object) -> list[str]:
    return [r["status"] for r in desk.shop.push(desk.till, *sales)]  # type: ignore[arg-type]


def conflicts(desk: GiftCardDesk) -> list[tuple[str, str]]:
    with desk.shop.db.reading() as conn:
        return [(r.card_number, r.kind) for r in conn.execute(select(gift_card_conflicts).order_by(gift_card_conflicts.c.id))]


def test_a_card_sold_is_activated_once_however_often_its_batch_is_sent(
        desk: GiftCardDesk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SMS_LOG_VARIABLE, str(tmp_path / "sms.jsonl"))
    sale = sell(desk.till, (card(1), "500", ""), ("", "300", "050 123 45 67"))
    assert statuses(desk, sale) == ["accepted"]
    assert statuses(desk, sale) == ["duplicate"]
    with desk.shop.db.reading() as conn:
        rows = conn.execute(select(gift_cards.c.card_number, gift_cards.c.balance_minor, gift_cards.c.phone)
                            .order_by(gift_cards.c.balance_minor)).all()
    electronic = sale.gift_cards_sold[1].card_number
    assert [tuple(r) for r in rows] == [(electronic, 30000, "+380501234567"), (card(1), 50000, "")]
    assert len(read_sms_log(tmp_path / "sms.jsonl")) == 1  # the electronic card's customer, once


def test_a_voided_gift_card_line_activates_nothing(desk: GiftCardDesk) -> None:
    sale = sell(desk.till, (card(1), "500", ""), (card(2), "100", ""))
    voided = tuple(replace(line, voided=True) if line.line_id == sale.gift_cards_sold[0].line_id else line
                   for line in sale.lines)
    sale = replace(sale, lines=voided, total=sale.total - voided[0].total,
                   taxes=(replace(sale.taxes[0], gross=sale.taxes[0].gross - voided[0].total,
                                  net=sale.taxes[0].net - voided[0].total),),
                   payments=(replace(sale.payments[0], amount=sale.payments[0].amount - voided[0].total,
                                     tendered=sale.payments[0].tendered - voided[0].total),))
    assert statuses(desk, sale) == ["accepted"]
    assert desk.find(card_number=card(1)).json()["error"] == "gift_card_unknown"
    assert balance(desk, card(2)) == "100.00"


def test_a_number_sold_again_is_a_conflict_and_the_sale_is_still_accepted(desk: GiftCardDesk) -> None:
    assert statuses(desk, sell(desk.till, (card(1), "500", ""))) == ["accepted"]
    assert statuses(desk, sell(desk.till, (card(1), "200", ""))) == ["accepted"]
    assert balance(desk, card(1)) == "500.00"
    assert conflicts(desk) == [(card(1), "sold_twice")]


def test_a_sale_captures_its_hold_exactly_once_and_then_the_hold_cannot_be_released(desk: GiftCardDesk) -> None:
    statuses(desk, sell(desk.till, (card(1), "500", "")))
    rid = uuid.uuid4()
    sale = paid_with(desk.till, card(1), "100.00", redemption_id=rid)
    assert desk.redeem(card(1), "100.00", redemption_id=rid, sale_id=sale.sale_id).status_code == 200
    assert statuses(desk, sale) == ["accepted"]
    assert statuses(desk, sale) == ["duplicate"]
    assert balance(desk, card(1)) == "400.00"
    refused = desk.release(rid)
    assert (refused.status_code, refused.json()["error"]) == (409, "already_captured")
    assert balance(desk, card(1)) == "400.00"


def test_a_sale_that_took_less_than_its_hold_gives_the_rest_back(desk: GiftCardDesk) -> None:
    statuses(desk, sell(desk.till, (card(1), "500", "")))
    rid = uuid.uuid4()
    sale = paid_with(desk.till, card(1), "60.00", redemption_id=rid)
    desk.redeem(card(1), "100.00", redemption_id=rid, sale_id=sale.sale_id)
    statuses(desk, sale)
    assert balance(desk, card(1)) == "440.00"


def test_a_sale_arriving_after_its_hold_was_released_is_debited_again(desk: GiftCardDesk) -> None:
    statuses(desk, sell(desk.till, (card(1), "500", "")))
    rid = uuid.uuid4()
    sale = paid_with(desk.till, card(1), "100.00", redemption_id=rid)
    desk.redeem(card(1), "100.00", redemption_id=rid, sale_id=sale.sale_id)
    desk.release(rid)
    assert balance(desk, card(1)) == "500.00"
    statuses(desk, sale)
    assert balance(desk, card(1)) == "400.00"
    with desk.shop.db.reading() as conn:
        assert conn.execute(select(gift_card_redemptions.c.status)).scalars().all() == ["debited"]


def test_offline_payments_are_debited_on_arrival_and_an_overdraw_is_kept(desk: GiftCardDesk) -> None:
    statuses(desk, sell(desk.till, (card(1), "150", "")))
    first = paid_with(desk.till, card(1), "100.00", approved_by="M1")
    second = paid_with(desk.till, card(1), "100.00", approved_by="M1")
    assert statuses(desk, first, second) == ["accepted", "accepted"]
    assert balance(desk, card(1)) == "-50.00"
    with desk.shop.db.reading() as conn:
        assert conn.execute(select(gift_card_redemptions.c.approved_by, gift_card_redemptions.c.redemption_id)
                            ).all() == [("M1", None), ("M1", None)]


def test_a_payment_with_a_card_the_hub_does_not_know_is_stored_and_listed_as_a_conflict(desk: GiftCardDesk) -> None:
    assert statuses(desk, paid_with(desk.till, card(7), "10.00", approved_by="M1")) == ["accepted"]
    assert conflicts(desk) == [(card(7), "unknown_card")]


def test_a_v4_sale_whose_gift_cards_do_not_match_its_lines_and_payments_is_rejected_naming_the_field(
        desk: GiftCardDesk) -> None:
    sold = sale_to_dict(sell(desk.till, (card(1), "500", "")))
    paid = sale_to_dict(paid_with(desk.till, card(1), "10.00", redemption_id=uuid.uuid4()))
    bad = [
        ({**sold, "gift_cards_sold": [{**sold["gift_cards_sold"][0], "card_number": card(1)[:-1] + "9"}]},
         "gift_cards_sold.0.card_number"),
        ({**sold, "gift_cards_sold": [{**sold["gift_cards_sold"][0], "line_id": str(uuid.uuid4())}]},
         "gift_cards_sold.0.line_id"),
        ({**sold, "gift_cards_sold": [{**sold["gift_cards_sold"][0], "phone": "050 123"}]}, "gift_cards_sold.0.phone"),
        ({**paid, "gift_card_payments": []}, "payments.0"),
        ({**paid, "gift_card_payments": [{**paid["gift_card_payments"][0], "payment_id": paid["payments"][1]["payment_id"]}]},
         "gift_card_payments.0.payment_id"),
        ({**paid, "gift_card_payments": [{**paid["gift_card_payments"][0], "redemption_id": None}]},
         "gift_card_payments.0.approved_by"),
        ({**sold, "schema": "kassa.sale.v3"}, "gift_cards_sold"),
    ]
    for document, field in bad:
        with pytest.raises(SaleProblem) as refused:
            read_sale(document)
        assert (refused.value.reason, refused.value.detail.split(":")[0]) == ("schema", field)
    other_line = dict(paid["lines"][0], vat={"code": "", "percent": "0"})
    with pytest.raises(SaleProblem, match="lines.0.vat.code"):
        read_sale({**paid, "lines": [other_line, *paid["lines"][1:]]})
