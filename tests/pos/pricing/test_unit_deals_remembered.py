"""A unit deal's remembered answer (``unit_deals._remembered``) is the one worked out afresh,
wherever the same lines sit: the answer is kept by the nets and units of the covered lines in
order and given back at the positions asked for."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from pos.pricing import unit_deals
from pos.pricing.promotion import BundlePrice, BuyGet
from tests.pos.pricing.shop import eur

deal_lines = st.lists(st.tuples(st.integers(0, 5_000), st.integers(0, 4)), min_size=1, max_size=8)  # (net, units)
buy_gets = st.builds(BuyGet, buy=st.integers(1, 3), get=st.integers(1, 2),
                     percent=st.sampled_from([Decimal(100), Decimal(50), Decimal("33.3")]))


def _placed(lines: list[tuple[int, int]], offset: int, gap: int) -> tuple[list[int], list[int], list[int]]:
    """The lines at positions ``offset``, ``offset + gap``, ... of a longer basket (others zero)."""
    size = offset + gap * len(lines)
    net, units = [0] * size, [0] * size
    positions = [offset + gap * k for k in range(len(lines))]
    for p, (line_net, line_units) in zip(positions, lines):
        net[p], units[p] = line_net, line_units
    return net, units, positions


@settings(max_examples=300, deadline=None)
@given(buy_gets, deal_lines, st.integers(0, 3), st.integers(1, 3), st.integers(0, 3), st.integers(1, 3))
def test_buy_get_remembered_for_lines_elsewhere_gives_what_working_it_out_gives_here(
        benefit, lines, offset, gap, other_offset, other_gap):
    unit_deals._ANSWERS.clear()
    elsewhere = _placed(lines, other_offset, other_gap)
    unit_deals.buy_get(benefit, *elsewhere)  # remembered there
    here = _placed(lines, offset, gap)
    assert unit_deals.buy_get(benefit, *here) == unit_deals._buy_get(benefit, *here)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 4), st.integers(0, 6_000), st.integers(0, 6_000), deal_lines, st.integers(0, 3),
       st.integers(1, 3))
def test_a_bundle_remembered_for_lines_elsewhere_gives_what_working_it_out_gives_here(
        size, price, earlier_price, lines, offset, gap):
    unit_deals._ANSWERS.clear()
    benefit = BundlePrice(size=size, price=eur("1"))
    unit_deals.bundle(benefit, *_placed(lines, 0, 1), earlier_price)  # remembered there, maybe at another price
    here = _placed(lines, offset, gap)
    assert unit_deals.bundle(benefit, *here, price) == unit_deals._bundle(benefit, *here, price)


def test_the_same_nets_with_other_units_are_not_the_same_deal():
    unit_deals._ANSWERS.clear()
    benefit = BuyGet(buy=1, get=1, percent=Decimal(100))
    two_units = unit_deals.buy_get(benefit, [1000, 400], [1, 1], [0, 1])  # 4.00 free, spread by net
    one_line_of_two = unit_deals.buy_get(benefit, [1000, 400], [2, 0], [0, 1])  # a 5.00 unit free
    assert (two_units, one_line_of_two) == ([(0, 286), (1, 114)], [(0, 500)])
