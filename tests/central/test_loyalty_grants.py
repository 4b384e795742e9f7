"""Points head office gives outside a sale (kassa-hub give-points): once per grant name, found by
customer id or by a phone typed any way, carried to the customer's row for the tills, and refused
with a clear line for a customer nobody has or a senseless amount."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from central.cli import main
from central.customer_tables import customers
from central.loyalty_ledger import balances
from tests.central.shop import Shop


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def olena(shop: Shop, database_url: str, capsys: pytest.CaptureFixture[str]) -> str:
    status, out, err = run(capsys, "add-customer", "--phone", "+380501234567", "--name", "Olena Kovalenko",
                           "--database", database_url)
    assert status == 0, err
    with shop.db.reading() as conn:
        return str(conn.execute(select(customers.c.customer_id).where(customers.c.phone == "+380501234567"))
                   .scalar_one())


def test_a_grant_given_twice_gives_its_points_once_and_reaches_the_customers_row(
        shop: Shop, database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    customer_id = olena(shop, database_url, capsys)
    for _ in range(2):
        status, out, err = run(capsys, "give-points", "--customer", "050 123 45 67", "--points", "2500",
                               "--grant", "opening-2026", "--database", database_url)
        assert status == 0, err
    assert "before: nothing changed" in out
    with shop.db.reading() as conn:
        assert balances(conn) == {customer_id: 2500}
        assert conn.execute(select(customers.c.points_balance).where(customers.c.customer_id == customer_id)
                            ).scalar_one() == 2500


def test_another_grant_and_a_taking_away_add_up_by_customer_id(
        shop: Shop, database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    customer_id = olena(shop, database_url, capsys)
    assert run(capsys, "give-points", "--customer", customer_id, "--points", "300", "--grant", "a",
               "--database", database_url)[0] == 0
    assert run(capsys, "give-points", "--customer", customer_id, "--points", "-100", "--grant", "b",
               "--database", database_url)[0] == 0
    with shop.db.reading() as conn:
        assert balances(conn)[customer_id] == 200


@pytest.mark.parametrize(("customer", "points", "grant", "says"), [
    ("+380999999999", "10", "g", "no customer has the phone number"),
    ("nobody", "10", "g", "no customer 'nobody'"),
    ("+380501234567", "0", "g", "not 0"),
    ("+380501234567", "99999999999", "g", "whole number"),
    ("+380501234567", "10", " ", "a grant needs a name"),
])
def test_a_grant_that_cannot_be_given_is_one_clear_line(
        shop: Shop, database_url: str, capsys: pytest.CaptureFixture[str],
        customer: str, points: str, grant: str, says: str) -> None:
    olena(shop, database_url, capsys)
    status, _, err = run(capsys, "give-points", "--customer", customer, "--points", points, "--grant", grant,
                         "--database", database_url)
    assert status == 1 and says in err
