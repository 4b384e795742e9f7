"""The journal keeps what a sale records of gift cards (till migration 0013): the cards its
lines sold (number, phone) and the cards its gift card payments took money from (the hub's
hold, or an offline payment's approving manager); a reprint, a return and the outbox read back
exactly what the hub received (kassa.sale.v4).  The rows are append-only like the sale's."""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import exc as sa_exc

from local_db.database import Database
from local_db.journal import SqlJournal
from pos.codec import SALE_SCHEMA, SALE_SCHEMA_V4, sale_from_dict, sale_to_dict
from pos.gift_cards.records import GIFT_CARD, GiftCardPayment
from pos.gift_cards.selling import sell_gift_card
from pos.money import Money
from pos.receipt import build_receipt
from pos.receipt_layout import layout_receipt
from pos.sale import Sale
from pos.tender import Payment
from tests.fakes import SHAMPOO, STORE
from tests.local_db.conftest import make_sql_till, sell

PLASTIC = "9900123456789017"
OTHER = "9900000000000010"


def uah(text: str) -> Money:
    return Money.of(text, "UAH")


def _outbox_payload(journal: SqlJournal, sale_id: uuid.UUID) -> dict:
    with journal.db.reading() as conn:
        text = conn.exec_driver_sql("SELECT payload FROM outbox WHERE document_id = ?", (str(sale_id),)).scalar_one()
    return json.loads(text)


def a_sale_with_gift_cards(journal: SqlJournal) -> Sale:
    """Shampoo and two cards sold (one electronic) on the real till, paid 100.00 by a card online,
    50.00 by another offline (a manager approved it) and the rest in cash."""
    till = make_sql_till(journal)
    till.sign_in("1", "1234")
    till.scan(SHAMPOO.barcode)
    sell_gift_card(till, PLASTIC, "500")
    sell_gift_card(till, "", "250", phone_text="050 123 45 67")
    sale = till.pay_cash("").sale
    assert sale is not None
    return sale


def paid_with_cards(sale: Sale) -> Sale:
    cash = sale.payments[0]
    online = Payment(uuid.uuid4(), GIFT_CARD, uah("100"), uah("100"), uah("0"))
    offline = Payment(uuid.uuid4(), GIFT_CARD, uah("50"), uah("50"), uah("0"))
    rest = replace(cash, payment_id=uuid.uuid4(), amount=cash.amount - uah("150"), tendered=cash.tendered - uah("150"))
    return replace(sale, sale_id=uuid.uuid4(), receipt_number=0, payments=(online, offline, rest),
                   gift_card_payments=(GiftCardPayment(online.payment_id, OTHER, uuid.uuid4()),
                                       GiftCardPayment(offline.payment_id, OTHER, None, approved_by="m1")))


def test_the_cards_a_sale_sold_read_back_exactly_and_its_outbox_message_is_v4(journal: SqlJournal) -> None:
    recorded = a_sale_with_gift_cards(journal)
    read = journal.get_sale(recorded.sale_id)
    assert read == recorded
    assert [(g.card_number, g.phone) for g in read.gift_cards_sold] == [
        (PLASTIC, ""), (read.gift_cards_sold[1].card_number, "+380501234567")]
    assert [g.line_id for g in read.gift_cards_sold] == [l.line_id for l in read.lines[1:]]
    payload = _outbox_payload(journal, recorded.sale_id)
    assert payload == sale_to_dict(read) and payload["schema"] == SALE_SCHEMA_V4


def test_gift_card_payments_online_and_offline_read_back_exactly(journal: SqlJournal) -> None:
    sale = paid_with_cards(a_sale_with_gift_cards(journal))
    recorded = journal.record_sale(sale)
    read = journal.get_sale(sale.sale_id)
    assert read == recorded
    online, offline = read.gift_card_payments
    assert not online.offline and online.redemption_id == sale.gift_card_payments[0].redemption_id
    assert offline.offline and offline.approved_by == "m1"
    assert sale_from_dict(_outbox_payload(journal, sale.sale_id)) == read


def test_a_reprint_from_the_journal_names_the_cards_masked(journal: SqlJournal) -> None:
    sale = journal.record_sale(paid_with_cards(a_sale_with_gift_cards(journal)))
    read = journal.get_sale(sale.sale_id)
    assert read is not None
    text = layout_receipt(build_receipt(read, replace(STORE, locale="en_US"), is_copy=True)).plain_text()
    assert "Gift card **** 9017" in text and "for +380 ** *** ** 67" in text
    assert text.count("Gift card **** 0010") == 2  # the two payments
    assert PLASTIC not in text and OTHER not in text


def test_a_sale_without_gift_cards_writes_no_gift_card_rows_and_stays_v1(journal: SqlJournal) -> None:
    sale = sell(make_sql_till(journal), SHAMPOO.barcode)
    read = journal.get_sale(sale.sale_id)
    assert read is not None and read.gift_cards_sold == () and read.gift_card_payments == ()
    with journal.db.reading() as conn:
        counts = [conn.exec_driver_sql(f"SELECT COUNT(*) FROM {t}").scalar_one()
                  for t in ("sale_gift_cards_sold", "sale_gift_card_payments")]
    assert counts == [0, 0]
    assert _outbox_payload(journal, sale.sale_id)["schema"] == SALE_SCHEMA


def test_a_till_restarted_mid_sale_on_its_database_still_knows_the_cards(journal: SqlJournal) -> None:
    before = make_sql_till(journal)
    before.sign_in("1", "1234")
    sell_gift_card(before, "", "300", phone_text="+380677654321")
    after = make_sql_till(journal)
    after.start()
    assert after.gift_cards_sold == before.gift_cards_sold and after.gift_cards_sold[0].phone == "+380677654321"


def test_the_gift_card_rows_of_a_recorded_sale_cannot_be_changed(db: Database, db_path: Path,
                                                                   journal: SqlJournal) -> None:
    sale = journal.record_sale(paid_with_cards(a_sale_with_gift_cards(journal)))
    for statement in ("UPDATE sale_gift_cards_sold SET card_number = '9900000000000000'",
                      "DELETE FROM sale_gift_cards_sold",
                      "UPDATE sale_gift_card_payments SET approved_by = 'someone'",
                      "DELETE FROM sale_gift_card_payments"):
        with pytest.raises(sa_exc.IntegrityError, match="cannot be changed"):
            with db.writing() as conn:
                conn.exec_driver_sql(statement)
    other = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        other.execute("DELETE FROM sale_gift_card_payments")
    other.close()
    assert journal.get_sale(sale.sale_id) == sale
