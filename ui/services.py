"""What the till window is given by the composition root (shell/wiring.py): the use cases and the
read side of the journal, already wired to their adapters.  The window never builds adapters."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hardware.scale import Scale
from hardware.serial_scanner import SerialScanner
from pos.gift_cards.holds import RedemptionLog
from pos.gift_cards.service import GiftCardService
from pos.ports import SaleJournal
from pos.card_payments import CardPaymentLog
from pos.payment_terminal import PaymentTerminal
from pos.printing import ReceiptSpooler
from pos.receipt import StoreInfo
from pos.scan_timing import WedgeTiming
from pos.store_day.day import StoreDay
from pos.till import Till
from sync.service import TillSync
from sync.worker import SyncWorker
from ui.customer_display.options import CustomerDisplayOptions


@dataclass
class TillServices:
    till: Till  # called only on the till worker thread
    journal: SaleJournal  # read side (counts, recent sales), called only on the till worker thread
    spooler: ReceiptSpooler  # called only on the printer worker thread
    store: StoreInfo
    ui_locale: str = "en"
    printer_description: str = ""  # e.g. "network 192.0.2.10:9100", shown in the status bar
    print_retry_seconds: float = 5.0
    printing_enabled: bool = True  # False when the printer setting is "none"
    sync: TillSync | None = None  # None: an offline-only till (no [sync] settings)
    sync_worker: SyncWorker | None = None  # started and stopped by the window
    export_folder: Path | None = None  # where the quarantine is exported (the data directory)
    scale: Scale | None = None  # [scale]: F6 weighs (ui.weighing); None: no scale
    customer_display: CustomerDisplayOptions | None = None  # [customer_display] (ui.customer_display)
    wedge_timing: WedgeTiming | None = None  # [scanner]: keyboard-wedge scans (ui.scanning); None: the defaults
    serial_scanner: SerialScanner | None = None  # [scanner] serial_port; started and stopped by the window
    store_day: StoreDay | None = None  # = till.day (shifts, roles, approvals); None: a till without a store's day
    payment_terminal: PaymentTerminal | None = None  # [card_terminal]; None: cards by the manual approval code
    card_log: CardPaymentLog | None = None  # the card payments in flight (local_db.card_payment_log)
    gift_cards: GiftCardService | None = None  # the hub's gift card service (sync.gift_card_client); None: no hub
    gift_card_log: RedemptionLog | None = None  # the gift card holds asked of the hub (local_db.gift_card_log)
