"""A return of goods paid partly by gift card, on the real window over a real till file (the
in-memory hub service, a card terminal emulator so refunds go back to their tenders): the
return dialog's refund plan says "Back on gift card **** 0010" and the printed return receipt
says the same in the store's language; the rest comes back in cash.  A copy printed from the
manager's journal reads as the first print did (the card, the reason), marked COPY."""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from hardware.loopback_printer import LoopbackPrinter
from local_db.database import open_database
from local_db.journal import SqlJournal
from local_db.journal_search import JournalEntry
from pos.gift_cards.records import GIFT_CARD
from pos.money import Money
from pos.receipt_code import receipt_code_text
from tests.hardware.escpos_decoder import decode, receipts_in
from tests.pos.gift_cards.memory_service import MemoryGiftCards
from tests.ui.driver import WAIT_MS, TillDriver
from tests.ui.gift_cards.screens import PLASTIC, paying
from tests.ui.gift_cards.till_with_gift_cards import gift_card_services
from tests.ui.payment.conftest import terminal
from tests.ui.returns.test_return_dialog import return_dialog
from tests.ui.sale_control.conftest import clock, shop  # noqa: F401  (a real till file with an open shift)
from tests.ui.sale_control.shop import FIRST, TARAS, TILL_ID
from ui.app import make_application
from ui.manager.common import Desk, journal_search, shop_zone
from ui.manager.document_view import DocumentDialog
from ui.qt import Qt

NUMBER = PLASTIC.replace(" ", "")


def return_paid_partly_by_card(qtbot, till: TillDriver, shop: Path,  # noqa: ANN001
                               printer: LoopbackPrinter) -> tuple[uuid.UUID, list[str]]:
    """50.00 of a sale paid by the card 0010 and the rest in cash, all of it returned: the
    return's id and the texts of its printed slip."""
    for _ in range(math.ceil(Decimal(150) / FIRST.price.amount)):
        till.scan(FIRST.barcode)
    dialog = paying(till)
    till.enter(dialog.tendered_field, PLASTIC)  # the gift card page, the card found
    panel = dialog.gift_card_panel
    till.wait_until(lambda: dialog.pages.currentWidget() is panel and panel.chosen is not None)
    till.enter(panel.amount_field, "50")
    till.wait_until(lambda: dialog.pages.currentWidget() is dialog.pay_page and not dialog.busy)
    till.enter(dialog.tendered_field, "")  # the rest in cash
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    with open_database(shop) as db:
        [sale] = SqlJournal(db, TILL_ID).recent_sales(1)
    assert [p.method for p in sale.payments] == [GIFT_CARD, "cash"]

    till.scan(receipt_code_text(sale.store_id, sale.till_id, sale.sale_id))
    returning = return_dialog(till)
    till.press(returning, Qt.Key.Key_Down)
    returning.all_of_line()  # everything back: 50.00 to the card, the rest in cash
    till.wait_until(lambda: "Back on gift card **** 0010 50.00" in returning.plan.text())
    assert "Cash" in returning.plan.text()
    till.press(returning, Qt.Key.Key_F12)
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    with open_database(shop) as db, db.reading() as conn:
        [(return_id,)] = conn.exec_driver_sql("SELECT return_id FROM returns").all()
    return uuid.UUID(return_id), slip_texts(qtbot, printer, uuid.UUID(return_id), 1)


def slip_texts(qtbot, printer: LoopbackPrinter, return_id: uuid.UUID, count: int) -> list[str]:  # noqa: ANN001
    """The texts of the ``count``th slip of the return the printer received (found by its id,
    printed in ASCII: a copy may be printed in another code page)."""
    def slips() -> list[bytes]:
        return [r for r in receipts_in(printer.received()) if return_id.hex[:8].encode() in r]

    qtbot.waitUntil(lambda: len(slips()) >= count, timeout=WAIT_MS)
    return [" ".join(t.replace("\u00a0", " ").split()) for t in decode(slips()[count - 1]).texts]


@contextmanager
def signed_in(qtbot, shop: Path, clock, tmp_path: Path) -> Iterator[tuple[TillDriver, LoopbackPrinter]]:  # noqa: ANN001
    """The window signed in by Taras, printing on loopback, the card 0010 holding 500.00 at the
    in-memory hub, a card terminal emulator for the refunds."""
    cards = MemoryGiftCards()
    cards.activate(NUMBER, "500.00")
    with LoopbackPrinter() as printer, terminal(tmp_path) as (card_terminal, _journal):
        services = gift_card_services(shop, clock, cards, printer.setting)
        services.payment_terminal = card_terminal
        make_application()
        till = TillDriver.open(qtbot, services)
        till.sign_in(*TARAS)
        yield till, printer


def test_the_return_dialog_and_receipt_say_the_gift_card_share_goes_back_on_the_card(
        qtbot, shop, clock, tmp_path: Path):  # noqa: ANN001
    with signed_in(qtbot, shop, clock, tmp_path) as (till, printer):
        _return_id, texts = return_paid_partly_by_card(qtbot, till, shop, printer)
    assert "Повернуто на подарункову картку **** 0010" in texts
    assert not any(NUMBER in t for t in texts)


def test_a_copy_of_the_return_slip_from_the_journal_reads_as_the_first_print_marked_copy(
        qtbot, shop, clock, tmp_path: Path):  # noqa: ANN001
    with signed_in(qtbot, shop, clock, tmp_path) as (till, printer):
        return_id, first = return_paid_partly_by_card(qtbot, till, shop, printer)
        window = till.window
        services = window.session.services
        desk = Desk(window.session, window.printer, journal_search(services), shop_zone(services))
        entry = JournalEntry("return", return_id, 1, clock.now(), "Taras", Money.of("213", "UAH"), (), False,
                             False, 1)
        document = DocumentDialog(desk, entry, window)
        till.wait_until(lambda: document.document is not None)
        document.print_copy()
        copy = slip_texts(qtbot, printer, return_id, 2)
        document.close()
    assert "Повернуто на подарункову картку **** 0010" in copy
    marks = [t for t in copy if "КОПІЯ" in t.replace(" ", "")]
    assert len(marks) == 2
    assert [t for t in copy if t not in marks] == first
