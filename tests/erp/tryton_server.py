"""A real trytond for the tests: the template database built once per machine and kept, a server on
loopback, and a fresh copy of the template for each test that wants one.

The template lives in ``$TMPDIR/kassa-tryton-<hash>/template.sqlite``; the hash covers Tryton's
version, our module, the set-up script, the test shop's products and the month (the fiscal year is
made around today), so a change to any of them builds a new one.  Two pytest workers building it at
once take turns under a file lock; the second finds it made.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import date
from importlib.metadata import version
from pathlib import Path

import httpx
from filelock import FileLock

from tests.erp import tryton_template as setup

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


@dataclass(frozen=True)
class TrytonDatabase:
    """Where the connector finds a Tryton database, and who it signs in as."""

    url: str  # http://127.0.0.1:PORT/
    name: str
    login: str = setup.CONNECTOR_LOGIN
    password: str = setup.CONNECTOR_PASSWORD
    folder: Path = Path()

    @property
    def rpc_url(self) -> str:
        return f"{self.url}{self.name}/rpc/"


def template_key() -> str:
    digest = hashlib.sha256()
    for package in ("trytond", "trytond_sale_point", "proteus"):
        digest.update(version(package).encode())
    for path in sorted([HERE / "tryton_template.py", ROOT / "tests" / "fakes.py",
                        *(ROOT / "erp_modules" / "kassa_pos").glob("*.*")]):
        if path.suffix in {".py", ".cfg", ".xml"}:
            digest.update(path.read_bytes())
    digest.update(date.today().strftime("%Y-%m").encode())
    return digest.hexdigest()[:16]


def template_folder() -> Path:
    """The folder holding ``template.sqlite``, built if it is not there yet (about a minute)."""
    base = Path(os.environ.get("KASSA_TRYTON_CACHE", tempfile.gettempdir()))
    folder = base / f"kassa-tryton-{template_key()}"
    with FileLock(str(folder) + ".lock", timeout=900):
        if not (folder / f"{setup.TEMPLATE}.sqlite").exists():
            building = Path(tempfile.mkdtemp(prefix=folder.name + "-building-", dir=base))
            subprocess.run([sys.executable, "-m", "tests.erp.tryton_template", str(building)],
                           check=True, cwd=ROOT, stdin=subprocess.DEVNULL)
            building.rename(folder)
    return folder


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class TrytonServer:
    """``trytond -d NAME`` on a loopback port, serving its own fresh copy of the template (trytond
    serves only the databases it was started with); start, stop or kill it, start it again."""

    def __init__(self, folder: Path, template: Path, name: str | None = None) -> None:
        self.folder = folder
        self.template = template
        self.port = free_port()
        self.config = setup.write_config(folder, self.port)
        self.name = name or f"kassa_{uuid.uuid4().hex[:10]}"
        shutil.copyfile(template / f"{setup.TEMPLATE}.sqlite", folder / f"{self.name}.sqlite")
        self.database = TrytonDatabase(self.url, self.name, folder=folder)
        self.process: subprocess.Popen[bytes] | None = None
        self.log = folder / f"trytond-{self.name}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self, timeout: float = 60) -> None:
        trytond = Path(sys.executable).with_name("trytond")
        with self.log.open("ab") as log:
            self.process = subprocess.Popen([str(trytond), "-c", str(self.config), "-d", self.name], stdout=log,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"trytond stopped at start:\n{self.log.read_text()[-3000:]}")
            try:
                httpx.post(self.database.rpc_url, json={"id": 0, "method": "common.server.version", "params": []},
                           timeout=2)
                return
            except httpx.TransportError:
                time.sleep(0.2)
        raise RuntimeError(f"trytond did not answer on {self.url} in {timeout} s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None
