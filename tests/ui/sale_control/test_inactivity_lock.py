"""The inactivity lock on the real window, with the till's clock driven by the test: it locks
after the idle time (not before, not mid-payment), the basket stays, and only the cashier of
the sale or a manager unlocks it."""

from __future__ import annotations

from tests.ui.driver import TillDriver
from tests.ui.sale_control.shop import FIRST, IRYNA, OLENA, RASHAD, SECOND, open_shop
from ui.qt import Qt
from ui.sale_control.inactivity import InactivityWatch
from ui.sale_control.lock_screen import LockScreen


def watch_of(till: TillDriver) -> InactivityWatch:
    watch = till.window.inactivity
    assert isinstance(watch, InactivityWatch)
    return watch


def locked(till: TillDriver) -> bool:
    return isinstance(till.window.sale_actions.dialog, LockScreen)


def unlock_as(till: TillDriver, who: tuple[str, str]) -> str:
    screen = till.window.sale_actions.dialog
    assert isinstance(screen, LockScreen)
    screen.code_field.clear()
    till.type_into(screen.code_field, who[0])
    till.press(screen.code_field, Qt.Key.Key_Return)
    till.enter(screen.pin_field, who[1])
    till.wait_idle()
    return screen.message.text()


def lock_by_idling(till: TillDriver, clock) -> None:  # noqa: ANN001
    clock.advance(minutes=5)
    watch_of(till).check()
    till.wait_until(lambda: locked(till))
    till.wait_idle()


def test_the_till_locks_after_the_idle_time_keeps_the_sale_and_opens_for_its_cashier(qtbot, shop, clock):
    till = open_shop(qtbot, shop, clock)
    till.scan(FIRST.barcode)
    clock.advance(minutes=4, seconds=59)
    assert watch_of(till).check() is False and not locked(till)
    till.press(till.scan_field, Qt.Key.Key_Down)  # a key is activity: the wait starts again
    clock.advance(minutes=4)
    assert watch_of(till).check() is False and not locked(till)

    lock_by_idling(till, clock)
    assert till.window.services.till.locked_by is not None
    till.press(till.window.sale_actions.dialog, Qt.Key.Key_Escape)  # Esc does not open it
    assert locked(till)
    assert unlock_as(till, RASHAD) == "The till is locked by Olena: only they or a manager can unlock it."
    assert locked(till)
    unlock_as(till, OLENA)
    till.wait_until(lambda: not locked(till))
    till.scan(SECOND.barcode)  # selling goes on, the sale as it was
    assert [line.product.code for line in till.lines] == [FIRST.code, SECOND.code]


def test_a_manager_unlocks_and_the_sale_stays_with_its_cashier(qtbot, shop, clock):
    till = open_shop(qtbot, shop, clock)
    till.scan(FIRST.barcode)
    lock_by_idling(till, clock)
    unlock_as(till, IRYNA)
    till.wait_until(lambda: not locked(till))
    assert till.window.services.till.cashier.name == "Olena" and len(till.lines) == 1


def test_a_payment_under_way_is_not_locked_and_the_lock_comes_once_it_is_over(qtbot, shop, clock):
    till = open_shop(qtbot, shop, clock)
    till.scan(FIRST.barcode)
    payment = till.open_dialog(Qt.Key.Key_F12)
    clock.advance(minutes=10)
    assert watch_of(till).check() is False and till.window.sale_actions.dialog is payment
    till.press(payment, Qt.Key.Key_Escape)
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    clock.advance(minutes=5)
    watch_of(till).check()
    till.wait_until(lambda: locked(till))


def test_another_dialog_is_closed_as_esc_would_and_the_till_locks(qtbot, shop, clock):
    till = open_shop(qtbot, shop, clock)
    till.scan(FIRST.barcode)
    till.open_dialog(Qt.Key.Key_F4)  # a quantity being typed when the cashier walked away
    lock_by_idling(till, clock)
    unlock_as(till, OLENA)
    till.wait_until(lambda: not locked(till))
    assert [line.quantity for line in till.lines] == [1]


def test_nobody_signed_in_nothing_to_lock(qtbot, shop, clock):
    till = open_shop(qtbot, shop, clock, who=None)
    clock.advance(hours=1)
    assert watch_of(till).check() is False and till.window.sale_actions.dialog is None
