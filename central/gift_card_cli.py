"""``kassa-hub gift-cards`` (registered by ``central.cli``; docs/gift-cards.md, The hub's commands).

    kassa-hub gift-cards                     every active card: balance, plastic or electronic, locked
    kassa-hub gift-cards --conflicts         what sales asked that could not be done (a number sold twice,
                                             a payment with a card the hub does not know, ...)
    kassa-hub gift-cards --overdrawn         cards below zero (offline payments beyond the balance)
    kassa-hub gift-cards show NUMBER         one card and every hold and debit taken from it
    kassa-hub gift-cards unlock NUMBER       after three wrong codes (the customer proved who they are)
    kassa-hub gift-cards release-stale       give back the holds no sale captured within 24 hours
    kassa-hub gift-cards send-ready-sms      send the "card ready" messages still due (a hub stopped
                                             between storing a batch and sending them; the gateway down)

Head office sees whole card numbers here: it needs them to unlock a card or answer a customer.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select

from central.database import HubDatabase
from central.errors import AdminProblem
from central.gift_card_codes import unlock
from central.gift_card_errors import GiftCardProblem
from central.gift_card_ready_sms import send_due
from central.gift_card_tables import gift_card_conflicts, gift_card_redemptions, gift_cards
from central.gift_cards import card_number, money_text, release_stale
from central.sms import LoggingSmsSender
from pos.gift_cards.numbers import masked_phone

ACTIONS = ("show", "unlock", "release-stale", "send-ready-sms")


def _card_line(row: Any) -> str:
    kind = f"electronic {masked_phone(row.phone)}" if row.phone else "plastic"
    locked = "  LOCKED" if row.locked else ""
    return (f"{row.card_number}  {money_text(row.balance_minor, row.currency):>10} {row.currency}  of "
            f"{money_text(row.initial_minor, row.currency)}  {kind}  sold {row.store_id}/{row.till_id} "
            f"#{row.receipt_number} {row.sold_at:%Y-%m-%d}{locked}")


def _list(db: HubDatabase, args: argparse.Namespace) -> None:
    g, c, r = gift_cards, gift_card_conflicts, gift_card_redemptions
    with db.reading() as conn:
        if args.conflicts:
            rows = conn.execute(select(c).order_by(c.c.id)).all()
            for row in rows:
                print(f"{row.received_at:%Y-%m-%d %H:%M} {row.card_number} {row.kind:<14} "
                      f"{money_text(row.amount_minor, row.currency)} {row.currency}  sale {row.sale_id} "
                      f"({row.store_id}/{row.till_id} #{row.receipt_number}): {row.detail}")
            print(f"{len(rows)} conflict(s)")
            return
        query = select(g).order_by(g.c.card_number)
        if args.overdrawn:
            query = query.where(g.c.balance_minor < 0)
        rows = conn.execute(query).all()
        for row in rows:
            print(_card_line(row))
            if args.overdrawn:
                for debit in conn.execute(select(r).where(r.c.card_number == row.card_number, r.c.status == "debited")
                                          .order_by(r.c.id)):
                    print(f"    debited {money_text(debit.amount_minor, debit.currency)} by sale {debit.sale_id} "
                          f"({debit.store_id}/{debit.till_id}, approved by {debit.approved_by or '-'})")
    print(f"{len(rows)} card(s)" + (" overdrawn" if args.overdrawn else ""))


def _show(db: HubDatabase, number: str) -> None:
    g, r = gift_cards, gift_card_redemptions
    with db.reading() as conn:
        row = conn.execute(select(g).where(g.c.card_number == number)).first()
        if row is None:
            raise AdminProblem(f"no gift card {number} is active")
        print(_card_line(row))
        if row.phone:
            print(f"wrong codes in a row: {row.wrong_codes}")
        for taken in conn.execute(select(r).where(r.c.card_number == number).order_by(r.c.id)):
            how = (f"redemption {taken.redemption_id}" if taken.redemption_id
                   else "a return's refund" if taken.status == "refunded"
                   else f"offline, approved by {taken.approved_by}")
            print(f"  {taken.held_at:%Y-%m-%d %H:%M} {taken.status:<8} {money_text(taken.amount_minor, taken.currency):>10}"
                  f"  sale {taken.sale_id} at {taken.store_id}/{taken.till_id}  {how}")


def _gift_cards(db: HubDatabase, args: argparse.Namespace) -> None:
    if args.action is None:
        if args.number:
            raise AdminProblem(f"what of {args.number[:20]}? use: gift-cards show|unlock NUMBER")
        return _list(db, args)
    if args.conflicts or args.overdrawn:
        raise AdminProblem(f"--conflicts and --overdrawn list cards: not with {args.action}")
    if args.action == "release-stale":
        with db.writing() as conn:
            count = release_stale(conn, datetime.now(timezone.utc))
        print(f"{count} hold(s) older than 24 hours given back to their cards")
        return None
    if args.action == "send-ready-sms":
        print(f'{send_due(db, LoggingSmsSender(), datetime.now(timezone.utc))} "card ready" message(s) sent')
        return None
    if not args.number:
        raise AdminProblem(f"gift-cards {args.action} needs the card's NUMBER")
    try:
        number = card_number(args.number.replace(" ", "").replace("-", ""))
        if args.action == "show":
            return _show(db, number)
        with db.writing() as conn:
            was_locked = unlock(conn, number)
    except GiftCardProblem as problem:
        raise AdminProblem(problem.detail) from None
    print(f"gift card {number} unlocked: the customer can ask for a new code" if was_locked
          else f"gift card {number} was not locked; its count of wrong codes starts again")
    return None


def add_gift_card_commands(command: Callable[[str, Callable[[HubDatabase, argparse.Namespace], None], str],
                                             argparse.ArgumentParser]) -> None:
    cards = command("gift-cards", _gift_cards, "gift cards: list them (--conflicts, --overdrawn), show NUMBER, "
                                               "unlock NUMBER, release-stale, send-ready-sms (docs/gift-cards.md)")
    cards.add_argument("action", nargs="?", choices=ACTIONS, help="show or unlock a card, release stale holds, send "
                                                                "the due ready messages")
    cards.add_argument("number", nargs="?", help="the card's 16 digits (spaces allowed)")
    which = cards.add_mutually_exclusive_group()
    which.add_argument("--conflicts", action="store_true", help="what sales asked that could not be done as asked")
    which.add_argument("--overdrawn", action="store_true", help="cards below zero, with the debits that took them there")
