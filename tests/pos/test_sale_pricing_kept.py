"""The open sale's customer, personal offers and promo codes are kept with its basket: a till
restarted mid-sale (power cut, crash) and a parked sale recalled price it exactly as before."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pos.money import Money
from pos.pricing.promotion import CustomerFacts, PercentOff, Promotion, PromotionSet, Scope, Validity
from pos.till import Till
from tests.fakes import CREAM, SHAMPOO, MemoryJournal, make_till

OLENA = CustomerFacts("C-7", tier="vip", segment="family", group="regular", birthday=date(1990, 12, 2))
VIP = Promotion("P-VIP", "VIP -10 %", PercentOff(Decimal(10)), validity=Validity(tiers=frozenset({"vip"})))
CODE = Promotion("P-CODE", "Code -5 %", PercentOff(Decimal(5)), scope=Scope(products=frozenset({SHAMPOO.code})),
                 validity=Validity(needs_code=True))
OFFER = Promotion("P-OFFER", "Olena's cream", PercentOff(Decimal(20)), scope=Scope(products=frozenset({CREAM.code})),
                  validity=Validity(needs_code=True))


class Promotions:
    def current(self) -> PromotionSet:
        return PromotionSet((VIP, CODE, OFFER))


def till_on(journal: MemoryJournal) -> Till:
    till = make_till(journal)
    till.promotions = Promotions()
    till._promotion_set = Promotions().current()  # the set a new sale takes (make_till opened one without)
    till.sign_in("1", "1234")
    return till


def a_sale_with_everything(journal: MemoryJournal) -> Till:
    till = till_on(journal)
    till.scan(SHAMPOO.barcode)
    till.scan(CREAM.barcode)
    till.identify_customer(OLENA, frozenset({"P-OFFER"}), name="Olena K.")
    till.unlock_promotions(("WINTER5",), frozenset({"P-CODE"}))
    return till


def test_a_till_restarted_mid_sale_finds_the_customer_offers_and_codes_and_prices_alike() -> None:
    journal = MemoryJournal()
    before = a_sale_with_everything(journal)
    priced = before.priced()
    assert {d.promotion_id for l in priced.lines for d in l.discounts} == {"P-VIP", "P-CODE", "P-OFFER"}

    after = till_on(journal)  # the same open-basket store: a restart
    after.start()
    assert after.customer == OLENA and after.personal_offers == {"P-OFFER"}
    assert after.promo_codes == ("WINTER5",) and after.unlocked == {"P-CODE"}
    assert after.view().customer_name == "Olena K."
    assert after.priced().total == priced.total and after.priced().discount == priced.discount
    sale = after.pay_cash("")
    assert sale.sale is not None
    assert (sale.sale.customer_id, sale.sale.promo_codes) == ("C-7", ("WINTER5",))
    assert sale.sale.total == priced.total


def test_forgetting_the_customer_is_kept_too() -> None:
    journal = MemoryJournal()
    a_sale_with_everything(journal).identify_customer(None)
    after = till_on(journal)
    after.start()
    assert after.customer is None and after.personal_offers == frozenset() and after.promo_codes == ("WINTER5",)


def test_a_saved_customer_that_cannot_be_read_leaves_the_lines_and_drops_only_the_customer() -> None:
    journal = MemoryJournal()
    a_sale_with_everything(journal)
    snapshot = journal.load_basket()
    assert snapshot is not None
    snapshot["pricing"]["customer"] = {"customer_id": "C-7", "birthday": "not a date"}
    journal.save_basket(snapshot)
    after = till_on(journal)
    after.start()
    assert len(after.basket.active_lines()) == 2 and after.customer is None
    assert after.priced().total == Money.of("0", "UAH") + sum(
        (l.total for l in after.basket.active_lines()), Money.zero("UAH"))


def test_a_sale_without_a_customer_or_codes_saves_the_basket_as_before() -> None:
    journal = MemoryJournal()
    till = till_on(journal)
    till.scan(SHAMPOO.barcode)
    assert "pricing" not in (journal.load_basket() or {})


def test_a_parked_sale_comes_back_with_its_customer_and_codes_and_the_next_sale_has_none() -> None:
    from pos.store_day.parking import park, recall
    from tests.pos.store_day.test_parking import MemoryParked

    journal = MemoryJournal()
    till = a_sale_with_everything(journal)
    basket_id, total = till.basket.basket_id, till.priced().total
    store = MemoryParked(journal)
    park(till, store)
    assert till.customer is None and till.promo_codes == () and till.unlocked == frozenset()

    recall(till, store, basket_id)
    assert till.customer == OLENA and till.promo_codes == ("WINTER5",) and till.personal_offers == {"P-OFFER"}
    assert till.priced().total == total
    again = till_on(journal)  # and a restart right after the recall keeps them too
    again.start()
    assert again.customer == OLENA and again.priced().total == total
