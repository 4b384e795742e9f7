"""Card refunds (``PaymentTerminal.refund``) through the network adapter, against the emulator
in its own process and in this one, on real loopback sockets: a refund is made once under its
own id, goes back to the card that paid, never beyond what that payment took, and a refund
whose answer is lost is settled by ``status`` like a payment."""

from __future__ import annotations

import json
import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from hardware.card_terminal import NetworkCardTerminal
from hardware.card_terminal_emulator import TerminalEmulator, parse_script
from hardware.card_terminal_frames import Request, decode, encode, parse_request, read_frame
from pos.money import Money
from pos.payment_terminal import CardApproved, CardCancelled, CardCheckTerminal, CardDeclined
from tests.hardware.test_card_terminal_crash import emulator_process

PAID = Money.of("249.90", "UAH")
SHORT = 0.5  # seconds a test terminal waits for an answer that, by design, never comes


@pytest.fixture
def emulator() -> Iterator[TerminalEmulator]:
    with TerminalEmulator() as running:
        yield running


def terminal_for(emulator: TerminalEmulator, pay_timeout: float = 30.0) -> NetworkCardTerminal:
    return NetworkCardTerminal(*emulator.address, pay_timeout=pay_timeout)


def paid(terminal: NetworkCardTerminal) -> CardApproved:
    result = terminal.pay(uuid.uuid4(), PAID)
    assert isinstance(result, CardApproved)
    return result


def test_a_refund_through_the_emulator_process_goes_back_to_the_card_that_paid_once(tmp_path: Path) -> None:
    journal = tmp_path / "terminal.jsonl"
    with emulator_process(journal) as port:
        terminal = NetworkCardTerminal("127.0.0.1", port)
        sale = paid(terminal)
        refund_id = uuid.uuid4()
        refund = terminal.refund(refund_id, Money.of("100.00", "UAH"), sale.payment_id)
        again = terminal.refund(refund_id, Money.of("100.00", "UAH"), sale.payment_id)  # a retry after a lost answer
        assert isinstance(refund, CardApproved) and again == refund
        assert (refund.payment_id, refund.amount, refund.card_reference) == (
            refund_id, Money.of("100.00", "UAH"), sale.card_reference)
        assert terminal.status(refund_id, Money.of("100.00", "UAH")) == refund
    records = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    assert [(r["kind"], r["outcome"], r["amount_minor"]) for r in records] == [
        ("pay", "approved", 24990), ("refund", "approved", 10000)]


def test_refunds_of_a_payment_beyond_what_it_took_are_declined_saying_what_is_left(emulator) -> None:
    terminal = terminal_for(emulator)
    sale = paid(terminal)
    first = terminal.refund(uuid.uuid4(), Money.of("200.00", "UAH"), sale.payment_id)
    too_much = terminal.refund(uuid.uuid4(), Money.of("50.00", "UAH"), sale.payment_id)
    rest = terminal.refund(uuid.uuid4(), Money.of("49.90", "UAH"), sale.payment_id)
    assert isinstance(first, CardApproved) and isinstance(rest, CardApproved)
    assert isinstance(too_much, CardDeclined) and too_much.reason == "more than is left of the payment (4990 minor units)"
    assert sum(r.amount_minor for r in emulator.refunds()) == 24990 and len(emulator.charges()) == 1


def test_a_refund_of_a_payment_the_terminal_never_approved_is_declined(emulator) -> None:
    terminal = terminal_for(emulator)
    emulator._script[:] = parse_script("decline")
    declined = terminal.pay(uuid.uuid4(), PAID)
    for original in (declined.payment_id, uuid.uuid4()):
        result = terminal.refund(uuid.uuid4(), Money.of("1.00", "UAH"), original)
        assert result == CardDeclined(result.payment_id, "the payment to refund was not approved on this terminal")
    assert emulator.refunds() == []


def test_a_refund_without_the_original_payment_is_made_to_the_card_presented(emulator) -> None:
    result = terminal_for(emulator).refund(uuid.uuid4(), Money.of("12.00", "UAH"))
    assert isinstance(result, CardApproved) and result.card_reference.startswith("**** ")
    assert [r.amount_minor for r in emulator.refunds()] == [1200]


def test_a_refund_whose_answer_never_comes_is_check_the_terminal_and_status_finds_it_made_once(emulator) -> None:
    terminal = terminal_for(emulator, pay_timeout=SHORT)
    sale = paid(terminal)
    emulator._script[:] = parse_script("timeout")
    refund_id, amount = uuid.uuid4(), Money.of("20.00", "UAH")
    result = terminal.refund(refund_id, amount, sale.payment_id)
    assert isinstance(result, CardCheckTerminal) and "no answer within 0.5 s" in result.reason
    settled = terminal.status(refund_id, amount)
    assert isinstance(settled, CardApproved) and terminal.refund(refund_id, amount, sale.payment_id) == settled
    assert len(emulator.refunds()) == 1


def test_a_declined_refund_from_the_script_says_why(emulator) -> None:
    terminal = terminal_for(emulator)
    sale = paid(terminal)
    emulator._script[:] = parse_script("decline:card expired")
    result = terminal.refund(uuid.uuid4(), Money.of("1.00", "UAH"), sale.payment_id)
    assert result == CardDeclined(result.payment_id, "card expired") and emulator.refunds() == []


def test_a_payment_id_cannot_be_used_again_as_a_refund_id(emulator) -> None:
    from hardware.card_terminal import CardTerminalRefused

    terminal = terminal_for(emulator)
    sale = paid(terminal)
    with pytest.raises(CardTerminalRefused, match="this id is a pay, not a refund"):
        terminal.refund(sale.payment_id, PAID)


def test_a_refund_request_names_its_payment_on_the_wire_and_reads_back_the_same() -> None:
    refund = Request("refund", uuid.uuid4(), 1000, "UAH", uuid.uuid4())
    assert parse_request(decode(refund.frame()[:-1])) == refund
    assert parse_request(decode(Request("refund", refund.payment_id, 1000, "UAH").frame()[:-1])).original_payment_id is None
    bad = {"v": 1, "type": "refund", "payment_id": str(uuid.uuid4()), "amount_minor": 1, "currency": "UAH",
           "original_payment_id": "not-a-uuid"}
    with pytest.raises(ValueError, match="'original_payment_id' is not a UUID"):
        parse_request(decode(encode(bad)[:-1]))


def test_an_approved_refund_answer_for_another_amount_is_check_the_terminal() -> None:
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def answer_wrong_amount() -> None:
        connection, _ = server.accept()
        with connection:
            request = parse_request(decode(read_frame(connection, time.monotonic() + 5)))
            connection.sendall(encode({"type": "result", "payment_id": str(request.payment_id), "outcome": "approved",
                                       "amount_minor": request.amount_minor + 1, "currency": "UAH",
                                       "approval_code": "AB12", "card_last4": "1234", "terminal_id": "T-1"}))

    import threading

    thread = threading.Thread(target=answer_wrong_amount, daemon=True)
    thread.start()
    try:
        result = NetworkCardTerminal("127.0.0.1", port).refund(uuid.uuid4(), Money.of("10.00", "UAH"))
    finally:
        thread.join(timeout=10)
        server.close()
    assert isinstance(result, CardCheckTerminal) and "it approves 1001 minor units" in result.reason


def test_a_refund_id_fenced_off_by_recovery_can_no_longer_refund(emulator) -> None:
    terminal = terminal_for(emulator)
    sale = paid(terminal)
    refund_id, amount = uuid.uuid4(), Money.of("10.00", "UAH")
    assert isinstance(terminal.cancel(refund_id, amount), CardCancelled)  # the terminal never saw it: fenced
    assert isinstance(terminal.refund(refund_id, amount, sale.payment_id), CardCancelled)
    assert emulator.refunds() == [] and len(emulator.charges()) == 1
