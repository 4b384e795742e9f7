"""What the manager's pages share: the journal's read side, the shop's clock, and the words
for tenders, documents and states."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from zoneinfo import ZoneInfo

from local_db.journal_search import JournalSearch
from local_db.store_day_journal import SqlStoreDay
from pos.i18n import N_, _
from pos.money import Money
from ui import formatting
from ui.list_model import RowsModel
from ui.printing import PrinterWatch
from ui.qt import QDialog, Qt, QWidget, qconnect
from ui.services import TillServices
from ui.session import TillSession

T = TypeVar("T")

TABLE_STYLE = "QTableView { font-size: 15pt; }"  # the lists fit their columns in the width of a 1024 screen

TENDER_NAMES = {"cash": N_("Cash"), "card": N_("Card"), "exchange_credit": N_("Exchange credit"),
                "points": N_("Loyalty points"), "gift_card": N_("Gift card")}

# what a list calls a document of each outbox series (a sale is its receipt)
SERIES_NAMES = {
    "receipt": N_("Receipt {number}"),
    "return": N_("Return {number}"),
    "cash_movement": N_("Cash movement {number}"),
    "z_report": N_("Z report {number}"),
    "shift": N_("Shift"),
    "approval": N_("Manager approval"),
    "sale_cancelled": N_("Cancelled sale"),
    "customer": N_("Customer registration"),
    "customer_identified": N_("Customer identified"),
}


def journal_search(services: TillServices) -> JournalSearch | None:
    """The read side over the till's database; None on a till without a store's day."""
    day = services.store_day
    journal = day.journal if day is not None else None
    if not isinstance(journal, SqlStoreDay):
        return None
    return JournalSearch(journal.db, journal.till_id, services.store.currency)


def shop_zone(services: TillServices) -> tzinfo:
    """The shop's time zone (the computer's own when the setting names none it knows)."""
    try:
        return ZoneInfo(services.store.timezone)
    except (KeyError, ValueError, OSError):
        return datetime.now(timezone.utc).astimezone().tzinfo or timezone.utc


def tender_name(method: str) -> str:
    return _(TENDER_NAMES[method]) if method in TENDER_NAMES else method


def document_name(series: str, number: int) -> str:
    return _(SERIES_NAMES[series]).format(number=number) if series in SERIES_NAMES else series


def signed_money(amount: Money, ui_locale: str) -> str:
    """A variance as the manager reads it: +12.00 over, −12.00 short."""
    text = formatting.money(-amount if amount.amount < 0 else amount, ui_locale)
    return ("−" if amount.amount < 0 else "+" if amount.amount > 0 else "") + text


def age(since: datetime, now: datetime) -> str:
    """How long a document has waited: 45 min, 3 h 10 min, 2 d 4 h."""
    minutes = max(0, int((now - since).total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("{days} d {hours} h").format(days=days, hours=hours)
    if hours:
        return _("{hours} h {minutes} min").format(hours=hours, minutes=minutes)
    return _("{minutes} min").format(minutes=minutes)


@dataclass(frozen=True)
class Desk:
    """What every page of the manager's window works with."""

    session: TillSession
    printer: PrinterWatch
    search: JournalSearch
    zone: tzinfo

    @property
    def services(self) -> TillServices:
        return self.session.services

    @property
    def ui_locale(self) -> str:
        return self.session.services.ui_locale

    def time(self, moment: datetime) -> str:
        return formatting.store_time(moment, self.services.store.timezone, self.ui_locale)

    def money(self, amount: Money) -> str:
        return formatting.money(amount, self.ui_locale)


def open_over(parent: QWidget, dialog: QDialog, closed: Callable[[], None] | None = None) -> None:
    """Open a dialog over the manager's window (window-modal, no nested event loop)."""

    def finished(_code: int) -> None:
        dialog.deleteLater()
        if closed is not None:
            closed()

    qconnect(dialog.finished, finished)
    dialog.open()


class TwoLineHeaders(RowsModel[T]):
    """A list whose long column names break onto two lines (narrow columns of a 1024 screen)."""

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        value = super().headerData(section, orientation, role)
        if role == Qt.ItemDataRole.DisplayRole and isinstance(value, str) and len(value) > 9 and " " in value:
            return value.replace(" ", "\n", 1)
        return value
