"""How the pricing step's module caches forget: the oldest entries first (a dict keeps the
order entries came in), a share at a time, so that forgetting is rare and never walks the
whole cache.  What each cache keeps and why its bound is what it is: docs/promotions.md, "What
the search remembers"; ``python -m benchmarks.pricing_memory`` prints what they hold."""

from __future__ import annotations

from itertools import islice


def forget_oldest(cache: dict, count: int) -> None:
    """The ``count`` oldest entries of ``cache`` forgotten (another thread may have forgotten
    some of them already)."""
    for key in list(islice(cache, count)):
        cache.pop(key, None)
