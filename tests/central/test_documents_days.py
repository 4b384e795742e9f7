"""For random days run through the domain (sales by cash and card with voided lines and cash
rounding, partial returns, cash in and out, cancelled sales), the hub accepts every document
the till would send, then answers each of them duplicate, and its arbiter agrees with the
day's own returns."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.central.shop import Shop
from tests.central.store_day_documents import HubDay, at_till, post, statuses
from tests.pos.store_day.day import EXAMPLES, STORE
from tests.pos.store_day.test_shift_report import EVENT, weigh


def test_every_document_of_a_random_day_is_accepted_once(shop: Shop) -> None:
    made = [0]

    @settings(max_examples=max(10, EXAMPLES // 4), deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(coin=st.sampled_from([Decimal("0.01"), Decimal("0.10"), Decimal("0.50")]),
           events=st.lists(EVENT, max_size=15))
    def run(coin: Decimal, events: list) -> None:  # type: ignore[type-arg]
        made[0] += 1
        till = shop.enrol(f"R{made[0]}", store_id=STORE)
        day = HubDay(coin)
        for event in events:
            if event[0] == "sell":
                day.sell(weigh(event[1]), *event[2:])
            elif event[0] == "return" and day.sales:
                day.give_back(*event[1:])
            elif event[0] == "move":
                day.move(*event[1:])
            elif event[0] == "cancel":
                day.cancel(event[1])
        at_till(day, till.till_id)
        if day.sales:
            assert {r["status"] for r in shop.push(till, *day.sales)} == {"accepted"}
        sent = day.envelopes()
        assert statuses(post(shop, till, *sent)) == ["accepted"] * len(sent)
        assert statuses(post(shop, till, *sent)) == ["duplicate"] * len(sent)
        for sale in day.sales:
            answer = shop.http.get(f"/v1/sales/{sale.sale_id}/returned", headers=shop.auth(till)).json()
            assert {line["sold_line_id"]: Decimal(line["quantity"]) for line in answer["lines"]} == {
                str(line.line_id): day.returned[line.line_id] for line in sale.lines if line.line_id in day.returned}

    run()
