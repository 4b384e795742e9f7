"""The manager approval prompt on the real window over a real till file: who may approve, the
lockout after wrong PINs (audited), Esc, and an approval that can never be used twice."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal

import pytest

from local_db.store_day_journal import ApprovalAlreadyUsed, SqlStoreDay
from pos.store_day.approval import ApprovalUnknown
from pos.store_day.forms import approval_from_dict
from tests.ui.driver import TillDriver
from tests.ui.sale_control.shop import (
    FIRST, IRYNA, OLENA, RASHAD, SECOND, TARAS, TILL_ID, WEIGHED, database, open_shop, scale_label,
)
from ui.approval.prompt import ApprovalPrompt
from ui.dialogs import EntryDialog
from ui.qt import QLabel, Qt
from ui.sale_control import actions as sale_control
from ui.sale_control.approvals import change_quantity_with_approval, void_with_approval

VOID_BY_MANAGERS_ONLY = {"void_line": ["manager"]}


def prompt_of(till: TillDriver) -> ApprovalPrompt:
    till.wait_until(lambda: isinstance(till.window.sale_actions.dialog, ApprovalPrompt))
    till.wait_idle()
    prompt = till.window.sale_actions.dialog
    assert isinstance(prompt, ApprovalPrompt)
    return prompt


def approve_as(till: TillDriver, prompt: ApprovalPrompt, who: tuple[str, str]) -> str:
    """Type a number and PIN as a manager would, Enter; what the prompt says after."""
    prompt.code_field.clear()
    till.type_into(prompt.code_field, who[0])
    till.press(prompt.code_field, Qt.Key.Key_Return)  # on to the PIN
    till.enter(prompt.pin_field, who[1])
    till.wait_idle()
    return prompt.message.text()


def ask_to_cancel(till: TillDriver) -> ApprovalPrompt:
    sale_control.cancel_sale(till.window.sale_actions)
    confirm = till.window.sale_actions.dialog
    assert confirm is not None and confirm.objectName() == "cancelSaleDialog"
    till.press(confirm, Qt.Key.Key_Return)
    return prompt_of(till)


def rows(path, sql: str) -> list[tuple]:  # noqa: ANN001
    with database(path).reading() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(sql).all()]


def test_a_cashier_cancels_a_sale_once_a_manager_approves_and_each_wrong_approver_is_told_why(qtbot, shop, clock):
    till = open_shop(qtbot, shop, clock)
    till.scan(FIRST.barcode)
    till.scan(SECOND.barcode)
    prompt = ask_to_cancel(till)
    asks = prompt.findChild(QLabel, "approvalRequest")
    assert asks is not None and asks.text().startswith("Olena asks: Cancel the whole sale, ")

    till.press(prompt.code_field, Qt.Key.Key_Down)  # the first reason, by keyboard
    assert prompt.reason is not None and prompt.reason.code == "customer_changed_mind"
    assert "another manager must approve" in approve_as(till, prompt, OLENA)  # her own request
    assert "Rashad is not a manager" in approve_as(till, prompt, RASHAD)
    assert "Taras is not a manager" in approve_as(till, prompt, TARAS)
    assert "Wrong manager number or PIN" in approve_as(till, prompt, (IRYNA[0], "0000"))
    assert prompt.isVisible() and prompt.pin_field.text() == "" and len(till.lines) == 2

    approve_as(till, prompt, IRYNA)
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    assert till.lines == () and till.message == "Sale cancelled."
    [(approval_id, body)] = rows(shop, "SELECT approval_id, body FROM approvals")
    approval = json.loads(body)
    assert (approval["action"], approval["requested_by"], approval["approved_by"], approval["reason"]) == (
        "cancel_sale", OLENA[0], IRYNA[0], "customer_changed_mind")
    [(cancelled,)] = rows(shop, "SELECT body FROM cancelled_sales")
    assert json.loads(cancelled)["approval_id"] == approval_id
    kinds = [k for (k,) in rows(shop, "SELECT kind FROM outbox ORDER BY row_id")]
    assert kinds[-2:] == ["kassa.approval.v1", "kassa.sale_cancelled.v1"]


def test_wrong_manager_pins_lock_the_number_out_every_try_is_recorded_and_the_sale_waits(qtbot, shop, clock):
    till = open_shop(qtbot, shop, clock, permissions=VOID_BY_MANAGERS_ONLY)
    till.scan(FIRST.barcode)
    void_with_approval(till.window.sale_actions, till.lines[0].line_id)
    prompt = prompt_of(till)
    prompt.choose_reason(1)
    said = [approve_as(till, prompt, (IRYNA[0], "0000")) for _ in range(3)]
    assert said[:2] == ["Wrong manager number or PIN."] * 2
    assert said[2] == "Too many wrong PINs for cashier 9: try again in 0:30."
    assert approve_as(till, prompt, IRYNA).startswith("Too many wrong PINs")  # the right PIN waits too
    assert prompt.isVisible() and not till.lines[0].voided
    outcomes = [o for (o,) in rows(shop, "SELECT outcome FROM sign_in_attempts WHERE cashier_code = '9' ORDER BY id")]
    assert outcomes == ["wrong_pin", "wrong_pin", "locked_out", "refused_locked"]

    clock.advance(seconds=31)  # the lockout is over
    approve_as(till, prompt, IRYNA)
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    assert till.lines[0].voided
    assert rows(shop, "SELECT action, requested_by, approved_by FROM approvals") == [("void_line", "1", "9")]


def test_esc_drops_the_request_and_nothing_is_done(qtbot, shop, clock):
    till = open_shop(qtbot, shop, clock, permissions=VOID_BY_MANAGERS_ONLY)
    till.scan(FIRST.barcode)
    void_with_approval(till.window.sale_actions, till.lines[0].line_id)
    prompt = prompt_of(till)
    till.press(prompt.code_field, Qt.Key.Key_Escape)
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    day = till.window.services.store_day
    assert day is not None and day.desk.pending == {} and day.desk.granted == {}
    assert not till.lines[0].voided and rows(shop, "SELECT * FROM approvals") == []


def test_an_approval_is_never_used_twice_not_even_after_a_restart(qtbot, shop, clock):
    till = open_shop(qtbot, shop, clock)
    till.scan(FIRST.barcode)
    used: list[uuid.UUID] = []
    prompt = ask_to_cancel(till)
    then = prompt._then
    prompt._then = lambda approval_id: (used.append(approval_id), then(approval_id))
    prompt.choose_reason(0)
    approve_as(till, prompt, IRYNA)
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    assert till.lines == () and len(used) == 1

    till.scan(SECOND.barcode)  # a new sale; the same approval again, through the window's session
    actions = till.window.sale_actions
    actions.session.change(lambda t: t.cancel_sale(used[0])).failure(actions.problem).run()
    till.wait_idle()
    assert till.message == ApprovalUnknown().user_message() and len(till.lines) == 1
    till.window.close()

    again = open_shop(qtbot, shop, clock)  # restarted: the journal's approvals are spent
    actions = again.window.sale_actions
    actions.session.change(lambda t: t.cancel_sale(used[0])).failure(actions.problem).run()
    again.wait_idle()
    assert again.message == ApprovalUnknown().user_message() and len(again.lines) == 1
    [(body,)] = rows(shop, "SELECT body FROM approvals")
    with pytest.raises(ApprovalAlreadyUsed):  # and the journal refuses the record itself
        SqlStoreDay(database(shop), TILL_ID).record_approval(approval_from_dict(json.loads(body)))
    assert rows(shop, "SELECT COUNT(*) FROM cancelled_sales") == [(1,)]


def test_a_weight_from_a_scale_label_changes_in_the_entry_dialog_once_a_manager_approves(qtbot, shop, clock):
    till = open_shop(qtbot, shop, clock)
    till.scan(scale_label(WEIGHED.code, 350))
    actions = till.window.sale_actions
    line_id = till.lines[0].line_id
    entry = EntryDialog("Quantity", "new weight", "0.350",
                        lambda text: change_quantity_with_approval(actions, line_id, text), till.window)
    actions.open_dialog(entry)
    till.enter(entry.field, "abc")  # a bad weight: said in the entry dialog, no manager asked
    till.wait_idle()
    assert actions.dialog is entry and entry.message.text() != ""
    entry.field.clear()
    till.enter(entry.field, "0.5")
    prompt = prompt_of(till)  # the entry dialog closed, the prompt asks for the new amount
    asks = prompt.findChild(QLabel, "approvalRequest")
    assert asks is not None and asks.text().startswith("Olena asks: Change a weight from a scale label, ")
    prompt.choose_reason(0)
    approve_as(till, prompt, IRYNA)
    till.wait_until(lambda: actions.dialog is None)
    till.wait_idle()
    assert till.lines[0].quantity == Decimal("0.5")
    assert rows(shop, "SELECT action, requested_by, approved_by FROM approvals") == [("weight_override", "1", "9")]
