"""SIGKILL a selling till at random moments, many times, then audit the journal.

Bounded for CI (KASSA_CRASH_KILLS, default 12); KASSA_SOAK=1 runs 150 kills."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from local_db.database import open_database
from local_db.demo_store import create_demo_store
from local_db.journal import SqlJournal
from local_db.journal_check import journal_check
from tests.crash.sale_loop import CATALOG_SIZE

ROOT = Path(__file__).resolve().parents[2]
KILLS = 150 if os.environ.get("KASSA_SOAK") else int(os.environ.get("KASSA_CRASH_KILLS", "12"))


def run_until_killed(db_path: Path, seed: int, events_before_kill: int) -> list[list[str]]:
    """Start the till, let it sell until it has said ``events_before_kill`` things after
    REOPENED, SIGKILL it; return what it said.  The kill lands wherever the till has got
    to in its next scan or sale by then (mid-scan, mid-commit...); waiting on what the
    till says, not on a clock, makes the test the same on a fast or a slow machine."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.crash.sale_loop", str(db_path), str(seed)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    heard = []
    while len(heard) <= events_before_kill:  # REOPENED, then that many events
        line = proc.stdout.readline()
        if not line:
            break  # the till died by itself: the checks below say why
        heard.append(line)
    proc.send_signal(signal.SIGKILL)
    out, err = proc.communicate()
    text = "".join(heard) + out
    said = text.splitlines()
    if said and not text.endswith("\n"):
        said.pop()  # a line cut short by the kill was never fully said
    lines = [line.split() for line in said]
    assert lines and lines[0] and lines[0][0] == "REOPENED", f"the till did not start: {text[:200]!r} {err[-2000:]}"
    assert "Traceback" not in err, err[-3000:]
    assert len(lines) > events_before_kill, f"the till stopped by itself: {err[-2000:]}"
    return lines


@pytest.mark.slow
def test_killing_the_till_at_random_never_loses_doubles_or_tears_a_sale(tmp_path):
    db_path = tmp_path / "till.sqlite3"
    create_demo_store(open_database(db_path), items=CATALOG_SIZE)
    rng = random.Random(20261124)
    completed: dict[str, int] = {}
    last_scan: tuple[str, int] | None = None  # basket id and lines of the last scan reported
    killed_mid_basket = killed_after_sale = 0
    for round_no in range(KILLS):
        heard = rng.randint(0, 24)
        events = run_until_killed(db_path, seed=round_no, events_before_kill=heard)
        reopened_id, reopened_lines = events[0][1], int(events[0][2])
        if last_scan is not None and last_scan[0] not in completed:
            basket_id, lines = last_scan
            if reopened_id == basket_id:
                assert reopened_lines >= lines, "a scan the cashier saw was lost by the crash"
            else:  # the basket is gone: only allowed if its sale was committed just before the kill
                assert SqlJournal(open_database(db_path), "T01").get_sale(uuid.UUID(basket_id)) is not None, \
                    "the basket being built was lost by the crash"
        last_scan = None
        killed_mid_basket += events[heard][0] == "SCANNED"  # what the kill was sent after
        killed_after_sale += events[heard][0] == "COMPLETED"
        for event in events[1:]:
            if event[0] == "SCANNED":
                last_scan = (event[1], int(event[2]))
            elif event[0] == "COMPLETED":
                assert event[1] not in completed, "one sale was reported twice"
                completed[event[1]] = int(event[2])
                last_scan = None

    db = open_database(db_path)
    journal = SqlJournal(db, "T01")
    assert journal_check(db) == []
    for sale_id, number in completed.items():
        sale = journal.get_sale(uuid.UUID(sale_id))
        assert sale is not None, f"sale {sale_id} was reported completed but is missing"
        assert sale.receipt_number == number
    recorded = journal.recent_sales(limit=1_000_000)
    numbers = sorted(s.receipt_number for s in recorded)
    assert numbers == list(range(1, len(numbers) + 1)), "receipt numbers have a gap"
    assert len({s.sale_id for s in recorded}) == len(recorded)
    assert len(completed) >= KILLS // 3, "the till hardly sold anything: the test proves little"
    assert killed_mid_basket and killed_after_sale, "the kills never fell both inside a basket and right after a sale"
    assert journal.unsent_count() == len(recorded)
