"""The X and Z reports and the return receipt as rows: every figure of the shift is on the
paper, in the store's language, and every row fits 80 mm and 58 mm paper."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos.money import Money
from pos.receipt_layout import ReceiptDocument
from pos.report_layout import REPORT_LABELS, layout_report, report_printout
from pos.return_layout import RETURN_LABELS, ReturnPrintout, layout_return
from pos.store_day.report import ReportKind, TenderTotal
from pos.store_day.returns import Refund
from pos.store_day.tenders import CARD, CardApproval
from pos.tax import TaxLine
from pos.tender import Payment
from tests.hardware.store_day_printouts import sample_day, store
from tests.pos.store_day.day import VITAMINS

PRINTED = datetime(2026, 12, 1, 18, 5, tzinfo=UTC)
LOCALES = ("en_GB", "uk_UA", "az_AZ", "ka_GE")
EXAMPLES = 300 if os.environ.get("KASSA_SOAK") else 25


def text_of(document: ReceiptDocument) -> str:
    return "\n".join(row.text for row in document.rows)


def fits(document: ReceiptDocument) -> bool:
    return all(row.columns <= document.width for row in document.rows)


def said(key: str, locale: str = "en_GB", labels: dict[str, str] = REPORT_LABELS, **fields: object) -> str:
    from pos.i18n import translator

    text = translator(locale).gettext(labels[key])
    return text.format(**fields) if fields else text


def test_a_z_report_shows_every_total_of_the_shift_and_the_drawer_count() -> None:
    day = sample_day()
    report = day.report(ReportKind.Z, z_number=12)
    rows = layout_report(report_printout(report, store("en_GB"), PRINTED, shift=day.shift), 42).rows
    text = "\n".join(row.text for row in rows)
    assert rows[next(i for i, r in enumerate(rows) if "Z REPORT No. 12" in r.text)].double
    words = [" ".join(row.text.split()) for row in rows]
    for line in ("Sales 4 724.94", "Returns 1 -89.90", "Net sales 635.04", "Voided lines 1 54.50",
                 "Cancelled sales 1 84.50", "Discounts 0.00", "Cash rounding, sales -0.04", "Card 160.00",
                 "Cash 475.00", "Taken 564.90", "Refunded -89.90", "Cash out -500.00", "VAT A 20% 195.25 39.05",
                 "Receipts No. 101 to 104", "Returns No. 7 to 7", "Float 1,000.00", "Expected cash 975.00",
                 "Counted cash 974.50"):
        assert line in words, line
        row = rows[words.index(line)]
        assert line.startswith(("Receipts", "Returns No.")) or len(row.text) == 42  # amounts at the right margin
    counts = [row.text.rindex(" ", 0, 36) for row in rows if row.text.startswith(("Sales", "Voided", "Cancelled"))]
    assert len(set(counts)) == 1  # the counts in one column
    variance = next(row for row in rows if row.text.startswith("Variance"))
    assert variance.text.endswith("-0.50 UAH") and variance.bold
    assert f"Shift {day.shift.shift_id.hex[:8]}" in text and "Opened 01/12/2026 11:00" in text
    assert "Closed 01/12/2026 21:00" in text and "by m1" in text
    assert said("x_mark") not in text and said("copy") not in text


def test_an_x_report_says_at_its_top_and_end_that_it_closes_nothing_and_shows_no_count() -> None:
    day = sample_day(close=False)
    document = layout_report(report_printout(day.report(ReportKind.X), store("en_GB"), PRINTED, shift=day.shift), 42)
    texts = [row.text for row in document.rows]
    marks = [i for i, text in enumerate(texts) if text == "X REPORT — NOT A CLOSE"]
    assert len(marks) == 2 and marks[0] < 10 and marks[1] == len(texts) - 1
    assert not any(text.startswith(("Counted cash", "Variance", "Closed")) for text in texts)
    assert any(text.startswith("Expected cash") for text in texts)


def test_a_reprint_is_marked_copy_and_a_surplus_has_a_plus_sign() -> None:
    day = sample_day()
    report = day.report(ReportKind.Z)
    printout = report_printout(report, store("en_GB"), PRINTED, counted=report.expected_cash + Money.of("20", "UAH"),
                               copy=True)
    text = text_of(layout_report(printout))
    assert "*** COPY ***" in text and "+20.00 UAH" in text.replace("\n", " ")


def test_a_shift_with_no_sales_prints_that_it_had_none() -> None:
    day = sample_day(close=False)
    empty = replace(day.documents, sales=(), returns=(), cancelled=(), movements=())
    from pos.store_day.report import compute_report

    text = text_of(layout_report(report_printout(compute_report(ReportKind.X, empty), store("en_GB"), PRINTED), 32))
    assert "No receipts" in text and "No returns" in text and "VAT BY RATE" not in text


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("width", [42, 32])
def test_the_reports_and_the_return_receipt_fit_the_paper_in_every_language(locale: str, width: int) -> None:
    day = sample_day()
    for kind in ReportKind:
        document = layout_report(report_printout(day.report(kind), store(locale), PRINTED, shift=day.shift), width)
        assert fits(document), document.plain_text()
        if locale != "en_GB":  # the labels are in the store's language, not English
            assert "Expected cash" not in text_of(document) and said("expected", locale) in text_of(document)
    returned = layout_return(ReturnPrintout(day.returned, store(locale)), width)
    assert fits(returned)
    assert said("return_title", locale, RETURN_LABELS, number=7) in text_of(returned).replace("\n", " ")


AMOUNTS = st.decimals(min_value=Decimal("-999999999.99"), max_value=Decimal("999999999.99"), places=2)


@settings(max_examples=EXAMPLES, deadline=None)
@given(amounts=st.lists(AMOUNTS, min_size=8, max_size=8), counts=st.lists(st.integers(0, 10**7), min_size=3, max_size=3),
       locale=st.sampled_from(LOCALES), width=st.sampled_from([42, 32]))
def test_any_report_fits_the_paper_whatever_its_figures(amounts: list[Decimal], counts: list[int], locale: str,
                                                          width: int) -> None:
    day = sample_day()
    m = [Money(a, "UAH") for a in amounts]
    report = replace(
        day.report(ReportKind.Z, z_number=counts[0]), sales_count=counts[1], sales_total=m[0], returns_total=m[1],
        voided_lines_total=m[2], cash_in=m[3], cash_out=m[4], expected_cash=m[5], opening_float=m[6],
        tenders=(TenderTotal("cash", m[0], m[1]), TenderTotal("exchange_credit", m[7], m[2])),
        vat=(TaxLine(VITAMINS.vat, m[0], m[1], m[2]),), first_receipt=1, last_receipt=counts[2] + 1,
    )
    document = layout_report(report_printout(report, store(locale), PRINTED, shift=day.shift, counted=m[7]), width)
    assert fits(document)
    assert said("variance", locale) in text_of(document)


def test_a_return_receipt_names_its_number_the_original_receipt_the_refunds_and_the_reason() -> None:
    day = sample_day()
    document = layout_return(ReturnPrintout(day.returned, store("en_GB"), reason="Damaged goods"), 42)
    text = text_of(document)
    title = next(row for row in document.rows if "RETURN No. 7" in row.text)
    assert title.double and title.bold
    assert "Original receipt No. 101" in text and "Shampoo" in text or "Шампунь" in text
    assert "   1 x 89.90" in text and "RETURNED" in text and "89.90 UAH" in text
    assert "Cash                                 89.90" in text
    assert "Reason: Damaged goods" in text and "Customer's signature" in text
    assert "COPY" not in text


def test_a_return_by_card_without_a_receipt_printed_again_shows_the_card_and_copy() -> None:
    day = sample_day()
    card = Refund(Payment(day.returned.refunds[0].payment.payment_id, CARD, Money.of("89.90", "UAH"),
                          Money.of("89.90", "UAH"), Money.zero("UAH")), None, CardApproval("A1B2C3", "**** 4242"))
    returned = replace(day.returned, original_sale_id=None, original_receipt_number=0, refunds=(card,))
    text = text_of(layout_return(ReturnPrintout(returned, store("en_GB"), is_copy=True), 32))
    assert "Returned without a receipt" in text and "Original receipt" not in text
    assert "**** 4242" in text and "Approval code A1B2C3" in text.replace("\n", " ")
    assert text.count("COPY") == 2
    assert "Reason: damaged" in text  # the reason's code when no label is given


def test_the_count_may_be_given_as_the_drawer_count_typed_by_denomination() -> None:
    from pos.store_day.drawer import count_drawer
    from tests.hardware.store_day_printouts import DENOMINATIONS, count

    day = sample_day(close=False)
    counted = count_drawer(DENOMINATIONS, count(n500=1, n200=2, n50=5, n0_50=1))
    printout = report_printout(day.report(ReportKind.Z), store("en_GB"), PRINTED, shift=day.shift, counted=counted)
    assert printout.counted == Money.of("1150.50", "UAH") and printout.variance == Money.of("175.50", "UAH")
    assert "+175.50 UAH" in text_of(layout_report(printout)).replace("\n", " ")
