"""``kassa add-cashier``: the first manager of a till that is not enrolled yet, made on the
till (real ``kassa`` processes on a real database); the PIN never on the command line nor in
the output; ``kassa run`` on a till nobody can sign in to says to run it; the demo store's
people and their roles."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from local_db.cashiers import SqlCashiers
from local_db.database import open_database
from local_db.demo_store import create_demo_store
from local_db.staff import SqlStaff
from pos.sale import Cashier
from pos.store_day.roles import Role
from shell.till import claim_database, release_database

ROOT = Path(__file__).resolve().parents[2]
MANAGER = ("--code", "9", "--name", "Iryna (manager)", "--role", "manager")


def _config(tmp_path: Path, extra: str = "") -> Path:
    config = tmp_path / "kassa.toml"
    config.write_text(f'[store]\nstore_id = "S1"\nname = "Shop"\n[database]\npath = "{tmp_path / "till.sqlite3"}"\n'
                      f"{extra}", encoding="utf-8")
    return config


def kassa(*args: str, data_dir: Path, stdin: str = "") -> subprocess.CompletedProcess:
    env = {"KASSA_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "shell.cli", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)


def _role_and_sign_in(tmp_path: Path, code: str, pin: str) -> tuple[Role, Cashier | None]:
    db = open_database(tmp_path / "till.sqlite3")
    try:
        cashiers = SqlCashiers(db)
        return SqlStaff(db, cashiers).role_of(code), cashiers.sign_in(code, pin)
    finally:
        db.close()


def _logs(tmp_path: Path) -> str:
    return "".join(p.read_text(encoding="utf-8", errors="replace") for p in tmp_path.rglob("*.log*") if p.is_file())


def test_a_new_till_refuses_to_run_with_nobody_to_sign_in_then_its_manager_is_added_from_a_pin_file(
        tmp_path: Path) -> None:
    config = _config(tmp_path)

    refused = kassa("run", "--config", str(config), data_dir=tmp_path)

    assert refused.returncode == 2 and "this till has no cashiers" in refused.stderr
    assert "kassa add-cashier --code 9" in refused.stderr and "--role manager" in refused.stderr
    pin_file = tmp_path / "pin.txt"
    pin_file.write_text("9731\n", encoding="utf-8")

    added = kassa("add-cashier", *MANAGER, "--pin-file", str(pin_file), "--config", str(config), data_dir=tmp_path)

    assert added.returncode == 0, added.stderr
    assert "cashier 9 (Iryna (manager)) saved as manager" in added.stdout
    assert _role_and_sign_in(tmp_path, "9", "9731") == (Role.MANAGER, Cashier("9", "Iryna (manager)"))
    assert "9731" not in added.stdout + added.stderr + _logs(tmp_path)


def test_the_pin_comes_from_the_standard_input_and_a_bad_one_saves_nothing(tmp_path: Path) -> None:
    config = _config(tmp_path, "[security]\nmin_pin_length = 6\n")

    short = kassa("add-cashier", *MANAGER, "--config", str(config), data_dir=tmp_path, stdin="9731\n")
    letters = kassa("add-cashier", *MANAGER, "--config", str(config), data_dir=tmp_path, stdin="12ab56\n")
    as_argument = kassa("add-cashier", *MANAGER, "--pin", "975310", "--config", str(config), data_dir=tmp_path)

    for refused in (short, letters):
        assert refused.returncode == 2
        assert "is not a PIN: a PIN is 6 to 12 digits" in refused.stderr and "nothing was saved" in refused.stderr
    assert as_argument.returncode == 2 and "unrecognized arguments: --pin" in as_argument.stderr
    assert _role_and_sign_in(tmp_path, "9", "975310") == (Role.CASHIER, None)  # nobody was added
    good = kassa("add-cashier", *MANAGER, "--config", str(config), data_dir=tmp_path, stdin="975310\n")
    assert good.returncode == 0 and _role_and_sign_in(tmp_path, "9", "975310")[0] is Role.MANAGER


def test_a_running_till_gets_no_cashier_behind_its_back(tmp_path: Path) -> None:
    config = _config(tmp_path)
    open_database(tmp_path / "till.sqlite3").close()
    lock = claim_database(tmp_path / "till.sqlite3")
    try:
        refused = kassa("add-cashier", *MANAGER, "--config", str(config), data_dir=tmp_path, stdin="9731\n")
    finally:
        release_database(lock)
    assert refused.returncode == 2 and "another copy of Kassa is running" in refused.stderr
    assert _role_and_sign_in(tmp_path, "9", "9731")[1] is None


def test_the_demo_store_has_a_cashier_a_senior_cashier_and_a_manager(tmp_path: Path) -> None:
    db = open_database(tmp_path / "till.sqlite3")
    try:
        create_demo_store(db, items=20)
    finally:
        db.close()
    assert _role_and_sign_in(tmp_path, "1", "1234") == (Role.CASHIER, Cashier("1", "Olena"))
    assert _role_and_sign_in(tmp_path, "2", "4321")[0] is Role.SENIOR_CASHIER
    assert _role_and_sign_in(tmp_path, "9", "9999") == (Role.MANAGER, Cashier("9", "Iryna (manager)"))
