"""Each store's time zone on the hub: set with ``kassa-hub add-store --timezone``, an unknown zone
refused in one line, and the store's business day of a till's UTC time (what the ERP books)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from central.cli import main
from central.database import open_hub_database
from central.errors import AdminProblem
from tests.central.migrating import migrate_to
from central.stores import default_time_zone, local_day, store_day, store_time_zone

UTC = timezone.utc


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def hub_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv("KASSA_HUB_TIMEZONE", raising=False)
    return f"sqlite:///{tmp_path / 'hub.sqlite3'}"


def zone_of(url: str, store_id: str) -> str:
    db = open_hub_database(url, migrate_schema=True)
    try:
        with db.reading() as conn:
            return store_time_zone(conn, store_id)
    finally:
        db.close()


def test_a_kyiv_stores_sale_at_23_30_utc_is_on_the_next_day() -> None:
    assert local_day(datetime(2026, 3, 14, 23, 30, tzinfo=UTC), "Europe/Kyiv") == date(2026, 3, 15)


def test_a_kyiv_stores_sale_at_noon_utc_is_on_the_same_day() -> None:
    assert local_day(datetime(2026, 3, 14, 12, 0, tzinfo=UTC), "Europe/Kyiv") == date(2026, 3, 14)


def test_in_summer_time_a_kyiv_day_starts_at_21_utc() -> None:
    assert local_day(datetime(2026, 7, 14, 20, 59, tzinfo=UTC), "Europe/Kyiv") == date(2026, 7, 14)
    assert local_day(datetime(2026, 7, 14, 21, 0, tzinfo=UTC), "Europe/Kyiv") == date(2026, 7, 15)


def test_a_till_time_without_a_zone_is_read_as_utc() -> None:
    assert local_day(datetime(2026, 3, 14, 23, 30), "Europe/Kyiv") == date(2026, 3, 15)


def test_add_store_keeps_the_time_zone_it_is_given(hub_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "add-store", "--database", hub_url, "--store", "PL-WAW-1", "--name", "Warsaw",
               "--timezone", "Europe/Warsaw") == (0, "added store PL-WAW-1 (time zone Europe/Warsaw)\n", "")
    assert zone_of(hub_url, "PL-WAW-1") == "Europe/Warsaw"


def test_add_store_again_changes_the_zone_or_keeps_it_when_left_out(
        hub_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "add-store", "--database", hub_url, "--store", "S1", "--name", "One", "--timezone", "Asia/Baku")
    assert run(capsys, "add-store", "--database", hub_url, "--store", "S1", "--name", "One",
               "--timezone", "Asia/Tbilisi") == (0, "renamed store S1 (time zone Asia/Tbilisi)\n", "")
    assert zone_of(hub_url, "S1") == "Asia/Tbilisi"
    assert run(capsys, "add-store", "--database", hub_url, "--store", "S1", "--name", "Uno") == (
        0, "renamed store S1\n", "")
    assert zone_of(hub_url, "S1") == "Asia/Tbilisi"


def test_add_store_with_a_time_zone_alone_changes_the_zone_and_keeps_the_name(
        hub_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "add-store", "--database", hub_url, "--store", "S1", "--name", "One", "--timezone", "Asia/Baku")
    assert run(capsys, "add-store", "--database", hub_url, "--store", "S1", "--timezone", "Europe/Warsaw") == (
        0, "set the time zone of store S1 to Europe/Warsaw\n", "")
    assert zone_of(hub_url, "S1") == "Europe/Warsaw"
    db = open_hub_database(hub_url)
    with db.reading() as conn:
        assert conn.exec_driver_sql("SELECT name FROM stores WHERE store_id = 'S1'").scalar() == "One"
    db.close()


def test_add_store_without_a_name_is_refused_for_a_new_store_and_without_a_change_for_an_old_one(
        hub_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "add-store", "--database", hub_url, "--store", "S9", "--timezone", "Asia/Baku")
    assert (status, out) == (1, "") and "S9" in err and "is new" in err and "--name" in err
    run(capsys, "add-store", "--database", hub_url, "--store", "S1", "--name", "One")
    status, out, err = run(capsys, "add-store", "--database", hub_url, "--store", "S1")
    assert (status, out) == (1, "") and "--name" in err and "--timezone" in err
    db = open_hub_database(hub_url)
    with db.reading() as conn:
        assert conn.exec_driver_sql("SELECT store_id, name FROM stores").all() == [("S1", "One")]
    db.close()


@pytest.mark.parametrize("zone", ["Europe/Kiyv", "Mars/Olympus", "", "../../etc/passwd", "UTC+2"])
def test_an_unknown_time_zone_is_refused_in_one_line_naming_the_option(
        hub_url: str, capsys: pytest.CaptureFixture[str], zone: str) -> None:
    status, out, err = run(capsys, "add-store", "--database", hub_url, "--store", "S1", "--name", "One",
                           "--timezone", zone)
    assert (status, out) == (1, "")
    assert err.count("\n") == 1 and "--timezone" in err and "is not a time zone" in err
    db = open_hub_database(hub_url, migrate_schema=True)
    try:
        with db.reading() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM stores").scalar() == 0
    finally:
        db.close()


def test_a_store_without_its_own_zone_follows_the_hubs_variable_else_kyiv(
        hub_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    run(capsys, "add-store", "--database", hub_url, "--store", "S1", "--name", "One")
    assert zone_of(hub_url, "S1") == "Europe/Kyiv"
    monkeypatch.setenv("KASSA_HUB_TIMEZONE", "Asia/Baku")
    assert zone_of(hub_url, "S1") == "Asia/Baku"
    db = open_hub_database(hub_url, migrate_schema=True)
    with db.reading() as conn:  # Baku is UTC+4: 21:30 UTC is already the next day there
        assert store_day(conn, "S1", datetime(2026, 3, 14, 21, 30, tzinfo=UTC)) == date(2026, 3, 15)
    db.close()


def test_a_wrong_hub_variable_is_refused_naming_the_variable() -> None:
    with pytest.raises(AdminProblem, match=r"\$KASSA_HUB_TIMEZONE 'Kyiv' is not a time zone"):
        default_time_zone({"KASSA_HUB_TIMEZONE": "Kyiv"})
    assert default_time_zone({}) == "Europe/Kyiv"


def test_a_store_made_before_migration_0014_follows_the_hubs_default_and_the_migration_can_be_undone(
        database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KASSA_HUB_TIMEZONE", raising=False)
    migrate_to(database_url, "0013")
    db = open_hub_database(database_url, migrate_schema=False)
    with db.writing() as conn:
        conn.exec_driver_sql("INSERT INTO stores (store_id, name, created_at) VALUES ('OLD', 'Old', '2026-01-01')")
        conn.exec_driver_sql("INSERT INTO tills (store_id, till_id, created_at) VALUES ('OLD', 'T01', '2026-01-01')")
    db.close()
    migrate_to(database_url, "head")
    assert zone_of(database_url, "OLD") == "Europe/Kyiv"
    migrate_to(database_url, "0013", down=True)
    db = open_hub_database(database_url, migrate_schema=False)
    with db.reading() as conn:
        assert conn.exec_driver_sql("SELECT name FROM stores").scalars().all() == ["Old"]
    db.close()


def test_the_erp_delivery_refuses_to_start_on_a_wrong_hub_variable_in_one_line(
        hub_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KASSA_HUB_TIMEZONE", "Europe/Kiyv")
    status, out, err = run(capsys, "erp", "deliver", "--database", hub_url)
    assert (status, out) == (1, "")
    assert err.count("\n") == 1 and "$KASSA_HUB_TIMEZONE 'Europe/Kiyv' is not a time zone" in err
