"""SIGKILL of the till while it pushes, then a restart: every sale reaches the hub once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from local_db.database import Database
from local_db.outbox import SqlOutbox
from sync.credentials import FileStore, account_name, load_credential
from tests.fakes import STORE
from tests.sync.conftest import Hub, connect

ROOT = Path(__file__).resolve().parents[2]
SALES = 120


def test_a_till_killed_during_a_push_loses_and_doubles_nothing_after_a_restart(hub: Hub, till_db: Database) -> None:
    sync = connect(hub.url, till_db, hub)
    credential = load_credential(FileStore(till_db.path.parent), STORE.store_id, STORE.till_id)
    assert account_name(STORE.store_id, STORE.till_id) == f"{STORE.store_id}/{STORE.till_id}"
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.sync.till_child", str(till_db.path), hub.url, credential, str(SALES)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )
    try:
        target = random.Random(7).randint(10, SALES // 2)
        deadline = time.monotonic() + 60
        while hub.sale_count() < target and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.01)  # watching another process: nothing to wait on
        assert hub.sale_count() >= target, "the child never pushed"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()

    recorded = int(SqlOutbox(till_db).unsent_count() + SqlOutbox(till_db).acknowledged_count())
    assert recorded >= hub.sale_count()
    outcome = sync.push()  # the restarted till

    assert outcome.error is None
    assert hub.seqs() == list(range(1, recorded + 1))  # each once, none missing
    assert SqlOutbox(till_db).unsent_count() == 0
    assert SqlOutbox(till_db).acknowledged_count() == recorded
