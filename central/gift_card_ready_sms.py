"""The "card ready" SMS of an electronic gift card, sent once the sale that sold it is stored.

The sale's transaction activates the card with ``ready_sms_at`` null: the message is due, and
nothing is sent from inside that transaction, so one that rolls back (a batch the database
refused part of, stored again one sale at a time; a race retried) has told no one.  After the
commit, ``send_due`` takes each due card by setting its ``ready_sms_at`` in a transaction of
its own (``UPDATE ... WHERE ready_sms_at IS NULL``: of two hub processes at the same moment
only one sets it) and sends the message once that committed: one message per card, however
often its batch is pushed.  The hub does it after answering each sales batch
(``central.gift_card_api``); ``kassa-hub gift-cards send-ready-sms`` sends what a hub stopped
in between left due.  A send the gateway refuses (it raised) makes the card due again
(logged): the next batch or command tries once more.  The text is in English.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select, update

from central.database import HubDatabase
from central.gift_card_tables import gift_cards
from central.gift_cards import masked_card, money_text
from central.sms import SmsSender

log = logging.getLogger(__name__)

AT_ONCE = 200  # due cards taken by one call; the rest by the next batch or command


def ready_text(number: str, minor: int, currency: str) -> str:
    return f"Your gift card {masked_card(number)[-9:]} of {money_text(minor, currency)} {currency} is ready"


def send_due(db: HubDatabase, sender: SmsSender, now: datetime) -> int:
    """Send the due "card ready" messages (oldest activation first); how many went."""
    g = gift_cards
    with db.reading() as conn:
        due = list(conn.execute(select(g.c.card_number).where(g.c.ready_sms_at.is_(None), g.c.phone != "")
                                .order_by(g.c.activated_at, g.c.card_number).limit(AT_ONCE)).scalars())
    sent = 0
    for number in due:
        with db.writing() as conn:
            taken = conn.execute(update(g).where(g.c.card_number == number, g.c.ready_sms_at.is_(None))
                                 .values(ready_sms_at=now)).rowcount
            card = conn.execute(select(g.c.phone, g.c.initial_minor, g.c.currency)
                                .where(g.c.card_number == number)).one()
        if taken != 1:
            continue  # another hub process took it
        try:
            sender.send(card.phone, ready_text(number, card.initial_minor, card.currency))
        except Exception:  # the chain's gateway: whatever it raises, the card stays due
            log.exception("the ready SMS of gift card %s could not be sent; it is due again", masked_card(number))
            with db.writing() as conn:
                conn.execute(update(g).where(g.c.card_number == number).values(ready_sms_at=None))
            continue
        sent += 1
    return sent
