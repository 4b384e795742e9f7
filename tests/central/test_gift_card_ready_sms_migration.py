"""Migration 0013 (the "card ready" SMS sent after the sale's commit): the cards a hub already
holds had their message sent from inside their sale's transaction, so they come out marked
sent at their activation, never due again; and the migration can be undone, cards kept."""

from __future__ import annotations

from central.database import open_hub_database
from tests.central.migrating import migrate_to

CARD = ("9900000000000010", "UAH", 50000, 50000, "+380501234567", "SECRET", 0, None, 0, False, "sale-1", "line-1",
        "S1", "T01", 1, "2026-11-30 10:00:00", "2026-11-30 10:00:05")


def test_cards_sold_before_0013_are_marked_sent_at_their_activation_and_the_migration_can_be_undone(
        database_url: str) -> None:
    migrate_to(database_url, "0012")
    db = open_hub_database(database_url, migrate_schema=False)
    with db.writing() as conn:
        conn.exec_driver_sql(
            "INSERT INTO gift_cards (card_number, currency, initial_minor, balance_minor, phone, otp_secret, "
            "otp_counter, otp_sent_at, wrong_codes, locked, sale_id, line_id, store_id, till_id, receipt_number, "
            "sold_at, activated_at) VALUES (" + ", ".join(["%s" if "postgresql" in database_url else "?"] * 17) + ")",
            CARD)
    db.close()
    migrate_to(database_url, "0013")
    db = open_hub_database(database_url, migrate_schema=False)
    with db.reading() as conn:
        sent, activated = conn.exec_driver_sql("SELECT ready_sms_at, activated_at FROM gift_cards").one()
    db.close()
    assert sent is not None and str(sent)[:19] == str(activated)[:19]
    migrate_to(database_url, "0012", down=True)
    db = open_hub_database(database_url, migrate_schema=False)
    with db.reading() as conn:
        assert conn.exec_driver_sql("SELECT card_number FROM gift_cards").scalars().all() == [CARD[0]]
    db.close()
