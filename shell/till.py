"""The one factory that opens a till: settings -> database (migrations) -> the one-till
lock -> adapters.  Every ``kassa`` command and the window start here, so a later feature
(doctor, backup, self-test) has one place to wire into.

Which commands take the one-till lock (``writes=True``) and why:

- the window (``kassa run``, ``kassa demo``): the till itself, one per database;
- ``kassa sync`` (acknowledges sales, applies pulls), ``kassa enrol`` (writes the hub it is
  enrolled with) and ``kassa receipt --reprint`` (queues a print job): they change the
  database, so they are refused while the till runs (the running till syncs by itself and
  reprints from its own window);
- ``kassa status``, ``kassa check-journal`` and ``kassa receipt --png`` only read: they run
  beside a running till and never take the lock.

This module imports no Qt: the commands that need no window never load Qt.
"""

from __future__ import annotations

import logging
import stat
from functools import cached_property
from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

from hardware.printers import make_receipt_printer
from local_db.catalog import SqlCatalog
from local_db.database import Database, default_database_path, open_database
from local_db.journal import SqlJournal
from local_db.outbox import SqlOutbox
from local_db.private_files import private_folder, tighten
from local_db.problems import DatabaseInUse
from local_db.promotions import SqlPromotions
from pos.ports import ReceiptPrinter
from pos.receipt import StoreInfo
from pos.sign_in_policy import SignInRules
from shell.logs import never_log
from shell.settings import Settings
from sync.credentials import CredentialStore, credential_store, load_credential
from sync.errors import SyncError
from sync.hub_client import HubClient, RetryPolicy
from sync.service import SyncConfig, TillSync

log = logging.getLogger(__name__)


def data_dir() -> Path:
    """The folder of the till's database and log (``KASSA_DATA_DIR`` or the platform's data dir)."""
    return default_database_path().parent


def database_path(settings: Settings) -> Path:
    return settings.database.path or default_database_path()


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


def build_printer(settings: Settings) -> ReceiptPrinter:
    p = settings.printer
    return make_receipt_printer(p.connection, profile=p.profile, width=p.width, timeout=p.timeout, paper=p.paper,
                                dot_width=p.dot_width, cutter=p.cutter, logo=p.logo, status=p.status,
                                receipt_code=p.receipt_code)


def credential_store_of(settings: Settings) -> CredentialStore:
    """The till's credential store: the keyring, or a file in ``[sync] credential_folder``
    (default: the data folder; the demo keeps its own in the demo folder)."""
    sync = settings.sync
    if sync is None:
        return credential_store("auto", data_dir())
    return credential_store(sync.credential_store, sync.credential_folder or data_dir())


def sync_config(settings: Settings) -> SyncConfig | None:
    s = settings.sync
    if s is None:
        return None
    return SyncConfig(
        hub_url=s.hub_url, ca_bundle=s.ca_bundle, push_batch_size=s.push_batch_size, pull_page_size=s.pull_page_size,
        push_interval_seconds=s.push_interval_seconds, pull_interval_seconds=s.pull_interval_seconds, timeout=s.timeout,
    )


def make_hub_client(url: str, credential: str | None = None, *, ca_bundle: Path | None = None,
                    timeout: float = 10.0, retry: RetryPolicy = RetryPolicy()) -> HubClient:
    """The one place the till builds a hub client (the window's sync, ``kassa sync``,
    ``status``, ``enrol`` and the demo's enrolment all come here)."""
    never_log(credential)
    return HubClient(url, credential, ca_bundle=ca_bundle, timeout=timeout, retry=retry)


_held_locks: list[FileLock] = []


def claim_database(path: Path) -> FileLock:
    """One till process per database: a second copy would share the open basket.  The lock
    is held until ``release_database`` or the end of the process (the OS frees it even
    after kill -9 or a power cut)."""
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
    return lock


def release_database(lock: FileLock) -> None:
    if lock in _held_locks:
        _held_locks.remove(lock)
    lock.release(force=True)


def _own_folder(folder: Path) -> bool:
    """May the till make ``folder`` private?  Not a home folder nor a shared one such as
    /tmp (sticky): a database set to live there keeps its files 0600, the folder as it is."""
    try:
        sticky = bool(folder.stat().st_mode & stat.S_ISVTX)
        home = folder.resolve() == Path.home().resolve()
    except (OSError, RuntimeError):
        return False
    return not (sticky or home)


class OpenTill:
    """A till's settings, its open database and (built on first use, then kept) its
    adapters.  ``close()`` (or leaving a ``with`` block) closes the hub clients it built and
    the database, and releases the one-till lock if it holds it."""

    def __init__(self, settings: Settings, db: Database, lock: FileLock | None = None) -> None:
        self.settings = settings  # the demo swaps in settings with its hub before building adapters
        self.db = db
        self.lock = lock
        self._clients: list[HubClient] = []

    @property
    def store(self) -> StoreInfo:
        return store_info(self.settings)

    @cached_property
    def journal(self) -> SqlJournal:
        return SqlJournal(self.db, self.settings.till.till_id)

    @cached_property
    def outbox(self) -> SqlOutbox:
        return SqlOutbox(self.db)

    @cached_property
    def catalog(self) -> SqlCatalog:
        return SqlCatalog(self.db)

    @cached_property
    def promotions(self) -> SqlPromotions:
        """The promotions the till holds (pulled from the hub), read at each new sale."""
        return SqlPromotions(self.db, self.settings.store.currency)

    @cached_property
    def printer(self) -> ReceiptPrinter:
        """Raises DeviceProblem for a printer setting that cannot work."""
        return build_printer(self.settings)

    @property
    def credentials(self) -> CredentialStore:
        return credential_store_of(self.settings)

    @property
    def sync_config(self) -> SyncConfig | None:
        return sync_config(self.settings)

    def hub_client(self, config: SyncConfig, *, credential: bool = True) -> HubClient:
        """A hub client for ``config`` (closed with the till); with ``credential``, the
        till's credential, or CredentialMissing saying how to get one."""
        secret = None
        if credential:
            secret = load_credential(self.credentials, self.settings.store.store_id, self.settings.till.till_id)
            never_log(secret)  # the log never holds it, whatever a message quotes
        client = make_hub_client(config.hub_url, secret, ca_bundle=config.ca_bundle, timeout=config.timeout,
                                 retry=config.retry)
        self._clients.append(client)
        return client

    def hub_client_or_problem(self, config: SyncConfig) -> tuple[HubClient, SyncError | None]:
        """The till's hub client; without a usable credential, one without it and the reason."""
        try:
            return self.hub_client(config), None
        except SyncError as error:
            log.warning("the till cannot talk to its hub: %s", error)
            return self.hub_client(config, credential=False), error

    @cached_property
    def sync(self) -> TillSync | None:
        """The till's sync with its hub, or None for an offline-only till.  A missing credential
        does not stop the till: it sells offline and the status bar says what IT must do."""
        config = self.sync_config
        if config is None:
            return None
        client, problem = self.hub_client_or_problem(config)
        sync = TillSync(self.db, client, config)
        if problem is not None:
            sync.monitor.failed(problem)
        return sync

    def close(self) -> None:
        for client in self._clients:
            client.close()
        self._clients.clear()
        try:
            self.db.close()
        finally:
            if self.lock is not None:
                release_database(self.lock)
                self.lock = None

    def __enter__(self) -> OpenTill:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def open_till(settings: Settings, *, writes: bool) -> OpenTill:
    """Open the till that ``settings`` describe: its database (created and migrated as
    needed) and, when the caller ``writes``, the one-till lock (DatabaseInUse while another
    copy holds it).  Raises StorageProblem with a clear message when the database cannot be used."""
    path = database_path(settings)
    lock = claim_database(path) if writes else None
    try:
        db = open_database(path)
    except BaseException:
        if lock is not None:
            release_database(lock)
        raise
    return OpenTill(settings, db, lock)
