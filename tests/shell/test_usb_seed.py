"""kassa seed FILE: a till with no link on its first day is seeded from a catalog export
(kassa-hub export, carried on a USB stick), sells from it, and then catches up with the
hub by ordinary pulls that bring only what changed since the export.  Every file it must
not use is refused in one line with the till as it was; damaged files are fuzzed."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from central.catalog_files import rows_from_products
from central.catalog_import import import_catalog
from central.cli import main as hub_main
from central.database import HubDatabase, open_hub_database
from central.stores import add_cashier, add_store
from local_db.cashiers import guarded_cashiers
from local_db.catalog import SqlCatalog
from local_db.database import Database, open_database
from local_db.journal import SqlJournal
from pos.money import Money
from pos.sign_in_policy import SignInRules
from pos.tender import CashPolicy
from pos.till import Till, TillSettings
from shell.till import claim_database, release_database
from sync.seed import SeedRefused, seed_till
from tests.central.hub_process import ROOT
from tests.fakes import DEMO_PRODUCTS, SHAMPOO, STORE, StepClock
from tests.sync.conftest import Hub, hub  # noqa: F401 - the fixture: a hub process with store S001
from tests.sync.test_shell_commands import kassa as kassa_reporting_qt
from tests.sync.test_shell_commands import loaded

CASHIER, PIN = "7", "4321"


def kassa(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    environment = {"KASSA_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "shell.cli", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)


def till_settings(folder: Path, hub_url: str, store_id: str = STORE.store_id) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "kassa.toml"
    config.write_text(
        f'[store]\nstore_id = "{store_id}"\nname = "Shop"\n[till]\ntill_id = "{STORE.till_id}"\n'
        f'[database]\npath = "{folder / "till.sqlite3"}"\n'
        f'[sync]\nhub_url = "{hub_url}"\ncredential_store = "file"\n', encoding="utf-8")
    return config


def export(db: HubDatabase, path: Path, hub_url: str, *extra: str) -> Path:
    url = db.engine.url.render_as_string(hide_password=False)
    assert hub_main(["export", str(path), "--database", url, "--hub-url", hub_url, *extra]) == 0
    return path


def catalog_state(path: Path) -> tuple[object, ...]:
    """Everything a seed may change: the catalog, the cashiers, the cursors, the staged rows."""
    db = open_database(path)
    try:
        with db.reading() as conn:
            return tuple(tuple(conn.exec_driver_sql(f"SELECT * FROM {table} ORDER BY 1").fetchall()) for table in (
                "products", "barcodes", "vat_rates", "cashiers", "sync_cursors", "staged_cursors", "staged_products",
                "staged_prices", "staged_barcodes", "staged_taxes", "staged_cashiers"))
    finally:
        db.close()


def sell_one(db: Database, barcode: str) -> Money:
    """A sale on the till's own catalog and cashiers (the window's adapters), its total."""
    journal = SqlJournal(db, STORE.till_id)
    clock = StepClock()
    till = Till(TillSettings(STORE, CashPolicy(Decimal("0.01"))), catalog=SqlCatalog(db), journal=journal,
                baskets=journal, cashiers=guarded_cashiers(db, clock, SignInRules()), clock=clock)
    till.start()
    till.sign_in(CASHIER, PIN)
    till.scan(barcode)
    sale = till.pay_cash("200").sale
    assert sale is not None
    return sale.total


def test_a_till_seeded_from_a_usb_export_sells_then_pulls_only_what_changed(
        hub: Hub, tmp_path: Path) -> None:  # noqa: F811 - the fixture
    add_cashier(hub.db, STORE.store_id, CASHIER, "Olha", PIN)
    (tmp_path / "stick").mkdir()
    stick = export(hub.db, tmp_path / "stick" / "catalog.kassa", hub.url, "--store", STORE.store_id)
    config = till_settings(tmp_path / "till", hub.url)

    seeded = kassa_reporting_qt("seed", str(stick), "--config", str(config), data_dir=tmp_path / "till")

    assert seeded.returncode == 0, seeded.stderr
    assert loaded(seeded) == "-"  # a command without a window: no Qt
    assert seeded.stdout.startswith("seeded 3 taxes, 4 products, 4 prices, 3 barcodes, 1 cashiers, 0 policies from the export of")
    db = open_database(tmp_path / "till" / "till.sqlite3")
    assert sell_one(db, SHAMPOO.barcode) == Money.of("89.90", "UAH")  # no link: the seeded catalog and cashier
    db.close()

    import_catalog(hub.db, rows_from_products([replace(SHAMPOO, price=Money.of("95.00", "UAH"))]))
    enrolled = kassa("enrol", "--hub", hub.url, "--code", hub.enrolment_code(), "--config", str(config),
                     data_dir=tmp_path / "till")
    assert enrolled.returncode == 0, enrolled.stderr
    synced = kassa("sync", "--config", str(config), data_dir=tmp_path / "till")

    assert synced.returncode == 0, synced.stderr
    assert "sent 1 sale(s)" in synced.stdout and "pulled 1 prices in" in synced.stdout  # the change, nothing else
    assert hub.sale_count() == 1
    db = open_database(tmp_path / "till" / "till.sqlite3")
    shampoo = SqlCatalog(db).by_barcode(SHAMPOO.barcode)
    db.close()
    assert shampoo is not None and shampoo.price == Money.of("95.00", "UAH")


@pytest.fixture
def hub_db(tmp_path: Path) -> Iterator[HubDatabase]:
    """A hub database (no process: export reads the database) with store S001, the fakes'
    catalog and one cashier, and a second store."""
    db = open_hub_database(f"sqlite:///{tmp_path / 'hub.sqlite3'}", migrate_schema=True)
    add_store(db, STORE.store_id, "Kyiv")
    add_store(db, "OTHER", "Lviv")
    import_catalog(db, rows_from_products(DEMO_PRODUCTS))
    add_cashier(db, STORE.store_id, CASHIER, "Olha", PIN)
    yield db
    db.close()


HUB_URL = "https://hub.example.com"


def rewritten(source: Path, target: Path, change: object) -> Path:
    """``source`` with its header changed by ``change`` and a right checksum (a file a newer hub could write)."""
    header, *rest = source.read_bytes().splitlines(keepends=True)[:-1]
    fields = json.loads(header)
    change(fields)  # type: ignore[operator]
    body = json.dumps(fields, separators=(",", ":")).encode() + b"\n" + b"".join(rest)
    target.write_bytes(body + b'{"sha256":"' + hashlib.sha256(body).hexdigest().encode() + b'"}\n')
    return target


def kassa_here(*args: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch,
               capsys: pytest.CaptureFixture[str]) -> subprocess.CompletedProcess[str]:
    """The ``kassa`` command run in this process (``shell.cli.main``, what ``python -m shell.cli``
    runs): its exit status and what it printed, without a Python start-up for each case."""
    from shell.cli import main as kassa_main

    monkeypatch.setenv("KASSA_DATA_DIR", str(data_dir))
    capsys.readouterr()
    status = kassa_main(list(args))
    printed = capsys.readouterr()
    return subprocess.CompletedProcess(["kassa", *args], status, printed.out, printed.err)


def test_every_file_the_till_must_not_use_is_refused_in_one_line_and_changes_nothing(
        hub_db: HubDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    config = till_settings(tmp_path / "till", HUB_URL)
    good = export(hub_db, tmp_path / "good.kassa", HUB_URL, "--store", STORE.store_id)
    raw = good.read_bytes()
    before = catalog_state(tmp_path / "till" / "till.sqlite3")
    cases = {
        "exported for store OTHER": export(hub_db, tmp_path / "other.kassa", HUB_URL, "--store", "OTHER"),
        "comes from the hub at https://elsewhere.example.com": export(
            hub_db, tmp_path / "elsewhere.kassa", "https://elsewhere.example.com", "--store", STORE.store_id),
        "its SHA-256 does not match its content": _write(tmp_path / "flipped.kassa",
                                                         raw[:500] + bytes([raw[500] ^ 0x04]) + raw[501:]),
        "was it copied completely": _write(tmp_path / "cut.kassa", raw[: len(raw) * 2 // 3]),
        "it is empty": _write(tmp_path / "empty.kassa", b""),
        "not a Kassa catalog export": _write(tmp_path / "photo.jpg", b"\xff\xd8\xff\xe0" + bytes(600)),
        "in format 3, newer than this till reads (format 2): upgrade the till first": rewritten(
            good, tmp_path / "newer.kassa", lambda h: h.update(format_version=3)),
        "the cashiers pages do not add up": rewritten(
            good, tmp_path / "counts.kassa", lambda h: h["datasets"]["cashiers"].update(items=2)),
        "the file cannot be read": tmp_path / "missing.kassa",
    }
    for number, (expected, path) in enumerate(cases.items()):
        # the first as the real command in its own process, the others through the same main() in this one
        refused = (kassa("seed", str(path), "--config", str(config), data_dir=tmp_path / "till") if number == 0
                   else kassa_here("seed", str(path), "--config", str(config), data_dir=tmp_path / "till",
                                   monkeypatch=monkeypatch, capsys=capsys))
        assert refused.returncode == 2, (expected, refused.stdout, refused.stderr)
        assert refused.stderr.startswith(f"kassa: cannot seed from {path}: ") and expected in refused.stderr
        assert len(refused.stderr.splitlines()) == 1 and refused.stdout == ""
        assert catalog_state(tmp_path / "till" / "till.sqlite3") == before, expected


def test_a_till_never_goes_back_to_an_older_export_and_a_second_seed_of_the_same_file_changes_nothing(
        hub_db: HubDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    config = till_settings(tmp_path / "till", HUB_URL)
    older = export(hub_db, tmp_path / "older.kassa", HUB_URL, "--store", STORE.store_id)
    import_catalog(hub_db, rows_from_products([replace(SHAMPOO, price=Money.of("95.00", "UAH"))]))
    newer = export(hub_db, tmp_path / "newer.kassa", HUB_URL, "--store", STORE.store_id)

    assert kassa("seed", str(older), "--config", str(config), data_dir=tmp_path / "till").returncode == 0
    here = {"data_dir": tmp_path / "till", "monkeypatch": monkeypatch, "capsys": capsys}  # the command, in this process
    assert kassa_here("seed", str(newer), "--config", str(config), **here).returncode == 0
    seeded = catalog_state(tmp_path / "till" / "till.sqlite3")
    back = kassa_here("seed", str(older), "--config", str(config), **here)
    again = kassa_here("seed", str(newer), "--config", str(config), **here)

    assert back.returncode == 2 and "would go backwards; make a new export" in back.stderr
    assert again.returncode == 0 and again.stdout.startswith("nothing to do: this till already has")
    assert catalog_state(tmp_path / "till" / "till.sqlite3") == seeded
    db = open_database(tmp_path / "till" / "till.sqlite3")
    shampoo = SqlCatalog(db).by_barcode(SHAMPOO.barcode)
    db.close()
    assert shampoo is not None and shampoo.price == Money.of("95.00", "UAH")


def test_a_running_till_is_not_seeded(hub_db: HubDatabase, tmp_path: Path) -> None:
    config = till_settings(tmp_path / "till", HUB_URL)
    stick = export(hub_db, tmp_path / "catalog.kassa", HUB_URL, "--store", STORE.store_id)
    before = catalog_state(tmp_path / "till" / "till.sqlite3")
    lock = claim_database(tmp_path / "till" / "till.sqlite3")  # the till is open
    try:
        refused = kassa("seed", str(stick), "--config", str(config), data_dir=tmp_path / "till")
    finally:
        release_database(lock)
    assert refused.returncode == 2 and "another copy of Kassa is running" in refused.stderr
    assert catalog_state(tmp_path / "till" / "till.sqlite3") == before


def test_a_file_with_a_right_checksum_and_a_bad_page_is_refused_with_nothing_staged(
        hub_db: HubDatabase, tmp_path: Path) -> None:
    good = export(hub_db, tmp_path / "good.kassa", HUB_URL, "--store", STORE.store_id)
    header, *pages = good.read_bytes().splitlines(keepends=True)[:-1]
    bad_price = [p.replace(b'"price":"120.00"', b'"price":120.0') for p in pages]  # a float: not the protocol
    no_policies = [p for p in pages if b'"dataset":"policies"' not in p]  # the last dataset
    db = open_database(tmp_path / "till.sqlite3")
    try:
        for name, body, expected in (("price", bad_price, "does not follow the protocol: items.2.price"),
                                     ("policies", no_policies, "no last page of policies")):
            path = _write(tmp_path / f"{name}.kassa", b"".join([header, *body]))
            path.write_bytes(path.read_bytes() + b'{"sha256":"' + hashlib.sha256(path.read_bytes()).hexdigest().encode()
                             + b'"}\n')
            with pytest.raises(SeedRefused, match=expected):
                seed_till(db, path, store_id=STORE.store_id, hub_url=HUB_URL)
            assert catalog_state(tmp_path / "till.sqlite3") == ((),) * 11  # nothing applied, nothing left staged
    finally:
        db.close()


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


@pytest.fixture(scope="module")
def small_export(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("fuzz-export")
    with open_hub_database(f"sqlite:///{folder / 'hub.sqlite3'}", migrate_schema=True) as db:
        add_store(db, STORE.store_id, "Kyiv")
        import_catalog(db, rows_from_products(DEMO_PRODUCTS))
        add_cashier(db, STORE.store_id, CASHIER, "Olha", PIN)
        return export(db, folder / "catalog.kassa", HUB_URL, "--store", STORE.store_id).read_bytes()


@settings(max_examples=1000 if os.environ.get("KASSA_SOAK") else 80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_damaged_or_cut_file_is_always_refused_clearly_and_never_half_seeds(
        small_export: bytes, tmp_path: Path, data: st.DataObject) -> None:
    damaged = bytearray(small_export)
    if data.draw(st.booleans(), label="cut short"):
        damaged = damaged[: data.draw(st.integers(0, len(small_export) - 1), label="length")]
    else:
        for _ in range(data.draw(st.integers(1, 4), label="flips")):
            at = data.draw(st.integers(0, len(small_export) - 1), label="at")
            damaged[at] ^= data.draw(st.integers(1, 255), label="mask")
    assume(bytes(damaged) != small_export)  # two flips of one byte may undo each other
    path = _write(tmp_path / "damaged.kassa", bytes(damaged))
    till = tmp_path / "fuzzed-till.sqlite3"  # one till for every example: it must stay empty
    db = open_database(till)
    try:
        with pytest.raises(SeedRefused) as refused:
            seed_till(db, path, store_id=STORE.store_id, hub_url=HUB_URL)
    finally:
        db.close()
    message = refused.value.user_message()
    assert message.startswith(f"cannot seed from {path}: ")
    assert "damaged or incomplete" in message or "not a Kassa catalog export" in message
    assert catalog_state(till) == ((),) * 11


def _count(path: Path, sql: str) -> int | None:
    """A figure read beside the seeding process (read-only; None while the file is not ready)."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)) as conn:
            return int(conn.execute(sql).fetchone()[0])
    except sqlite3.Error:
        return None


def test_a_seed_killed_part_way_leaves_the_old_catalog_or_the_whole_new_one(tmp_path: Path) -> None:
    """SIGKILL while the file is staged, built beside the live catalog or swapped in: the
    till has no catalog or all of it, never part; the next seed completes."""
    from pos.demo_catalog import generate_catalog

    count = 25_000  # a big pull: built beside the live catalog and swapped in
    with open_hub_database(f"sqlite:///{tmp_path / 'hub.sqlite3'}", migrate_schema=True) as db:
        add_store(db, STORE.store_id, "Kyiv")
        import_catalog(db, rows_from_products(generate_catalog(count, seed=42, currency="UAH")))
        add_cashier(db, STORE.store_id, CASHIER, "Olha", PIN)
        stick = export(db, tmp_path / "catalog.kassa", HUB_URL, "--store", STORE.store_id)
    config = till_settings(tmp_path / "till", HUB_URL)
    till = tmp_path / "till" / "till.sqlite3"
    env = {"KASSA_DATA_DIR": str(tmp_path / "till"), "PATH": "/usr/bin:/bin"}
    seen: set[tuple[object, ...]] = set()
    staged = ("SELECT (SELECT count(*) FROM staged_products) + (SELECT count(*) FROM staged_prices) + "
              "(SELECT count(*) FROM staged_barcodes)")
    kill_points = (("staging", staged, 1), ("staged", staged, 40_000),
                   ("building", "SELECT count(*) FROM next_products", 5_000),
                   ("built", "SELECT count(*) FROM next_barcodes", 1))
    for phase, progress, reached in kill_points:
        child = subprocess.Popen([sys.executable, "-m", "shell.cli", "seed", str(stick), "--config", str(config)],
                                 cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while child.poll() is None and (_count(till, progress) or 0) < reached:
            time.sleep(0.005)  # watching another process's progress: nothing to wait on
        alive = child.poll() is None
        child.send_signal(signal.SIGKILL)
        child.wait()
        products = _count(till, "SELECT count(*) FROM products")
        assert products in (None, 0, count), products  # none of it, or all of it
        seen.add((phase, "killed" if alive else "had finished", products))
    finished = kassa("seed", str(stick), "--config", str(config), data_dir=tmp_path / "till")
    assert finished.returncode == 0, finished.stderr
    assert _count(till, "SELECT count(*) FROM products") == count
    assert _count(till, "SELECT count(*) FROM staged_products") == 0
    print(f"kills (phase, child, products after): {sorted(seen, key=str)}")
