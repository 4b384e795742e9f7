"""The return receipt, printed after a return and again as a copy from the manager's journal,
with the card each gift card refund goes back on.

``ReceiptSpooler.print_return`` prints a ``ReturnDocument`` alone; a refund to a gift card
payment then says only "Gift card".  When the original sale was paid by gift card the
printout is given that sale's ``gift_card_payments`` so the refund says "Back on gift card
**** 9015" (``pos.return_layout``).  A copy is printed the same way, with the same reason's
label and the same cards (``copy_of_return``: the original sale from this till's journal, or
from the hub for another till's sale), so it reads as the first print did, marked COPY.
Printing runs on the printer worker and raises the printer's DeviceProblem as the spooler
does; ``copy_of_return`` runs on the till worker."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from pos.errors import DeviceProblem, PosError
from pos.gift_cards.records import GIFT_CARD, GiftCardPayment
from pos.printing import ReceiptSpooler
from pos.return_layout import ReturnPrintout
from pos.store_day.returns import ReturnDocument
from pos.store_day.returns_desk import HubLookup
from pos.till import Till

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ReturnCopy:
    """What a copy of a return receipt needs besides the document: its reason as printed and
    the original sale's gift card payments."""

    returned: ReturnDocument
    reason: str = ""
    gift_cards: tuple[GiftCardPayment, ...] = ()


def print_return(spooler: Any, returned: ReturnDocument, reason: str,
                 gift_cards: tuple[GiftCardPayment, ...] = (), *, copy: bool = False) -> None:
    if not gift_cards or not isinstance(spooler, ReceiptSpooler):
        spooler.print_return(returned, copy=copy, reason=reason)
        return
    try:
        spooler.printer.print_return(ReturnPrintout(returned, spooler.store, reason, copy, gift_cards))
    except DeviceProblem as problem:
        log.warning("return %d not printed: %s", returned.return_number, problem)
        raise


def print_copy(spooler: Any, copy: ReturnCopy) -> None:
    print_return(spooler, copy.returned, copy.reason, copy.gift_cards, copy=True)


def reason_label(till: Till, code: str) -> str:
    """The chain's label of a return reason ("" when the till has none: the code is printed)."""
    day = till.day
    if day is None:
        return ""
    return next((r.label for r in day.rules.reasons.reasons if r.code == code), "")


def copy_of_return(till: Till, returned: ReturnDocument, hub: HubLookup | None = None) -> ReturnCopy:
    """A return's copy as its first print was: the reason's label and, for a refund to a gift
    card, the cards of the original sale (this till's journal, else the hub; none when neither
    can say: the refund then says "Gift card")."""
    return ReturnCopy(returned, reason_label(till, returned.reason), _gift_cards(till, returned, hub))


def _gift_cards(till: Till, returned: ReturnDocument, hub: HubLookup | None) -> tuple[GiftCardPayment, ...]:
    sale_id = returned.original_sale_id
    if sale_id is None or not any(f.payment.method == GIFT_CARD for f in returned.refunds):
        return ()
    sale = till.journal.get_sale(sale_id)
    if sale is not None:
        return sale.gift_card_payments
    if hub is None:
        return ()
    try:
        answer = hub(sale_id)
    except PosError as error:  # HubOffline, a SyncError: the copy says "Gift card"
        log.warning("the copy of return %d names no gift card: %s", returned.return_number, error)
        return ()
    return () if answer is None else answer.sale.gift_card_payments
