"""The till as IT installs it: the PyInstaller bundle built once per session (reused when it
is newer than every source file), run from a copy far from the source tree with a clean
environment, against a real hub process on loopback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from filelock import FileLock
from sqlalchemy import func, select

from central.catalog_files import rows_from_products
from central.catalog_import import import_catalog
from central.database import HubDatabase, open_hub_database
from central.enrolment import make_enrolment_code
from central.stores import TillIdentity, add_store
from central.tables import sales
from tests.central.hub_process import running_hub
from tests.fakes import DEMO_PRODUCTS

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "installer" / "build"
SELF_TEST_STORE = "SELFTEST"
CHECKS = ["database", "translations", "fonts", "enrolment", "pull", "sale", "receipt", "push"]


@dataclass
class LoopbackHub:
    url: str
    db: HubDatabase
    tills: int = 0

    def code_for_a_new_till(self) -> tuple[str, str]:
        """A one-time code for a till of the self-test store that has never been used."""
        self.tills += 1
        till = f"T{self.tills:02d}"
        return till, self.code_for(till)

    def code_for(self, till: str) -> str:
        return make_enrolment_code(self.db, TillIdentity(SELF_TEST_STORE, till))

    def sales_of(self, till: str) -> int:
        with self.db.reading() as conn:
            return int(conn.execute(select(func.count()).select_from(sales).where(
                sales.c.store_id == SELF_TEST_STORE, sales.c.till_id == till)).scalar_one())


@pytest.fixture(scope="session")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoopbackHub]:
    """``kassa-hub serve`` from the venv, with the self-test store and the fakes' catalog."""
    url = f"sqlite:///{tmp_path_factory.mktemp('hub') / 'hub.sqlite3'}"
    db = open_hub_database(url, migrate_schema=True)
    add_store(db, SELF_TEST_STORE, "Self-test store")
    import_catalog(db, rows_from_products(DEMO_PRODUCTS))
    try:
        with running_hub(url) as base:
            yield LoopbackHub(base, db)
    finally:
        db.close()


def build_folder_lock() -> FileLock:
    """Held to build into installer/build/ or to copy out of it: under pytest-xdist another
    worker may build again (a .deb is always written anew) while this one reads."""
    BUILD.mkdir(parents=True, exist_ok=True)
    return FileLock(str(BUILD / ".tests.lock"))


def build_now(what: str) -> str:
    """installer/build.py with the venv's Python (what ./dev bundle and ./dev deb run); call it
    holding ``build_folder_lock()``."""
    done = subprocess.run([sys.executable, str(ROOT / "installer" / "build.py"), what, "--if-stale"], cwd=ROOT,
                          capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="session")
def built_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundle, built (or reused) and copied out of the source tree in one go."""
    copy = tmp_path_factory.mktemp("built") / "kassa"
    with build_folder_lock():
        print(build_now("bundle"))
        shutil.copytree(BUILD / "dist" / "kassa", copy, symlinks=True)
    return copy


@pytest.fixture(scope="session")
def bundle(built_bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundle, away from the source tree: its executable."""
    copy = tmp_path_factory.mktemp("installed") / "kassa"
    shutil.copytree(built_bundle, copy, symlinks=True)
    return copy / "kassa"


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """No PYTHONPATH, no venv on PATH, the till's data in ``home``."""
    home.mkdir(parents=True, exist_ok=True)
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "KASSA_DATA_DIR": str(home / "data"), "LANG": "C.UTF-8",
            **extra}


def run(command: list[str], home: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    """``command`` run in ``home`` (never the source tree) with a clean environment."""
    return subprocess.run(command, cwd=home, env=clean_env(home, **extra), capture_output=True, text=True,
                          timeout=300)


def self_test(kassa: Path | str, home: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], dict]:
    done = run([str(kassa), "self-test", "--json", *args], home)
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise AssertionError(f"no JSON report (exit {done.returncode}): {done.stdout[-2000:]} {done.stderr[-2000:]}")
    return done, report


def statuses(report: dict) -> dict[str, str]:
    return {check["name"]: check["status"] for check in report["checks"]}


def project_version() -> str:
    import tomllib

    with open(ROOT / "pyproject.toml", "rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def is_root_with_apt() -> bool:
    """Install the package for real?  KASSA_TEST_DEB_UNPACK=1 tests the unpacked package instead."""
    if os.environ.get("KASSA_TEST_DEB_UNPACK") == "1":
        return False
    return hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get") is not None
