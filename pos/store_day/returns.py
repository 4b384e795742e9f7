"""Returns and exchanges: their own documents, with their own gapless numbers (0 here until
the journal assigns them), pushed to the hub like sales.

- What is left to return of a sale is what was sold minus what is already returned, per
  line, across every earlier return at every till: the caller passes ``already_returned``
  (the journal's own returns, or the hub's answer for a sale of another till).
- A line's refund is its share of what the customer paid for it, worked out cumulatively
  (``line_refund``), so several partial returns add up to the line's total exactly.
- Refunds go back to the original non-cash tenders up to what each paid and has not had
  back (cards when ``RefundPolicy.card_to_card``, through the terminal; gift cards and loyalty
  points when ``to_tenders``, credited by the hub), the rest in cash rounded to the smallest coin
  (the rounding is its own line, as on a sale).
- A return without a receipt, and an offline return of another till's sale, need the
  permission or a manager's approval, and a reason.
- An exchange is a return and a sale recorded together: the returned goods pay for the new
  ones as exchange credit; if they are worth more, the difference is refunded.
- A gift card line is never returned: its money is on the card (the customer spends it).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from pos.catalog import Product, VatRate
from pos.errors import PosError
from pos.gift_cards.records import GIFT_CARD_CODE
from pos.i18n import N_
from pos.money import Money, money_sum, round_money
from pos.quantity import check_quantity
from pos.sale import Cashier, Sale, SaleLine
from pos.store_day.approval import ApprovalRecord
from pos.store_day.roles import DEFAULT_TABLE, Action, PermissionTable, StaffMember
from pos.store_day.shift import authorise
from pos.store_day.tenders import CARD, EXCHANGE_CREDIT, CardApproval, Settlement, cash_refund
from pos.tax import TaxLine, tax_breakdown
from pos.tender import CASH, CashPolicy, Payment


class OtherStoreSale(PosError):
    message = N_("That receipt is from another store ({store}): it cannot be returned here.")


class LineNotInSale(PosError):
    message = N_("That line is not in the sale (or was voided).")


class NothingToReturn(PosError):
    message = N_("Choose what to return first.")


class ReturnTooMuch(PosError):
    message = N_("{name}: {asked} cannot be returned, only {left} is left to return.")


class GiftCardNotReturnable(PosError):
    message = N_("A gift card cannot be returned: its money is on the card, to spend on goods.")


class ReasonNeeded(PosError):
    message = N_("Choose a reason for this return.")


@dataclass(frozen=True, slots=True)
class RefundPolicy:
    """Where refunds go: card payments back to the card (through the terminal) when
    ``card_to_card``; the other non-cash tenders (gift cards, loyalty points: no terminal
    needed, the hub credits them) back to themselves when ``to_tenders``; the rest in cash."""

    card_to_card: bool = True
    to_tenders: bool = True


@dataclass(frozen=True, slots=True)
class ReturnContext:
    """Where, by whom and under which rules a return is made."""

    store_id: str
    till_id: str
    who: StaffMember
    now: datetime
    cash: CashPolicy = field(default_factory=CashPolicy)
    refunds: RefundPolicy = field(default_factory=RefundPolicy)
    table: PermissionTable = DEFAULT_TABLE


@dataclass(frozen=True, slots=True)
class NewGoods:
    """The sale an exchange makes: its id (the basket's) and its total."""

    sale_id: uuid.UUID
    total: Money


@dataclass(frozen=True, slots=True)
class ReturnLine:
    line_id: uuid.UUID
    sold_line_id: uuid.UUID | None  # None without a receipt
    product_code: str
    barcode: str
    name: str
    quantity: Decimal
    unit_price: Money
    total: Money  # what this line gives back (positive)
    vat: VatRate
    sold_by_weight: bool


@dataclass(frozen=True, slots=True)
class Refund:
    payment: Payment  # method, amount paid back (positive)
    original_payment_id: uuid.UUID | None
    card: CardApproval | None = None  # the terminal's approval of a card refund, once given


@dataclass(frozen=True, slots=True)
class ReturnDocument:
    return_id: uuid.UUID
    return_number: int  # gapless per till, 0 until the journal assigns it
    store_id: str
    till_id: str
    cashier: Cashier
    returned_at: datetime
    currency: str
    original_sale_id: uuid.UUID | None
    original_till_id: str
    original_receipt_number: int
    lines: tuple[ReturnLine, ...]
    taxes: tuple[TaxLine, ...]
    total: Money  # sum of the line totals (positive)
    rounding: Money  # cash rounding of the refund: refunded = total + rounding
    refunds: tuple[Refund, ...]
    approval_ids: tuple[uuid.UUID, ...]  # the managers' approvals it needed
    reason: str
    exchange_sale_id: uuid.UUID | None = None  # the new sale of an exchange, recorded with it
    # An offline return of another till's sale: the sale its receipt's code names, which the
    # till could not check (no sold lines named); the hub reconciles it (kassa.return.v2).
    unchecked_sale_id: uuid.UUID | None = None

    @property
    def refunded(self) -> Money:
        return money_sum([r.payment.amount for r in self.refunds], self.currency)


def returnable(sale: Sale, already_returned: Mapping[uuid.UUID, Decimal]) -> dict[uuid.UUID, Decimal]:
    """Per sold line (voided lines are not sold): what is left to return."""
    return {
        line.line_id: line.quantity - already_returned.get(line.line_id, Decimal(0))
        for line in sale.lines
        if not line.voided
    }


def line_refund(line: SaleLine, before: Decimal, returning: Decimal) -> Money:
    """The share of the line's total for ``returning`` more after ``before`` already returned:
    the rounded share of everything returned so far minus that of what was returned before,
    so the refunds of a line add up to its total when all of it is back."""

    def share(quantity: Decimal) -> Money:
        return round_money(Money(line.total.amount * quantity / line.quantity, line.total.currency))

    return share(before + returning) - share(before)


def plan_refunds(amount: Money, sale: Sale | None, already_refunded: Mapping[uuid.UUID, Money],
                 policy: RefundPolicy, cash: CashPolicy) -> tuple[tuple[Refund, ...], Money]:
    """How ``amount`` goes back: to the sale's non-cash tenders first, then cash.  Returns the
    refunds and the cash rounding."""
    zero = Money.zero(amount.currency)
    rest, refunds = amount, []
    payments = sale.payments if sale is not None else ()
    if policy.card_to_card or policy.to_tenders:
        for p in payments:
            if p.method in (CASH, EXCHANGE_CREDIT) or rest.is_zero():
                continue
            if not (policy.card_to_card if p.method == CARD else policy.to_tenders):
                continue
            room = p.amount - already_refunded.get(p.payment_id, zero)
            take = min(rest, room, key=lambda m: m.amount)
            if take.amount > 0:
                refunds.append(Refund(Payment(uuid.uuid4(), p.method, take, take, zero), p.payment_id))
                rest = rest - take
    rounding = zero
    if rest.amount > 0:
        paid, rounding = cash_refund(rest, cash)
        cash_id = next((p.payment_id for p in payments if p.method == CASH), None)
        if paid.amount > 0:
            refunds.append(Refund(Payment(uuid.uuid4(), CASH, paid, paid, zero), cash_id))
    return tuple(refunds), rounding


def _checked_quantity(line: SaleLine, quantity: Decimal, left: Decimal) -> Decimal:
    quantity = check_quantity(quantity, sold_by_weight=line.sold_by_weight, name=line.name)
    if quantity > left:
        raise ReturnTooMuch(name=line.name, asked=quantity, left=max(left, Decimal(0)))
    return quantity


def return_from_sale(
    sale: Sale,
    wanted: Mapping[uuid.UUID, Decimal],
    ctx: ReturnContext,
    *,
    already_returned: Mapping[uuid.UUID, Decimal],
    already_refunded: Mapping[uuid.UUID, Money],
    hub_confirmed: bool,
    approvals: tuple[ApprovalRecord, ...] = (),
    reason: str = "",
    exchange_for: NewGoods | None = None,
) -> ReturnDocument:
    """A return of part or all of ``sale``.  ``hub_confirmed``: the hub answered for this
    sale's returns (needed for a sale of another till, else a manager approves).
    ``exchange_for``: the new sale of an exchange (the returned goods pay for it first)."""
    if sale.store_id != ctx.store_id:
        raise OtherStoreSale(store=sale.store_id)
    authorise(ctx.table, ctx.who, Action.RETURN_WITH_RECEIPT, *approvals)
    if sale.till_id != ctx.till_id and not hub_confirmed:
        authorise(ctx.table, ctx.who, Action.RETURN_OTHER_TILL_OFFLINE, *approvals)
        if not reason:
            raise ReasonNeeded()
    asked = {line_id: q for line_id, q in wanted.items() if q != 0}
    if not asked:
        raise NothingToReturn()
    left = returnable(sale, already_returned)
    by_id = {line.line_id: line for line in sale.lines}
    lines = []
    for line_id, quantity in asked.items():
        if line_id not in left:
            raise LineNotInSale()
        sold = by_id[line_id]
        if sold.product_code == GIFT_CARD_CODE:
            raise GiftCardNotReturnable()
        quantity = _checked_quantity(sold, quantity, left[line_id])
        before = already_returned.get(line_id, Decimal(0))
        lines.append(ReturnLine(uuid.uuid4(), line_id, sold.product_code, sold.barcode, sold.name, quantity,
                                sold.unit_price, line_refund(sold, before, quantity), sold.vat, sold.sold_by_weight))
    return _document(tuple(lines), ctx, sale, already_refunded, approvals, reason, exchange_for)


def return_without_receipt(items: Sequence[tuple[Product, Decimal]], ctx: ReturnContext, *,
                           approvals: tuple[ApprovalRecord, ...], reason: str,
                           exchange_for: NewGoods | None = None) -> ReturnDocument:
    """Goods brought back without a receipt: at today's price, paid back in cash."""
    authorise(ctx.table, ctx.who, Action.RETURN_WITHOUT_RECEIPT, *approvals)
    if not reason:
        raise ReasonNeeded()
    if not items:
        raise NothingToReturn()
    lines = []
    for product, quantity in items:
        if product.code == GIFT_CARD_CODE:
            raise GiftCardNotReturnable()
        quantity = check_quantity(quantity, sold_by_weight=product.sold_by_weight, name=product.name)
        lines.append(ReturnLine(uuid.uuid4(), None, product.code, product.barcode, product.name, quantity,
                                product.price, round_money(product.price.times(quantity)), product.vat,
                                product.sold_by_weight))
    return _document(tuple(lines), ctx, None, {}, approvals, reason, exchange_for)


def _document(lines: tuple[ReturnLine, ...], ctx: ReturnContext, sale: Sale | None,
              already_refunded: Mapping[uuid.UUID, Money], approvals: tuple[ApprovalRecord, ...],
              reason: str, exchange_for: NewGoods | None) -> ReturnDocument:
    currency = lines[0].total.currency
    total = money_sum([line.total for line in lines], currency)
    credit = exchange_credit(total, exchange_for.total) if exchange_for is not None else Money.zero(currency)
    refunds, rounding = plan_refunds(total - credit, sale, already_refunded, ctx.refunds, ctx.cash)
    if credit.amount > 0:
        zero = Money.zero(currency)
        refunds = (Refund(Payment(uuid.uuid4(), EXCHANGE_CREDIT, credit, credit, zero), None), *refunds)
    return ReturnDocument(
        return_id=uuid.uuid4(), return_number=0, store_id=ctx.store_id, till_id=ctx.till_id,
        cashier=ctx.who.cashier, returned_at=ctx.now, currency=currency,
        original_sale_id=sale.sale_id if sale else None, original_till_id=sale.till_id if sale else "",
        original_receipt_number=sale.receipt_number if sale else 0, lines=lines,
        taxes=tax_breakdown(((line.vat, line.total) for line in lines), currency), total=total,
        rounding=rounding, refunds=refunds, approval_ids=tuple(a.approval_id for a in approvals),
        reason=reason, exchange_sale_id=exchange_for.sale_id if exchange_for is not None else None,
    )


def exchange_credit(returned_total: Money, new_total: Money) -> Money:
    """How much of the returned goods' value pays for the new goods."""
    return min(returned_total, new_total, key=lambda m: m.amount)


def exchange_settlement(returned: ReturnDocument, new_total: Money, cash: CashPolicy) -> Settlement:
    """The new goods' payment, with the returned goods' credit already in it; the customer
    pays what is left (if anything) with the usual tenders."""
    settlement = Settlement(new_total, cash)
    credit = exchange_credit(returned.total, new_total)
    if credit.amount > 0:
        settlement.add_credit(credit)
    return settlement


def net_due(returned: ReturnDocument, new_total: Money) -> Money:
    """What the customer pays in an exchange (negative: what they get back)."""
    return new_total - returned.total
