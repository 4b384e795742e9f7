"""pos.gift_cards.holds.RedemptionLog in the till's database (``gift_card_redemptions``,
migration 0014): each hold is written down (durably, ``synchronous=FULL``) before the hub is
asked, then given its outcome: held (with the hub's approval code and the balance after),
refused (the kind of refusal), released.  Rows are never deleted nor changed otherwise (a
trigger refuses it).  The one-time code is never kept; the card number is (the sale records it).

``stored_gift_card_policy`` reads the chain's ``gift_cards`` policy as the last pull kept it.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import datetime, timezone

from local_db.database import Database
from pos.errors import StorageProblem
from pos.gift_cards.holds import HELD, REFUSED, RELEASED, AskedRedemption, LoggedRedemption
from pos.gift_cards.policy import GiftCardPolicy, read_gift_card_policy
from pos.gift_cards.service import Redeemed
from pos.money import Money

log = logging.getLogger(__name__)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


class SqlGiftCardLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    def remember(self, asked: AskedRedemption) -> None:
        try:
            minor = asked.amount.minor_units()
        except ValueError:
            raise StorageProblem(reason=f"{asked.amount} is not a whole number of minor units") from None
        self.db.write(lambda c: c.exec_driver_sql(
            "INSERT INTO gift_card_redemptions (redemption_id, basket_id, turn, card_number, amount_minor, currency, "
            "asked_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (redemption_id) DO NOTHING",
            (str(asked.redemption_id), str(asked.basket_id), asked.turn, asked.card_number, minor,
             asked.amount.currency, _now())), "writing down a gift card payment")

    def held(self, redeemed: Redeemed) -> None:
        try:
            balance: int | None = redeemed.balance_after.minor_units()
        except ValueError:
            balance = None
        self.db.write(lambda c: c.exec_driver_sql(
            "UPDATE gift_card_redemptions SET outcome = ?, answered_at = ?, approval_code = ?, "
            "balance_after_minor = ? WHERE redemption_id = ? AND outcome IS NULL",
            (HELD, _now(), redeemed.approval_code, balance, str(redeemed.redemption_id))),
            "writing down a gift card hold")

    def refused(self, redemption_id: uuid.UUID, refusal: str) -> None:
        self.db.write(lambda c: c.exec_driver_sql(
            "UPDATE gift_card_redemptions SET outcome = ?, answered_at = ?, refusal = ? "
            "WHERE redemption_id = ? AND outcome IS NULL",
            (REFUSED, _now(), refusal[:60], str(redemption_id))), "writing down a gift card refusal")

    def released(self, redemption_id: uuid.UUID) -> None:
        self.db.write(lambda c: c.exec_driver_sql(
            "UPDATE gift_card_redemptions SET outcome = ?, answered_at = ? "
            "WHERE redemption_id = ? AND (outcome IS NULL OR outcome = ?)",
            (RELEASED, _now(), str(redemption_id), HELD)), "writing down a gift card hold given back")

    def of_basket(self, basket_id: uuid.UUID) -> list[LoggedRedemption]:
        rows = self.db.read(lambda c: c.exec_driver_sql(
            "SELECT redemption_id, turn, card_number, amount_minor, currency, outcome, approval_code "
            "FROM gift_card_redemptions WHERE basket_id = ? ORDER BY turn", (str(basket_id),)).fetchall(),
            "reading the sale's gift card payments")
        return [LoggedRedemption(AskedRedemption(uuid.UUID(r), basket_id, int(t), str(n), Money.from_minor(int(m), c)),
                                 o, a or "") for r, t, n, m, c, o, a in rows]


def stored_gift_card_policy(db: Database) -> GiftCardPolicy | None:
    """The ``gift_cards`` policy the last pull kept; None without one (or one that does not read:
    logged, and gift cards then pay only online)."""
    body = db.read(lambda c: c.exec_driver_sql(
        "SELECT body FROM store_policies WHERE name = 'gift_cards' AND deleted = 0").scalar(),
        "reading head office's gift card policy")
    if body is None:
        return None
    try:
        return read_gift_card_policy(json.loads(str(body)))
    except (ValueError, RecursionError) as error:
        log.error("the stored gift_cards policy cannot be used (%s): gift cards pay only online", error)
        return None
