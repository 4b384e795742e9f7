"""Refunds back onto gift cards, through the real hub app on SQLite and PostgreSQL: goods paid
partly by gift card and returned put the card's share back on the card, with the return
document (after the sale) or with the sale (a return that arrived first); the same return sent
twice credits once; a partial return credits its share, and the returns of a sale never give
the card more than the sale took from it."""

from __future__ import annotations

import uuid
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import select

from central.gift_card_tables import gift_card_conflicts, gift_card_redemptions
from pos.gift_cards.records import GIFT_CARD
from pos.money import Money
from pos.sale import Sale
from pos.store_day.returns import Refund, ReturnContext, ReturnDocument, return_from_sale
from tests.central.gift_card_sales import GiftCardDesk, card, paid_with, sell
from tests.central.shop import Shop
from tests.central.store_day_documents import of_return, post, statuses
from tests.central.test_gift_card_cli import run
from tests.pos.store_day.day import SENIOR, at


ALL = slice(None)


@pytest.fixture
def desk(shop: Shop) -> GiftCardDesk:
    return GiftCardDesk(shop, shop.enrol())


def balance(desk: GiftCardDesk, number: str) -> str:
    return str(desk.find(card_number=number).json()["cards"][0]["balance"])


def bought_with_card(desk: GiftCardDesk, amount: str) -> Sale:
    """Goods paid ``amount`` from card 1 (held at the hub as a till holds it), the rest in cash;
    the card was sold for 500.00 and has arrived."""
    assert [r["status"] for r in desk.shop.push(desk.till, sell(desk.till, (card(1), "500", "")))] == ["accepted"]
    rid = uuid.uuid4()
    sale = paid_with(desk.till, card(1), amount, redemption_id=rid)
    assert desk.redeem(card(1), amount, redemption_id=rid, sale_id=sale.sale_id).status_code == 200
    return sale


def give_back(desk: GiftCardDesk, sale: Sale, lines: slice, number: int,
              refunded: dict[uuid.UUID, Money] | None = None, returned: dict[uuid.UUID, Decimal] | None = None
              ) -> ReturnDocument:
    """These lines of the sale returned whole at the till, the refunds planned as the till plans them."""
    ctx = ReturnContext(desk.till.store_id, desk.till.till_id, SENIOR, at(200))
    wanted = {line.line_id: line.quantity for line in sale.lines[lines]}
    made = return_from_sale(sale, wanted, ctx, already_returned=returned or {}, already_refunded=refunded or {},
                            hub_confirmed=True)
    return replace(made, return_number=number)


def to_card(r: ReturnDocument) -> Money:
    return sum((f.payment.amount for f in r.refunds if f.payment.method == GIFT_CARD), Money.zero(r.currency))


def credits(desk: GiftCardDesk) -> list[int]:
    r = gift_card_redemptions
    with desk.shop.db.reading() as conn:
        return list(conn.execute(select(r.c.amount_minor).where(r.c.status == "refunded").order_by(r.c.id)).scalars())


def test_a_return_after_its_sale_puts_the_card_payment_back_on_the_card(
        desk: GiftCardDesk, database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    sale = bought_with_card(desk, "100.00")
    assert statuses(desk.shop.push(desk.till, sale)) == ["accepted"]
    assert balance(desk, card(1)) == "400.00"
    back = give_back(desk, sale, ALL, 1)
    assert to_card(back) == Money.of("100.00", "UAH") and back.refunded == sale.total  # the rest in cash

    assert statuses(post(desk.shop, desk.till, of_return(back))) == ["accepted"]
    assert balance(desk, card(1)) == "500.00"
    status, out, _ = run(capsys, "gift-cards", "show", card(1), "--database", database_url)
    assert status == 0 and "500.00 UAH" in out.splitlines()[0]
    assert [line.split()[2:4] for line in out.splitlines()[1:]] == [["captured", "100.00"], ["refunded", "100.00"]]


def test_a_return_that_arrives_before_its_sale_is_credited_when_the_sale_arrives(desk: GiftCardDesk) -> None:
    sale = bought_with_card(desk, "100.00")
    back = give_back(desk, sale, ALL, 1)
    answer = post(desk.shop, desk.till, of_return(back))
    assert statuses(answer) == ["accepted"] and answer[0]["reason"] == "sale_unknown"
    assert balance(desk, card(1)) == "400.00"  # still only held: nothing to give back yet

    assert statuses(desk.shop.push(desk.till, sale)) == ["accepted"]
    assert balance(desk, card(1)) == "500.00"
    assert credits(desk) == [10000]
    assert statuses(desk.shop.push(desk.till, sale)) == ["duplicate"]  # the sale again: nothing more
    assert balance(desk, card(1)) == "500.00"


def test_the_same_return_document_sent_twice_credits_the_card_once(desk: GiftCardDesk) -> None:
    sale = bought_with_card(desk, "100.00")
    desk.shop.push(desk.till, sale)
    back = of_return(give_back(desk, sale, ALL, 1))
    assert statuses(post(desk.shop, desk.till, back, back)) == ["accepted", "duplicate"]
    assert statuses(post(desk.shop, desk.till, back)) == ["duplicate"]
    assert balance(desk, card(1)) == "500.00"
    assert credits(desk) == [10000]


def test_a_partial_return_credits_its_share_and_the_card_never_gets_more_than_the_sale_took(
        desk: GiftCardDesk) -> None:
    sale = bought_with_card(desk, "100.00")
    desk.shop.push(desk.till, sale)
    first = give_back(desk, sale, slice(0, 1), 1)
    share = to_card(first)
    assert Money.zero("UAH").amount < share.amount < Decimal("100.00")  # the first line: less than the card paid
    assert statuses(post(desk.shop, desk.till, of_return(first))) == ["accepted"]
    assert balance(desk, card(1)) == str(Money.of("400.00", "UAH").amount + share.amount)

    paid = next(p for p in sale.payments if p.method == GIFT_CARD)
    rest = give_back(desk, sale, slice(1, None), 2, refunded={paid.payment_id: share},
                     returned={line.line_id: line.quantity for line in sale.lines[:1]})
    assert statuses(post(desk.shop, desk.till, of_return(rest))) == ["accepted"]
    assert balance(desk, card(1)) == "500.00"
    assert sum(credits(desk)) == 10000


def test_a_refund_beyond_what_the_sale_paid_with_the_card_is_capped_and_listed(desk: GiftCardDesk) -> None:
    sale = bought_with_card(desk, "10.00")
    desk.shop.push(desk.till, sale)
    back = give_back(desk, sale, ALL, 1)
    five = Money.of("5.00", "UAH")

    def moved(f: Refund) -> Refund:  # a till that sent 5.00 more to the card and 5.00 less in cash
        more = five if f.payment.method == GIFT_CARD else Money.zero("UAH") - five
        return replace(f, payment=replace(f.payment, amount=f.payment.amount + more, tendered=f.payment.tendered + more))

    assert statuses(post(desk.shop, desk.till, of_return(replace(back, refunds=tuple(map(moved, back.refunds)))))) \
        == ["accepted"]  # the goods are back in the shop: never refused for it
    assert balance(desk, card(1)) == "500.00"
    assert credits(desk) == [1000]
    with desk.shop.db.reading() as conn:
        assert conn.execute(select(gift_card_conflicts.c.kind, gift_card_conflicts.c.amount_minor)).all() == [
            ("refund_over_paid", 500)]
