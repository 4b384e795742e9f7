"""Gift card sales for the hub's tests, made the way the till makes them: cards sold through
``pos.gift_cards.selling`` on the fakes' till, gift card payments as ``kassa.sale.v4`` records
them (a hold's redemption id, or an offline payment a manager approved)."""

from __future__ import annotations

import itertools
import uuid
from decimal import Decimal
from dataclasses import dataclass, replace
from typing import Any

from stdnum import luhn

from central.stores import TillIdentity
from pos.gift_cards.records import GIFT_CARD, GiftCardPayment
from pos.gift_cards.selling import sell_gift_card
from pos.money import Money
from pos.sale import Sale
from pos.tender import Payment
from tests.central.shop import Shop, make_sales
from tests.fakes import make_till

_receipts = itertools.count(1000)


def card(n: int) -> str:
    """The chain's card number n: "9900", 11 digits, the Luhn digit."""
    body = f"9900{n:011d}"
    return body + luhn.calc_check_digit(body)


def sell(till: TillIdentity, *cards: tuple[str, str, str]) -> Sale:
    """A sale of gift cards, each (number or "" for an electronic one, amount, phone typed)."""
    pos_till = make_till()
    pos_till.start()
    pos_till.sign_in("1", "1234")
    for number, amount, phone in cards:
        sell_gift_card(pos_till, number, amount, phone_text=phone)
    sale = pos_till.pay_cash(str(sum(Decimal(amount) for _, amount, _ in cards))).sale
    assert sale is not None
    return replace(sale, store_id=till.store_id, till_id=till.till_id, receipt_number=next(_receipts))


def paid_with(till: TillIdentity, number: str, amount: str, *, redemption_id: uuid.UUID | None = None,
              approved_by: str = "") -> Sale:
    """A sale of the fakes' goods paid ``amount`` with the card (the rest in cash)."""
    sale = make_sales(3, till)[2]
    due = sale.due
    gift = Money.of(amount, due.currency)
    payments = [Payment(uuid.uuid4(), GIFT_CARD, gift, gift, Money.zero(due.currency))]
    if due - gift != Money.zero(due.currency):
        rest = due - gift
        payments.append(Payment(uuid.uuid4(), "cash", rest, rest, Money.zero(due.currency)))
    return replace(sale, receipt_number=next(_receipts), payments=tuple(payments), gift_card_payments=(
        GiftCardPayment(payments[0].payment_id, number, redemption_id, approved_by),))


@dataclass
class GiftCardDesk:
    """A till asking the hub's gift card API, as sync's client does."""

    shop: Shop
    till: TillIdentity

    def ask(self, path: str, body: dict[str, Any]) -> Any:
        return self.shop.http.post(f"/v1/gift-cards/{path}", json=body, headers=self.shop.auth(self.till))

    def find(self, **by: str) -> Any:
        return self.ask("find", {"schema": "kassa.gift_card_find.v1", **by})

    def code(self, number: str) -> Any:
        return self.ask("code", {"schema": "kassa.gift_card_code.v1", "card_number": number})

    def redeem(self, number: str, amount: str, *, redemption_id: uuid.UUID | None = None,
               sale_id: uuid.UUID | None = None, code: str = "", currency: str = "UAH") -> Any:
        return self.ask("redeem", {"schema": "kassa.gift_card_redemption.v1",
                                   "redemption_id": str(redemption_id or uuid.uuid4()),
                                   "sale_id": str(sale_id or uuid.uuid4()), "card_number": number,
                                   "amount": amount, "currency": currency, "code": code})

    def release(self, redemption_id: uuid.UUID) -> Any:
        return self.ask("release", {"schema": "kassa.gift_card_release.v1", "redemption_id": str(redemption_id)})
