"""What the hub answers a till it cannot serve a gift card request for: each error its HTTP
status, its code and a detail for a person; some carry more fields (``extra``) that the
answer adds beside ``error`` and ``detail`` (``attempts_left``, ``balance``)."""

from __future__ import annotations

from typing import Any

from central.errors import HubError


class GiftCardProblem(HubError):
    status, code = 400, "bad_request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.extra = extra


class BadCardNumber(GiftCardProblem):
    """A number of the right shape whose check digit is wrong: no card can have it, so 404
    (the API's schema already refuses, 400, a number not of 16 digits starting 9900)."""

    status, code = 404, "bad_card_number"


class BadAmount(GiftCardProblem):
    status, code = 400, "bad_amount"


class BadCurrency(GiftCardProblem):
    status, code = 400, "bad_currency"


class BadPhone(GiftCardProblem):
    status, code = 400, "bad_phone"


class GiftCardUnknown(GiftCardProblem):
    status, code = 404, "gift_card_unknown"


class NoGiftCardForPhone(GiftCardProblem):
    status, code = 404, "no_gift_card_for_phone"


class NotElectronic(GiftCardProblem):
    status, code = 409, "not_electronic"


class GiftCardLocked(GiftCardProblem):
    status, code = 423, "gift_card_locked"


class WrongCode(GiftCardProblem):
    status, code = 403, "wrong_code"


class CodeExpired(GiftCardProblem):
    status, code = 410, "code_expired"


class NotEnough(GiftCardProblem):
    status, code = 409, "not_enough"


class RedemptionConflict(GiftCardProblem):
    status, code = 409, "redemption_conflict"


class AlreadyCaptured(GiftCardProblem):
    status, code = 409, "already_captured"
