"""SIGKILL a till while it pays by card through the terminal emulator process (waiting on the
terminal, between the card and the sale, mid-commit...) many times, then let it finish what
was open and audit: every charge the terminal took is a card payment of exactly one recorded
sale (found again after the kill, never taken twice, never lost), every recorded sale's card
payments were charged, no card payment is left pending, receipts are gapless.

Bounded for CI (KASSA_CRASH_KILLS, default 12, of which half here); KASSA_SOAK=1: 60 kills."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from hardware.card_terminal import NetworkCardTerminal
from local_db.card_payment_log import SqlCardPaymentLog
from local_db.cashiers import add_cashier
from local_db.database import open_database
from local_db.demo_store import create_demo_store
from local_db.journal import SqlJournal
from local_db.journal_check import journal_check
from tests.crash.test_kill_during_sales import ROOT
from tests.hardware.test_card_terminal_crash import charges, emulator_process
from tests.shift_setup import open_shift_in

KILLS = 60 if os.environ.get("KASSA_SOAK") else max(3, int(os.environ.get("KASSA_CRASH_KILLS", "12")) // 2)
STEPS = ("approve", "approve", "timeout", "drop", "decline", "garbage")


def child(db_path: Path, port: int, seed: int, *mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "tests.crash.card_checkout_loop", str(db_path), str(port),
                             str(seed), *mode], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def run_until_killed(db_path: Path, port: int, seed: int, lines_before_kill: int = 10**6,
                     until: str = "") -> list[list[str]]:
    """Kill after ``lines_before_kill`` lines, or right after a line starting with ``until``."""
    proc = child(db_path, port, seed)
    assert proc.stdout is not None
    heard: list[str] = []
    while len(heard) <= lines_before_kill:
        line = proc.stdout.readline()
        if not line:
            break
        heard.append(line)
        if until and line.startswith(until):
            break
    proc.send_signal(signal.SIGKILL)
    out, err = proc.communicate()
    text = "".join(heard) + out
    said = text.splitlines()
    if said and not text.endswith("\n"):
        said.pop()
    assert said and said[0] == "STARTED", f"the till did not start: {text[:200]!r} {err[-2000:]}"
    assert "Traceback" not in err, err[-3000:]
    return [line.split() for line in said]


@pytest.mark.slow
def test_killing_the_till_while_it_pays_by_card_never_loses_or_doubles_a_card_payment(tmp_path: Path) -> None:
    db_path, journal = tmp_path / "till.sqlite3", tmp_path / "terminal.jsonl"
    with open_database(db_path) as db:
        create_demo_store(db, items=40)
        add_cashier(db, "1", "Olena", "1234")
    open_shift_in(db_path, "S1", "T07")
    rng = random.Random(20261202)
    script = "hold," + ",".join(rng.choice(STEPS) for _ in range(KILLS * 6))
    said: list[list[str]] = []
    with emulator_process(journal, script) as port:
        # first: killed while the customer is still at the terminal (the payment in doubt)
        said += run_until_killed(db_path, port, 99, until="CARD")
        assert said[-1][2] == "CardCheckTerminal", said
        held = uuid.UUID(said[-1][1])
        with open_database(db_path) as db:
            assert [p.payment_id for p in SqlCardPaymentLog(db).unsettled()] == [held]
            amount = SqlCardPaymentLog(db).remembered(held)
        assert amount is not None
        NetworkCardTerminal("127.0.0.1", port).cancel(held, amount.amount)  # the customer gave up
        for round_no in range(KILLS):
            said += run_until_killed(db_path, port, round_no, rng.randint(1, 12))
        done = subprocess.run([sys.executable, "-m", "tests.crash.card_checkout_loop", str(db_path), str(port),
                               "0", "finish"], cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-3000:]
        said += [line.split() for line in done.stdout.splitlines()]

    charged = charges(journal)  # payment id -> times the terminal approved it
    with open_database(db_path) as db:
        assert journal_check(db) == []
        sales = SqlJournal(db, "T07").recent_sales(100_000)
        pending = SqlCardPaymentLog(db).unsettled()
    card_payments = [str(p.payment_id) for sale in sales for p in sale.payments if p.method == "card"]
    assert sorted(card_payments) == sorted(charged), "a charge is not in a sale, or a sale's card was not charged"
    assert set(charged.values()) <= {1} and len(set(card_payments)) == len(card_payments)
    assert pending == []
    numbers = sorted(sale.receipt_number for sale in sales)
    assert numbers == list(range(1, len(numbers) + 1))
    for _, sale_id, number in (line for line in said if line[0] == "SOLD"):
        assert any(str(sale.sale_id) == sale_id and sale.receipt_number == int(number) for sale in sales)
    assert charged, "no card was charged: the test proves little"
    assert str(held) not in charged and str(held) not in card_payments
