"""The store menu's customer entry (F10, C) and the loyalty card scanned on the sale screen.

Every lookup and registration runs on the till worker (``session.query``); identifying the
customer is a till change (``Till.identify_customer``), so the basket is repriced for them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from local_db.customers import SqlCustomers
from local_db.journal import SqlJournal
from pos.customer_identified import BY_CARD
from pos.customers import CustomerRecord
from pos.i18n import _
from ui.customers.dialog import identify
from ui.customers.identified import CustomerDialogForTheHub, record_identified

if TYPE_CHECKING:
    from ui.sale_actions import SaleActions


def customers_of(actions: SaleActions) -> SqlCustomers | None:
    """The customers of this till's database (None on a till without one: tests' fakes)."""
    services = actions.session.services
    journal = services.journal
    if not isinstance(journal, SqlJournal):
        return None
    store = services.store
    region = store.locale.rpartition("_")[2].upper() if "_" in store.locale else ""
    return SqlCustomers(journal.db, region=region, store_id=store.store_id, till_id=store.till_id)


def identify_customer(actions: SaleActions) -> None:
    """The customer dialog: find by phone or card, register, forget."""
    customers = customers_of(actions)
    if customers is None:
        actions.screen.message.show_error(_("This is not available on this till yet."))
        return
    if actions.dialog is not None:
        return
    dialog = CustomerDialogForTheHub(actions.session, customers, actions.session.services.ui_locale, actions.window)
    actions.open_dialog(dialog)


def identify_by_card(actions: SaleActions, code: str, otherwise: Callable[[], None] | None = None) -> None:
    """A code scanned on the sale screen that is no product: when it is a customer's loyalty
    card, that customer is identified for the sale; ``otherwise`` (a callable) runs if not."""
    customers = customers_of(actions)
    if customers is None:
        if otherwise is not None:
            otherwise()
        return

    def found(record: CustomerRecord | None) -> None:
        if record is None:
            if otherwise is not None:
                otherwise()
            return
        identify(actions.session, record).success(
            lambda _r: actions.screen.message.show_notice(
                _("Customer: {name}").format(name=record.display_name))).failure(actions.problem).run()
        record_identified(actions.session, customers, record.facts.customer_id, BY_CARD)  # for the CRM

    actions.session.query(lambda _till, _journal: customers.by_card(code.strip())).success(found).failure(
        actions.problem).run()


__all__ = ["identify_customer", "identify_by_card"]
