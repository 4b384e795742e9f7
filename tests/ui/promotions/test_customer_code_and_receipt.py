"""The whole marketing path on the real window over a real till file: the cashier identifies a
customer by phone (F10, C), applies a promo code (F10, K), the screen explains each line's
discounts (the customer's tier offer, the code's promotion), and the receipt bytes a loopback
network printer receives say the same promotions and amounts, from the journal."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from hardware.loopback_printer import LoopbackPrinter
from local_db.database import open_database
from local_db.journal import SqlJournal
from local_db.promotions import load_promotions
from pos.money import Money
from shell.settings import parse_settings
from shell.wiring import build_services
from tests.hardware.escpos_decoder import decode, receipts_in
from tests.ui.customers.test_customer_on_screen import customer_dialog, field, with_olena
from tests.ui.driver import TillDriver
from tests.ui.promo_codes.test_promo_code_on_screen import CODE_ONLY, code_dialog, with_codes
from tests.ui.sale_control.shop import FIRST, OLENA, SECOND, STORE_ID, TILL_ID
from ui.app import make_application
from ui.basket_model import TOTAL_COLUMN
from ui.qt import Qt

GOLD = {"format": "kassa.promotion.v1", "id": "P-GOLD-5", "name": "Gold members -5 %", "kind": "percent_off",
        "percent": "5", "validity": {"tiers": ["gold"]}}


@pytest.fixture
def loopback():  # noqa: ANN201
    with LoopbackPrinter() as printer:
        yield printer


def open_with_printer(qtbot, path: Path, clock, printer_setting: str) -> TillDriver:  # noqa: ANN001
    settings = parse_settings(f"""
[store]
store_id = "{STORE_ID}"
name = "Test Store"
currency = "UAH"
locale = "uk_UA"
[till]
till_id = "{TILL_ID}"
[printer]
connection = "{printer_setting}"
[database]
path = "{path}"
""", Path("test.toml"))
    make_application()
    driver = TillDriver.open(qtbot, build_services(settings, open_database(path), clock))
    driver.sign_in(*OLENA)
    return driver


def cents(text: str) -> Decimal:
    return Decimal(text.replace("\u2212", "-").replace(",", ".").replace("\u00a0", "").replace(" ", ""))


def test_a_customer_and_a_code_give_their_discounts_explained_on_screen_and_on_the_printed_receipt(
        qtbot, shop, clock, loopback):  # noqa: ANN001
    with_olena(shop)
    with_codes(shop)
    db = open_database(shop)
    load_promotions(db, [CODE_ONLY, GOLD])
    db.close()
    till = open_with_printer(qtbot, shop, clock, loopback.setting)
    till.scan(FIRST.barcode)
    till.scan(SECOND.barcode)
    screen = till.window.sale_screen
    assert all(not row.discounts for row in screen.model.rows)  # nobody identified, no code: catalog prices

    dialog = customer_dialog(till)
    till.enter(field(dialog, "customerLookup"), "+38 (050) 123-45-67")
    till.wait_until(lambda: dialog.customer_name.text() == "Olena K.")
    till.wait_idle()
    dialog.close()
    till.wait_until(lambda: till.window.sale_actions.dialog is None)

    dialog = code_dialog(till)
    till.enter(dialog.code_field, "winter20")
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()

    view = screen.model.view
    assert view.customer is not None and view.customer.customer_id == "c-olena"
    priced = view.priced
    assert priced is not None
    for row, line in zip(screen.model.rows, priced.lines, strict=True):
        # both stage 4, by promotion id: 20 % for the code on the price, then 5 % for gold on what is
        # left (e.g. 213.00: 42.60, then 5 % of 170.40 = 8.52), each rounded half up to the cent
        gross = line.gross
        code = (gross.amount * Decimal("0.20")).quantize(Decimal("0.01"), ROUND_HALF_UP)
        gold = ((gross.amount - code) * Decimal("0.05")).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert {d.promotion_id: d.amount for d in line.discounts} == {
            "P-GOLD-5": Money(gold, "UAH"), "P-CODE-20": Money(code, "UAH")}
        assert [text.split("  ")[0] for text in row.discounts] == ["Promo code -20 %", "Gold members -5 %"]
        assert cents(row.cells[TOTAL_COLUMN]) == gross.amount - gold - code

    pay = till.open_dialog(Qt.Key.Key_F12)
    till.enter(pay.tendered_field, "")
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    till.wait_until(lambda: b"\x1dV" in loopback.received())
    printed = [t.strip() for t in decode(receipts_in(loopback.received())[-1]).texts]
    for line in priced.lines:
        for d in line.discounts:
            shown = f"-{d.amount.amount}".replace(".", ",")
            assert any(t.startswith(d.name) and t.endswith(shown) for t in printed), (d, printed)
    [sale] = SqlJournal(open_database(shop), TILL_ID).recent_sales(1)  # what the journal (and so the hub) has
    assert (sale.customer_id, sale.promo_codes) == ("c-olena", ("WINTER20",))
    assert [l.discounts for l in sale.lines] == [l.discounts for l in priced.lines]
