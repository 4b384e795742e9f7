"""Hypothesis strategies of values at the edges of JSON and of their types: big and
negative integers, floats (NaN and infinities too), text with NUL and lone surrogates,
times at the ends of the calendar or as numbers, and nested junk made of all of them;
and of mutations of a valid document: one leaf (or branch) replaced, a key deleted, an
unknown key added."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

DELETE = object()  # a mutation that removes the key

EDGE_INTEGERS = [0, 1, -1, 2**31 - 1, 2**31, 2**53 - 1, 2**53, 2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 2**64, 10**30]
ODD_TIMES = [
    "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59.999999+00:00",
    "0001-01-01T00:00:00Z", "2026-12-02T09:30:00", "2026-02-30T09:30:00+02:00", "2026-12-02T24:00:00Z",
    "2026-12-02T23:59:60Z", "2026-12-02T09:30:00+24:00", "2026-12-02 09:30:00+02:00", "20261202T093000Z",
    "2026-12-02t09:30:00z", "2026-12-02T09:30:00.1234567890+02:00", "2026-12-02", "09:30", "", "0", "-1",
    "2026-12-02T09:30:00+02:00\x00", "\ud800", "１９９９-０１-０１T00:00:00Z",
]

integers = st.one_of(st.sampled_from(EDGE_INTEGERS), st.integers(), st.integers(min_value=2**62, max_value=2**66))
floats = st.one_of(st.floats(), st.sampled_from([0.0, -0.0, 1.0, 26682439.0, 2.0**63, 1e308, float("inf"),
                                                  float("-inf"), float("nan"), 5e-324]))
texts = st.one_of(
    st.text(max_size=20),
    st.text(st.characters(exclude_categories=()), max_size=20),  # surrogates too
    st.sampled_from(["\x00", "a\x00b", "\ud800", "\udfff", "\ud83d", "x\udc80y", "\u0661\u0662", "NaN", "-0",
                     "1e999", "0.0000001", "99999999999999999999.99", " 1.00", "1,00", "\u202e", "\ufeff"]),
    st.text(min_size=300, max_size=3000),
)
offsets = st.builds(lambda minutes: timezone(timedelta(minutes=minutes)), st.integers(-23 * 60 - 59, 23 * 60 + 59))
times = st.one_of(
    st.sampled_from(ODD_TIMES),
    st.builds(lambda moment, offset: moment.replace(tzinfo=offset).isoformat(),
              st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)), offsets),
    st.integers(-(2**40), 2**40), st.floats(),
)
scalars = st.one_of(st.none(), st.booleans(), integers, floats, texts, times)
junk = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(texts, inner, max_size=4)), max_leaves=12)
deep = st.integers(1, 400).map(lambda depth: _nested(depth))
edge_values = st.one_of(scalars, junk, deep)


def _nested(depth: int) -> Any:
    value: Any = "bottom"
    for n in range(depth):
        value = [value] if n % 2 else {"k": value}
    return value


def paths(document: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every node's path in ``document`` (keys and list indexes), the root excluded."""
    found: list[tuple[Any, ...]] = []
    items = document.items() if isinstance(document, dict) else enumerate(document) if isinstance(document, list) else ()
    for key, value in items:
        found.append((*prefix, key))
        found.extend(paths(value, (*prefix, key)))
    return found


def mutated(document: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    """A copy of ``document`` with the node at ``path`` replaced by ``value`` (or deleted)."""
    copied = copy.deepcopy(document)
    parent: Any = copied
    for key in path[:-1]:
        parent = parent[key]
    if value is DELETE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return copied


@st.composite
def mutations(draw: st.DrawFn, document: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(what was done, the mutated document)."""
    where = draw(st.sampled_from(paths(document)))
    how = draw(st.sampled_from(["replace", "replace", "replace", "delete", "add"]))
    if how == "delete":
        return f"delete {where}", mutated(document, where, DELETE)
    if how == "add":
        parent = where[:-1]
        target: Any = document
        for key in parent:
            target = target[key]
        if isinstance(target, dict):
            key = draw(texts)
            return f"add {(*parent, key)}", mutated(document, (*parent, key), draw(edge_values))
    return f"replace {where}", mutated(document, where, draw(edge_values))
