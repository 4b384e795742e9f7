"""A till that sells and takes card payments through the terminal emulator in a loop until it
is killed: the victim of tests/crash/test_kill_while_paying_by_card.py.  It is wired as
`kassa run` wires it (shell.wiring.build_services on the real SQLite file) and pays through
pos.store_day.checkout, as the payment dialog does.

Usage: python -m tests.crash.card_checkout_loop DB_PATH PORT SEED [finish]
Prints, flushed: STARTED; PENDING <payment_id> (just before the terminal is asked);
CARD <payment_id> <outcome>; SOLD <sale_id> <receipt>.  With ``finish`` it pays what is
open (the card payments found again, the rest in cash) and stops.
"""

from __future__ import annotations

import random
from decimal import Decimal
import sys
from pathlib import Path
from typing import cast

from hardware.card_terminal import NetworkCardTerminal
from local_db.database import open_database
from pos.card_payments import PendingCardPayment
from pos.store_day import checkout
from pos.store_day.checkout import CheckoutLog, CheckoutView
from pos.till import Till
from shell.settings import parse_settings
from shell.wiring import build_services

PAY_TIMEOUT = 0.3  # seconds: a "timeout" step of the emulator costs this much


def settings_for(db_path: Path):  # noqa: ANN201
    return parse_settings(f"""
[store]
store_id = "S1"
name = "Crash Store"
currency = "UAH"
[till]
till_id = "T07"
cash_rounding = "0.10"
[printer]
connection = "none"
[database]
path = "{db_path}"
""", Path("crash.toml"))


def say(*words: object) -> None:
    print(*words, flush=True)


def settle_doubt(till: Till, terminal: NetworkCardTerminal, log: CheckoutLog, shown: CheckoutView) -> CheckoutView:
    while shown.pending is not None:
        shown = checkout.check_terminal(till, terminal, log)
        if shown.last is not None:
            say("CARD", shown.last.payment_id, type(shown.last).__name__)
    return shown


def pay(till: Till, terminal: NetworkCardTerminal, log: CheckoutLog, rng: random.Random, by_card: bool) -> None:
    shown = settle_doubt(till, terminal, log, checkout.begin(till, terminal, log))
    while by_card and not shown.settled:
        half = (shown.rest.amount / 2).quantize(Decimal("0.01"))
        part = "" if rng.random() < 0.5 or half <= 0 else str(half)

        def sent(payment: PendingCardPayment) -> None:
            say("PENDING", payment.payment_id)

        shown = checkout.pay_card(till, part, terminal, log, sent=sent)
        say("CARD", shown.last.payment_id if shown.last else "-", type(shown.last).__name__)
        shown = settle_doubt(till, terminal, log, shown)
        if rng.random() < 0.3:
            break
    if not shown.settled:
        checkout.add_cash(till, "")
    result = checkout.finish(till)
    assert result.sale is not None
    say("SOLD", result.sale.sale_id, result.sale.receipt_number)


def main(db_path: str, port: int, seed: int, finish: bool) -> None:
    services = build_services(settings_for(Path(db_path)), open_database(Path(db_path)))
    till = services.till
    terminal = NetworkCardTerminal("127.0.0.1", port, pay_timeout=PAY_TIMEOUT, answer_timeout=5.0)
    log = cast(CheckoutLog, services.card_log)
    till.start()
    till.sign_in("1", "1234")
    with open_database(Path(db_path)) as db, db.reading() as conn:
        barcodes = [row[0] for row in conn.exec_driver_sql(
            "SELECT barcode FROM products WHERE sold_by_weight = 0 AND barcode != '' ORDER BY code LIMIT 20")]
    rng = random.Random(seed)
    say("STARTED")
    if finish:
        if till.basket.active_lines():
            pay(till, terminal, log, rng, by_card=False)
        return
    while True:
        if not till.basket.active_lines():
            for code in rng.sample(barcodes, rng.randint(1, 3)):
                till.scan(code)
        pay(till, terminal, log, rng, by_card=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:] == ["finish"])
