"""Ports: what the domain needs from the outside world.  Adapters implement these
Protocols (local_db for storage, hardware for devices); tests may use in-memory ones."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from pos.catalog import Product
from pos.pricing.promotion import PromotionSet
from pos.receipt import Receipt
from pos.sale import Cashier, Sale

if TYPE_CHECKING:
    from pos.report_layout import ReportPrintout
    from pos.return_layout import ReturnPrintout


class Catalog(Protocol):
    def by_barcode(self, gtin: str) -> Product | None: ...

    def by_code(self, code: str) -> Product | None:
        """A product by the shop's product code or a weighed item's PLU."""
        ...

    def search(self, text: str, limit: int = 50) -> list[Product]:
        """Full-text, prefix search over name, brand and code."""
        ...


class PromotionSource(Protocol):
    def current(self) -> PromotionSet:
        """Every promotion and cap the till holds now (a new sale takes them; an open one keeps
        the set it started with).  Raises a ``PosError`` when they cannot be read."""
        ...


class SaleJournal(Protocol):
    def record_sale(self, sale: Sale) -> Sale:
        """In one durable transaction: the sale with lines and payments, the next gapless
        receipt number, an outbox row, a print job, and the removal of the open basket.
        Returns the sale with its receipt number.  Raises StorageProblem and records
        nothing if any part fails.  Recording a sale_id that is already recorded returns
        the recorded sale unchanged (a retry never makes a second sale)."""
        ...

    def get_sale(self, sale_id: uuid.UUID) -> Sale | None: ...

    def sale_by_receipt_number(self, receipt_number: int) -> Sale | None: ...

    def recent_sales(self, limit: int = 20) -> list[Sale]: ...

    def next_receipt_number(self) -> int: ...

    def unsent_count(self) -> int:
        """Sales recorded but not yet acknowledged by the hub (outbox rows)."""
        ...


class OpenBasketStore(Protocol):
    """Keeps the basket being built, so a crash or power cut does not lose it."""

    def save_basket(self, snapshot: dict[str, Any]) -> None: ...

    def load_basket(self) -> dict[str, Any] | None: ...

    def discard_basket(self) -> None: ...


@dataclass(frozen=True, slots=True)
class PrintJob:
    job_id: int
    sale_id: uuid.UUID
    is_copy: bool
    attempts: int


class PrintQueue(Protocol):
    def pending_jobs(self) -> list[PrintJob]: ...

    def mark_printed(self, job_id: int) -> None: ...

    def mark_failed(self, job_id: int, reason: str) -> None:
        """The job stays pending, with one more attempt and the reason kept."""
        ...

    def enqueue_copy(self, sale_id: uuid.UUID) -> None: ...


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """One sale waiting to be sent to the hub (see sync/outbox.py for the contract)."""

    seq: int
    sale_id: uuid.UUID
    kind: str  # "kassa.sale.v1"
    payload: str  # JSON
    created_at: datetime


class ReceiptPrinter(Protocol):
    def print_receipt(self, receipt: Receipt) -> None:
        """Print or raise a DeviceProblem (absent, off, out of paper...)."""
        ...

    def print_report(self, printout: ReportPrintout) -> None:
        """Print an X or Z report now (not queued), or raise a DeviceProblem."""
        ...

    def print_return(self, printout: ReturnPrintout) -> None:
        """Print a return receipt now (not queued), or raise a DeviceProblem."""
        ...

    def open_drawer(self, pin: int) -> None:
        """Kick the cash drawer on the printer's drawer port (pin 2 or 5), or raise a DeviceProblem."""
        ...


class CashierDirectory(Protocol):
    def sign_in(self, cashier_code: str, pin: str) -> Cashier | None: ...


@dataclass(frozen=True, slots=True)
class AttemptHistory:
    """The wrong PINs typed for one cashier number since its last good sign-in."""

    wrong_in_a_row: int = 0
    last_wrong_at: datetime | None = None


class SignInAttempts(Protocol):
    """The sign-in audit: every attempt by cashier number (typed, known or not), never the PIN."""

    def history(self, cashier_code: str) -> AttemptHistory: ...

    def record(self, cashier_code: str, outcome: str, at: datetime, locked_until: datetime | None = None) -> None:
        """Raise a StorageProblem when the attempt cannot be written."""
        ...


class Clock(Protocol):
    def now(self) -> datetime:
        """Timezone-aware current time."""
        ...
