"""Property: however sales using one N-use code arrive at the hub (from two tills, in batches of
any split, each batch retried), every use is recorded exactly once, the code's count is the
number of sales, and the uses past N are exactly the conflicts (Hypothesis, bounded)."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from central.promo_codes import CodeRules, add_code, code_states, conflicts
from central.promotions import set_promotions
from central.tables import promo_code_uses
from tests.central.shop import Shop, make_sales

SEQ = itertools.count(1, 10)  # each example's sales take new receipt numbers at both tills
CODES = itertools.count(1)


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite only: the PostgreSQL path is in test_promo_codes.py."""
    return f"sqlite:///{tmp_path / 'hub.sqlite3'}"


@pytest.fixture
def tills(shop: Shop) -> tuple[object, object]:
    set_promotions(shop.db, [{"format": "kassa.promotion.v1", "id": "P1", "name": "Code -10 %",
                              "kind": "percent_off", "percent": "10", "validity": {"needs_code": True}}])
    return shop.enrol("T01"), shop.enrol("T02")


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(allowed=st.integers(1, 3), at=st.lists(st.sampled_from([0, 1]), min_size=1, max_size=5),
       batch=st.integers(1, 3), retries=st.integers(0, 2))
def test_every_use_is_counted_once_and_the_ones_past_the_limit_are_conflicts(
        database_url: str, shop: Shop, tills: tuple[object, object], allowed: int, at: list[int], batch: int,
        retries: int) -> None:
    code = f"PROP{next(CODES)}"
    add_code(shop.db, code, CodeRules(("P1",), uses_allowed=allowed))
    first = next(SEQ)
    sales = {0: [], 1: []}  # type: dict[int, list]
    for which in at:
        till = tills[which]
        sale = make_sales(1, till, first_seq=first + len(sales[which]))[0]  # type: ignore[arg-type]
        sales[which].append(replace(sale, promo_codes=(code,)))
    for which, made in sales.items():
        for start in range(0, len(made), batch):
            for _ in range(1 + retries):
                shop.push(tills[which], *made[start:start + batch])  # type: ignore[arg-type]
    with shop.db.reading() as conn:
        rows = conn.execute(select(func.count()).select_from(promo_code_uses)
                            .where(promo_code_uses.c.code == code)).scalar_one()
    state = next(s for s in code_states(shop.db) if s.code == code)
    assert rows == state.uses == len(at)
    assert len([c for c in conflicts(shop.db) if c.code == code]) == state.conflicts == max(0, len(at) - allowed)
