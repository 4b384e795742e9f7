"""A sale of a product the hub does not know: accepted (the customer paid) and flagged for
review, held from the ERP until the product appears or someone maps its code."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from central.catalog_files import rows_from_products
from central.catalog_import import import_catalog
from central.cli import main
from central.database import HubDatabase
from central.flagged_sales import flagged, held, mapped_code, unknown_codes
from central.tables import sales
from pos.codec import sale_to_dict
from pos.gift_cards.records import GIFT_CARD_CODE
from tests.central.shop import Shop, make_sales
from tests.fakes import product

PERFUME = product("1009", "Парфум, пробник", "10.00")


def _selling(document: dict[str, Any], code: str) -> dict[str, Any]:
    d = json.loads(json.dumps(document))
    d["lines"][0]["product_code"] = code
    return d


def _stored(db: HubDatabase) -> int:
    with db.reading() as conn:
        return int(conn.execute(select(func.count()).select_from(sales)).scalar_one())


def _held(db: HubDatabase, sale_id: str) -> bool:
    with db.reading() as conn:
        return held(conn, sale_id)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_a_sale_of_an_unknown_product_is_accepted_flagged_and_held_while_the_others_are_not(
        shop: Shop, hub_db: HubDatabase) -> None:
    till = shop.enrol()
    first, odd, last = make_sales(3, till)
    answers = shop.push(till, first, _selling(sale_to_dict(odd), "1009"), last)

    assert [a["status"] for a in answers] == ["accepted", "accepted", "accepted"]
    assert "reason" not in answers[0] and "reason" not in answers[2]
    assert answers[1]["reason"] == "unknown_product" and "1009" in answers[1]["detail"]
    assert _stored(hub_db) == 3
    [review] = flagged(hub_db)
    assert (review.sale_id, review.unknown_codes, review.receipt_number) == (str(odd.sale_id), ("1009",), 2)
    assert _held(hub_db, str(odd.sale_id))
    assert not _held(hub_db, str(first.sale_id)) and not _held(hub_db, str(last.sale_id))


def test_a_flagged_sale_is_released_when_a_catalog_import_brings_its_product(shop: Shop, hub_db: HubDatabase) -> None:
    till = shop.enrol()
    [sale] = make_sales(1, till)
    shop.push(till, _selling(sale_to_dict(sale), "1009"))
    assert _held(hub_db, str(sale.sale_id))

    import_catalog(hub_db, rows_from_products([PERFUME]))

    assert not _held(hub_db, str(sale.sale_id))
    assert flagged(hub_db) == []


def test_mapping_the_code_releases_the_sale_and_the_erp_gets_the_catalogs_code(
        shop: Shop, hub_db: HubDatabase, database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    till = shop.enrol()
    one, two = make_sales(2, till)
    shop.push(till, _selling(sale_to_dict(one), "SAMPLE-7"))

    status, out, _ = _run(capsys, "sales", "--flagged", "--database", database_url)
    assert status == 0 and "SAMPLE-7" in out and str(one.sale_id) in out and "1 flagged sale(s)" in out

    status, out, _ = _run(capsys, "map-product", "SAMPLE-7", "1001", "--database", database_url)
    assert status == 0 and "1 flagged sale(s) released" in out
    assert not _held(hub_db, str(one.sale_id))
    with hub_db.reading() as conn:
        assert mapped_code(conn, "SAMPLE-7") == "1001" and mapped_code(conn, "1002") == "1002"

    [answer] = shop.push(till, _selling(sale_to_dict(two), "SAMPLE-7"))  # mapped: known from now on
    assert answer["status"] == "accepted" and "reason" not in answer
    status, out, _ = _run(capsys, "sales", "--flagged", "--database", database_url)
    assert status == 0 and "0 flagged sale(s): nothing to review" in out


def test_a_code_is_mapped_only_to_a_product_in_the_catalog(
        shop: Shop, database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(capsys, "map-product", "SAMPLE-7", "NOPE", "--database", database_url)
    assert status == 1 and "NOPE is not in the hub's catalog" in err
    status, _, err = _run(capsys, "map-product", "1001", "1002", "--database", database_url)
    assert status == 1 and "in the catalog already" in err


def test_a_gift_card_line_is_never_an_unknown_product(hub_db: HubDatabase) -> None:
    with hub_db.reading() as conn:
        assert unknown_codes(conn, [GIFT_CARD_CODE, "1009"]) == {"1009"}
        assert unknown_codes(conn, [GIFT_CARD_CODE]) == set()


def test_a_sale_that_is_not_the_tills_to_send_is_still_rejected_and_never_flagged(
        shop: Shop, hub_db: HubDatabase) -> None:
    till, other = shop.enrol("T01"), shop.enrol("T02")
    [sale] = make_sales(1, other)
    [answer] = shop.push(till, _selling(sale_to_dict(sale), "1009"))
    assert (answer["status"], answer["reason"]) == ("rejected", "wrong_till")
    assert _stored(hub_db) == 0 and flagged(hub_db) == []


def test_a_flagged_sale_sent_again_is_a_duplicate_and_flagged_once(shop: Shop, hub_db: HubDatabase) -> None:
    till = shop.enrol()
    [sale] = make_sales(1, till)
    document = _selling(sale_to_dict(sale), "1009")
    assert shop.push(till, document)[0]["status"] == "accepted"
    assert shop.push(till, document)[0]["status"] == "duplicate"
    assert len(flagged(hub_db)) == 1
