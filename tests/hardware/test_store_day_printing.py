"""What the printer prints for the store's day, read back from the ESC/POS bytes a loopback
printer received: the receipt code (a QR code that reads back to the sale), the X and Z
reports, the return receipt, and the cash drawer kick; a printer that is off says so and
loses nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hardware.errors import PrinterOffline, PrinterOutOfPaper
from hardware.escpos_printer import EscposReceiptPrinter
from hardware.loopback_printer import LoopbackPrinter
from hardware.printers import make_receipt_printer
from pos.printing import DrawerPinNotValid, ReceiptSpooler
from pos.receipt_code import read_receipt_code
from pos.report_layout import layout_report, report_printout
from pos.store_day.report import ReportKind
from tests.fakes import MemoryJournal, StepClock, make_till
from tests.hardware.escpos_decoder import Decoded, decode, receipts_in
from tests.hardware.escpos_paper import paper_image
from tests.hardware.escpos_scanner import drawer_kicks
from tests.hardware.samples import sample_receipt
from tests.hardware.store_day_printouts import sample_day, store

CUT = b"\x1dV"


class FixedClock:
    def now(self) -> datetime:
        return datetime(2026, 12, 1, 18, 5, tzinfo=UTC)


def spooler_for(printer: EscposReceiptPrinter, locale: str = "en_GB") -> ReceiptSpooler:
    journal = MemoryJournal()
    return ReceiptSpooler(journal, journal, printer, store(locale), clock=FixedClock())


def printed(loopback: LoopbackPrinter) -> Decoded:
    return decode(receipts_in(loopback.wait_for(CUT))[-1])


def words(decoded: Decoded) -> list[str]:
    return [" ".join(text.split()) for text in decoded.texts]


# -- the receipt code ---------------------------------------------------------------------------
def test_a_sale_receipt_prints_a_qr_code_of_its_sale_drawn_by_the_printer(loopback: LoopbackPrinter) -> None:
    receipt = sample_receipt(("1001",))
    EscposReceiptPrinter(loopback.setting).print_receipt(receipt)
    decoded = printed(loopback)
    assert len(decoded.codes) == 1
    code = read_receipt_code(decoded.codes[0])
    assert (code.store_id, code.till_id, code.sale_id) == (receipt.store.store_id, receipt.store.till_id, receipt.sale_id)
    names = [c.name for c in decoded.commands]
    assert names.index("qr data") < names.index("qr print")
    assert next(c for c in decoded.commands if c.name == "qr error correction").args == b"1"  # M: a smudge still reads


@pytest.mark.parametrize(("profile", "paper", "width"), [("POS-5890", 58, 32), ("TM-T88V", 80, 42)])
def test_the_printed_qr_code_reads_back_with_a_real_decoder(profile: str, paper: int, width: int) -> None:
    """The code on the paper (a picture on a printer without QR codes, the printer's own
    otherwise) decoded by zxing-cpp from the dots the printer would print."""
    zxingcpp = pytest.importorskip("zxingcpp")
    receipt = sample_receipt(("1001",))
    printer = EscposReceiptPrinter("dummy", profile=profile, paper=paper, width=width)
    data = printer.receipt_bytes(receipt)
    assert (b"\x1d(k" in data) == (profile == "TM-T88V")
    paper_dots = paper_image(data, width=width, dot_width=printer.renderer.dot_width, profile=profile)
    found = [r.text for r in zxingcpp.read_barcodes(paper_dots.convert("L")) if r.format == zxingcpp.BarcodeFormat.QRCode]
    assert found == [receipt.code]
    assert read_receipt_code(found[0]).sale_id == receipt.sale_id


def test_a_receipt_code_setting_of_none_prints_no_code() -> None:
    printer = EscposReceiptPrinter("dummy", receipt_code="none")
    decoded = decode(printer.receipt_bytes(sample_receipt(("1001",))))
    assert decoded.codes == [] and decoded.pictures == []


# -- the X and Z reports -----------------------------------------------------------------------
def test_a_z_report_reaches_the_printer_with_its_number_figures_and_variance(loopback: LoopbackPrinter) -> None:
    day = sample_day()
    spooler_for(EscposReceiptPrinter(loopback.setting)).print_report(day.report(ReportKind.Z, 12), shift=day.shift)
    decoded = printed(loopback)
    title = next(line for line in decoded.lines if "Z REPORT No. 12" in line.text)
    assert title.double and title.bold and title.align == "center"
    said = words(decoded)
    for line in ("Sales 4 724.94", "Returns 1 -89.90", "Cash 475.00", "Cash out -500.00", "Expected cash 975.00",
                 "Counted cash 974.50", "Receipts No. 101 to 104", "Printed 01/12/2026 20:05"):
        assert line in said, line
    assert any(line.startswith("Variance") and line.endswith("-0.50 UAH") for line in said)
    assert decoded.codes == [] and decoded.cut and "COPY" not in " ".join(said)


def test_a_report_the_printer_could_not_print_raises_its_problem_and_prints_as_a_copy_later() -> None:
    day = sample_day(close=False)
    with LoopbackPrinter() as loopback:
        spooler = spooler_for(EscposReceiptPrinter(loopback.setting, timeout=2), "uk_UA")
        loopback.switch_off()
        with pytest.raises(PrinterOffline) as problem:
            spooler.print_report(day.report(ReportKind.X), shift=day.shift)
        assert loopback.setting.split(":", 1)[1] in problem.value.user_message()
        loopback.switch_on()
        spooler.print_report(day.report(ReportKind.X), shift=day.shift, copy=True)
        said = words(printed(loopback))
    assert said.count("X-ЗВІТ — ЗМІНУ НЕ ЗАКРИТО") == 2 and "*** КОПІЯ ***" in said


def test_a_report_on_58_mm_paper_fits_the_narrow_roll() -> None:
    day = sample_day()
    printer = EscposReceiptPrinter("dummy", profile="POS-5890", paper=58, width=32)
    spooler_for(printer, "ka_GE").print_report(day.report(ReportKind.Z, 3), shift=day.shift)
    decoded = decode(printer.output)
    assert all(len(line.text) * (2 if line.double else 1) <= 32 for line in decoded.lines)
    assert all(p.picture is not None and p.picture[0] <= 384 for p in decoded.pictures)
    rows = layout_report(report_printout(day.report(ReportKind.Z, 3), store("ka_GE"), FixedClock().now(),
                                         shift=day.shift), 32).rows
    assert len(decoded.lines) == len(rows)  # every row printed: as text, or a picture where Georgian is in it
    assert decoded.pictures and decoded.lines[[r.text for r in rows].index("Z ანგარიში № 3")].picture is not None


# -- the return receipt ------------------------------------------------------------------------
def test_a_return_receipt_reaches_the_printer_with_its_title_lines_refunds_and_reason(loopback: LoopbackPrinter) -> None:
    day = sample_day()
    spooler_for(EscposReceiptPrinter(loopback.setting), "uk_UA").print_return(day.returned, reason="Пошкоджено")
    decoded = printed(loopback)
    title = next(line for line in decoded.lines if "ПОВЕРНЕННЯ № 7" in line.text)
    assert title.double
    said = words(decoded)
    assert "До чека № 101" in said and "Шампунь Herbal 250 мл" in said and "Готівка 89,90" in said
    assert "Причина: Пошкоджено" in said and "Підпис покупця" in said and decoded.codes == []


# -- the cash drawer ---------------------------------------------------------------------------
@pytest.mark.parametrize("pin", [2, 5])
def test_the_drawer_kick_is_one_escpos_pulse_on_the_chosen_pin(loopback: LoopbackPrinter, pin: int) -> None:
    spooler_for(EscposReceiptPrinter(loopback.setting)).open_drawer(pin)
    assert drawer_kicks(loopback.wait_for(5)) == [(pin, 50, 50)]  # 100 ms on, 100 ms off


def test_the_drawer_opens_even_when_the_printer_is_out_of_paper(loopback: LoopbackPrinter) -> None:
    printer = EscposReceiptPrinter(loopback.setting, status=True)
    loopback.paper = "out"
    with pytest.raises(PrinterOutOfPaper):
        printer.print_receipt(sample_receipt(("1001",)))
    loopback.clear()
    printer.open_drawer(2)
    assert drawer_kicks(loopback.wait_for(5)) == [(2, 50, 50)]
    assert printer.transport.status.enabled  # the next receipt asks the printer again


def test_a_drawer_on_a_printer_that_is_off_is_a_clear_problem_and_the_sale_stays_recorded() -> None:
    till = make_till()
    till.sign_in("1", "1234")
    till.scan("1001")
    sale = till.pay_cash("100").sale
    assert sale is not None
    with LoopbackPrinter() as loopback:
        spooler = ReceiptSpooler(till.journal, till.journal, EscposReceiptPrinter(loopback.setting, timeout=2),
                                 store("en_GB"), clock=StepClock())
        loopback.switch_off()
        with pytest.raises(PrinterOffline) as problem:
            spooler.open_drawer(2)
        assert "does not answer" in problem.value.user_message()
        assert till.journal.get_sale(sale.sale_id) == sale and len(till.journal.pending_jobs()) == 1


@pytest.mark.parametrize("pin", [0, 1, 3, True])
def test_a_drawer_pin_that_is_not_2_or_5_is_refused_and_nothing_is_sent(loopback: LoopbackPrinter, pin: int) -> None:
    with pytest.raises(DrawerPinNotValid) as problem:
        spooler_for(EscposReceiptPrinter(loopback.setting)).open_drawer(pin)
    assert "drawer_pin" in problem.value.user_message()
    assert loopback.connections == 0


# -- the preview printer ----------------------------------------------------------------------
def test_a_preview_printer_saves_reports_and_returns_as_pictures_and_has_no_drawer(tmp_path) -> None:  # noqa: ANN001
    day = sample_day()
    spooler = spooler_for(make_receipt_printer(f"preview:{tmp_path}"))  # type: ignore[arg-type]
    spooler.print_report(day.report(ReportKind.Z, 12), shift=day.shift)
    spooler.print_report(day.report(ReportKind.Z, 12), shift=day.shift, copy=True)
    spooler.print_return(day.returned)
    spooler.open_drawer(5)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["return-T1-000007.png", "z-report-T1-000012-copy.png", "z-report-T1-000012.png"]
