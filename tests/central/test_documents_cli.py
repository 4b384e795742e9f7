"""kassa-hub zreports and shifts: the Z reports received in Z order, each till's shift
state (open since, closed), its last Z number and the Z numbers never received."""

from __future__ import annotations

from dataclasses import replace

import pytest

from central.cli import main
from tests.central.shop import Shop
from tests.central.store_day_documents import a_day, of_opening, of_z, post, set_up_tills, statuses
from tests.pos.store_day.day import STORE


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_shifts_lists_each_tills_shift_its_last_z_and_the_missing_ones(
        shop: Shop, database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    till, other = set_up_tills(shop)
    day = a_day()
    shop.push(till, *day.sales)
    sent = day.envelopes()
    assert statuses(post(shop, till, *sent)) == ["accepted"] * len(sent)
    for z_number in (4, 5):  # Z 2 and 3 never arrived
        later = a_day(z_number)
        post(shop, till, of_z(replace(later.close()[1], z_number=z_number)))
    opening = of_opening(a_day().shift)  # a shift of the second till, not closed yet
    assert statuses(post(shop, other, {**opening, "body": {**opening["body"], "till_id": "T2"}})) == ["accepted"]

    status, out, _ = run(capsys, "shifts", "--database", database_url, "--store", STORE)

    assert status == 0
    assert out.splitlines() == [
        f"{STORE}/T1: closed 2026-12-02T00:00:00+00:00 (by s1); last Z 5; missing Z: 2-3",
        f"{STORE}/T2: open since 2026-12-01T09:00:00+00:00 (by s1); last Z none; missing Z: none",
    ]


def test_zreports_lists_a_tills_z_reports_in_z_order(shop: Shop, database_url: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    till, _ = set_up_tills(shop)
    days = [a_day(n) for n in (2, 1)]
    for day in days:
        post(shop, till, of_z(day.close()[1]))

    status, out, _ = run(capsys, "zreports", "--database", database_url, "--store", STORE, "--till", "T1")

    lines = out.splitlines()
    assert status == 0 and lines[-1] == "2 Z report(s)"
    assert [line.split()[2] for line in lines[1:-1]] == ["1", "2"]
    assert str(days[1].shift.shift_id) in lines[1]


@pytest.mark.parametrize(("args", "message"), [
    (("zreports", "--till", "T1"), "--till needs --store"),
    (("zreports", "--store", "NOWHERE"), "unknown store 'NOWHERE'"),
    (("zreports", "--store", STORE, "--till", "T9"), "unknown till 'T9'"),
    (("shifts", "--store", "NOWHERE"), "unknown store 'NOWHERE'"),
])
def test_a_wrong_store_or_till_is_named_in_one_line(shop: Shop, database_url: str, capsys: pytest.CaptureFixture[str],
                                                    args: tuple[str, ...], message: str) -> None:
    set_up_tills(shop)
    status, out, err = run(capsys, *args, "--database", database_url)
    assert (status, out) == (1, "")
    assert err.count("\n") == 1 and message in err
