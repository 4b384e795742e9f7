"""A day at one till built the real way (pos.store_day: a shift with its float, sales paid in
cash, by card and split, a partial return, a cash out, a voided line, a blind count), and
the printouts made of it: the Z and X reports and the return receipt.

    python -m tests.hardware.store_day_printouts docs/screenshots/receipts

writes them as pictures of the paper for the docs (``write_screenshots``)."""

from __future__ import annotations

import sys
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from pos.receipt import StoreInfo
from pos.sale import Sale
from pos.store_day.drawer import count_drawer, default_denominations
from pos.store_day.report import CancelledSale, DayDocuments, ReportKind, ShiftReport, compute_report
from pos.store_day.returns import ReturnContext, ReturnDocument, return_from_sale
from pos.store_day.roles import DEFAULT_TABLE
from pos.store_day.shift import CASH_OUT, Shift
from pos.tender import CashPolicy
from tests.fakes import APPLES, CREAM, SHAMPOO, VITAMINS
from tests.hardware.samples import UKRAINIAN_STORE
from tests.pos.store_day.day import CASHIER, MANAGER, SENIOR, STORE, TILL, at, basket_of, money, paid_sale

DAY_STORE = replace(UKRAINIAN_STORE, store_id=STORE, till_id=TILL)
DENOMINATIONS = default_denominations("UAH")


@dataclass(frozen=True)
class Day:
    shift: Shift
    documents: DayDocuments
    sales: tuple[Sale, ...]
    returned: ReturnDocument

    def report(self, kind: ReportKind, z_number: int = 12) -> ShiftReport:
        report = compute_report(kind, self.documents)
        return replace(report, z_number=z_number) if kind is ReportKind.Z else report


def count(**pieces: int) -> dict[Decimal, str]:
    """``count(n500=2, n0_50=3)``: pieces typed per denomination value."""
    return {Decimal(key[1:].replace("_", ".")): str(n) for key, n in pieces.items()}


def sample_day(*, close: bool = True) -> Day:
    float_count = count_drawer(DENOMINATIONS, count(n200=2, n100=5, n10=8, n1=20))
    shift = Shift.open(store_id=STORE, till_id=TILL, currency="UAH", who=MANAGER, float_count=float_count,
                       now=at(0), table=DEFAULT_TABLE)
    shift.shift_id = uuid.UUID("5d1f0c3a-93b2-4e61-8a7c-2f0e9b4d6a11")  # the same on every picture of the docs
    cash_policy = CashPolicy(Decimal("0.10"))
    sales = (
        paid_sale(basket_of([(SHAMPOO, Decimal(2)), (CREAM, Decimal(1))], voided=0), number=101, cash=cash_policy),
        paid_sale(basket_of([(VITAMINS, Decimal(1)), (APPLES, Decimal("1.235"))]), card="150.00", number=102,
                  cash=cash_policy),
        paid_sale(basket_of([(CREAM, Decimal(1)), (SHAMPOO, Decimal(1))], voided=1), number=103, cash=cash_policy),
        paid_sale(basket_of([(VITAMINS, Decimal(2))]), card="10.00", number=104, cash=cash_policy),
    )
    ctx = ReturnContext(STORE, TILL, SENIOR, at(90), cash=cash_policy)
    first = sales[0]
    returned = return_from_sale(first, {first.lines[0].line_id: Decimal(1)}, ctx, already_returned={},
                                already_refunded={}, hub_confirmed=True, reason="damaged")
    returned = replace(returned, return_number=7, return_id=uuid.UUID("9f1bfbb5-0d2c-4a8e-b5a1-6c3e7d2f4b90"))
    movement = shift.move_cash(CASH_OUT, money("500.00"), "bank", MANAGER, at(120), DEFAULT_TABLE)
    cancelled = CancelledSale(uuid.UUID(int=7), CASHIER.cashier.cashier_id, at(60), money("84.50"), 2)
    documents = DayDocuments(shift.shift_id, "UAH", float_count.total, sales=sales, returns=(returned,),
                             cancelled=(cancelled,), movements=(movement,))
    if close:
        report = compute_report(ReportKind.Z, documents)
        shift.begin_close(MANAGER, DEFAULT_TABLE, sale_open=False, unsent_z_number=None)
        shift.count_blind(count_drawer(DENOMINATIONS, count(n200=2, n100=5, n50=1, n10=2, n1=4, n0_50=1)))
        shift.close(report.expected_cash, MANAGER, at(600))
    return Day(shift, documents, sales, returned)


def store(locale: str) -> StoreInfo:
    """The sample store printing in ``locale`` (uk_UA, en_GB, az_AZ, ka_GE)."""
    return replace(DAY_STORE, locale=locale)


PRINTED_AT = datetime(2026, 12, 1, 18, 5, tzinfo=UTC)


def write_screenshots(directory: Path) -> list[Path]:
    """The Z report, the X report and the return receipt of ``sample_day`` in English and
    Ukrainian on 80 mm paper (``z-report-en.png``...), and the Ukrainian Z report as the
    printer prints it, decoded from its ESC/POS bytes (``z-report-uk-printer-1bit.png``)."""
    from hardware.escpos_printer import EscposReceiptPrinter
    from hardware.receipt_image import render_document_image
    from pos.report_layout import layout_report, report_printout
    from pos.return_layout import ReturnPrintout, layout_return
    from tests.hardware.escpos_paper import paper_image

    directory.mkdir(parents=True, exist_ok=True)
    closed, open_day = sample_day(), sample_day(close=False)
    paths = []
    for lang, locale in (("en", "en_GB"), ("uk", "uk_UA")):
        documents = {
            "z-report": layout_report(report_printout(closed.report(ReportKind.Z), store(locale), PRINTED_AT,
                                                      shift=closed.shift)),
            "x-report": layout_report(report_printout(open_day.report(ReportKind.X), store(locale), PRINTED_AT,
                                                      shift=open_day.shift)),
            "return": layout_return(ReturnPrintout(closed.returned, store(locale))),
        }
        for name, document in documents.items():
            path = directory / f"{name}-{lang}.png"
            render_document_image(document).save(path, "PNG", optimize=True)
            paths.append(path)
    printer = EscposReceiptPrinter("dummy")
    z = report_printout(closed.report(ReportKind.Z), store("uk_UA"), PRINTED_AT, shift=closed.shift)
    path = directory / "z-report-uk-printer-1bit.png"
    paper_image(printer.report_bytes(z)).save(path, "PNG", optimize=True)
    return [*paths, path]


if __name__ == "__main__":
    for written in write_screenshots(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots/receipts")):
        print(written)
