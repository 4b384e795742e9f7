"""``kassa self-test``: does this installation work?  Headless (no Qt, no display), in a
fresh temporary folder, never the till's own data:

- database: a new database file, migrated to the newest schema;
- translations: the uk, az and ka catalogs are found and translate a known message;
- fonts: the receipt fonts are found and draw Cyrillic, Azerbaijani and Georgian letters;
- enrolment, pull (with ``--hub`` and ``--enrolment-code``): the code exchanged for a
  credential (kept in the temporary folder only), the hub's catalog pulled;
- sale: one sale through the real ``pos.till.Till`` into the journal (a product from the
  pulled catalog, else from a small demo catalog);
- receipt: that sale printed by the print queue into a file printer (ESC/POS bytes);
- push (with a hub): that sale sent to the hub and acknowledged.

Each check is one line (OK / FAILED: reason / skipped (why)); ``--json`` gives the same as
JSON.  The command exits 0 only when every check that ran passed.

The identity of the till comes from the enrolment code: make one for a till that exists
for the test (``kassa-hub enrol-code --store SELFTEST --till <a new id>``), never the code
of a real till: the test sale would take that till's receipt number 1 at the hub.
"""

from __future__ import annotations

import logging
import secrets
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

log = logging.getLogger(__name__)

Status = Literal["ok", "failed", "skipped"]
NO_HUB = "no --hub given"
KNOWN_MESSAGE = "Pay cash"  # a message of the till's window every catalog translates
LANGUAGES = ("uk", "az", "ka")
LETTERS = {"DejaVuSansMono": "ЇҐə₴", "NotoSansGeorgian": "ქართული"}
STORE_ID, TILL_ID = "SELFTEST", "T01"  # the till's identity without a hub
CASHIER = "99"


def kassa_version() -> str:
    """The installed distribution's version; in a PyInstaller bundle its copied metadata,
    else "unknown" (a bundle built without it)."""
    from importlib import metadata

    try:
        return metadata.version("kassa")
    except metadata.PackageNotFoundError:
        return "unknown (frozen)" if getattr(sys, "frozen", False) else "unknown"


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    status: Status
    detail: str = ""

    def line(self) -> str:
        if self.status == "ok":
            return f"{self.name}: OK" + (f" ({self.detail})" if self.detail else "")
        if self.status == "failed":
            return f"{self.name}: FAILED: {self.detail}"
        return f"{self.name}: skipped ({self.detail})"


@dataclass
class SelfTestReport:
    version: str
    folder: str
    checks: list[Check] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(check.status != "failed" for check in self.checks)

    def as_json(self) -> dict[str, object]:
        return {"version": self.version, "folder": self.folder, "passed": self.passed,
                "checks": [asdict(check) for check in self.checks]}


class _Failed(Exception):
    """A check's plain reason for failing."""


class SelfTestFolderProblem(Exception):
    """The folder asked for with --keep cannot be used."""


def _reason(error: BaseException) -> str:
    from pos.errors import PosError

    if isinstance(error, _Failed):
        return str(error)
    if isinstance(error, PosError):
        return error.user_message()
    return f"{type(error).__name__}: {error}"


@dataclass
class _Run:
    report: SelfTestReport

    def check(self, name: str, step: Callable[[], str]) -> bool:
        """Run one check; its failure is recorded (the traceback goes to the log), not raised."""
        started = time.monotonic()
        try:
            detail = step()
        except Exception as error:  # noqa: BLE001 - every failure is one line of the report
            log.warning("self-test: %s failed", name, exc_info=True)
            self.report.checks.append(Check(name, "failed", " ".join(_reason(error).split())))
            return False
        log.info("self-test: %s passed in %.2f s: %s", name, time.monotonic() - started, detail)
        self.report.checks.append(Check(name, "ok", detail))
        return True

    def skip(self, name: str, why: str) -> None:
        self.report.checks.append(Check(name, "skipped", why))


def run_self_test(hub: str | None = None, code: str | None = None, *, keep: Path | None = None,
                  ca_bundle: Path | None = None) -> SelfTestReport:
    """Every check, in a new temporary folder (removed afterwards) or in ``keep`` (a new or
    empty folder, left for a look: ``SelfTestFolderProblem`` otherwise)."""
    with _folder(keep) as folder:
        report = SelfTestReport(kassa_version(), str(folder))
        _all_checks(_Run(report), folder, hub, code, ca_bundle)
        return report


@contextmanager
def _folder(keep: Path | None) -> Iterator[Path]:
    if keep is None:
        with tempfile.TemporaryDirectory(prefix="kassa-self-test-") as name:
            yield Path(name)
        return
    if keep.exists() and any(keep.iterdir()):
        raise SelfTestFolderProblem(f"{keep} is not empty: the self-test needs a new or empty folder")
    keep.mkdir(parents=True, exist_ok=True)
    yield keep


def _all_checks(run: _Run, folder: Path, hub: str | None, code: str | None, ca_bundle: Path | None) -> None:
    settings = _settings(folder, hub, ca_bundle)
    opened = []
    run.check("database", lambda: _database(opened, settings))
    run.check("translations", _translations)
    run.check("fonts", _fonts)
    if not opened:
        for name in ("enrolment", "pull", "sale", "receipt", "push"):
            run.skip(name, "no database")
        return
    with opened[0] as till:
        client = None
        if hub is None:
            run.skip("enrolment", NO_HUB)
            run.skip("pull", NO_HUB)
        else:
            clients = []
            if run.check("enrolment", lambda: _enrol(till, code or "", folder, clients)):
                client = clients[0]
                run.check("pull", lambda: _pull(till, client))
            else:
                run.skip("pull", "not enrolled")
        sold = []
        run.check("sale", lambda: _sale(till, sold, from_hub=client is not None))
        if sold:
            run.check("receipt", lambda: _receipt(till, folder))
        else:
            run.skip("receipt", "no sale")
        if client is None:
            run.skip("push", NO_HUB if hub is None else "not enrolled")
        elif sold:
            run.check("push", lambda: _push(till, client))
        else:
            run.skip("push", "no sale")


def _settings(folder: Path, hub: str | None, ca_bundle: Path | None):  # noqa: ANN202 - a shell.settings.Settings
    from shell.settings import DatabaseSettings, PrinterSettings, Settings, StoreSettings, SyncSettings

    sync = None
    if hub is not None:
        sync = SyncSettings(hub_url=hub, ca_bundle=ca_bundle, credential_store="file", credential_folder=folder,
                            timeout=10)
    return Settings(
        store=StoreSettings(store_id=STORE_ID, name="Kassa self-test", address="Київ · Bakı · თბილისი",
                            footer="Дякуємо · Təşəkkür edirik · მადლობა"),
        printer=PrinterSettings(connection=f"file:{folder / 'receipt.bin'}"),
        database=DatabaseSettings(path=folder / "till.sqlite3"),
        sync=sync,
    )


def _database(opened: list, settings) -> str:  # noqa: ANN001
    from local_db.database import SCHEMA_HEAD, schema_version
    from shell.till import open_till

    till = open_till(settings, writes=True)
    opened.append(till)
    version = schema_version(till.db)
    if version != SCHEMA_HEAD:
        raise _Failed(f"the new database is at schema {version}, not {SCHEMA_HEAD}")
    return f"a new database migrated to schema {version}"


def _translations() -> str:
    from pos.i18n import DOMAIN, LOCALE_DIR, translator

    for language in LANGUAGES:
        catalog = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        if not catalog.is_file():
            raise _Failed(f"no {language} catalog: {catalog} is missing")
        if translator(language).gettext(KNOWN_MESSAGE) == KNOWN_MESSAGE:
            raise _Failed(f"the {language} catalog {catalog} does not translate {KNOWN_MESSAGE!r}")
    shown = ", ".join(f"{language} {translator(language).gettext(KNOWN_MESSAGE)!r}" for language in LANGUAGES)
    return f"{KNOWN_MESSAGE!r}: {shown}"


def _fonts() -> str:
    from PIL import ImageFont

    from hardware.receipt_image import BOLD_FONT, GEORGIAN_BOLD_FONT, GEORGIAN_FONT, REGULAR_FONT

    for path in (REGULAR_FONT, BOLD_FONT, GEORGIAN_FONT, GEORGIAN_BOLD_FONT):
        if not path.is_file():
            raise _Failed(f"the receipt font {path} is missing")
        font = ImageFont.truetype(str(path), 24)
        letters = next(text for family, text in LETTERS.items() if path.name.startswith(family))
        for letter in letters:
            if font.getmask(letter).getbbox() is None:
                raise _Failed(f"the receipt font {path.name} draws no {letter!r}")
    return f"4 receipt fonts in {REGULAR_FONT.parent}"


def _enrol(till, code: str, folder: Path, clients: list) -> str:  # noqa: ANN001 - an OpenTill
    """The code is exchanged as ``kassa enrol`` does (sync.enrolment), except that the till
    takes the identity the code was made for; the credential stays in the temporary folder."""
    from local_db.sync_state import ENROLLED_AT, HUB_URL, STORE_ID as STORE_KEY, TILL_ID as TILL_KEY, SyncStateStore
    from sync.credentials import FileStore, account_name
    from sync.enrolment import device_name

    config = _quick(till.sync_config)
    if not code.strip():
        raise _Failed("--hub needs --enrolment-code (make one with kassa-hub enrol-code --store SELFTEST --till ...)")
    client = till.hub_client(config, credential=False)
    enrolment = client.enrol(code.strip(), f"{device_name()}-self-test")
    s = till.settings
    till.settings = s.model_copy(update={
        "store": s.store.model_copy(update={"store_id": enrolment.store_id}),
        "till": s.till.model_copy(update={"till_id": enrolment.till_id}),
    })
    FileStore(folder).save(account_name(enrolment.store_id, enrolment.till_id), enrolment.credential)
    SyncStateStore(till.db).put(**{HUB_URL: client.base_url, STORE_KEY: enrolment.store_id,
                                   TILL_KEY: enrolment.till_id, ENROLLED_AT: datetime.now(timezone.utc).isoformat()})
    client.credential = enrolment.credential
    clients.append(client)
    return f"till {enrolment.till_id} of store {enrolment.store_id} at {client.base_url}"


def _quick(config):  # noqa: ANN001, ANN202 - a SyncConfig: two tries, not the worker's patient retries
    from dataclasses import replace

    from sync.hub_client import RetryPolicy

    return replace(config, retry=RetryPolicy(attempts=2, first_wait=0.25, max_wait=1.0))


def _sync(till, client):  # noqa: ANN001, ANN202
    from sync.service import TillSync

    return TillSync(till.db, client, _quick(till.sync_config))


def _pull(till, client) -> str:  # noqa: ANN001
    from sync.errors import SyncError

    outcome = _sync(till, client).pull()
    if isinstance(outcome, SyncError):
        raise _Failed(f"the catalog pull failed: {outcome}")
    return outcome.describe()


def _sale(till, sold: list, *, from_hub: bool) -> str:  # noqa: ANN001
    from local_db.cashiers import add_cashier, guarded_cashiers
    from local_db.demo_store import create_demo_store
    from pos.tender import CashPolicy
    from pos.till import Till, TillSettings
    from shell.till import sign_in_rules

    if not from_hub:
        create_demo_store(till.db, items=20)
    product = _a_product(till)
    if product is None:
        raise _Failed("the hub's catalog has no product sold by the piece with a price: nothing to sell")
    s = till.settings
    till.settings = s.model_copy(update={"store": s.store.model_copy(update={"currency": product.price.currency})})
    pin = "".join(secrets.choice("0123456789") for _ in range(8))
    add_cashier(till.db, CASHIER, "Self-test", pin)
    clock = _Clock()
    use_case = Till(
        TillSettings(till.store, CashPolicy(till.settings.till.cash_rounding), tuple(till.settings.till.weight_barcode_prefixes)),
        catalog=till.catalog, journal=till.journal, baskets=till.journal,
        cashiers=guarded_cashiers(till.db, clock, sign_in_rules(till.settings)), clock=clock,
    )
    use_case.start()
    use_case.sign_in(CASHIER, pin)
    if product.barcode and till.catalog.by_barcode(product.barcode) is not None:
        use_case.scan(product.barcode)
    else:
        use_case.add_product(product)
    sale = use_case.pay_cash("").sale
    if sale is None:
        raise _Failed("the till recorded no sale")
    recorded = till.journal.sale_by_receipt_number(sale.receipt_number)
    if recorded is None or recorded.sale_id != sale.sale_id:
        raise _Failed(f"receipt {sale.receipt_number} is not in the journal after the sale")
    sold.append(sale)
    return f"receipt {sale.receipt_number}: {product.name} ({product.code}), {sale.total.amount} {sale.currency}"


class _Clock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


def _a_product(till):  # noqa: ANN001, ANN202 - a pos.catalog.Product or None
    """The first product sold by the piece with a price, scanned by its barcode when it has one
    (rather one whose barcode does not start with 2, which a store may use for scale labels)."""
    with till.db.lookup() as conn:
        row = conn.exec_driver_sql(
            "SELECT code FROM products WHERE sold_by_weight = 0 AND price_minor > 0 "
            "ORDER BY barcode = '', barcode LIKE '2%', code LIMIT 1").first()
    return None if row is None else till.catalog.by_code(str(row[0]))


def _receipt(till, folder: Path) -> str:  # noqa: ANN001
    from pos.printing import ReceiptSpooler

    printed = ReceiptSpooler(till.journal, till.journal, till.printer, till.store).print_pending()
    if printed.problem is not None:
        raise printed.problem
    target = folder / "receipt.bin"
    data = target.read_bytes() if target.is_file() else b""
    if printed.printed != 1 or not data.startswith(b"\x1b@"):
        raise _Failed(f"{printed.printed} receipt(s) printed, {len(data)} bytes in {target} (no ESC/POS start)")
    return f"{len(data)} bytes of ESC/POS in the file printer"


def _push(till, client) -> str:  # noqa: ANN001
    outcome = _sync(till, client).push()
    if outcome.error is not None:
        raise _Failed(f"the push failed: {outcome.error}")
    held = till.outbox.quarantined()
    if held:
        hint = (" (the hub holds a sale of this till already, from an earlier self-test or a real till: "
                "make a code for a new till id)") if "seq_conflict" in held[0].reason else ""
        raise _Failed(f"the hub refused the sale: {held[0].reason}{hint}")
    if outcome.acknowledged != 1 or outcome.duplicates:
        raise _Failed(outcome.describe())
    return f"the sale acknowledged by the hub ({outcome.describe()})"
