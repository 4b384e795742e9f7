"""A gift card line on the sale screen and on the customer's screen (while selling, and once
paid) says "Gift card **** 0010" in each one's language (the cashier's UI language, the
store's for the customer), never the product's stored name alone nor the whole card number;
other lines keep their names."""

from __future__ import annotations

from local_db.database import open_database
from local_db.journal import SqlJournal
from pos.i18n import active_locale, set_language
from tests.ui.gift_cards.screens import PLASTIC, paying, sell_dialog
from tests.ui.sale_control.shop import FIRST, TILL_ID, open_shop
from ui.basket_model import NAME_COLUMN
from ui.customer_display.texts import CustomerTexts


def test_the_gift_card_row_names_its_masked_card_on_the_sale_screen_and_the_customers_screen(
        qtbot, shop, clock):  # noqa: ANN001
    till = open_shop(qtbot, shop, clock)
    till.scan(FIRST.barcode)
    dialog = sell_dialog(till)
    till.wait_until(dialog.card_field.hasFocus)
    till.type_into(dialog.card_field, PLASTIC)
    till.enter(dialog.amount_field, "500")
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()

    model = till.window.sale_screen.model
    names = [model.data(model.index(row, NAME_COLUMN)) for row in range(model.rowCount())]
    assert names == [FIRST.name, "Gift card **** 0010"]
    assert not any("9900" in name for name in names)

    view = model.view
    assert [line.name for line in CustomerTexts("en").basket(view).lines] == [FIRST.name, "Gift card **** 0010"]
    assert CustomerTexts("uk").basket(view).lines[1].name == "Подарункова картка **** 0010"
    was = active_locale()
    set_language("uk")
    try:
        model.set_view(view)
        assert model.data(model.index(1, NAME_COLUMN)) == "Подарункова картка **** 0010"
    finally:
        set_language(was)

    dialog = paying(till)  # paid in cash: the customer's screen thanks them with the same lines
    till.enter(dialog.tendered_field, "")
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    with open_database(shop) as db:
        [sale] = SqlJournal(db, TILL_ID).recent_sales(1)
    assert [line.name for line in CustomerTexts("en").paid(sale).lines] == [FIRST.name, "Gift card **** 0010"]
