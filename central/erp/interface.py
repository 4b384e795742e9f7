"""What the hub hands an ERP, and the one small interface an ERP's connector implements.

The hub's delivery (central/erp/delivery.py) knows nothing of Tryton: it turns each stored sale
into an :class:`ErpSale` and calls :meth:`ErpConnector.deliver_sale`.  A second ERP (Odoo, a CSV
drop, a chain's own API) is one more class with these methods, chosen in central/erp/erp_cli.py.

The rules a connector keeps:

* **Exactly once.** ``deliver_sale`` first looks the sale up by its reference (the sale id, unique
  forever) and creates it only when the ERP does not hold it; a sale already there, already
  processed or posted, is success.  A crash after the ERP committed, or an answer lost on the way
  back, therefore never makes a second document.
* **Faults say what to do.** A fault the ERP or the network may get over by itself (down, slow,
  busy, a conflict) is :class:`ErpUnavailable`: the hub tries again later with backoff.  A fault
  that waits for a person (a wrong password, a user without rights, a product or a point of sale
  the ERP does not have, a document the ERP refuses) is :class:`ErpRefused`: the hub keeps the
  sale as failed with the reason, until someone fixes it and runs ``kassa-hub erp deliver --retry``.
  Each fault's text is for IT: it names what is missing and never carries a password.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True, slots=True)
class ErpLine:
    product_code: str  # the catalog's code (a mapped code when the till sold an unknown one)
    quantity: Decimal  # negative in a return
    unit_price: Decimal  # VAT included, after the line's discounts: the price the customer paid
    total: Decimal  # VAT included, after discounts: what the line adds to the sale
    vat_percent: Decimal  # the rate the till charged, e.g. 20


@dataclass(frozen=True, slots=True)
class ErpPayment:
    method: str  # the till's tender: cash, card, points, gift_card
    amount: Decimal  # what it settled of the lines' total (cash: less the change)


@dataclass(frozen=True, slots=True)
class ErpSale:
    reference: str  # the sale's id: the ERP's unique outside reference
    store_id: str
    till_id: str
    receipt_number: int
    completed_at: datetime  # the till's time (UTC)
    day: date  # the store's business day: completed_at's local date in the store's time zone
    currency: str
    lines: tuple[ErpLine, ...]
    payments: tuple[ErpPayment, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal(0))


@dataclass(frozen=True, slots=True)
class ErpShiftClosing:
    """A till's Z report with its shift's count: the ERP closes the till's cash session with it."""

    reference: str  # the Z report's document id: unique forever
    store_id: str
    till_id: str
    z_number: int
    shift_id: str
    closed_at: datetime  # the till's time (UTC)
    day: date  # the store's business day: closed_at's local date in the store's time zone
    currency: str
    opening_float: Decimal
    expected_cash: Decimal  # the float, cash taken less refunded, cash put in less taken out
    counted_cash: Decimal  # the drawer counted at the close; the difference is counted - expected
    sale_references: tuple[str, ...]  # the shift's sales (their references in the ERP)


@dataclass(frozen=True, slots=True)
class Delivered:
    erp_reference: str  # the ERP's own name for the document (Tryton: the POS sale's id and number)
    already_there: bool = False  # it was found by its reference: delivered before, answer lost


class ErpFault(Exception):
    """A delivery that did not happen; ``reason`` is one line for IT (no secrets)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason[:500]


class ErpUnavailable(ErpFault):
    """The ERP could not be reached or was busy: try again later, with backoff."""


class ErpRefused(ErpFault):
    """The ERP refused it for a reason a person must fix first; then ``erp deliver --retry``."""


class ErpConnector(Protocol):
    """One ERP.  Calls come from one thread at a time; ``close`` ends the session."""

    def describe(self) -> str:
        """Where it delivers (URL and database, never the password), for ``erp status``."""
        ...

    def check(self) -> str:
        """Sign in and say what the ERP has that delivery needs (``erp connect``); faults as above."""
        ...

    def deliver_sale(self, sale: ErpSale) -> Delivered:
        """Make ``sale`` the ERP's, exactly once (look it up by reference first)."""
        ...

    def close_shift(self, closing: ErpShiftClosing) -> Delivered:
        """Close the till's cash session with the counted cash, the difference visible, exactly once
        (a session found closed or posted is success); called only after the shift's sales went."""
        ...

    def close(self) -> None: ...
