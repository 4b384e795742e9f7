"""Promo codes at the hub: made and added by kassa-hub, pulled by the tills as the promo_codes
dataset (only what a till needs, secrets as hashes), each use recorded exactly once from the
stored sale, and two tills using a one-time code offline reported as a conflict."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from central.cli import main
from central.promotions import set_promotions
from central.tables import promo_code_uses
from tests.central.shop import STORE_ID, Shop, make_sales


def needing_a_code(promotion_id: str, needs_code: bool = True) -> dict[str, object]:
    return {"format": "kassa.promotion.v1", "id": promotion_id, "name": f"{promotion_id} -10 %", "kind": "percent_off",
            "percent": "10", "validity": {"needs_code": needs_code}}


@pytest.fixture(autouse=True)
def promotions(shop: Shop) -> None:
    """The promotions the codes unlock, on the hub (kassa-hub set-promotions)."""
    set_promotions(shop.db, [needing_a_code(i) for i in ("P-WINTER", "P1", "P2", "P-VIP")]
                   + [needing_a_code("P-PLAIN", needs_code=False)])


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def codes_of(shop: Shop, till: object) -> dict[str, dict[str, object]]:
    items, _cursor = shop.pull_all(till, "promo_codes")  # type: ignore[arg-type]
    return {i["code"]: i for i in items}


def test_make_codes_makes_distinct_codes_with_the_rules_the_tills_pull(
        shop: Shop, database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    till = shop.enrol("T01")
    status, out, err = run(capsys, "make-codes", "--database", database_url, "--promotion", "P-WINTER",
                           "--count", "25", "--uses", "1", "--minimum", "500", "--starts", "2026-12-01",
                           "--ends", "2027-01-01T00:00")
    made = out.split()
    assert (status, err, len(made), len(set(made))) == (0, "", 25, 25)
    assert all(len(c) == 10 and c.isalnum() and c.isupper() for c in made)
    pulled = codes_of(shop, till)
    assert set(pulled) == set(made)
    assert pulled[made[0]] == {"code": made[0], "promotion_ids": ["P-WINTER"], "starts": "2026-12-01T00:00:00",
                               "ends": "2027-01-01T00:00:00", "minimum": "500", "uses_allowed": 1, "uses_known": 0,
                               "per_customer": None, "customer_uses": {}, "phone_hash": "", "pin_hash": "",
                               "deleted": False}


def test_make_codes_writes_a_csv(shop: Shop, database_url: str, capsys: pytest.CaptureFixture[str],
                                 tmp_path: object) -> None:
    target = f"{tmp_path}/codes.csv"
    status, out, _ = run(capsys, "make-codes", "--database", database_url, "--promotion", "P1", "--count", "3",
                         "--csv", target)
    assert status == 0 and out.strip() == f"3 promo code(s) written to {target}"
    lines = open(target, encoding="utf-8").read().splitlines()
    assert lines[0] == "code,promotion_ids,starts,ends,minimum,uses,per_customer" and len(lines) == 4


def test_a_personal_code_keeps_only_hashes_of_the_phone_and_the_pin(
        shop: Shop, database_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    till = shop.enrol("T01")
    monkeypatch.setattr("sys.stdin", io.StringIO("4821\n"))
    status, out, err = run(capsys, "add-code", "olena-7", "--database", database_url, "--promotion", "P-VIP",
                           "--phone", "067 123 45 67", "--uses", "1")
    assert (status, err, out.strip()) == (0, "", "promo code OLENA7 added (personal: phone number and PIN)")
    item = codes_of(shop, till)["OLENA7"]
    assert "4821" not in str(item) and "1234567" not in str(item)
    hasher = PasswordHasher()
    assert hasher.verify(str(item["phone_hash"]), "+380671234567") and hasher.verify(str(item["pin_hash"]), "4821")


@pytest.mark.parametrize(("args", "says"), [
    (["WINTER10", "--promotion", "P1", "--starts", "2026-12-31", "--ends", "2026-12-01"], "--ends must be after"),
    (["WINTER10", "--promotion", "P1", "--ends", "tomorrow"], "--ends 'tomorrow' is not a date"),
    (["WINTER10", "--promotion", "P1", "--minimum", "-5"], "--minimum is an amount of at least 0"),
    (["WINTER10", "--promotion", "P1", "--uses", "0"], "--uses is a whole number of at least 1"),
    (["WIN TER 10 !", "--promotion", "P1"], "is not a promo code"),
    (["WINTER10", "--promotion", " "], "a code unlocks at least one promotion"),
    (["WINTER10", "--promotion", "P-NOPE"], "promotion P-NOPE is not on the hub: send it first"),
    (["WINTER10", "--promotion", "P1", "--promotion", "P-PLAIN"], "promotion P-PLAIN applies without a code"),
    (["WINTER10", "--promotion", "P1", "--minimum", "5.555"], "--minimum is an amount of at least 0"),
])
def test_add_code_refuses_bad_rules_in_one_line(shop: Shop, database_url: str, capsys: pytest.CaptureFixture[str],
                                                args: list[str], says: str) -> None:
    status, out, err = run(capsys, "add-code", "--database", database_url, *args)
    assert status == 1 and out == "" and says in err and len(err.splitlines()) == 1


def test_a_code_cannot_be_added_twice(shop: Shop, database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "add-code", "WINTER10", "--database", database_url, "--promotion", "P1")[0] == 0
    status, _out, err = run(capsys, "add-code", "winter-10", "--database", database_url, "--promotion", "P2")
    assert status == 1 and "promo code WINTER10 exists already" in err
    assert run(capsys, "add-code", "WINTER10", "--exists-ok", "--database", database_url, "--promotion", "P2")[0] == 0
    assert "WINTER10       P1;" in run(capsys, "promo-codes", "--database", database_url)[1]  # left as it was


def test_a_use_is_recorded_once_however_often_the_batch_is_retried(
        shop: Shop, database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    till = shop.enrol("T01")
    run(capsys, "add-code", "WINTER10", "--database", database_url, "--promotion", "P1", "--uses", "3")
    _items, cursor = shop.pull_all(till, "promo_codes")
    sale = replace(make_sales(1, till)[0], promo_codes=("WINTER10",))
    assert [r["status"] for r in shop.push(till, sale)] == ["accepted"]
    assert [r["status"] for r in shop.push(till, sale)] == ["duplicate"]
    assert [r["status"] for r in shop.push(till, sale)] == ["duplicate"]
    with shop.db.reading() as conn:
        assert conn.execute(select(func.count()).select_from(promo_code_uses)).scalar_one() == 1
    changed, _ = shop.pull_all(till, "promo_codes", after=cursor)  # the use moved the code: tills learn it
    assert [(i["code"], i["uses_known"]) for i in changed] == [("WINTER10", 1)]
    assert run(capsys, "promo-codes", "--database", database_url)[1].splitlines() == [
        "WINTER10       P1; always; minimum none; uses 1/3", "1 promo code(s)"]


def test_two_tills_using_a_one_time_code_offline_both_sell_and_the_second_is_a_conflict(
        shop: Shop, database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = shop.enrol("T01"), shop.enrol("T02")
    run(capsys, "add-code", "ONCE2026", "--database", database_url, "--promotion", "P1", "--uses", "1")
    sale_a = replace(make_sales(1, first)[0], promo_codes=("ONCE2026",))
    sale_b = replace(make_sales(1, second)[0], promo_codes=("ONCE2026",))
    assert [r["status"] for r in shop.push(first, sale_a)] == ["accepted"]
    assert [r["status"] for r in shop.push(second, sale_b)] == ["accepted"]

    status, out, _ = run(capsys, "promo-codes", "--conflicts", "--database", database_url)

    lines = out.splitlines()
    assert status == 0 and lines[-1] == "1 conflicting use(s)"
    assert lines[0].startswith(f"ONCE2026: sale {sale_b.sale_id} at {STORE_ID}/T02 ")
    assert lines[0].endswith(": used once already: a one-time code; the sale stands")
    assert "uses 2/1; 1 conflict(s)" in run(capsys, "promo-codes", "--database", database_url)[1]


def test_per_customer_uses_are_counted_for_the_tills_and_a_code_the_hub_lacks_is_a_conflict(
        shop: Shop, database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    till = shop.enrol("T01")
    run(capsys, "add-code", "EACH1", "--database", database_url, "--promotion", "P1", "--per-customer", "1")
    one, two, three = make_sales(3, till)
    shop.push(till, replace(one, promo_codes=("EACH1",), customer_id="C-1"),
              replace(two, promo_codes=("EACH1",), customer_id="C-1"), replace(three, promo_codes=("GHOST",)))
    assert codes_of(shop, till)["EACH1"]["customer_uses"] == {"C-1": 2}
    reasons = [line.split(": ", 1)[1] for line in
               run(capsys, "promo-codes", "--conflicts", "--database", database_url)[1].splitlines()[:-1]]
    assert [r.rsplit("): ", 1)[1] for r in reasons] == [
        "customer C-1 used it 1 times already, 1 allowed; the sale stands",
        "the hub has no such code; the sale stands"]

