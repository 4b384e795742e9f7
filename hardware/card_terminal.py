"""The network card terminal: ``pos.payment_terminal.PaymentTerminal`` over TCP, speaking the
protocol in docs/card-terminal-protocol.md (one JSON line each way, one request per
connection).

Every call blocks until the terminal answers or its time is up (``pay`` waits for the
customer: two minutes by default), so it runs on a worker thread, never on the UI thread;
the cashier's "cancel" is a ``cancel`` call from another thread on its own connection.

What the till concludes from each failure:
- the connection cannot be opened (refused, no route, connect timeout): the request never
  left the till, nothing was charged -> ``CardTerminalOffline`` (a ``DeviceError``);
- the terminal answers with an error frame (busy, bad request, amount mismatch) -> it
  refused the request before taking any money -> ``CardTerminalRefused``;
- anything after the request may have reached the terminal (send failed half way, no answer
  in time, connection closed, garbage, an oversized or partial frame, an answer about another
  payment or another amount, card data in the answer) -> ``CardCheckTerminal``: the payment
  stays pending and ``status`` settles it later.  A late answer is never read: each
  connection carries one request, and the connection is closed when its time is up.
"""

from __future__ import annotations

import logging
import socket
import time
import uuid
from typing import Any

from hardware.card_terminal_frames import (
    ERROR_CODES,
    OUTCOMES,
    FrameProblem,
    Request,
    choice_field,
    decode,
    payment_id_field,
    read_frame,
    text_field,
    whole_field,
)
from hardware.errors import DeviceError, describe_os_error
from pos.i18n import N_
from pos.money import Money
from pos.payment_terminal import (
    CARD_NUMBER,
    CardApproved,
    CardCancelled,
    CardCheckTerminal,
    CardDeclined,
    CardNotReceived,
    CardResult,
    masked_reference,
    refuse_card_numbers,
)

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 3.0  # seconds to open the connection
PAY_TIMEOUT = 120.0  # seconds the customer has at the terminal
ANSWER_TIMEOUT = 10.0  # seconds for a status or cancel answer (and to send any request)


class CardTerminalOffline(DeviceError):
    message = N_(
        "The card terminal at {address} does not answer ({reason}); nothing was charged. Check that it is "
        "switched on and connected, or take the payment on a standalone terminal and type its approval code."
    )


class CardTerminalRefused(DeviceError):
    message = N_("The card terminal at {address} refused the request ({reason}); nothing was charged.")


class NetworkCardTerminal:
    def __init__(
        self,
        host: str,
        port: int,
        *,
        connect_timeout: float = CONNECT_TIMEOUT,
        pay_timeout: float = PAY_TIMEOUT,
        answer_timeout: float = ANSWER_TIMEOUT,
    ) -> None:
        self.host, self.port = host, port
        self.address = f"network:{host}:{port}"
        self.connect_timeout, self.pay_timeout, self.answer_timeout = connect_timeout, pay_timeout, answer_timeout

    def pay(self, payment_id: uuid.UUID, amount: Money) -> CardResult:
        return self._ask("pay", payment_id, amount, self.pay_timeout)

    def status(self, payment_id: uuid.UUID, amount: Money) -> CardResult:
        return self._ask("status", payment_id, amount, self.answer_timeout)

    def cancel(self, payment_id: uuid.UUID, amount: Money) -> CardResult:
        return self._ask("cancel", payment_id, amount, self.answer_timeout)

    def refund(self, payment_id: uuid.UUID, amount: Money, original_payment_id: uuid.UUID | None = None) -> CardResult:
        """The customer presents the card at the terminal, as for ``pay``: the same wait."""
        return self._ask("refund", payment_id, amount, self.pay_timeout, original_payment_id)

    # -- one request, one answer ------------------------------------------------------------
    def _ask(self, kind: str, payment_id: uuid.UUID, amount: Money, wait: float,
             original_payment_id: uuid.UUID | None = None) -> CardResult:
        request = Request(kind, payment_id, amount.minor_units(), amount.currency, original_payment_id)
        try:
            connection = socket.create_connection((self.host, self.port), timeout=self.connect_timeout)
        except OSError as error:
            raise CardTerminalOffline(address=self.address, reason=describe(error, self.connect_timeout)) from error
        with connection:
            try:
                connection.settimeout(self.answer_timeout)
                connection.sendall(request.frame())
                answer = decode(read_frame(connection, time.monotonic() + wait))
                result = self._result(answer, request, amount)
            except TimeoutError:
                result = self._unknown(request, amount, f"no answer within {wait:g} s")
            except FrameProblem as problem:
                result = self._unknown(request, amount, f"unreadable answer: {problem}")
            except OSError as error:
                result = self._unknown(request, amount, describe(error, wait))
        log.info("card terminal %s: %s %s -> %s", self.address, kind, payment_id, type(result).__name__)
        return result

    def _unknown(self, request: Request, amount: Money, reason: str) -> CardCheckTerminal:
        reason = CARD_NUMBER.sub("[a card number, not kept]", reason)  # quoted garbage never carries one
        log.warning("card terminal %s: %s %s unanswered: %s", self.address, request.kind, request.payment_id, reason)
        return CardCheckTerminal(request.payment_id, amount, reason)

    def _result(self, answer: dict[str, Any], request: Request, amount: Money) -> CardResult:
        kind = choice_field(answer, "type", ("result", "error"))
        if kind == "error":
            code = choice_field(answer, "code", ERROR_CODES)
            raise CardTerminalRefused(address=self.address, reason=_error_reason(code, answer))
        if payment_id_field(answer) != request.payment_id:
            raise FrameProblem("it is about another payment")
        outcome = choice_field(answer, "outcome", OUTCOMES)
        try:
            return _outcome(outcome, answer, request, amount)
        except (ValueError, TypeError) as problem:  # CardNumberRefused is a ValueError
            raise FrameProblem(str(problem)) from None


def _outcome(outcome: str, answer: dict[str, Any], request: Request, amount: Money) -> CardResult:
    payment_id = request.payment_id
    if outcome == "approved":
        approved = (whole_field(answer, "amount_minor"), text_field(answer, "currency", 3))
        if approved != (request.amount_minor, request.currency):
            raise FrameProblem(f"it approves {approved[0]} minor units of {approved[1]}, not the "
                               f"{request.amount_minor} of {request.currency} asked")
        return CardApproved(
            payment_id, amount, text_field(answer, "approval_code", 8),
            masked_reference(text_field(answer, "card_last4", 4)), text_field(answer, "terminal_id", 32),
        )
    if outcome == "declined":
        return CardDeclined(payment_id, text_field(answer, "reason"))
    if outcome == "cancelled":
        return CardCancelled(payment_id)
    if outcome == "pending":
        return CardCheckTerminal(payment_id, amount, "the customer is still at the terminal")
    if request.kind in ("pay", "refund"):  # "unknown" answers a status or a cancel, never a pay or a refund
        asked = "the refund it was asked to make" if request.kind == "refund" else "the payment it was asked to take"
        raise FrameProblem(f"it says the terminal does not know {asked}")
    return CardNotReceived(payment_id)


def _error_reason(code: str, answer: dict[str, Any]) -> str:
    text = answer.get("message")
    if not isinstance(text, str):
        return code
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in text[:160]).split())
    try:
        refuse_card_numbers(text)
    except ValueError:
        return code
    return f"{code}: {text}" if text else code


def describe(error: BaseException, timeout: float | None = None) -> str:
    """A short reason a person can act on, from a socket error."""
    return describe_os_error(error, timeout, device="the terminal")
