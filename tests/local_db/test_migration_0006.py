"""Migration 0006 renames the outbox's row number from ``seq`` (which the sync protocol
uses for the receipt number) to ``row_id``: a till database of schema 0005 with sales
waiting, acknowledged and quarantined keeps them all, in order, and the rename can be undone."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from local_db.database import MIGRATIONS, SCHEMA_HEAD, Database, _make_engine, open_database, schema_version
from local_db.journal import SqlJournal
from local_db.outbox import OutboxCounts, SqlOutbox
from tests.fakes import SHAMPOO
from tests.local_db.conftest import TILL_ID, make_sql_till, sell
from tests.local_db.old_tills import journal_of_schema


def _migrate(db: Database, revision: str, *, down: bool = False) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with db.writing() as conn:
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, revision)


def _columns(db: Database) -> list[str]:
    with db.reading() as conn:
        return [row[1] for row in conn.exec_driver_sql("PRAGMA table_info(outbox)")]


def test_an_outbox_of_schema_0005_keeps_its_rows_and_their_order_under_row_id(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    with Database(_make_engine(path, 3000), path) as old:
        _migrate(old, "0005")
        till = make_sql_till(SqlJournal(old, TILL_ID))
        with journal_of_schema("0005"):
            for _ in range(4):
                sell(till, SHAMPOO.barcode)
        with old.writing() as conn:  # as a 0005 till leaves them: receipt 1 sent, receipt 3 quarantined
            conn.exec_driver_sql("UPDATE outbox SET acked_at = '2026-12-02T09:00:00+00:00' WHERE seq = 1")
            conn.exec_driver_sql("UPDATE outbox SET quarantined_at = '2026-12-02T09:01:00+00:00', "
                                 "quarantine_reason = 'schema: bad' WHERE seq = 3")
        assert "seq" in _columns(old)

    with open_database(path) as db:
        assert schema_version(db) == SCHEMA_HEAD  # "0006" or a later head
        assert "row_id" in _columns(db) and "seq" not in _columns(db)
        outbox = SqlOutbox(db)
        assert outbox.counts() == OutboxCounts(waiting=2, quarantined=1, acknowledged=1)
        assert [m.seq for m in outbox.pending_messages()] == [2, 4]
        assert [(q.seq, q.reason) for q in outbox.quarantined()] == [(3, "schema: bad")]
        sell(make_sql_till(SqlJournal(db, TILL_ID)), SHAMPOO.barcode)
        assert [m.seq for m in outbox.pending_messages()] == [2, 4, 5]
        with db.reading() as conn:
            plan = " ".join(str(row[-1]) for row in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT row_id FROM outbox WHERE acked_at IS NULL AND quarantined_at IS NULL "
                "ORDER BY row_id"))
        assert "outbox_waiting" in plan  # the index followed the rename


def test_migration_0006_can_be_undone(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    with open_database(path) as db:
        sell(make_sql_till(SqlJournal(db, TILL_ID)), SHAMPOO.barcode)
        _migrate(db, "0005", down=True)
        assert schema_version(db) == "0005"
        assert "seq" in _columns(db) and "row_id" not in _columns(db)
        with db.reading() as conn:
            assert conn.exec_driver_sql("SELECT seq FROM outbox").scalars().all() == [1]
