"""An offline return of another till's sale (the hub away) is an unchecked return: goods
scanned back, naming the sale of the receipt's code (``unchecked_sale_id``), sent as
``kassa.return.v2``; every other return keeps its ``kassa.return.v1`` form exactly."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from decimal import Decimal

import pytest

from local_db.journal_check import journal_check
from pos.errors import StorageProblem
from pos.store_day import forms
from pos.store_day.day import NeedsApproval
from pos.store_day.returns_desk import (
    HubOffline,
    HubSale,
    ReturnAsked,
    UncheckedSale,
    find_sale,
    make_return,
    preview,
    product_for,
)
from tests.pos.store_day.test_returns_desk import A, C, approved, cash_sale, code_of
from tests.ui.returns.till_world import SENIOR, make_store_file, real_till


def offline(_sale_id: uuid.UUID) -> HubSale:
    raise HubOffline(till="T02")


def test_an_offline_return_of_another_tills_sale_names_that_sale_and_goes_out_as_v2(tmp_path) -> None:  # noqa: ANN001
    other = real_till(make_store_file(tmp_path / "other.sqlite3", "T02"), "T02", who=SENIOR)
    sold = cash_sale(other, A, C)
    t = real_till(make_store_file(tmp_path / "till.sqlite3"), who=SENIOR)
    found = find_sale(t.till, code_of(sold), offline)
    assert isinstance(found, UncheckedSale)
    asked = ReturnAsked(found, items=[product_for(t.till, C.barcode)], reason="customer_changed_mind")
    with pytest.raises(NeedsApproval) as needed:
        make_return(t.till, asked)
    done = make_return(t.till, asked, approval_id=approved(t, needed.value))
    assert (done.unchecked_sale_id, done.original_sale_id, done.original_till_id) == (sold.sale_id, None, "T02")
    assert all(line.sold_line_id is None for line in done.lines)
    body = json.loads(t.db.read(lambda c: c.exec_driver_sql(
        "SELECT payload FROM outbox WHERE document_id = ?", (str(done.return_id),)).scalar_one(), "test"))
    assert body["schema"] == forms.RETURN_SCHEMA_V2 and body["unchecked_sale_id"] == str(sold.sale_id)
    assert forms.return_from_dict(body) == done == t.journal.get_return(done.return_id)
    assert journal_check(t.db) == []


def test_every_other_return_keeps_the_v1_form_without_the_new_field(tmp_path) -> None:  # noqa: ANN001
    t = real_till(make_store_file(tmp_path / "till.sqlite3"), who=SENIOR)
    sale = cash_sale(t, A)
    found = find_sale(t.till, code_of(sale), None)
    done = make_return(t.till, ReturnAsked(found, {sale.lines[0].line_id: Decimal(1)}))
    form = forms.return_to_dict(done)
    assert form["schema"] == forms.RETURN_SCHEMA and "unchecked_sale_id" not in form
    v2 = forms.return_to_dict(replace(done, unchecked_sale_id=sale.sale_id))
    assert {k: v for k, v in v2.items() if k not in ("schema", "unchecked_sale_id")} == \
        {k: v for k, v in form.items() if k != "schema"}
    with pytest.raises(KeyError):  # a v2 message without the sale it names cannot be read
        forms.return_from_dict({**form, "schema": forms.RETURN_SCHEMA_V2})


def test_the_journal_refuses_an_unchecked_return_that_names_sold_lines(tmp_path) -> None:  # noqa: ANN001
    t = real_till(make_store_file(tmp_path / "till.sqlite3"), who=SENIOR)
    sale = cash_sale(t, A)
    found = find_sale(t.till, code_of(sale), None)
    document = preview(t.till, ReturnAsked(found, {sale.lines[0].line_id: Decimal(1)}))
    with pytest.raises(StorageProblem, match="unchecked but names sold lines"):
        t.journal.record_return(replace(document, unchecked_sale_id=sale.sale_id))
    assert journal_check(t.db) == []
