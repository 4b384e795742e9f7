"""Screenshots for the README: the real till window on the demo store, driven by key events.

Run under a virtual X screen:  xvfb-run -s "-screen 0 1280x800x24" .venv/bin/python -m tools.screenshots
Writes docs/screenshots/{sign-in,till,payment,after-sale,receipt}.png.

``... -m tools.screenshots promotions`` writes a basket that several promotions reduce, as the
cashier and the customer see it, and its receipt: docs/screenshots/basket-with-promotions.png,
customer-display-with-promotions.png and receipt-with-promotions.png (a promotion set of the
scene's own over the demo catalog, stored in the till's database as a pull stores them and
priced by the real engine).

``... -m tools.screenshots gift-cards`` sells an electronic gift card against the demo hub
(docs/screenshots/gift-card-sell.png), pays that sale so the hub activates the card, then in
the next sale opens F8 Gift card and sends the code (gift-card-payment-code.png), then pays 300.00
with the code from the hub's SMS log (gift-card-paid.png).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from local_db.database import open_database
from local_db.demo_store import create_demo_store
from pos.demo_catalog import generate_catalog
from ui.app import make_application
from ui.main_window import MainWindow
from PySide6.QtTest import QTest

from ui.qt import QApplication, Qt
from shell.demo import connect_to_hub, demo_settings
from shell.demo_hub import DEMO_HUB_PORT, DemoHub
from shell.wiring import build_services
from pos.pricing.promotion import PromotionSet

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def wait(condition, timeout_ms: int = 10000) -> None:  # noqa: ANN001
    remaining = timeout_ms
    while not condition():
        QApplication.processEvents()
        QTest.qWait(20)
        remaining -= 20
        if remaining <= 0:
            raise TimeoutError("the till did not get there in time")


def shoot(window: MainWindow, name: str) -> None:
    QTest.qWait(300)
    QApplication.processEvents()
    screen = QApplication.primaryScreen()
    picture = screen.grabWindow(0) if QApplication.platformName() == "xcb" else window.grab()
    picture.save(str(OUT / f"{name}.png"))
    print("wrote", OUT / f"{name}.png")


def type_and_enter(widget, text: str) -> None:  # noqa: ANN001
    QTest.keyClicks(widget, text)
    QTest.keyClick(widget, Qt.Key.Key_Return)


def open_the_shift(window: MainWindow) -> None:
    """No shift is open at the first sign-in: the cashier counts the float (five 100s) and the
    demo's manager (9, PIN 9999) approves it."""
    wait(lambda: window.sale_actions.dialog is not None)
    counting = window.sale_actions.dialog
    row = next(r for r in counting.rows if r.denomination.value.amount == 100)
    row.field.setFocus()
    QTest.keyClicks(row.field, "5")
    last = counting.rows[-1].field
    last.setFocus()
    QTest.keyClick(last, Qt.Key.Key_Return)
    wait(lambda: window.sale_actions.dialog is not None and window.sale_actions.dialog.objectName() == "approvalPrompt")
    prompt = window.sale_actions.dialog
    type_and_enter(prompt.code_field, "9")
    QTest.keyClicks(prompt.pin_field, "9999")
    QTest.keyClick(prompt.pin_field, Qt.Key.Key_Down)
    QTest.keyClick(prompt.pin_field, Qt.Key.Key_Return)
    wait(lambda: window.sale_actions.dialog is None and window.is_idle())


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="kassa-shots-"))
    os.environ["KASSA_DATA_DIR"] = str(work)
    settings = demo_settings(work / "demo")
    settings = settings.model_copy(update={"printer": settings.printer.model_copy(
        update={"connection": f"preview:{work / 'receipts'}"})})
    db = open_database(settings.database.path)
    create_demo_store(db, items=5000, promotions=True)  # as kassa demo: the first basket has its promotions
    hub = DemoHub(work / "hub", DEMO_HUB_PORT + 1)
    settings = connect_to_hub(settings, db, hub, 5000)
    services = build_services(settings, db)
    make_application(sys.argv)
    window = MainWindow(services)
    window.resize(1280, 800)
    window.show()
    wait(lambda: window.started and window.is_idle())
    wait(lambda: "Online" in window.status.link_label.text())
    OUT.mkdir(parents=True, exist_ok=True)
    shoot(window, "sign-in")

    screen = window.sign_in_screen
    type_and_enter(screen.cashier_field, "1")
    type_and_enter(screen.pin_field, "1234")
    wait(window.is_idle)
    open_the_shift(window)
    products = list(generate_catalog(40))
    picks = [products[0], products[6], products[2], products[9], products[13]]
    scan = window.sale_screen.scan_field
    for product in picks:
        type_and_enter(scan, product.barcode)
        wait(window.is_idle)
    type_and_enter(scan, "2*" + picks[-1].barcode)
    wait(window.is_idle)
    shoot(window, "till")

    QTest.keyClick(scan, Qt.Key.Key_F12)
    wait(lambda: window.sale_actions.dialog is not None)
    dialog = window.sale_actions.dialog
    QTest.keyClicks(dialog.tendered_field, "5000")
    shoot(window, "payment")
    QTest.keyClick(dialog.tendered_field, Qt.Key.Key_Return)
    wait(lambda: window.sale_actions.dialog is None and window.is_idle())
    receipts = work / "receipts"
    wait(lambda: any(receipts.glob("*.png")))
    shoot(window, "after-sale")
    shutil.copy(sorted(receipts.glob("*.png"))[0], OUT / "receipt.png")
    print("wrote", OUT / "receipt.png")
    window.close()
    hub.stop()
    return 0


def scene_promotions() -> PromotionSet:
    """Promotions over the first products of the demo catalog: a brand percent, a 3 for 2, an
    amount off a category, a spend threshold over everything and a gift with purchase."""
    from decimal import Decimal

    from pos.money import Money
    from pos.pricing.promotion import AmountOff, BuyGet, Gift, PercentOff, Promotion, Scope, SpendThreshold

    products = list(generate_catalog(40))
    colgate, schwarzkopf, vichy, hand_cream = products[0], products[7], products[6], products[10]
    return PromotionSet(promotions=(
        Promotion("P-COLGATE-15", "Colgate -15 %", PercentOff(Decimal(15)), Scope(brands=frozenset({colgate.brand}))),
        Promotion("P-SHAMPOO-3FOR2", "Шампуні 3 за 2", BuyGet(2, 1), Scope(products=frozenset({schwarzkopf.code}))),
        Promotion("P-SKIN-20", "Догляд за шкірою -20 грн", AmountOff(Money.of("20", "UAH")),
                  Scope(categories=frozenset({"Skin care"}))),
        Promotion("P-SPEND-1000", "Від 1000 грн -50 грн", SpendThreshold(Money.of("1000", "UAH"),
                                                                        amount_off=Money.of("50", "UAH"))),
        Promotion("P-VICHY-GIFT", "Vichy + крем для рук у подарунок", Gift(hand_cream.code),
                  Scope(products=frozenset({vichy.code}))),
    ))


def promotions_main() -> int:
    from hardware.receipt_image import render_receipt_png
    from local_db.promotions import load_promotions
    from pos.pricing.definitions import definition_to_dict
    from pos.pricing.promotion import CustomerFacts
    from pos.receipt import build_receipt
    from ui.customer_display import CustomerDisplayOptions

    work = Path(tempfile.mkdtemp(prefix="kassa-shots-"))
    os.environ["KASSA_DATA_DIR"] = str(work)
    settings = demo_settings(work / "demo")
    db = open_database(settings.database.path)
    create_demo_store(db, items=300)
    # stored as the till's own, as a pull from the hub stores them; read by the till at each new sale
    load_promotions(db, [definition_to_dict(p) for p in scene_promotions().promotions], "screenshots")
    services = build_services(settings, db)
    services.customer_display = CustomerDisplayOptions(enabled=True, geometry=(1400, 0, 1024, 600))  # beside the screen shot
    make_application(sys.argv)
    window = MainWindow(services)
    window.resize(1280, 800)
    window.show()
    wait(lambda: window.started and window.is_idle())
    OUT.mkdir(parents=True, exist_ok=True)
    type_and_enter(window.sign_in_screen.cashier_field, "1")
    type_and_enter(window.sign_in_screen.pin_field, "1234")
    wait(window.is_idle)
    open_the_shift(window)
    sales = []
    window.session.changed.connect(lambda result: sales.append(result.sale) if result.sale else None)
    window.session.change(lambda till: till.identify_customer(CustomerFacts("C-0042", tier="gold"))).run()
    products = list(generate_catalog(40))
    scan = window.sale_screen.scan_field
    for typed in ("2*" + products[0].barcode, "3*" + products[7].barcode, products[5].barcode,
                  products[6].barcode, products[16].barcode):
        type_and_enter(scan, typed)
        wait(window.is_idle)
    window.activateWindow()
    shoot(window, "basket-with-promotions")
    facing = window.customer_facing.window
    facing.grab().save(str(OUT / "customer-display-with-promotions.png"))
    print("wrote", OUT / "customer-display-with-promotions.png")
    window.sale_screen.focus_scan_field()
    QTest.qWait(300)
    QTest.keyClick(scan, Qt.Key.Key_F12)
    wait(lambda: window.sale_actions.dialog is not None)
    dialog = window.sale_actions.dialog
    QTest.keyClicks(dialog.tendered_field, "2000")
    QTest.qWait(300)  # a person's pause: keys this fast with Enter would read as a scan
    QTest.keyClick(dialog.tendered_field, Qt.Key.Key_Return)
    try:
        wait(lambda: window.sale_actions.dialog is None and window.is_idle() and bool(sales), 60000)
    except TimeoutError:
        shoot(window, "promotions-stuck")
        raise
    # the sale as the till recorded it, through the receipt printer's own picture path
    render_receipt_png(build_receipt(sales[-1], services.store), OUT / "receipt-with-promotions.png")
    print("wrote", OUT / "receipt-with-promotions.png")
    window.close()
    return 0


def gift_cards_main() -> int:
    """The demo till and its hub: an electronic card sold for Olena's phone, activated when the
    sale reaches the hub, then the payment page with the card found and the code sent."""
    from pos.gift_cards import holds

    work = Path(tempfile.mkdtemp(prefix="kassa-shots-"))
    os.environ.update(KASSA_DATA_DIR=str(work), KASSA_HUB_SMS_LOG=str(work / "sms.jsonl"))
    settings = demo_settings(work / "demo")
    db = open_database(settings.database.path)
    create_demo_store(db, items=300)
    hub = DemoHub(work / "hub", DEMO_HUB_PORT + 2)
    services = build_services(connect_to_hub(settings, db, hub, 300), db)
    make_application(sys.argv)
    window = MainWindow(services)
    window.resize(1024, 768)
    window.show()
    wait(lambda: window.started and window.is_idle())
    type_and_enter(window.sign_in_screen.cashier_field, "1")
    type_and_enter(window.sign_in_screen.pin_field, "1234")
    wait(window.is_idle)
    open_the_shift(window)
    scan, phone = window.sale_screen.scan_field, "050 123 45 67"
    QTest.keyClick(scan, Qt.Key.Key_F10)
    wait(lambda: window.sale_actions.dialog is not None)
    QTest.keyClick(window.sale_actions.dialog, Qt.Key.Key_G)
    wait(lambda: window.sale_actions.dialog is not None and window.sale_actions.dialog.objectName() == "sellGiftCardDialog")
    selling = window.sale_actions.dialog
    QTest.keyClick(selling.card_field, Qt.Key.Key_F3)  # an electronic card
    type_and_enter(selling.phone_field, phone)
    QTest.keyClicks(selling.amount_field, "500")
    shoot(window, "gift-card-sell")
    QTest.keyClick(selling.amount_field, Qt.Key.Key_Return)
    wait(lambda: window.sale_actions.dialog is None and window.is_idle())
    QTest.keyClick(scan, Qt.Key.Key_F12)  # the card's sale paid in cash: it goes to the hub
    wait(lambda: window.sale_actions.dialog is not None and window.sale_actions.dialog.shown is not None)
    paying = window.sale_actions.dialog
    QTest.qWait(300)
    QTest.keyClick(paying.tendered_field, Qt.Key.Key_Return)
    wait(lambda: window.sale_actions.dialog is None and window.is_idle())
    service = holds.desk_of(services.till).service
    assert service is not None, "the till has no gift card service (shell/wiring.py)"
    wait(lambda: _active(service, "+380501234567"), 60000)  # the sale reached the hub: the card is active
    for product in list(generate_catalog(40))[:3]:
        type_and_enter(scan, product.barcode)
        wait(window.is_idle)
    QTest.keyClick(scan, Qt.Key.Key_F12)
    wait(lambda: window.sale_actions.dialog is not None and window.sale_actions.dialog.shown is not None)
    paying = window.sale_actions.dialog
    QTest.keyClick(paying.tendered_field, Qt.Key.Key_F8)
    panel = paying.gift_card_panel
    type_and_enter(panel.lookup_field, phone)
    wait(lambda: panel.chosen is not None)
    QTest.keyClick(panel.code_field, Qt.Key.Key_F2)
    wait(lambda: panel.message.text().startswith("Code sent"))
    shoot(window, "gift-card-payment-code")
    import re  # the code as the customer reads it out: the hub's SMS log

    code = re.findall(r"code: (\d+)", (work / "sms.jsonl").read_text())[-1]
    QTest.keyClicks(panel.amount_field, "300")
    type_and_enter(panel.code_field, code)
    wait(lambda: paying.pages.currentWidget() is paying.pay_page and not paying.busy)
    shoot(window, "gift-card-paid")  # "Paid so far: Gift card **** 1234 300.00 UAH", the rest to pay
    window.close()
    hub.stop()
    return 0


def _active(service, phone: str) -> bool:  # noqa: ANN001
    try:
        return bool(service.find(phone=phone))
    except Exception:  # noqa: BLE001 - not yet arrived at the hub
        QTest.qWait(500)
        return False


if __name__ == "__main__":
    scenes = {"promotions": promotions_main, "gift-cards": gift_cards_main}
    sys.exit(scenes[sys.argv[1]]() if sys.argv[1:2] and sys.argv[1] in scenes else main())
