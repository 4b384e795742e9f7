"""The promo code dialog: a field for the code (typed, or scanned into it), the customer's phone
number and PIN when a personal code asks for them, the codes already applied (each with its
Remove button) and a message line that says exactly why a code is refused."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pos.i18n import _
from pos.pricing.codes import BasketBelowMinimum, CodeNeedsPhone
from ui.dialogs import TillDialog, big_button
from ui.errors import describe_problem
from ui.operations import Op
from ui.qt import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget, qconnect


@dataclass(frozen=True, slots=True)
class CodesNow:
    applied: tuple[str, ...]
    unmet: tuple[BasketBelowMinimum, ...]


def unmet_text(unmet: tuple[BasketBelowMinimum, ...]) -> str:
    """What the screen says of codes whose minimum the basket no longer reaches."""
    return " ".join(describe_problem(p) + " " + _("It is dropped when payment starts.") for p in unmet)


class PromoCodeDialog(TillDialog):
    def __init__(self, now: CodesNow, *, apply: Callable[[str, str, str], Op[Any]],
                 remove: Callable[[str], Op[Any]], parent: QWidget | None = None) -> None:
        super().__init__(_("Promo code"), parent)
        self.setObjectName("promoCodeDialog")
        self._apply, self._remove = apply, remove
        column = QVBoxLayout(self)
        column.addWidget(QLabel(_("Type or scan the promo code, then Enter."), self))
        self.code_field = self._field("promoCodeField", column)
        self.personal = QWidget(self)
        self.personal.setObjectName("personalCode")
        personal = QVBoxLayout(self.personal)
        personal.setContentsMargins(0, 0, 0, 0)
        personal.addWidget(QLabel(_("A personal code: the customer's phone number, then their PIN."), self.personal))
        self.phone_field = self._field("promoPhoneField", personal)
        self.pin_field = self._field("promoPinField", personal)
        self.pin_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.personal.hide()
        column.addWidget(self.personal)
        column.addWidget(self.message)
        self.applied_box = QVBoxLayout()
        column.addLayout(self.applied_box)
        for code in now.applied:
            self._applied_row(code)
        if now.unmet:
            self.message.show_error(unmet_text(now.unmet))
        buttons = QHBoxLayout()
        apply_button = big_button(_("Enter  Apply"), self, "applyPromoCode")
        close_button = big_button(_("Esc  Close"), self)
        qconnect(apply_button.clicked, self.submit)
        qconnect(close_button.clicked, self.reject)
        buttons.addWidget(apply_button)
        buttons.addWidget(close_button)
        column.addLayout(buttons)
        self.resize(520, 360)

    def _field(self, name: str, layout: QVBoxLayout) -> QLineEdit:
        field = QLineEdit(self)
        field.setObjectName(name)
        field.setMinimumHeight(48)
        field.setMaxLength(64)
        qconnect(field.returnPressed, self.submit)
        layout.addWidget(field)
        return field

    def _applied_row(self, code: str) -> None:
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Applied: {code}").format(code=code), self))
        button = big_button(_("Remove"), self, f"removePromoCode_{code}")
        qconnect(button.clicked, lambda: self.run_then_close(self._remove(code)))
        row.addWidget(button)
        self.applied_box.addLayout(row)

    def submit(self) -> None:
        if not self.personal.isHidden() and self.phone_field.text().strip() and not self.pin_field.text():
            self.pin_field.setFocus()
            return
        self.run_then_close(self._apply(self.code_field.text(), self.phone_field.text(), self.pin_field.text()))

    def failed(self, error: BaseException) -> None:
        super().failed(error)
        if self.closed:
            return
        if isinstance(error, CodeNeedsPhone):
            self.personal.show()
            self.phone_field.setFocus()
        self.pin_field.clear()
