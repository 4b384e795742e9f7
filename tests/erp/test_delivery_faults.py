"""Tryton away, and the hub's delivery killed in the middle of a batch: nothing lost, nothing doubled."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import func, select

from central.erp import delivery
from central.erp.erp_cli import status_lines
from central.erp.outbox import DELIVERED, QUEUED, erp_outbox
from tests.erp.hub_side import TrytonReader, connector, hub_with_shop, push_sales
from tests.erp.tryton_server import TrytonDatabase, TrytonServer


def test_tryton_down_keeps_the_sales_queued_with_the_reason_and_they_go_once_when_it_is_back(
        tmp_path: Path, tryton_server: TrytonServer) -> None:
    with hub_with_shop(f"sqlite:///{tmp_path / 'hub.sqlite3'}") as (db, shop):
        sales = push_sales(shop, 2)
        tryton_server.stop()
        erp = connector(tryton_server.database)
        away = delivery.deliver_due(db, erp)
        assert (away.retried, away.delivered) == (1, 0)  # the round stops at the first: Tryton is away for all
        with db.reading() as conn:
            rows = conn.execute(select(erp_outbox.c.state, erp_outbox.c.attempts, erp_outbox.c.next_attempt_at,
                                       erp_outbox.c.last_error, erp_outbox.c.claimed_by)
                                .order_by(erp_outbox.c.id)).all()
        assert [r.state for r in rows] == [QUEUED, QUEUED] and [r.claimed_by for r in rows] == [None, None]
        assert rows[0].attempts == 1 and "cannot be reached" in rows[0].last_error
        assert rows[0].next_attempt_at > datetime.now(timezone.utc)
        assert any("oldest queued" in line and "cannot be reached" in line for line in status_lines(db))
        assert delivery.deliver_due(db, erp).claimed == 1  # the second is due; the first waits for its backoff

        tryton_server.start()
        later = lambda: datetime.now(timezone.utc) + timedelta(minutes=20)  # noqa: E731 - past every backoff
        back = delivery.deliver_due(db, erp, clock=later)
        erp.close()
        assert back.delivered == 2, back.describe()
        reader = TrytonReader(tryton_server.database)
        assert [len(reader.sales(str(s.sale_id))) for s in sales] == [1, 1]
        reader.close()


def _run_delivery(hub_url: str, tryton: TrytonDatabase, log: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, KASSA_ERP_URL=tryton.url, KASSA_ERP_DATABASE=tryton.name, KASSA_ERP_USER=tryton.login,
               KASSA_ERP_PASSWORD=tryton.password)
    command = [str(Path(sys.executable).with_name("kassa-hub")), "erp", "run", "--database", hub_url, "--batch", "4",
               "--idle", "0.2", "--lease", "3"]
    with log.open("ab") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)


def test_the_delivery_killed_in_the_middle_of_a_batch_leaves_each_sale_once_in_tryton(
        tmp_path: Path, tryton: TrytonDatabase) -> None:
    hub_url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    log = tmp_path / "erp-run.log"
    with hub_with_shop(hub_url) as (db, shop):
        sales = push_sales(shop, 10)

        def delivered() -> int:
            with db.reading() as conn:
                return int(conn.execute(select(func.count()).select_from(erp_outbox)
                                        .where(erp_outbox.c.state == DELIVERED)).scalar_one())

        first = _run_delivery(hub_url, tryton, log)
        deadline = time.monotonic() + 240
        while delivered() < 2 and time.monotonic() < deadline and first.poll() is None:
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)  # in the middle of its first batch of 4, a sale in flight
        first.wait()
        assert 2 <= delivered() < 10, log.read_text()[-3000:]
        with db.reading() as conn:  # the rest of its batch still claimed by the dead worker
            assert conn.execute(select(func.count()).select_from(erp_outbox).where(
                erp_outbox.c.state == QUEUED, erp_outbox.c.claimed_by.is_not(None))).scalar_one() >= 1

        second = _run_delivery(hub_url, tryton, log)
        try:
            while delivered() < 10 and time.monotonic() < deadline and second.poll() is None:
                time.sleep(0.2)
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(30)
        assert delivered() == 10, log.read_text()[-3000:]
        assert tryton.password not in log.read_text()

    reader = TrytonReader(tryton)
    found = [reader.sales(str(sale.sale_id)) for sale in sales]
    reader.close()
    assert [len(each) for each in found] == [1] * 10
    assert {each[0]["state"] for each in found} == {"posted"}


def test_tryton_killed_in_the_middle_of_the_delivery_loses_and_doubles_nothing(
        tmp_path: Path, tryton_server: TrytonServer) -> None:
    import threading

    with hub_with_shop(f"sqlite:///{tmp_path / 'hub.sqlite3'}") as (db, shop):
        sales = push_sales(shop, 6)

        def delivered() -> int:
            with db.reading() as conn:
                return int(conn.execute(select(func.count()).select_from(erp_outbox)
                                        .where(erp_outbox.c.state == DELIVERED)).scalar_one())

        erp = connector(tryton_server.database)
        stop = threading.Event()
        worker = threading.Thread(target=delivery.run, args=(db, erp, stop), kwargs={"batch": 2, "idle": 0.1})
        worker.start()
        deadline = time.monotonic() + 120
        while delivered() < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        tryton_server.kill()  # SIGKILL, whatever it was doing
        time.sleep(1)
        stop.set()
        worker.join(60)
        assert 1 <= delivered() < 6
        assert delivery.counts(db)["failed"] == 0  # away is never a failure

        tryton_server.start()
        later = lambda: datetime.now(timezone.utc) + timedelta(minutes=20)  # noqa: E731 - past every backoff
        while delivered() < 6 and time.monotonic() < deadline + 120:
            delivery.deliver_due(db, erp, clock=later)
        erp.close()
        assert delivered() == 6
    reader = TrytonReader(tryton_server.database)
    assert [len(reader.sales(str(sale.sale_id))) for sale in sales] == [1] * 6
    reader.close()
