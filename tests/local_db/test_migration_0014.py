"""Migration 0014 rebuilds the till's store_policies table so it takes the gift_cards policy: a
till of schema 0013 keeps the policies head office sent it, word for word, and then takes one."""

from __future__ import annotations

from pathlib import Path

from local_db.database import SCHEMA_HEAD, open_database, schema_version
from tests.local_db.old_tills import make_old_till

PERMISSIONS = '{"void_line": ["manager"]}'
REASONS = '[{"code": "damaged", "label": "Damaged goods"}]'


def test_a_schema_0013_tills_policies_survive_the_rebuild_and_a_gift_card_policy_is_taken(tmp_path: Path) -> None:
    import sqlite3

    old = make_old_till(tmp_path / "till.sqlite3", "0013")
    with sqlite3.connect(old.path) as conn:
        conn.execute("INSERT INTO store_policies (name, body, deleted) VALUES ('permissions', ?, 0), "
                     "('reasons', ?, 1)", (PERMISSIONS, REASONS))
    with open_database(old.path) as db:
        assert schema_version(db) == SCHEMA_HEAD
        rows = db.read(lambda c: c.exec_driver_sql(
            "SELECT name, body, deleted FROM store_policies ORDER BY name").all(), "reading the policies")
        assert [tuple(r) for r in rows] == [("permissions", PERMISSIONS, 0), ("reasons", REASONS, 1)]
        db.write(lambda c: c.exec_driver_sql(
            "INSERT INTO store_policies (name, body, deleted) VALUES ('gift_cards', ?, 0)",
            ('{"offline": true, "offline_cap": "200.00", "currency": "UAH"}',)), "keeping the gift card policy")
