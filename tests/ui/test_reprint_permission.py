"""Reprinting follows the chain's permission table: where head office
keeps it for managers, a cashier's F9 opens the manager's approval prompt first."""

from __future__ import annotations

from dataclasses import replace

from pos.store_day.roles import DEFAULT_TABLE, Action, PermissionTable, Role
from shell.wiring import build_services
from tests.shift_setup import open_shift_in
from tests.ui.shift.shift_till import IRYNA, OLENA, approve, dialog_named, make_shop, settings_for
from ui.qt import Qt
from ui.reprint_dialog import ReprintDialog


def test_a_cashiers_reprint_needs_a_manager_where_the_chain_keeps_it_for_managers(qtbot, open_till, tmp_path):  # noqa: ANN001
    path = make_shop(tmp_path / "till.sqlite3")
    open_shift_in(path, "S1", "T07")
    services = build_services(settings_for(path, printer=f"preview:{tmp_path / 'receipts'}"))
    assert services.store_day is not None
    managers_only = PermissionTable({**DEFAULT_TABLE.allowed, Action.REPRINT: frozenset({Role.MANAGER})})
    services.store_day.rules = replace(services.store_day.rules, permissions=managers_only)
    till = open_till(services)
    till.sign_in(*OLENA)
    till.press(till.scan_field, Qt.Key.Key_F9)
    assert dialog_named(till, "approvalPrompt") is not None  # not the list of receipts: a manager first
    approve(till, IRYNA)
    till.wait_until(lambda: isinstance(till.window.sale_actions.dialog, ReprintDialog))
    till.press(till.window.sale_actions.dialog, Qt.Key.Key_Escape)
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    assert len(services.store_day.journal.spent_approvals()) == 1  # who approved is in the journal


def test_with_the_default_table_any_cashier_reprints_without_asking(qtbot, open_till, tmp_path):  # noqa: ANN001
    path = make_shop(tmp_path / "till.sqlite3")
    open_shift_in(path, "S1", "T07")
    till = open_till(build_services(settings_for(path, printer=f"preview:{tmp_path / 'receipts'}")))
    till.sign_in(*OLENA)
    till.press(till.scan_field, Qt.Key.Key_F9)
    till.wait_until(lambda: isinstance(till.window.sale_actions.dialog, ReprintDialog))
