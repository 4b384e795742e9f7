"""A sale paid with split tenders is still a valid kassa.sale.v1: it round-trips through the
sale codec and the hub's own sum check accepts it (no change to either was needed)."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from central.sale_document import check_sums
from pos.codec import sale_from_dict, sale_to_dict
from pos.tender import CashPolicy
from tests.pos.store_day.day import EXAMPLES, PRODUCTS, basket_of, paid_sale


@settings(max_examples=EXAMPLES)
@given(items=st.lists(st.tuples(st.sampled_from(PRODUCTS), st.integers(1, 4)), min_size=1, max_size=5),
       card_cents=st.integers(0, 50000), coin=st.sampled_from([Decimal("0.01"), Decimal("0.10"), Decimal("0.50")]))
def test_a_split_sale_round_trips_and_the_hub_accepts_its_sums(items, card_cents, coin):
    basket = basket_of([(p, Decimal(n) * Decimal("0.213") if p.sold_by_weight else Decimal(n)) for p, n in items])
    card = min(Decimal(card_cents) / 100, basket.total().amount)
    sale = paid_sale(basket, card=str(card) if card > 0 else None, cash=CashPolicy(coin))
    assert sale_from_dict(sale_to_dict(sale)) == sale
    check_sums(sale)
