"""Money as a value type: an exact Decimal amount with its currency.

Rounding rule (the only one in the till): amounts are rounded *half up* (half away
from zero, "commercial rounding") to the currency's minor unit, in :func:`round_money`.
Cash totals may additionally be rounded to the smallest coin in use, in
:func:`round_to_increment`, with the same half-up rule.  Nothing else rounds.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from pos.errors import PosError
from pos.i18n import N_
from pos.quantity import shown, typed_digits

# Minor-unit exponents of the currencies the chain sells in (ISO 4217).
CURRENCY_EXPONENTS: dict[str, int] = {
    "UAH": 2,
    "AZN": 2,
    "GEL": 2,
    "EUR": 2,
    "USD": 2,
    "PLN": 2,
}


class CurrencyMismatch(PosError):
    message = N_("Cannot combine amounts in {left} and {right}.")


class BadAmount(PosError):
    message = N_("“{text}” is not an amount of money.")


class AmountTooLarge(PosError):
    message = N_("“{text}” is too large an amount: at most {limit}.")


MAX_AMOUNT_DIGITS = 9  # a typed amount is below 1 000 000 000 of the currency
MAX_MINOR_DIGITS = 18  # an amount in minor units fits a 64-bit integer
MAX_OF = Decimal(10) ** 15  # Money.of (amounts from files) refuses this much or more


def exponent(currency: str) -> int:
    try:
        return CURRENCY_EXPONENTS[currency]
    except KeyError:
        raise PosError(N_("Unknown currency {currency}."), currency=currency) from None


def minor_unit(currency: str) -> Decimal:
    return Decimal(1).scaleb(-exponent(currency))


@dataclass(frozen=True, slots=True, order=False)
class Money:
    """An exact amount of one currency. Build it from str, int or Decimal, never float."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError(f"Money needs a Decimal amount, got {type(self.amount).__name__}")
        if not self.amount.is_finite():
            raise TypeError("Money cannot be NaN or infinite")
        exponent(self.currency)

    @classmethod
    def of(cls, amount: str | int | Decimal, currency: str) -> Money:
        if isinstance(amount, float):
            raise TypeError("Money is never built from float")
        try:
            value = Decimal(amount)
        except (InvalidOperation, ValueError):
            raise BadAmount(text=str(amount)) from None
        if not value.is_finite():
            raise BadAmount(text=shown(str(amount)))
        if value.copy_abs() >= MAX_OF:  # copy_abs: abs() would round (and overflow) in the context
            raise AmountTooLarge(text=shown(str(amount)), limit=MAX_OF - 1)
        return cls(value, currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    @classmethod
    def from_minor(cls, minor: int, currency: str) -> Money:
        return cls(Decimal(minor).scaleb(-exponent(currency)), currency)

    def minor_units(self) -> int:
        """The amount in minor units (cents, kopiyky); the amount must already be rounded.
        Worked out on the digits, so no exponent over- or underflows and nothing is rounded."""
        negative, digits, power = self.amount.as_tuple()
        if not any(digits):
            return 0
        shift = int(power) + exponent(self.currency)  # the power of ten of the last digit, in minor units
        if shift < 0:
            if any(digits[shift:]):
                raise ValueError(f"{self.amount} {self.currency} is not a whole number of minor units")
            digits, shift = digits[:shift], 0
        if len(digits) + shift > MAX_MINOR_DIGITS:
            raise ValueError(f"an amount of {len(digits) + shift} digits in minor units is too large")
        minor = int("".join(map(str, digits)) or "0") * 10**shift
        return -minor if negative else minor

    def _check(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(left=self.currency, right=other.currency)

    def __add__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def times(self, quantity: Decimal) -> Money:
        """Unrounded product; round it with :func:`round_money`."""
        if not isinstance(quantity, (Decimal, int)) or isinstance(quantity, bool):
            raise TypeError("quantities are Decimal")
        return Money(self.amount * quantity, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._check(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._check(other)
        return self.amount >= other.amount

    def is_zero(self) -> bool:
        return self.amount == 0

    def __str__(self) -> str:
        return f"{self.amount:.{exponent(self.currency)}f} {self.currency}"


def round_money(money: Money) -> Money:
    """Round half up to the currency's minor unit: the till's one rounding rule."""
    return Money(money.amount.quantize(minor_unit(money.currency), rounding=ROUND_HALF_UP), money.currency)


def round_to_increment(money: Money, increment: Decimal) -> Money:
    """Round half up to a multiple of ``increment`` (the smallest coin in use for cash)."""
    if increment <= 0:
        raise ValueError("rounding increment must be positive")
    steps = (money.amount / increment).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return round_money(Money(steps * increment, money.currency))


MAX_CASH_INCREMENT = Decimal(10)  # the largest coin cash may be rounded to
COIN_DIGITS = (1, 2, 5)  # coins are 1, 2 or 5 times a power of ten


def coin_problem(increment: Decimal, currency: str) -> str | None:
    """Why ``increment`` cannot be the smallest coin of ``currency`` (None if it can): a coin
    is 1, 2 or 5 times a power of ten, a whole number of minor units, at most 10."""
    if not isinstance(increment, Decimal) or not increment.is_finite() or increment <= 0:
        return "must be a positive amount"
    if increment > MAX_CASH_INCREMENT:
        return f"must be at most {MAX_CASH_INCREMENT}"
    _sign, digits, power = increment.as_tuple()
    significant = list(digits)
    while significant and significant[-1] == 0:
        significant.pop()
        power += 1  # type: ignore[operator]
    if power < -exponent(currency):  # type: ignore[operator]
        return f"must be a whole number of {minor_unit(currency)} {currency}"
    if len(significant) != 1 or significant[0] not in COIN_DIGITS:
        return "must be a coin: 1, 2 or 5 times a power of ten (0.01, 0.05, 0.10, 0.50, 1...)"
    return None


class CashNotHandable(PosError):
    message = N_("{amount} cannot be handed over in cash here: the smallest coin is {coin}.")


def is_handable(amount: Money, coin: Decimal) -> bool:
    """True when ``amount`` is a sum of the shop's coins: a multiple of the smallest coin
    ``coin`` (and a whole number of minor units)."""
    return amount.amount % coin == 0 and amount.amount % minor_unit(amount.currency) == 0


def require_handable(amount: Money, coin: Decimal) -> Money:
    """The one rule for cash handed over (tendered in a sale or a split payment): with 0.10
    coins, 3082.55 is refused naming the smallest coin, so change is always a sum of coins."""
    if not is_handable(amount, coin):
        raise CashNotHandable(amount=amount, coin=Money(coin, amount.currency))
    return amount


def parse_amount(text: str, currency: str) -> Money:
    """Read an amount the way a person types it (``100``, ``99.50``, ``99,5``, ``1 000``):
    at most :data:`MAX_AMOUNT_DIGITS` digits before the point and the currency's minor
    unit after it; anything else is refused naming what was typed."""
    places = exponent(currency)
    parts = typed_digits(text)
    if parts is None or len(parts[1]) > places:
        raise BadAmount(text=shown(text))
    if len(parts[0]) > MAX_AMOUNT_DIGITS:
        raise AmountTooLarge(text=shown(text), limit=Decimal(10) ** MAX_AMOUNT_DIGITS - minor_unit(currency))
    whole, fraction = parts
    return Money(Decimal(f"{whole or 0}.{fraction}").quantize(minor_unit(currency)), currency)


def money_sum(amounts: list[Money] | tuple[Money, ...], currency: str) -> Money:
    total = Money.zero(currency)
    for amount in amounts:
        total = total + amount
    return total
