"""Card payments in the domain: what a terminal's answer may hold (never a card number), the
manual mode's parsers, and the use cases that never charge twice nor lose a payment."""

from __future__ import annotations

import os
import re
import uuid

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pos.card_manual_entry import (
    ApprovalCodeMissing,
    ApprovalCodeNotLatin,
    BadApprovalCode,
    BadCardDigits,
    manual_card_payment,
    parse_approval_code,
    parse_card_digits,
)
from pos.card_payments import PendingCardPayment, check_card_payment, recover_card_payments, take_card_payment
from pos.errors import DeviceProblem, PosError
from pos.i18n import translator
from pos.money import Money
from pos.payment_terminal import (
    MANUAL_TERMINAL_ID,
    CardApproved,
    CardCancelled,
    CardCheckTerminal,
    CardDeclined,
    CardNotReceived,
    CardNumberRefused,
)
from tests.pos.card_terminal_fakes import MemoryCardLog, MemoryCardTerminal

EXAMPLES = 3000 if os.environ.get("KASSA_SOAK") else 200
AMOUNT = Money.of("249.90", "UAH")
PAN_LIKE = ["4111111111111111", "4111 1111 1111 1111", "5500-0000-0000-0004", "676770000000", "6011000990139424123"]


def approved(**changes: object) -> CardApproved:
    fields: dict[str, object] = {"payment_id": uuid.uuid4(), "amount": AMOUNT, "approval_code": "A1B2C3",
                                 "card_reference": "**** 1234", "terminal_id": "T-0042"}
    fields.update(changes)
    return CardApproved(**fields)  # type: ignore[arg-type]


# -- results -----------------------------------------------------------------------------------
def test_an_approval_keeps_the_code_the_masked_reference_the_terminal_and_the_amount() -> None:
    result = approved()
    assert (result.approval_code, result.card_reference, result.terminal_id, result.amount) == (
        "A1B2C3", "**** 1234", "T-0042", AMOUNT)
    assert result.charged is True and result.is_settled
    assert "A1B2C3" in result.user_message() and "249.90" in result.user_message()


def test_only_check_the_terminal_leaves_the_payment_unsettled() -> None:
    payment_id = uuid.uuid4()
    outcomes = [CardDeclined(payment_id, "do not honour"), CardCancelled(payment_id), CardNotReceived(payment_id)]
    assert [(o.charged, o.is_settled) for o in outcomes] == [(False, True)] * 3
    unknown = CardCheckTerminal(payment_id, AMOUNT, "no answer within 120 s")
    assert (unknown.charged, unknown.is_settled) == (None, False)
    assert "Do not take the payment again" in unknown.user_message()


@pytest.mark.parametrize("pan", PAN_LIKE)
@pytest.mark.parametrize("where", ["card_reference", "terminal_id"])
def test_an_approval_holding_a_card_number_cannot_be_built(pan: str, where: str) -> None:
    with pytest.raises(CardNumberRefused):
        approved(**{where: pan})


@pytest.mark.parametrize("pan", PAN_LIKE)
def test_a_reason_holding_a_card_number_is_refused(pan: str) -> None:
    with pytest.raises(CardNumberRefused):
        CardDeclined(uuid.uuid4(), f"card {pan} blocked")
    with pytest.raises(CardNumberRefused):
        CardCheckTerminal(uuid.uuid4(), AMOUNT, f"answer was {pan}")


@given(st.text(max_size=30), st.integers(12, 19), st.sampled_from(["", " ", "-"]), st.text(max_size=30))
@settings(max_examples=EXAMPLES)
def test_any_run_of_twelve_digits_anywhere_in_a_reason_is_refused(before: str, length: int, separator: str,
                                                                  after: str) -> None:
    digits = separator.join("4" * length)
    with pytest.raises(CardNumberRefused):
        CardDeclined(uuid.uuid4(), before + digits + after)


@pytest.mark.parametrize(
    "changes",
    [{"amount": Money.of("0", "UAH")}, {"amount": Money.of("-5", "UAH")}, {"amount": Money.of("1.005", "UAH")},
     {"approval_code": "abc123"}, {"approval_code": "123"}, {"approval_code": "123456789"},
     {"card_reference": "1234"}, {"card_reference": "**** 12345"}, {"terminal_id": ""}, {"terminal_id": "x" * 33}],
)
def test_an_approval_with_a_wrong_field_cannot_be_built(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        approved(**changes)


def test_long_or_unprintable_reasons_are_cut_and_cleaned() -> None:
    declined = CardDeclined(uuid.uuid4(), "\x1b[31m" + "x" * 500)
    assert len(declined.reason) <= 200 and "\x1b" not in declined.reason
    assert CardDeclined(uuid.uuid4(), "  ").reason == "no reason given"


def test_the_amount_in_a_message_is_written_as_the_ui_writes_it() -> None:
    unknown = CardCheckTerminal(uuid.uuid4(), AMOUNT, "no answer within 120 s")
    shown = unknown.user_message(translator("uk"), lambda value: f"<{value.amount}>" if isinstance(value, Money) else value)
    assert "<249.90>" in shown and "no answer within 120 s" in shown


@pytest.mark.parametrize("language", ["uk", "az", "ka"])
def test_each_result_is_told_in_the_cashiers_language(language: str) -> None:
    translate = translator(language)
    payment_id = uuid.uuid4()
    for result in [approved(), CardDeclined(payment_id, "05"), CardCancelled(payment_id),
                   CardNotReceived(payment_id), CardCheckTerminal(payment_id, AMOUNT, "no answer")]:
        assert result.user_message(translate) != result.user_message()


# -- manual mode -------------------------------------------------------------------------------
@pytest.mark.parametrize(("typed", "code"), [("123456", "123456"), (" a1b2c3 ", "A1B2C3"), ("12 34 56", "123456"),
                                             ("AB-12-CD", "AB12CD"), ("0042", "0042"), ("\t7f3e9a1b\n", "7F3E9A1B")])
def test_an_approval_code_is_read_as_printed(typed: str, code: str) -> None:
    assert parse_approval_code(typed) == code


@pytest.mark.parametrize(
    ("typed", "error"),
    [("", ApprovalCodeMissing), ("  - ", ApprovalCodeMissing), ("123", BadApprovalCode),
     ("123456789", BadApprovalCode), ("12.34", BadApprovalCode), ("ФЫВАПР", ApprovalCodeNotLatin),
     ("１２３４５６", ApprovalCodeNotLatin), ("ß12345", ApprovalCodeNotLatin), ("1" * 65, BadApprovalCode),
     ("4111 1111 1111 1111", CardNumberRefused), ("code 4111111111111111", CardNumberRefused)],
)
def test_a_wrong_approval_code_is_refused_saying_what_to_type(typed: str, error: type[PosError]) -> None:
    with pytest.raises(error) as refused:
        parse_approval_code(typed)
    message = refused.value.user_message()
    assert "4111" not in message  # a card number is never quoted back
    if error in (BadApprovalCode, ApprovalCodeNotLatin) and len(typed) < 20:
        assert typed.strip() in message


@pytest.mark.parametrize(("typed", "reference"), [("", ""), ("  ", ""), ("1234", "**** 1234"),
                                                  ("**** 1234", "**** 1234"), ("xxxx-0007", "**** 0007"),
                                                  ("•••• 9876", "**** 9876"), ("*1234", "**** 1234")])
def test_the_cards_last_digits_are_optional_and_kept_masked(typed: str, reference: str) -> None:
    assert parse_card_digits(typed) == reference


@pytest.mark.parametrize(("typed", "error"), [("123", BadCardDigits), ("12345", BadCardDigits),
                                              ("abcd", BadCardDigits), ("411111******1111", BadCardDigits),
                                              ("4111111111111111", CardNumberRefused)])
def test_wrong_last_digits_are_refused(typed: str, error: type[PosError]) -> None:
    with pytest.raises(error):
        parse_card_digits(typed)


def test_a_manual_payment_is_an_approval_from_the_manual_terminal() -> None:
    payment_id = uuid.uuid4()
    result = manual_card_payment(payment_id, AMOUNT, "a1b2c3", "1234")
    assert result == CardApproved(payment_id, AMOUNT, "A1B2C3", "**** 1234", MANUAL_TERMINAL_ID)


@given(st.text(max_size=100))
@settings(max_examples=EXAMPLES)
@example("4111 1111 1111 1111")
@example("٣٣٣٣٣٣")
@example("ǅ" * 6)
def test_whatever_is_typed_the_parsers_answer_or_refuse_clearly(typed: str) -> None:
    for parse, accepted in ((parse_approval_code, re.compile(r"[A-Z0-9]{4,8}")),
                            (parse_card_digits, re.compile(r"(\*{4} [0-9]{4})?"))):
        try:
            result = parse(typed)
        except PosError as refused:
            assert refused.user_message()
        else:
            assert accepted.fullmatch(result)


# -- the use cases: never charged twice, never lost ------------------------------------------------
def test_a_payment_is_written_down_before_the_terminal_is_asked_and_settled_after() -> None:
    log, terminal = MemoryCardLog(), MemoryCardTerminal(["approve"])
    terminal.log = log
    result = take_card_payment(terminal, log, AMOUNT)
    assert isinstance(result, CardApproved) and terminal.log_seen == [True]
    assert log.unsettled() == [] and log.settled == {result.payment_id: result}


def test_a_lost_answer_stays_pending_and_recovery_finds_the_one_charge() -> None:
    log, terminal = MemoryCardLog(), MemoryCardTerminal(["lost"])
    result = take_card_payment(terminal, log, AMOUNT)
    assert isinstance(result, CardCheckTerminal)
    assert log.unsettled() == [PendingCardPayment(result.payment_id, AMOUNT)]
    recovered = recover_card_payments(terminal, log)
    assert [type(r) for r in recovered] == [CardApproved] and len(terminal.charges()) == 1
    assert log.unsettled() == [] and recover_card_payments(terminal, log) == []


def test_a_request_the_terminal_never_saw_is_fenced_off_before_it_is_settled() -> None:
    log, terminal = MemoryCardLog(), MemoryCardTerminal(["unseen"])
    pending = take_card_payment(terminal, log, AMOUNT)
    assert recover_card_payments(terminal, log) == [CardCancelled(pending.payment_id)]
    assert [kind for kind, _ in terminal.calls] == ["pay", "status", "cancel"]
    late = terminal.pay(pending.payment_id, AMOUNT)  # the request arrives after all
    assert late == CardCancelled(pending.payment_id) and terminal.charges() == []


def test_a_terminal_that_cannot_be_reached_charges_nothing_and_leaves_nothing_pending() -> None:
    log, terminal = MemoryCardLog(), MemoryCardTerminal(["offline"])
    with pytest.raises(DeviceProblem):
        take_card_payment(terminal, log, AMOUNT)
    assert log.unsettled() == [] and [type(r) for r in log.settled.values()] == [CardNotReceived]


def test_recovery_while_the_terminal_is_off_keeps_the_payment_pending() -> None:
    log, terminal = MemoryCardLog(), MemoryCardTerminal(["lost"])
    pending = take_card_payment(terminal, log, AMOUNT)
    terminal.offline = True
    [result] = recover_card_payments(terminal, log)
    assert isinstance(result, CardCheckTerminal) and "connection refused" in result.reason
    assert log.unsettled() == [PendingCardPayment(pending.payment_id, AMOUNT)]
    terminal.offline = False
    assert isinstance(check_card_payment(terminal, log, log.unsettled()[0]), CardApproved)


@given(st.lists(st.sampled_from(["approve", "decline", "cancel", "lost", "unseen"]), max_size=12))
@settings(max_examples=EXAMPLES)
def test_after_recovery_every_payment_is_settled_and_charged_at_most_once(script: list[str]) -> None:
    log, terminal = MemoryCardLog(), MemoryCardTerminal(list(script))
    results = [take_card_payment(terminal, log, AMOUNT) for _ in script]
    for result in results:  # a repeated request is answered with the first outcome
        if result.payment_id in terminal.outcomes:
            assert terminal.pay(result.payment_id, AMOUNT) == terminal.outcomes[result.payment_id]
    recover_card_payments(terminal, log)
    assert log.unsettled() == [] and len(log.settled) == len(script)
    charged = [r.payment_id for r in log.settled.values() if r.charged]
    assert sorted(charged) == sorted(c.payment_id for c in terminal.charges())
    assert len(charged) == script.count("approve") + script.count("lost")
