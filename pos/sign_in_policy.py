"""Who may try a PIN, and when: the chain's minimum PIN length, and a growing lockout after
repeated wrong PINs.

A cashier number is locked for ``lockout_seconds`` after ``lockout_after`` wrong PINs in a
row, and for twice as long after each further wrong PIN, up to 15 minutes; a good sign-in
starts the count again.  Attempts are counted per *typed* number, known or not, so the
lockout does not tell which numbers exist.  While a number is locked no PIN is checked at
all, so guessing goes no faster than the lockout allows.  A PIN shorter than the chain's
minimum is refused before it is checked (cashiers' PIN hashes may come from the hub, which
the till cannot measure): the cashier is told to ask the manager for a new PIN.

Every attempt is recorded (``SignInAttempts``, the till database), so the lockout survives a
restart and an auditor sees every wrong PIN and every lockout.  The clock is passed in; a
clock set back never makes a lockout last longer than its delay.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from pos.errors import PosError
from pos.i18n import N_
from pos.ports import AttemptHistory, CashierDirectory, Clock, SignInAttempts
from pos.sale import Cashier

log = logging.getLogger(__name__)

MAX_LOCKOUT_SECONDS = 15 * 60
MAX_CODE_LENGTH = 40  # what is kept (and shown) of a typed cashier number

# outcomes in the audit
SIGNED_IN = "signed_in"
WRONG_PIN = "wrong_pin"
LOCKED_OUT = "locked_out"  # a wrong PIN that starts (or lengthens) a lockout
REFUSED_WHILE_LOCKED = "refused_locked"  # tried while locked: the PIN was not checked
PIN_TOO_SHORT = "pin_too_short"  # shorter than the chain's minimum: not checked
WRONG_OUTCOMES = (WRONG_PIN, LOCKED_OUT)


class TooManyWrongPins(PosError):
    message = N_("Too many wrong PINs for cashier {code}: try again in {wait}.")


class PinTooShort(PosError):
    message = N_("PINs here have at least {digits} digits: ask your manager for a new PIN.")


@dataclass(frozen=True, slots=True)
class SignInRules:
    min_pin_length: int = 4
    lockout_after: int = 3
    lockout_seconds: int = 30
    max_lockout_seconds: int = MAX_LOCKOUT_SECONDS

    def __post_init__(self) -> None:
        if not 4 <= self.min_pin_length <= 12:
            raise ValueError("a PIN is 4 to 12 digits")
        if self.lockout_after < 1 or self.lockout_seconds < 1 or self.max_lockout_seconds < 1:
            raise ValueError("the lockout needs at least one wrong PIN and one second")

    def lockout(self, wrong_in_a_row: int) -> timedelta:
        """The delay after this many wrong PINs in a row (zero below ``lockout_after``)."""
        if wrong_in_a_row < self.lockout_after:
            return timedelta(0)
        doublings = min(wrong_in_a_row - self.lockout_after, 32)  # 2**32 seconds is past any cap
        ceiling = max(self.max_lockout_seconds, self.lockout_seconds)
        return timedelta(seconds=min(self.lockout_seconds * 2**doublings, ceiling))

    def locked_for(self, history: AttemptHistory, now: datetime) -> timedelta:
        """How long the number stays locked from ``now`` (zero when it is not)."""
        delay = self.lockout(history.wrong_in_a_row)
        if not delay or history.last_wrong_at is None:
            return timedelta(0)
        left = history.last_wrong_at + delay - now
        return max(timedelta(0), min(left, delay))


def format_wait(wait: timedelta) -> str:
    """``0:30``, ``15:00``: minutes and seconds, rounded up to the next whole second."""
    seconds = max(0, math.ceil(wait.total_seconds()))
    return f"{seconds // 60}:{seconds % 60:02d}"


class GuardedCashiers:
    """A ``CashierDirectory`` that applies ``SignInRules`` around another one and records
    every attempt.  Raises ``TooManyWrongPins`` or ``PinTooShort``; returns None for a wrong
    number or PIN, as the directory does."""

    def __init__(self, cashiers: CashierDirectory, attempts: SignInAttempts, clock: Clock, rules: SignInRules) -> None:
        self.cashiers = cashiers
        self.attempts = attempts
        self.clock = clock
        self.rules = rules

    def sign_in(self, cashier_code: str, pin: str) -> Cashier | None:
        code = cashier_code.strip()[:MAX_CODE_LENGTH]
        now = self.clock.now()
        history = self.attempts.history(code)
        wait = self.rules.locked_for(history, now)
        if wait:
            self.attempts.record(code, REFUSED_WHILE_LOCKED, now)
            raise TooManyWrongPins(code=code, wait=format_wait(wait))
        if len(pin) < self.rules.min_pin_length:
            self.attempts.record(code, PIN_TOO_SHORT, now)
            raise PinTooShort(digits=self.rules.min_pin_length)
        cashier = self.cashiers.sign_in(code, pin)
        if cashier is not None:
            self._record_good(code, now)
            return cashier
        delay = self.rules.lockout(history.wrong_in_a_row + 1)
        if delay:
            self.attempts.record(code, LOCKED_OUT, now, now + delay)
            log.warning("cashier number %r locked for %s after %d wrong PINs", code, delay, history.wrong_in_a_row + 1)
            raise TooManyWrongPins(code=code, wait=format_wait(delay))
        self.attempts.record(code, WRONG_PIN, now)
        return None

    def _record_good(self, code: str, now: datetime) -> None:
        try:
            self.attempts.record(code, SIGNED_IN, now)
        except PosError:  # the cashier is who they said: a full disk must not keep them out
            log.warning("could not record the sign-in of cashier %s", code, exc_info=True)
