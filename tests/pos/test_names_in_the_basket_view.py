"""The screen names things, not codes: the basket view carries the identified customer's
display name (said when they were identified, kept while they stay the sale's customer) and
the catalog name of each gift offer's product (looked up by the till, once per code)."""

from __future__ import annotations

from decimal import Decimal

from pos.errors import StorageProblem
from pos.pricing.promotion import CustomerFacts, Gift, Promotion, PromotionSet, Scope
from pos.catalog import Product
from pos.tender import CashPolicy
from pos.till import Till, TillSettings
from tests.fakes import CREAM, SHAMPOO, STORE, VITAMINS, MemoryCashiers, MemoryCatalog, MemoryJournal, StepClock

GIFTS = PromotionSet(promotions=(
    Promotion("P-CREAM-GIFT", "Vitamins with a cream", Gift(VITAMINS.code), Scope(products=frozenset({CREAM.code}))),
    Promotion("P-SHAMPOO-GIFT", "A sample with a shampoo", Gift("9999"), Scope(products=frozenset({SHAMPOO.code}))),
))


class HeldPromotions:
    def __init__(self, promotions: PromotionSet) -> None:
        self.promotions = promotions

    def current(self) -> PromotionSet:
        return self.promotions


class CountingCatalog(MemoryCatalog):
    """The in-memory catalog, counting the code lookups; ``failing`` makes them fail as a
    catalog that cannot be read does."""

    def __init__(self, products: tuple[Product, ...]) -> None:
        super().__init__(products)
        self.code_lookups = 0
        self.failing = False

    def by_code(self, code: str) -> Product | None:
        self.code_lookups += 1
        if self.failing:
            raise StorageProblem(reason="disk I/O error")
        return super().by_code(code)


def a_till(catalog: MemoryCatalog) -> Till:
    journal = MemoryJournal()
    till = Till(TillSettings(STORE, CashPolicy(Decimal("0.01"))), catalog=catalog, journal=journal,
                baskets=journal, cashiers=MemoryCashiers(), clock=StepClock(), promotions=HeldPromotions(GIFTS))
    till.sign_in("1", "1234")
    return till


def test_the_view_names_the_customer_until_another_is_identified_or_they_are_forgotten() -> None:
    till = a_till(MemoryCatalog((SHAMPOO, CREAM, VITAMINS)))
    till.scan(SHAMPOO.barcode)
    olena = CustomerFacts("C-1", tier="vip")
    assert till.identify_customer(olena, name="Olena K.").view.customer_name == "Olena K."
    assert till.view().customer_name == "Olena K."
    assert till.identify_customer(CustomerFacts("C-2")).view.customer_name == ""  # no name said for them
    assert till.identify_customer(olena, name="Olena K.").view.customer_name == "Olena K."
    forgotten = till.identify_customer(None).view
    assert forgotten.customer is None and forgotten.customer_name == ""
    till.identify_customer(olena, name="Olena K.")
    till.pay_cash("")
    assert till.view().customer is None and till.view().customer_name == ""  # the next sale has no customer


def test_a_gift_offer_is_named_from_the_catalog_looked_up_once_per_code() -> None:
    catalog = CountingCatalog((SHAMPOO, CREAM, VITAMINS))
    till = a_till(catalog)
    view = till.scan(CREAM.barcode).view
    assert view.gift_names == ((VITAMINS.code, VITAMINS.name),) and view.gift_name(VITAMINS.code) == VITAMINS.name
    looked_up = catalog.code_lookups
    for _ in range(3):
        till.view()
    till.scan(CREAM.barcode)
    assert till.view().gift_name(VITAMINS.code) == VITAMINS.name and catalog.code_lookups == looked_up


def test_a_gift_the_catalog_lacks_is_said_by_its_code_and_an_unreadable_catalog_is_asked_again() -> None:
    catalog = CountingCatalog((SHAMPOO, CREAM, VITAMINS))
    till = a_till(catalog)
    assert till.scan(SHAMPOO.barcode).view.gift_name("9999") == "9999"  # a sample the catalog does not carry
    catalog.failing = True
    view = till.scan(CREAM.barcode).view  # the sale goes on; the gift is said by its code for now
    assert view.gift_name(VITAMINS.code) == VITAMINS.code
    catalog.failing = False
    assert till.view().gift_name(VITAMINS.code) == VITAMINS.name
