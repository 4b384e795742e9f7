"""The network card terminal adapter against the emulator and against misbehaving terminals,
all on real loopback sockets: every outcome, every broken answer, never a second charge."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from hardware.card_terminal import CardTerminalOffline, CardTerminalRefused, NetworkCardTerminal
from hardware.card_terminal_emulator import TerminalEmulator, parse_script
from hardware.card_terminal_frames import MAX_FRAME, FrameProblem, decode, parse_request, read_frame, split_frame
from pos.card_payments import check_card_payment, take_card_payment
from pos.money import Money
from pos.payment_terminal import (
    CardApproved,
    CardCancelled,
    CardCheckTerminal,
    CardDeclined,
    CardNotReceived,
    CardResult,
)
from tests.hardware.raw_card_terminal import RawCardTerminal
from tests.pos.card_terminal_fakes import MemoryCardLog

EXAMPLES = 1500 if os.environ.get("KASSA_SOAK") else 150
AMOUNT = Money.of("249.90", "UAH")
SHORT = 0.5  # seconds a test terminal waits for an answer that, by design, never comes


@pytest.fixture
def emulator() -> Iterator[TerminalEmulator]:
    with TerminalEmulator() as running:
        yield running


def terminal_for(emulator: TerminalEmulator, pay_timeout: float = 30.0) -> NetworkCardTerminal:
    return NetworkCardTerminal(*emulator.address, pay_timeout=pay_timeout)


def scripted(emulator: TerminalEmulator, *steps: str) -> None:
    emulator._script[:] = parse_script(",".join(steps))


# -- what the terminal answers ------------------------------------------------------------------
def test_an_approved_payment_comes_back_with_its_code_a_masked_card_and_the_terminal(emulator) -> None:
    payment_id = uuid.uuid4()
    result = terminal_for(emulator).pay(payment_id, AMOUNT)
    assert isinstance(result, CardApproved)
    assert (result.payment_id, result.amount, result.terminal_id) == (payment_id, AMOUNT, "EMU-0001")
    assert result.card_reference.startswith("**** ") and len(result.approval_code) == 6
    [charge] = emulator.charges()
    assert (charge.amount_minor, charge.currency, charge.approval_code) == (24990, "UAH", result.approval_code)


def test_a_declined_card_says_why_and_charges_nothing(emulator) -> None:
    scripted(emulator, "decline:do not honour")
    result = terminal_for(emulator).pay(uuid.uuid4(), AMOUNT)
    assert result == CardDeclined(result.payment_id, "do not honour") and emulator.charges() == []


def test_a_payment_cancelled_at_the_terminal_charges_nothing(emulator) -> None:
    scripted(emulator, "cancel")
    result = terminal_for(emulator).pay(uuid.uuid4(), AMOUNT)
    assert isinstance(result, CardCancelled) and emulator.charges() == []


def test_a_timeout_leaves_check_the_terminal_and_status_finds_the_one_charge(emulator) -> None:
    scripted(emulator, "timeout")
    terminal, log = terminal_for(emulator, pay_timeout=SHORT), MemoryCardLog()
    result = take_card_payment(terminal, log, AMOUNT)
    assert isinstance(result, CardCheckTerminal) and "no answer within 0.5 s" in result.reason
    assert [p.payment_id for p in log.unsettled()] == [result.payment_id]
    recovered = check_card_payment(terminal, log, log.unsettled()[0])
    assert isinstance(recovered, CardApproved) and log.unsettled() == []
    again = terminal.pay(result.payment_id, AMOUNT)  # a retry of the same payment id
    assert again == recovered and len(emulator.charges()) == 1


@pytest.mark.parametrize(("step", "reason"), [
    ("drop", "unreadable answer: the connection closed with nothing sent"),
    ("garbage", "unreadable answer: not UTF-8 text"),
    ("oversized", f"unreadable answer: longer than {MAX_FRAME} bytes"),
    ("partial", "unreadable answer: the connection closed in the middle of it"),
])
def test_a_broken_answer_after_the_customer_paid_is_recovered_by_status(emulator, step: str, reason: str) -> None:
    scripted(emulator, step)
    terminal, log = terminal_for(emulator), MemoryCardLog()
    result = take_card_payment(terminal, log, AMOUNT)
    assert isinstance(result, CardCheckTerminal) and result.reason == reason
    assert isinstance(check_card_payment(terminal, log, log.unsettled()[0]), CardApproved)
    assert len(emulator.charges()) == 1 and log.unsettled() == []


def test_a_request_the_terminal_ignored_is_fenced_off_so_a_late_one_cannot_charge(emulator) -> None:
    scripted(emulator, "ignore")
    terminal, log = terminal_for(emulator, pay_timeout=SHORT), MemoryCardLog()
    result = take_card_payment(terminal, log, AMOUNT)
    assert isinstance(result, CardCheckTerminal)
    assert terminal.status(result.payment_id, AMOUNT) == CardNotReceived(result.payment_id)
    assert check_card_payment(terminal, log, log.unsettled()[0]) == CardCancelled(result.payment_id)
    assert terminal.pay(result.payment_id, AMOUNT) == CardCancelled(result.payment_id)
    assert emulator.charges() == [] and log.unsettled() == []


def test_the_cashier_cancels_while_the_customer_is_at_the_terminal(emulator) -> None:
    scripted(emulator, "hold")
    terminal, payment_id = terminal_for(emulator), uuid.uuid4()
    answers: list[CardResult] = []
    paying = threading.Thread(target=lambda: answers.append(terminal.pay(payment_id, AMOUNT)))
    paying.start()
    emulator.wait_for(payment_id, "pending")
    still = terminal.status(payment_id, AMOUNT)
    assert isinstance(still, CardCheckTerminal) and still.reason == "the customer is still at the terminal"
    assert terminal.cancel(payment_id, AMOUNT) == CardCancelled(payment_id)
    paying.join(timeout=10)
    assert answers == [CardCancelled(payment_id)] and emulator.charges() == []


def test_a_second_payment_while_one_is_in_progress_is_refused_as_busy(emulator) -> None:
    scripted(emulator, "hold")
    terminal, first = terminal_for(emulator), uuid.uuid4()
    paying = threading.Thread(target=terminal.pay, args=(first, AMOUNT))
    paying.start()
    emulator.wait_for(first, "pending")
    with pytest.raises(CardTerminalRefused) as refused:
        terminal.pay(uuid.uuid4(), AMOUNT)
    assert "busy" in str(refused.value) and "nothing was charged" in str(refused.value)
    terminal.cancel(first, AMOUNT)
    paying.join(timeout=10)


def test_the_same_payment_id_for_another_amount_is_refused(emulator) -> None:
    terminal, payment_id = terminal_for(emulator), uuid.uuid4()
    terminal.pay(payment_id, AMOUNT)
    with pytest.raises(CardTerminalRefused, match="amount_mismatch"):
        terminal.pay(payment_id, Money.of("1.00", "UAH"))
    assert len(emulator.charges()) == 1


def test_a_terminal_that_is_off_charges_nothing_and_says_what_to_do() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
    terminal, log = NetworkCardTerminal("127.0.0.1", port), MemoryCardLog()
    with pytest.raises(CardTerminalOffline) as offline:
        take_card_payment(terminal, log, AMOUNT)
    message = offline.value.user_message()
    assert f"network:127.0.0.1:{port}" in message and "connection refused" in message
    assert "nothing was charged" in message and "approval code" in message
    assert log.unsettled() == []


# -- terminals that answer wrongly ----------------------------------------------------------------
def answer_with(**fields: object):
    def answer(request: bytes) -> bytes:
        asked = json.loads(request)
        message = {"v": 1, "type": "result", "payment_id": asked["payment_id"], "outcome": "approved",
                   "amount_minor": asked["amount_minor"], "currency": asked["currency"], "approval_code": "A1B2C3",
                   "card_last4": "1234", "terminal_id": "T-1"}
        message.update(fields)
        return json.dumps({k: v for k, v in message.items() if v is not None}).encode() + b"\n"
    return answer


@pytest.mark.parametrize(("fields", "reason"), [
    ({"outcome": "declined", "reason": "card 4111 1111 1111 1111 blocked"}, "card number"),
    ({"card_last4": "4111111111111111"}, "'card_last4' is longer than 4"),
    ({"terminal_id": "4111111111111111"}, "card number"),
    ({"approval_code": "411111111111"}, "'approval_code' is longer than 8"),
    ({"payment_id": str(uuid.uuid4())}, "another payment"),
    ({"amount_minor": 1}, "approves 1 minor units of UAH, not the 24990"),
    ({"amount_minor": True}, "'amount_minor' is missing or not a positive whole number"),
    ({"amount_minor": 24990.0}, "a fractional number"),
    ({"v": 2}, "protocol version 2, not 1"),
    ({"outcome": "unknown"}, "does not know the payment it was asked to take"),
    ({"outcome": "maybe"}, "'outcome' is 'maybe', not one of"),
    ({"outcome": "4111111111111111"}, "a card number, not kept"),
    ({"approval_code": None}, "'approval_code' is missing or not text"),
])
def test_an_answer_the_till_cannot_trust_means_check_the_terminal(fields: dict[str, object], reason: str) -> None:
    with RawCardTerminal(answer_with(**fields)) as raw:
        result = NetworkCardTerminal("127.0.0.1", raw.port).pay(uuid.uuid4(), AMOUNT)
    assert isinstance(result, CardCheckTerminal) and reason in result.reason
    assert "4111111111" not in result.reason and "4111111111" not in result.user_message()


def test_an_error_answer_is_a_refusal_and_its_text_never_carries_a_card_number() -> None:
    def error(_request: bytes) -> bytes:
        return b'{"v":1,"type":"error","code":"bad_request","message":"card 4111111111111111 unreadable"}\n'
    with RawCardTerminal(error) as raw:
        with pytest.raises(CardTerminalRefused) as refused:
            NetworkCardTerminal("127.0.0.1", raw.port).pay(uuid.uuid4(), AMOUNT)
    assert refused.value.fields["reason"] == "bad_request"


def test_a_terminal_that_trickles_an_answer_forever_is_given_up_on_at_the_deadline() -> None:
    with RawCardTerminal(lambda _request: b" " * 100_000, pause=0.05) as raw:
        result = NetworkCardTerminal("127.0.0.1", raw.port, pay_timeout=SHORT).pay(uuid.uuid4(), AMOUNT)
    assert isinstance(result, CardCheckTerminal) and result.reason == "no answer within 0.5 s"


def test_the_till_sends_one_versioned_json_line_per_request() -> None:
    payment_id = uuid.uuid4()
    with RawCardTerminal(answer_with()) as raw:
        NetworkCardTerminal("127.0.0.1", raw.port).status(payment_id, AMOUNT)
    assert [json.loads(line) for line in raw.requests] == [
        {"v": 1, "type": "status", "payment_id": str(payment_id), "amount_minor": 24990, "currency": "UAH"}]
    assert raw.requests[0].endswith(b"\n") and raw.requests[0].count(b"\n") == 1


def test_any_bytes_from_a_terminal_give_an_outcome_or_a_clear_refusal() -> None:
    answers = [b""]
    with RawCardTerminal(lambda _request: answers[0]) as raw:
        terminal = NetworkCardTerminal("127.0.0.1", raw.port, pay_timeout=SHORT)

        @given(st.binary(max_size=MAX_FRAME + 100))
        @settings(max_examples=EXAMPLES // 3, deadline=None)
        @example(b"")
        @example(b"\xff\xfe\n")
        @example(b"[" * 3000 + b"\n")
        @example(b'{"v":1,"type":"error","code":"busy"}\n')
        def any_answer(answer: bytes) -> None:
            answers[0] = answer
            try:
                result = terminal.pay(uuid.uuid4(), AMOUNT)
            except CardTerminalRefused as refused:
                assert refused.user_message()
            else:
                assert isinstance(result, CardCheckTerminal)  # random bytes never approve, decline or cancel

        any_answer()


# -- the frame parser, fuzzed -----------------------------------------------------------------------
@given(st.binary(max_size=2 * MAX_FRAME))
@settings(max_examples=EXAMPLES)
@example(b"x" * MAX_FRAME)
@example(b"x" * (MAX_FRAME - 1) + b"\n")
@example(b'{"v":1e999}\n')
@example(b'{"v":NaN}\n')
@example(b'{"v":true}\n')
@example(b'{"v":1,"type":"pay","payment_id":"' + b"0" * 36 + b'","amount_minor":1,"currency":"UAH"}\n')
def test_any_bytes_are_a_frame_or_a_frame_problem(data: bytes) -> None:
    try:
        frame, _rest = split_frame(data)
        if frame is None:
            assert b"\n" not in data[:MAX_FRAME] and len(data) < MAX_FRAME
            return
        assert len(frame) < MAX_FRAME
        parse_request(decode(frame))
    except FrameProblem as problem:
        assert str(problem)


@given(st.dictionaries(st.sampled_from(["v", "type", "payment_id", "amount_minor", "currency", "x"]),
                       st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=40),
                                 st.lists(st.integers(), max_size=3)), max_size=6))
@settings(max_examples=EXAMPLES)
def test_any_json_object_is_a_request_or_a_frame_problem(message: dict[str, object]) -> None:
    try:
        request = parse_request(decode(json.dumps(message).encode()))
    except FrameProblem as problem:
        assert str(problem)
    else:
        assert request.kind in ("pay", "status", "cancel") and request.amount_minor > 0


@given(st.lists(st.integers(1, 50), min_size=1, max_size=40))
@settings(max_examples=EXAMPLES // 3, deadline=None)
def test_a_frame_read_in_any_pieces_is_the_frame_sent(cuts: list[int]) -> None:
    frame = b'{"v":1,"type":"result","outcome":"cancelled","payment_id":"' + str(uuid.uuid4()).encode() + b'"}'
    left, right = socket.socketpair()
    with left, right:
        data, start = frame + b"\n", 0
        for size in cuts:
            right.sendall(data[start:start + size])
            start += size
        right.sendall(data[start:])
        assert read_frame(left, time.monotonic() + 10) == frame
