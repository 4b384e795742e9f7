"""The basket being built at the till.

States: OPEN (scanning), PAYING (frozen while the customer pays), COMPLETED (recorded).
Voided lines stay in the basket, marked, so the journal shows what the cashier did;
they count for nothing.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from pos.catalog import Product
from pos.errors import PosError
from pos.i18n import N_
from pos.money import Money, money_sum, round_money
from pos.quantity import check_quantity
from pos.tax import TaxLine, tax_breakdown

MAX_LINES = 500


class BasketState(enum.Enum):
    OPEN = "open"
    PAYING = "paying"
    COMPLETED = "completed"


class BasketNotOpen(PosError):
    message = N_("The sale is being paid: finish or cancel the payment first.")


class LineNotFound(PosError):
    message = N_("That line is no longer in the sale.")


class LineAlreadyVoided(PosError):
    message = N_("That line is already voided.")


class PriceNotPositive(PosError):
    message = N_("A price must be more than zero: void the line instead.")


class EmptyBasket(PosError):
    message = N_("The sale has no items yet.")


class BasketFull(PosError):
    message = N_("A sale can hold at most {limit} lines: pay this one and start another.")


@dataclass(frozen=True, slots=True)
class BasketLine:
    line_id: uuid.UUID
    product: Product
    quantity: Decimal
    scanned_code: str = ""
    voided: bool = False
    price_overridden: bool = False  # the cashier changed the price (promotions may exclude "already reduced")

    @property
    def total(self) -> Money:
        return round_money(self.product.price.times(self.quantity))


@dataclass(slots=True)
class Basket:
    currency: str
    opened_at: datetime
    basket_id: uuid.UUID = field(default_factory=uuid.uuid4)
    lines: list[BasketLine] = field(default_factory=list)
    state: BasketState = BasketState.OPEN

    # -- changes -----------------------------------------------------------------------
    def add(self, product: Product, quantity: Decimal, scanned_code: str = "") -> BasketLine:
        """Add a product; a repeat scan of the last counted item raises its quantity instead."""
        self._require_open()
        quantity = check_quantity(quantity, sold_by_weight=product.sold_by_weight, name=product.name)
        last = self.lines[-1] if self.lines else None
        if last and not last.voided and not product.sold_by_weight and last.product == product:
            merged = check_quantity(last.quantity + quantity, sold_by_weight=False, name=product.name)
            self.lines[-1] = replace(last, quantity=merged)
            return self.lines[-1]
        if len(self.lines) >= MAX_LINES:
            raise BasketFull(limit=MAX_LINES)
        line = BasketLine(uuid.uuid4(), product, quantity, scanned_code)
        self.lines.append(line)
        return line

    def set_quantity(self, line_id: uuid.UUID, quantity: Decimal) -> BasketLine:
        self._require_open()
        index, line = self._find(line_id)
        quantity = check_quantity(quantity, sold_by_weight=line.product.sold_by_weight, name=line.product.name)
        self.lines[index] = replace(line, quantity=quantity)
        return self.lines[index]

    def set_price(self, line_id: uuid.UUID, price: Money) -> BasketLine:
        """A price override: the line's unit price from now on (the catalog is not changed)."""
        self._require_open()
        index, line = self._find(line_id)
        if line.voided:
            raise LineAlreadyVoided()
        if price.currency != self.currency or price.amount <= 0:
            raise PriceNotPositive()
        self.lines[index] = replace(line, product=replace(line.product, price=price), price_overridden=True)
        return self.lines[index]

    def void_line(self, line_id: uuid.UUID) -> BasketLine:
        self._require_open()
        index, line = self._find(line_id)
        if line.voided:
            raise LineAlreadyVoided()
        self.lines[index] = replace(line, voided=True)
        return self.lines[index]

    def begin_payment(self) -> None:
        self._require_open()
        if not self.active_lines():
            raise EmptyBasket()
        self.state = BasketState.PAYING

    def cancel_payment(self) -> None:
        if self.state is BasketState.PAYING:
            self.state = BasketState.OPEN

    def mark_completed(self) -> None:
        self.state = BasketState.COMPLETED

    # -- reading -----------------------------------------------------------------------
    def active_lines(self) -> list[BasketLine]:
        return [line for line in self.lines if not line.voided]

    def total(self) -> Money:
        return money_sum([line.total for line in self.active_lines()], self.currency)

    def taxes(self) -> tuple[TaxLine, ...]:
        return tax_breakdown(((line.product.vat, line.total) for line in self.active_lines()), self.currency)

    def item_count(self) -> Decimal:
        return sum((Decimal(1) if l.product.sold_by_weight else l.quantity for l in self.active_lines()), Decimal(0))

    def _find(self, line_id: uuid.UUID) -> tuple[int, BasketLine]:
        for index, line in enumerate(self.lines):
            if line.line_id == line_id:
                return index, line
        raise LineNotFound()

    def _require_open(self) -> None:
        if self.state is not BasketState.OPEN:
            raise BasketNotOpen()
