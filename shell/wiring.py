"""The composition root: the one module that knows every layer.  Given a till opened by
``shell.till.open_till`` (the database, the lock, the adapters), it builds the use cases
and hands the window a ``TillServices``.  Only the window's commands import it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from local_db.cashiers import guarded_cashiers
from local_db.database import Database
from local_db.card_payment_log import SqlCardPaymentLog
from local_db.gift_card_log import SqlGiftCardLog, stored_gift_card_policy
from local_db.loyalty import SqlLoyalty
from local_db.staff import SqlStaff
from local_db.store_day_journal import SqlStoreDay
from pos.gift_cards import holds as gift_card_holds
from pos.i18n import set_language
from pos.ports import Clock, SaleJournal
from pos.printing import ReceiptSpooler
from pos.sale import Sale
from pos.store_day.day import StoreDay
from pos.tender import CashPolicy
from pos.till import Till, TillSettings
from shell.logs import setup_logging
from shell.settings import Settings
from shell.settings_devices import card_terminal_for, customer_display_for, scale_for
from shell.settings_scanner import scan_layout_for, serial_scanner_for
from shell.store_day_settings import store_day_rules
from shell.till import OpenTill, claim_database, data_dir, open_till, sign_in_rules
from sync.gift_card_client import HubGiftCards
from sync.worker import SyncWorker
from ui.services import TillServices

__all__ = ["SystemClock", "WakingJournal", "build_services", "claim_database", "setup_logging", "window_services"]

log = logging.getLogger(__name__)


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class WakingJournal:
    """The journal, as the Till sees it, that wakes the sync worker after every recorded sale."""

    def __init__(self, journal: SaleJournal, wake: Callable[[], None]) -> None:
        self._journal = journal
        self._wake = wake

    def record_sale(self, sale: Sale) -> Sale:
        recorded = self._journal.record_sale(sale)
        self._wake()
        return recorded

    def __getattr__(self, name: str) -> Any:
        return getattr(self._journal, name)


class WakingStoreDay:
    """The store's day journal that wakes the sync worker after every document it records
    (a split or card sale, a return, an exchange, a cash movement, a shift's opening or close)."""

    RECORDING = ("record_", "open_shift", "close_shift")

    def __init__(self, journal: SqlStoreDay, wake: Callable[[], None]) -> None:
        self._journal = journal
        self._wake = wake

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._journal, name)
        if not callable(found) or not name.startswith(self.RECORDING) or name == "open_shift_id":
            return found

        def recording(*args: Any, **kw: Any) -> Any:
            result = found(*args, **kw)
            self._wake()
            return result

        return recording


def window_services(till: OpenTill, clock: Clock | None = None) -> TillServices:
    """Wire the window to an open till (``clock``: the system's, unless a test sets one).
    Raises DeviceProblem for a printer setting that cannot work."""
    settings = till.settings
    set_language(settings.till.ui_language)
    store = till.store
    journal = till.journal
    sync = till.sync
    worker = SyncWorker(sync) if sync is not None else None
    clock = clock or SystemClock()
    cashiers = guarded_cashiers(till.db, clock, sign_in_rules(settings))
    day_journal: Any = SqlStoreDay(till.db, store.till_id)
    day = StoreDay(WakingStoreDay(day_journal, worker.wake) if worker else day_journal, SqlStaff(till.db, cashiers), store_day_rules(settings, till.db),
                   clock, store_id=store.store_id, till_id=store.till_id, currency=store.currency)
    use_case = Till(
        TillSettings(store, CashPolicy(settings.till.cash_rounding), tuple(settings.till.weight_barcode_prefixes),
                     scan_layout=scan_layout_for(settings)),
        catalog=till.catalog,
        journal=WakingJournal(journal, worker.wake) if worker else journal,
        baskets=journal,
        cashiers=cashiers,
        clock=clock,
        day=day,
        promotions=till.promotions,  # a new sale takes the set held then; an open one keeps its own
    )
    use_case.loyalty = SqlLoyalty(till.db)  # loyalty points: the chain's rules, a customer's account
    gift_cards = HubGiftCards(sync.client, store.currency) if sync is not None else None  # None: no hub
    gift_card_log = SqlGiftCardLog(till.db)  # the holds asked, written before the hub is asked
    db = till.db
    gift_card_holds.attach(use_case, gift_cards, gift_card_log, lambda: stored_gift_card_policy(db))
    return TillServices(
        till=use_case,
        journal=journal,
        spooler=ReceiptSpooler(journal, journal, till.printer, store),
        store=store,
        ui_locale=settings.till.ui_language,
        printer_description=settings.printer.connection,
        print_retry_seconds=settings.printer.retry_seconds,
        printing_enabled=settings.printer.connection.strip().lower() != "none",
        sync=sync,
        sync_worker=worker,
        export_folder=data_dir(),
        scale=scale_for(settings.scale),
        customer_display=customer_display_for(settings.customer_display),
        wedge_timing=settings.scanner.wedge_timing(),
        serial_scanner=serial_scanner_for(settings.scanner),
        store_day=day,
        card_log=SqlCardPaymentLog(till.db),
        payment_terminal=card_terminal_for(settings),  # None: "manual", the approval code from a slip
        gift_cards=gift_cards,
        gift_card_log=gift_card_log,
    )


def build_services(settings: Settings, db: Database | None = None, clock: Clock | None = None) -> TillServices:
    """The window's services for ``settings`` (for tests and tools): on ``db`` if given,
    else on the till opened with its lock, held until the process ends."""
    till = open_till(settings, writes=True) if db is None else OpenTill(settings, db)
    return window_services(till, clock)
