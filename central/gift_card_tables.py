"""The hub's gift card tables (issue 11; created by migration 0010_gift_cards).

``gift_cards``: one row per active card (a card exists at the hub once the sale that sold it
arrived).  ``balance_minor`` is what the card can still pay, in minor units: the amount it was
sold for, less its captured and debited payments, less its holds (a hold takes its amount off
at once, by a conditional UPDATE, so it never makes a balance negative; an offline debit may,
and the card is then overdrawn).  An electronic card has its customer's ``phone`` (E.164) and
its one-time password state: the HOTP ``otp_secret`` (base32, never leaves the hub), the
``otp_counter`` of the last code sent, when it was sent (``otp_sent_at``; null once used), the
``wrong_codes`` in a row and ``locked``.  ``ready_sms_at``: when the "card ready" SMS was taken
for sending after the sale's commit (central/gift_card_ready_sms.py); null while it is due (an
electronic card only: a plastic card's is its activation time, nothing to send).

``gift_card_redemptions``: every payment taken from a card, one row each: a hold asked by a
till (``redemption_id``, the idempotency key; ``held``, then ``captured`` by its sale or
``released``), or a debit made when a sale arrived (an offline payment: no ``redemption_id``;
or a payment whose hold had been released: ``debited``); a return's refund put back on the
card is ``refunded`` (central/gift_card_refunds.py).

``gift_card_conflicts``: what a sale asked that the hub could not do as asked, for head office
(``kassa-hub gift-cards --conflicts``): a card number sold twice, a payment with a card the hub
does not know or in another currency, a hold used by a second sale.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, String, Table

from central.tables import BigId, UtcDateTime, metadata

HELD, RELEASED, CAPTURED, DEBITED = "held", "released", "captured", "debited"

gift_cards = Table(
    "gift_cards", metadata,
    Column("card_number", String(16), primary_key=True),
    Column("currency", String(3), nullable=False),
    Column("initial_minor", BigInteger, nullable=False),  # the amount it was sold for
    Column("balance_minor", BigInteger, nullable=False),  # what it can still pay (holds taken off)
    Column("phone", String(20), nullable=False),  # E.164 for an electronic card, "" for a plastic one
    Column("otp_secret", String(64), nullable=False),  # base32; "" for a plastic card
    Column("otp_counter", BigInteger, nullable=False),
    Column("otp_sent_at", UtcDateTime),  # the last code's time; null: none live (never sent, or used)
    Column("wrong_codes", Integer, nullable=False),  # wrong codes in a row
    Column("locked", Boolean, nullable=False),
    Column("sale_id", String(36), nullable=False),  # the sale that sold it
    Column("line_id", String(36), nullable=False),
    Column("store_id", String(64), nullable=False),
    Column("till_id", String(64), nullable=False),
    Column("receipt_number", BigInteger, nullable=False),
    Column("sold_at", UtcDateTime, nullable=False),  # the till's completion time
    Column("activated_at", UtcDateTime, nullable=False),  # when the sale reached the hub
    Column("ready_sms_at", UtcDateTime),  # the "card ready" SMS taken for sending; null: due (migration 0013)
)
Index("ix_gift_cards_phone", gift_cards.c.phone)
Index("ix_gift_cards_ready_sms_at", gift_cards.c.ready_sms_at)

gift_card_redemptions = Table(
    "gift_card_redemptions", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("redemption_id", String(36), unique=True),  # null: an offline payment, debited on arrival
    Column("card_number", String(16), nullable=False),
    Column("sale_id", String(36), nullable=False),
    Column("payment_id", String(36)),  # known once the sale arrived
    Column("amount_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(10), nullable=False),  # held, released, captured, debited, refunded
    Column("approval_code", String(12), nullable=False),  # "" for a debit
    Column("balance_after_minor", BigInteger, nullable=False),  # the card's balance right after it
    Column("approved_by", String(64), nullable=False),  # the manager of an offline payment
    Column("store_id", String(64), nullable=False),
    Column("till_id", String(64), nullable=False),
    Column("held_at", UtcDateTime, nullable=False),  # asked (a hold) or received (a debit)
    Column("settled_at", UtcDateTime),  # captured, released or debited
)
Index("ix_gift_card_redemptions_card_number", gift_card_redemptions.c.card_number)
Index("ix_gift_card_redemptions_status_held_at", gift_card_redemptions.c.status, gift_card_redemptions.c.held_at)

gift_card_conflicts = Table(
    "gift_card_conflicts", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("card_number", String(16), nullable=False),
    Column("kind", String(20), nullable=False),  # sold_twice, unknown_card, other_currency, hold_reused, refund_...
    Column("sale_id", String(36), nullable=False),
    Column("store_id", String(64), nullable=False),
    Column("till_id", String(64), nullable=False),
    Column("receipt_number", BigInteger, nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("detail", String(300), nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
)
Index("ix_gift_card_conflicts_card_number", gift_card_conflicts.c.card_number)
