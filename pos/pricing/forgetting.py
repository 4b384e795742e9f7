"""How the pricing step's module caches forget: the oldest entries first (a dict keeps the
order entries came in), a sixteenth at a time, so that no reprice pays for forgetting much
at once and none walks the whole cache.  What each cache keeps, and why its bound is what it
is: docs/promotions.md, "What the search remembers"; ``python -m benchmarks.pricing_memory``
prints what they hold."""

from __future__ import annotations

from itertools import islice


def make_room(cache: dict, bound: int) -> None:
    """When ``cache`` holds ``bound`` entries or more, its oldest sixteenth of ``bound`` (one at
    least) forgotten (another thread may have forgotten some of them already)."""
    if len(cache) >= bound:
        for key in list(islice(cache, max(1, bound // 16))):
            cache.pop(key, None)
