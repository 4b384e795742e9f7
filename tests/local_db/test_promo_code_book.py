"""The till's promo code book on a real SQLite file: codes pulled and applied with their
cursor, this till's own uses counted from its recorded sales (in the sale's transaction) until
a pull after the hub acknowledged them, and the code desk applying, refusing and removing codes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from argon2 import PasswordHasher

from local_db.database import Database
from local_db.journal import SqlJournal
from local_db.outbox import SqlOutbox
from local_db.promo_codes import SqlPromoCodeBook, apply_promo_codes, code_count, stage_promo_codes
from local_db.reference_data import Cursor
from pos.money import Money
from pos.pricing.code_desk import MAX_WRONG_PINS, PromoCodeDesk
from pos.pricing.codes import (
    BasketBelowMinimum,
    CodeAlreadyApplied,
    CodeAlreadyUsed,
    CodeNeedsPhone,
    CodeWrongPin,
    TooManyWrongPins,
    UnknownCode,
    UsesHere,
)
from sync.promo_code_rows import promo_code_row
from tests.local_db.conftest import make_sql_till, sell

HASHER = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)


def item(code: str, **kw: object) -> dict[str, object]:
    return {"code": code, "promotion_ids": ["P-WINTER"], "starts": None, "ends": None, "minimum": None,
            "uses_allowed": None, "uses_known": 0, "per_customer": None, "customer_uses": {}, "phone_hash": "",
            "pin_hash": "", "deleted": False, **kw}


def pull(db: Database, *items: dict[str, object], at: datetime | None = None) -> None:
    stage_promo_codes(db, [promo_code_row(i) for i in items], cursor=Cursor("9", "9"), complete=True)
    apply_promo_codes(db, Cursor("9", "9"), at or datetime.now(timezone.utc))


def test_a_pulled_code_is_read_back_as_the_hub_sent_it(db: Database) -> None:
    pull(db, item("WINTER10", minimum="500.00", uses_allowed=1, uses_known=0, starts="2026-12-01T00:00:00"),
         item("GONE1", deleted=True))
    entry = SqlPromoCodeBook(db, "UAH").entry("WINTER10")
    assert entry is not None and code_count(db) == 1
    assert (entry.promotion_ids, entry.minimum, entry.uses_allowed, entry.starts) == (
        frozenset({"P-WINTER"}), Money.of("500.00", "UAH"), 1, datetime(2026, 12, 1))
    pull(db, item("WINTER10", deleted=True))
    assert SqlPromoCodeBook(db, "UAH").entry("WINTER10") is None


def test_a_sale_with_a_code_counts_as_a_use_here_until_a_pull_after_the_hub_has_it(
        db: Database, journal: SqlJournal) -> None:
    pull(db, item("ONCE1", uses_allowed=1))
    book = SqlPromoCodeBook(db, "UAH")
    till = make_sql_till(journal)
    desk = PromoCodeDesk(till, book)
    till.sign_in("1", "1234")
    till.scan("1001")
    desk.apply("once-1")
    assert till.promo_codes == ("ONCE1",) and till.unlocked == {"P-WINTER"}
    sale = sell(till)
    assert sale.promo_codes == ("ONCE1",)
    assert book.uses_here("ONCE1") == UsesHere(1, 0)

    till.scan("1001")
    with pytest.raises(CodeAlreadyUsed):  # offline, the till's own use is enough
        desk.apply("ONCE1")

    pull(db, item("ONCE1", uses_allowed=1))  # a pull before the hub acknowledged the sale: still here
    assert book.uses_here("ONCE1") == UsesHere(1, 0)
    outbox = SqlOutbox(db)
    outbox.acknowledge([m.seq for m in outbox.pending_messages()])
    pull(db, item("ONCE1", uses_allowed=1, uses_known=1), at=datetime.now(timezone.utc) + timedelta(seconds=1))
    assert book.uses_here("ONCE1") == UsesHere(0, 0)
    with pytest.raises(CodeAlreadyUsed):  # now the hub's count says it
        desk.apply("ONCE1")


def test_the_desk_refuses_unknown_and_repeated_codes_and_removes_one(db: Database, journal: SqlJournal) -> None:
    pull(db, item("WINTER10"), item("VIP5", promotion_ids=["P-VIP", "P-WINTER"]))
    till = make_sql_till(journal)
    desk = PromoCodeDesk(till, SqlPromoCodeBook(db, "UAH"))
    till.sign_in("1", "1234")
    with pytest.raises(UnknownCode):
        desk.apply("SUMMER10")
    desk.apply("WINTER10")
    desk.apply("vip5")
    with pytest.raises(CodeAlreadyApplied):
        desk.apply("winter 10")
    assert till.unlocked == {"P-WINTER", "P-VIP"}
    desk.remove("VIP5")
    assert (till.promo_codes, till.unlocked) == (("WINTER10",), frozenset({"P-WINTER"}))


def test_a_personal_code_needs_the_phone_and_pin_and_three_wrong_pins_end_it(db: Database, journal: SqlJournal) -> None:
    pull(db, item("OLENA7", phone_hash=HASHER.hash("+380671234567"), pin_hash=HASHER.hash("4821")))
    till = make_sql_till(journal)
    desk = PromoCodeDesk(till, SqlPromoCodeBook(db, "UAH"))
    till.sign_in("1", "1234")
    with pytest.raises(CodeNeedsPhone):
        desk.apply("OLENA7")
    for _ in range(MAX_WRONG_PINS - 1):
        with pytest.raises(CodeWrongPin):
            desk.apply("OLENA7", phone="067 123 45 67", pin="0000")
    with pytest.raises(TooManyWrongPins):
        desk.apply("OLENA7", phone="067 123 45 67", pin="0000")
    with pytest.raises(TooManyWrongPins):  # even with the right PIN now, in this sale
        desk.apply("OLENA7", phone="067 123 45 67", pin="4821")


def test_a_personal_code_with_the_phone_in_another_form_and_the_right_pin_applies(
        db: Database, journal: SqlJournal) -> None:
    pull(db, item("OLENA7", phone_hash=HASHER.hash("+380671234567"), pin_hash=HASHER.hash("4821")))
    till = make_sql_till(journal)
    desk = PromoCodeDesk(till, SqlPromoCodeBook(db, "UAH"))
    till.sign_in("1", "1234")
    desk.apply("OLENA7", phone="+38 (067) 123-45-67", pin="4821")
    assert till.promo_codes == ("OLENA7",)


def test_a_basket_that_falls_below_the_minimum_is_said_and_the_code_dropped_at_payment(
        db: Database, journal: SqlJournal) -> None:
    pull(db, item("MIN100", minimum="100.00"))
    till = make_sql_till(journal)
    desk = PromoCodeDesk(till, SqlPromoCodeBook(db, "UAH"))
    till.sign_in("1", "1234")
    till.scan("1001")
    with pytest.raises(BasketBelowMinimum) as raised:
        desk.apply("MIN100")
    assert raised.value.fields["minimum"] == Money.of("100.00", "UAH")
    line = till.scan("1002").line
    desk.apply("MIN100")
    assert desk.unmet() == ()
    assert line is not None
    till.void_line(line.line_id)
    [unmet] = desk.unmet()
    assert unmet.fields == {"code": "MIN100", "minimum": Money.of("100.00", "UAH"), "total": Money.of("89.90", "UAH")}
    assert till.promo_codes == ("MIN100",)  # said, not yet dropped: the cashier may add an item again
    view = till.begin_payment().view
    assert till.promo_codes == () and not till.unlocked and view.total == Money.of("89.90", "UAH")
    assert desk.drop_unmet() == ((), None)
