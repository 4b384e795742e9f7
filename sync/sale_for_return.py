"""Reading the hub's answer to ``GET /v1/sales/{sale_id}`` (a sale of another till of the
store, for a return): the sale (``pos.codec``: ``kassa.sale.v1`` or ``v2``), what every till
has returned of it per sold line, and refunded per payment.

``read_sale_for_return`` raises ``UnusableSale`` with a short reason for anything the till
cannot trust (another sale than the one asked, a sale that does not read, a figure that is
not a number or is negative): the client turns it into ``BadAnswer``.  Figures about a line
or a payment the sale does not have are left out (logged): a return the hub took before the
sale arrived may name them, and the sale must stay returnable.
"""

from __future__ import annotations

import logging
import uuid
from decimal import Decimal, InvalidOperation

from pos.codec import sale_from_dict
from pos.errors import PosError
from pos.money import Money
from pos.sale import Sale
from sync.answers import SaleForReturnAnswer

log = logging.getLogger(__name__)

SaleForReturn = tuple[Sale, dict[uuid.UUID, Decimal], dict[uuid.UUID, Money]]
_UNREADABLE = (PosError, ValueError, ArithmeticError, TypeError, KeyError, AttributeError, IndexError, RecursionError)


class UnusableSale(ValueError):
    """The answer cannot be used; the text says why (one line)."""


def read_sale_for_return(answer: SaleForReturnAnswer, asked: uuid.UUID) -> SaleForReturn:
    if answer.sale_id != str(asked):
        raise UnusableSale(f"asked for sale {asked}, the answer is of {answer.sale_id[:40]!r}")
    try:
        sale = sale_from_dict(answer.sale)
    except _UNREADABLE as error:
        raise UnusableSale(f"the sale in the answer does not read ({type(error).__name__}: {str(error)[:120]})") from None
    if sale.sale_id != asked:
        raise UnusableSale(f"asked for sale {asked}, the answer holds sale {sale.sale_id}")
    lines = {line.line_id for line in sale.lines}
    payments = {payment.payment_id for payment in sale.payments}
    returned: dict[uuid.UUID, Decimal] = {}
    for line in answer.returned:
        line_id, quantity = _uuid(line.sold_line_id, "a returned line"), _decimal(line.quantity, "a returned quantity")
        if line_id not in lines:
            log.warning("the hub counts returns of line %s, which sale %s does not have: left out", line_id, asked)
            continue
        returned[line_id] = returned.get(line_id, Decimal(0)) + quantity
    refunded: dict[uuid.UUID, Money] = {}
    for payment in answer.refunded:
        payment_id = _uuid(payment.payment_id, "a refunded payment")
        amount = Money(_decimal(payment.amount, "a refunded amount"), sale.currency)
        if payment_id not in payments:
            log.warning("the hub counts refunds to payment %s, which sale %s does not have: left out", payment_id, asked)
            continue
        refunded[payment_id] = refunded[payment_id] + amount if payment_id in refunded else amount
    return sale, returned, refunded


def _uuid(text: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise UnusableSale(f"{what} is named {text[:40]!r}, not a UUID") from None


def _decimal(text: str, what: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise UnusableSale(f"{what} is {text[:40]!r}, not a number") from None
    if not value.is_finite() or value < 0:
        raise UnusableSale(f"{what} is {text[:40]!r}, not a number of at least 0")
    return value
