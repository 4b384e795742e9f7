"""Returns and exchanges at the till (use cases on the till worker, like ``Till``).

1. ``find_sale(till, text, hub)``: the sale a receipt's code (``pos.receipt_code``) or a
   receipt number of this till names: this till's journal first, else the hub (``hub``: a
   callable the window builds over ``sync``, so pos stays pure); for this till's own sale
   the hub is asked too when it can be, for what other tills gave back of it.  Another store's sale, a
   code for no sale, a number no receipt has: a clear refusal.  Another till's sale while the
   hub cannot be reached: ``UncheckedSale`` - the goods are returned as scanned (today's
   price, cash), under a manager's approval (RETURN_OTHER_TILL_OFFLINE) and a reason; the
   hub reconciles it when the document arrives (it is the arbiter of what was returned).
2. ``preview(till, asked)``: the return document as it would be recorded (lines, refunds per
   tender, rounding), for the dialog to show; every refusal (more than sold...) comes here.
3. ``make_return(till, asked, approval_id=..., terminal=...)``: the permission (the role, or
   the manager's approval bound to the action, the amount and the sale: ``till.day.authorise``
   raises ``NeedsApproval`` otherwise), card refunds through the terminal (under an id the
   same return asks again after "check the terminal" or a crash: ``refund_payment_id``, so a
   card is never refunded twice), then ONE journal transaction (``record_return``) with its
   gapless number and outbox row.
4. ``make_exchange(till, asked, cash_text, ...)``: the returned goods pay for the open
   basket (exchange credit); the customer pays the rest in cash, or gets the difference back
   per the refund plan; the return and the new sale are ONE transaction (``record_exchange``),
   then ``till.complete(sale)`` opens a new basket.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Protocol, cast

from pos.catalog import Product
from pos.errors import PosError
from pos.i18n import N_
from pos.money import BadAmount, Money, money_sum, parse_amount
from pos.payment_terminal import CardApproved, PaymentTerminal
from pos.quantity import shown
from pos.receipt_code import ReceiptCode, looks_like_receipt_code, read_receipt_code
from pos.sale import Sale
from pos.scan import CodeScan, Words, read_scan
from pos.store_day.approval import ApprovalRecord
from pos.store_day.day import StoreDay
from pos.store_day.paid_sale import card_approvals, sale_paid_with
from pos.store_day.returns import (
    NewGoods,
    OtherStoreSale,
    RefundPolicy,
    ReturnContext,
    ReturnDocument,
    exchange_settlement,
    return_from_sale,
    return_without_receipt,
    returnable,
)
from pos.store_day.roles import Action, PermissionTable, Role
from pos.store_day.tenders import CARD, EXCHANGE_CREDIT, CardApproval, card_approval_from
from pos.till import BadCashAmount, NeedsWeight, Till, TillResult, UnknownBarcode, UnknownProductCode

MAX_RECEIPT_NUMBER_DIGITS = 9
REFUND_IDS = uuid.UUID("0b9c8a52-6a1e-4d7e-9d0f-2f5a7c3e1b64")  # namespace of card refund ids
_refused_refunds: dict[uuid.UUID, int] = {}  # a refund's first id -> its tries refused for good (this run)

# The preview is built for anyone (no approval spent yet): the permission is asked when it is made.
_PREVIEW_TABLE = PermissionTable({action: frozenset(Role) for action in Action})


class NotAReceipt(PosError):
    message = N_("“{text}” is neither a receipt's code nor a receipt number: scan the receipt's code, "
                 "or type its number.")


class NoSuchReceipt(PosError):
    message = N_("There is no receipt {number} in this till's journal: type the number again, or scan the "
                 "receipt's code.")


class NoSuchSale(PosError):
    message = N_("No sale has this receipt's code: check the receipt, or return the goods without a receipt.")


class HubOffline(PosError):
    """Raised by the window's hub lookup when the hub cannot be asked now."""

    message = N_("The hub cannot be reached to check this sale of till {till}.")


class StoreDayNeeded(PosError):
    message = N_("Returns need the store's day on this till (shifts and roles).")


class ExchangeNeedsGoods(PosError):
    message = N_("Scan the new goods first, then choose Exchange.")


class CardRefundFailed(PosError):
    message = N_("The card refund of {amount} did not go through ({reason}). Nothing was recorded: "
                 "try again, or refund in cash.")


class ReturnsJournal(Protocol):
    """What the returns need of the journal (local_db.store_day_journal.SqlStoreDay)."""

    def already_returned(self, sale_id: uuid.UUID) -> dict[uuid.UUID, Decimal]: ...

    def already_refunded(self, sale_id: uuid.UUID) -> dict[uuid.UUID, Money]: ...

    def record_return(self, returned: ReturnDocument) -> ReturnDocument: ...

    def record_exchange(self, returned: ReturnDocument, sale: Sale,
                        cards: Mapping[uuid.UUID, CardApproval] | None = None) -> tuple[ReturnDocument, Sale]: ...


@dataclass(frozen=True, slots=True)
class HubSale:
    """What the hub answers for a sale of another till: the sale and what every till of the
    store has returned of it (per sold line) and refunded (per payment)."""

    sale: Sale
    already_returned: Mapping[uuid.UUID, Decimal]
    already_refunded: Mapping[uuid.UUID, Money]


HubLookup = Callable[[uuid.UUID], "HubSale | None"]  # None: the hub holds no such sale; HubOffline: cannot ask


@dataclass(frozen=True, slots=True)
class FoundSale:
    sale: Sale
    already_returned: Mapping[uuid.UUID, Decimal]
    already_refunded: Mapping[uuid.UUID, Money]
    from_hub: bool  # another till's sale, answered by the hub

    def left(self) -> dict[uuid.UUID, Decimal]:
        """Per sold line: what is left to return."""
        return returnable(self.sale, self.already_returned)


@dataclass(frozen=True, slots=True)
class UncheckedSale:
    """Another till's sale the hub could not be asked about: its goods are scanned back."""

    code: ReceiptCode


@dataclass(frozen=True, slots=True)
class ReturnAsked:
    """What the cashier chose in the return dialog."""

    found: FoundSale | UncheckedSale | None  # None: without a receipt
    quantities: Mapping[uuid.UUID, Decimal] = field(default_factory=dict)  # by sold line (a FoundSale)
    items: Sequence[tuple[Product, Decimal]] = ()  # goods scanned back (no receipt, or an unchecked sale)
    reason: str = ""
    refund_in_cash: bool = False  # the cashier chose cash over the card (the card refund failed...)

    @property
    def action(self) -> Action:
        if isinstance(self.found, FoundSale):
            return Action.RETURN_WITH_RECEIPT
        if isinstance(self.found, UncheckedSale):
            return Action.RETURN_OTHER_TILL_OFFLINE
        return Action.RETURN_WITHOUT_RECEIPT

    @property
    def sale_id(self) -> uuid.UUID | None:
        """The sale an approval is bound to."""
        if isinstance(self.found, FoundSale):
            return self.found.sale.sale_id
        if isinstance(self.found, UncheckedSale):
            return self.found.code.sale_id
        return None


# -- finding the sale ----------------------------------------------------------------------
def find_sale(till: Till, text: str, hub: HubLookup | None) -> FoundSale | UncheckedSale:
    """The sale of a receipt's code or of a receipt number of this till (see the module)."""
    day = _day(till)
    text = text.strip()
    if looks_like_receipt_code(text):
        code = read_receipt_code(text)
        if code.store_id != till.settings.store.store_id:
            raise OtherStoreSale(store=code.store_id)
        sale = till.journal.get_sale(code.sale_id)
        if sale is not None:
            return _own(day, sale, hub)
        if code.till_id == till.settings.store.till_id:
            raise NoSuchSale()
        return _from_hub(till, code, hub)
    if not (text.isascii() and text.isdigit() and 0 < len(text) <= MAX_RECEIPT_NUMBER_DIGITS and int(text) > 0):
        raise NotAReceipt(text=shown(text))
    sale = till.journal.sale_by_receipt_number(int(text))
    if sale is None:
        raise NoSuchReceipt(number=int(text))
    return _own(day, sale, hub)


def _own(day: StoreDay, sale: Sale, hub: HubLookup | None) -> FoundSale:
    """This till's sale: what its journal gave back, and what other tills did when the hub
    can say (the larger figure of each line and payment: the hub's holds this till's sent
    returns, the lookup adds the unsent ones)."""
    journal = _journal(day)
    returned: dict[uuid.UUID, Decimal] = dict(journal.already_returned(sale.sale_id))
    refunded: dict[uuid.UUID, Money] = dict(journal.already_refunded(sale.sale_id))
    answer = None
    if hub is not None:
        try:
            answer = hub(sale.sale_id)
        except HubOffline:
            answer = None  # not sent yet, or the hub is away: no other till can have it back
    if answer is not None:
        for line_id, quantity in answer.already_returned.items():
            returned[line_id] = max(returned.get(line_id, Decimal(0)), quantity)
        for payment_id, amount in answer.already_refunded.items():
            mine = refunded.get(payment_id)
            refunded[payment_id] = amount if mine is None or amount.amount > mine.amount else mine
    return FoundSale(sale, returned, refunded, False)


def _from_hub(till: Till, code: ReceiptCode, hub: HubLookup | None) -> FoundSale | UncheckedSale:
    if hub is None:
        return UncheckedSale(code)
    try:
        answer = hub(code.sale_id)
    except HubOffline:
        return UncheckedSale(code)
    if answer is None or answer.sale.sale_id != code.sale_id:
        raise NoSuchSale()
    if answer.sale.store_id != till.settings.store.store_id:
        raise OtherStoreSale(store=answer.sale.store_id)
    return FoundSale(answer.sale, answer.already_returned, answer.already_refunded, True)


def merged_with_own(answer: HubSale, own_returned: Mapping[uuid.UUID, Decimal],
                    own_refunded: Mapping[uuid.UUID, Money]) -> HubSale:
    """The hub's figures plus this till's returns of the sale the hub has not acknowledged yet."""
    returned = dict(answer.already_returned)
    for line_id, quantity in own_returned.items():
        returned[line_id] = returned.get(line_id, Decimal(0)) + quantity
    refunded = dict(answer.already_refunded)
    for payment_id, amount in own_refunded.items():
        refunded[payment_id] = refunded[payment_id] + amount if payment_id in refunded else amount
    return HubSale(answer.sale, returned, refunded)


def product_for(till: Till, text: str) -> tuple[Product, Decimal]:
    """A product scanned (or its code typed) to take back without a receipt, with the
    quantity the code carries (a scale label's weight) or 1."""
    reading = read_scan(text, till.settings.layout)
    if isinstance(reading, Words):
        raise UnknownProductCode(code=shown(text)[:40])
    assert isinstance(reading, CodeScan)
    for code in reading.codes:
        found = till.catalog.by_code(code) if reading.by_product_code else till.catalog.by_barcode(code)
        if found is not None:
            quantity = reading.quantity if reading.quantity is not None else reading.net_weight
            if quantity is None:
                if found.sold_by_weight:
                    raise NeedsWeight(name=found.name, code=reading.codes[0], weight=Decimal("0.350"))
                quantity = Decimal(1)
            return found, quantity
    if reading.by_product_code:
        raise UnknownProductCode(code=reading.codes[0])
    raise UnknownBarcode(code=reading.scanned)


# -- the return ----------------------------------------------------------------------------
def preview(till: Till, asked: ReturnAsked, *, terminal: PaymentTerminal | None = None,
            exchange_for: NewGoods | None = None) -> ReturnDocument:
    """The return as it would be recorded (no permission asked, nothing recorded)."""
    return _document(till, asked, (), _PREVIEW_TABLE, terminal, exchange_for)


def make_return(till: Till, asked: ReturnAsked, *, approval_id: uuid.UUID | None = None,
                terminal: PaymentTerminal | None = None) -> ReturnDocument:
    """Record the return (see the module); ``NeedsApproval`` when a manager must approve."""
    day = _day(till)
    day.require_selling()
    record = _authorise(till, asked, approval_id, preview(till, asked, terminal=terminal).total)
    returned = _document(till, asked, record, day.rules.permissions, terminal, None)
    returned = _refund_cards(returned, terminal, _refunded(asked))
    return _journal(day).record_return(returned)


@dataclass(frozen=True, slots=True)
class Exchanged:
    returned: ReturnDocument
    result: TillResult  # the new sale (result.sale), a new basket open


def exchange_due(till: Till, asked: ReturnAsked, terminal: PaymentTerminal | None = None) -> Money:
    """What the customer pays for the new goods after the credit (negative: gets back)."""
    basket = _new_goods(till)
    returned = preview(till, asked, terminal=terminal, exchange_for=basket)
    settlement = exchange_settlement(returned, basket.total, till.settings.cash)
    if settlement.is_settled():
        back = money_sum([f.payment.amount for f in returned.refunds if f.payment.method != EXCHANGE_CREDIT],
                         basket.total.currency)
        return Money.zero(basket.total.currency) - back
    return settlement.cash_due()


def make_exchange(till: Till, asked: ReturnAsked, cash_text: str = "", *, approval_id: uuid.UUID | None = None,
                  terminal: PaymentTerminal | None = None) -> Exchanged:
    """The return pays for the open basket; the rest in cash (``cash_text``, "" = exact), or
    the difference back; both recorded in one transaction, then a new basket opens."""
    day = _day(till)
    day.require_selling()
    cashier = till.staff().cashier
    goods = _new_goods(till)
    record = _authorise(till, asked, approval_id, preview(till, asked, terminal=terminal, exchange_for=goods).total)
    returned = _document(till, asked, record, day.rules.permissions, terminal, goods)
    settlement = exchange_settlement(returned, goods.total, till.settings.cash)
    if not settlement.is_settled():
        settlement.add_cash(settlement.cash_due() if not cash_text.strip() else _cash(till, cash_text))
    settled = settlement.settle()
    sale = sale_paid_with(till.basket, settled, **till.pricing_of_sale(), store_id=till.settings.store.store_id,
                          till_id=till.settings.store.till_id, cashier=cashier, completed_at=till.clock.now())
    sale = till.with_points(sale)  # the new goods earn points (the hub takes back the returned goods' points)
    returned = _refund_cards(returned, terminal, _refunded(asked))
    recorded_return, recorded_sale = _journal(day).record_exchange(returned, sale, card_approvals(settled))
    return Exchanged(recorded_return, till.complete(recorded_sale))


# -- helpers -------------------------------------------------------------------------------
def _day(till: Till) -> StoreDay:
    if till.day is None:
        raise StoreDayNeeded()
    return till.day


def _refunded(asked: ReturnAsked) -> Mapping[uuid.UUID, Money]:
    return asked.found.already_refunded if isinstance(asked.found, FoundSale) else {}


def _journal(day: StoreDay) -> ReturnsJournal:
    return cast(ReturnsJournal, day.journal)


def _new_goods(till: Till) -> NewGoods:
    if not till.basket.active_lines():
        raise ExchangeNeedsGoods()
    return NewGoods(till.basket.basket_id, till.priced().total)


def _cash(till: Till, text: str) -> Money:
    try:
        return parse_amount(text, till.settings.store.currency)
    except BadAmount:
        raise BadCashAmount(text=shown(text)) from None


def _authorise(till: Till, asked: ReturnAsked, approval_id: uuid.UUID | None,
               amount: Money) -> tuple[ApprovalRecord, ...]:
    record = _day(till).authorise(till.staff(), asked.action, approval_id=approval_id, amount=amount,
                                  sale_id=asked.sale_id)
    return () if record is None else (record,)


def _document(till: Till, asked: ReturnAsked, approvals: tuple[ApprovalRecord, ...], table: PermissionTable,
              terminal: PaymentTerminal | None, exchange_for: NewGoods | None) -> ReturnDocument:
    day = _day(till)
    store = till.settings.store
    to_card = day.rules.refunds.card_to_card and terminal is not None and not asked.refund_in_cash
    ctx = ReturnContext(store.store_id, store.till_id, till.staff(), till.clock.now(), till.settings.cash,
                        RefundPolicy(card_to_card=to_card, to_tenders=not asked.refund_in_cash), table)
    found = asked.found
    if isinstance(found, FoundSale):
        return return_from_sale(found.sale, asked.quantities, ctx, already_returned=found.already_returned,
                                already_refunded=found.already_refunded, hub_confirmed=True, approvals=approvals,
                                reason=asked.reason, exchange_for=exchange_for)
    if isinstance(found, UncheckedSale):  # the goods, under RETURN_OTHER_TILL_OFFLINE (spent above)
        ctx = replace(ctx, table=_PREVIEW_TABLE)
    returned = return_without_receipt(list(asked.items), ctx, approvals=approvals, reason=asked.reason,
                                      exchange_for=exchange_for)
    if isinstance(found, UncheckedSale):  # kassa.return.v2: the hub reconciles it against the sale
        returned = replace(returned, original_till_id=found.code.till_id, unchecked_sale_id=found.code.sale_id)
    return returned


def refund_payment_id(original_payment_id: uuid.UUID | None, refunded_before: Money, amount: Money,
                      attempt: int) -> uuid.UUID:
    """The id a card refund is asked under: the same return tried again (after "check the
    terminal", or after a crash) asks under the same id, which the terminal answers with its
    first outcome - never a second refund; once recorded, what was refunded before grows and
    the next refund has a new id.  ``attempt`` moves on only after a refusal for good."""
    return uuid.uuid5(REFUND_IDS, f"{original_payment_id}:{refunded_before.minor_units()}:"
                                  f"{amount.minor_units()}:{attempt}")


def _refund_cards(returned: ReturnDocument, terminal: PaymentTerminal | None,
                  already_refunded: Mapping[uuid.UUID, Money]) -> ReturnDocument:
    """Each card refund through the terminal, before anything is recorded."""
    if not any(f.payment.method == CARD for f in returned.refunds):
        return returned
    if terminal is None:
        raise CardRefundFailed(amount=returned.refunded, reason="no card terminal")
    refunds = []
    for refund in returned.refunds:
        if refund.payment.method == CARD:
            amount = refund.payment.amount
            before = (already_refunded.get(refund.original_payment_id, Money.zero(amount.currency))
                      if refund.original_payment_id is not None else Money.zero(amount.currency))
            first = refund_payment_id(refund.original_payment_id, before, amount, 0)
            attempt = _refused_refunds.get(first, 0)
            payment_id = refund_payment_id(refund.original_payment_id, before, amount, attempt)
            result = terminal.refund(payment_id, amount, refund.original_payment_id)
            if not isinstance(result, CardApproved) or result.amount != amount:
                if result.charged is False:  # refused for good: the next try is a new request
                    _refused_refunds[first] = attempt + 1
                reason = getattr(result, "reason", "") or type(result).__name__
                raise CardRefundFailed(amount=amount, reason=reason)
            refund = replace(refund, payment=replace(refund.payment, payment_id=payment_id),
                             card=card_approval_from(result))
        refunds.append(refund)
    return replace(returned, refunds=tuple(refunds))
