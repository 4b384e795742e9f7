"""A batch holding one sale the hub cannot store: through a real hub process on loopback,
the good sales are stored and only the poison one is rejected, so the till's queue moves.

The defence in depth is tested with a real database refusal: a trigger that makes the
database itself refuse one sale that passed every check (on SQLite ``RAISE(ABORT)``, an
IntegrityError; on PostgreSQL an exception with SQLSTATE 22023, a DataError).  A refusal
that is the database's own trouble (SQLSTATE 53100, disk full: an OperationalError) is not
the sale's fault: the batch is answered 503 and nothing of it is stored."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from central.database import HubDatabase
from central.tables import sales
from tests.central.bad_values import CALENDAR_END, document, post_raw, push_raw, set_at
from tests.central.hub_process import running_hub
from tests.central.shop import Shop, make_sales


def stored_seqs(db: HubDatabase) -> list[int]:
    with db.reading() as conn:
        return sorted(conn.execute(select(sales.c.seq)).scalars())


def refuse_in_the_database(db: HubDatabase, sale_id: str, sqlstate: str = "22023") -> None:
    """A trigger: the database refuses to insert the sale ``sale_id``."""
    with db.writing() as conn:
        if db.is_sqlite:
            conn.exec_driver_sql(f"CREATE TRIGGER refuse_poison BEFORE INSERT ON sales WHEN NEW.sale_id = '{sale_id}' "
                                 "BEGIN SELECT RAISE(ABORT, 'the poison sale'); END")
        else:
            conn.exec_driver_sql(
                "CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"IF NEW.sale_id = '{sale_id}' THEN RAISE EXCEPTION 'the poison sale' USING ERRCODE = '{sqlstate}'; "
                "END IF; RETURN NEW; END $$")
            conn.exec_driver_sql("CREATE TRIGGER refuse_poison BEFORE INSERT ON sales FOR EACH ROW "
                                 "EXECUTE FUNCTION refuse_poison()")


def test_a_poison_sale_among_good_ones_through_a_real_hub_is_rejected_alone(database_url: str,
                                                                            hub_db: HubDatabase) -> None:
    with running_hub(database_url) as base, httpx.Client(base_url=base, timeout=30) as http:
        shop = Shop.set_up(hub_db, http)
        till = shop.enrol()
        made = make_sales(6, till)
        documents = [document(sale) for sale in made]
        set_at(documents[1], "completed_at", CALENDAR_END)
        set_at(documents[3], "cashier.name", "\ud800")
        set_at(documents[4], "receipt_number", 2**63)
        items = [(2**63 if n == 4 else n + 1, d) for n, d in enumerate(documents)]

        answer = push_raw(http, shop.auth(till), items)
        again = push_raw(http, shop.auth(till), items)

    assert answer.status_code == 200, answer.text
    statuses = [(r["status"], r.get("reason")) for r in answer.json()["results"]]
    assert statuses == [("accepted", None), ("rejected", "schema"), ("accepted", None),
                        ("rejected", "schema"), ("rejected", "schema"), ("accepted", None)]
    assert [r["sale_id"] for r in answer.json()["results"]] == [str(s.sale_id) for s in made]
    assert [r["status"] for r in again.json()["results"]] == ["duplicate", "rejected", "duplicate", "rejected",
                                                              "rejected", "duplicate"]
    assert stored_seqs(hub_db) == [1, 3, 6]


def test_a_sale_the_database_refuses_is_rejected_and_the_rest_of_its_batch_stored(database_url: str,
                                                                                  hub_db: HubDatabase) -> None:
    with running_hub(database_url) as base, httpx.Client(base_url=base, timeout=30) as http:
        shop = Shop.set_up(hub_db, http)
        till = shop.enrol()
        made = make_sales(5, till)
        refuse_in_the_database(hub_db, str(made[2].sale_id))

        first = shop.push(till, *made)
        again = shop.push(till, *made)

    assert [(r["status"], r.get("reason")) for r in first] == [("accepted", None)] * 2 + [("rejected", "schema")] + [
        ("accepted", None)] * 2
    assert "the poison sale" in first[2]["detail"] and first[2]["sale_id"] == str(made[2].sale_id)
    assert [r["status"] for r in again] == ["duplicate", "duplicate", "rejected", "duplicate", "duplicate"]
    assert stored_seqs(hub_db) == [1, 2, 4, 5]


def test_a_batch_of_one_sale_the_database_refuses_is_answered_with_its_rejection(shop: Shop) -> None:
    till = shop.enrol()
    sale = make_sales(1, till)[0]
    refuse_in_the_database(shop.db, str(sale.sale_id))
    [answer] = shop.push(till, sale)
    assert (answer["status"], answer["reason"]) == ("rejected", "schema")
    assert stored_seqs(shop.db) == []


def test_the_databases_own_trouble_is_a_503_and_stores_nothing_of_the_batch(fresh_postgresql_url: str) -> None:
    from central.database import open_hub_database

    db = open_hub_database(fresh_postgresql_url, migrate_schema=True)
    try:
        with running_hub(fresh_postgresql_url) as base, httpx.Client(base_url=base, timeout=30) as http:
            shop = Shop.set_up(db, http)
            till = shop.enrol()
            made = make_sales(3, till)
            refuse_in_the_database(db, str(made[1].sale_id), sqlstate="53100")  # disk_full
            body = {"sales": [{"seq": s.receipt_number, "sale": document(s)} for s in made]}
            answer = post_raw(http, "/v1/sales/batch", body, shop.auth(till))
        assert (answer.status_code, answer.json()["error"]) == (503, "database_unavailable")
        assert stored_seqs(db) == []
    finally:
        db.close()


@pytest.mark.parametrize("count", [2, 40])
def test_every_sale_of_a_refused_batch_is_answered_once_in_order(shop: Shop, count: int) -> None:
    till = shop.enrol()
    made = make_sales(count, till)
    refuse_in_the_database(shop.db, str(made[-1].sale_id))
    answers = shop.push(till, *made, made[0])
    assert [a["sale_id"] for a in answers] == [str(s.sale_id) for s in (*made, made[0])]
    assert [a["status"] for a in answers] == ["accepted"] * (count - 1) + ["rejected", "duplicate"]
    assert stored_seqs(shop.db) == list(range(1, count))
