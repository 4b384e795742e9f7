"""The emulator as its own process, and a till process killed (SIGKILL) while it waits on the
terminal: on restart it asks the terminal what became of the payment and finds exactly one
charge, or none, never two and never a payment forgotten."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from hardware.card_terminal import NetworkCardTerminal
from pos.money import Money
from pos.payment_terminal import CardApproved, CardCheckTerminal, CardDeclined
from tests.hardware.card_payment_file_log import FileCardLog

ROOT = Path(__file__).resolve().parents[2]
AMOUNT = Money.of("249.90", "UAH")
WAIT = 20.0  # seconds to wait for a process's next line or for the terminal to record an outcome


@contextmanager
def emulator_process(journal: Path, script: str = "") -> Iterator[int]:
    process = subprocess.Popen(
        [sys.executable, "-m", "hardware.card_terminal_emulator", "--port", "0", "--journal", str(journal),
         "--script", script], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = process.stdout.readline()  # type: ignore[union-attr]
        assert line.startswith("listening on 127.0.0.1:"), line + process.stderr.read()  # type: ignore[union-attr]
        yield int(line.rsplit(":", 1)[1])
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=WAIT) == 0


def charges(journal: Path) -> dict[str, int]:
    """How many times the terminal recorded each payment as approved."""
    counted: dict[str, int] = {}
    for line in journal.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["outcome"] == "approved":
            counted[record["payment_id"]] = counted.get(record["payment_id"], 0) + 1
    return counted


def till(log: Path, port: int, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.hardware.card_till_child", str(log), str(port), *args],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def wait_until_recorded(port: int, payment_id: uuid.UUID, outcome: type) -> None:
    terminal = NetworkCardTerminal("127.0.0.1", port)
    deadline = time.monotonic() + WAIT
    while not isinstance(terminal.status(payment_id, AMOUNT), outcome):
        assert time.monotonic() < deadline, f"the terminal never recorded {payment_id}"
        time.sleep(0.05)


def recover(log: Path, port: int) -> list[list[str]]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.hardware.card_till_child", str(log), str(port), "recover"],
        cwd=ROOT, capture_output=True, text=True, timeout=WAIT * 3,
    )
    assert done.returncode == 0, done.stderr
    return [line.split() for line in done.stdout.splitlines() if line.startswith("RESULT")]


@pytest.mark.parametrize("script", ["timeout", "drop", "ignore", "hold"])
def test_a_till_killed_while_waiting_on_the_terminal_finds_at_most_one_charge_on_restart(
    tmp_path: Path, script: str
) -> None:
    journal, log = tmp_path / "terminal.jsonl", tmp_path / "card-payments.jsonl"
    with emulator_process(journal, script) as port:
        victim = till(log, port, "pay", "249.90")
        first = victim.stdout.readline().split()  # type: ignore[union-attr]
        assert first[:1] == ["PENDING"], victim.stderr.read() if victim.poll() is not None else first  # type: ignore[union-attr]
        payment_id = uuid.UUID(first[1])
        if script != "ignore":  # the terminal has the request: the till is waiting on its answer (or is done)
            wait_until_recorded(port, payment_id, CardCheckTerminal if script == "hold" else CardApproved)
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=WAIT)
        assert [p.payment_id for p in FileCardLog(log).unsettled()] == [payment_id]

        expected = {"timeout": "CardApproved", "drop": "CardApproved", "ignore": "CardCancelled",
                    "hold": "CardCheckTerminal"}[script]
        assert [(r[1], r[2]) for r in recover(log, port)] == [(str(payment_id), expected)]
        if script == "hold":  # the customer is still at the terminal: it stays pending until settled
            assert [p.payment_id for p in FileCardLog(log).unsettled()] == [payment_id]
            NetworkCardTerminal("127.0.0.1", port).cancel(payment_id, AMOUNT)
            assert [(r[1], r[2]) for r in recover(log, port)] == [(str(payment_id), "CardCancelled")]
        assert FileCardLog(log).unsettled() == [] and recover(log, port) == []
        retried = NetworkCardTerminal("127.0.0.1", port).pay(payment_id, AMOUNT)  # a retry never charges again
    assert charges(journal) == ({str(payment_id): 1} if script in ("timeout", "drop") else {})
    assert isinstance(retried, CardApproved) == (script in ("timeout", "drop"))


def test_a_restarted_terminal_still_knows_every_outcome(tmp_path: Path) -> None:
    journal, paid, declined = tmp_path / "terminal.jsonl", uuid.uuid4(), uuid.uuid4()
    with emulator_process(journal, "approve,decline") as port:
        terminal = NetworkCardTerminal("127.0.0.1", port)
        approved = terminal.pay(paid, AMOUNT)
        assert isinstance(terminal.pay(declined, AMOUNT), CardDeclined)
    with emulator_process(journal) as port:
        terminal = NetworkCardTerminal("127.0.0.1", port)
        assert terminal.status(paid, AMOUNT) == terminal.pay(paid, AMOUNT) == approved
        assert isinstance(terminal.pay(declined, AMOUNT), CardDeclined)
    assert charges(journal) == {str(paid): 1}


def test_the_emulator_answers_a_till_that_sends_garbage_with_an_error_frame(tmp_path: Path) -> None:
    with emulator_process(tmp_path / "terminal.jsonl") as port:
        answers = []
        for sent in (b"\x00\xff garbage\n", b'{"v":2,"type":"pay"}\n', b'{"v":1,"type":"void"}\n'):
            with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as connection:
                connection.sendall(sent)
                answers.append(json.loads(connection.makefile("rb").readline()))
    assert [answer["code"] for answer in answers] == ["bad_request", "unsupported_version", "bad_request"]
    assert "'type' is 'void', not one of pay, status, cancel, refund" in answers[2]["message"]


def test_a_wrong_script_step_is_refused_naming_the_steps() -> None:
    done = subprocess.run([sys.executable, "-m", "hardware.card_terminal_emulator", "--script", "approve,explode"],
                          cwd=ROOT, capture_output=True, text=True, timeout=WAIT)
    assert done.returncode == 2
    assert "unknown script step 'explode': use approve, decline" in done.stderr


def test_a_port_in_use_is_said_plainly(tmp_path: Path) -> None:
    with emulator_process(tmp_path / "terminal.jsonl") as port:
        done = subprocess.run([sys.executable, "-m", "hardware.card_terminal_emulator", "--port", str(port)],
                              cwd=ROOT, capture_output=True, text=True, timeout=WAIT)
    assert done.returncode == 1 and f"cannot listen on 127.0.0.1:{port}" in done.stderr
