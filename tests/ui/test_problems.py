"""How problems reach the cashier: one presenter, clear words, the details in the log."""

from __future__ import annotations

import logging

from hypothesis import given
from hypothesis import strategies as st

from pos.errors import StorageProblem
from pos.money import Money
from pos.quantity import parse_decimal
from tests.fakes import MemoryCatalog, MemoryJournal
from tests.ui.conftest import build_services
from ui import formatting
from ui.errors import describe_problem
from ui.qt import Qt


class BrokenCatalog(MemoryCatalog):
    def by_barcode(self, gtin):  # noqa: ANN001, ANN201
        raise RuntimeError("index file is corrupt")


def test_an_unexpected_error_shows_a_short_notice_and_logs_the_traceback(open_till, printer, caplog):
    till = open_till(build_services(MemoryJournal(), printer, catalog=BrokenCatalog()))
    till.sign_in("1", "1234")
    with caplog.at_level(logging.ERROR, logger="kassa.ui.problems"):
        till.scan("4006381333931")
    assert till.message == "Unexpected error: see the log."
    assert till.message_kind == "error"
    record = caplog.records[-1]
    assert record.exc_info and "index file is corrupt" in str(record.exc_info[1])


def test_a_domain_error_is_logged_with_its_fields(caplog):
    with caplog.at_level(logging.INFO, logger="kassa.ui.problems"):
        text = describe_problem(StorageProblem(reason="disk full"))
    assert text == "The till's database could not be used: disk full"
    assert "fields={'reason': 'disk full'}" in caplog.text


def test_a_sale_the_journal_cannot_record_keeps_the_payment_dialog_open(till, journal):
    till.scan("1001")
    journal.fail_next_record = True
    dialog = till.open_dialog(Qt.Key.Key_F12)
    till.press(dialog.tendered_field, Qt.Key.Key_Return)
    till.wait_idle()
    assert dialog.isVisible()
    assert dialog.message.text() == "The till's database could not be used: disk I/O error"
    assert journal.sales == {}
    till.press(dialog.tendered_field, Qt.Key.Key_Return)  # the cashier tries again
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    assert till.message == "Receipt 1 saved"


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_money_shown_on_screen_reads_back_as_the_same_amount(amount):
    shown = formatting.money(Money(amount, "UAH"))
    assert parse_decimal(shown.replace(",", "")) == amount


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False))
def test_ukrainian_money_uses_a_decimal_comma_and_reads_back(amount):
    shown = formatting.money(Money(amount, "UAH"), "uk_UA")
    assert "." not in shown
    assert parse_decimal(shown) == amount
