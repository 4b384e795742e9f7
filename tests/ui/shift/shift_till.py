"""A real till for the shift tests: a SQLite file with the demo store and cashiers with roles
(Olena 1 a cashier, Iryna 31 a manager), no shift open, the window wired by
``shell.wiring.build_services``; and the steps a person takes at the shift's dialogs."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from local_db.cashiers import add_cashier
from local_db.database import open_database
from local_db.demo_store import create_demo_store
from local_db.staff import set_role
from pos.demo_catalog import generate_catalog
from pos.store_day.roles import Role
from shell.settings import Settings, parse_settings
from tests.ui.driver import TillDriver
from ui.approval.prompt import ApprovalPrompt
from ui.qt import QDialog, Qt, QWidget
from ui.shift.count_dialog import CountDialog
from ui.store_menu import ENTRIES

ITEMS = 60
ITEM = next(p for p in generate_catalog(ITEMS) if not p.sold_by_weight)
OLENA, IRYNA = ("1", "1234"), ("31", "3131")


def make_shop(path: Path) -> Path:
    db = open_database(path)
    create_demo_store(db, items=ITEMS)
    add_cashier(db, IRYNA[0], "Iryna", IRYNA[1])
    set_role(db, IRYNA[0], Role.MANAGER)
    return path


def settings_for(path: Path, printer: str = "none", language: str = "en") -> Settings:
    return parse_settings(f"""
[store]
store_id = "S1"
name = "Test Store"
currency = "UAH"
locale = "en_GB"
[till]
till_id = "T07"
ui_language = "{language}"
cash_rounding = "0.10"
[printer]
connection = "{printer}"
retry_seconds = 1
[database]
path = "{path}"
""", Path("test.toml"))


def dialog_named(till: TillDriver, name: str) -> QDialog:
    """Wait until the sale screen's open dialog is ``name`` (objectName) and return it."""
    till.wait_until(lambda: till.window.sale_actions.dialog is not None
                    and till.window.sale_actions.dialog.objectName() == name)
    dialog = till.window.sale_actions.dialog
    assert dialog is not None
    return dialog


def no_dialog(till: TillDriver) -> None:
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()


def menu_entry(till: TillDriver, name: str) -> None:
    """F10, then the entry's key, as a person does."""
    key = next(e.key for e in ENTRIES if e.name == name)
    menu = till.open_dialog(Qt.Key.Key_F10)
    till.qtbot.keyClicks(menu, key)  # type: ignore[attr-defined]


def count(till: TillDriver, dialog: CountDialog, typed: dict[str, str]) -> None:
    """Type pieces per denomination (``{"100": "3"}``) into their rows."""
    for value, text in typed.items():
        field = next(r.field for r in dialog.rows if r.denomination.value.amount == Decimal(value))
        field.setFocus()
        field.selectAll()
        till.type_into(field, text)


def hand_over(till: TillDriver, dialog: CountDialog) -> None:
    """Enter on the last row hands the count over."""
    last = dialog.rows[-1].field
    last.setFocus()
    till.press(last, Qt.Key.Key_Return)


def approve(till: TillDriver, who: tuple[str, str] = IRYNA) -> None:
    """The manager's number, PIN and the first reason in the approval prompt."""
    prompt = dialog_named(till, "approvalPrompt")
    assert isinstance(prompt, ApprovalPrompt)
    till.enter(prompt.code_field, who[0])
    till.type_into(prompt.pin_field, who[1])
    till.press(prompt.pin_field, Qt.Key.Key_Down)  # the first reason
    till.press(prompt.pin_field, Qt.Key.Key_Return)


def text_of(widget: QWidget) -> str:
    """Every label's text in a dialog (what a person can read on it)."""
    from ui.qt import QLabel

    return " | ".join(label.text() for label in widget.findChildren(QLabel))
