"""An offline return of another till's sale, end to end with a real hub process: till T02
cannot reach the hub, scans T01's receipt, takes the goods back under a manager's approval
(an unchecked return, kassa.return.v2); when both documents reach the hub, in either order,
the hub reconciles the return against the sale and every till then sees those goods back.
One that takes back more than was sold is stored, never refused, and listed for a manager."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from central.cli import main as hub_cli
from local_db.outbox import SqlOutbox
from pos.receipt_code import receipt_code_text
from pos.sale import Sale
from pos.store_day.day import NeedsApproval
from pos.store_day.returns_desk import ReturnAsked, UncheckedSale, find_sale, make_return, product_for
from sync.hub_client import HubClient
from sync.service import SyncConfig, TillSync
from tests.central.hub_process import free_port
from tests.fakes import STORE
from tests.sync.conftest import FAST_RETRY, Hub
from tests.sync.test_returns_two_tills import Tills, tills  # noqa: F401  (the two enrolled tills)
from tests.ui.returns.till_world import GOODS, MANAGER, RealTill
from ui.returns.hub import hub_lookup


def _offline_return(other: RealTill, sale: Sale, quantity: Decimal) -> None:
    """T02 with the hub away: the receipt's code gives an unchecked sale; a manager approves."""
    away = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    linked = other.services.sync
    with HubClient(away, "credential", timeout=2, retry=FAST_RETRY) as client:
        other.services.sync = TillSync(other.db, client, SyncConfig(away, retry=FAST_RETRY))
        try:
            found = find_sale(other.till, receipt_code_text(sale.store_id, sale.till_id, sale.sale_id),
                              hub_lookup(other.services))
        finally:
            other.services.sync = linked
    assert isinstance(found, UncheckedSale)
    product, _ = product_for(other.till, GOODS[0].barcode)
    asked = ReturnAsked(found, items=[(product, quantity)], reason="customer_changed_mind")
    with pytest.raises(NeedsApproval) as needed:
        make_return(other.till, asked)
    request = other.till.day.ask(needed.value)
    approval_id = other.till.day.approve(request.request_id, *MANAGER, "customer_changed_mind").request.request_id
    returned = make_return(other.till, asked, approval_id=approval_id)
    assert returned.unchecked_sale_id == sale.sale_id


def _nothing_refused(tills: Tills) -> None:
    for till in (tills.seller, tills.other):
        assert SqlOutbox(till.db).quarantined_documents() == []


@pytest.mark.parametrize("sale_first", [True, False], ids=["sale-reaches-the-hub-first", "return-first"])
def test_an_offline_return_of_another_tills_sale_is_reconciled_when_both_reach_the_hub(
        hub: Hub, tills: Tills, sale_first: bool) -> None:  # noqa: F811
    seller = tills.seller.till
    seller.scan(GOODS[0].barcode)
    seller.scan(GOODS[0].barcode)
    sale = seller.pay_cash("").sale
    if sale_first:
        tills.syncs["T01"].push()
    _offline_return(tills.other, sale, Decimal(1))
    tills.syncs["T02"].push()
    tills.syncs["T01"].push()
    _nothing_refused(tills)
    for till in (tills.seller, tills.other):  # both tills now see one of the two back
        found = find_sale(till.till, receipt_code_text(sale.store_id, sale.till_id, sale.sale_id),
                          hub_lookup(till.services))
        assert found.left() == {sale.lines[0].line_id: Decimal(1)}  # type: ignore[union-attr]


def test_an_offline_return_of_more_than_was_sold_is_stored_and_listed_for_a_manager(
        hub: Hub, tills: Tills, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    seller = tills.seller.till
    seller.scan(GOODS[0].barcode)
    sale = seller.pay_cash("").sale
    tills.syncs["T01"].push()
    _offline_return(tills.other, sale, Decimal(3))
    tills.syncs["T02"].push()
    _nothing_refused(tills)  # the goods are back in the shop: the hub never refuses the document
    found = find_sale(tills.seller.till, receipt_code_text(sale.store_id, sale.till_id, sale.sale_id),
                      hub_lookup(tills.seller.services))
    assert found.left() == {sale.lines[0].line_id: Decimal(0)}  # type: ignore[union-attr]
    capsys.readouterr()
    assert hub_cli(["returns", "--unreconciled", "--store", STORE.store_id, "--database",
                    f"sqlite:///{tmp_path / 'hub.sqlite3'}"]) == 0  # the hub fixture's database
    listed = capsys.readouterr().out
    assert f"of sale {sale.sale_id}: 3 x {GOODS[0].code}" in listed and "1 matched; unreconciled" in listed
    assert "2 of 3" in listed
