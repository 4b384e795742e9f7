"""SIGKILL a till in the middle of store days (returns, exchanges, cash out, shift closes
with their Z) at random moments, many times, then audit the journal: every document the
till said was done is there with its number, no document is partial, every series is
gapless, an exchange is its return and its sale or neither, every closed shift has its Z,
nothing is returned beyond what was sold, and every document has its one outbox row.

Bounded for CI (KASSA_CRASH_KILLS, default 12); KASSA_SOAK=1 runs 150 kills."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import uuid
from decimal import Decimal
from pathlib import Path

import pytest

from local_db.database import Database, open_database
from local_db.journal_check import journal_check
from local_db.store_day_journal import SqlStoreDay
from tests.crash.store_day_loop import TILL
from tests.crash.test_kill_during_sales import KILLS, ROOT


def run_until_killed(db_path: Path, seed: int, events_before_kill: int) -> list[list[str]]:
    proc = subprocess.Popen([sys.executable, "-m", "tests.crash.store_day_loop", str(db_path), str(seed)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    heard = []
    while len(heard) <= events_before_kill:
        line = proc.stdout.readline()
        if not line:
            break
        heard.append(line)
    proc.send_signal(signal.SIGKILL)
    out, err = proc.communicate()
    text = "".join(heard) + out
    said = text.splitlines()
    if said and not text.endswith("\n"):
        said.pop()  # a line cut short by the kill was never fully said
    lines = [line.split() for line in said]
    assert lines and lines[0][0] == "STARTED", f"the till did not start: {text[:200]!r} {err[-2000:]}"
    assert "Traceback" not in err, err[-3000:]
    return lines


def _column(db: Database, sql: str) -> list[object]:
    with db.reading() as conn:
        return list(conn.exec_driver_sql(sql).scalars())


def _gapless(numbers: list[object]) -> bool:
    ordered = sorted(int(str(n)) for n in numbers)
    return ordered == list(range(1, len(ordered) + 1))


@pytest.mark.slow
def test_killing_the_till_mid_return_exchange_or_close_never_leaves_a_partial_document(tmp_path: Path) -> None:
    db_path = tmp_path / "till.sqlite3"
    open_database(db_path).close()
    rng = random.Random(20261202)
    said: dict[str, list[list[str]]] = {}
    for round_no in range(KILLS):
        for event in run_until_killed(db_path, round_no, rng.randint(0, 30))[1:]:
            said.setdefault(event[0], []).append(event)

    db = open_database(db_path)
    store = SqlStoreDay(db, TILL)
    assert journal_check(db) == []
    for _, sale_id, number in said.get("SOLD", []):
        sale = store.sales.get_sale(uuid.UUID(sale_id))
        assert sale is not None and sale.receipt_number == int(number)
    for _, return_id, number, *new_sale in said.get("RETURNED", []) + said.get("EXCHANGED", []):
        returned = store.get_return(uuid.UUID(return_id))
        assert returned is not None and returned.return_number == int(number)
        if new_sale:
            sale = store.sales.get_sale(uuid.UUID(new_sale[0]))
            assert sale is not None and sale.receipt_number == int(new_sale[1])
    for _, shift_id, z_number in said.get("CLOSED", []):
        z = store.z_report(uuid.UUID(shift_id))
        assert z is not None and z.z_number == int(z_number)

    assert _gapless(_column(db, "SELECT receipt_number FROM sales"))
    assert _gapless(_column(db, "SELECT return_number FROM returns"))
    assert _gapless(_column(db, "SELECT number FROM cash_movements"))
    assert _gapless(_column(db, "SELECT z_number FROM z_reports"))
    # no partial document: every return has its lines and refunds, an exchange its sale, a close its Z
    assert _column(db, "SELECT return_id FROM returns r WHERE NOT EXISTS (SELECT 1 FROM return_lines l "
                       "WHERE l.return_id = r.return_id) OR NOT EXISTS (SELECT 1 FROM refunds f "
                       "WHERE f.return_id = r.return_id)") == []
    assert _column(db, "SELECT return_id FROM returns WHERE exchange_sale_id IS NOT NULL AND exchange_sale_id "
                       "NOT IN (SELECT sale_id FROM sales)") == []
    assert sorted(_column(db, "SELECT shift_id FROM shifts WHERE event = 'closed'")) == sorted(
        _column(db, "SELECT shift_id FROM z_reports"))
    # each document has exactly one outbox row, and nothing else has one
    documents = (len(_column(db, "SELECT sale_id FROM sales")) + len(_column(db, "SELECT shift_id FROM shifts"))
                 + len(_column(db, "SELECT return_id FROM returns"))
                 + len(_column(db, "SELECT movement_id FROM cash_movements"))
                 + len(_column(db, "SELECT shift_id FROM z_reports")))
    assert len(_column(db, "SELECT row_id FROM outbox")) == documents
    for sale_id in _column(db, "SELECT DISTINCT original_sale_id FROM returns"):
        sale = store.sales.get_sale(uuid.UUID(str(sale_id)))
        assert sale is not None
        back = store.already_returned(sale.sale_id)
        assert all(back.get(line.line_id, Decimal(0)) <= line.quantity for line in sale.lines)
    assert len(said.get("RETURNED", [])) + len(said.get("EXCHANGED", [])) >= 1
    assert said.get("CLOSED"), "no shift was closed: the test proves little"
    db.close()
