"""F10, K on the real window over a real till file: a code typed in the dialog unlocks its
promotion and the line shows the discount; a wrong code says exactly why and stays open; a
personal code asks the phone number and PIN; an applied code is removed again."""

from __future__ import annotations

from datetime import UTC, datetime

from argon2 import PasswordHasher

from local_db.promo_codes import apply_promo_codes, stage_promo_codes
from local_db.promotions import load_promotions
from local_db.reference_data import Cursor
from sync.promo_code_rows import promo_code_row
from tests.ui.driver import TillDriver
from tests.ui.sale_control.shop import FIRST, SECOND, database, open_shop
from ui.basket_model import TOTAL_COLUMN
from ui.promo_codes.dialog import PromoCodeDialog
from ui.qt import QPushButton, Qt

HASHER = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
CODE_ONLY = {"format": "kassa.promotion.v1", "id": "P-CODE-20", "name": "Promo code -20 %", "kind": "percent_off",
             "percent": "20", "validity": {"needs_code": True}}


def item(code: str, **kw: object) -> dict[str, object]:
    return {"code": code, "promotion_ids": ["P-CODE-20"], "starts": None, "ends": None, "minimum": None,
            "uses_allowed": None, "uses_known": 0, "per_customer": None, "customer_uses": {}, "phone_hash": "",
            "pin_hash": "", "deleted": False, **kw}


def with_codes(path) -> None:  # noqa: ANN001
    db = database(path)
    load_promotions(db, [CODE_ONLY])
    stage_promo_codes(db, [promo_code_row(item("WINTER20")), promo_code_row(item("OLD20", ends="2026-11-30T00:00:00")),
                           promo_code_row(item("OLENA7", phone_hash=HASHER.hash("+380671234567"),
                                                pin_hash=HASHER.hash("4821")))],
                      cursor=Cursor("5", "5"), complete=True)
    apply_promo_codes(db, Cursor("5", "5"), datetime(2026, 12, 2, tzinfo=UTC))
    db.close()


def code_dialog(till: TillDriver) -> PromoCodeDialog:
    menu = till.open_dialog(Qt.Key.Key_F10)
    till.press(menu, Qt.Key.Key_K)
    till.wait_until(lambda: isinstance(till.window.sale_actions.dialog, PromoCodeDialog))
    dialog = till.window.sale_actions.dialog
    assert isinstance(dialog, PromoCodeDialog)
    return dialog


def test_a_code_typed_unlocks_its_promotion_and_the_line_shows_the_discount(qtbot, shop, clock) -> None:  # noqa: ANN001
    with_codes(shop)
    till = open_shop(qtbot, shop, clock)
    till.scan(FIRST.barcode)
    before = till.window.sale_screen.model.rows[0].cells[TOTAL_COLUMN]

    dialog = code_dialog(till)
    till.enter(dialog.code_field, "old-20")
    till.wait_idle()
    assert "OLD20" in dialog.message.text() and dialog.isVisible()  # expired: said, the dialog stays

    dialog.code_field.clear()
    till.enter(dialog.code_field, "winter 20")
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()

    screen = till.window.sale_screen
    assert screen.message.text().endswith("WINTER20") and screen.message.kind == "notice"
    row = screen.model.rows[0]
    assert row.discounts and row.discounts[0].startswith("Promo code -20 %")
    assert row.cells[TOTAL_COLUMN] != before

    dialog = code_dialog(till)  # the applied code is listed with its Remove button
    remove = dialog.findChild(QPushButton, "removePromoCode_WINTER20")
    assert remove is not None
    remove.click()
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    assert screen.model.rows[0].cells[TOTAL_COLUMN] == before and not screen.model.rows[0].discounts


def test_a_basket_fallen_below_the_minimum_is_said_on_the_sale_screen_and_paid_without_the_code(
        qtbot, shop, clock) -> None:  # noqa: ANN001
    db = database(shop)
    load_promotions(db, [CODE_ONLY])
    minimum = FIRST.price + SECOND.price
    stage_promo_codes(db, [promo_code_row(item("MIN2", minimum=str(minimum.amount)))], cursor=Cursor("5", "5"),
                      complete=True)
    apply_promo_codes(db, Cursor("5", "5"), datetime(2026, 12, 2, tzinfo=UTC))
    db.close()
    till = open_shop(qtbot, shop, clock)
    till.scan(FIRST.barcode)
    till.scan(SECOND.barcode)
    dialog = code_dialog(till)
    till.enter(dialog.code_field, "MIN2")
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    second = till.lines[1].line_id
    till.window.session.change(lambda t: t.void_line(second)).run()
    till.wait_idle()
    till.wait_idle()
    screen = till.window.sale_screen
    assert "MIN2" in screen.message.text() and screen.message.kind == "error"
    assert till.window.sale_screen.model.rows[0].discounts  # still there while the cashier may add an item

    till.window.session.change(lambda t: t.begin_payment()).run()
    till.wait_idle()
    assert not till.window.sale_screen.model.rows[0].discounts  # dropped when payment started


def test_a_personal_code_asks_the_phone_and_pin(qtbot, shop, clock) -> None:  # noqa: ANN001
    with_codes(shop)
    till = open_shop(qtbot, shop, clock)
    till.scan(FIRST.barcode)
    dialog = code_dialog(till)
    till.enter(dialog.code_field, "OLENA7")
    till.wait_until(lambda: not dialog.personal.isHidden())
    assert "personal" in dialog.message.text()
    till.type_into(dialog.phone_field, "067 123 45 67")
    till.enter(dialog.pin_field, "0000")
    till.wait_idle()
    assert "PIN" in dialog.message.text() and dialog.pin_field.text() == ""
    till.enter(dialog.pin_field, "4821")
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    assert till.window.sale_screen.model.rows[0].discounts


def test_a_code_scanned_on_the_sale_screen_is_applied_and_other_words_still_search(qtbot, shop, clock) -> None:  # noqa: ANN001
    from ui.search_dialog import SearchDialog

    with_codes(shop)
    till = open_shop(qtbot, shop, clock)
    till.scan(FIRST.barcode)
    till.scan("WINTER20")  # a code printed as a barcode on a flyer, or typed in the scan field
    till.wait_until(lambda: bool(till.window.sale_screen.model.rows[0].discounts))
    till.wait_idle()
    screen = till.window.sale_screen
    assert till.window.sale_actions.dialog is None and screen.message.text().endswith("WINTER20")
    assert screen.scan_field.text() == ""

    till.scan("OLENA7")  # personal: the dialog asks the phone and PIN
    till.wait_until(lambda: isinstance(till.window.sale_actions.dialog, PromoCodeDialog))
    till.window.sale_actions.dialog.reject()
    till.wait_until(lambda: till.window.sale_actions.dialog is None)

    till.scan("shampoo")  # words that are no code open the search
    till.wait_until(lambda: isinstance(till.window.sale_actions.dialog, SearchDialog))
