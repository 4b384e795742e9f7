"""In-memory implementations of the domain's ports: real behaviour, no storage.

They follow the port contracts (gapless numbers, idempotent record_sale, a print queue
that keeps failed jobs pending) so domain and UI tests can run without SQLite;
tests/local_db/test_journal_contract.py runs the same scenarios on MemoryJournal and the
SQLite journal to keep it so.  What the journal itself guarantees (gapless numbers across
restarts, atomic recording) is tested on SQLite only, never on these fakes."""

from __future__ import annotations

import itertools
import threading
import uuid
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from pos.barcode import with_check_digit
from pos.catalog import Product, VatRate
from pos.errors import DeviceProblem
from pos.money import Money
from pos.ports import PrintJob
from pos.receipt import Receipt, StoreInfo
from pos.sale import Cashier, Sale
from pos.tender import CashPolicy
from pos.till import Till, TillSettings

VAT_A = VatRate("A", Decimal("20"))
VAT_B = VatRate("B", Decimal("7"))
VAT_E = VatRate("E", Decimal("0"))


def product(code: str, name: str, price: str, vat: VatRate = VAT_A, *, weighed: bool = False, barcode: str | None = None) -> Product:
    if barcode is None:
        barcode = "" if weighed else with_check_digit("482" + code.zfill(9))
    return Product(code, name, "Brand", "Category", Money.of(price, "UAH"), vat, barcode, weighed)


SHAMPOO = product("1001", "Шампунь Herbal 250 мл", "89.90")
CREAM = product("1002", "Крем для рук 75 мл", "54.50", VAT_A)
VITAMINS = product("1003", "Вітаміни C 500", "120.00", VAT_B)
APPLES = product("20001", "Яблука Голден", "32.99", VAT_E, weighed=True)
DEMO_PRODUCTS = (SHAMPOO, CREAM, VITAMINS, APPLES)

STORE = StoreInfo(
    store_id="S001", name="Kassa Demo", address="Khreshchatyk 1, Kyiv", tax_id="12345678",
    till_id="T01", currency="UAH", locale="uk_UA",
)


class MemoryCatalog:
    def __init__(self, products: tuple[Product, ...] = DEMO_PRODUCTS) -> None:
        self.products = list(products)

    def by_barcode(self, gtin: str) -> Product | None:
        return next((p for p in self.products if p.barcode == gtin), None)

    def by_code(self, code: str) -> Product | None:
        return next((p for p in self.products if p.code == code or p.code == code.lstrip("0")), None)

    def search(self, text: str, limit: int = 50) -> list[Product]:
        words = text.casefold().split()
        return [p for p in self.products if all(w in p.name.casefold() for w in words)][:limit]


class MemoryJournal:
    """SaleJournal, PrintQueue and OpenBasketStore in one, like the SQLite adapter."""

    def __init__(self) -> None:
        self.sales: dict[uuid.UUID, Sale] = {}
        self.next_number = 1
        self.outbox: list[uuid.UUID] = []
        self.jobs: dict[int, PrintJob] = {}
        self.job_ids = itertools.count(1)
        self.basket: dict[str, Any] | None = None
        self.fail_next_record = False
        self.lock = threading.Lock()

    def record_sale(self, sale: Sale) -> Sale:
        with self.lock:
            if sale.sale_id in self.sales:
                return self.sales[sale.sale_id]
            if self.fail_next_record:
                self.fail_next_record = False
                from pos.errors import StorageProblem

                raise StorageProblem(reason="disk I/O error")
            numbered = replace(sale, receipt_number=self.next_number)
            self.next_number += 1
            self.sales[sale.sale_id] = numbered
            self.outbox.append(sale.sale_id)
            job_id = next(self.job_ids)
            self.jobs[job_id] = PrintJob(job_id, sale.sale_id, False, 0)
            self.basket = None
            return numbered

    def get_sale(self, sale_id: uuid.UUID) -> Sale | None:
        return self.sales.get(sale_id)

    def sale_by_receipt_number(self, receipt_number: int) -> Sale | None:
        return next((s for s in self.sales.values() if s.receipt_number == receipt_number), None)

    def recent_sales(self, limit: int = 20) -> list[Sale]:
        return sorted(self.sales.values(), key=lambda s: -s.receipt_number)[:limit]

    def next_receipt_number(self) -> int:
        return self.next_number

    def unsent_count(self) -> int:
        return len(self.outbox)

    # PrintQueue
    def pending_jobs(self) -> list[PrintJob]:
        with self.lock:
            return [self.jobs[k] for k in sorted(self.jobs)]

    def mark_printed(self, job_id: int) -> None:
        with self.lock:
            self.jobs.pop(job_id, None)

    def mark_failed(self, job_id: int, reason: str) -> None:
        with self.lock:
            job = self.jobs[job_id]
            self.jobs[job_id] = replace(job, attempts=job.attempts + 1)

    def enqueue_copy(self, sale_id: uuid.UUID) -> None:
        with self.lock:
            job_id = next(self.job_ids)
            self.jobs[job_id] = PrintJob(job_id, sale_id, True, 0)

    # OpenBasketStore
    def save_basket(self, snapshot: dict[str, Any]) -> None:
        self.basket = snapshot

    def load_basket(self) -> dict[str, Any] | None:
        return self.basket

    def discard_basket(self) -> None:
        self.basket = None


class MemoryCashiers:
    def __init__(self) -> None:
        self.pins = {"1": ("1234", Cashier("1", "Olena"))}

    def sign_in(self, cashier_code: str, pin: str) -> Cashier | None:
        entry = self.pins.get(cashier_code)
        return entry[1] if entry and entry[0] == pin else None


class StepClock:
    def __init__(self) -> None:
        self.t = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)

    def now(self) -> datetime:
        self.t += timedelta(seconds=1)
        return self.t


class RecordingPrinter:
    """Keeps receipts; set ``problem`` to make it fail like a printer that is off."""

    def __init__(self) -> None:
        self.receipts: list[Receipt] = []
        self.printouts: list[object] = []  # reports (pos.report_layout.ReportPrintout) and returns (ReturnPrintout)
        self.drawer_kicks: list[int] = []  # the pin of each
        self.problem: str | None = None

    def print_receipt(self, receipt: Receipt) -> None:
        if self.problem:
            raise DeviceProblem(reason=self.problem)
        self.receipts.append(receipt)

    def print_report(self, printout: object) -> None:
        if self.problem:
            raise DeviceProblem(reason=self.problem)
        self.printouts.append(printout)

    def print_return(self, printout: object) -> None:
        self.print_report(printout)

    def open_drawer(self, pin: int) -> None:
        if self.problem:
            raise DeviceProblem(reason=self.problem)
        self.drawer_kicks.append(pin)


def make_till(journal: MemoryJournal | None = None, *, rounding: str = "0.01", catalog: MemoryCatalog | None = None) -> Till:
    journal = journal or MemoryJournal()
    return Till(
        TillSettings(STORE, CashPolicy(Decimal(rounding))),
        catalog=catalog or MemoryCatalog(),
        journal=journal,
        baskets=journal,
        cashiers=MemoryCashiers(),
        clock=StepClock(),
    )
