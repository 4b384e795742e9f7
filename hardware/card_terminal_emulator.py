"""A card terminal emulator on a loopback TCP port: the real protocol
(docs/card-terminal-protocol.md), for tests and the demo.

    python -m hardware.card_terminal_emulator --port 9200 --script approve,decline,timeout
    python -m hardware.card_terminal_emulator --port 0 --journal /tmp/terminal.jsonl

It prints ``listening on 127.0.0.1:PORT`` (flushed) and serves until SIGTERM or Ctrl+C.
Each new ``pay`` or ``refund`` takes the next step of the script (``approve`` once the script
is used up):

  approve          approve and answer
  decline[:WHY]    decline ("insufficient funds" unless WHY is given) and answer
  cancel           the customer pressed cancel on the terminal: answer cancelled
  timeout          approve (the customer paid) and never answer: the till times out
  drop             approve and close the connection without answering
  ignore           take nothing and never answer: status later says "unknown"
  garbage          approve and answer bytes that are not JSON
  oversized        approve and answer a line longer than the frame limit
  partial          approve, send half an answer and close
  hold             wait for the customer until the till cancels (status: "pending")

Like a real terminal it keeps every payment's outcome by payment id: a repeated ``pay``
(or ``refund``) gets the first outcome again (never a second charge or refund), ``status`` tells the truth after a
timeout, and ``cancel`` of an id it never saw fences that id off.  A refund naming the
payment it refunds (``original_payment_id``) goes to that payment's card and is declined
when it is more than that payment took less its earlier refunds, or when the terminal did
not approve that payment.  ``--journal PATH``
keeps the outcomes in a JSON-lines file (appended, fsynced), so a restarted emulator
remembers them too.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import secrets
import signal
import socket
import sys
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from hardware.card_terminal_frames import (
    MAX_FRAME,
    FrameProblem,
    Request,
    VersionProblem,
    decode,
    encode,
    parse_request,
    read_frame,
)

log = logging.getLogger(__name__)

STEPS = ("approve", "decline", "cancel", "timeout", "drop", "ignore", "garbage", "oversized", "partial", "hold")
REQUEST_WAIT = 10.0  # seconds a client has to send its request
DEFAULT_DECLINE = "insufficient funds"


@dataclass(frozen=True, slots=True)
class Payment:
    payment_id: str
    outcome: str  # approved, declined, cancelled, pending
    amount_minor: int
    currency: str
    approval_code: str = ""
    card_last4: str = ""
    reason: str = ""
    kind: str = "pay"  # pay or refund ("" for an id a cancel fenced off before either came)
    original_payment_id: str = ""  # refund: the payment it gives money back for, if named


def parse_script(text: str) -> list[str]:
    """``approve,decline:do not honour,timeout`` -> the steps; raises ValueError naming a bad one."""
    steps = [step.strip() for step in text.split(",") if step.strip()]
    for step in steps:
        if step.split(":", 1)[0] not in STEPS:
            raise ValueError(f"unknown script step {step!r}: use {', '.join(STEPS)}")
    return steps


class TerminalEmulator:
    def __init__(
        self, script: Sequence[str] = (), *, host: str = "127.0.0.1", port: int = 0,
        terminal_id: str = "EMU-0001", journal: Path | None = None,
    ) -> None:
        self.host, self.port, self.terminal_id, self.journal = host, port, terminal_id, journal
        self._script = list(script)
        self._payments: dict[str, Payment] = {}
        self._changed = threading.Condition()
        self._stopping = threading.Event()
        self._server: socket.socket | None = None
        self._threads: list[threading.Thread] = []
        if journal is not None and journal.exists():
            self._load(journal)

    # -- life cycle --------------------------------------------------------------------------
    def start(self) -> TerminalEmulator:
        server = socket.create_server((self.host, self.port))
        server.settimeout(0.1)  # lets the accept loop notice stop()
        self.port = server.getsockname()[1]
        self._server = server
        self._spawn(self._serve, server)
        return self

    def stop(self) -> None:
        self._stopping.set()
        with self._changed:
            self._changed.notify_all()
        if self._server is not None:
            self._server.close()
        for thread in list(self._threads):
            thread.join(timeout=5)

    def __enter__(self) -> TerminalEmulator:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    @property
    def address(self) -> tuple[str, int]:
        return self.host, self.port

    def payments(self) -> dict[str, Payment]:
        with self._changed:
            return dict(self._payments)

    def charges(self) -> list[Payment]:
        """Every approved payment: the money the customer actually paid."""
        return [p for p in self.payments().values() if p.outcome == "approved" and p.kind == "pay"]

    def refunds(self) -> list[Payment]:
        """Every approved refund: the money the customer actually got back on a card."""
        return [p for p in self.payments().values() if p.outcome == "approved" and p.kind == "refund"]

    def wait_for(self, payment_id: uuid.UUID, outcome: str, timeout: float = 10.0) -> None:
        """Block until the terminal holds ``payment_id`` with ``outcome`` (tests' synchronisation)."""
        with self._changed:
            found = self._changed.wait_for(
                lambda: getattr(self._payments.get(str(payment_id)), "outcome", None) == outcome, timeout
            )
        if not found:
            raise TimeoutError(f"payment {payment_id} did not become {outcome}")

    def _spawn(self, target: Any, *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True, name="card-terminal-emulator")
        self._threads = [alive for alive in self._threads if alive.is_alive()] + [thread]
        thread.start()

    def _serve(self, server: socket.socket) -> None:
        while not self._stopping.is_set():
            try:
                connection, _peer = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # closed by stop()
            self._spawn(self._handle, connection)

    # -- one connection ------------------------------------------------------------------------
    def _handle(self, connection: socket.socket) -> None:
        with connection:
            try:
                try:
                    request = parse_request(decode(read_frame(connection, time.monotonic() + REQUEST_WAIT)))
                except FrameProblem as problem:
                    code = "unsupported_version" if isinstance(problem, VersionProblem) else "bad_request"
                    self._error(connection, code, f"unreadable request: {problem}")
                    return
                except TimeoutError:
                    return
                self._answer(connection, request)
            except OSError as error:  # the till went away: the outcome stays recorded
                log.info("card terminal emulator: connection lost: %s", error)

    def _answer(self, connection: socket.socket, request: Request) -> None:
        key = str(request.payment_id)
        with self._changed:
            known = self._payments.get(key)
            if known is not None and (known.amount_minor, known.currency) != (request.amount_minor, request.currency):
                self._error(connection, "amount_mismatch", "this payment id was used for another amount")
                return
            if known is not None and request.kind in ("pay", "refund") and known.kind not in ("", request.kind):
                self._error(connection, "bad_request", f"this id is a {known.kind}, not a {request.kind}")
                return
            if request.kind == "cancel" and (known is None or known.outcome == "pending"):
                kind = "" if known is None else known.kind  # "": an id fenced off, whether a payment's or a refund's
                known = self._record(Payment(key, "cancelled", request.amount_minor, request.currency, kind=kind))
            if request.kind not in ("pay", "refund") or known is not None:  # repeated: the first outcome again
                self._send(connection, request, known)
                return
            if any(payment.outcome == "pending" for payment in self._payments.values()):
                self._error(connection, "busy", "another payment is in progress on this terminal")
                return
            refused = self._refund_refused(request)
            payment: Payment | None
            if refused:
                step, payment = "decline", self._record(Payment(key, "declined", request.amount_minor, request.currency,
                                                                 reason=refused, kind="refund",
                                                                 original_payment_id=_text(request.original_payment_id)))
            else:
                step = self._script.pop(0) if self._script else "approve"
                payment = self._take(step, request)
        self._perform(step, connection, request, payment)

    def _refund_refused(self, request: Request) -> str:
        """Why a refund of a named payment cannot be made ("" when it can): called holding the lock."""
        if request.kind != "refund" or request.original_payment_id is None:
            return ""
        original = self._payments.get(str(request.original_payment_id))
        if original is None or original.kind != "pay" or original.outcome != "approved":
            return "the payment to refund was not approved on this terminal"
        if original.currency != request.currency:
            return f"the payment was in {original.currency}"
        refunded = sum(p.amount_minor for p in self._payments.values() if p.kind == "refund"
                       and p.outcome == "approved" and p.original_payment_id == original.payment_id)
        left = original.amount_minor - refunded
        if request.amount_minor > left:
            return f"more than is left of the payment ({left} minor units)"
        return ""

    def _take(self, step: str, request: Request) -> Payment | None:
        name, _, detail = step.partition(":")
        base = Payment(str(request.payment_id), "approved", request.amount_minor, request.currency,
                       kind="refund" if request.kind == "refund" else "pay",
                       original_payment_id=_text(request.original_payment_id))
        if name == "ignore":
            return None
        if name == "decline":
            return self._record(_replace(base, outcome="declined", reason=detail or DEFAULT_DECLINE))
        if name == "cancel":
            return self._record(_replace(base, outcome="cancelled"))
        if name == "hold":
            return self._record(_replace(base, outcome="pending"))
        code, last4 = secrets.token_hex(3).upper(), f"{secrets.randbelow(10000):04d}"
        original = self._payments.get(base.original_payment_id)
        if original is not None and original.card_last4:  # a refund goes back to the card that paid
            last4 = original.card_last4
        return self._record(_replace(base, approval_code=code, card_last4=last4))

    def _perform(self, step: str, connection: socket.socket, request: Request, payment: Payment | None) -> None:
        name = step.split(":", 1)[0]
        if name in ("approve", "decline", "cancel"):
            self._send(connection, request, payment)
        elif name == "garbage":
            connection.sendall(b"\x00\xffthis is not json}\n")
        elif name == "oversized":
            connection.sendall(b"{" + b"x" * MAX_FRAME + b"}\n")
        elif name == "partial":
            connection.sendall(self._frame(request, payment)[:20])
        elif name in ("timeout", "ignore"):
            self._wait_for_hangup(connection)
        elif name == "hold":
            with self._changed:
                self._changed.wait_for(lambda: self._stopping.is_set() or self._outcome(request) != "pending")
                final = self._payments.get(str(request.payment_id))
            if not self._stopping.is_set():
                self._send(connection, request, final)
        # drop: nothing; the connection closes

    def _outcome(self, request: Request) -> str | None:
        return getattr(self._payments.get(str(request.payment_id)), "outcome", None)

    def _wait_for_hangup(self, connection: socket.socket) -> None:
        connection.settimeout(0.2)
        while not self._stopping.is_set():
            try:
                if not connection.recv(1024):
                    return
            except TimeoutError:
                continue

    # -- answers and records -----------------------------------------------------------------------
    def _frame(self, request: Request, payment: Payment | None) -> bytes:
        answer: dict[str, Any] = {"type": "result", "payment_id": str(request.payment_id)}
        if payment is None:
            return encode({**answer, "outcome": "unknown"})
        answer["outcome"] = payment.outcome
        if payment.outcome == "approved":
            answer.update(amount_minor=payment.amount_minor, currency=payment.currency,
                          approval_code=payment.approval_code, card_last4=payment.card_last4,
                          terminal_id=self.terminal_id)
        elif payment.outcome == "declined":
            answer["reason"] = payment.reason
        return encode(answer)

    def _send(self, connection: socket.socket, request: Request, payment: Payment | None) -> None:
        connection.sendall(self._frame(request, payment))

    def _error(self, connection: socket.socket, code: str, message: str) -> None:
        connection.sendall(encode({"type": "error", "code": code, "message": message}))

    def _record(self, payment: Payment) -> Payment:
        """Called holding the lock: the outcome is kept (and written) before anyone is told."""
        if self.journal is not None:
            with self.journal.open("a", encoding="utf-8") as journal:
                journal.write(json.dumps(asdict(payment)) + "\n")
                journal.flush()
                os.fsync(journal.fileno())
        self._payments[payment.payment_id] = payment
        self._changed.notify_all()
        return payment

    def _load(self, journal: Path) -> None:
        for line in journal.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = Payment(**json.loads(line))
                self._payments[record.payment_id] = record


def _text(value: uuid.UUID | None) -> str:
    return "" if value is None else str(value)


def _replace(payment: Payment, **changes: Any) -> Payment:
    return Payment(**{**asdict(payment), **changes})


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hardware.card_terminal_emulator", description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="TCP port (0: any free port, printed)")
    parser.add_argument("--script", default="", help=f"steps for the next payments and refunds, comma separated: {', '.join(STEPS)}")
    parser.add_argument("--journal", type=Path, help="JSON-lines file keeping every outcome across restarts")
    parser.add_argument("--terminal-id", default="EMU-0001")
    args = parser.parse_args(argv)
    try:
        script = parse_script(args.script)
    except ValueError as problem:
        parser.error(str(problem))
    emulator = TerminalEmulator(script, host=args.host, port=args.port, terminal_id=args.terminal_id, journal=args.journal)
    try:
        emulator.start()
    except OSError as error:
        print(f"cannot listen on {args.host}:{args.port}: {error.strerror or error}", file=sys.stderr)
        return 1
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print(f"listening on {emulator.host}:{emulator.port}", flush=True)
    stop.wait()
    emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
