"""The composition root: the one module that knows every layer.  It opens the database,
builds the adapters and the use cases, and hands the window a ``TillServices``."""

from __future__ import annotations

import io
import logging
import logging.handlers
import stat
from datetime import datetime, timezone
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from filelock import FileLock, Timeout

from hardware.printers import make_receipt_printer
from local_db.cashiers import guarded_cashiers
from local_db.catalog import SqlCatalog
from local_db.database import Database, default_database_path, open_database
from local_db.journal import SqlJournal
from local_db.private_files import private_folder, private_opener, tighten, tighten_files
from local_db.problems import DatabaseInUse
from pos.i18n import set_language
from pos.ports import Clock, ReceiptPrinter, SaleJournal
from pos.printing import ReceiptSpooler
from pos.receipt import StoreInfo
from pos.tender import CashPolicy
from pos.till import Till, TillSettings
from pos.sale import Sale
from pos.sign_in_policy import SignInRules
from sync.credentials import credential_store, load_credential
from sync.errors import SyncError
from sync.hub_client import HubClient
from sync.service import SyncConfig, TillSync
from sync.worker import SyncWorker
from ui.services import TillServices
from shell.settings import Settings

log = logging.getLogger(__name__)


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


def data_dir() -> Path:
    """The folder of the till's database and log (``KASSA_DATA_DIR`` or the platform's data dir)."""
    return default_database_path().parent


def setup_logging(directory: Path, verbose: bool = False) -> Path:
    """Log to a rotating file in the data directory and to stderr.  The folder is 0700 and
    the log files 0600 (they name cashiers and amounts); looser modes left by an older
    install are tightened, and the log says so."""
    if not directory.is_dir():
        private_folder(directory)
    log_file = directory / "kassa.log"
    handler = _PrivateLogFile(log_file, maxBytes=5_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
    console = logging.StreamHandler()
    console.setLevel(logging.DEBUG if verbose else logging.CRITICAL)
    if not verbose:  # the person at the terminal gets one clear line; the file keeps the traceback
        console.setFormatter(_OneLine("kassa: %(message)s"))
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    root.handlers[:] = [handler, console]
    private_folder(directory)
    tighten_files(directory, patterns=("kassa.log*", "*.lock", "*.sqlite3*"))
    return log_file


class _PrivateLogFile(logging.handlers.RotatingFileHandler):
    """A rotating log whose every new file (the first, and each one after a rotation) is 0600."""

    def _open(self) -> io.TextIOWrapper:
        file = open(self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors, opener=private_opener)
        return cast(io.TextIOWrapper, file)


class _OneLine(logging.Formatter):
    def formatException(self, ei) -> str:  # noqa: ANN001, N802
        return ""

    def format(self, record: logging.LogRecord) -> str:
        record.exc_text = ""
        return super().format(record).rstrip()


def store_info(settings: Settings) -> StoreInfo:
    s = settings.store
    return StoreInfo(
        store_id=s.store_id, name=s.name, address=s.address, tax_id=s.tax_id,
        till_id=settings.till.till_id, currency=s.currency, locale=s.locale,
        timezone=s.timezone, footer=s.footer,
    )


def sign_in_rules(settings: Settings) -> SignInRules:
    s = settings.security
    return SignInRules(min_pin_length=s.min_pin_length, lockout_after=s.lockout_after, lockout_seconds=s.lockout_seconds)


def database_path(settings: Settings) -> Path:
    return settings.database.path or default_database_path()


def build_printer(settings: Settings) -> ReceiptPrinter:
    p = settings.printer
    return make_receipt_printer(p.connection, profile=p.profile, width=p.width, timeout=p.timeout)


_held_locks: list[FileLock] = []


def claim_database(path: Path) -> None:
    """One till process per database: a second copy would share the open basket.  The lock
    is held until the process ends (the OS frees it even after kill -9 or a power cut)."""
    folder = path.parent
    if not folder.is_dir() or _own_folder(folder):
        private_folder(folder)  # 0700: the database holds the PIN hashes
    lock = FileLock(str(path) + ".lock", mode=0o600)
    try:
        lock.acquire(timeout=0.5)
    except Timeout:
        raise DatabaseInUse(reason=f"another copy of Kassa is running on {path}") from None
    tighten(Path(str(path) + ".lock"), 0o600)
    _held_locks.append(lock)


def _own_folder(folder: Path) -> bool:
    """May the till make ``folder`` private?  Not a home folder nor a shared one such as
    /tmp (sticky): a database set to live there keeps its files 0600, the folder as it is."""
    try:
        sticky = bool(folder.stat().st_mode & stat.S_ISVTX)
        home = folder.resolve() == Path.home().resolve()
    except (OSError, RuntimeError):
        return False
    return not (sticky or home)


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


def sync_config(settings: Settings) -> SyncConfig | None:
    s = settings.sync
    if s is None:
        return None
    return SyncConfig(
        hub_url=s.hub_url, ca_bundle=s.ca_bundle, push_batch_size=s.push_batch_size, pull_page_size=s.pull_page_size,
        push_interval_seconds=s.push_interval_seconds, pull_interval_seconds=s.pull_interval_seconds, timeout=s.timeout,
    )


def hub_client(settings: Settings, config: SyncConfig, *, need_credential: bool = True) -> HubClient:
    """The hub client with the till's credential (CredentialMissing says how to get one)."""
    credential = None
    if need_credential:
        store = credential_store(settings.sync.credential_store if settings.sync else "keyring", data_dir())
        credential = load_credential(store, settings.store.store_id, settings.till.till_id)
    return HubClient(config.hub_url, credential, ca_bundle=config.ca_bundle, timeout=config.timeout, retry=config.retry)


def build_sync(settings: Settings, db: Database) -> TillSync | None:
    """The till's sync with its hub, or None for an offline-only till.  A missing credential
    does not stop the till: it sells offline and the status bar says what IT must do."""
    config = sync_config(settings)
    if config is None:
        return None
    try:
        client = hub_client(settings, config)
    except SyncError as error:
        log.warning("the till cannot talk to its hub: %s", error)
        client = HubClient(config.hub_url, None, ca_bundle=config.ca_bundle, timeout=config.timeout, retry=config.retry)
        sync = TillSync(db, client, config)
        sync.monitor.failed(error)
        return sync
    return TillSync(db, client, config)


def build_services(settings: Settings, db: Database | None = None, clock: Clock | None = None) -> TillServices:
    """Wire the till (``clock``: the system's, unless a test sets one).  Raises StorageProblem
    or DeviceProblem (bad printer setting) with a clear message."""
    set_language(settings.till.ui_language)
    if db is None:
        claim_database(database_path(settings))
        db = open_database(database_path(settings))
    store = store_info(settings)
    journal = SqlJournal(db, store.till_id)
    sync = build_sync(settings, db)
    worker = SyncWorker(sync) if sync is not None else None
    clock = clock or SystemClock()
    till = Till(
        TillSettings(store, CashPolicy(settings.till.cash_rounding), tuple(settings.till.weight_barcode_prefixes)),
        catalog=SqlCatalog(db),
        journal=WakingJournal(journal, worker.wake) if worker else journal,
        baskets=journal,
        cashiers=guarded_cashiers(db, clock, sign_in_rules(settings)),
        clock=clock,
    )
    printer = build_printer(settings)
    return TillServices(
        till=till,
        journal=journal,
        spooler=ReceiptSpooler(journal, journal, printer, store),
        store=store,
        ui_locale=settings.till.ui_language,
        printer_description=settings.printer.connection,
        print_retry_seconds=settings.printer.retry_seconds,
        printing_enabled=settings.printer.connection.strip().lower() != "none",
        sync=sync,
        sync_worker=worker,
        export_folder=data_dir(),
    )
