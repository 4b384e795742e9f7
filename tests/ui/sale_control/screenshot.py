"""docs/screenshots/approval-prompt.png: the manager approval prompt at 1024x768, as a cashier
asks to cancel a sale.  Run: QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.ui.sale_control.screenshot"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from pos.store_day.day import NeedsApproval
from pos.store_day.roles import Action
from tests.ui.sale_control.shop import FIRST, SECOND, DrivenClock, make_shop, shop_services
from ui.app import make_application
from ui.approval.prompt import ApprovalPrompt, open_prompt
from ui.main_window import MainWindow
from ui.qt import QApplication

OUT = Path(__file__).resolve().parents[3] / "docs" / "screenshots" / "approval-prompt.png"


def settle(window: MainWindow) -> None:
    while not window.is_idle():
        QApplication.processEvents()
    QApplication.processEvents()


def main() -> int:
    app = make_application()
    with tempfile.TemporaryDirectory() as folder:
        clock = DrivenClock()
        services = shop_services(make_shop(Path(folder) / "till.sqlite3", clock), clock)
        window = MainWindow(services)
        window.resize(1024, 768)
        window.show()
        settle(window)
        window.sign_in("1", "1234")
        settle(window)
        for code in (FIRST.barcode, SECOND.barcode):
            window.sale_actions.sell(code)
        settle(window)
        till = services.till
        needed = NeedsApproval(who=till.staff(), action=Action.CANCEL_SALE,
                               amount=till.basket.total(), sale_id=till.basket.basket_id)
        prompt: ApprovalPrompt = open_prompt(window.sale_actions, needed, lambda _id: None)
        settle(window)
        prompt.choose_reason(0)
        prompt.code_field.setText("9")
        prompt.pin_field.setText("9999")
        prompt.pin_field.setFocus()
        prompt.resize(1024, 768)
        settle(window)
        OUT.parent.mkdir(parents=True, exist_ok=True)
        prompt.grab().save(str(OUT))
        window.close()
    app.processEvents()
    print(OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
