"""F10, P: a line's price changed at the till.  A cashier's change waits for a manager's approval
bound to the line and its new total; a price that cannot be read keeps the dialog open."""

from __future__ import annotations

from decimal import Decimal

from shell.wiring import build_services
from tests.shift_setup import open_shift_in
from tests.ui.shift.shift_till import IRYNA, ITEM, OLENA, approve, dialog_named, make_shop, menu_entry, settings_for


def test_a_cashiers_price_change_is_approved_by_a_manager_and_sold_at_the_new_price(qtbot, open_till, tmp_path):  # noqa: ANN001
    path = make_shop(tmp_path / "till.sqlite3")
    open_shift_in(path, "S1", "T07")
    services = build_services(settings_for(path))
    till = open_till(services)
    till.sign_in(*OLENA)
    till.scan(ITEM.barcode)
    menu_entry(till, "changePrice")
    entry = dialog_named(till, "entryDialog")
    till.enter(entry.field, "abc")
    till.wait_idle()
    assert till.window.sale_actions.dialog is entry and "is not a price" in entry.message.text()
    entry.field.clear()
    till.enter(entry.field, "1.50")
    approve(till, IRYNA)  # Olena may not change prices alone
    till.wait_until(lambda: till.window.sale_screen.model.view.lines[0].product.price.amount == Decimal("1.50"))
    till.wait_idle()
    [record_id] = services.store_day.journal.spent_approvals()
    assert record_id is not None
    assert till.window.sale_screen.model.view.total.amount == Decimal("1.50")
