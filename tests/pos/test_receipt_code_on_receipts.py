"""Every receipt carries the receipt code of its sale (a QR row), which reads back to the sale;
a store or till id that cannot go in a code leaves the receipt without one, logged."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest

from pos.receipt import build_receipt
from pos.receipt_code import read_receipt_code
from pos.receipt_layout import layout_receipt
from tests.fakes import STORE, make_till


def a_sale(store_id: str = "S001", till_id: str = "T01"):  # noqa: ANN201
    till = make_till()
    till.sign_in("1", "1234")
    till.scan("1001")
    sale = till.pay_cash("100").sale
    assert sale is not None
    return replace(sale, store_id=store_id, till_id=till_id)


def test_a_receipt_carries_one_qr_row_that_reads_back_to_its_store_till_and_sale() -> None:
    sale = a_sale()
    rows = layout_receipt(build_receipt(sale, STORE)).rows
    codes = [row for row in rows if row.kind == "qr"]
    assert len(codes) == 1 and codes[0].align == "center" and codes[0].columns == 0
    found = read_receipt_code(codes[0].text)
    assert (found.store_id, found.till_id, found.sale_id) == ("S001", "T01", sale.sale_id)
    assert rows.index(codes[0]) > [row.kind for row in rows].index("rule")  # after the goods, near the end


def test_a_copy_carries_the_same_code() -> None:
    sale = a_sale()
    assert build_receipt(sale, STORE, is_copy=True).code == build_receipt(sale, STORE).code


@pytest.mark.parametrize(("store_id", "till_id"), [("S 1", "T01"), ("S001", "T.1"), ("S001", "Каса-1"), ("S" * 41, "T1")])
def test_a_store_or_till_id_that_cannot_go_in_a_code_prints_the_receipt_without_one_and_logs_why(
        store_id: str, till_id: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="pos.receipt"):
        receipt = build_receipt(a_sale(store_id, till_id), STORE)
    assert receipt.code == ""
    assert not any(row.kind == "qr" for row in layout_receipt(receipt).rows)
    assert "without its code" in caplog.text and repr(till_id if store_id == "S001" else store_id)[:20] in caplog.text
