"""The customer dialog: a phone number or loyalty card finds the customer and makes them the
sale's (name, tier, segment, points, personal offers, wishlist items this store carries are
shown); "Register new customer" (phone, name, optional card) works offline; "Forget customer"
takes the customer off the sale.  Lookups run on the till worker, never the UI thread."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from local_db.customers import SqlCustomers
from pos.customers import CustomerRecord
from pos.i18n import _
from ui import formatting
from ui.dialogs import TillDialog, big_button
from ui.errors import show_problem
from ui.qt import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget, qconnect


def identify(session: Any, record: CustomerRecord) -> Any:
    """The op that makes ``record`` the sale's customer, their personal offers unlocked."""
    facts, offers = record.facts, frozenset(record.personal_offers)
    return session.change(lambda till: till.identify_customer(facts, offers, record.display_name))


class CustomerDialog(TillDialog):
    def __init__(self, session: Any, customers: SqlCustomers, ui_locale: str, parent: QWidget | None = None) -> None:
        super().__init__(_("Customer"), parent)
        self.setObjectName("customerDialog")
        self.session = session
        self.customers = customers
        self.ui_locale = ui_locale
        self.record: CustomerRecord | None = None
        self.lookup = self._field("customerLookup", _("Phone number or loyalty card"))
        qconnect(self.lookup.returnPressed, self.find_customer)
        self.customer_name = QLabel("", self)
        self.customer_name.setObjectName("customerName")
        self.customer_name.setStyleSheet("font-size: 20pt; font-weight: bold;")
        self.details = QLabel("", self)
        self.details.setObjectName("customerDetails")
        self.details.setWordWrap(True)
        self.details.setMinimumHeight(120)
        self.phone = self._field("registerPhone", _("Phone number"))
        self.name = self._field("registerName", _("Name"))
        self.card = self._field("registerCard", _("Loyalty card (optional)"))
        find, register = big_button(_("Find"), self, "findCustomer"), big_button(_("Register new customer"), self,
                                                                                 "registerCustomer")
        forget, close = big_button(_("Forget customer"), self, "forgetCustomer"), big_button(_("Esc  Close"), self)
        qconnect(find.clicked, self.find_customer)
        qconnect(register.clicked, self.register)
        for typed in (self.phone, self.name, self.card):  # Enter in a field of the form registers
            qconnect(typed.returnPressed, self.register)
        qconnect(forget.clicked, self.forget)
        qconnect(close.clicked, self.reject)
        column = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.lookup, 1)
        top.addWidget(find)
        column.addLayout(top)
        column.addWidget(self.customer_name)
        column.addWidget(self.details)
        column.addWidget(self.message)
        column.addWidget(QLabel(_("Register new customer"), self))
        form = QGridLayout()
        for row, (label, field) in enumerate(((_("Phone number"), self.phone), (_("Name"), self.name),
                                              (_("Loyalty card (optional)"), self.card))):
            form.addWidget(QLabel(label, self), row, 0)
            form.addWidget(field, row, 1)
        column.addLayout(form)
        buttons = QHBoxLayout()
        for button in (register, forget, close):
            buttons.addWidget(button)
        column.addLayout(buttons)
        self.resize(680, 660)
        self.lookup.setFocus()

    def _field(self, name: str, placeholder: str) -> QLineEdit:
        field = QLineEdit(self)
        field.setObjectName(name)
        field.setPlaceholderText(placeholder)
        field.setMinimumHeight(48)
        return field

    # -- what the buttons do ------------------------------------------------------------------
    def find_customer(self) -> None:
        typed = self.lookup.text()
        customers = self.customers
        self.session.query(lambda _till, _journal: customers.find(typed)).success(self._found).failure(
            self._failed).run()

    def register(self) -> None:
        phone, name, card, customers = self.phone.text(), self.name.text(), self.card.text(), self.customers
        at = datetime.now(timezone.utc)
        self.session.query(lambda _till, _journal: customers.register(phone, name, card, now=at)).success(
            self._registered).failure(self._failed).run()

    def forget(self) -> None:
        self.session.change(lambda till: till.identify_customer(None)).success(self._forgotten).failure(
            self._failed).run()

    # -- what comes back -----------------------------------------------------------------------
    def _found(self, record: CustomerRecord | None) -> None:
        if self.closed:
            return
        if record is None:
            self.customer_name.setText("")
            self.details.setText("")
            self.message.show_notice(_("No customer has that phone number or card: register them below."))
            if not self.phone.text():
                self.phone.setText(self.lookup.text())
            return
        self._identify(record, _("Customer identified."))

    def _registered(self, outcome: tuple[CustomerRecord, bool]) -> None:
        if self.closed:
            return
        record, new = outcome
        self._identify(record, _("Customer registered.") if new else
                       _("That phone number is already a customer's: they are identified."))

    def _identify(self, record: CustomerRecord, notice: str) -> None:
        self.record = record
        self.customer_name.setText(record.display_name)
        self.details.setText(self.describe(record))

        def done(_result: Any) -> None:
            if not self.closed:
                self.message.show_notice(notice)
        identify(self.session, record).success(done).failure(self._failed).run()

    def _forgotten(self, _result: Any) -> None:
        if self.closed:
            return
        self.record = None
        self.customer_name.setText("")
        self.details.setText("")
        self.message.show_notice(_("The sale has no customer now."))

    def _failed(self, error: BaseException) -> None:
        show_problem(None if self.closed else self.message, error)

    def describe(self, r: CustomerRecord) -> str:
        """What the cashier reads of the customer under their name: tier, segment, points, offers, wishlist."""
        lines: list[str] = []
        facts = r.facts
        if facts.tier or facts.segment:
            lines.append(_("Tier: {tier}  Segment: {segment}").format(tier=facts.tier or "-",
                                                                      segment=facts.segment or "-"))
        lines.append(_("Points: {points}").format(points=formatting.count(r.points_balance, self.ui_locale)))
        if r.offer_names:
            lines.append(_("Personal offers: {offers}").format(offers=", ".join(r.offer_names)))
        if r.wishlist_names:
            lines.append(_("Wishlist in this store: {items}").format(items=", ".join(r.wishlist_names)))
        if r.registered_here:
            lines.append(_("Registered at this till: the hub has not confirmed them yet."))
        return "\n".join(lines)
