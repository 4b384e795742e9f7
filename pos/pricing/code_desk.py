"""The promo code desk: the cashier types or scans a code for the open sale; it unlocks its
promotions (the basket is repriced) or the cashier is told exactly why not.  Runs on the till
worker with the ``Till``; the book (``PromoCodeBook``) is the till's pulled codes and its own
uses since, so it works offline on the till's last known state.

A personal code is first refused with ``CodeNeedsPhone``: the window then asks the
customer's phone number and PIN and applies it again with them.  Three wrong PINs for one
code end its chances in this sale.  Codes stay on the sale until removed or the sale ends.

A code's minimum is the basket before promotions.  If lines are voided after the code was
applied and the basket falls below it, :meth:`PromoCodeDesk.unmet` names the code (the
window says so) and :meth:`PromoCodeDesk.drop_unmet` removes it when payment starts (the desk
wraps ``Till.begin_payment``):
the customer pays without that discount, never with a discount the rules do not allow.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pos.basket import BasketState
from pos.money import Money
from pos.pricing.codes import (
    BasketBelowMinimum,
    CodeAlreadyApplied,
    CodeEntry,
    CodeWrongPin,
    Proof,
    TooManyWrongPins,
    UsesHere,
    check_code,
    normalise_code,
)
from pos.till import NotSignedIn, Till, TillResult

log = logging.getLogger(__name__)

MAX_WRONG_PINS = 3


class PromoCodeBook(Protocol):
    def entry(self, code: str) -> CodeEntry | None: ...
    def uses_here(self, code: str, customer_id: str = "") -> UsesHere: ...
    def matches(self, secret_hash: str, secret: str) -> bool: ...


def region_of(locale: str) -> str:
    """The country a phone number typed without +code is in: the store locale's ("uk_UA" -> "UA")."""
    _lang, _sep, country = locale.partition("_")
    return country[:2].upper() if len(country) >= 2 else "UA"


class PromoCodeDesk:
    def __init__(self, till: Till, book: PromoCodeBook, *, region: str = "") -> None:
        self.till = till
        self.book = book
        self.region = region or region_of(till.settings.store.locale)
        self._wrong_pins: dict[tuple[uuid.UUID, str], int] = {}
        self._unlocks: tuple[uuid.UUID, dict[str, CodeEntry]] | None = None  # of the open sale
        self._guard_payment()

    # -- the cashier's actions -------------------------------------------------------------
    def apply(self, text: str, *, phone: str = "", pin: str = "") -> TillResult:
        """Unlock ``text``'s promotions for the open sale, or raise ``CodeRefused`` saying why."""
        if self.till.cashier is None:
            raise NotSignedIn()
        code = normalise_code(text)
        if code in self.till.promo_codes:
            raise CodeAlreadyApplied(code=code)
        tries = (self.till.basket.basket_id, code)
        if self._wrong_pins.get(tries, 0) >= MAX_WRONG_PINS:
            raise TooManyWrongPins(code=code)
        entry = self.book.entry(code)
        customer_id = self.till.customer.customer_id if self.till.customer else ""
        proof = Proof()
        if entry is not None and entry.personal and phone.strip() and pin:
            from pos.phone import normalise_phone

            e164 = normalise_phone(phone, self.region)
            proof = Proof(self.book.matches(entry.phone_hash, e164), self.book.matches(entry.pin_hash, pin))
        try:
            ids = check_code(code, entry, basket_total=self.basket_before_promotions(), now=self.local_now(),
                             uses_here=self.book.uses_here(code, customer_id) if entry else UsesHere(),
                             customer_id=customer_id, proof=proof)
        except CodeWrongPin:
            self._wrong_pins[tries] = self._wrong_pins.get(tries, 0) + 1
            log.info("wrong phone or PIN for promo code %s (%d)", code, self._wrong_pins[tries])
            if self._wrong_pins[tries] >= MAX_WRONG_PINS:
                raise TooManyWrongPins(code=code) from None
            raise
        assert entry is not None
        self._held()[code] = entry
        log.info("promo code %s applied to sale %s: unlocks %s", code, self.till.basket.basket_id, sorted(ids))
        return self.till.unlock_promotions((*self.till.promo_codes, code), self.till.unlocked | ids)

    def remove(self, code: str) -> TillResult:
        """Take a code off the open sale (its promotions with it, unless another code unlocks them)."""
        held = self._held()
        held.pop(code, None)
        codes = tuple(c for c in self.till.promo_codes if c != code)
        ids: frozenset[str] = frozenset()
        for kept in codes:
            entry = held.get(kept) or self.book.entry(kept)
            ids |= entry.promotion_ids if entry else frozenset()
        log.info("promo code %s removed from sale %s", code, self.till.basket.basket_id)
        return self.till.unlock_promotions(codes, ids)

    def applied(self) -> tuple[str, ...]:
        return self.till.promo_codes

    def unmet(self) -> tuple[BasketBelowMinimum, ...]:
        """The applied codes whose minimum the basket no longer reaches, each saying so."""
        total = self.basket_before_promotions()
        held = self._held()
        found = []
        for code in self.till.promo_codes:
            entry = held.get(code) or self.book.entry(code)
            if entry is not None and entry.minimum is not None and total < entry.minimum:
                found.append(BasketBelowMinimum(code=code, minimum=entry.minimum, total=total))
        return tuple(found)

    def drop_unmet(self) -> tuple[tuple[BasketBelowMinimum, ...], TillResult | None]:
        """At payment: remove the codes whose minimum is not met; what was dropped, and the result."""
        dropped = self.unmet()
        result = None
        for problem in dropped:
            result = self.remove(str(problem.fields["code"]))
        return dropped, result

    def _guard_payment(self) -> None:
        """When payment starts (``Till.begin_payment``: the F12 dialog and the checkout call it
        first), the codes whose minimum the basket no longer reaches are dropped, so the amount
        due is priced without them.  Installed on the till by its desk, the only way codes
        are applied."""
        till = self.till
        begin = till.begin_payment

        def begin_payment() -> TillResult:
            if till.basket.state is BasketState.OPEN and till.promo_codes:
                for problem in self.drop_unmet()[0]:
                    log.info("promo code %s dropped at payment: the basket is below its minimum",
                             problem.fields["code"])
            return begin()

        till.begin_payment = begin_payment  # type: ignore[method-assign]

    # -- helpers ------------------------------------------------------------------------------
    def basket_before_promotions(self) -> Money:
        return self.till.priced().gross

    def local_now(self) -> datetime:
        now = self.till.clock.now()
        try:
            return now.astimezone(ZoneInfo(self.till.settings.store.timezone)).replace(tzinfo=None)
        except (ZoneInfoNotFoundError, ValueError):
            return now.replace(tzinfo=None)

    def _held(self) -> dict[str, CodeEntry]:
        sale = self.till.basket.basket_id
        if self._unlocks is None or self._unlocks[0] != sale:
            self._unlocks = (sale, {})
            self._wrong_pins = {k: v for k, v in self._wrong_pins.items() if k[0] == sale}
        return self._unlocks[1]
