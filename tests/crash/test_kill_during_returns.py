"""SIGKILL a till (the window's services on a real file) in the middle of returns and
exchanges made through pos.store_day.returns_desk, at random moments, many times; then
audit the journal: every return and exchange the till said was done is there with its
number (and its approval), no return is partial (lines, refunds, outbox row), an exchange
is its return and its sale or neither, receipts and returns are gapless, nothing is
returned beyond what was sold.  Bounded for CI (KASSA_CRASH_KILLS); KASSA_SOAK=1: 150."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import uuid
from decimal import Decimal
from pathlib import Path

from local_db.database import open_database
from local_db.journal_check import journal_check
from local_db.store_day_journal import SqlStoreDay
from tests.crash.test_kill_during_sales import KILLS, ROOT
from tests.crash.test_kill_during_store_days import _column, _gapless
from tests.ui.returns.till_world import make_store_file


def run_loop_until_killed(module: str, db_path: Path, seed: int, events_before_kill: int) -> list[list[str]]:
    """Run ``module`` until it said ``events_before_kill`` events, then SIGKILL it; what it said."""
    proc = subprocess.Popen([sys.executable, "-m", module, str(db_path), str(seed)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
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


def test_killing_the_till_mid_return_or_exchange_leaves_no_partial_document(tmp_path: Path) -> None:
    db_path = make_store_file(tmp_path / "till.sqlite3")
    rng = random.Random(20261203)
    said: dict[str, list[list[str]]] = {}
    for round_no in range(max(4, KILLS // 2)):
        lines = run_loop_until_killed("tests.crash.returns_desk_loop", db_path, round_no, rng.randint(2, 25))
        for event in lines[1:]:
            said.setdefault(event[0], []).append(event)

    db = open_database(db_path)
    store = SqlStoreDay(db, "T07")
    assert journal_check(db) == []
    for _, sale_id, number in said.get("SOLD", []):
        sale = store.sales.get_sale(uuid.UUID(sale_id))
        assert sale is not None and sale.receipt_number == int(number)
    for _, return_id, number, approval in said.get("RETURNED", []):
        returned = store.get_return(uuid.UUID(return_id))
        assert returned is not None and returned.return_number == int(number)
        assert [str(a) for a in returned.approval_ids] == ([] if approval == "-" else [approval])
    for _, return_id, number, sale_id, receipt in said.get("EXCHANGED", []):
        returned = store.get_return(uuid.UUID(return_id))
        new_sale = store.sales.get_sale(uuid.UUID(sale_id))
        assert returned is not None and returned.return_number == int(number)
        assert new_sale is not None and new_sale.receipt_number == int(receipt)
        assert returned.exchange_sale_id == new_sale.sale_id

    assert _gapless(_column(db, "SELECT receipt_number FROM sales"))
    assert _gapless(_column(db, "SELECT return_number FROM returns"))
    assert _column(db, "SELECT return_id FROM returns r WHERE NOT EXISTS (SELECT 1 FROM return_lines l "
                       "WHERE l.return_id = r.return_id) OR NOT EXISTS (SELECT 1 FROM refunds f "
                       "WHERE f.return_id = r.return_id) OR NOT EXISTS (SELECT 1 FROM outbox o "
                       "WHERE o.document_id = r.return_id)") == []
    assert _column(db, "SELECT return_id FROM returns WHERE exchange_sale_id IS NOT NULL AND exchange_sale_id "
                       "NOT IN (SELECT sale_id FROM sales)") == []
    assert _column(db, "SELECT approval_id FROM approvals a WHERE NOT EXISTS (SELECT 1 FROM outbox o "
                       "WHERE o.document_id = a.approval_id)") == []
    for sale_id in _column(db, "SELECT DISTINCT original_sale_id FROM returns"):
        sale = store.sales.get_sale(uuid.UUID(str(sale_id)))
        assert sale is not None
        back = store.already_returned(sale.sale_id)
        assert all(back.get(line.line_id, Decimal(0)) <= line.quantity for line in sale.lines)
    assert said.get("RETURNED") and said.get("EXCHANGED"), "no return or exchange was made: the test proves little"
    db.close()
