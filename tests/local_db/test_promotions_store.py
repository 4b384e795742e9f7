"""The till's promotions on a real SQLite file: read when they changed (and only then), a
definition the till cannot read skipped alone with its reason kept for IT, a pull's pages
applied with their cursor in one transaction, and many threads asking at once."""

from __future__ import annotations

import json
import logging
import threading
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from local_db.database import Database
from local_db.promotions import (
    SqlPromotions,
    apply_promotions,
    load_promotions,
    promotion_count,
    skipped_promotions,
    stage_promotions,
)
from local_db.reference_data import Cursor, ReferenceData
from pos.errors import StorageProblem
from pos.pricing.promotion import PercentOff


def percent_off(promotion_id: str, percent: str, category: str = "Hair care") -> dict:
    return {"format": "kassa.promotion.v1", "id": promotion_id, "name": f"{category} -{percent} %",
            "kind": "percent_off", "percent": percent, "scope": {"categories": [category]}}


LUXURY_CAP = {"format": "kassa.promotion.v1", "id": "CAP-LUX", "name": "Luxury at most 10 %", "kind": "cap",
              "max_percent": "10", "scope": {"brands": ["Chanel", "Dior"]}}
FROM_A_NEWER_HUB = {"format": "kassa.promotion.v2", "id": "P-NEW", "name": "Points x2", "kind": "points"}


def _generation(db: Database) -> int:
    with db.reading() as conn:
        return int(conn.exec_driver_sql("SELECT generation FROM promotions_changes").scalar_one())


def test_stored_definitions_are_read_as_promotions_and_caps_with_the_dataset_version(db: Database) -> None:
    load_promotions(db, [percent_off("P-HAIR-10", "10"), LUXURY_CAP], version="17")

    held = SqlPromotions(db, "UAH").current()

    assert [p.promotion_id for p in held.promotions] == ["P-HAIR-10"]
    assert held.promotions[0].benefit == PercentOff(Decimal("10"))
    assert [c.cap_id for c in held.caps] == ["CAP-LUX"] and held.version == "17"
    assert promotion_count(db) == 2 and skipped_promotions(db) == []


def test_the_set_is_read_again_only_after_the_table_changed(db: Database) -> None:
    source = SqlPromotions(db, "UAH")
    load_promotions(db, [percent_off("P-HAIR-10", "10")])
    first = source.current()

    assert source.current() is first  # nothing changed: the same set, not read again
    load_promotions(db, [percent_off("P-HAIR-10", "10")])  # the same definition again: no change
    assert source.current() is first
    load_promotions(db, [percent_off("P-HAIR-10", "15")])
    assert source.current().promotions[0].benefit == PercentOff(Decimal("15"))


def test_a_definition_the_till_cannot_read_is_skipped_alone_and_its_reason_kept_for_it(
        db: Database, caplog: pytest.LogCaptureFixture) -> None:
    load_promotions(db, [percent_off("P-HAIR-10", "10"), FROM_A_NEWER_HUB, percent_off("P-BAD", "-5")])
    with db.writing() as conn:  # what only a damaged file or a hand edit could hold
        conn.exec_driver_sql("INSERT INTO promotions (id, definition) VALUES ('P-TORN', '{\"format\": \"kassa.pro')")
    source = SqlPromotions(db, "UAH")

    with caplog.at_level(logging.WARNING, logger="local_db.promotions"):
        held = source.current()
        source.current()

    assert [p.promotion_id for p in held.promotions] == ["P-HAIR-10"]
    skipped = dict(skipped_promotions(db))
    assert set(skipped) == {"P-NEW", "P-BAD", "P-TORN"}
    assert "kassa.promotion.v2" in skipped["P-NEW"] and "percent" in skipped["P-BAD"]
    assert "cannot read its stored definition" in skipped["P-TORN"]
    assert sum("skipped" in r.getMessage() for r in caplog.records) == 3  # logged once, not at every sale
    assert source.current() is held  # recording the reasons is no change of the promotions
    # head office fixes one: it is read, and its reason is gone
    load_promotions(db, [percent_off("P-BAD", "5")])
    assert {p.promotion_id for p in source.current().promotions} == {"P-HAIR-10", "P-BAD"}
    assert set(dict(skipped_promotions(db))) == {"P-NEW", "P-TORN"}


def test_a_second_definition_with_an_id_already_read_is_skipped(db: Database) -> None:
    load_promotions(db, [{**percent_off("P-HAIR-10", "10"), "id": "P-SAME"}])
    with db.writing() as conn:
        conn.exec_driver_sql("INSERT INTO promotions (id, definition) VALUES ('P-SAME-2', ?)",
                             (json.dumps({**percent_off("P-SAME", "50")}),))

    held = SqlPromotions(db, "UAH").current()

    assert [p.benefit for p in held.promotions] == [PercentOff(Decimal("10"))]
    assert [i for i, _why in skipped_promotions(db)] == ["P-SAME-2"]


def test_staged_pages_are_not_held_until_they_are_applied_with_their_cursor_in_one_transaction(db: Database) -> None:
    load_promotions(db, [percent_off("P-OLD", "5"), percent_off("P-KEPT", "7")])
    source = SqlPromotions(db, "UAH")
    before = source.current()
    rows = [("P-NEW", json.dumps(percent_off("P-NEW", "20")), "41", 0), ("P-OLD", "{}", "42", 1)]

    stage_promotions(db, rows, cursor=Cursor("42", "42"), complete=True, origin="hub x")

    assert source.current() is before  # staged is not held
    with db.reading() as conn:
        assert conn.exec_driver_sql("SELECT cursor, complete FROM staged_cursors WHERE dataset = 'promotions'"
                                    ).one() == ("42", 1)
    assert apply_promotions(db, Cursor("42", "42"), datetime.now(timezone.utc)) == 2

    assert {p.promotion_id for p in source.current().promotions} == {"P-NEW", "P-KEPT"}
    assert source.current().version == "42"
    assert ReferenceData(db).cursors()["promotions"] == Cursor("42", "42")
    with db.reading() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM staged_promotions").scalar_one() == 0
        assert conn.exec_driver_sql("SELECT count(*) FROM staged_cursors").scalar_one() == 0


def test_an_apply_that_fails_changes_nothing(db: Database) -> None:
    load_promotions(db, [percent_off("P-OLD", "5")])
    stage_promotions(db, [("P-NEW", json.dumps(percent_off("P-NEW", "20")), "9", 0)], cursor=Cursor("9", "9"))
    generation = _generation(db)
    with db.writing() as conn:  # a cursor that cannot be written: the whole apply rolls back
        conn.exec_driver_sql("CREATE TRIGGER no_cursor BEFORE INSERT ON sync_cursors BEGIN "
                             "SELECT RAISE(ABORT, 'disk trouble'); END")

    with pytest.raises(StorageProblem, match="disk trouble"):
        apply_promotions(db, Cursor("9", "9"), datetime.now(timezone.utc))

    assert _generation(db) == generation and promotion_count(db) == 1
    with db.reading() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM staged_promotions").scalar_one() == 1


def test_many_threads_asking_while_the_promotions_change_each_get_a_whole_set(db: Database) -> None:
    source = SqlPromotions(db, "UAH")
    load_promotions(db, [percent_off(f"P-{n}", "10") for n in range(20)])
    seen: list[int] = []
    errors: list[BaseException] = []

    def ask() -> None:
        try:
            for _ in range(30):
                seen.append(len(source.current().promotions))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    askers = [threading.Thread(target=ask) for _ in range(6)]
    for thread in askers:
        thread.start()
    for percent in range(11, 21):  # every definition changes in one transaction, ten times
        load_promotions(db, [percent_off(f"P-{n}", str(percent)) for n in range(20)])
    for thread in askers:
        thread.join()

    assert errors == [] and set(seen) == {20}
    assert {p.benefit for p in source.current().promotions} == {PercentOff(Decimal("20"))}


def test_the_demo_store_holds_the_demo_promotions_until_a_hub_sends_its_own(db: Database) -> None:
    from datetime import date

    from local_db.demo_store import create_demo_store, load_demo_promotions

    create_demo_store(db, items=300, promotions=True, today=date(2026, 12, 2))
    held = SqlPromotions(db, "UAH").current()
    assert len(held.promotions) + len(held.caps) == promotion_count(db) >= 25 and skipped_promotions(db) == []
    assert all(p.validity.starts <= datetime(2026, 12, 2, 12) < p.validity.ends for p in held.promotions)
    with db.writing() as conn:  # the hub's promotions came once
        conn.exec_driver_sql("INSERT INTO sync_cursors (dataset, cursor, snapshot, pulled_at) "
                             "VALUES ('promotions', '5', '5', '2026-12-02T10:00:00+00:00')")
    assert load_demo_promotions(db, date(2027, 3, 1)) is False
    assert SqlPromotions(db, "UAH").current().promotions == held.promotions
