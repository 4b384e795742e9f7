"""A headless till taking one card payment: the victim of the crash test.

Usage: python -m tests.hardware.card_till_child LOG PORT pay AMOUNT
       python -m tests.hardware.card_till_child LOG PORT recover
Prints, flushed: ``PENDING <payment_id>`` once the payment is written down and about to be
sent, then ``RESULT <payment_id> <outcome> <approval_code or ->`` for each outcome.
"""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

from hardware.card_terminal import NetworkCardTerminal
from pos.card_payments import PendingCardPayment, recover_card_payments, take_card_payment
from pos.money import Money
from pos.payment_terminal import CardResult
from tests.hardware.card_payment_file_log import FileCardLog


class AnnouncingLog(FileCardLog):
    def remember(self, payment: PendingCardPayment) -> None:
        super().remember(payment)
        print("PENDING", payment.payment_id, flush=True)


def show(result: CardResult) -> None:
    print("RESULT", result.payment_id, type(result).__name__, getattr(result, "approval_code", "-"), flush=True)


def main(log_path: str, port: str, action: str, amount: str = "") -> None:
    terminal = NetworkCardTerminal("127.0.0.1", int(port), pay_timeout=600.0)
    log = AnnouncingLog(Path(log_path))
    if action == "pay":
        show(take_card_payment(terminal, log, Money.of(amount, "UAH"), uuid.uuid4()))
    else:
        for result in recover_card_payments(terminal, log):
            show(result)
    print("DONE", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
