"""Staged pages remember where their dataset's pull goes on from, in the same transaction as
their rows; pages staged from another hub, enrolment or schema are thrown away before a pull,
never applied, and rows kept waiting by an applied pull stay."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from local_db import reference_data
from local_db.catalog import product_count
from local_db.database import Database
from local_db.reference_data import Cursor, ReferenceData, Resume
from local_db.sync_state import ENROLLED_AT, SyncStateStore
from pos.errors import StorageProblem

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)
HUB = "http://hub.example:8080"
SOAP = ("P1", "Мило", "B", "C", "A", 0, 0)


def _rows(db: Database, sql: str) -> list[tuple[object, ...]]:
    with db.reading() as conn:
        return [tuple(row) for row in conn.exec_driver_sql(sql)]


def _unfinished_pull(data: ReferenceData, origin: str) -> None:
    """A barcode kept waiting by an applied pull (its product never came), then an unfinished pull."""
    data.stage("barcodes", [("G9", "P9", 0)])
    data.apply({"barcodes": Cursor("3", "3")}, NOW)
    with data.staging(origin) as staging:
        staging.stage("taxes", [("A", "20", 0)], cursor=Cursor("4", "9"), complete=True)
        staging.stage("products", [SOAP], cursor=Cursor("6", "9"))
        staging.stage("barcodes", [("G1", "P1", 0)], cursor=Cursor("7", "9"))


def test_a_pull_goes_on_from_its_staged_cursors_and_else_from_the_applied_ones(db: Database) -> None:
    data = ReferenceData(db)
    origin = data.origin(HUB)
    _unfinished_pull(data, origin)

    points = data.resume_points(origin)

    assert points == {"taxes": Resume(Cursor("4", "9"), complete=True, staged=True),
                      "products": Resume(Cursor("6", "9"), staged=True),
                      "barcodes": Resume(Cursor("7", "9"), staged=True)}
    assert _rows(db, "SELECT gtin, in_pull FROM staged_barcodes ORDER BY gtin") == [("G1", 1), ("G9", 0)]


def test_the_apply_ends_the_pull_and_keeps_what_waits(db: Database) -> None:
    data = ReferenceData(db)
    origin = data.origin(HUB)
    _unfinished_pull(data, origin)
    data.stage("prices", [("P1", 2500, "UAH", 0)])

    data.apply({"taxes": Cursor("4", "9"), "products": Cursor("6", "9"), "barcodes": Cursor("7", "9")}, NOW)

    assert product_count(db) == 1
    assert _rows(db, "SELECT * FROM staged_cursors") == []
    assert _rows(db, "SELECT gtin, product_code, in_pull FROM staged_barcodes") == [("G9", "P9", 0)]
    assert data.resume_points(origin)["barcodes"] == Resume(Cursor("7", "9"))


@pytest.mark.parametrize("change", ["re-enrolled", "another hub address", "another schema"])
def test_an_unfinished_pull_from_another_origin_is_thrown_away_and_never_applied(
        db: Database, change: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reference_data, "DISCARD_CHUNK", 1)  # and a chunk at a time
    data = ReferenceData(db)
    _unfinished_pull(data, data.origin(HUB))
    hub = HUB
    if change == "re-enrolled":
        SyncStateStore(db).put(**{ENROLLED_AT: NOW.isoformat()})
    elif change == "another hub address":
        hub = "https://other-hub.example"
    else:  # what a newer till finds after its migrations ran
        with db.writing() as conn:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0099'")

    points = data.resume_points(data.origin(hub))
    data.apply({d: p.cursor for d, p in points.items()}, NOW)

    assert points == {"barcodes": Resume(Cursor("3", "3"))}  # from the applied cursors
    assert _rows(db, "SELECT * FROM staged_cursors") == []
    assert _rows(db, "SELECT code FROM staged_products") == [] and product_count(db) == 0
    assert _rows(db, "SELECT code FROM vat_rates WHERE code = 'A'") == []
    assert _rows(db, "SELECT gtin, in_pull FROM staged_barcodes") == [("G9", 0)]  # still waiting for P9
    if change == "another schema":
        with db.writing() as conn:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0004'")


def test_the_cursor_of_a_staged_page_is_written_with_its_rows_or_not_at_all(db: Database) -> None:
    data = ReferenceData(db)
    with data.staging("hub A") as staging, pytest.raises(StorageProblem):
        # a price the staging table refuses (negative): the whole batch and its cursor are refused
        staging.stage("prices", [("P1", 100, "UAH", 0), ("P2", -1, "UAH", 0)], cursor=Cursor("12", "12"))
    assert _rows(db, "SELECT * FROM staged_cursors") == [] and _rows(db, "SELECT * FROM staged_prices") == []
