"""The return receipt printed after a return, with the card each gift card refund goes back on.

``ReceiptSpooler.print_return`` prints a ``ReturnDocument`` alone; a refund to a gift card
payment then says only "Gift card".  When the original sale was paid by gift card the
printout is given that sale's ``gift_card_payments`` so the refund says "Back on gift card
**** 9015" (``pos.return_layout``).  Runs on the printer worker; raises the printer's
DeviceProblem as the spooler does."""

from __future__ import annotations

import logging
from typing import Any

from pos.errors import DeviceProblem
from pos.gift_cards.records import GiftCardPayment
from pos.printing import ReceiptSpooler
from pos.return_layout import ReturnPrintout
from pos.store_day.returns import ReturnDocument

log = logging.getLogger(__name__)


def print_return(spooler: Any, returned: ReturnDocument, reason: str,
                 gift_cards: tuple[GiftCardPayment, ...] = ()) -> None:
    if not gift_cards or not isinstance(spooler, ReceiptSpooler):
        spooler.print_return(returned, reason=reason)
        return
    try:
        spooler.printer.print_return(ReturnPrintout(returned, spooler.store, reason, gift_cards=gift_cards))
    except DeviceProblem as problem:
        log.warning("return %d not printed: %s", returned.return_number, problem)
        raise
