"""Till.override_price: a new unit price for a line, read like any typed amount; zero or less,
or words, are refused and the line keeps its price."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pos.basket import PriceNotPositive
from pos.money import AmountTooLarge
from pos.till import BadPrice
from tests.fakes import SHAMPOO, make_till


def test_a_new_price_changes_the_line_and_its_total_and_nothing_else() -> None:
    till = make_till()
    till.start()
    till.sign_in("1", "1234")
    line = till.scan(SHAMPOO.barcode).line
    assert line is not None
    result = till.override_price(line.line_id, "79,90")
    assert result.view.lines[0].product.price.amount == Decimal("79.90")
    assert result.view.total.amount == Decimal("79.90")
    assert till.catalog.by_barcode(SHAMPOO.barcode) == SHAMPOO  # the catalog is not changed


@pytest.mark.parametrize("typed, refusal", [("0", PriceNotPositive), ("abc", BadPrice), ("-5", BadPrice),
                                             ("1e9", BadPrice), ("12345678901", AmountTooLarge)])
def test_a_price_that_is_not_one_is_refused_and_the_line_keeps_its_price(typed: str, refusal: type) -> None:
    till = make_till()
    till.start()
    till.sign_in("1", "1234")
    line = till.scan(SHAMPOO.barcode).line
    assert line is not None
    with pytest.raises(refusal):
        till.override_price(line.line_id, typed)
    assert till.view().lines[0].product.price == SHAMPOO.price
