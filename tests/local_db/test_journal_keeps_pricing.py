"""The journal keeps what a sale records of its pricing: each line's discounts, the customer,
the promo codes and the loyalty points; a receipt, a reprint or a return read from it see
exactly what the hub received."""

from __future__ import annotations

import json
from dataclasses import replace

from local_db.journal import SqlJournal
from pos.codec import SALE_SCHEMA_V3, sale_to_dict
from tests.fakes import VITAMINS
from tests.pos.discounted_sale import discounted_sale


def _outbox_payload(journal: SqlJournal, sale_id: object) -> dict:
    with journal.db.reading() as conn:
        text = conn.exec_driver_sql("SELECT payload FROM outbox WHERE document_id = ?", (str(sale_id),)).scalar_one()
    return json.loads(text)


def test_a_sale_with_discounts_a_customer_codes_and_points_reads_back_exactly(journal: SqlJournal) -> None:
    sale = replace(discounted_sale(receipt_number=0), customer_id="C-7", promo_codes=("WINTER10", "ОЛЕНА-5"),
                   points_earned=37, points_redeemed=120)
    recorded = journal.record_sale(sale)
    read = journal.get_sale(sale.sale_id)
    assert read == recorded
    assert [len(l.discounts) for l in read.lines] == [1, 2, 0, 1]
    assert read.discount == sale.discount and read.total == sale.total
    assert (read.customer_id, read.promo_codes, read.points_earned, read.points_redeemed) == (
        "C-7", ("WINTER10", "ОЛЕНА-5"), 37, 120)
    assert _outbox_payload(journal, sale.sale_id) == sale_to_dict(recorded)
    assert _outbox_payload(journal, sale.sale_id)["schema"] == SALE_SCHEMA_V3


def test_a_sale_without_promotions_reads_back_with_none(journal: SqlJournal) -> None:
    sale = discounted_sale(((VITAMINS, "2", ()),), receipt_number=0)
    read = journal.get_sale(journal.record_sale(sale).sale_id)
    assert read is not None and all(not l.discounts for l in read.lines)
    assert (read.customer_id, read.promo_codes, read.points_earned, read.points_redeemed) == ("", (), 0, 0)
