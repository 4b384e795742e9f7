"""A sale and a return of it stored at the same moment by two hub processes (PostgreSQL): the
return waits for the sale's transaction, then sees the sale, so its gift card is credited (and
its points taken back, its lines checked) instead of both transactions missing each other."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient

from central import sale_followers
from central.app import create_app
from tests.central.gift_card_sales import GiftCardDesk, card
from tests.central.shop import Shop
from tests.central.store_day_documents import of_return
from tests.central.test_gift_card_refunds import balance, bought_with_card, give_back

ALL = slice(None)


@pytest.fixture
def desk(shop: Shop) -> GiftCardDesk:
    return GiftCardDesk(shop, shop.enrol())


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # SQLite has one writer: they never overlap
def test_a_return_sent_while_its_sale_is_being_stored_waits_for_it_and_credits_the_card(
        desk: GiftCardDesk, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    sale = bought_with_card(desk, "100.00")  # held at the hub; the sale itself not pushed yet
    back = give_back(desk, sale, ALL, 1)
    stored, let_go = threading.Event(), threading.Event()

    def hold_the_transaction_open(*_args: Any) -> None:  # the last follower: the sale is in, not committed
        stored.set()
        let_go.wait(20)

    monkeypatch.setattr(sale_followers, "FOLLOWERS", (*sale_followers.FOLLOWERS, hold_the_transaction_open))
    answers: dict[str, Any] = {}
    pushing = threading.Thread(target=lambda: answers.update(sale=desk.shop.push(desk.till, sale)))
    pushing.start()
    assert stored.wait(20)
    app = create_app(database_url)  # another hub process's view: its own connections
    with TestClient(app) as other:
        returning = threading.Thread(target=lambda: answers.update(back=other.post(
            "/v1/documents", json={"documents": [of_return(back)]}, headers=desk.shop.auth(desk.till))))
        returning.start()
        returning.join(1.5)
        waited = returning.is_alive()
        let_go.set()
        pushing.join(30)
        returning.join(30)
    app.state.db.close()
    assert waited  # the return waited for the sale's transaction to end
    assert answers["sale"][0]["status"] == "accepted"
    result = answers["back"].json()["results"][0]
    assert result["status"] == "accepted" and "does not hold sale" not in result.get("detail", "")
    assert balance(desk, card(1)) == "500.00"  # 400.00 after the sale, the 100.00 back with the return
